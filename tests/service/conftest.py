"""Fixtures of the service tests: a migrated database per backend (SQLite always, PostgreSQL when
ATTEST_TEST_DATABASE_URL is set), demo accounts, and API clients signed in per role."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PASSWORDS = {
    "secretary": "secretary-demo-2024",
    "teacher": "teacher-demo-2024",
    "teacher2": "teacher2-demo-2024",
    "commission": "commission-demo-2024",
    "admin": "admin-demo-2024",
    "commission_far": "commission-far-2024",
    "secretary_far": "secretary-far-2024",  # created by the security tests' second organisation
}

BACKENDS = ["sqlite", "postgresql"]


def reset_database(url: str) -> None:
    """An empty database at `url`, then every Alembic revision."""
    from sqlalchemy import text

    from service.db import make_engine, upgrade

    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)


def _database_url(backend: str, tmp: Path) -> str:
    if backend == "postgresql":
        url = os.environ.get("ATTEST_TEST_DATABASE_URL")
        if not url:
            pytest.skip("ATTEST_TEST_DATABASE_URL is not set (make test sets it)")
        return url
    return f"sqlite:///{tmp / 'attest.db'}"


class Env:
    """Sets ATTEST_* variables for a module's fixtures and restores them after."""

    def __init__(self) -> None:
        self.saved: dict[str, str | None] = {}

    def set(self, **values: str) -> None:
        from service.settings import get_settings

        for key, value in values.items():
            name = f"ATTEST_{key.upper()}"
            self.saved.setdefault(name, os.environ.get(name))
            os.environ[name] = value
        get_settings.cache_clear()

    def restore(self) -> None:
        from service.settings import get_settings

        for name, value in self.saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


@contextmanager
def seeded_database(url: str, **settings: str) -> Iterator[Env]:
    """An empty, migrated database at `url` with the demo accounts, and `settings` (ATTEST_*) set for
    the duration; the engine cache is cleared before and after."""
    env = Env()
    env.set(database_url=url, **settings)
    from service.db import get_engine, session_scope

    get_engine.cache_clear()
    try:
        reset_database(url)
        from service.seed import seed_demo

        with session_scope() as db:
            seed_demo(db)
        yield env
    finally:
        get_engine.cache_clear()
        env.restore()


@pytest.fixture(scope="module", params=BACKENDS)
def service_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A migrated, seeded database of one backend, with the settings of the API tests."""
    tmp = tmp_path_factory.mktemp(f"svc-{request.param}")
    url = _database_url(request.param, tmp)
    env = Env()
    env.set(database_url=url, data_dir=str(tmp / "data"), max_upload_bytes=str(200_000), job_backend="inprocess",
            inprocess_workers="2", login_max_attempts="3", login_window_s="300", job_lease_s="10")
    try:
        from service.db import get_engine

        get_engine.cache_clear()
        reset_database(url)
        from service.accounts.models import Organisation
        from service.accounts.service import create_user
        from service.db import session_scope
        from service.seed import seed_demo, seed_regions

        with session_scope() as db:
            seed_demo(db)
            regions = seed_regions(db)
            far = Organisation(code="AC-AKM", name="Аттестационная комиссия Акмолинской области",
                               region_id=regions["KZ-AKM"].id)
            db.add(far)
            db.flush()
            create_user(db, username="commission_far", password=PASSWORDS["commission_far"], full_name="Дальний",
                        role="commission", organisation_id=far.id)
        yield {"backend": request.param, "url": url, "tmp": tmp}
    finally:
        from service.db import get_engine

        get_engine.cache_clear()
        env.restore()


@pytest.fixture(scope="module")
def app(service_env: dict[str, Any]) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from service.app import create_app

    application = create_app()
    with TestClient(application) as client:  # runs the lifespan: the in-process worker
        client.app_instance = application  # type: ignore[attr-defined]
        yield application


def make_client(app: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, raise_server_exceptions=False)


def login(app: Any, username: str) -> Any:
    """A client signed in as `username`, sending the CSRF header on every request."""
    client = make_client(app)
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORDS[username]})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


@pytest.fixture(scope="module")
def clients(app: Any) -> dict[str, Any]:
    return {name: login(app, name) for name in ("secretary", "teacher", "teacher2", "commission", "admin",
                                                  "commission_far")}


def pdf_bytes(text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    if text:
        writer.add_metadata({"/Title": text})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buf, "PNG")
    return buf.getvalue()


def wait_job(client: Any, job_id: str, timeout: float = 90.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/api/v1/jobs/{job_id}")
        assert r.status_code == 200, r.text
        job = r.json()
        if job["state"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)
