"""Shared fixtures. Expensive specimens (test PKI, sample documents) are built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import service.tasks  # noqa: F401  (every job kind, registered as the app and `attest worker` register them)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real data dir."""
    if "ATTEST_DATA_DIR" not in os.environ:
        monkeypatch.setenv("ATTEST_DATA_DIR", str(tmp_path_factory.getbasetemp() / "attest-data"))
    from service.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The test PKI of samples/pki.py, built once per session."""
    from samples.pki import build_test_pki

    return build_test_pki(tmp_path_factory.mktemp("pki"))
