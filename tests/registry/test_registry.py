"""Registry numbers never repeat, also under 20 concurrent requests (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from service.db import Base, make_engine, upgrade
from service.registry import service as registry
from service.registry.models import RegistryDocument  # noqa: F401  (tables on Base.metadata)


def _hammer(engine: Engine, n: int = 20) -> list[registry.IssuedNumber]:
    def one(i: int) -> registry.IssuedNumber:
        return registry.issue(organization="MC-KRG", kind="certificate", lang="ru", content_sha256=f"{i:064x}",
                              title=f"участник {i}", year=2024, engine=engine)

    with ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(one, range(n)))


def _check_unique(issued: list[registry.IssuedNumber]) -> None:
    assert sorted(i.sequence for i in issued) == list(range(1, 21))
    assert len({i.registration_number for i in issued}) == 20
    assert len({i.document_id for i in issued}) == 20
    assert all(len(i.document_id) == 22 for i in issued)
    assert "MC-KRG-CRT-2024-00020" in {i.registration_number for i in issued}


def test_unique_numbers_under_20_threads_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reg.db'}"
    upgrade(url)  # through the Alembic chain, as in production
    engine = make_engine(url)
    _check_unique(_hammer(engine))
    # other kinds and years have their own sequences
    other = registry.issue(organization="MC-KRG", kind="order", lang="kk", content_sha256="0" * 64, year=2024,
                           engine=engine)
    assert other.registration_number == "MC-KRG-ORD-2024-00001"


@pytest.mark.postgres
def test_unique_numbers_under_20_threads_postgres() -> None:
    url = os.environ.get("ATTEST_TEST_DATABASE_URL")
    if not url:
        pytest.skip("ATTEST_TEST_DATABASE_URL is not set")
    schema = f"t_registry_{secrets.token_hex(4)}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{sep}options=-csearch_path%3D{schema}")
    try:
        Base.metadata.create_all(engine, tables=[t for name, t in Base.metadata.tables.items()
                                                 if name.startswith("registry_")])
        _check_unique(_hammer(engine))
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_lookup_record_and_listing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reg.db'}"
    upgrade(url)
    engine = make_engine(url)
    issued = registry.issue(organization="SCH12-TMR", kind="transmission_program", lang="kk",
                            content_sha256="c" * 64, title="Жаһанова Әйгерім Серікқызы", year=2024, engine=engine)
    registry.record_file(issued.document_id, "d" * 64, "application/pdf", "pdf", engine=engine)
    registry.record_file(issued.document_id, "d" * 64, "application/pdf", "pdf", engine=engine)  # idempotent
    record = registry.lookup_record(issued.document_id, engine=engine)
    assert record is not None
    assert (record.registration_number, record.kind, record.content_sha256, record.file_sha256s) == (
        "SCH12-TMR-PRG-2024-00001", "transmission_program", "c" * 64, frozenset({"d" * 64}))
    assert registry.lookup_record("no-such-document-id", engine=engine) is None
    entries = registry.list_entries(search="Жаһанова", engine=engine)
    assert [e.document_id for e in entries] == [issued.document_id]
    assert registry.count_entries(kind="order", engine=engine) == 0
    registry.void(issued.document_id, engine=engine)
    assert registry.lookup_record(issued.document_id, engine=engine) is None


def test_a_fresh_default_database_is_migrated_by_the_command_lines_writes_never_by_a_read(  # type: ignore[no-untyped-def]
        tmp_path: Path, monkeypatch) -> None:
    """`attest generate` on a fresh data folder creates the registry; a lookup (what a request does) never
    migrates: the served database was upgraded when `attest serve` started."""
    monkeypatch.setenv("ATTEST_DATA_DIR", str(tmp_path / "fresh"))
    from service.settings import get_settings

    get_settings.cache_clear()
    with pytest.raises(OperationalError):
        registry.lookup_record("AAAAAAAAAAAAAAAAAAAAAA")
    issued = registry.issue(organization="MC-KRG", kind="order", lang="ru", content_sha256="e" * 64, year=2024)
    assert (tmp_path / "fresh" / "attest.db").is_file()
    assert registry.lookup_record("AAAAAAAAAAAAAAAAAAAAAA") is None
    record = registry.lookup_record(issued.document_id)
    assert record is not None and record.registration_number == "MC-KRG-ORD-2024-00001"


def test_a_number_taken_in_the_callers_transaction_is_given_back_by_its_rollback(tmp_path: Path) -> None:
    """The web path numbers in the request's session: a failed request leaves no number behind."""
    from sqlalchemy.orm import Session

    url = f"sqlite:///{tmp_path / 'reg.db'}"
    upgrade(url)
    engine = make_engine(url)
    args = {"organization": "MC-KRG", "kind": "certificate", "lang": "ru", "content_sha256": "f" * 64, "year": 2024}
    with Session(engine) as db:
        failed = registry.issue(**args, db=db)
        registry.record_file(failed.document_id, "a" * 64, "application/pdf", "pdf", db=db)
        db.rollback()
    assert registry.lookup_record(failed.document_id, engine=engine) is None
    with Session(engine) as db:
        issued = registry.issue(**args, db=db)
        registry.record_file(issued.document_id, "a" * 64, "application/pdf", "pdf", db=db)
        db.commit()
    assert failed.sequence == issued.sequence == 1
    record = registry.lookup_record(issued.document_id, engine=engine)
    assert record is not None and record.file_sha256s == frozenset({"a" * 64})
