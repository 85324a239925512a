"""Session fixtures of the generation tests: the 22 sample PDFs (converted once, in parallel through
the converter pool) and the test PKI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def gen_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # session fixtures run before the function-scoped data-dir fixture: set it ourselves
    path = tmp_path_factory.getbasetemp() / "attest-data"
    os.environ.setdefault("ATTEST_DATA_DIR", str(path))
    from service.settings import get_settings

    get_settings.cache_clear()
    return Path(os.environ["ATTEST_DATA_DIR"])


@pytest.fixture(scope="session")
def sample_pdfs(gen_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    from service.generation.demo import generate_samples
    from service.registry import service as registry

    out = tmp_path_factory.mktemp("samples-pdf")
    paths = generate_samples(out, numbering=registry)
    return {tuple(p.name.split(".")[:2]): p for p in paths}  # type: ignore[misc]


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from samples.pki import build_test_pki

    return build_test_pki(tmp_path_factory.mktemp("pki"))
