"""GOST R 34.10-2012 (Streebog-256/512) and Kazakh GOST OIDs, against signatures made by OpenSSL's GOST engine."""

from __future__ import annotations

import pytest

from samples.signatures.gost import GOST_CASES
from verification.pipeline import VerifyOptions, verify_file


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


@pytest.mark.parametrize("name", GOST_CASES)
def test_gost_cases(name: str, gost_cases) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_cases
    case = cases[name]
    report = verify_file(case.path, VerifyOptions(trust=(trust,), detached=case.detached))
    (sig,) = report.signatures
    assert sig.indication.value == case.indication, sig
    assert (sig.sub_indication.value if sig.sub_indication else None) == case.sub_indication, sig


def test_gost_identity_and_algorithm(gost_cases) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_cases
    (sig,) = verify_file(cases["gost_256_valid"].path,
                         VerifyOptions(trust=(trust,), detached=cases["gost_256_valid"].detached)).signatures
    assert sig.signer.common_name == "ЖУМАБАЕВА АЙГЕРИМ" and sig.signer.iin == "900101400123"
    assert sig.signer.bin == "120340012345"
    assert sig.algorithm == "GOST R 34.10-2012 (256) with Streebog-256"  # key OID in SignerInfo, named with its digest
    (sig,) = verify_file(cases["gost_512_valid"].path,
                         VerifyOptions(trust=(trust,), detached=cases["gost_512_valid"].detached)).signatures
    assert sig.algorithm == "GOST R 34.10-2012 (512) with Streebog-512" and sig.signer.common_name == "Иванова Мария Петровна"


def test_unknown_gost_names_the_algorithm(gost_cases) -> None:  # type: ignore[no-untyped-def]
    cases, trust = gost_cases
    c = cases["gost_kz2004"]
    report = verify_file(c.path, VerifyOptions(trust=(trust,), detached=c.detached))
    (check,) = [x for x in report.checks if x.id == "signature.algorithm"]
    assert check.status.value == "warn"
    assert "GOST 34.310-2004 (Kazakhstan, 1.2.398.3.10.1.1.1.2)" in check.message("en")
    assert report.verdict.value == "needs_review"


def test_gost_without_trust_is_not_valid(gost_cases) -> None:  # type: ignore[no-untyped-def]
    cases, _trust = gost_cases
    c = cases["gost_512_valid"]
    (sig,) = verify_file(c.path, VerifyOptions(detached=c.detached)).signatures
    assert (sig.indication.value, sig.sub_indication.value) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")


def _signer_key_and_value(c):  # type: ignore[no-untyped-def]
    from verification.signatures import gost
    from verification.signatures.cms import load_signed_data

    sd = load_signed_data(c.detached.read_bytes())
    si = sd["signer_infos"][0]
    cert = next(x.chosen for x in sd["certificates"])
    key = gost._public_key(cert)
    digest = gost.streebog(si["signed_attrs"].untag().dump(), key.bits)
    return key, digest, bytes(si["signature"].native)


def test_byte_order_conventions(gost_cases) -> None:  # type: ignore[no-untyped-def]
    """OpenSSL's s‖r big-endian value over a little-endian digest verifies; any other layout does not."""
    from verification.signatures import gost

    cases, _ = gost_cases
    for name in ("gost_256_valid", "gost_512_valid"):
        key, digest, value = _signer_key_and_value(cases[name])
        n = len(value) // 2
        assert gost.verify_value(key, digest, value) is True
        assert gost.verify_value(key, digest, value[n:] + value[:n]) is False  # r‖s
        assert gost.verify_value(key, digest[::-1], value) is False  # big-endian digest
        flipped = bytes([value[0] ^ 1]) + value[1:]
        assert gost.verify_value(key, digest, flipped) is False


def test_corrupted_gost_value_is_sig_crypto_failure(gost_cases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from asn1crypto import cms

    cases, trust = gost_cases
    c = cases["gost_512_valid"]
    ci = cms.ContentInfo.load(c.detached.read_bytes())
    sd = ci["content"]
    si = cms.SignerInfo.load(sd["signer_infos"][0].dump())
    value = bytes(si["signature"].native)
    si["signature"] = cms.OctetString(value[:-1] + bytes([value[-1] ^ 0x55]))
    sd["signer_infos"] = cms.SignerInfos([si])
    bad = tmp_path / "broken.sig"
    bad.write_bytes(cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump())
    (sig,) = verify_file(c.path, VerifyOptions(trust=(trust,), detached=bad)).signatures
    assert (sig.indication.value, sig.sub_indication.value) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")
