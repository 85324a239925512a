"""Replays every input the fuzzer ever crashed on: each must now give a report, not an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from verification.pipeline import VerifyOptions, verify_bytes

CASES = sorted(p for p in (Path(__file__).parent / "regressions").glob("*") if p.is_file() and p.name != ".gitkeep")


@pytest.mark.skipif(not CASES, reason="the fuzzer has found no crash yet")
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fuzz_regression(case: Path) -> None:
    report = verify_bytes(case.read_bytes(), case.name, VerifyOptions(max_pages=3, workers=1, time_budget_s=30))
    assert report.verdict.value in ("failed", "needs_review", "passed")
    assert report.to_dict()["sha256"] == report.sha256
    assert [c for c in report.checks if c.code == "internal.error"] == []
