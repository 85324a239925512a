"""Who must sign (``signature.signer_rule``): the rule data covers every kind, and valid signatures from
the right person, the wrong person, the wrong organisation and a personal key are told apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.signatures import sign_pdf
from samples.signatures.documents import certificate_pdf
from verification.kinds import KINDS
from verification.pipeline import VerifyOptions, verify_file
from verification.report import CheckStatus, Signer, Verdict
from verification.signatures.signer_rule import (
    ExpectedSigners,
    Outcome,
    SignerRule,
    check_signers,
    load_rules,
)

HEAD_IIN = "750312400789"  # САТПАЕВА ГУЛЬНАРА, the test PKI's "organisation" signer
MC_BIN = "990240001122"  # her OU «BIN…»: the Methodological Centre
MC = ExpectedSigners(persons={"head": (HEAD_IIN,)}, organisations={"methodological_centre": MC_BIN})


@pytest.fixture(scope="module")
def orders(test_pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("signer-rule")
    doc = certificate_pdf("ПРИКАЗ № 12")
    out = {}
    for who in ("organisation", "signer", "ecdsa_signer"):
        out[who] = folder / f"order.{who}.pdf"
        out[who].write_bytes(sign_pdf(doc, test_pki, who))
    return out


def _rule_check(path: Path, trust: Path, expected: ExpectedSigners | None, kind: str = "order"):  # type: ignore[no-untyped-def]
    report = verify_file(path, VerifyOptions(trust=(trust,), kind=kind, expected_signers=expected))
    found = [c for c in report.checks if c.id == "signature.signer_rule"]
    return report, (found[0] if found else None)


def test_every_kind_has_a_rule_and_nothing_else() -> None:
    assert set(load_rules()) == {k.id for k in KINDS}
    organiser = ExpectedSigners(organisations={"organiser": MC_BIN})
    assert check_signers("programme", [Signer(bin=MC_BIN)], organiser).outcome is Outcome.PASS  # event_program's alias


def test_the_head_of_the_centre_signing_an_order_passes(orders, test_pki) -> None:  # type: ignore[no-untyped-def]
    report, check = _rule_check(orders["organisation"], test_pki.trust_dir, MC)
    assert (check.status, check.code) == (CheckStatus.PASS, "signature.signer_rule.pass")
    assert report.verdict is Verdict.PASSED
    assert check.message("ru") == ("Подписал тот, кто должен: Приказ подписывает руководитель Методического центра; "
                                   "подпись САТПАЕВА ГУЛЬНАРА (ИИН ********0789, БИН 990240001122) соответствует.")


def test_another_person_of_the_centre_is_the_wrong_person(orders, test_pki) -> None:  # type: ignore[no-untyped-def]
    expected = ExpectedSigners(persons={"head": ("800101400111",)}, organisations={"methodological_centre": MC_BIN})
    report, check = _rule_check(orders["organisation"], test_pki.trust_dir, expected)
    assert (check.status, check.code) == (CheckStatus.WARN, "signature.signer_rule.wrong_person")
    assert report.verdict is Verdict.NEEDS_REVIEW
    assert [s.indication.value for s in report.signatures] == ["TOTAL_PASSED"]  # the signature itself holds
    assert check.message("kk").startswith("САТПАЕВА ГУЛЬНАРА қолтаңбасы (ЖСН ********0789) жарамды, бірақ басқа адам қойған")
    assert "must be signed by the head of the Methodological Centre" in check.message("en")


def test_a_school_employee_signing_an_order_is_the_wrong_organisation(orders, test_pki) -> None:  # type: ignore[no-untyped-def]
    report, check = _rule_check(orders["signer"], test_pki.trust_dir, MC)
    assert (check.status, check.code) == (CheckStatus.WARN, "signature.signer_rule.wrong_organisation")
    assert report.verdict is Verdict.NEEDS_REVIEW
    assert "(БИН 120340012345, а нужен БИН 990240001122)" in check.message("ru")


def test_a_personal_key_without_bin_is_named(orders, test_pki) -> None:  # type: ignore[no-untyped-def]
    _report, check = _rule_check(orders["ecdsa_signer"], test_pki.trust_dir, MC)
    assert (check.status, check.code) == (CheckStatus.WARN, "signature.signer_rule.personal_key")
    assert "личным ключом физического лица" in check.message("ru")


def test_without_expected_iin_and_bin_nothing_is_compared(orders, test_pki) -> None:  # type: ignore[no-untyped-def]
    report, check = _rule_check(orders["signer"], test_pki.trust_dir, None)
    assert check is None  # the report stays as it was without the rule
    assert report.verdict is Verdict.PASSED
    result = check_signers("order", [report.signatures[0].signer], None)
    assert (result.outcome, result.status) == (Outcome.NOT_CONFIGURED, CheckStatus.SKIP)


def test_a_kind_anyone_may_sign_gets_no_check(orders, test_pki) -> None:  # type: ignore[no-untyped-def]
    _report, check = _rule_check(orders["signer"], test_pki.trust_dir, MC, kind="publication")
    assert check is None


def test_protocol_extract_by_the_council_secretary_of_the_issuing_school() -> None:
    secretary = Signer(common_name="ЖУМАБАЕВА АЙГЕРИМ", iin="900101400123", bin="120340012345")
    expected = ExpectedSigners(persons={"council_chair": ("111111111111",), "council_secretary": ("900101400123",)},
                               organisations={"issuer": "120340012345"})
    assert check_signers("protocol_extract", [secretary], expected).outcome is Outcome.PASS
    other_school = ExpectedSigners(persons=expected.persons, organisations={"issuer": "555555555555"})
    assert check_signers("protocol_extract", [secretary], other_school).outcome is Outcome.WRONG_ORGANISATION
    chair_only = ExpectedSigners(persons={"council_chair": ("111111111111",)}, organisations={"issuer": "120340012345"})
    assert check_signers("protocol_extract", [secretary], chair_only).outcome is Outcome.WRONG_PERSON


def test_a_certain_rule_fails_instead_of_asking_for_review() -> None:
    certain = {"order": SignerRule("order", ("head",), "methodological_centre", True,
                                   {"ru": "руководитель", "kk": "басшы", "en": "the head"})}
    wrong = Signer(common_name="X", iin="900101400123", bin=MC_BIN)
    result = check_signers("order", [wrong], MC, rules=certain)
    assert (result.outcome, result.status) == (Outcome.WRONG_PERSON, CheckStatus.FAIL)
    assert check_signers("order", [wrong], MC).status is CheckStatus.WARN  # the shipped rule is not certain


def test_one_right_signer_among_several_is_enough() -> None:
    school = Signer(common_name="A", iin="900101400123", bin="120340012345")
    head = Signer(common_name="B", iin=HEAD_IIN, bin=MC_BIN)
    result = check_signers("order", [school, head], MC)
    assert (result.outcome, result.signer) == (Outcome.PASS, head)


def test_attest_verify_takes_the_expected_signers(orders, test_pki, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from service.cli import main

    base = ["verify", "--trust", str(test_pki.trust_dir), "--kind", "order", "--lang", "en",
            "--expect-org", f"methodological_centre={MC_BIN}", "--expect-signer", f"head={HEAD_IIN}"]
    assert main([*base, str(orders["organisation"])]) == 0
    assert "✔ signature.signer_rule: Signed by the right person" in capsys.readouterr().out
    assert main([*base, str(orders["signer"])]) == 1
    assert "! signature.signer_rule: The signature of ЖУМАБАЕВА АЙГЕРИМ is valid but made for another organisation" \
        in capsys.readouterr().out
    assert main([*base[:-1], "head=12", str(orders["signer"])]) == 2
    assert "12-digit IIN or BIN" in capsys.readouterr().err
