"""Personal data in logs and audit entries: an IIN (12 digits) becomes ``9001******23``.

    from service.pii import install_log_masking, mask_pii
    install_log_masking()              # once, in create_app: every log record of the process
    mask_pii("ИИН 900101123456")       # 'ИИН 9001******56' (service.audit masks its entries with it)
"""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["IIN_RE", "IINMaskingFilter", "install_log_masking", "mask_iin", "mask_pii"]

IIN_RE = re.compile(r"(?<![0-9A-Za-z_-])(\d{4})\d{6}(\d{2})(?![0-9A-Za-z_-])")
"""An IIN/BIN: exactly 12 digits, not part of a longer token (hashes, ids and numbers are left alone)."""


def mask_iin(iin: str | None) -> str:
    """An IIN as a signer is shown to others (signing pages, dossier.pdf): all but the last 4 digits hidden."""
    return "" if not iin else "*" * (len(iin) - 4) + iin[-4:]


def mask_pii(value: Any) -> Any:
    """The value with every IIN masked (``900101123456`` → ``9001******56``); dicts and lists recursively."""
    if isinstance(value, str):
        return IIN_RE.sub(r"\1******\2", value)
    if isinstance(value, dict):
        return {k: mask_pii(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_pii(v) for v in value)
    return value


class IINMaskingFilter(logging.Filter):
    """Masks IINs in a record's message and traceback text (attach to a handler or a logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _mask_record(record: logging.LogRecord) -> None:
    if getattr(record, "_attest_masked", False):
        return
    record._attest_masked = True  # type: ignore[attr-defined]
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001  (a broken format string: the handler reports it)
        return
    masked = mask_pii(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = mask_pii(text)
    elif record.exc_text:
        record.exc_text = mask_pii(record.exc_text)


_installed_factory: list[Any] = []


def install_log_masking() -> None:
    """Mask IINs in every log record of the process (a record factory: covers all loggers and handlers,
    including uvicorn's access log and handlers added later). Idempotent."""
    if _installed_factory:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed_factory.append(factory)
