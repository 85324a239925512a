"""The web app over its own data dir (SQLite) with the demo accounts, for tests that walk its pages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def demo_client(data_dir: Path) -> Iterator[Any]:
    """A TestClient of the app (no worker) over a migrated, demo-seeded store in ``data_dir``; the settings
    and engine caches are cleared before and after."""
    os.environ["ATTEST_DATA_DIR"] = str(data_dir)
    from service.settings import get_settings

    get_settings.cache_clear()
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.db import get_engine, session_scope, upgrade
    from service.seed import seed_demo

    get_engine.cache_clear()
    try:
        upgrade()
        with session_scope() as db:
            seed_demo(db)
        with TestClient(create_app(start_worker=False)) as c:
            yield c
    finally:
        os.environ.pop("ATTEST_DATA_DIR", None)
        get_settings.cache_clear()
        get_engine.cache_clear()
