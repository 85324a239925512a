"""Password hashing (argon2id), the signed session cookie and the CSRF token check."""

from __future__ import annotations

import functools
import hmac
import os
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from service.errors import Forbidden

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FORM_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "check_csrf_token",
    "csrf_error",
    "hash_password",
    "sign_session_id",
    "unsign_session_id",
    "verify_password",
]

SESSION_COOKIE = "attest_session"
CSRF_COOKIE = "attest_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"

_hasher = PasswordHasher()
# verifying an unknown user against a real hash keeps login time constant (no user enumeration by timing)
_DUMMY_HASH = _hasher.hash("attest-dummy-password")
# argon2 costs tens of ms of CPU and 64 MB each: at most one per core at a time, so that a burst of
# logins (a whole school at 9:00) queues instead of starving every other request of the process
_ARGON2_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 2)


def hash_password(password: str) -> str:
    with _ARGON2_SLOTS:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        with _ARGON2_SLOTS:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@functools.lru_cache(maxsize=4)
def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="attest.session")


def sign_session_id(secret: str, session_id: str) -> str:
    return _serializer(secret).dumps(session_id)


def unsign_session_id(secret: str, value: str, max_age_s: int) -> str | None:
    """The session id of a cookie signed by us at most `max_age_s` ago, else None."""
    found = _unsign(secret, value)
    if found is None or time.time() - found[1] > max_age_s:
        return None
    return found[0]


@functools.lru_cache(maxsize=4096)
def _unsign(secret: str, value: str) -> tuple[str, float] | None:
    """(session id, signing time) of a valid cookie; verified once per cookie value (every request
    carries the same cookie: the HMAC and decoding are not redone each time; the age is checked by
    the caller each time)."""
    try:
        session_id, signed_at = _serializer(secret).loads(value, return_timestamp=True)
    except BadSignature:
        return None
    return (session_id, signed_at.timestamp()) if isinstance(session_id, str) else None


def csrf_error() -> Forbidden:
    return Forbidden(
        f"missing or wrong CSRF token: send the {CSRF_HEADER} header (or the {CSRF_FORM_FIELD} form field) "
        f"with the value of the {CSRF_COOKIE} cookie",
        details={"reason": "csrf"},
    )


def check_csrf_token(sent: str, expected: str) -> None:
    """Double-submit check: the token sent (header or form field) must equal the session's."""
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise csrf_error()
