"""A validly signed certificate through the whole pipeline (signature step, then scan step)."""

from __future__ import annotations

from verification.pipeline import VerifyOptions, verify_file
from verification.report import Verdict


def test_valid_signed_certificate_passes_and_names_issuer_from_certificate(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    case = signature_cases["valid"]
    report = verify_file(case.path, VerifyOptions(trust=(test_pki.trust_dir,), teacher="Жумабаева Айгерим Сериковна"))
    d = report.to_dict("en")
    assert d["verdict"] == "passed", [c for c in d["checks"] if c["status"] != "pass"]
    assert d["fields"]["issuer"]["value"] == "КГУ «Школа-гимназия № 12» отдела образования г. Тараз"
    assert d["fields"]["issuer"]["raw"] == "signature certificate"
    assert d["fields"]["person_name"]["matches_expected"] is True
    assert {c["id"]: c["status"] for c in d["checks"]}["scan.seal"] == "skip"


def test_without_trust_the_same_file_needs_review(signature_cases) -> None:  # type: ignore[no-untyped-def]
    report = verify_file(signature_cases["valid"].path, VerifyOptions())
    assert report.verdict is Verdict.NEEDS_REVIEW
    assert report.fields["issuer"].value is None or report.fields["issuer"].raw != "signature certificate"
