from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def gost_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GOST keys and root of samples/signatures/gost.py (trust anchor in ``folder / "trust"``)."""
    from samples.signatures.gost import build_gost_cases, gost_available

    if not gost_available():
        pytest.skip("openssl with the GOST engine (libengine-gost-openssl) is not installed")
    folder = tmp_path_factory.mktemp("gost-keys")
    build_gost_cases(folder)
    return folder
