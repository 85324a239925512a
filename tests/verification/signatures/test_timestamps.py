"""PAdES B-T: signature timestamps from the test PKI's TSA, an untrusted TSA, and past validation (ETSI EN 319 102-1 § 5.5)."""

from __future__ import annotations

import pytest

from samples.signatures import TIMESTAMP_CASES, TIMESTAMP_TIMES, TimestampCase, build_timestamp_cases
from verification.pipeline import VerifyOptions, verify_file
from verification.report import CheckStatus


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


@pytest.fixture(scope="session")
def timestamp_cases(test_pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, TimestampCase]:  # type: ignore[no-untyped-def]
    return build_timestamp_cases(tmp_path_factory.mktemp("timestamp-cases"), test_pki)


def _verify(case: TimestampCase, test_pki):  # type: ignore[no-untyped-def]
    return verify_file(case.path, VerifyOptions(trust=(test_pki.trust_dir,)))


def _checks(report) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {c.id: (c.status.value, c.code) for c in report.checks}


@pytest.mark.parametrize("name", TIMESTAMP_CASES)
def test_indication_level_and_timestamp_time(name: str, timestamp_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    case = timestamp_cases[name]
    (sig,) = _verify(case, test_pki).signatures
    assert sig.type == "pades"
    got = (sig.indication.value, sig.sub_indication.value if sig.sub_indication else None, sig.level,
           sig.timestamp_time)
    assert got == (case.indication, case.sub_indication, case.level, case.timestamp_time), (name, sig)


def test_b_t_valid_reports_the_tsa_time_and_level(timestamp_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(timestamp_cases["bt_valid"], test_pki)
    assert report.verdict.value == "passed"
    d = report.to_dict("en")["signatures"][0]
    assert (d["indication"], d["sub_indication"]) == ("TOTAL_PASSED", None)
    assert d["timestamp_time"] == "2024-03-15T10:30:05+00:00" == TIMESTAMP_TIMES["bt_valid"].isoformat()
    assert d["signing_time"] == "2024-03-15T10:29:05+00:00"  # the signer's claim (/M), one minute earlier
    assert d["level"] == "B-T"
    assert [c.id for c in report.checks] == [
        "signature.present", "signature.integrity", "signature.algorithm", "signature.trust", "signature.timestamp",
        "signature.validity_period", "signature.revocation", "signature.modifications"]
    assert all(c.status is CheckStatus.PASS for c in report.checks)
    ts = next(c for c in report.checks if c.id == "signature.timestamp")
    assert ts.code == "signature.timestamp.pass"
    assert "“Attest Test TSA”" in ts.message("en") and "2024-03-15T10:30:05+00:00" in ts.message("en")


def test_b_b_signature_has_no_timestamp_line(test_pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from samples.signatures import sign_pdf
    from samples.signatures.documents import certificate_pdf

    f = tmp_path / "bb.pdf"
    f.write_bytes(sign_pdf(certificate_pdf(), test_pki))
    report = verify_file(f, VerifyOptions(trust=(test_pki.trust_dir,)))
    (sig,) = report.signatures
    assert (sig.level, sig.timestamp_time) == ("B-B", None)
    assert "signature.timestamp" not in _checks(report)


def test_untrusted_tsa_is_ignored_not_fatal(timestamp_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    """§ 5.5.4: a timestamp that fails its own validation (§ 5.4) gives no proof of existence and is not used;
    the signature, valid at the current time, stays TOTAL_PASSED at level B-B. The file needs review
    because it carries a time claim nobody can vouch for."""
    report = _verify(timestamp_cases["bt_untrusted_tsa"], test_pki)
    (sig,) = report.signatures
    assert (sig.indication.value, sig.sub_indication, sig.level, sig.timestamp_time) == (
        "TOTAL_PASSED", None, "B-B", None)
    checks = _checks(report)
    assert checks["signature.timestamp"] == ("warn", "signature.timestamp.ignored")
    assert [k for k, (status, _code) in checks.items() if status != "pass"] == ["signature.timestamp"]
    assert report.verdict.value == "needs_review"
    msg = next(c for c in report.checks if c.id == "signature.timestamp").message("en")
    assert "“Unknown TSA”" in msg and "(NO_CERTIFICATE_CHAIN_FOUND)" in msg


def test_expired_after_timestamp_passes_by_past_validation(timestamp_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report = _verify(timestamp_cases["bt_expired_after_timestamp"], test_pki)
    assert report.verdict.value == "passed"
    checks = _checks(report)
    assert checks["signature.validity_period"] == ("pass", "signature.validity_period.poe")
    assert checks["signature.revocation"] == ("pass", "signature.revocation.pass")
    msg = next(c for c in report.checks if c.id == "signature.validity_period").message("en")
    assert "expired on 2023-01-01T00:00:00+00:00" in msg and "made on 2022-06-01T08:30:00+00:00" in msg
    # the same signer and claimed time without a timestamp: nothing proves when it was signed
    control = _verify(timestamp_cases["bb_expired_no_timestamp"], test_pki)
    assert _checks(control)["signature.validity_period"] == ("warn", "signature.validity_period.expired")
    assert control.verdict.value == "needs_review"


def test_timestamp_after_expiry_and_missing_revocation_data(timestamp_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    late = _checks(_verify(timestamp_cases["bt_timestamp_after_expiry"], test_pki))
    assert late["signature.validity_period"] == ("warn", "signature.validity_period.timestamp_outside")
    no_crl = _verify(timestamp_cases["bt_no_revocation_data_for_timestamp"], test_pki)
    assert _checks(no_crl)["signature.revocation"] == ("warn", "signature.revocation.try_later_past")
    assert "(ПЕТРОВА МАРИЯ)" in next(c for c in no_crl.checks if c.id == "signature.revocation").message("en")


def test_without_trust_the_timestamp_is_not_used(timestamp_cases) -> None:  # type: ignore[no-untyped-def]
    (sig,) = verify_file(timestamp_cases["bt_valid"].path, VerifyOptions()).signatures
    assert (sig.indication.value, sig.sub_indication.value, sig.timestamp_time, sig.level) == (
        "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND", None, "B-B")


def test_new_texts_in_three_languages(timestamp_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    seen = set()
    for name in TIMESTAMP_CASES:
        for c in _verify(timestamp_cases[name], test_pki).checks:
            texts = c.messages()
            assert set(texts) == {"ru", "kk", "en"}
            assert all("?" not in t.split("(")[0] for t in texts.values()), texts
            seen.add(c.code)
    assert {"signature.timestamp.pass", "signature.timestamp.ignored", "signature.validity_period.poe",
            "signature.validity_period.timestamp_outside", "signature.revocation.try_later_past"} <= seen
