"""Errors of the verification library.

    VerificationError             could not evaluate a file at all (turned into a `failed` report)
    ├── UnreadableFile            empty, truncated, corrupt, not a PDF/image we know
    │   └── EncryptedFile         encrypted PDF without a usable password
    ├── ResourceLimitExceeded     too many pages/pixels/bytes, decompression bomb, time budget
    └── TrustStoreError           a --trust path that does not exist or holds nothing usable

Third-party errors (pypdf, pyHanko, Pillow, pytesseract, OpenCV) are translated at the boundary
into these, chaining ``from exc``. A failed *check* is not an exception: it is a value in the report.
"""

from __future__ import annotations

__all__ = [
    "OUT_OF_MEMORY",
    "PASSWORD_REQUIRED",
    "EncryptedFile",
    "ResourceLimitExceeded",
    "TrustStoreError",
    "UnreadableFile",
    "VerificationError",
    "trilingual",
]


def trilingual(ru: str, kk: str, en: str) -> dict[str, str]:
    """Why a file could not be evaluated, in every language: the ``reason`` a message shows in the reader's
    language (``messages`` renders such a mapping per language). Third-party error texts stay in the
    exception's own message (logs), never in the reader's."""
    return {"ru": ru, "kk": kk, "en": en}


OUT_OF_MEMORY = trilingual("не хватило памяти", "жад жетпеді", "not enough memory")
"""The reason of a file too large for the memory the check may use."""
PASSWORD_REQUIRED = trilingual("нужен пароль", "құпиясөз қажет", "a password is required")
"""The reason of an encrypted PDF that cannot be opened without a password."""


class VerificationError(Exception):
    """A file could not be evaluated at all. ``code`` is a stable message-catalog key."""

    code = "file.unreadable"

    def __init__(self, message: str, *, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params = params


class UnreadableFile(VerificationError):
    code = "file.unreadable"


class EncryptedFile(UnreadableFile):
    code = "file.encrypted"


class ResourceLimitExceeded(VerificationError):
    code = "file.too_large"


class TrustStoreError(VerificationError):
    code = "trust.unusable"
