"""Interrupted signing (`service.signing.external`, `attest sign prepare|finish`) with CMS made by openssl."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest

from samples.signatures.documents import certificate_pdf
from samples.signatures.external import gost_cms, rsa_cms
from service.cli import main
from service.signing.external import PreparedSignature, SignatureRefused, finish, prepare
from verification.pipeline import VerifyOptions, verify_file


@pytest.fixture(scope="module")
def prepared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sign-cli")
    doc = folder / "order.pdf"
    doc.write_bytes(certificate_pdf("ПРИКАЗ № 5"))
    assert main(["sign", "prepare", str(doc), "--out", str(folder / "prep"), "--signer-name", "ЖУМАБАЕВА А."]) == 0
    return folder / "prep"


def _verify(path: Path, trust: Path):  # type: ignore[no-untyped-def]
    return verify_file(path, VerifyOptions(trust=(trust,)))


def test_prepare_writes_the_bytes_the_signature_covers(prepared_dir: Path) -> None:
    state = json.loads((prepared_dir / "state.json").read_text())
    pdf = (prepared_dir / "prepared.pdf").read_bytes()
    tbs = (prepared_dir / "tbs.bin").read_bytes()
    start, end = state["reserved_start"], state["reserved_end"]
    assert tbs == pdf[:start] + pdf[end:]
    assert pdf[start:start + 1] == b"<" and pdf[end - 1:end] == b">"
    assert set(pdf[start + 1:end - 1]) == {ord("0")}  # the reserved /Contents, empty until finish
    byte_range = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert byte_range is not None
    assert tuple(int(x) for x in byte_range.groups()) == (0, start, end, len(pdf) - end)
    assert state["field_name"] == "Signature1" and state["tbs_size"] == len(tbs)


@pytest.mark.parametrize("form", ["der", "der_noattr", "pem", "base64"])
def test_finish_embeds_an_openssl_rsa_signature_that_verifies(prepared_dir: Path, test_pki, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              form: str) -> None:
    tbs = (prepared_dir / "tbs.bin").read_bytes()
    der = rsa_cms(tbs, test_pki, signed_attributes=form != "der_noattr")
    data = {"pem": rsa_cms(tbs, test_pki, outform="PEM"), "base64": base64.b64encode(der)}.get(form, der)
    (tmp_path / "sig.cms").write_bytes(data)
    out = tmp_path / "signed.pdf"
    rc = main(["sign", "finish", str(prepared_dir), "--cms", str(tmp_path / "sig.cms"), "--out", str(out),
               "--trust", str(test_pki.trust_dir)])
    assert rc == 0
    report = _verify(out, test_pki.trust_dir)
    assert report.verdict.value == "passed"
    [sig] = report.signatures
    assert (sig.indication.value, sig.sub_indication) == ("TOTAL_PASSED", None)
    assert (sig.signer.iin, sig.signer.bin) == ("900101400123", "120340012345")
    assert sig.type == "pades"


def test_a_signature_over_other_bytes_is_refused_and_nothing_written(prepared_dir: Path, test_pki, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sig.cms").write_bytes(rsa_cms(b"another document", test_pki))
    out = tmp_path / "signed.pdf"
    assert main(["sign", "finish", str(prepared_dir), "--cms", str(tmp_path / "sig.cms"), "--out", str(out)]) == 2
    assert not out.exists()
    assert "covers other bytes" in capsys.readouterr().err


def test_a_broken_signature_value_is_refused(prepared_dir: Path, test_pki, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             capsys: pytest.CaptureFixture[str]) -> None:
    der = bytearray(rsa_cms((prepared_dir / "tbs.bin").read_bytes(), test_pki))
    der[-10] ^= 0xFF  # inside the RSA signature value, the last field of SignerInfo
    (tmp_path / "sig.cms").write_bytes(bytes(der))
    out = tmp_path / "signed.pdf"
    assert main(["sign", "finish", str(prepared_dir), "--cms", str(tmp_path / "sig.cms"), "--out", str(out)]) == 2
    assert not out.exists()
    assert "does not verify" in capsys.readouterr().err


def test_not_a_signature_and_an_unknown_chain_are_refused(prepared_dir: Path, test_pki, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "junk.cms").write_bytes(b"%PDF-1.7 not a signature")
    out = tmp_path / "signed.pdf"
    assert main(["sign", "finish", str(prepared_dir), "--cms", str(tmp_path / "junk.cms"), "--out", str(out)]) == 2
    assert "not a CMS" in capsys.readouterr().err
    (tmp_path / "u.cms").write_bytes(rsa_cms((prepared_dir / "tbs.bin").read_bytes(), test_pki, "untrusted"))
    args = ["sign", "finish", str(prepared_dir), "--cms", str(tmp_path / "u.cms"), "--out", str(out)]
    assert main([*args, "--trust", str(test_pki.trust_dir)]) == 2
    assert "trusted root" in capsys.readouterr().err
    assert not out.exists()
    assert main(args) == 0  # without --trust the chain is not required; verification says it is unknown
    [sig] = _verify(out, test_pki.trust_dir).signatures
    assert (sig.indication.value, sig.sub_indication.value) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")


def test_a_changed_prepared_pdf_is_refused(prepared_dir: Path, tmp_path: Path, test_pki) -> None:  # type: ignore[no-untyped-def]
    state = json.loads((prepared_dir / "state.json").read_text())
    pdf = bytearray((prepared_dir / "prepared.pdf").read_bytes())
    pdf[100] ^= 1
    with pytest.raises(Exception, match="changed after it was prepared"):
        PreparedSignature.from_state(bytes(pdf), state)


def test_gost_signature_by_openssl_is_embedded_and_verifies(gost_folder: Path, tmp_path: Path) -> None:
    prepared = prepare(certificate_pdf("ПРИКАЗ № 6 (ГОСТ)"), signer_label="ЖУМАБАЕВА А.")
    signed = finish(prepared, gost_cms(prepared.tbs, gost_folder, "gost256", 256),
                    trust=(gost_folder / "trust",), require_trusted=True)
    assert signed.algorithm == "GOST R 34.10-2012 (256) with Streebog-256"
    (tmp_path / "gost.pdf").write_bytes(signed.pdf)
    report = _verify(tmp_path / "gost.pdf", gost_folder / "trust")
    [sig] = report.signatures
    assert (sig.indication.value, sig.sub_indication) == ("TOTAL_PASSED", None)
    assert (sig.signer.iin, sig.signer.bin) == ("900101400123", "120340012345")
    other = prepare(certificate_pdf("ПРИКАЗ № 7 (ГОСТ)"))
    with pytest.raises(SignatureRefused) as refused:
        finish(other, gost_cms(prepared.tbs, gost_folder, "gost512", 512))
    assert refused.value.reason == "other_bytes"


def test_a_second_signer_gets_its_own_field_and_box_and_both_verify(test_pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = prepare(certificate_pdf("ПРОТОКОЛ № 3"), signer_label="ЖУМАБАЕВА А.")
    once = finish(first, rsa_cms(first.tbs, test_pki, "signer")).pdf
    second = prepare(once, signer_label="САТПАЕВА Г.")
    assert second.field_name == "Signature2"
    rects = re.findall(rb"/Rect\s*\[\s*330\s+(\d+)\s+565\s+(\d+)\s*\]", second.pdf)
    assert sorted({(int(a), int(b)) for a, b in rects}) == [(30, 95), (103, 168)]  # stacked, not overlapping
    (tmp_path / "two.pdf").write_bytes(finish(second, rsa_cms(second.tbs, test_pki, "organisation")).pdf)
    report = _verify(tmp_path / "two.pdf", test_pki.trust_dir)
    assert [(s.field_name, s.indication.value, s.signer.iin) for s in report.signatures] == [
        ("Signature1", "TOTAL_PASSED", "900101400123"), ("Signature2", "TOTAL_PASSED", "750312400789")]


def test_other_validators_accept_the_results(test_pki, gost_folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Not only our own verification: pyHanko validates the RSA result, `openssl cms -verify` the GOST one."""
    import os
    import subprocess

    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    rsa = prepare(certificate_pdf("ПРИКАЗ № 8"))
    signed = finish(rsa, rsa_cms(rsa.tbs, test_pki, "organisation")).pdf
    root = asn1_x509.Certificate.load(asn1_pem.unarmor(test_pki.root_pem.read_bytes())[2])
    inter = asn1_x509.Certificate.load(asn1_pem.unarmor(test_pki.intermediate_pem.read_bytes())[2])
    vc = ValidationContext(trust_roots=[root], other_certs=[inter], allow_fetching=False,
                           revocation_mode="soft-fail")
    [emb] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(emb, vc)
    assert (status.intact, status.valid, status.trusted, status.coverage.name) == (True, True, True, "ENTIRE_FILE")

    gost = prepare(certificate_pdf("ПРИКАЗ № 9 (ГОСТ)"))
    der = gost_cms(gost.tbs, gost_folder, "gost256", 256)
    out = finish(gost, der).pdf
    contents = out[gost.reserved_start + 1:gost.reserved_end - 1]
    embedded = bytes.fromhex(contents.decode())[:len(der)]
    assert embedded == der  # the CMS sits unchanged in /Contents (zero padding after it)
    (tmp_path / "tbs.bin").write_bytes(out[:gost.reserved_start] + out[gost.reserved_end:])
    (tmp_path / "sig.der").write_bytes(embedded)
    env = {**os.environ, "OPENSSL_CONF": str(gost_folder / "openssl.cnf")}
    verified = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "sig.der"),
                               "-content", str(tmp_path / "tbs.bin"), "-CAfile", str(gost_folder / "trust" / "gost_root.pem"),
                               "-purpose", "any", "-out", os.devnull], check=False, env=env, capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0, verified.stderr
    assert "Verification successful" in verified.stderr
