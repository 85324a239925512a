"""Seal and signature presence checks: confident finding PASS, uncertain finding or poor page WARN with
the page and region, confident absence FAIL only where the kind requires the mark."""

from __future__ import annotations

import hashlib

import pytest

from verification.pipeline import FileContext, ReportBuilder, VerifyOptions
from verification.report import UNCERTAIN, CheckStatus, Finding, Report
from verification.scans.step import ScanStep


def _run(kind: str | None, seals: list[Finding], sigs: list[Finding], poor: list[int] = ()) -> dict:  # type: ignore[assignment]
    data = b"\xff\xd8fake"
    ctx = FileContext(None, "scan.jpg", data, hashlib.sha256(data).hexdigest(), "image/jpeg", VerifyOptions())
    out = ReportBuilder(seals=seals, handwritten_signatures=sigs)
    ScanStep()._presence_checks(ctx, out, kind, True, poor)
    return {c.id: c for c in out.checks}


def _mid(cls: str) -> float:
    lo, hi = UNCERTAIN[cls]
    return round((lo + hi) / 2, 3)


def test_confident_findings_pass() -> None:
    checks = _run("transmission_program", [Finding(2, (100, 100, 500, 500), UNCERTAIN["seal"][1], "round")],
                  [Finding(1, (10, 10, 90, 40), 0.95)])
    assert (checks["scan.seal"].status, checks["scan.seal"].code, checks["scan.seal"].params) == (
        CheckStatus.PASS, "scan.seal.found", {"page": 2})
    assert (checks["scan.handwritten_signature"].status, checks["scan.handwritten_signature"].params) == (
        CheckStatus.PASS, {"page": 1})


def test_only_uncertain_findings_need_review_with_page_and_region() -> None:
    seal = Finding(3, (120, 300, 540, 700), _mid("seal"))
    weaker = Finding(1, (0, 0, 50, 50), UNCERTAIN["seal"][0])
    checks = _run("transmission_program", [weaker, seal], [Finding(3, (600, 900, 1100, 1050), _mid("signature"))])
    c = checks["scan.seal"]
    assert (c.status, c.code, c.params) == (CheckStatus.WARN, "scan.seal.uncertain",
                                            {"page": 3, "bbox": [120, 300, 540, 700]})
    assert c.message("ru").startswith("На странице 3 возможно есть печать")
    assert c.message("kk").startswith("3-бетте мөр болуы мүмкін")
    assert c.message("en").startswith("Page 3 may carry a seal")
    s = checks["scan.handwritten_signature"]
    assert (s.status, s.code, s.params) == (CheckStatus.WARN, "scan.signature.uncertain",
                                            {"page": 3, "bbox": [600, 900, 1100, 1050]})
    # the report keeps the region for the page picture, and the verdict is needs_review, not failed
    rep = Report(file="scan.jpg", sha256="0" * 64, media_type="image/jpeg", pages=3, kind="transmission_program",
                 seals=(seal,), checks=(c, s))
    assert rep.verdict.value == "needs_review"
    assert Report.from_dict(rep.to_dict()) == rep


def test_confident_absence_fails_where_required_and_poor_page_needs_review() -> None:
    checks = _run("transmission_program", [], [])
    assert (checks["scan.seal"].status, checks["scan.seal"].code) == (CheckStatus.FAIL, "scan.seal.missing_required")
    assert (checks["scan.handwritten_signature"].status, checks["scan.handwritten_signature"].code) == (
        CheckStatus.FAIL, "scan.signature.missing_required")
    poor = _run("transmission_program", [], [], [2])
    assert (poor["scan.seal"].status, poor["scan.seal"].code, poor["scan.seal"].params) == (
        CheckStatus.WARN, "scan.seal.poor_page", {"page": 2})
    assert poor["scan.handwritten_signature"].code == "scan.signature.poor_page"
    assert poor["scan.seal"].message("en").startswith("Page 2 is scanned too poorly")


@pytest.mark.parametrize("kind,code,status", [
    (None, "scan.seal.not_required", CheckStatus.SKIP),
    ("certificate", "scan.seal.uncertain", CheckStatus.WARN),
])
def test_uncertain_seal_matters_only_where_a_seal_is_expected(kind: str | None, code: str,
                                                               status: CheckStatus) -> None:
    checks = _run(kind, [Finding(1, (10, 10, 400, 400), _mid("seal"))], [])
    assert (checks["scan.seal"].status, checks["scan.seal"].code) == (status, code)
