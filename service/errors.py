"""Errors of the service layer; each carries its HTTP status and goes through one exception handler.

    AttestError (500)
    ├── BadInput (422)              data that does not fit a schema; names the field
    │   └── BadRows (422)           batch rows with errors, by row number
    ├── NotFound (404)              also used instead of 403 where existence must not leak
    ├── Forbidden (403)
    ├── Unauthenticated (401)
    ├── Conflict (409)
    ├── PayloadTooLarge (413)
    ├── UnsupportedMediaType (415)
    ├── TooManyRequests (429)
    ├── ConversionFailed (503)      LibreOffice converter unavailable after retries
    └── SigningError (500)          the signing key is unusable, or pyHanko or the TSA failed (service.signing)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AttestError",
    "BadInput",
    "BadRows",
    "Conflict",
    "ConversionFailed",
    "Forbidden",
    "NotFound",
    "PayloadTooLarge",
    "SigningError",
    "TooManyRequests",
    "Unauthenticated",
    "UnsupportedMediaType",
]


class AttestError(Exception):
    status_code = 500
    code = "internal"

    def __init__(self, message: str, *, details: Any = None, key: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        """The English explanation (the REST API's ``message``)."""
        self.details = details
        self.key = key
        """The web catalog's key of the same explanation for a person (``upload.too_large``), if any:
        the exception handler words it in ru/kk/en (``messages``) and on the error page."""
        self.params = params or {}


class BadInput(AttestError):
    status_code = 422
    code = "bad_input"


class BadRows(BadInput):
    code = "bad_rows"


class NotFound(AttestError):
    status_code = 404
    code = "not_found"


class Forbidden(AttestError):
    status_code = 403
    code = "forbidden"


class Unauthenticated(AttestError):
    status_code = 401
    code = "unauthenticated"


class Conflict(AttestError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(AttestError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AttestError):
    status_code = 415
    code = "unsupported_media_type"


class TooManyRequests(AttestError):
    status_code = 429
    code = "too_many_requests"


class ConversionFailed(AttestError):
    status_code = 503
    code = "conversion_failed"


class SigningError(AttestError):
    code = "signing_failed"
