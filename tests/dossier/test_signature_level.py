"""A signature's ``level`` (B-B/B-T) survives the service's path: stored report JSON → ``Report.from_dict`` →
matching → ``manifest.json``; a report stored before the field existed still loads (level None). The
dossier's own signature reaches B-T when the signer has a TSA (``ATTEST_TSA_URL``), B-B without."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from samples.dossier.reports import PERIOD, TEACHER
from samples.signatures import sign_pdf_bt, timestamper
from samples.signatures.documents import certificate_pdf
from service.attestation.assembly import DossierDocument
from service.attestation.build import build_from_reports
from service.attestation.profiles import load_profile
from service.settings import Settings
from service.signing import PadesSigner, signer_from_settings
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


def _dossier_signature(pdf: Path, test_pki) -> tuple[str, str | None, str | None]:  # type: ignore[no-untyped-def]
    """(indication, level, timestamp time) of the last signature in ``pdf``: the dossier's own."""
    report = verify_file(pdf, VerifyOptions(trust=(test_pki.trust_dir,)), name=pdf.name)
    sig = report.signatures[-1]
    return sig.indication.value, sig.level, sig.timestamp_time


@pytest.mark.parametrize("with_tsa", [True, False], ids=["tsa-B-T", "no-tsa-B-B"])
def test_dossier_signed_with_a_tsa_reaches_b_t(with_tsa: bool, stored, b_t_pdf: Path, test_pki,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    service = test_pki.signers["service"]
    signer = PadesSigner(service.p12, service.password,
                         timestamper=timestamper(test_pki, "tsa", TSA_TIME) if with_tsa else None)
    assert signer.timestamped is with_tsa
    report = dataclasses.replace(Report.from_dict(stored), kind="certificate")
    built = build_from_reports(profile=load_profile("kz-researcher"), teacher=TEACHER, period=PERIOD,
                               documents=[DossierDocument("certificate.pdf", b_t_pdf, report)],
                               out_dir=tmp_path / "out", dossier_id="D-BT", signer=signer)
    assert built.assembly.signed
    if with_tsa:
        assert _dossier_signature(built.pdf, test_pki) == ("TOTAL_PASSED", "B-T", "2024-03-15T10:30:05+00:00")
    else:
        assert _dossier_signature(built.pdf, test_pki)[:2] == ("TOTAL_PASSED", "B-B")


def test_signer_from_settings_timestamps_with_the_configured_tsa(test_pki) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.sign.timestamps import HTTPTimeStamper

    org = test_pki.signers["organisation"]
    assert signer_from_settings(Settings(organisation_p12=None)) is None
    plain = signer_from_settings(Settings(organisation_p12=org.p12, organisation_p12_password=org.password.decode()))
    assert plain == PadesSigner(org.p12, org.password) and not plain.timestamped
    stamped = signer_from_settings(Settings(organisation_p12=org.p12, organisation_p12_password=org.password.decode(),
                                            tsa_url="http://tsa.attest.test/tsp"))
    assert stamped is not None and stamped.tsa_url == "http://tsa.attest.test/tsp" and stamped.timestamped
    assert isinstance(stamped._timestamper, HTTPTimeStamper) and stamped._timestamper.url == stamped.tsa_url
