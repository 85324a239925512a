"""The first verification step: electronic signatures of the file (PAdES, detached or attached CMS, GOST).

Cheap checks first: a PDF without ``/ByteRange`` has no signature and pyHanko is never imported for
it (the file is still opened with pypdfium2, which also rejects damaged and password-protected PDFs,
and the open document is shared with later steps through ``ctx.scratch["pdfium_document"]``).
"""

from __future__ import annotations

import logging
from typing import Any

from verification.errors import (
    PASSWORD_REQUIRED,
    EncryptedFile,
    ResourceLimitExceeded,
    UnreadableFile,
    trilingual,
)
from verification.pdf_guard import inspect_pdf
from verification.pipeline import FileContext, ReportBuilder
from verification.report import CheckStatus, Coverage
from verification.signatures import messages as _messages  # noqa: F401 - registers the texts
from verification.signatures.outcome import SignatureFacts
from verification.signatures.trust import TrustStore, load_trust_store

__all__ = ["SignatureStep"]

log = logging.getLogger(__name__)

for _name in ("pyhanko", "pyhanko_certvalidator"):  # their warnings carry tracebacks; our report says it plainly
    logging.getLogger(_name).addHandler(logging.NullHandler())

_CMS = "application/pkcs7-signature"


class SignatureStep:
    name = "signatures"

    def applies(self, ctx: FileContext) -> bool:
        return ctx.media_type in ("application/pdf", _CMS) or ctx.options.detached is not None

    def setup(self, ctx: FileContext) -> None:
        return None

    def run(self, ctx: FileContext, out: ReportBuilder) -> None:
        trust = load_trust_store(ctx.options.trust)
        facts: list[SignatureFacts] = []
        if ctx.options.detached is not None:  # first: the signature holds even when the content is no PDF
            facts.extend(self._detached(ctx, trust))
            _content_check(ctx, out)
        try:
            if ctx.media_type == "application/pdf":
                facts.extend(self._pdf(ctx, out, trust))
            elif ctx.media_type == _CMS and ctx.options.detached is None:
                facts.extend(self._attached(ctx, out, trust))
        except Exception:
            if facts:  # a detached signature verified before its content proved unreadable: still reported
                _report(facts, out)
            raise
        _report(facts, out)

    def cleanup(self, ctx: FileContext) -> None:
        return None  # the shared pdfium document is closed by whoever closes the context's scratch

    # ---- PDF -------------------------------------------------------------------------------------
    def _pdf(self, ctx: FileContext, out: ReportBuilder, trust: TrustStore) -> list[SignatureFacts]:
        data = ctx.data
        structure = inspect_pdf(data)  # before pdfium: refuses stream bombs that would abort the process
        document = _open_pdfium(data)
        if not structure.xref_intact:
            out.check("file.structure", CheckStatus.WARN, "file.damaged")
        if structure.active_content:
            out.check("file.active_content", CheckStatus.WARN, "file.active_content",
                      actions=", ".join(structure.active_content))
        if structure.trailing_bytes:
            out.check("file.trailing_data", CheckStatus.WARN, "file.trailing_data", size=structure.trailing_bytes)
        ctx.scratch["pdfium_document"] = document
        pages = len(document)
        if out.pages is None:
            out.pages = pages
        if pages > ctx.options.max_document_pages:
            limit = ctx.options.max_document_pages
            raise ResourceLimitExceeded(f"{pages} pages", reason=trilingual(
                f"{pages} стр., больше {limit}", f"{pages} бет, {limit}-ден көп", f"{pages} pages, more than {limit}"))
        if b"/ByteRange" not in data:
            return []
        from verification.signatures.pades import open_pdf, validate_pades

        pdf = open_pdf(data)
        ctx.scratch["pyhanko_reader"] = pdf.reader
        facts = validate_pades(pdf, trust, allow_fetching=ctx.options.allow_fetching)
        return _with_shadow_checks(data, pdf, facts, ctx.options.max_pages, document)

    # ---- CMS -------------------------------------------------------------------------------------
    def _attached(self, ctx: FileContext, out: ReportBuilder, trust: TrustStore) -> list[SignatureFacts]:
        from verification.signatures.cms import has_content, load_signed_data, validate_cms

        sd = load_signed_data(ctx.data)
        if not has_content(sd):
            out.check("signature.present", CheckStatus.FAIL, "signature.detached_without_document")
            return []
        return validate_cms(sd, None, trust, allow_fetching=ctx.options.allow_fetching)

    def _detached(self, ctx: FileContext, trust: TrustStore) -> list[SignatureFacts]:
        from verification.signatures.cms import load_signed_data, validate_cms

        path = ctx.options.detached
        assert path is not None
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(str(exc), code="signature.unreadable", reason=trilingual(
                "файл подписи не открывается", "қолтаңба файлы ашылмайды", "the signature file cannot be opened")) from exc
        sd = load_signed_data(raw)
        return validate_cms(sd, ctx.data, trust, allow_fetching=ctx.options.allow_fetching)


def _report(facts: list[SignatureFacts], out: ReportBuilder) -> None:
    if not facts:
        if not any(c.id == "signature.present" for c in out.checks):
            out.check("signature.present", CheckStatus.SKIP, "signature.absent")
        return
    signatures = [f for f in facts if f.type != "doc_timestamp"]
    out.check("signature.present", CheckStatus.PASS, "signature.present", count=len(signatures))
    for f in facts:
        out.signatures.append(f.result())
        for check_id, status, code, params in f.checks():
            out.check(check_id, status, code, **params)


_ZIP_KINDS = ((b"word/", "DOCX"), (b"xl/", "XLSX"), (b"ppt/", "PPTX"), (b"mimetypeapplication/vnd.oasis", "ODF"))


def content_kind(data: bytes, media_type: str | None) -> str:
    """What a detached signature's content is, in a word (DOCX, XLSX, PDF, text, …)."""
    if media_type == "application/pdf":
        return "PDF"
    if media_type and media_type.startswith("image/"):
        return media_type.split("/", 1)[1].upper()
    if media_type == "application/zip":
        head = data[:4096]
        return next((kind for marker, kind in _ZIP_KINDS if marker in head), "ZIP")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "DOC/XLS"
    try:
        data[:65536].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "binary"


def _content_check(ctx: FileContext, out: ReportBuilder) -> None:
    """Detached content the scan step cannot picture: name its kind and hash (the signature still counts)."""
    if ctx.media_type == "application/pdf" or (ctx.media_type or "").startswith("image/"):
        return
    out.check("signature.content", CheckStatus.WARN, "signature.content", name=ctx.name,
              kind=content_kind(ctx.data, ctx.media_type), sha256=ctx.sha256 or "?")


def _open_pdfium(data: bytes) -> Any:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise EncryptedFile("encrypted PDF", reason=PASSWORD_REQUIRED) from exc
        raise UnreadableFile(str(exc), reason=_pdfium_reason(text)) from exc


def _pdfium_reason(text: str) -> dict[str, str]:
    if "format" in text:
        return trilingual("PDF повреждён или загружен не полностью (возможно, загрузка прервалась)",
                          "PDF зақымдалған немесе толық жүктелмеген (жүктеу үзілген болуы мүмкін)",
                          "the PDF is damaged or incomplete, perhaps the download was interrupted")
    if "security" in text:
        return trilingual("PDF защищён неподдерживаемым способом", "PDF қолдау көрсетілмейтін тәсілмен қорғалған",
                          "the PDF uses an unsupported protection scheme")
    return trilingual("PDF не открывается", "PDF ашылмайды", "the PDF cannot be opened")


def _with_shadow_checks(data: bytes, pdf: Any, facts: list[SignatureFacts], max_pages: int,
                        final_doc: Any) -> list[SignatureFacts]:
    """Render and compare only for signatures followed by incremental updates (the plain case stays fast)."""
    from dataclasses import replace

    todo = [i for i, f in enumerate(facts[: len(pdf.signatures)])
            if f.coverage is Coverage.ENTIRE_REVISION and f.intact and f.valid]
    if not todo:
        return facts
    from verification.signatures.shadow import Renderer, differing_pages

    final = Renderer(final_doc, max_pages=max_pages)
    out = list(facts)
    for i in todo:
        sig = pdf.signatures[i]
        try:
            _a, _la, b, lb = (int(x) for x in sig.byte_range)
            signed = Renderer.from_bytes(data[: b + lb], max_pages=max_pages)
        except Exception:
            log.info("signed revision of %s cannot be rendered", facts[i].field_name, exc_info=True)
            continue
        try:
            out[i] = replace(facts[i], shadow_checked=True, shadow_pages=differing_pages(signed, final))
        finally:
            signed.close()
    return out
