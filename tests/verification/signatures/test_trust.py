"""Trust configuration: nothing is valid by default; CRL files make revocation checkable offline."""

from __future__ import annotations

import shutil

import pytest

from verification.pipeline import VerifyOptions, verify_file
from verification.signatures.trust import load_trust_store


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


def _sig(case, *trust, **kw):  # type: ignore[no-untyped-def]
    report = verify_file(case.path, VerifyOptions(trust=tuple(trust), detached=case.detached, **kw))
    return report, report.signatures[-1]


def test_no_trust_means_no_chain(signature_cases) -> None:  # type: ignore[no-untyped-def]
    # no --trust: the shipped NCA RK store (issue 12), which the test PKI does not chain to
    report, sig = _sig(signature_cases["valid"])
    assert (sig.indication.value, sig.sub_indication.value) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")
    assert [(c.status.value, c.code) for c in report.checks if c.id == "signature.trust"] == [
        ("warn", "signature.trust.no_chain")]


def test_default_store_is_the_nca_rk_set() -> None:
    store = load_trust_store(())
    names = sorted(c.subject.native["common_name"] for c in store.certificates())
    assert len(names) == 4 and all("ОРТАЛЫҚ" in n for n in names)
    assert len(store.anchors) == 2 and len(store.intermediates) == 2  # roots 2015, intermediates 2018


def test_certificates_without_crls_is_try_later(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    report, sig = _sig(signature_cases["valid"], test_pki.root_pem, test_pki.intermediate_pem)
    assert (sig.indication.value, sig.sub_indication.value) == ("INDETERMINATE", "TRY_LATER")
    (check,) = [c for c in report.checks if c.id == "signature.revocation"]
    assert (check.status.value, check.code) == ("warn", "signature.revocation.try_later")
    assert "ЖУМАБАЕВА АЙГЕРИМ" in check.message("en")


def test_same_with_crl_files_passes(signature_cases, test_pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "nested" / "deeper"
    folder.mkdir(parents=True)
    shutil.copy(test_pki.root_pem, folder / "root.crt")
    shutil.copy(test_pki.intermediate_pem, tmp_path / "nested" / "intermediate.cer")
    shutil.copy(test_pki.crl_path, folder / "intermediate.crl")
    shutil.copy(test_pki.root_crl_path, folder / "root.crl")
    (tmp_path / "nested" / "README.txt").write_text("ignored")
    _, sig = _sig(signature_cases["valid"], tmp_path / "nested")
    assert (sig.indication.value, sig.sub_indication) == ("TOTAL_PASSED", None)


def test_revoked_needs_the_crl(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    _, sig = _sig(signature_cases["revoked"], test_pki.root_pem, test_pki.intermediate_pem)
    assert (sig.indication.value, sig.sub_indication.value) == ("INDETERMINATE", "TRY_LATER")
    _, sig = _sig(signature_cases["revoked"], test_pki.trust_dir)
    assert (sig.indication.value, sig.sub_indication.value) == ("TOTAL_FAILED", "REVOKED")


def test_trust_store_classifies_anchors(test_pki) -> None:  # type: ignore[no-untyped-def]
    store = load_trust_store([test_pki.trust_dir])
    assert [c.subject.native["common_name"] for c in store.anchors] == ["Attest Test Root CA"]
    assert [c.subject.native["common_name"] for c in store.intermediates] == ["Attest Test Issuing CA"]
    assert len(store.crls) == 2
    only_intermediate = load_trust_store([test_pki.intermediate_pem])  # an issuing CA alone is an anchor
    assert [c.subject.native["common_name"] for c in only_intermediate.anchors] == ["Attest Test Issuing CA"]


def test_unusable_trust_path_fails_plainly(signature_cases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.pem"
    junk.write_text("hello")
    for trust in (tmp_path / "missing", junk):
        report = verify_file(signature_cases["valid"].path, VerifyOptions(trust=(trust,)))
        assert report.verdict.value == "failed"
        assert [(c.id, c.code) for c in report.checks] == [("file.readable", "trust.unusable")]
        assert report.checks[0].message("en").startswith("The trusted certificate store cannot be used:")
