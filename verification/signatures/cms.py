"""Detached and attached CMS signatures (``.p7s``, ``.sig``, ``.cms``, ``.p7m``): DER, PEM or base64 text.

RSA/ECDSA go through pyHanko's generic CMS validation; GOST through
:mod:`verification.signatures.gost`. A detached signature over a different document is HASH_FAILURE.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import re
from datetime import datetime
from typing import Any

from asn1crypto import cms, core, pem

from verification.errors import UnreadableFile, trilingual
from verification.signatures import gost
from verification.signatures.algorithms import UnsupportedAlgorithm, normalise_signer_info
from verification.signatures.common import algorithm_name, all_crls, failure_facts, iso
from verification.signatures.identity import signer_from_certificate
from verification.signatures.outcome import SignatureFacts
from verification.signatures.timestamps import past_validation, timestamp_facts
from verification.signatures.trust import TrustStore, revocation_gaps

__all__ = ["encapsulated_content", "has_content", "load_signed_data", "single_signer", "validate_cms"]

log = logging.getLogger(__name__)

_B64 = re.compile(rb"^[A-Za-z0-9+/=\s]+$")
_MAX_SIGNATURE = 16 * 1024 * 1024


_NOT_CMS = trilingual("это не подпись CMS/PKCS#7", "бұл CMS/PKCS#7 қолтаңбасы емес", "not a CMS/PKCS#7 signature")


def _der(data: bytes) -> bytes:
    if data[:1] == b"\x30":
        return data  # DER: never strip, the last bytes may look like whitespace
    stripped = data.strip()
    if stripped.startswith(b"-----BEGIN"):
        try:
            return pem.unarmor(stripped)[2]
        except ValueError as exc:
            raise UnreadableFile("bad PEM", code="signature.unreadable", reason=trilingual(
                "повреждена PEM-обёртка подписи", "қолтаңбаның PEM қабығы зақымдалған", "damaged PEM armour")) from exc
    if _B64.match(stripped[:4096]):
        try:
            return base64.b64decode(re.sub(rb"\s+", b"", stripped), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnreadableFile("bad base64", code="signature.unreadable", reason=trilingual(
                "повреждён текст base64", "base64 мәтіні зақымдалған", "damaged base64 text")) from exc
    raise UnreadableFile("not a CMS signature", code="signature.unreadable", reason=_NOT_CMS)


def load_signed_data(data: bytes) -> cms.SignedData:
    """The SignedData of a CMS file in DER, PEM or base64 text; :class:`UnreadableFile` otherwise."""
    if len(data) > _MAX_SIGNATURE:
        raise UnreadableFile("signature too large", code="signature.unreadable", reason=trilingual(
            "больше 16 МБ", "16 МБ-тан үлкен", "larger than 16 MB"))
    der = _der(data)
    try:
        ci = cms.ContentInfo.load(der, strict=False)
        if ci["content_type"].native != "signed_data":
            raise ValueError(f"content type {ci['content_type'].native}")
        sd = ci["content"]
        if len(sd["signer_infos"]) == 0:
            raise ValueError("no signer")
        sd["signer_infos"][0]["signature_algorithm"]["algorithm"].dotted  # noqa: B018 - parse now
        sd["encap_content_info"]["content"]  # parsed lazily otherwise (a damaged one raised later)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise UnreadableFile(str(exc), code="signature.unreadable",
                             reason=trilingual(
                                 "это не подпись CMS/PKCS#7, или она повреждена",
                                 "бұл CMS/PKCS#7 қолтаңбасы емес немесе ол зақымдалған",
                                 "not a CMS/PKCS#7 signature or a damaged one")) from exc
    return sd


def has_content(sd: cms.SignedData) -> bool:
    return not isinstance(sd["encap_content_info"]["content"], core.Void)


def encapsulated_content(sd: cms.SignedData) -> bytes:
    """The bytes of the document an attached signature holds (BER chunks joined)."""
    value = sd["encap_content_info"]["content"]
    native = value.native if isinstance(value, core.OctetString) else None
    return bytes(native) if isinstance(native, bytes) else bytes(value.contents or b"")


def single_signer(sd: cms.SignedData, si: cms.SignerInfo) -> cms.SignedData:
    """A detached copy of ``sd`` with only ``si``: pyHanko validates exactly one SignerInfo."""
    fields: dict[str, Any] = {
        "version": sd["version"],
        "digest_algorithms": sd["digest_algorithms"],
        "encap_content_info": {"content_type": sd["encap_content_info"]["content_type"]},
        "signer_infos": [si.copy()],
    }
    for name in ("certificates", "crls"):
        if not isinstance(sd[name], core.Void):
            fields[name] = sd[name]
    return cms.SignedData(fields)


def validate_cms(sd: cms.SignedData, content: bytes | None, trust: TrustStore, *,
                 allow_fetching: bool) -> list[SignatureFacts]:
    """Facts about every signer of ``sd`` (one per SignerInfo): detached over ``content``, or attached
    when it is None. A signer whose algorithm cannot be evaluated does not hide the others' verdicts."""
    type_ = "cms_attached" if content is None else "cms_detached"
    if content is not None and has_content(sd):
        content = None  # an attached signature given as --detached: check the document it holds
        type_ = "cms_attached"
    if content is None:
        if not has_content(sd):
            return [SignatureFacts(type_, format_error="the signature holds no document")]
        content = encapsulated_content(sd)
    out = []
    for si in sd["signer_infos"]:
        try:
            out.append(_validate_signer(sd, si, content, trust, allow_fetching, type_))
        except UnreadableFile:
            raise
        except Exception as exc:  # a bug of ours, never the file's fault: logged, INDETERMINATE
            log.exception("CMS signer not evaluable")
            out.append(SignatureFacts(type_, signer=_signer_of(sd, si), internal_error=type(exc).__name__))
    return out


def _signer_of(sd: cms.SignedData, si: cms.SignerInfo):  # type: ignore[no-untyped-def]
    try:
        return signer_from_certificate(gost.signer_certificate(sd, si))
    except Exception:  # noqa: BLE001 - identity is best effort here
        return signer_from_certificate(None)


def _validate_signer(sd: cms.SignedData, si: cms.SignerInfo, content: bytes, trust: TrustStore,
                     allow_fetching: bool, type_: str) -> SignatureFacts:
    sig_oid = si["signature_algorithm"]["algorithm"].dotted
    if gost.is_gost(sig_oid) or gost.is_gost(si["digest_algorithm"]["algorithm"].dotted):
        return gost.validate_signer(sd, si, content, trust, type_=type_)
    one = single_signer(sd, si)
    normalise_signer_info(one["signer_infos"][0])
    try:
        return asyncio.run(_validate(one, content, trust, allow_fetching, type_))
    except UnsupportedAlgorithm as exc:
        return SignatureFacts(type_, signer=_signer_of(sd, si), unsupported_algorithm=str(exc))


async def _validate(sd: cms.SignedData, content: bytes, trust: TrustStore, allow_fetching: bool,
                    type_: str) -> SignatureFacts:
    from pyhanko.sign._session_scope import run_and_release
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    vc = trust.validation_context(allow_fetching=allow_fetching)
    try:
        status = await run_and_release(async_validate_detached_cms(content, sd, signer_validation_context=vc), vc)
    except SignatureValidationError as exc:
        return failure_facts(type_, exc, signer=_signer_of(sd, sd["signer_infos"][0]))
    trust_problem = status.trust_problem_indic.name if status.trust_problem_indic is not None else None
    ts = timestamp_facts(status.timestamp_validity)
    ts_time = ts.time

    async def at(moment: datetime) -> Any:  # the signer's path at the timestamp's time, the TSA's now
        past_vc = trust.validation_context(allow_fetching=allow_fetching, moment=moment,
                                           revinfo_after_moment=True)
        ts_vc = trust.validation_context(allow_fetching=allow_fetching)
        return await run_and_release(async_validate_detached_cms(
            content, sd, signer_validation_context=past_vc, ts_validation_context=ts_vc), past_vc, ts_vc)

    past = await past_validation(trust_problem, ts, status.signing_cert, at)
    path_status = status
    if past is not None:
        trust_problem, path_status = past.trust_problem, past.status
    revocation_date = None
    revoked_before = True
    if path_status.revocation_details is not None:
        revocation_date = path_status.revocation_details.revocation_date
        claimed = ts_time or status.signer_reported_dt
        revoked_before = claimed is None or revocation_date <= claimed
    gaps: tuple[str, ...] = ()
    if trust_problem is None and path_status.validation_path is not None and not allow_fetching:
        gaps = tuple(revocation_gaps(list(path_status.validation_path.iter_certs(include_root=False)),
                                     all_crls(trust, []), moment=past.moment if past is not None else None))
    return SignatureFacts(
        type_,
        signer=signer_from_certificate(status.signing_cert),
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
        revoked_before_signing=revoked_before,
        revocation_gaps=gaps,
    )
