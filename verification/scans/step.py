"""The scan-analysis step of the verification pipeline (after the digital-signature step).

Opens the file page by page, analyses pages in parallel (one single-threaded tesseract process per
page, ``options.workers`` at a time), then adds to the report: pages, text source, seals,
handwritten signatures, fields, kind, QR codes, perceptual hashes and the checks ``scan.seal``,
``scan.handwritten_signature``, ``fields.person_name``, ``fields.date``, ``fields.number``,
``fields.issuer``, ``document.kind``, ``qr.registry`` (plus ``scan.pages_limited``,
``scan.time_budget``, ``scan.ocr_failed``, ``scan.no_text`` when they happen).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from verification import qr_payload
from verification.fields import extract_fields
from verification.kinds import KINDS, NOT_ATTESTATION, Need, titles
from verification.pipeline import FileContext, ReportBuilder
from verification.report import CheckStatus, FieldValue, Finding, Indication, QRCode, is_uncertain
from verification.scans import messages as _messages  # noqa: F401  (registers the texts)
from verification.scans.loading import IMAGE_TYPES, open_document
from verification.scans.memory import release_memory
from verification.scans.results import PageResult, PageSettings, ScriptMemory, text_layer_result

__all__ = [
    "SEAL_EXPECTED",
    "SEAL_REQUIRED",
    "SIGNATURE_EXPECTED",
    "SIGNATURE_REQUIRED",
    "ScanStep",
]

SEAL_REQUIRED = frozenset(k.id for k in KINDS if k.seal is Need.REQUIRED)
"""Kinds whose paper copy must be sealed (DOMAIN.md: «signed by the head and sealed»)."""
SEAL_EXPECTED = frozenset(k.id for k in KINDS if k.seal is Need.EXPECTED)
SIGNATURE_REQUIRED = frozenset(k.id for k in KINDS if k.signature is Need.REQUIRED)
SIGNATURE_EXPECTED = frozenset(k.id for k in KINDS if k.signature is Need.EXPECTED)
NUMBER_EXPECTED = frozenset(k.id for k in KINDS if k.number_expected)


_CV_LOCK = threading.Lock()
_CV_USERS = 0
_CV_THREADS = 0


@contextmanager
def _pages_in_parallel(workers: int) -> Iterator[None]:
    """While pages are analysed ``workers`` at a time, OpenCV runs each call in the thread that makes it, as
    tesseract (``OMP_THREAD_LIMIT=1``) and the learned detector (one ONNX thread) do: the pages are what runs in
    parallel, and OpenCV's own pool on top only adds its hand-overs. Without OCR, the 10 pages of
    ``bench/verify_scans.py`` took 2.2-2.7 s of CPU with OpenCV's pool and 2.0-2.1 s without. One worker keeps
    the pool (then it shortens the page's path to its OCR). OpenCV's setting is the process's: the first
    document in sets it, the last one out puts it back."""
    global _CV_USERS, _CV_THREADS
    if workers <= 1:
        yield
        return
    import cv2

    with _CV_LOCK:
        if _CV_USERS == 0:
            _CV_THREADS = cv2.getNumThreads()
            cv2.setNumThreads(1)
        _CV_USERS += 1
    try:
        yield
    finally:
        with _CV_LOCK:
            _CV_USERS -= 1
            if _CV_USERS == 0:
                cv2.setNumThreads(_CV_THREADS)


class ScanStep:
    name = "scan"

    def applies(self, ctx: FileContext) -> bool:
        return ctx.media_type == "application/pdf" or ctx.media_type in IMAGE_TYPES

    def setup(self, ctx: FileContext) -> None:
        return None

    def cleanup(self, ctx: FileContext) -> None:
        doc = ctx.scratch.pop("scan_document", None)
        if doc is not None:
            doc.close()
        if ctx.scratch.pop("scan_pictures", False):  # pages were decoded and read: tesseract's memory goes back
            release_memory()  # once the document is read, not after each page (each would fault it in again)

    # -- analysis -------------------------------------------------------------------------------
    def _analyse(self, ctx: FileContext, out: ReportBuilder) -> tuple[list[PageResult], int]:
        opts = ctx.options
        doc = open_document(ctx.data, ctx.media_type or "", max_pixels=opts.max_pixels, max_pages=opts.max_pages,
                            scratch=ctx.scratch)
        ctx.scratch["scan_document"] = doc
        settings = PageSettings(languages=opts.ocr_languages,
                                ocr_timeout=max(10.0, min(120.0, opts.time_budget_s / 2)), scripts=ScriptMemory())
        deadline = ctx.started + opts.time_budget_s
        results: list[PageResult] = []
        out_of_time = False
        workers = max(1, opts.workers)
        with _pages_in_parallel(workers), ThreadPoolExecutor(max_workers=workers,
                                                             thread_name_prefix="attest-scan") as pool:
            pending: deque[Future[PageResult]] = deque()
            for page in doc.pages():  # rendering stays in this thread (pdfium is not thread-safe)
                if time.monotonic() > deadline:
                    out_of_time = True
                    break
                if page.image is not None:
                    ctx.scratch["scan_pictures"] = True
                pending.append(pool.submit(_analyse_page, page, settings))
                while len(pending) >= workers * 2:
                    results.append(pending.popleft().result())
            while pending:
                results.append(pending.popleft().result())
        checked = len(results)
        if doc.total > opts.max_pages:
            out.check("scan.pages", CheckStatus.WARN, "scan.pages_limited", total=doc.total, checked=checked)
        elif out_of_time:
            out.check("scan.pages", CheckStatus.WARN, "scan.time_budget", total=doc.total, checked=checked)
        return results, doc.total

    def run(self, ctx: FileContext, out: ReportBuilder) -> None:
        pages, total = self._analyse(ctx, out)
        out.pages = total
        sources = {p.text_source for p in pages if p.text_source}
        out.text_source = "mixed" if len(sources) > 1 else (sources.pop() if sources else None)
        for p in pages:
            out.seals.extend(Finding(p.number, s.bbox, s.confidence, s.kind or None) for s in p.seals)
            out.handwritten_signatures.extend(Finding(p.number, s.bbox, s.confidence) for s in p.signatures)
            if p.phash:
                out.perceptual_hashes.append(p.phash)
            if p.frame is not None:
                out.page_frames.append(p.frame)
            if p.ocr_error:
                code = "scan.ocr_failed" if p.ocr_timed_out else "scan.ocr_engine_failed"
                out.check("scan.ocr", CheckStatus.WARN, code, page=p.number, reason=p.ocr_error[:80])
        lines = [ln for p in pages for ln in p.lines]
        opts = ctx.options
        fields = extract_fields(lines, opts.teacher)
        kind = fields.kind.kind if fields.kind else None
        unrelated = _not_attestation(fields, opts.kind)
        if unrelated is not None:
            out.kind = NOT_ATTESTATION
        elif out.kind is None and kind:
            out.kind = kind
        effective_kind = opts.kind or kind
        page_of = _page_locator(pages)
        out.fields["person_name"] = FieldValue(
            fields.person.value if fields.person else None, fields.person.confidence if fields.person else 0.0,
            matches_expected=(fields.person.matches_expected if fields.person and opts.teacher else
                              (False if opts.teacher else None)),
            page=page_of(fields.person.value) if fields.person else None)
        out.fields["date"] = FieldValue(fields.date.iso if fields.date else None, 0.9 if fields.date else 0.0,
                                        raw=fields.date.raw if fields.date else None,
                                        page=page_of(fields.date.raw) if fields.date else None)
        out.fields["number"] = FieldValue(fields.number.value if fields.number else None,
                                          0.85 if fields.number else 0.0,
                                          raw=fields.number.raw if fields.number else None,
                                          page=page_of(fields.number.raw) if fields.number else None)
        # A valid digital signature names its organisation: that is the issuer when the text does not say.
        signed_by = next((s.signer.organization for s in out.signatures
                          if s.indication is Indication.TOTAL_PASSED and s.signer.organization), None)
        issuer = fields.issuer or signed_by
        out.fields["issuer"] = FieldValue(issuer, 0.7 if fields.issuer else (0.9 if signed_by else 0.0),
                                          page=page_of(fields.issuer) if fields.issuer else None,
                                          raw=None if fields.issuer or not signed_by else "signature certificate")
        decision = fields.level_decision
        out.fields["level"] = FieldValue(decision.level if decision else None,
                                         decision.confidence if decision else 0.0,
                                         raw=(fields.level[1] or None) if fields.level else None)
        out.fields["places"] = FieldValue([p.to_dict() for p in fields.places], 0.8 if fields.places else 0.0)
        out.fields["event_form"] = FieldValue(fields.event_form[0] if fields.event_form else None,
                                              0.8 if fields.event_form else 0.0,
                                              raw=fields.event_form[1] if fields.event_form else None)
        # what the text says in short, so that matching tells a rescan from another paper on the same form
        out.fields["text_digest"] = FieldValue(fields.digest.to_value() if fields.digest else None,
                                               1.0 if fields.digest else 0.0)
        out.qr_codes.extend(self._qr(ctx, out, pages))
        image_pages = [p for p in pages if p.text_source != "text_layer" or p.seals or p.signatures]
        is_scan = ctx.media_type in IMAGE_TYPES or any(p.text_source != "text_layer" for p in pages)
        if unrelated is not None:  # one clear line instead of a list of fields such a paper lacks
            sure = unrelated.confidence >= 0.8
            out.check("document.kind", CheckStatus.FAIL if sure else CheckStatus.WARN,
                      "document.kind.not_attestation" if sure else "document.kind.not_attestation_likely",
                      words=unrelated.raw)
            return
        poor = [p.number for p in pages if p.text_source != "text_layer" and _too_poor(p)]
        self._presence_checks(ctx, out, effective_kind, is_scan or bool(image_pages), poor)
        self._field_checks(ctx, out, fields, kind, lines, issuer)
        if decision is not None:  # why this level: the teacher sees the issuer and the words it came from
            out.check("fields.level", CheckStatus.PASS, decision.code, **decision.params())

    # -- checks ---------------------------------------------------------------------------------
    def _presence_checks(self, ctx: FileContext, out: ReportBuilder, kind: str | None, is_scan: bool,
                         poor_pages: Sequence[int] = ()) -> None:
        """PASS on a confident finding; WARN (a person looks) when the only findings are uncertain or a
        page is too poor to judge; FAIL only on a confident absence where the kind requires the mark."""
        digital = any(s.indication is Indication.TOTAL_PASSED for s in out.signatures)
        for check_id, cls, found, required, expected, prefix in (
            ("scan.seal", "seal", out.seals, SEAL_REQUIRED, SEAL_EXPECTED, "scan.seal"),
            ("scan.handwritten_signature", "signature", out.handwritten_signatures, SIGNATURE_REQUIRED,
             SIGNATURE_EXPECTED, "scan.signature"),
        ):
            confident = [f for f in found if not is_uncertain(cls, f.confidence)]
            needed = kind in required or kind in expected
            if confident:
                out.check(check_id, CheckStatus.PASS, f"{prefix}.found", page=confident[0].page)
            elif digital:
                out.check(check_id, CheckStatus.SKIP, f"{prefix}.digital")
            elif not is_scan and prefix == "scan.seal" and (kind in SEAL_REQUIRED or kind in SIGNATURE_REQUIRED) \
                    and not out.signatures:
                # an electronic copy of a kind that must be sealed and signed: say how to meet the rule
                out.check(check_id, CheckStatus.WARN, "scan.seal.electronic_unsigned", kind=titles(kind))
            elif not is_scan:
                out.check(check_id, CheckStatus.SKIP, f"{prefix}.not_a_scan")
            elif found and needed:  # only uncertain findings: show the best one's region
                best = max(found, key=lambda f: f.confidence)
                out.check(check_id, CheckStatus.WARN, f"{prefix}.uncertain", page=best.page, bbox=list(best.bbox))
            elif poor_pages and needed:
                out.check(check_id, CheckStatus.WARN, f"{prefix}.poor_page", page=poor_pages[0])
            elif kind in required:
                out.check(check_id, CheckStatus.FAIL, f"{prefix}.missing_required", kind=titles(kind))
            elif kind in expected:
                out.check(check_id, CheckStatus.WARN, f"{prefix}.missing_expected", kind=titles(kind))
            else:
                out.check(check_id, CheckStatus.SKIP, f"{prefix}.not_required")

    def _field_checks(self, ctx: FileContext, out: ReportBuilder, fields: Any, kind: str | None,
                      lines: list[str], issuer: str | None) -> None:
        opts = ctx.options
        if not lines:
            out.check("scan.text", CheckStatus.WARN, "scan.no_text")
        if opts.teacher:
            person = fields.person
            if person is not None and person.matches_expected:
                out.check("fields.person_name", CheckStatus.PASS, "fields.person_name.ok", found=person.value)
            elif fields.person_differs is not None:  # which part differs: «Болатовна», not «Сериковна»
                d = fields.person_differs
                out.check("fields.person_name", CheckStatus.FAIL, f"fields.person_name.{d.differs}_differs",
                          found=person.value, expected=opts.teacher, found_part=d.found_part,
                          expected_part=d.expected_part)
            elif person is not None:
                out.check("fields.person_name", CheckStatus.FAIL, "fields.person_name.mismatch",
                          found=person.value, expected=opts.teacher)
            else:
                status = CheckStatus.FAIL if len(" ".join(lines)) > 200 else CheckStatus.WARN
                out.check("fields.person_name", status, "fields.person_name.missing", expected=opts.teacher)
        if fields.date is None:
            out.check("fields.date", CheckStatus.WARN, "fields.date.missing")
        elif opts.period and not (opts.period[0] <= fields.date.iso <= opts.period[1]):
            out.check("fields.date", CheckStatus.FAIL, "fields.date.out_of_period", date=fields.date.iso,
                      start=opts.period[0], end=opts.period[1])
        else:
            out.check("fields.date", CheckStatus.PASS, "fields.date.ok", date=fields.date.iso)
        effective = opts.kind or kind
        if fields.number is not None:
            out.check("fields.number", CheckStatus.PASS, "fields.number.ok", number=fields.number.value)
        elif effective in NUMBER_EXPECTED:
            out.check("fields.number", CheckStatus.WARN, "fields.number.missing")
        else:
            out.check("fields.number", CheckStatus.SKIP, "fields.number.not_required")
        if issuer:
            out.check("fields.issuer", CheckStatus.PASS, "fields.issuer.ok", issuer=issuer)
        else:
            out.check("fields.issuer", CheckStatus.WARN, "fields.issuer.missing")
        if opts.kind:
            detected = fields.kind
            if detected is None:
                out.check("document.kind", CheckStatus.WARN, "document.kind.unknown", expected=titles(opts.kind))
            elif detected.kind == opts.kind:
                out.check("document.kind", CheckStatus.PASS, "document.kind.ok", detected=titles(detected.kind))
            else:
                status = CheckStatus.FAIL if detected.confidence >= 0.8 else CheckStatus.WARN
                out.check("document.kind", status, "document.kind.mismatch", expected=titles(opts.kind),
                          detected=titles(detected.kind))

    def _qr(self, ctx: FileContext, out: ReportBuilder, pages: list[PageResult]) -> list[QRCode]:
        codes: list[QRCode] = []
        seen: set[str] = set()
        born_digital = ctx.media_type == "application/pdf" and all(p.text_source == "text_layer" for p in pages)
        for p in pages:
            for c in p.codes:
                if c.content in seen:
                    continue
                seen.add(c.content)
                parsed = qr_payload.parse_payload(c.content)
                if parsed is None:
                    codes.append(QRCode(p.number, c.content, c.bbox))
                    continue
                doc_id = parsed[0]
                lookup = ctx.options.registry_lookup
                if lookup is None:
                    codes.append(QRCode(p.number, c.content, c.bbox, None, doc_id))
                    out.check("qr.registry", CheckStatus.WARN, "qr.registry.unavailable")
                    continue
                try:
                    record = lookup(doc_id)
                except Exception:  # noqa: BLE001 - the registry being down must not fail the file
                    codes.append(QRCode(p.number, c.content, c.bbox, None, doc_id))
                    out.check("qr.registry", CheckStatus.WARN, "qr.registry.unavailable")
                    continue
                # A picture (scan, photo, scanned PDF) of an issued paper never has the file's SHA-256:
                # that is not tampering, its record is shown to compare with. Only a born-digital file
                # that differs from every issued one is altered, or a QR whose id or content hash the
                # registry does not know (a QR decodes exactly or not at all).
                if record is None:
                    status, check = "unknown_id", CheckStatus.FAIL
                elif ctx.sha256 in record.file_sha256s:
                    status, check = "issued_unchanged", CheckStatus.PASS
                elif parsed[1] and record.content_sha256 and parsed[1].lower() != record.content_sha256.lower():
                    status, check = "qr_mismatch", CheckStatus.FAIL
                elif born_digital:
                    status, check = "issued_altered", CheckStatus.FAIL
                else:
                    status, check = "issued_here", CheckStatus.PASS
                codes.append(QRCode(p.number, c.content, c.bbox, status, doc_id))
                out.check("qr.registry", check, f"qr.registry.{status}",
                          registration_number=record.registration_number if record else None)
        return codes


def _not_attestation(fields: Any, declared: str | None) -> Any:
    """The kind match when the paper is clearly no attestation evidence: found in its title lines, or
    found further down in a file declared as nothing in particular."""
    match = fields.kind
    if match is None or match.kind != NOT_ATTESTATION:
        return None
    if match.confidence < 0.8 and declared not in (None, "other"):
        return None
    return match


def _analyse_page(page: Any, settings: PageSettings) -> PageResult:
    """Text-only pages need no image work: OpenCV and NumPy are imported only for pages with pictures."""
    plain = text_layer_result(page)
    if plain is not None:
        return plain
    from verification.scans.page import analyse_page

    return analyse_page(page, settings)


POOR_OCR_CONFIDENCE = 45.0
"""A scanned page whose words OCR reads below this mean confidence (or that OCR could not read) is too
poor to call a seal or a signature absent with confidence."""


def _too_poor(p: PageResult) -> bool:
    return p.ocr_error is not None or (p.ocr_confidence is not None and p.ocr_confidence < POOR_OCR_CONFIDENCE)


def _page_locator(pages: list[PageResult]):  # type: ignore[no-untyped-def]
    def find(raw: str | None) -> int | None:
        if not raw:
            return None
        for p in pages:
            if any(raw[:12] in ln for ln in p.lines):
                return p.number
        return pages[0].number if pages else None

    return find
