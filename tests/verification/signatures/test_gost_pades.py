"""GOST R 34.10-2012 signatures inside a PDF (/Adobe.PPKLite, /ETSI.CAdES.detached, GOST CMS), as NCALayer makes them
with Kazakh GOST keys; the CMS is made by OpenSSL's GOST engine over the byte ranges pyHanko reserved."""

from __future__ import annotations

import io

import pytest

from samples.signatures import Case
from samples.signatures.gost import GOST_PADES_CASES, build_gost_pades_cases
from verification.pipeline import VerifyOptions, verify_file


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


@pytest.fixture(scope="session")
def gost_pades(gost_cases) -> tuple[dict[str, Case], object]:  # type: ignore[no-untyped-def]
    _cases, trust = gost_cases
    return build_gost_pades_cases(trust.parent), trust


def _verify(case: Case, trust):  # type: ignore[no-untyped-def]
    return verify_file(case.path, VerifyOptions(trust=(trust,)))


def test_specimen_is_a_gost_cades_signature_in_a_pdf(gost_pades) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.reader import PdfFileReader

    cases, _trust = gost_pades
    (sig,) = PdfFileReader(io.BytesIO(cases["gost_pades_valid"].path.read_bytes())).embedded_signatures
    assert (sig.sig_object["/Filter"], sig.sig_object["/SubFilter"]) == ("/Adobe.PPKLite", "/ETSI.CAdES.detached")
    si = sig.signer_info
    assert si["digest_algorithm"]["algorithm"].dotted == "1.2.643.7.1.1.2.2"  # Streebog-256
    assert si["signature_algorithm"]["algorithm"].dotted == "1.2.643.7.1.1.1.1"  # GOST R 34.10-2012 256 key


@pytest.mark.parametrize("name", GOST_PADES_CASES)
def test_gost_pades_cases(name: str, gost_pades) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_pades
    case = cases[name]
    sig = _verify(case, trust).signatures[-1]
    assert sig.type == "pades"
    assert sig.indication.value == case.indication, (name, sig)
    assert (sig.sub_indication.value if sig.sub_indication else None) == case.sub_indication, (name, sig)


def test_valid_gost_pdf_names_signer_and_algorithm(gost_pades) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_pades
    report = _verify(cases["gost_pades_valid"], trust)
    assert report.verdict.value == "passed"
    (sig,) = report.signatures
    assert sig.algorithm == "GOST R 34.10-2012 (256) with Streebog-256"
    assert (sig.signer.common_name, sig.signer.iin, sig.signer.bin) == ("ЖУМАБАЕВА АЙГЕРИМ", "900101400123",
                                                                       "120340012345")
    assert sig.signer.issuer == "Attest Test GOST Root"
    assert (sig.coverage.value, sig.modifications, sig.modified_after_signing) == ("entire_file", "none", False)
    assert sig.field_name == "Signature1" and sig.level == "B-B"
    assert sig.signing_time is not None and sig.signing_time[:2] == "20"  # OpenSSL's signingTime attribute
    assert [c.id for c in report.checks] == ["signature.present", "signature.integrity", "signature.algorithm",
                                             "signature.trust", "signature.validity_period", "signature.revocation",
                                             "signature.modifications"]
    assert report.to_dict("en")["signatures"][0]["algorithm"] == "GOST R 34.10-2012 (256) with Streebog-256"


def test_one_changed_byte_is_hash_failure(gost_pades) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_pades
    report = _verify(cases["gost_pades_tampered"], trust)
    (sig,) = report.signatures
    assert (sig.reason, sig.algorithm) == ("digest_mismatch", "GOST R 34.10-2012 (256) with Streebog-256")
    assert [(c.id, c.status.value, c.code) for c in report.checks][1:] == [
        ("signature.integrity", "fail", "signature.integrity.hash_failure")]
    assert report.verdict.value == "failed"


def test_untrusted_gost_signer(gost_pades) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_pades
    report = _verify(cases["gost_pades_untrusted"], trust)
    (sig,) = report.signatures
    assert sig.signer.issuer == "Unknown GOST Root"
    check = next(c for c in report.checks if c.id == "signature.trust")
    assert (check.status.value, check.code) == ("warn", "signature.trust.no_chain")
    assert "“Unknown GOST Root”" in check.message("en")
    assert report.verdict.value == "needs_review"


def test_update_after_a_gost_signature_is_judged_not_crashed(gost_pades) -> None:  # type: ignore[no-untyped-def]
    """Was FORMAT_FAILURE for any GOST signature followed by an incremental update (pyHanko's diff
    analysis raised NotImplementedError: the coverage it reads was never set for GOST)."""
    cases, trust = gost_pades
    report = _verify(cases["gost_pades_appended_page"], trust)
    (sig,) = report.signatures
    assert (sig.coverage.value, sig.modifications, sig.shadow_pages, sig.reason) == (
        "entire_revision", "other", (2,), "shadow_attack")
    checks = {c.id: (c.status.value, c.code) for c in report.checks}
    assert checks["signature.integrity"] == ("pass", "signature.integrity.pass")
    assert checks["signature.modifications"] == ("fail", "signature.modifications.forbidden")
    two = _verify(cases["gost_pades_two_signers"], trust)
    first, second = two.signatures
    assert (first.field_name, first.indication.value, first.modifications) == ("Signature1", "TOTAL_PASSED",
                                                                              "form_filling")
    assert (second.field_name, second.indication.value, second.algorithm) == (
        "Head", "TOTAL_PASSED", "GOST R 34.10-2012 (512) with Streebog-512")
    assert second.signer.common_name == "Иванова Мария Петровна"
