"""Signed specimens for the signature conformance suite and the bench, built from the test PKI.

Each case is a function that writes one file (and, for detached CMS, its signature) into a folder and
returns a :class:`Case` naming the exact ETSI indication and sub-indication a correct validator must
report. Nothing is downloaded; everything is signed at build time with the keys of ``samples/pki.py``
(and, for GOST, with keys that OpenSSL's GOST engine makes, see :mod:`samples.signatures.gost`).

Usage::

    from samples.pki import build_test_pki
    from samples.signatures import build_cases
    cases = build_cases(tmp / "sig", build_test_pki(tmp / "pki"))
    cases["valid"].path, cases["valid"].indication      # Path, "TOTAL_PASSED"
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from samples.pki import PASSWORD, TestPKI
from samples.signatures.documents import certificate_pdf, form_pdf

__all__ = ["CMS_CASES", "PADES_CASES", "TIMESTAMP_CASES", "TIMESTAMP_TIMES", "Case", "TimestampCase", "build_cases",
           "build_timestamp_cases", "detached_cms", "sign_pdf", "sign_pdf_bt", "timestamper"]


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    indication: str  # expected indication of the (last broken, else first) signature
    sub_indication: str | None
    detached: Path | None = None
    what: str = ""


def _signer(pki: TestPKI, name: str):  # type: ignore[no-untyped-def]
    from pyhanko.sign import signers

    s = pki.signers[name]
    return signers.SimpleSigner.load_pkcs12(str(s.p12), passphrase=PASSWORD)


def sign_pdf(data: bytes, pki: TestPKI, signer: str = "signer", *, field: str = "Signature1", md: str = "sha256",
             certify: bool = False, fill_forms: bool = True) -> bytes:
    """One PAdES B-B signature added to ``data`` as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm=md, subfilter=fields.SigSeedSubFilter.PADES, certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS if fill_forms else fields.MDPPerm.NO_CHANGES,
    )
    out = signers.sign_pdf(w, meta, signer=_signer(pki, signer))
    return out.getvalue()


def _at(system_time: datetime):  # type: ignore[no-untyped-def]
    """A pyHanko ``PdfSigner`` whose clock (the /M entry) reads ``system_time``: the claimed signing time
    of a case must come before its timestamp, as it does when a real NCALayer user signs."""
    from pyhanko.sign import signers

    class _FixedClockSigner(signers.PdfSigner):
        def init_signing_session(self, pdf_out, existing_fields_only=False):  # type: ignore[no-untyped-def]
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = system_time
            return session

    return _FixedClockSigner


def timestamper(pki: TestPKI, tsa: str = "tsa", at: datetime | None = None):  # type: ignore[no-untyped-def]
    """The test PKI's TSA as pyHanko's in-process ``DummyTimeStamper`` (no network), stamping ``at``
    (the current time when None)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    t = pki.signers[tsa]
    tsa_cert = asn1_x509.Certificate.load(t.cert.public_bytes(serialization.Encoding.DER))
    tsa_key = asn1_keys.PrivateKeyInfo.load(t.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key, fixed_dt=at)


def sign_pdf_bt(data: bytes, pki: TestPKI, signer: str = "signer", *, tsa: str | None = "tsa",
                signing_time: datetime, timestamp_time: datetime | None = None, field: str = "Signature1") -> bytes:
    """One PAdES B-T signature: B-B plus a signature timestamp (RFC 3161) from the test PKI's TSA.

    The TSA is pyHanko's in-process ``DummyTimeStamper`` (no network), stamping ``timestamp_time``.
    ``tsa=None`` gives a B-B signature whose claimed signing time is ``signing_time``.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    stamper = timestamper(pki, tsa, timestamp_time or signing_time) if tsa is not None else None
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES)
    out = _at(signing_time)(meta, signer=_signer(pki, signer), timestamper=stamper).sign_pdf(w)
    return out.getvalue()


def detached_cms(data: bytes, pki: TestPKI, signer: str = "signer", *, detached: bool = True) -> bytes:
    """A CMS SignedData (DER) over ``data``: detached (like NCALayer's .sig) or with the content inside."""
    import asyncio

    ci = asyncio.run(_signer(pki, signer).async_sign_general_data(data, "sha256", detached=detached))
    return ci.dump()


def _write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


def _tamper_text(data: bytes, old: bytes, new: bytes) -> bytes:
    i = data.index(old)
    return data[:i] + new + data[i + len(old):]


def _append_update(signed: bytes, mutate: Callable[..., None]) -> bytes:
    """An incremental update after signing, made with pyHanko's writer (what an attacker's tool would do)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    mutate(w)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _overlay(text: str) -> Callable[..., None]:
    """Adds a content stream on page 1 that paints a white box over the score and draws new text."""
    from pyhanko.pdf_utils import generic

    def mutate(w) -> None:  # type: ignore[no-untyped-def]
        page_ref = w.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        # hide the score under a white box and paint a replacement bar (no font needed)
        ops = b"q 1 1 1 rg 66 590 300 28 re f 0 0 0 rg 72 596 " + str(20 + 8 * len(text)).encode() + b" 12 re f Q"
        ref = w.add_object(generic.StreamObject(stream_data=ops))
        contents = page.raw_get("/Contents")
        arr = generic.ArrayObject(list(page["/Contents"]) if isinstance(page["/Contents"], generic.ArrayObject)
                                  else [contents])
        arr.append(ref)
        page["/Contents"] = arr
        w.update_container(page)

    return mutate


def _new_page(w) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils import generic

    pages = w.root["/Pages"]
    stream = w.add_object(generic.StreamObject(stream_data=b"BT /Helv 18 Tf 72 700 Td (Appended page) Tj ET"))
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/Parent"): w.root.raw_get("/Pages"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(x) for x in (0, 0, 595, 842)]),
        generic.NameObject("/Contents"): stream,
        generic.NameObject("/Resources"): generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject({
            generic.NameObject("/Helv"): generic.DictionaryObject({
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")})})}),
    })
    ref = w.add_object(page)
    pages["/Kids"].append(ref)
    pages["/Count"] = generic.NumberObject(int(pages["/Count"]) + 1)
    w.update_container(pages)


def _fill_field(value: str) -> Callable[..., None]:
    """Fills the ``decision`` text field the way a PDF viewer does: new /V and a new appearance stream."""
    from pyhanko.pdf_utils import generic

    def mutate(w) -> None:  # type: ignore[no-untyped-def]
        for ref in w.root["/AcroForm"]["/Fields"]:
            fld = ref.get_object()
            if fld.get("/T") == "decision":
                fld["/V"] = generic.TextStringObject(value)
                rect = [float(x) for x in fld["/Rect"]]
                ap = generic.StreamObject(
                    {generic.NameObject("/Type"): generic.NameObject("/XObject"),
                     generic.NameObject("/Subtype"): generic.NameObject("/Form"),
                     generic.NameObject("/BBox"): generic.ArrayObject(
                         [generic.FloatObject(0), generic.FloatObject(0),
                          generic.FloatObject(rect[2] - rect[0]), generic.FloatObject(rect[3] - rect[1])]),
                     generic.NameObject("/Resources"): generic.DictionaryObject({
                         generic.NameObject("/Font"): generic.DictionaryObject({
                             generic.NameObject("/Helv"): generic.DictionaryObject({
                                 generic.NameObject("/Type"): generic.NameObject("/Font"),
                                 generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                                 generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")})})})},
                    stream_data=b"/Tx BMC BT /Helv 11 Tf 2 6 Td (" + value.encode("latin-1") + b") Tj ET EMC")
                fld["/AP"] = generic.DictionaryObject({generic.NameObject("/N"): w.add_object(ap)})
                w.update_container(fld)

    return mutate


def _break_signature_value(data: bytes, field_index: int = -1) -> bytes:
    """Flips one hex digit of the signature value (not of the digest) of one embedded signature."""
    from asn1crypto import cms

    starts = [i for i in _find_all(data, b"/Contents <")]
    start = starts[field_index] + len(b"/Contents <")
    end = data.index(b">", start)
    der = bytes.fromhex(data[start:end].decode())
    ci = cms.ContentInfo.load(der, strict=False)
    sig = ci["content"]["signer_infos"][0]["signature"].native
    hexsig = sig.hex().encode()
    j = start + data[start:end].lower().index(hexsig)
    k = j + len(hexsig) // 2
    flipped = b"0" if data[k:k + 1] != b"0" else b"1"
    return data[:k] + flipped + data[k + 1:]


def _garble_contents(data: bytes) -> bytes:
    """Replaces the CMS in /Contents by bytes that are not DER (same length, so the byte range holds)."""
    start = data.index(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    junk = (b"DEADBEEF" * ((end - start) // 8 + 1))[: end - start]
    return data[:start] + junk + data[end:]


def _find_all(data: bytes, needle: bytes) -> list[int]:
    out, i = [], data.find(needle)
    while i >= 0:
        out.append(i)
        i = data.find(needle, i + 1)
    return out


def _pem(der: bytes) -> bytes:
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN PKCS7-----\n" + "\n".join(lines) + "\n-----END PKCS7-----\n").encode()


def build_pades_cases(folder: Path, pki: TestPKI) -> dict[str, Case]:
    folder.mkdir(parents=True, exist_ok=True)
    doc = certificate_pdf()
    cases: list[Case] = []

    def add(name: str, data: bytes, ind: str, sub: str | None, what: str) -> None:
        cases.append(Case(name, _write(folder, f"{name}.pdf", data), ind, sub, what=what))

    valid = sign_pdf(doc, pki)
    add("valid", valid, "TOTAL_PASSED", None, "PAdES B-B, RSA 2048, SHA-256, chains to the test root")
    add("ecdsa", sign_pdf(doc, pki, "ecdsa_signer"), "TOTAL_PASSED", None, "ECDSA P-256 signer")
    add("tampered", _tamper_text(valid, b"100 ", b"900 ") if b"100 " in valid else _tamper_hex_text(valid),
        "TOTAL_FAILED", "HASH_FAILURE", "one byte of the signed page content changed")
    add("appended_page", _append_update(valid, _new_page), "TOTAL_FAILED", "FORMAT_FAILURE",
        "a new page added by an incremental update after signing")
    add("overlay", _append_update(valid, _overlay("Score: 10 points")), "TOTAL_FAILED", "FORMAT_FAILURE",
        "shadow attack: an overlay painted over the score by an incremental update")
    certified = sign_pdf(form_pdf(), pki, "organisation", field="Certification", certify=True)
    add("form_fill", _append_update(certified, _fill_field("Recommended")), "TOTAL_PASSED", None,
        "certification signature (DocMDP: form filling), then the decision field filled in")
    two = sign_pdf(sign_pdf(doc, pki, "signer", field="Teacher"), pki, "organisation", field="Head")
    add("two_one_broken", _break_signature_value(two, -1), "TOTAL_FAILED", "SIG_CRYPTO_FAILURE",
        "two signatures; the second signature's value is corrupted")
    add("malformed", _garble_contents(valid), "TOTAL_FAILED", "FORMAT_FAILURE",
        "the signature container in /Contents is not CMS")
    add("expired", sign_pdf(doc, pki, "expired"), "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE",
        "signer certificate expired in 2021, no timestamp")
    add("revoked", sign_pdf(doc, pki, "revoked"), "TOTAL_FAILED", "REVOKED", "signer listed in intermediate.crl")
    add("untrusted", sign_pdf(doc, pki, "untrusted"), "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND",
        "signer under a root that is not trusted")
    add("sha1", sign_pdf(doc, pki, md="sha1"), "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", "SHA-1 digest")
    add("weak_rsa", sign_pdf(doc, pki, "weak_rsa"), "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", "RSA 1024 key")
    return {c.name: c for c in cases}


def _tamper_hex_text(data: bytes) -> bytes:  # reportlab may hex-encode TrueType text: flip a glyph id
    i = data.index(b"BT")
    j = data.index(b"Tj", i)
    k = data.index(b"<", i, j) + 1 if b"<" in data[i:j] else data.index(b"(", i, j) + 1
    return data[:k] + (b"1" if data[k:k + 1] != b"1" else b"2") + data[k + 1:]


def build_cms_cases(folder: Path, pki: TestPKI) -> dict[str, Case]:
    folder.mkdir(parents=True, exist_ok=True)
    doc = _write(folder, "order.pdf", certificate_pdf("ПРИКАЗ № 45"))
    other = _write(folder, "other.pdf", certificate_pdf("ПРИКАЗ № 46"))
    sig = detached_cms(doc.read_bytes(), pki)
    cases = [
        Case("detached_valid", doc, "TOTAL_PASSED", None, _write(folder, "order.pdf.sig", sig), "detached CMS (DER)"),
        Case("detached_wrong_document", other, "TOTAL_FAILED", "HASH_FAILURE", folder / "order.pdf.sig",
             "the detached signature of order.pdf given beside other.pdf"),
        Case("detached_pem", doc, "TOTAL_PASSED", None, _write(folder, "order.pdf.p7s", _pem(sig)), "PEM-wrapped CMS"),
        Case("detached_base64", doc, "TOTAL_PASSED", None,
             _write(folder, "order.pdf.cms", base64.encodebytes(sig)), "bare base64 text, as some portals save"),
        Case("attached", _write(folder, "order.p7m", detached_cms(doc.read_bytes(), pki, detached=False)),
             "TOTAL_PASSED", None, None, "CMS with the document inside (cms_attached)"),
    ]
    return {c.name: c for c in cases}


TIMESTAMP_TIMES = {
    "bt_valid": datetime(2024, 3, 15, 10, 30, 5, tzinfo=UTC),
    "bt_expired_after_timestamp": datetime(2022, 6, 1, 8, 30, tzinfo=UTC),
    "bt_timestamp_after_expiry": datetime(2023, 6, 1, 8, 30, tzinfo=UTC),
    "bt_no_revocation_data_for_timestamp": datetime(2020, 6, 1, 8, 30, tzinfo=UTC),
}
"""The time each B-T case's TSA stamped (what ``timestamp_time`` must report when the timestamp is used)."""


@dataclass(frozen=True)
class TimestampCase(Case):
    level: str | None = None  # the ETSI baseline level the report must name
    timestamp_time: str | None = None  # the report's timestamp_time (None: no timestamp or an ignored one)


def build_timestamp_cases(folder: Path, pki: TestPKI) -> dict[str, TimestampCase]:
    """PAdES B-T cases: a signature timestamp from the test PKI's TSA (or one nobody trusts) and past validation.

    Each signer's claimed signing time (/M) is one minute before its timestamp. ``short_lived`` expired on
    2023-01-01 (:data:`samples.pki.SHORT_LIVED_NOT_AFTER`); ``expired`` on 2021-01-01, before the only CRLs
    of the test PKI were issued (2022-01-02).
    """
    from datetime import timedelta

    folder.mkdir(parents=True, exist_ok=True)
    doc = certificate_pdf()
    T = TIMESTAMP_TIMES
    untrusted_time = T["bt_valid"]
    specs = [
        ("bt_valid", "signer", "tsa", T["bt_valid"], "TOTAL_PASSED", None, "B-T",
         "PAdES B-T: the test PKI's TSA stamped 2024-03-15T10:30:05Z"),
        ("bt_untrusted_tsa", "signer", "untrusted_tsa", untrusted_time, "TOTAL_PASSED", None, "B-B",
         "timestamp from a TSA under a root nobody trusts: ignored, the signature is judged as B-B"),
        ("bt_expired_after_timestamp", "short_lived", "tsa", T["bt_expired_after_timestamp"], "TOTAL_PASSED", None,
         "B-T", "signer expired 2023-01-01, after the 2022-06-01 timestamp: past validation at the timestamp"),
        ("bb_expired_no_timestamp", "short_lived", None, T["bt_expired_after_timestamp"], "INDETERMINATE",
         "OUT_OF_BOUNDS_NO_POE", "B-B", "the same signer and signing time, no timestamp"),
        ("bt_timestamp_after_expiry", "short_lived", "tsa", T["bt_timestamp_after_expiry"], "INDETERMINATE",
         "OUT_OF_BOUNDS_NO_POE", "B-T", "timestamp 2023-06-01, after the certificate expired: no proof it was valid"),
        ("bt_no_revocation_data_for_timestamp", "expired", "tsa", T["bt_no_revocation_data_for_timestamp"],
         "INDETERMINATE", "TRY_LATER", "B-T",
         "signer expired 2021-01-01, timestamp 2020-06-01, but the only CRL was issued after it expired"),
    ]
    cases = {}
    for name, signer, tsa, when, ind, sub, level, what in specs:
        data = sign_pdf_bt(doc, pki, signer, tsa=tsa, signing_time=when - timedelta(minutes=1), timestamp_time=when)
        used = tsa == "tsa"
        cases[name] = TimestampCase(name, _write(folder, f"{name}.pdf", data), ind, sub, what=what, level=level,
                                    timestamp_time=when.isoformat() if used else None)
    return cases


TIMESTAMP_CASES = ("bt_valid", "bt_untrusted_tsa", "bt_expired_after_timestamp", "bb_expired_no_timestamp",
                   "bt_timestamp_after_expiry", "bt_no_revocation_data_for_timestamp")

PADES_CASES = ("valid", "ecdsa", "tampered", "appended_page", "overlay", "form_fill", "two_one_broken", "malformed",
               "expired",
               "revoked", "untrusted", "sha1", "weak_rsa")
CMS_CASES = ("detached_valid", "detached_wrong_document", "detached_pem", "detached_base64", "attached")


def build_cases(folder: Path, pki: TestPKI) -> dict[str, Case]:
    """Every PAdES and CMS case (GOST cases live in :mod:`samples.signatures.gost`: they need OpenSSL)."""
    return {**build_pades_cases(Path(folder) / "pades", pki), **build_cms_cases(Path(folder) / "cms", pki)}
