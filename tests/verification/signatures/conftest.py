"""Signed specimens for the conformance suite, built once per session from the test PKI."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.signatures import Case, build_cases


@pytest.fixture(scope="session")
def signature_cases(test_pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:  # type: ignore[no-untyped-def]
    return build_cases(tmp_path_factory.mktemp("signature-cases"), test_pki)


@pytest.fixture(scope="session")
def gost_cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Case], Path]:
    from samples.signatures.gost import build_gost_cases, gost_available

    if not gost_available():
        pytest.skip("openssl with the GOST engine (libengine-gost-openssl) is not installed")
    folder = tmp_path_factory.mktemp("gost-cases")
    return build_gost_cases(folder), folder / "trust"
