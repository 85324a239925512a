"""Verification of one file as an ordered list of steps (sniff → signatures → scan analysis).

Each step has setup/run/cleanup (cleanup always runs) and adds facts to a :class:`ReportBuilder`.
An exception from a step means "could not evaluate": it becomes a check in the report, never a
traceback for the caller. Step modules are imported only when a file needs them.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from verification.errors import (
    OUT_OF_MEMORY,
    ResourceLimitExceeded,
    UnreadableFile,
    VerificationError,
    trilingual,
)
from verification.report import (
    Check,
    CheckStatus,
    FieldValue,
    Finding,
    PageFrame,
    QRCode,
    Report,
    SignatureResult,
)

__all__ = [
    "STEPS",
    "FileContext",
    "RegistryRecord",
    "ReportBuilder",
    "Step",
    "VerifyOptions",
    "sniff_media_type",
    "verify_bytes",
    "verify_file",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistryRecord:
    """What the product's registry knows of a document it issued (looked up by QR id)."""

    document_id: str
    registration_number: str
    kind: str
    issued_at: str
    file_sha256s: frozenset[str]  # every file the registry issued for it (DOCX, PDF, signed PDF)
    content_sha256: str | None = None


@dataclass(frozen=True)
class VerifyOptions:
    """Everything a verification may depend on; the library reads no global settings."""

    detached: Path | None = None
    trust: tuple[Path, ...] = ()
    teacher: str | None = None
    kind: str | None = None
    lang: str = "ru"
    allow_fetching: bool = False  # online OCSP/CRL; off by default
    registry_lookup: Callable[[str], RegistryRecord | None] | None = None
    ocr_languages: str = "rus+kaz+eng"
    dpi: int = 300
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 100  # pages analysed (OCR, seals); beyond it the report says so and needs review
    max_document_pages: int = 2000  # a PDF with more pages is refused outright (file.too_large)
    max_pixels: int = 120_000_000  # per page image, before decoding
    workers: int = 2  # parallel OCR processes for multi-page scans
    time_budget_s: float = 600.0
    period: tuple[str, str] | None = None  # ISO dates; dates outside are flagged when given
    expected_signers: Any = None  # verification.signatures.signer_rule.ExpectedSigners: who may sign (IIN/BIN)


@dataclass(frozen=True)
class FileContext:
    path: Path | None
    name: str
    data: bytes
    sha256: str
    media_type: str | None
    options: VerifyOptions
    scratch: dict[str, Any] = field(default_factory=dict)  # shared between steps (parsed PDF, text)
    started: float = field(default_factory=time.monotonic)


@dataclass
class ReportBuilder:
    pages: int | None = None
    kind: str | None = None
    signatures: list[SignatureResult] = field(default_factory=list)
    seals: list[Finding] = field(default_factory=list)
    handwritten_signatures: list[Finding] = field(default_factory=list)
    fields: dict[str, FieldValue] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    qr_codes: list[QRCode] = field(default_factory=list)
    text_source: str | None = None
    perceptual_hashes: list[str] = field(default_factory=list)
    page_frames: list[PageFrame] = field(default_factory=list)

    def check(self, id: str, status: CheckStatus | str, code: str, **params: Any) -> None:
        self.checks.append(Check(id, CheckStatus(status), code, params))


class Step(Protocol):
    name: str

    def applies(self, ctx: FileContext) -> bool: ...

    def setup(self, ctx: FileContext) -> None: ...

    def run(self, ctx: FileContext, out: ReportBuilder) -> None: ...

    def cleanup(self, ctx: FileContext) -> None: ...


STEPS: Sequence[str] = (
    "verification.signatures.step:SignatureStep",
    "verification.scans.step:ScanStep",
    "verification.signatures.signer_rule:SignerRuleStep",  # after the scan step: it needs the kind
)
"""Import paths of the steps, in order. Loaded lazily so that `attest verify` imports only what it needs."""


def _load_step(spec: str) -> Step:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)()


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
    (b"PK\x03\x04", "application/zip"),
)


def sniff_media_type(data: bytes, name: str = "") -> str | None:
    """Media type from the content (never from the name alone)."""
    head = data[:1024]
    cms_der = head[:1] == b"\x30" and b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" in head[:64]
    if b"%PDF-" in head and not cms_der:  # a CMS holding a PDF is a signature, not a PDF
        return "application/pdf"
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"hevc"):
        return "image/heic"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    stripped = head.lstrip()
    if stripped.startswith(b"-----BEGIN"):
        return "application/pkcs7-signature"
    if head[:1] == b"\x30" and b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" in data[:64]:
        return "application/pkcs7-signature"
    if name.lower().endswith((".p7s", ".sig", ".cms", ".p7m")):
        return "application/pkcs7-signature"
    return None


def verify_file(path: str | Path, options: VerifyOptions | None = None, *, name: str | None = None) -> Report:
    """Verify one file on disk. Never raises for a bad file: the report says what is wrong."""
    options = options or VerifyOptions()
    p = Path(path)
    display = name or p.name
    try:
        size = p.stat().st_size
        if size > options.max_file_bytes:
            raise ResourceLimitExceeded(
                f"{size} bytes", reason=_over_mb(size, options.max_file_bytes)
            )
        data = p.read_bytes()
    except VerificationError as exc:
        return _failed_report(display, b"", exc)
    except OSError as exc:
        return _failed_report(display, b"", UnreadableFile(str(exc), reason=trilingual(
            "файл не читается с диска", "файл дискіден оқылмайды", "the file cannot be read from the disk")))
    return verify_bytes(data, display, options, path=p)


def verify_bytes(data: bytes, name: str, options: VerifyOptions | None = None, *, path: Path | None = None) -> Report:
    options = options or VerifyOptions()
    started = time.monotonic()
    sha256 = hashlib.sha256(data).hexdigest()
    if not data:
        out = ReportBuilder()
        out.check("file.readable", CheckStatus.FAIL, "file.empty")
        return _build(out, name, sha256, None, started)
    media_type = sniff_media_type(data, name)
    ctx = FileContext(path=path, name=name, data=data, sha256=sha256, media_type=media_type, options=options)
    out = ReportBuilder(kind=options.kind)
    if (media_type is None or media_type == "application/zip") and options.detached is None:
        out.check("file.readable", CheckStatus.FAIL, "file.unsupported",
                  media_type=media_type or trilingual("неизвестный тип", "белгісіз түрі", "unknown"))
        return _build(out, name, sha256, media_type, started)
    if media_type == "application/pdf":
        from verification.pdfium_lock import PDFIUM_LOCK

        with PDFIUM_LOCK:  # the steps use PDFium, which is not thread-safe
            try:
                _run_steps(ctx, out, name)
            finally:
                _close_pdfium(ctx)
    else:
        _run_steps(ctx, out, name)
    return _build(out, name, sha256, media_type, started)


def _close_pdfium(ctx: FileContext) -> None:
    """Close the shared PDFium document here, under the lock, not in another thread's garbage collection."""
    document = ctx.scratch.pop("pdfium_document", None)
    if document is not None:
        try:
            document.close()
        except Exception:  # already closed by the step that used it
            log.debug("pdfium document already closed", exc_info=True)


def _run_steps(ctx: FileContext, out: ReportBuilder, name: str) -> None:
    for spec in STEPS:
        try:
            step = _load_step(spec)
        except Exception as exc:  # a broken install must not take the report down
            log.exception("cannot load verification step %s", spec)
            out.check("internal", CheckStatus.WARN, "internal.error", reason=type(exc).__name__)
            continue
        if not step.applies(ctx):
            continue
        try:
            step.setup(ctx)
            step.run(ctx, out)
        except VerificationError as exc:
            out.check("file.readable", CheckStatus.FAIL, exc.code, **{"reason": str(exc), **exc.params})
            break
        except MemoryError:
            out.check("file.readable", CheckStatus.FAIL, "file.too_large", reason=OUT_OF_MEMORY)
            break
        except Exception as exc:
            log.exception("verification step %s failed on %s", step.name, name)
            out.check(f"{step.name}.internal", CheckStatus.WARN, "internal.error", reason=type(exc).__name__)
        finally:
            try:
                step.cleanup(ctx)
            except Exception:  # cleanup problems are logged, never reported as file problems
                log.exception("cleanup of step %s failed", getattr(step, "name", spec))


def _over_mb(size: int, limit: int) -> dict[str, str]:
    mb, most = size // (1024 * 1024), limit // (1024 * 1024)
    return trilingual(f"{mb} МБ, больше {most} МБ", f"{mb} МБ, {most} МБ-тан үлкен", f"{mb} MB, more than {most} MB")


def _failed_report(name: str, data: bytes, exc: VerificationError) -> Report:
    out = ReportBuilder()
    out.check("file.readable", CheckStatus.FAIL, exc.code, **{"reason": str(exc), **exc.params})
    return _build(out, name, hashlib.sha256(data).hexdigest() if data else "", None, time.monotonic())


def _build(out: ReportBuilder, name: str, sha256: str, media_type: str | None, started: float) -> Report:
    return Report(
        file=name,
        sha256=sha256,
        media_type=media_type,
        pages=out.pages,
        kind=out.kind,
        signatures=tuple(out.signatures),
        seals=tuple(out.seals),
        handwritten_signatures=tuple(out.handwritten_signatures),
        fields=dict(out.fields),
        checks=tuple(out.checks),
        qr_codes=tuple(out.qr_codes),
        text_source=out.text_source,
        perceptual_hashes=tuple(out.perceptual_hashes),
        duration_ms=(time.monotonic() - started) * 1000,
        page_frames=tuple(out.page_frames),
    )
