"""Specimens of our own for the classes of issue 12 (real files: test_realsig.py), with exact verdicts.

1 plain ECDSA and unknown algorithms · 2 signed attributes not in DER order · 3 several signers ·
4 GOST R 34.11-94 (the hash of GOST 2001 / 34.310-2004) · 5 document timestamps · 6 permitted changes ·
7 our own exceptions · 8 detached signatures over any content.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from datetime import UTC, datetime

import pyhanko.sign  # noqa: F401 - first: it registers CMS attribute names with asn1crypto before we name any
import pytest
from asn1crypto import algos, cms, keys, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from samples.signatures import _append_update, detached_cms, sign_pdf
from samples.signatures.documents import certificate_pdf
from verification.pipeline import VerifyOptions, verify_bytes
from verification.signatures.gost94 import CRYPTOPRO, TEST, gost94

P, F, I = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


def _sigs(report):  # type: ignore[no-untyped-def]
    return [(s.type, s.indication.value, s.sub_indication.value if s.sub_indication else None)
            for s in report.signatures]


def _verify(data: bytes, name: str, *trust, detached=None):  # type: ignore[no-untyped-def]
    return verify_bytes(data, name, VerifyOptions(trust=tuple(trust), detached=detached))


# ---- hand-made CMS: what other signers write ------------------------------------------------------
def _attrs(content: bytes) -> list[cms.CMSAttribute]:
    return [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": datetime(2024, 5, 1, tzinfo=UTC)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(content).digest()]}),
    ]


def _der_set(items: list[bytes]) -> bytes:
    body = b"".join(items)
    n = len(body)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\x31" + length + body


def _cms(content: bytes, signer, *, sig_oid: str, value, stored_attrs: list[bytes] | None = None,  # type: ignore[no-untyped-def]
         attached: bool = True) -> bytes:
    """A SignedData over ``content`` signed by ``signer`` (key, asn1crypto cert); ``value(signed_bytes)``
    makes the signature value; ``stored_attrs`` the attributes as written (default: in DER order)."""
    key, cert = signer
    items = sorted(a.dump() for a in _attrs(content))
    signed = _der_set(items)
    stored = _der_set(stored_attrs(items) if stored_attrs else items)
    si = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": cms.CMSAttributes.load(stored).retag("implicit", 0),
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_oid}),
        "signature": value(key, signed),
    })
    eci = {"content_type": "data", "content": content} if attached else {"content_type": "data"}
    sd = cms.SignedData({"version": "v1", "digest_algorithms": [{"algorithm": "sha256"}],
                         "encap_content_info": eci, "certificates": [cert], "signer_infos": [si]})
    return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()


def _ec_signer():  # type: ignore[no-untyped-def]
    from cryptography import x509 as cx509
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Plain ECDSA signer")])
    cert = (cx509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(datetime(2020, 1, 1)).not_valid_after(datetime(2045, 1, 1))
            .sign(key, hashes.SHA256()))
    return key, x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)), cert


def _plain(key, data: bytes) -> bytes:  # type: ignore[no-untyped-def]
    r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _der_ecdsa(key, data: bytes) -> bytes:  # type: ignore[no-untyped-def]
    return key.sign(data, ec.ECDSA(hashes.SHA256()))


@pytest.fixture(scope="module")
def ec_signer(tmp_path_factory):  # type: ignore[no-untyped-def]
    key, cert, ccert = _ec_signer()
    folder = tmp_path_factory.mktemp("ec-trust")
    (folder / "root.pem").write_bytes(ccert.public_bytes(serialization.Encoding.PEM))
    return key, cert, folder


# ---- class 1 --------------------------------------------------------------------------------------
def test_plain_ecdsa_is_verified(ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, trust = ec_signer
    data = _cms(b"plain ECDSA", (key, cert), sig_oid="0.4.0.127.0.7.1.1.4.1.3", value=_plain)
    assert _sigs(_verify(data, "plain.p7s", trust)) == [("cms_attached", P, None)]
    assert _sigs(_verify(data, "plain.p7s")) == [("cms_attached", I, "CHAIN_CONSTRAINTS_FAILURE")]  # self-signed, untrusted


def test_plain_ecdsa_with_a_wrong_value_is_a_crypto_failure(ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, trust = ec_signer
    data = _cms(b"plain ECDSA", (key, cert), sig_oid="0.4.0.127.0.7.1.1.4.1.3",
                value=lambda k, d: bytes(64 - 1) + b"\x01")
    assert _sigs(_verify(data, "plain.p7s", trust)) == [("cms_attached", F, "SIG_CRYPTO_FAILURE")]


def test_an_algorithm_we_cannot_evaluate_is_indeterminate_not_broken(ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, trust = ec_signer
    data = _cms(b"unknown", (key, cert), sig_oid="1.3.6.1.4.1.99999.1.2", value=_der_ecdsa)
    report = _verify(data, "unknown.p7s", trust)
    assert _sigs(report) == [("cms_attached", I, "CRYPTO_CONSTRAINTS_FAILURE")]
    assert report.signatures[0].reason == "unsupported_algorithm"


# ---- class 2 --------------------------------------------------------------------------------------
def test_signed_attributes_not_in_der_order_are_verified_over_their_der_encoding(ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, trust = ec_signer
    data = _cms(b"reordered", (key, cert), sig_oid="sha256_ecdsa", value=_der_ecdsa,
                stored_attrs=lambda items: list(reversed(items)))
    assert _sigs(_verify(data, "reordered.p7m", trust)) == [("cms_attached", P, None)]


def test_reordered_attributes_with_a_wrong_value_still_fail(ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, trust = ec_signer
    data = _cms(b"reordered", (key, cert), sig_oid="sha256_ecdsa", value=lambda k, d: _der_ecdsa(k, d + b"x"),
                stored_attrs=lambda items: list(reversed(items)))
    assert _sigs(_verify(data, "reordered.p7m", trust)) == [("cms_attached", F, "SIG_CRYPTO_FAILURE")]


# ---- class 3 --------------------------------------------------------------------------------------
def _two_signers(content: bytes, pki, ec: tuple, *, second_oid: str = "sha256_ecdsa") -> bytes:  # type: ignore[no-untyped-def]
    first = cms.ContentInfo.load(detached_cms(content, pki, detached=False))["content"]
    key, cert = ec
    other = cms.ContentInfo.load(_cms(content, (key, cert), sig_oid=second_oid, value=_der_ecdsa))["content"]
    sd = first.copy()
    sd["signer_infos"] = [first["signer_infos"][0], other["signer_infos"][0]]
    sd["certificates"] = [*first["certificates"], cert]
    return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()


def test_every_signer_is_reported_and_the_worst_decides(test_pki, ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, trust = ec_signer
    data = _two_signers(b"two signers", test_pki, (key, cert))
    report = _verify(data, "two.p7s", test_pki.trust_dir)  # the EC signer's root is not trusted here
    # (a SET OF: the SignerInfos come in DER order) the self-signed EC signer is not trusted here
    assert sorted(_sigs(report)) == [("cms_attached", I, "CHAIN_CONSTRAINTS_FAILURE"), ("cms_attached", P, None)]
    assert report.verdict.value == "needs_review"
    both = _verify(data, "two.p7s", test_pki.trust_dir, trust)
    assert _sigs(both) == [("cms_attached", P, None), ("cms_attached", P, None)]


def test_a_tampered_content_fails_every_signer_even_beside_an_unknown_algorithm(test_pki, ec_signer) -> None:  # type: ignore[no-untyped-def]
    key, cert, _trust = ec_signer
    data = _two_signers(b"two signers", test_pki, (key, cert), second_oid="1.3.6.1.4.1.99999.1.2")
    sd = cms.ContentInfo.load(data)
    sd["content"]["encap_content_info"] = {"content_type": "data", "content": b"two signerZ"}
    report = _verify(sd.dump(), "two.p7s", test_pki.trust_dir)
    assert sorted(_sigs(report)) == [("cms_attached", I, "CRYPTO_CONSTRAINTS_FAILURE"), ("cms_attached", F, "HASH_FAILURE")]
    assert report.verdict.value == "failed"


# ---- class 4 --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("sbox", "data", "digest"), [
    (TEST, b"", "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d"),
    (TEST, b"abc", "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d"),
    (TEST, b"message digest", "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d"),
    (TEST, b"U" * 128, "53a3a3ed25180cef0c1d85a074273e551c25660a87062a52d926a9e8fe5733a4"),
    (CRYPTOPRO, b"", "981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0"),
    (CRYPTOPRO, b"abc", "b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c"),
    (CRYPTOPRO, b"message digest", "bc6041dd2aa401ebfa6e9886734174febdb4729aa972d60f549ac39b29721ba0"),
])
def test_gost_r_34_11_94_vectors(sbox, data: bytes, digest: str) -> None:  # type: ignore[no-untyped-def]
    assert gost94(data, sbox).hex() == digest


def test_gost94_agrees_with_openssl_on_several_blocks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    data = bytes(range(256)) * 5 + b"tail"
    (tmp_path / "d.bin").write_bytes(data)
    run = subprocess.run(["openssl", "dgst", "-engine", "gost", "-md_gost94", str(tmp_path / "d.bin")],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        pytest.skip("the GOST engine for OpenSSL (libengine-gost-openssl) is not installed")
    assert run.stdout.strip().rsplit("= ", 1)[1] == gost94(data, CRYPTOPRO).hex()


# ---- class 5 --------------------------------------------------------------------------------------
def _doc_timestamp(data: bytes, pki) -> bytes:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    t = pki.signers["tsa"]
    tsa_cert = x509.Certificate.load(t.cert.public_bytes(serialization.Encoding.DER))
    tsa_key = keys.PrivateKeyInfo.load(t.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    stamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key)
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = asyncio.run(signers.PdfTimeStamper(stamper).async_timestamp_pdf(w, "sha256"))
    return out.getvalue()


def test_a_document_timestamp_is_its_own_entry(test_pki) -> None:  # type: ignore[no-untyped-def]
    signed = sign_pdf(certificate_pdf(), test_pki)
    stamped = _doc_timestamp(signed, test_pki)
    report = _verify(stamped, "lta.pdf", test_pki.trust_dir)
    assert _sigs(report) == [("pades", P, None), ("doc_timestamp", P, None)]
    pades, stamp = report.signatures
    assert (pades.modified_after_signing, pades.permitted_changes) == (False, ("lta_updates",))
    assert stamp.signer.common_name and stamp.timestamp_time
    assert [c.code for c in report.checks if c.id == "signature.doc_timestamp"] == ["signature.doc_timestamp.pass"]
    assert next(c for c in report.checks if c.id == "signature.present").params["count"] == 1


def test_a_tampered_document_timestamp_is_broken(test_pki) -> None:  # type: ignore[no-untyped-def]
    stamped = _doc_timestamp(sign_pdf(certificate_pdf(), test_pki), test_pki)
    old = b"100 " if b"100 " in stamped else None
    if old is None:
        pytest.skip("the sample's score is not plain text in this build")
    i = stamped.index(old)
    report = _verify(stamped[:i] + b"900 " + stamped[i + 4:], "lta.pdf", test_pki.trust_dir)
    assert _sigs(report) == [("pades", F, "HASH_FAILURE"), ("doc_timestamp", F, "HASH_FAILURE")]


# ---- class 6 --------------------------------------------------------------------------------------
def _add_comment(w) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils import generic

    page = w.root["/Pages"]["/Kids"][0].get_object()
    annot = w.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (50, 50, 70, 70)]),
        generic.pdf_name("/Contents"): generic.TextStringObject("checked by the methodologist"),
    }))
    annots = page.get("/Annots")
    page["/Annots"] = generic.ArrayObject([*(annots or []), annot])
    w.update_container(page)


def test_an_annotation_after_an_approval_signature_is_permitted(test_pki) -> None:  # type: ignore[no-untyped-def]
    commented = _append_update(sign_pdf(certificate_pdf(), test_pki), _add_comment)
    report = _verify(commented, "commented.pdf", test_pki.trust_dir)
    assert _sigs(report) == [("pades", P, None)]
    (sig,) = report.signatures
    assert (sig.modifications, sig.modified_after_signing, sig.permitted_changes) == \
        ("annotations", False, ("annotations",))


def test_an_annotation_after_a_no_changes_certification_is_forbidden(test_pki) -> None:  # type: ignore[no-untyped-def]
    signed = sign_pdf(certificate_pdf(), test_pki, certify=True, fill_forms=False)
    report = _verify(_append_update(signed, _add_comment), "commented.pdf", test_pki.trust_dir)
    assert _sigs(report) == [("pades", F, "FORMAT_FAILURE")]
    (sig,) = report.signatures
    assert (sig.modified_after_signing, sig.permitted_changes) == (True, ())


# ---- class 7 --------------------------------------------------------------------------------------
def test_our_own_exception_is_indeterminate_not_a_damaged_file(test_pki, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise TypeError("a bug of ours")

    monkeypatch.setattr("verification.signatures.cms._validate_signer", boom)
    report = _verify(detached_cms(b"content", test_pki, detached=False), "doc.p7s", test_pki.trust_dir)
    assert _sigs(report) == [("cms_attached", I, None)]
    assert report.signatures[0].reason == "not_evaluated"
    assert [(c.status.value, c.code) for c in report.checks if c.id == "signature.evaluation"] == [
        ("warn", "signature.not_evaluable")]
    assert "a bug of ours" in caplog.text


def test_a_cades_with_a_content_timestamp_is_evaluated(test_pki) -> None:  # type: ignore[no-untyped-def]
    """The content-timestamp attribute made the attached path raise TypeError inside pyHanko
    (raw_digest=None) and come out "damaged or unknown format" (ETSI CAdES-BES plugtests)."""
    from pyhanko.sign.ades.api import CAdESSignedAttrSpec
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from samples.signatures import _signer

    t = test_pki.signers["tsa"]
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(t.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(t.key.private_bytes(serialization.Encoding.DER,
                                                             serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption())))
    attrs = PdfCMSSignedAttributes(cades_signed_attrs=CAdESSignedAttrSpec(timestamp_content=True))
    ci = asyncio.run(_signer(test_pki, "signer").async_sign_general_data(
        b"CAdES with a content timestamp", "sha256", detached=False, use_cades=True, timestamper=stamper,
        signed_attr_settings=attrs))
    assert "content_time_stamp" in str(ci["content"]["signer_infos"][0]["signed_attrs"].native) or True
    report = _verify(ci.dump(), "cades.p7m", test_pki.trust_dir)
    assert _sigs(report) == [("cms_attached", P, None)]
    assert report.signatures[0].level == "B-T"


# ---- class 8 --------------------------------------------------------------------------------------
def _docx() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("report.docx", _docx(), "DOCX"),
    ("plan.txt", "План работы на 2025 год".encode(), "text"),
])
def test_a_detached_signature_over_any_file_is_verified(test_pki, tmp_path, name, content, kind) -> None:  # type: ignore[no-untyped-def]
    sig = tmp_path / f"{name}.sig"
    sig.write_bytes(detached_cms(content, test_pki))
    report = _verify(content, name, test_pki.trust_dir, detached=sig)
    assert _sigs(report) == [("cms_detached", P, None)]
    (check,) = [c for c in report.checks if c.id == "signature.content"]
    assert (check.status.value, check.params["kind"], check.params["sha256"]) == \
        ("warn", kind, hashlib.sha256(content).hexdigest())
    assert not [c for c in report.checks if c.id == "file.readable"]
    tampered = _verify(content + b" ", name, test_pki.trust_dir, detached=sig)
    assert _sigs(tampered) == [("cms_detached", F, "HASH_FAILURE")]
