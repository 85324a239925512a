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

from verification.errors import EncryptedFile, UnreadableFile
from verification.report import Coverage
from verification.signatures import gost
from verification.signatures.common import algorithm_name, all_crls, iso
from verification.signatures.identity import signer_from_certificate
from verification.signatures.outcome import SignatureFacts
from verification.signatures.timestamps import past_validation, timestamp_facts
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


def open_pdf(data: bytes) -> PdfSignatures:
    """Parse ``data`` with pyHanko; bad files raise :class:`UnreadableFile` / :class:`EncryptedFile`."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            try:
                auth = reader.decrypt("")
            except Exception as exc:
                raise EncryptedFile("encrypted PDF", reason="encrypted") from exc
            if getattr(auth, "status", None) is not None and auth.status.name == "FAILED":
                raise EncryptedFile("encrypted PDF", reason="a password is required")
        sigs, malformed = _embedded_signatures(reader)
        try:
            pages = int(reader.root["/Pages"]["/Count"])
        except (KeyError, TypeError, ValueError):
            pages = None
    except EncryptedFile:
        raise
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise UnreadableFile(str(exc), reason=_plain(exc)) from exc
    return PdfSignatures(reader, sigs, pages, malformed)


def _embedded_signatures(reader: Any) -> tuple[tuple[Any, ...], tuple[tuple[str, str], ...]]:
    """Like pyHanko's ``collect_embedded_signatures``, but a damaged signature is recorded, not fatal."""
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    good, bad = [], []
    for fq_name, _sig_obj, sig_field in enumerate_sig_fields(reader, filled_status=True):
        try:
            emb = EmbeddedPdfSignature(reader, sig_field, fq_name)
            if emb.sig_object_type != "/Sig":
                continue  # document timestamps: LTV data, not a signer
            emb.signer_info  # noqa: B018 - parse the CMS now
            good.append(emb)
        except Exception as exc:  # noqa: BLE001 - any damage in a signature field is that field's problem
            bad.append((str(fq_name), _format_reason(exc)))
    good.sort(key=lambda e: e.signed_revision)
    return tuple(good), tuple(bad)


def _plain(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"the PDF structure is damaged ({text[:120]})"


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
    if not pdf.signatures:
        return broken
    dss_crls, dss_ocsps = _dss_revinfo(pdf.reader)
    return asyncio.run(_validate_all(pdf, trust, allow_fetching, dss_crls, dss_ocsps)) + broken


async def _validate_all(pdf: PdfSignatures, trust: TrustStore, allow_fetching: bool,
                        dss_crls: list[bytes], dss_ocsps: list[bytes]) -> list[SignatureFacts]:
    out = []
    for sig in pdf.signatures:
        try:
            out.append(await _validate_one(sig, trust, allow_fetching, dss_crls, dss_ocsps))
        except Exception as exc:  # one unreadable signature must not hide the others
            log.info("signature %s not evaluable", getattr(sig, "field_name", "?"), exc_info=True)
            out.append(SignatureFacts("pades", signer=_signer(sig), field_name=_field(sig),
                                      format_error=_format_reason(exc)))
    return out


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


def _format_reason(exc: BaseException) -> str:
    name = type(exc).__name__
    msg = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{name}: {msg}" if msg else name


async def _validate_one(sig: Any, trust: TrustStore, allow_fetching: bool, dss_crls: list[bytes],
                        dss_ocsps: list[bytes]) -> SignatureFacts:
    from pyhanko.sign._session_scope import run_and_release
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature

    signer_info = sig.signer_info
    mechanism = signer_info["signature_algorithm"]["algorithm"].dotted
    if gost.is_gost(mechanism) or gost.is_gost(signer_info["digest_algorithm"]["algorithm"].dotted):
        return _validate_gost_pades(sig, trust)

    vc = trust.validation_context(allow_fetching=allow_fetching, extra_crls=dss_crls, extra_ocsps=dss_ocsps)
    try:
        status = await run_and_release(async_validate_pdf_signature(sig, signer_validation_context=vc), vc)
    except SignatureValidationError as exc:
        return SignatureFacts("pades", signer=_signer(sig), field_name=_field(sig), format_error=_format_reason(exc))

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

    past = await past_validation(trust_problem, ts, status.signing_cert, at)
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
    level = status.modification_level
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
        modification_level=level.name.lower() if level is not None else None,
        docmdp_ok=status.docmdp_ok,
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
        from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult, ModificationLevel

        diff = sig.evaluate_modifications(DEFAULT_DIFF_POLICY)
        mod = diff.modification_level if isinstance(diff, DiffResult) else ModificationLevel.OTHER
        level = mod.name.lower()
        docmdp = sig.docmdp_level  # as pyHanko's summarise_integrity_info judges it
        docmdp_ok = not (mod == ModificationLevel.OTHER or (docmdp is not None and mod.value > docmdp.value))
    elif coverage is Coverage.ENTIRE_FILE:
        level = "none"
    from dataclasses import replace

    return replace(facts, field_name=_field(sig), coverage=coverage, modification_level=level, docmdp_ok=docmdp_ok)
