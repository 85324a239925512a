"""Interrupted signing: the signer's own key signs outside the server (NCALayer, CryptoPro, a desktop tool).

:func:`prepare` adds a signature field to the PDF and reserves its ``/Contents`` (pyHanko's interrupted
signing, ``PdfSigner.async_digest_doc_for_signing``); the bytes a detached CMS must cover are the
prepared file without that reserved region (``/ByteRange``), :attr:`PreparedSignature.tbs`. The CMS
comes back from the signer; :func:`finish` checks it with the verification library (it covers exactly
these bytes, the signature value verifies, the certificate is not revoked or expired, and, when asked,
the chain ends in a trusted root) and embeds it (``PdfTBSDocument.finish_signing``). A CMS that does
not fit is refused with :class:`SignatureRefused` and nothing is written.

    prepared = prepare(pdf, signer_label="ЖУМАБАЕВА А. (ИИН ********0123)")
    # … prepared.tbs goes to the signer, a detached CMS (DER, PEM or base64) comes back …
    signed = finish(prepared, cms_bytes, trust=(Path("trust"),), require_trusted=True)
    signed.pdf, signed.signer.iin
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.errors import BadInput, SigningError

__all__ = ["FinishedSignature", "PreparedSignature", "SignatureRefused", "check_detached", "finish", "prepare"]

RESERVED = 32768
"""Bytes kept for the CMS: a GOST or RSA signature with a three-certificate chain fits with room to spare."""

STATE_VERSION = 1


class SignatureRefused(BadInput):
    """A CMS that cannot be embedded: ``reason`` says why, as a stable code the pages translate.

    not_cms · attached · other_bytes · bad_value · revoked · expired · untrusted · not_valid · too_large ·
    wrong_signer (the signer rule, :mod:`verification.signatures.signer_rule`)
    """

    code = "signature_refused"

    def __init__(self, reason: str, message: str, *, details: Any = None) -> None:
        super().__init__(message, details=details)
        self.reason = reason


@dataclass(frozen=True)
class PreparedSignature:
    """A PDF with a reserved signature field, and where its reserved ``/Contents`` lies."""

    pdf: bytes
    field_name: str
    reserved_start: int
    reserved_end: int

    @property
    def tbs(self) -> bytes:
        """The exact bytes a detached CMS must cover (the PDF without the reserved region)."""
        return self.pdf[: self.reserved_start] + self.pdf[self.reserved_end:]

    @property
    def tbs_sha256(self) -> str:
        return hashlib.sha256(self.tbs).hexdigest()

    def state(self) -> dict[str, Any]:
        """What :meth:`from_state` needs besides the prepared PDF itself (``state.json``)."""
        return {"version": STATE_VERSION, "field_name": self.field_name, "reserved_start": self.reserved_start,
                "reserved_end": self.reserved_end, "tbs_sha256": self.tbs_sha256,
                "tbs_sha256_base64": base64.b64encode(hashlib.sha256(self.tbs).digest()).decode(),
                "prepared_sha256": hashlib.sha256(self.pdf).hexdigest(), "tbs_size": len(self.tbs)}

    @classmethod
    def from_state(cls, pdf: bytes, state: dict[str, Any]) -> PreparedSignature:
        """The prepared signature again; :class:`BadInput` when ``pdf`` is not the file ``state`` describes."""
        try:
            prepared = cls(pdf, str(state["field_name"]), int(state["reserved_start"]), int(state["reserved_end"]))
            expected = str(state["prepared_sha256"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput(f"the signing state is incomplete or damaged ({exc})") from exc
        if hashlib.sha256(pdf).hexdigest() != expected:
            raise BadInput("the prepared PDF was changed after it was prepared; prepare it again")
        if not (0 < prepared.reserved_start < prepared.reserved_end <= len(pdf)):
            raise BadInput("the signing state does not fit the prepared PDF; prepare it again")
        return prepared


@dataclass(frozen=True)
class FinishedSignature:
    """The signed PDF and what the verification library found about the embedded signature."""

    pdf: bytes
    signer: Any  # verification.report.Signer
    algorithm: str | None
    indication: str
    sub_indication: str | None
    signing_time: str | None = None  # ISO 8601, claimed by the signer (signed attribute), when present


def prepare(pdf: bytes, *, field_name: str | None = None, signer_label: str | None = None,
            reason: str | None = None, visible: bool = True, reserved: int = RESERVED) -> PreparedSignature:
    """``pdf`` with a new signature field whose ``/Contents`` waits for an external CMS.

    The visible box is drawn now, before anyone has signed: ``signer_label`` is the name it shows (the
    person expected to sign); without it the box says only that the document is signed and when.
    ``field_name`` None: the first free ``SignatureN`` (a document signed before keeps its signatures).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers

    from service.signing import VISIBLE_BOX, _stamp_style

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        last_page = int(reader.root["/Pages"]["/Count"]) - 1
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:
        raise BadInput(f"not a readable PDF: {exc}") from exc
    taken = {str(name) for name, _v, _f in fields.enumerate_sig_fields(reader)}
    if field_name is None:
        field_name = next(f"Signature{n}" for n in range(1, 1000) if f"Signature{n}" not in taken)
    try:
        box = _stacked_box(VISIBLE_BOX, len(taken)) if visible else None
        fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=field_name, on_page=last_page, box=box))
        meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason, use_pades_lta=False)
        # the key is not here: pyHanko needs a signer object only to lay out the field
        placeholder = signers.ExternalSigner(signing_cert=None, cert_registry=None, signature_value=bytes(256))
        pdf_signer = signers.PdfSigner(meta, signer=placeholder, stamp_style=_stamp_style() if visible else None)
        params = {"signer": signer_label or "—"}
        prepared, _tbs, output = asyncio.run(pdf_signer.async_digest_doc_for_signing(
            writer, bytes_reserved=reserved, appearance_text_params=params))
    except Exception as exc:
        raise SigningError(f"preparing the signature failed: {type(exc).__name__}: {exc}") from exc
    return PreparedSignature(output.getvalue(), field_name, prepared.reserved_region_start,
                             prepared.reserved_region_end)


def _stacked_box(box: tuple[int, int, int, int], below: int) -> tuple[int, int, int, int]:
    """The visible box above the ``below`` signature boxes already there (each signer's box stays legible)."""
    left, bottom, right, top = box
    step = (top - bottom) + 8
    return (left, bottom + below * step, right, top + below * step)


def finish(prepared: PreparedSignature, cms_data: bytes, *, trust: tuple[Path, ...] = (),
           require_trusted: bool = False) -> FinishedSignature:
    """The prepared PDF with ``cms_data`` (a detached CMS over :attr:`PreparedSignature.tbs`, DER, PEM
    or base64) embedded; :class:`SignatureRefused` when it does not cover these bytes, does not verify,
    is from a revoked or expired certificate or (``require_trusted``) from an unknown chain."""
    der, checked = check_detached(prepared.tbs, cms_data, trust=trust, require_trusted=require_trusted)
    if 2 * len(der) > prepared.reserved_end - prepared.reserved_start - 2:
        raise SignatureRefused("too_large", f"the signature ({len(der)} bytes) does not fit the reserved space")
    return FinishedSignature(_embed(prepared, der), checked.signer, checked.algorithm, checked.indication,
                             checked.sub_indication)


def check_detached(content: bytes, cms_data: bytes, *, trust: tuple[Path, ...] = (),
                   require_trusted: bool = False) -> tuple[bytes, FinishedSignature]:
    """The DER of ``cms_data`` and what was found about it, when it is one detached signature over exactly
    ``content`` that verifies (see :func:`finish`); :class:`SignatureRefused` otherwise. The result's
    ``pdf`` is empty (nothing embedded): for signatures kept beside their content (a dossier's manifest)."""
    from asn1crypto import cms as asn1_cms

    from verification.errors import UnreadableFile
    from verification.signatures.cms import has_content, load_signed_data, validate_cms
    from verification.signatures.trust import load_trust_store

    try:
        sd = load_signed_data(cms_data)
    except UnreadableFile as exc:
        why = exc.params.get("reason")
        why = why.get("en") if isinstance(why, dict) else why  # the API's message is English; pages go by the code
        raise SignatureRefused("not_cms", f"not a CMS/PKCS#7 signature: {why or exc}") from exc
    if has_content(sd):
        raise SignatureRefused("attached", "the signature holds the document itself; a detached signature is needed")
    if len(sd["signer_infos"]) != 1:
        raise SignatureRefused("not_valid", "the signature must have exactly one signer")
    facts = validate_cms(sd, content, load_trust_store(trust), allow_fetching=False)[0]
    indication, sub, _reason = facts.verdict()
    _refuse_unless_fit(facts, indication.value, sub.value if sub else None, require_trusted)
    der = asn1_cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()
    return der, FinishedSignature(b"", facts.signer, facts.algorithm, indication.value, sub.value if sub else None,
                                  facts.signing_time)


_REFUSALS = {
    "HASH_FAILURE": ("other_bytes", "the signature covers other bytes, not this prepared document"),
    "SIG_CRYPTO_FAILURE": ("bad_value", "the signature value does not verify"),
    "FORMAT_FAILURE": ("not_valid", "the signature is damaged"),
    "REVOKED": ("revoked", "the signer's certificate is revoked"),
    "OUT_OF_BOUNDS_NO_POE": ("expired", "the signer's certificate is expired or not yet valid"),
    "OUT_OF_BOUNDS_NOT_REVOKED": ("expired", "the signer's certificate is expired or not yet valid"),
    "CRYPTO_CONSTRAINTS_FAILURE": ("not_valid", "the signature algorithm cannot be checked or is too weak"),
}
_UNTRUSTED = {"NO_CERTIFICATE_CHAIN_FOUND", "NO_SIGNING_CERTIFICATE_FOUND"}


def _refuse_unless_fit(facts: Any, indication: str, sub: str | None, require_trusted: bool) -> None:
    if facts.intact is False:  # before the verdict: a digest mismatch outranks an unknown chain
        raise SignatureRefused(*_REFUSALS["HASH_FAILURE"])
    if facts.valid is False and facts.intact:
        raise SignatureRefused(*_REFUSALS["SIG_CRYPTO_FAILURE"])
    if indication == "TOTAL_PASSED":
        return
    if sub in _UNTRUSTED:
        if require_trusted:
            raise SignatureRefused("untrusted", "the signer's certificate does not chain to a trusted root")
        return
    if sub == "TRY_LATER":  # revocation not checkable offline: verification reports it, embedding may go on
        return
    reason, message = _REFUSALS.get(sub or "", ("not_valid", f"the signature does not verify ({indication})"))
    raise SignatureRefused(reason, message)


def _embed(prepared: PreparedSignature, der: bytes) -> bytes:
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

    output = io.BytesIO(prepared.pdf)
    digest = PreparedByteRangeDigest(hashlib.sha256(prepared.tbs).digest(), prepared.reserved_start,
                                     prepared.reserved_end)
    try:
        PdfTBSDocument.finish_signing(output, digest, der)
    except Exception as exc:
        raise SigningError(f"embedding the signature failed: {type(exc).__name__}: {exc}") from exc
    return output.getvalue()
