"""Detached and attached CMS: DER, PEM and base64 text; a signature over another document is HASH_FAILURE."""

from __future__ import annotations

import pytest

from samples.signatures import CMS_CASES
from verification.pipeline import VerifyOptions, verify_file


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


@pytest.mark.parametrize("name", CMS_CASES)
def test_cms_cases(name: str, signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    case = signature_cases[name]
    report = verify_file(case.path, VerifyOptions(trust=(test_pki.trust_dir,), detached=case.detached))
    (sig,) = report.signatures
    assert sig.type == ("cms_attached" if case.detached is None else "cms_detached")
    assert sig.indication.value == case.indication
    assert (sig.sub_indication.value if sig.sub_indication else None) == case.sub_indication
    assert sig.signer.iin == "900101400123"
    assert sig.algorithm == "sha256WithRSAEncryption"


def test_attached_cms_is_sniffed_as_signature(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = verify_file(signature_cases["attached"].path, VerifyOptions(trust=(test_pki.trust_dir,)))
    assert report.media_type == "application/pkcs7-signature"
    assert report.verdict.value == "passed"


def test_detached_signature_without_document(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = verify_file(signature_cases["detached_valid"].detached, VerifyOptions(trust=(test_pki.trust_dir,)))
    assert report.verdict.value == "failed"
    assert [(c.id, c.status.value, c.code) for c in report.checks] == [
        ("signature.present", "fail", "signature.detached_without_document")]


@pytest.mark.parametrize("content", [b"not a signature at all \x00\x01", b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n",
                                     b"MIIB" * 10, b"\x30\x03\x02\x01\x01"])
def test_unreadable_detached_signature(content: bytes, signature_cases, tmp_path, test_pki) -> None:  # type: ignore[no-untyped-def]
    sig = tmp_path / "doc.pdf.sig"
    sig.write_bytes(content)
    report = verify_file(signature_cases["detached_valid"].path, VerifyOptions(trust=(test_pki.trust_dir,), detached=sig))
    assert report.verdict.value == "failed"
    (check,) = [c for c in report.checks if c.id == "file.readable"]
    assert check.code == "signature.unreadable"
    assert check.message("en").startswith("The signature file could not be read:")
