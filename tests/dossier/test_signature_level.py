"""A signature's ``level`` (B-B/B-T) survives the service's path: stored report JSON → ``report_from_dict`` →
matching → ``manifest.json``; a report stored before the field existed still loads (level None)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from samples.dossier.reports import PERIOD, TEACHER
from samples.signatures import sign_pdf_bt
from samples.signatures.documents import certificate_pdf
from service.attestation.assembly import DossierDocument
from service.attestation.build import build_from_reports
from service.attestation.profiles import load_profile
from verification.pipeline import VerifyOptions, verify_file
from verification.report import Indication, Report

TSA_TIME = datetime(2024, 3, 15, 10, 30, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def b_t_pdf(test_pki, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    f = tmp_path_factory.mktemp("level") / "certificate.pdf"
    f.write_bytes(sign_pdf_bt(certificate_pdf(), test_pki, tsa="tsa", signing_time=TSA_TIME - timedelta(minutes=1),
                              timestamp_time=TSA_TIME))
    return f


@pytest.fixture()
def stored(b_t_pdf: Path, test_pki, monkeypatch: pytest.MonkeyPatch) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The report as the service stores it: the CONTRACT JSON, through json."""
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))
    report = verify_file(b_t_pdf, VerifyOptions(trust=(test_pki.trust_dir,)), name="certificate.pdf")
    return json.loads(json.dumps(report.to_dict("ru"), ensure_ascii=False))


def test_stored_report_keeps_its_level_through_matching_into_the_manifest(  # type: ignore[no-untyped-def]
        stored, b_t_pdf: Path, tmp_path: Path) -> None:
    (sig_json,) = stored["signatures"]
    assert (sig_json["indication"], sig_json["level"]) == ("TOTAL_PASSED", "B-T")

    report = Report.from_dict(stored)
    (sig,) = report.signatures
    assert (sig.indication, sig.level, sig.timestamp_time) == (
        Indication.TOTAL_PASSED, "B-T", "2024-03-15T10:30:05+00:00")
    assert report.to_dict("ru")["signatures"] == stored["signatures"]  # nothing of the signature entry is lost

    report = dataclasses.replace(report, kind="certificate")
    built = build_from_reports(profile=load_profile("kz-researcher"), teacher=TEACHER, period=PERIOD,
                               documents=[DossierDocument("certificate.pdf", b_t_pdf, report)],
                               out_dir=tmp_path / "out", dossier_id="D-LEVEL")
    manifest = json.loads(built.manifest.read_text(encoding="utf-8"))
    (entry,) = manifest["files"]
    assert entry["path"] == "certificate.pdf"
    (manifest_sig,) = entry["report"]["signatures"]
    assert manifest_sig["level"] == "B-T"
    assert manifest_sig == sig_json


def test_old_report_without_level_loads_with_none(stored) -> None:  # type: ignore[no-untyped-def]
    old = json.loads(json.dumps(stored))
    for s in old["signatures"]:
        del s["level"]
        del s["shadow_pages"]  # also absent from the oldest stored reports
    report = Report.from_dict(old)
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication, sig.level, sig.shadow_pages) == (
        Indication.TOTAL_PASSED, None, None, ())
    (again,) = report.to_dict("ru")["signatures"]
    assert again["level"] is None
    assert {k: v for k, v in again.items() if k not in ("level", "shadow_pages")} == old["signatures"][0]
