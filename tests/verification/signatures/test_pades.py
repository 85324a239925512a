"""PAdES conformance: each specimen gets the exact ETSI indication and sub-indication."""

from __future__ import annotations

import pytest

from samples.signatures import PADES_CASES, Case
from verification.pipeline import VerifyOptions, verify_file
from verification.report import CheckStatus, Indication, SubIndication

SIGNATURE_STEP = ("verification.signatures.step:SignatureStep",)


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan step runs after ours in production; here we judge our step alone."""
    monkeypatch.setattr("verification.pipeline.STEPS", SIGNATURE_STEP)


def _verify(case: Case, test_pki, **kw):  # type: ignore[no-untyped-def]
    return verify_file(case.path, VerifyOptions(trust=(test_pki.trust_dir,), detached=case.detached, **kw))


def _checks(report, check_id: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(c.status.value, c.code) for c in report.checks if c.id == check_id]


@pytest.mark.parametrize("name", PADES_CASES)
def test_indication_and_sub_indication(name: str, signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    case = signature_cases[name]
    report = _verify(case, test_pki)
    assert report.signatures, report.checks
    sig = report.signatures[-1]  # the last signature is the one the case is about
    assert sig.type == "pades"
    assert sig.indication.value == case.indication, (name, sig)
    assert (sig.sub_indication.value if sig.sub_indication else None) == case.sub_indication, (name, sig)


def test_valid_signature_reports_signer_and_passes(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["valid"], test_pki)
    assert report.verdict.value == "passed"
    (sig,) = report.signatures
    assert sig.signer.common_name == "ЖУМАБАЕВА АЙГЕРИМ"
    assert sig.signer.iin == "900101400123"
    assert sig.signer.bin == "120340012345"
    assert sig.signer.organization == "КГУ «Школа-гимназия № 12» отдела образования г. Тараз"
    assert sig.signer.country == "KZ"
    assert sig.signer.issuer == "Attest Test Issuing CA"
    assert sig.algorithm == "sha256WithRSAEncryption"
    assert sig.coverage.value == "entire_file"
    assert sig.modified_after_signing is False
    assert sig.signing_time is not None and sig.signing_time[:2] == "20"
    assert sig.field_name == "Signature1"
    assert report.pages == 1
    ids = [c.id for c in report.checks]
    assert ids == ["signature.present", "signature.integrity", "signature.algorithm", "signature.trust",
                   "signature.validity_period", "signature.revocation", "signature.modifications"]
    assert all(c.status is CheckStatus.PASS for c in report.checks)
    d = report.to_dict("kk")["signatures"][0]
    assert d["indication"] == "TOTAL_PASSED" and d["sub_indication"] is None
    assert d["signer"]["iin"] == "900101400123"


def test_ecdsa_algorithm_name(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    (sig,) = _verify(signature_cases["ecdsa"], test_pki).signatures
    assert sig.algorithm == "sha256WithECDSA"
    assert sig.signer.iin == "850505300456" and sig.signer.bin is None


def test_tampered_byte_fails_integrity(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["tampered"], test_pki)
    assert report.verdict.value == "failed"
    assert _checks(report, "signature.integrity") == [("fail", "signature.integrity.hash_failure")]
    assert "changed after ЖУМАБАЕВА АЙГЕРИМ signed" in report.checks[1].message("en")


def test_appended_page_is_forbidden_and_visible(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["appended_page"], test_pki)
    (sig,) = report.signatures
    assert sig.coverage.value == "entire_revision"
    assert sig.modifications == "other" and sig.modified_after_signing is True
    assert sig.shadow_pages == (2,)
    assert _checks(report, "signature.modifications") == [("fail", "signature.modifications.forbidden")]
    assert _checks(report, "signature.shadow") == [("fail", "signature.shadow.fail")]


def test_overlay_shadow_attack_names_the_page(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["overlay"], test_pki)
    (sig,) = report.signatures
    assert sig.shadow_pages == (1,)
    assert sig.reason == "shadow_attack"
    assert report.verdict.value == "failed"
    msg = next(c for c in report.checks if c.id == "signature.shadow").message("ru")
    assert msg.startswith("Страницы 1 выглядят иначе")


def test_form_fill_after_certification_is_a_warning(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["form_fill"], test_pki)
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    # permitted by the certification's DocMDP (P=2): reported, and not "modified after signing" (issue 12)
    assert sig.modifications == "form_filling" and sig.modified_after_signing is False
    assert sig.permitted_changes == ("form_filling",)
    assert sig.shadow_pages == ()  # the page content itself is unchanged
    assert _checks(report, "signature.modifications") == [("warn", "signature.modifications.form_filling")]
    assert _checks(report, "signature.shadow") == [("pass", "signature.shadow.pass")]
    assert report.verdict.value == "needs_review"


def test_two_signatures_one_broken(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["two_one_broken"], test_pki)
    first, second = report.signatures
    assert (first.field_name, first.indication, first.sub_indication) == ("Teacher", Indication.TOTAL_PASSED, None)
    assert first.modifications == "form_filling"
    assert (second.field_name, second.indication, second.sub_indication) == (
        "Head", Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE)
    assert second.signer.common_name == "САТПАЕВА ГУЛЬНАРА" and second.signer.bin == "990240001128"
    assert report.verdict.value == "failed"


def test_revoked_names_the_date(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["revoked"], test_pki)
    assert _checks(report, "signature.revocation") == [("fail", "signature.revocation.revoked")]
    msg = next(c for c in report.checks if c.id == "signature.revocation").message("en")
    assert "(2022-01-01T00:00:00+00:00)" in msg


@pytest.mark.parametrize("name,check_id,code", [
    ("expired", "signature.validity_period", "signature.validity_period.expired"),
    ("untrusted", "signature.trust", "signature.trust.no_chain"),
    ("sha1", "signature.algorithm", "signature.algorithm.weak"),
    ("weak_rsa", "signature.algorithm", "signature.algorithm.weak"),
])
def test_indeterminate_cases_need_review(name: str, check_id: str, code: str, signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases[name], test_pki)
    assert report.verdict.value == "needs_review"
    assert _checks(report, check_id) == [("warn", code)]


def test_malformed_signature_is_format_failure_not_unreadable(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(signature_cases["malformed"], test_pki)
    assert [c.id for c in report.checks] == ["signature.present", "signature.integrity"]
    assert _checks(report, "signature.integrity") == [("fail", "signature.format_failure")]
    assert report.pages == 1


def test_every_check_has_three_languages(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    from verification.signatures.messages import MESSAGES

    for name in ("valid", "overlay", "revoked", "untrusted", "sha1", "form_fill"):
        for c in _verify(signature_cases[name], test_pki).checks:
            assert c.code in MESSAGES, c.code
            texts = c.messages()
            assert set(texts) == {"ru", "kk", "en"}
            assert all("?" not in t.split("(")[0] for t in texts.values()), texts  # every parameter filled in
