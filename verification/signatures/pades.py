"""PAdES signatures inside a PDF, validated with pyHanko: every signature field of the file.

pyHanko reports integrity, the signature value, the certificate path (with the trust store's CRLs
and the file's DSS, offline unless fetching is allowed), coverage and the difference analysis of
incremental updates; :mod:`verification.signatures.outcome` turns those facts into ETSI verdicts.
Signatures that pyHanko cannot check (GOST) go to :mod:`verification.signatures.gost`.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from verification.errors import PASSWORD_REQUIRED, EncryptedFile, UnreadableFile, trilingual
from verification.report import Coverage
from verification.signatures import gost
from verification.signatures.algorithms import UnsupportedAlgorithm, normalise_signer_info
from verification.signatures.common import algorithm_name, all_crls, failure_facts, format_reason, iso
from verification.signatures.identity import signer_from_certificate
from verification.signatures.outcome import SignatureFacts
from verification.signatures.timestamps import TimestampFacts, past_validation, timestamp_facts
from verification.signatures.trust import TrustStore, revocation_gaps

__all__ = ["PdfSignatures", "open_pdf", "validate_pades"]

log = logging.getLogger(__name__)

_COVERAGE = {"ENTIRE_FILE": Coverage.ENTIRE_FILE, "ENTIRE_REVISION": Coverage.ENTIRE_REVISION}


@dataclass(frozen=True)
class PdfSignatures:
    """A parsed PDF (pyHanko reader) and its embedded signatures, for this step and the next ones."""

    reader: Any
    signatures: tuple[Any, ...]  # pyHanko EmbeddedPdfSignature, /Sig only (document timestamps excluded)
    pages: int | None
    malformed: tuple[tuple[str, str], ...] = ()  # (field name, reason) of signatures that cannot be parsed
    timestamps: tuple[Any, ...] = ()  # document timestamps (/ETSI.RFC3161), in the order of the revisions


def open_pdf(data: bytes) -> PdfSignatures:
    """Parse ``data`` with pyHanko; bad files raise :class:`UnreadableFile` / :class:`EncryptedFile`."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
        except AssertionError as exc:  # pyHanko's parser asserts on some malformed cross-reference streams
            raise PdfError("malformed cross-reference stream") from exc
        if reader.encrypted:
            try:
                auth = reader.decrypt("")
            except Exception as exc:
                raise EncryptedFile("encrypted PDF", reason=PASSWORD_REQUIRED) from exc
            if getattr(auth, "status", None) is not None and auth.status.name == "FAILED":
                raise EncryptedFile("encrypted PDF", reason=PASSWORD_REQUIRED)
        sigs, timestamps, malformed = _embedded_signatures(reader)
        try:
            pages = int(reader.root["/Pages"]["/Count"])
        except (KeyError, TypeError, ValueError):
            pages = None
    except EncryptedFile:
        raise
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise UnreadableFile(str(exc), reason=DAMAGED_STRUCTURE) from exc
    return PdfSignatures(reader, sigs, pages, malformed, timestamps)


def is_doc_timestamp(emb: Any) -> bool:
    """A document timestamp (ISO 32000-2 § 12.8.5): /Type /DocTimeStamp, or the RFC 3161 SubFilter with
    the /Type left out or written as /Sig (some signers do)."""
    return emb.sig_object_type == "/DocTimeStamp" or emb.sig_object.get("/SubFilter") == "/ETSI.RFC3161"


def _embedded_signatures(reader: Any) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[tuple[str, str], ...]]:
    """Like pyHanko's ``collect_embedded_signatures``, but a damaged signature is recorded, not fatal;
    signatures and document timestamps apart."""
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    good, stamps, bad = [], [], []
    for fq_name, _sig_obj, sig_field in enumerate_sig_fields(reader, filled_status=True):
        try:
            emb = EmbeddedPdfSignature(reader, sig_field, fq_name)
            emb.signer_info  # noqa: B018 - parse the CMS now
            (stamps if is_doc_timestamp(emb) else good).append(emb)
        except Exception as exc:  # noqa: BLE001 - any damage in a signature field is that field's problem
            bad.append((str(fq_name), format_reason(exc)))
    good.sort(key=lambda e: e.signed_revision)
    stamps.sort(key=lambda e: e.signed_revision)
    return tuple(good), tuple(stamps), tuple(bad)


DAMAGED_STRUCTURE = trilingual("структура PDF повреждена", "PDF құрылымы зақымдалған", "the PDF structure is damaged")
"""The reader's reason for a PDF pyHanko cannot parse (its own words stay in the exception, for the log)."""


def _dss_revinfo(reader: Any) -> tuple[list[bytes], list[bytes]]:
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return [], []
    except Exception:  # a broken DSS is as good as none: revocation then comes from the trust store
        log.info("unreadable DSS ignored", exc_info=True)
        return [], []
    crls = [ref.get_object().data for ref in dss.crls]
    ocsps = [ref.get_object().data for ref in dss.ocsps]
    return crls, ocsps


def validate_pades(pdf: PdfSignatures, trust: TrustStore, *, allow_fetching: bool) -> list[SignatureFacts]:
    """Facts about every /Sig signature of the file, in the order of the file's revisions."""
    broken = [SignatureFacts("pades", field_name=name, format_error=reason) for name, reason in pdf.malformed]
    if not pdf.signatures and not pdf.timestamps:
        return broken
    dss_crls, dss_ocsps = _dss_revinfo(pdf.reader)
    return asyncio.run(_validate_all(pdf, trust, allow_fetching, dss_crls, dss_ocsps)) + broken


async def _validate_all(pdf: PdfSignatures, trust: TrustStore, allow_fetching: bool,
                        dss_crls: list[bytes], dss_ocsps: list[bytes]) -> list[SignatureFacts]:
    """Signatures first (in revision order, as the shadow check indexes them), then document timestamps.
    A document timestamp that passed is proof of existence, at its time, of every earlier revision."""
    from pyhanko.pdf_utils.misc import PdfError

    stamps: list[SignatureFacts] = []
    poe: list[tuple[int, datetime]] = []
    for ts in pdf.timestamps:
        try:
            facts, moment = await _validate_doc_timestamp(ts, trust, allow_fetching, dss_crls, dss_ocsps)
        except Exception as exc:  # a bug of ours: logged, the timestamp not evaluated
            log.exception("document timestamp %s not evaluable", _field(ts))
            facts, moment = SignatureFacts("doc_timestamp", field_name=_field(ts),
                                           internal_error=type(exc).__name__), None
        stamps.append(facts)
        if moment is not None:
            poe.append((ts.signed_revision, moment))
    out = []
    for sig in pdf.signatures:
        covered = [m for rev, m in poe if rev > sig.signed_revision]
        try:
            out.append(await _validate_one(sig, trust, allow_fetching, dss_crls, dss_ocsps,
                                           min(covered) if covered else None))
        except UnsupportedAlgorithm as exc:
            out.append(SignatureFacts("pades", signer=_signer(sig), field_name=_field(sig),
                                      unsupported_algorithm=str(exc)))
        except (PdfError, ValueError) as exc:  # the file's structure or its CMS is damaged
            log.info("signature %s damaged", _field(sig), exc_info=True)
            out.append(SignatureFacts("pades", signer=_signer(sig), field_name=_field(sig),
                                      format_error=format_reason(exc)))
        except Exception as exc:  # a bug of ours, never the file's fault: logged, INDETERMINATE
            log.exception("signature %s not evaluable", _field(sig))
            out.append(SignatureFacts("pades", signer=_signer(sig), field_name=_field(sig),
                                      internal_error=type(exc).__name__))
    return out + stamps


async def _validate_doc_timestamp(ts: Any, trust: TrustStore, allow_fetching: bool, dss_crls: list[bytes],
                                  dss_ocsps: list[bytes]) -> tuple[SignatureFacts, datetime | None]:
    """A document timestamp validated as a timestamp (RFC 3161 over its byte range, TSA chain)."""
    from pyhanko.sign._session_scope import run_and_release
    from pyhanko.sign.validation import generic_cms
    from pyhanko.sign.validation.errors import SignatureValidationError

    vc = trust.validation_context(allow_fetching=allow_fetching, extra_crls=dss_crls, extra_ocsps=dss_ocsps)
    try:
        ts.compute_integrity_info(diff_policy=diff_policy(), skip_diff=False)
        kw = await run_and_release(generic_cms.validate_tst_signed_data(ts.signed_data, vc, ts.compute_digest), vc)
    except SignatureValidationError as exc:
        return failure_facts("doc_timestamp", exc, signer=_signer(ts), field_name=_field(ts)), None
    coverage = _COVERAGE.get(ts.coverage.name if ts.coverage is not None else "", Coverage.PARTIAL)
    level = _diff_level(ts)
    indic = kw.get("trust_problem_indic")
    trust_problem = indic.name if indic is not None else None
    if trust_problem is None and kw.get("validation_path") is None:
        trust_problem = "NO_CERTIFICATE_CHAIN_FOUND"
    when = kw.get("timestamp")
    facts = SignatureFacts(
        "doc_timestamp", signer=signer_from_certificate(kw.get("signing_cert")), field_name=_field(ts),
        algorithm=algorithm_name(kw.get("md_algorithm") or "?", kw.get("pkcs7_signature_mechanism") or "?"),
        signing_time=iso(when), timestamp_time=iso(when), intact=kw.get("intact"), valid=kw.get("valid"),
        trust_problem=trust_problem, trust_configured=not trust.empty, coverage=coverage,
        modification_level=level, docmdp_ok=level != "other",
    )
    proven = facts.intact and facts.valid and trust_problem is None and coverage is not Coverage.PARTIAL
    return facts, when if proven else None


def _diff_level(sig: Any) -> str | None:
    """The modification level of what follows ``sig``'s revision (pyHanko's diff, then the annotation rule)."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

    if sig.coverage is None or sig.coverage.name == "ENTIRE_FILE":
        return "none"
    diff = sig.diff_result
    mod = diff.modification_level if isinstance(diff, DiffResult) else ModificationLevel.OTHER
    if mod == ModificationLevel.OTHER:
        mod = _annotations_only(sig) or mod
    return mod.name.lower()


def _field(sig: Any) -> str | None:
    try:
        return str(sig.field_name)
    except Exception:  # noqa: BLE001 - a name we cannot read is just unnamed
        return None


def _signer(sig: Any):  # type: ignore[no-untyped-def]
    try:
        return signer_from_certificate(sig.signer_cert)
    except Exception:  # noqa: BLE001 - identity is best effort for a broken signature
        return signer_from_certificate(None)


async def _validate_one(sig: Any, trust: TrustStore, allow_fetching: bool, dss_crls: list[bytes],
                        dss_ocsps: list[bytes], poe: datetime | None = None) -> SignatureFacts:
    """One /Sig signature; ``poe``: the earliest time a later document timestamp proves it existed."""
    from pyhanko.sign._session_scope import run_and_release
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature

    signer_info = sig.signer_info
    mechanism = signer_info["signature_algorithm"]["algorithm"].dotted
    if gost.is_gost(mechanism) or gost.is_gost(signer_info["digest_algorithm"]["algorithm"].dotted):
        return _validate_gost_pades(sig, trust)
    if sig.sig_object.get("/SubFilter") == "/adbe.pkcs7.sha1":
        return await _validate_pkcs7_sha1(sig, trust, allow_fetching)
    normalise_signer_info(signer_info)

    from pyhanko.pdf_utils.misc import PdfError

    vc = trust.validation_context(allow_fetching=allow_fetching, extra_crls=dss_crls, extra_ocsps=dss_ocsps)
    unreadable_update = False
    try:
        try:
            status = await run_and_release(async_validate_pdf_signature(sig, signer_validation_context=vc,
                                                                        diff_policy=diff_policy()), vc)
        except PdfError:  # an update after the signed revision cannot be read: no permission covers it
            log.info("updates after %s unreadable", _field(sig), exc_info=True)
            unreadable_update = True
            vc = trust.validation_context(allow_fetching=allow_fetching, extra_crls=dss_crls, extra_ocsps=dss_ocsps)
            status = await run_and_release(async_validate_pdf_signature(sig, signer_validation_context=vc,
                                                                        skip_diff=True), vc)
    except SignatureValidationError as exc:
        return failure_facts("pades", exc, signer=_signer(sig), field_name=_field(sig))

    trust_problem = status.trust_problem_indic.name if status.trust_problem_indic is not None else None
    ts = timestamp_facts(status.timestamp_validity)
    ts_time = ts.time

    async def at(moment: datetime) -> Any:  # the signer's path at the timestamp's time, the TSA's now
        past_vc = trust.validation_context(allow_fetching=allow_fetching, extra_crls=dss_crls, extra_ocsps=dss_ocsps,
                                           moment=moment,
                                           revinfo_after_moment=True)
        ts_vc = trust.validation_context(allow_fetching=allow_fetching, extra_crls=dss_crls, extra_ocsps=dss_ocsps)
        return await run_and_release(async_validate_pdf_signature(
            sig, signer_validation_context=past_vc, ts_validation_context=ts_vc, skip_diff=True), past_vc, ts_vc)

    proof = ts if ts.time is not None or poe is None else TimestampFacts(True, poe)
    past = await past_validation(trust_problem, proof, status.signing_cert, at)
    path_status = status
    if past is not None:
        trust_problem, path_status = past.trust_problem, past.status
    revocation_date = revoked_before = None
    if path_status.revocation_details is not None:
        revocation_date = path_status.revocation_details.revocation_date
        claimed = ts_time or status.signer_reported_dt
        revoked_before = claimed is None or revocation_date <= claimed
    gaps: tuple[str, ...] = ()
    if trust_problem is None and path_status.validation_path is not None and not allow_fetching:
        gaps = tuple(revocation_gaps(list(path_status.validation_path.iter_certs(include_root=False)),
                                     all_crls(trust, dss_crls), _ocsp_serials(dss_ocsps),
                                     moment=past.moment if past is not None else None))
    coverage = _COVERAGE.get(status.coverage.name if status.coverage is not None else "", Coverage.PARTIAL)
    level = _diff_level(sig) if coverage is not Coverage.PARTIAL else None
    docmdp_ok = status.docmdp_ok
    if unreadable_update and coverage is Coverage.ENTIRE_REVISION:
        level, docmdp_ok = "other", False
    if level == "annotations" and status.modification_level is not None and status.modification_level.name == "OTHER":
        docmdp = sig.docmdp_level  # annotations are permitted unless DocMDP says P=1 or P=2
        docmdp_ok = docmdp is None or docmdp.value >= 3
    return SignatureFacts(
        "pades",
        signer=signer_from_certificate(status.signing_cert),
        field_name=_field(sig),
        algorithm=algorithm_name(status.md_algorithm, status.pkcs7_signature_mechanism),
        signing_time=iso(status.signer_reported_dt),
        timestamp_time=iso(ts_time),
        timestamp_present=ts.present,
        timestamp_problem=ts.problem,
        timestamp_authority=ts.authority,
        poe_time=iso(past.moment) if past is not None else None,
        certificate_not_after=iso(past.certificate_not_after) if past is not None else None,
        intact=status.intact,
        valid=status.valid,
        trust_problem=trust_problem,
        trust_configured=not trust.empty,
        revocation_date=iso(revocation_date),
        revoked_before_signing=revoked_before if revoked_before is not None else True,
        revocation_gaps=gaps,
        coverage=coverage,
        modification_level=level,
        docmdp_ok=docmdp_ok,
    )


def _ocsp_serials(ocsps: list[bytes]) -> list[int]:
    from asn1crypto import ocsp

    serials = []
    for raw in ocsps:
        try:
            basic = ocsp.OCSPResponse.load(raw).basic_ocsp_response
            serials.extend(r["cert_id"]["serial_number"].native for r in basic["tbs_response_data"]["responses"])
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return serials


def _validate_gost_pades(sig: Any, trust: TrustStore) -> SignatureFacts:
    """A GOST PAdES signature: pyHanko gives us the byte ranges and the diff analysis, gostcrypto the math."""
    start_a, len_a, start_b, len_b = (int(x) for x in sig.byte_range)
    stream = sig.reader.stream
    stream.seek(start_a)
    first = stream.read(len_a)
    stream.seek(start_b)
    content = first + stream.read(len_b)
    facts = gost.validate_signed_data(sig.signed_data, content, trust, type_="pades")
    coverage_level = sig.evaluate_signature_coverage()
    # pyHanko's diff analysis reads the coverage that its own integrity pass would set; that pass hashes
    # the byte range with the CMS digest (Streebog), which pyHanko lacks, so set it here (an unset
    # coverage made every GOST signature followed by an incremental update a FORMAT_FAILURE)
    sig.coverage = coverage_level
    coverage = _COVERAGE.get(coverage_level.name, Coverage.PARTIAL)
    level = None
    docmdp_ok = coverage is Coverage.ENTIRE_FILE
    if coverage is Coverage.ENTIRE_REVISION:
        from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

        diff = sig.evaluate_modifications(diff_policy())
        mod = diff.modification_level if isinstance(diff, DiffResult) else ModificationLevel.OTHER
        if mod == ModificationLevel.OTHER:
            mod = _annotations_only(sig) or mod
        level = mod.name.lower()
        docmdp = sig.docmdp_level  # as pyHanko's summarise_integrity_info judges it
        docmdp_ok = not (mod == ModificationLevel.OTHER or (docmdp is not None and mod.value > docmdp.value))
    elif coverage is Coverage.ENTIRE_FILE:
        level = "none"
    from dataclasses import replace

    return replace(facts, field_name=_field(sig), coverage=coverage, modification_level=level, docmdp_ok=docmdp_ok)


# ---- the diff policy: pyHanko's default, plus producer stamps on the page tree --------------------------
def _producer_stamp_rule() -> Any:
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.diff_analysis.rules_api import QualifiedWhitelistRule, ReferenceUpdate

    class ProducerStampRule(QualifiedWhitelistRule):
        """iText writes its version (/ITXT) into the page tree's root on every incremental save: no change."""

        def apply_qualified(self, old: Any, new: Any) -> Any:
            for ref in new.explicit_refs_in_revision():
                before, after = old(ref), new(ref)
                if isinstance(before, generic.DictionaryObject) and isinstance(after, generic.DictionaryObject) \
                        and before.get("/Type") == "/Pages" and _same_except(before, after, {"/ITXT"}):
                    yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(ref, context_checked=None)

    return ProducerStampRule()


_POLICY: list[Any] = []


def diff_policy() -> Any:
    """pyHanko's DEFAULT_DIFF_POLICY with :func:`_producer_stamp_rule` (built once, on first use)."""
    if not _POLICY:
        from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, StandardDiffPolicy

        _POLICY.append(StandardDiffPolicy(global_rules=[*DEFAULT_DIFF_POLICY.global_rules, _producer_stamp_rule()],
                                          form_rule=DEFAULT_DIFF_POLICY.form_rule))
    return _POLICY[0]


# ---- permitted annotations (pyHanko's default diff policy has no rule for them) ---------------------
_ANNOTATION_SUBTYPES = frozenset({
    "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight", "/Underline",
    "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Popup",
})
"""Markup annotations (ISO 32000 § 12.5.6): comments a reader adds. Widgets (form fields), links,
multimedia and file attachments are not among them."""
_CATALOG_FREE = frozenset({"/AcroForm", "/DSS", "/Extensions", "/Metadata", "/MarkInfo", "/Version", "/Names"})
_NAMES_FREE = frozenset({"/AP"})  # the annotation-appearance name tree Acrobat adds with its comments


def _annotations_only(sig: Any) -> Any:
    """``ModificationLevel.ANNOTATIONS`` when every object changed after ``sig``'s revision is a page gaining
    markup annotations (ISO 32000 § 12.8.2.2: permitted to approval signatures and under DocMDP P=3),
    an annotation of that kind, its appearance, or catalog bookkeeping; None otherwise.

    Page content is judged as well by the shadow check, which renders both revisions without annotations."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.diff_analysis import ModificationLevel

    reader = sig.reader
    xrefs = reader.xrefs
    try:
        for rev in range(sig.signed_revision + 1, xrefs.total_revisions):
            if xrefs.refs_freed_in_revision(rev):
                return None
            prev, new = reader.get_historical_resolver(rev - 1), reader.get_historical_resolver(rev)
            for ref in xrefs.explicit_refs_in_revision(rev):
                if xrefs.get_introducing_revision(ref) == rev:
                    continue  # a new object: harmful only through what refers to it, checked below
                before, after = prev(ref), new(ref)
                if not _permitted_overwrite(ref, before, after, prev, new, generic):
                    return None
    except Exception:  # a structure we cannot follow is not shown to be harmless
        log.info("annotation analysis failed", exc_info=True)
        return None
    return ModificationLevel.ANNOTATIONS


def _permitted_overwrite(ref: Any, before: Any, after: Any, prev: Any, new: Any, generic: Any) -> bool:
    if isinstance(before, generic.StreamObject) or isinstance(after, generic.StreamObject):
        kind = after.get("/Type") if isinstance(after, generic.StreamObject) else None
        return kind in ("/Metadata", "/XRef", "/ObjStm")
    if not isinstance(before, generic.DictionaryObject) or not isinstance(after, generic.DictionaryObject):
        if isinstance(before, generic.ArrayObject) and isinstance(after, generic.ArrayObject):
            return _annots_grow(before, after)  # an indirect /Annots array
        return False
    kind = before.get("/Type")
    if ref == prev.root_ref:
        if not _same_except(before, after, _CATALOG_FREE):
            return False
        return _names_ok(_deref(before.get("/Names")), _deref(after.get("/Names")))
    if kind == "/Page":
        if not _same_except(before, after, {"/Annots"}):
            return False
        return _annots_grow(_deref(before.get("/Annots")) or generic.ArrayObject(),
                            _deref(after.get("/Annots")) or generic.ArrayObject())
    if kind == "/Annot" or "/Subtype" in before:
        return before.get("/Subtype") in _ANNOTATION_SUBTYPES and after.get("/Subtype") == before.get("/Subtype")
    if kind is None and _is_info(before) and _is_info(after):
        return True  # the document information dictionary: text only, shows nothing on a page
    if set(before.keys()) | set(after.keys()) <= _NAMES_FREE:
        return True  # the /Names dictionary itself
    if kind == "/Catalog" or "/Fields" in before:  # the AcroForm dictionary: its fields unchanged
        return before.get("/Fields") == after.get("/Fields") if "/Fields" in before else False
    return False


def _is_info(d: Any) -> bool:
    from pyhanko.pdf_utils import generic

    return bool({"/Producer", "/ModDate", "/Creator", "/Author"} & set(d.keys())) and all(
        isinstance(d.raw_get(k), (generic.TextStringObject, generic.ByteStringObject, generic.NameObject))
        for k in d)


def _deref(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _same_except(a: Any, b: Any, free: set[str] | frozenset[str]) -> bool:
    keys = (set(a.keys()) | set(b.keys())) - set(free)
    return all(a.raw_get(k) == b.raw_get(k) if k in a and k in b else False for k in keys)


def _names_ok(before: Any, after: Any) -> bool:
    if before == after:
        return True
    b = before if before is not None else {}
    a = after if after is not None else {}
    keys = (set(b.keys()) | set(a.keys())) - _NAMES_FREE
    return all(k in a and k in b and a.raw_get(k) == b.raw_get(k) for k in keys)


def _annots_grow(before: Any, after: Any) -> bool:
    """The page keeps every annotation it had and gains only markup annotations."""
    old = [x.reference if hasattr(x, "reference") else x for x in before]
    new = [x.reference if hasattr(x, "reference") else x for x in after]
    if not all(r in new for r in old):
        return False
    for x, r in zip(after, new, strict=True):
        if r in old:
            continue
        annot = _deref(x)
        if annot.get("/Subtype") not in _ANNOTATION_SUBTYPES:
            return False
    return True


# ---- /adbe.pkcs7.sha1 (PDF 1.3 – 1.7): the CMS signs the SHA-1 digest of the byte range --------------
async def _validate_pkcs7_sha1(sig: Any, trust: TrustStore, allow_fetching: bool) -> SignatureFacts:
    """The SignedData encapsulates SHA-1(byte range); pyHanko does not read this SubFilter."""
    import hashlib
    from dataclasses import replace

    from verification.signatures.cms import encapsulated_content, has_content, validate_cms

    start_a, len_a, start_b, len_b = (int(x) for x in sig.byte_range)
    stream = sig.reader.stream
    stream.seek(start_a)
    first = stream.read(len_a)
    stream.seek(start_b)
    digest = hashlib.sha1(first + stream.read(len_b)).digest()
    sd = sig.signed_data
    if not has_content(sd):
        return SignatureFacts("pades", signer=_signer(sig), field_name=_field(sig),
                              format_error="adbe.pkcs7.sha1 without the encapsulated digest")
    facts = (await asyncio.to_thread(validate_cms, sd, None, trust, allow_fetching=allow_fetching))[0]
    coverage_level = sig.evaluate_signature_coverage()
    sig.coverage = coverage_level
    coverage = _COVERAGE.get(coverage_level.name, Coverage.PARTIAL)
    level = None
    docmdp_ok = True
    if coverage is Coverage.ENTIRE_REVISION:
        from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

        diff = sig.evaluate_modifications(diff_policy())
        mod = diff.modification_level if isinstance(diff, DiffResult) else ModificationLevel.OTHER
        if mod == ModificationLevel.OTHER:
            mod = _annotations_only(sig) or mod
        level = mod.name.lower()
        docmdp_ok = mod != ModificationLevel.OTHER
    elif coverage is Coverage.ENTIRE_FILE:
        level = "none"
    intact = facts.intact if encapsulated_content(sd) == digest else False
    return replace(facts, type="pades", field_name=_field(sig), intact=intact, coverage=coverage,
                   modification_level=level, docmdp_ok=docmdp_ok)
