"""``Report.from_dict(r.to_dict()) == r``: the report a job stores comes back whole, with every check's
parameters (the dossier's «Текст на странице 2 не удалось распознать», not «страница ?»).

Two sources: every report of the test corpus (the signed specimens of the conformance suite, the
scan specimens, the hostile files, the dossier tests' synthetic reports), and reports drawn by
Hypothesis with every field set.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples.dossier.reports import make_report
from samples.scans.generate import PageSpec, render_page
from samples.signatures import build_cases
from tests.hostile.make_corpus import build_corpus
from verification.pipeline import VerifyOptions, verify_bytes, verify_file
from verification.report import (
    FIELD_NAMES,
    Check,
    CheckStatus,
    Coverage,
    FieldValue,
    Finding,
    Indication,
    PageFrame,
    QRCode,
    Report,
    SignatureResult,
    Signer,
    SubIndication,
)


def _through_json(report: Report, lang: str = "ru") -> Report:
    """What the service does: to_dict, stored as JSON text, loaded, from_dict."""
    return Report.from_dict(json.loads(json.dumps(report.to_dict(lang), ensure_ascii=False)))


def test_every_signed_specimen_round_trips(test_pki: Any, tmp_path: Path) -> None:
    cases = build_cases(tmp_path / "cases", test_pki)
    assert len(cases) >= 10
    for case in cases.values():
        options = VerifyOptions(trust=(test_pki.trust_dir,), detached=getattr(case, "detached", None))
        report = verify_file(case.path, options)
        assert report.signatures or report.checks, case.name
        assert _through_json(report) == report, case.name
        assert _through_json(report).to_dict("kk") == report.to_dict("kk"), case.name


@pytest.mark.slow
def test_scan_specimens_round_trip_with_their_check_parameters(tmp_path: Path) -> None:
    img, _ = render_page(PageSpec(lang="ru", kind="certificate", seal="round", seal_color="blue"), 11)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88, dpi=(300, 300))
    path = tmp_path / "cert.jpg"
    path.write_bytes(buf.getvalue())
    report = verify_file(path, VerifyOptions(teacher="Другой Человек Иванович", kind="order", workers=1))
    again = _through_json(report)
    assert again == report
    with_params = [c for c in report.checks if c.params]
    assert with_params, "the scan's checks carry parameters (page, found name, kinds)"
    for before, after in zip(report.checks, again.checks, strict=True):
        assert after.messages() == before.messages()
        assert "?" not in after.message("ru").replace("?»", "»")  # no placeholder left unfilled


@pytest.mark.slow
def test_hostile_files_round_trip(tmp_path: Path) -> None:
    small = [f for f in build_corpus(tmp_path) if len(f.data) < 2_000_000]
    assert len(small) >= 10
    for hostile in small:
        report = verify_bytes(hostile.data, hostile.name, VerifyOptions(workers=1, time_budget_s=30.0))
        assert _through_json(report) == report, hostile.name


def test_synthetic_dossier_reports_round_trip() -> None:
    reports = [
        make_report("a.pdf", "certificate", seal=True, handwritten=True, number="12", level="regional",
                    places=[{"id": "taraz", "name": "Тараз", "type": "city", "region": "zhambyl"}]),
        make_report("b.pdf", "order", digital=Indication.TOTAL_PASSED, person=False, date=None),
        make_report("c.jpg", None, failed=True, phashes=["0f0f0f0f0f0f0f0f", "ffff000011112222"]),
    ]
    for report in reports:
        assert _through_json(report) == report


def test_a_report_stored_before_params_existed_loads_with_empty_params() -> None:
    stored = {"file": "old.pdf", "sha256": "ab" * 32, "media_type": "application/pdf", "pages": 1,
              "kind": None, "verdict": "needs_review",
              "checks": [{"id": "fields.date", "status": "warn", "message": "…", "code": "fields.date.missing"}]}
    report = Report.from_dict(stored)
    assert report.checks == (Check("fields.date", CheckStatus.WARN, "fields.date.missing", {}),)
    assert report.verdict.value == "needs_review"


# ------------------------------------------------------------------ drawn reports

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), _text,
                         st.floats(allow_nan=False, allow_infinity=False, width=32))
_json = st.recursive(_json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(_text, inner, max_size=3)), max_leaves=6)
_bbox = st.tuples(*[st.integers(0, 5000)] * 4)
_confidence = st.floats(0, 1, allow_nan=False)

_signer = st.builds(Signer, *[st.none() | _text] * 8)
_signature = st.builds(
    SignatureResult,
    type=st.sampled_from(["pades", "cms_detached", "cms_attached", "doc_timestamp"]),
    indication=st.sampled_from(list(Indication)),
    sub_indication=st.none() | st.sampled_from(list(SubIndication)),
    signer=_signer,
    signing_time=st.none() | _text,
    timestamp_time=st.none() | _text,
    algorithm=st.none() | _text,
    coverage=st.none() | st.sampled_from(list(Coverage)),
    modified_after_signing=st.booleans(),
    modifications=st.none() | st.sampled_from(["none", "form_filling", "annotations", "other"]),
    shadow_pages=st.lists(st.integers(1, 50), max_size=3).map(tuple),
    field_name=st.none() | _text,
    reason=st.none() | _text,
    level=st.none() | st.sampled_from(["B-B", "B-T"]),
    permitted_changes=st.lists(st.sampled_from(["lta_updates", "form_filling", "annotations"]), max_size=2).map(tuple),
)
_finding = st.builds(Finding, st.integers(1, 99), _bbox, _confidence, st.none() | st.sampled_from(["round", "oval"]))
_field = st.builds(FieldValue, _json_scalar, _confidence, st.none() | st.booleans(), st.none() | st.integers(1, 9),
                   st.none() | _text)
_check = st.builds(Check, _text.filter(bool), st.sampled_from(list(CheckStatus)),
                   st.sampled_from(["fields.date.ok", "scan.ocr_failed", "signature.present", "no.such.code"]),
                   st.dictionaries(st.sampled_from(["page", "reason", "found", "expected", "count", "kind", "x"]),
                                   _json, max_size=4))
_qr = st.builds(QRCode, st.integers(1, 9), _text, st.none() | _bbox,
                st.none() | st.sampled_from(["issued_unchanged", "issued_altered", "unknown_id"]), st.none() | _text)
_size = st.tuples(st.integers(1, 9000), st.integers(1, 9000))
_point = st.tuples(*[st.floats(-1e4, 1e4, allow_nan=False)] * 2)
_frame = st.builds(PageFrame, st.integers(1, 99), _size, _size, st.sampled_from([0, 90, 180, 270]),
                   st.floats(-4, 4, allow_nan=False), st.none() | st.tuples(*[_point] * 4), st.none() | _size)
_report = st.builds(
    Report,
    file=_text, sha256=st.text("0123456789abcdef", min_size=64, max_size=64), media_type=st.none() | _text,
    pages=st.none() | st.integers(0, 2000), kind=st.none() | _text,
    signatures=st.lists(_signature, max_size=2).map(tuple),
    seals=st.lists(_finding, max_size=2).map(tuple),
    handwritten_signatures=st.lists(_finding, max_size=2).map(tuple),
    fields=st.dictionaries(st.sampled_from(FIELD_NAMES), _field, max_size=len(FIELD_NAMES)),
    checks=st.lists(_check, max_size=4).map(tuple),
    qr_codes=st.lists(_qr, max_size=2).map(tuple),
    text_source=st.none() | st.sampled_from(["text_layer", "ocr", "mixed"]),
    perceptual_hashes=st.lists(st.text("0123456789abcdef", min_size=16, max_size=16), max_size=3).map(tuple),
    duration_ms=st.none() | st.floats(0, 1e6, allow_nan=False),
    page_frames=st.lists(_frame, max_size=2).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(_report)
def test_any_report_round_trips(report: Report) -> None:
    assert _through_json(report) == report
