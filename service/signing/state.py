"""The state of a signing between its two requests (prepare, finish), kept by the browser as a token:
an HMAC with the settings' secret over the JSON, bound to the user and the object, with an expiry. No
table is needed, and a token cannot be forged or moved to another user, document or dossier."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from service.errors import BadInput

__all__ = ["TOKEN_TTL_S", "read_token", "sign_token"]

TOKEN_TTL_S = 3600


def sign_token(secret: str, payload: dict[str, Any], *, user: int, subject: str, ttl_s: float = TOKEN_TTL_S) -> str:
    data = {**payload, "user": user, "subject": subject, "exp": time.time() + ttl_s}
    body = base64.urlsafe_b64encode(json.dumps(data, sort_keys=True).encode()).decode()
    mac = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def read_token(secret: str, token: str, *, user: int, subject: str) -> dict[str, Any]:
    """The payload of a token this service made for ``user`` and ``subject``; :class:`BadInput` otherwise."""
    body, _, mac = token.partition(".")
    good = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    if not mac or not hmac.compare_digest(mac, good):
        raise BadInput("the signing session is not valid; start signing again")
    try:
        payload = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError as exc:
        raise BadInput("the signing session is not valid; start signing again") from exc
    if payload.get("user") != user or payload.get("subject") != subject:
        raise BadInput("the signing session belongs to another document; start signing again")
    if float(payload.get("exp", 0)) < time.time():
        raise BadInput("the signing session has expired; start signing again")
    return dict(payload)
