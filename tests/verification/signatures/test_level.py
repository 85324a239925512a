"""The signature's ETSI baseline level (``level``) in the report JSON: a proper field of ``SignatureResult``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from samples.signatures import sign_pdf, sign_pdf_bt
from samples.signatures.documents import certificate_pdf
from verification.pipeline import VerifyOptions, verify_file
from verification.report import SignatureResult

TSA_TIME = datetime(2024, 3, 15, 10, 30, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


def _json_signature(path: Path, test_pki) -> tuple[SignatureResult, dict]:  # type: ignore[no-untyped-def,type-arg]
    report = verify_file(path, VerifyOptions(trust=(test_pki.trust_dir,)))
    (sig,) = report.signatures
    (d,) = json.loads(json.dumps(report.to_dict("en"), ensure_ascii=False))["signatures"]
    return sig, d


def test_b_t_specimen_reports_level_b_t(test_pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "bt.pdf"
    f.write_bytes(sign_pdf_bt(certificate_pdf(), test_pki, tsa="tsa", signing_time=TSA_TIME - timedelta(minutes=1),
                              timestamp_time=TSA_TIME))
    sig, d = _json_signature(f, test_pki)
    assert type(sig) is SignatureResult  # the report's own class, no subclass adds the field
    assert (d["type"], d["indication"], d["sub_indication"]) == ("pades", "TOTAL_PASSED", None)
    assert d["timestamp_time"] == "2024-03-15T10:30:05+00:00"
    assert d["level"] == "B-T"


def test_b_b_specimen_reports_level_b_b(test_pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "bb.pdf"
    f.write_bytes(sign_pdf(certificate_pdf(), test_pki))
    sig, d = _json_signature(f, test_pki)
    assert type(sig) is SignatureResult
    assert (d["type"], d["indication"], d["sub_indication"]) == ("pades", "TOTAL_PASSED", None)
    assert d["timestamp_time"] is None
    assert d["level"] == "B-B"


def test_unreadable_signature_has_no_level(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    """A signature container that cannot be parsed was not evaluated as PAdES: the key is there, null."""
    _sig, d = _json_signature(signature_cases["malformed"].path, test_pki)
    assert (d["indication"], d["sub_indication"], d["reason"]) == ("TOTAL_FAILED", "FORMAT_FAILURE", "format_error")
    assert "level" in d and d["level"] is None

