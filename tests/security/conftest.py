"""Fixtures of the security tests: one migrated SQLite database with the demo accounts plus a second
organisation (a commission and a secretary of another region), the app with its in-process worker, and
API clients signed in per role. Built once for the whole tests/security package."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.service.conftest import PASSWORDS, Env, login, make_client, reset_database, wait_job

__all__ = ["PASSWORDS", "login", "make_client", "wait_job"]  # shared with tests/service, re-exported here

SIGNED_IN = ("secretary", "secretary_far", "teacher", "teacher2", "commission", "commission_far", "admin")
ROLES = ("anonymous", *SIGNED_IN)
"""Who calls: nobody; the council secretary and a secretary of another organisation; the teacher (owner of
the test objects) and another teacher of the same school; the commission of the teacher's region and one
of another region; the administrator."""

IIN = "900101400123"  # the demo teacher's IIN (seed data)

SETTINGS = {"max_upload_bytes": str(2_000_000), "job_backend": "inprocess", "inprocess_workers": "2",
                "login_max_attempts": "3", "login_max_attempts_per_ip": "1000", "login_window_s": "300", "job_lease_s": "20"}


@pytest.fixture(scope="package")
def sec_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("security")
    url = f"sqlite:///{tmp / 'attest.db'}"
    env = Env()
    env.set(database_url=url, data_dir=str(tmp / "data"), **SETTINGS)
    from service.db import get_engine

    get_engine.cache_clear()
    try:
        reset_database(url)
        from service.accounts.models import Organisation
        from service.accounts.service import create_user
        from service.db import session_scope
        from service.seed import seed_demo, seed_regions

        with session_scope() as db:
            seed_demo(db)
            regions = seed_regions(db)
            far_ac = Organisation(code="AC-AKM", name="Аттестационная комиссия Акмолинской области",
                                  region_id=regions["KZ-AKM"].id)
            far_mc = Organisation(code="MC-AKM", name="Методический центр Акмолинской области",
                                  region_id=regions["KZ-AKM"].id)
            db.add_all([far_ac, far_mc])
            db.flush()
            create_user(db, username="commission_far", password=PASSWORDS["commission_far"], full_name="Дальний",
                        role="commission", organisation_id=far_ac.id)
            create_user(db, username="secretary_far", password=PASSWORDS["secretary_far"], full_name="Дальняя",
                        role="secretary", organisation_id=far_mc.id)
        yield {"url": url, "tmp": tmp, "data_dir": tmp / "data", "env": env}
    finally:
        get_engine.cache_clear()
        env.restore()


@pytest.fixture(scope="package")
def app(sec_env: dict[str, Any]) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from service.app import create_app

    application = create_app()
    with TestClient(application):  # runs the lifespan: the in-process worker
        yield application


@pytest.fixture()
def settings_override(sec_env: dict[str, Any]) -> Iterator[Any]:
    """Change ATTEST_* settings for one test (the app reads get_settings() per request); restored after."""
    env = Env()
    yield env.set
    env.restore()


@pytest.fixture(scope="package")
def clients(app: Any) -> dict[str, Any]:
    out = {name: login(app, name) for name in SIGNED_IN}
    out["anonymous"] = make_client(app)
    return out


def pdf_bytes(text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    writer.add_metadata({"/Title": text or str(time.monotonic_ns())})  # distinct bytes per call
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def new_dossier(client: Any, title: str = "") -> str:
    r = client.post("/api/v1/dossiers", json={"profile": "kz-researcher", "period_start": "2021-09-01",
                                             "period_end": "2026-06-30", "title": title})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def upload(client: Any, dossier_id: str, name: str = "order.pdf", data: bytes | None = None,
           media_type: str = "application/pdf") -> Any:
    return client.post(f"/api/v1/dossiers/{dossier_id}/files",
                       files=[("files", (name, data if data is not None else pdf_bytes(), media_type))])
