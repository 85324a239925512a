"""Database engine, sessions and the declarative base (SQLAlchemy 2).

SQLite is the embedded default (WAL mode, foreign keys on); PostgreSQL in production. The schema
is created and upgraded only by Alembic (:func:`upgrade`), never by ``create_all`` outside tests.
Every domain keeps its tables in ``service/<domain>/models.py``; :mod:`service.models` imports them all.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from service.paths import MIGRATIONS_DIR

__all__ = [
    "OUT_OF_RANGE_ERRORS",
    "UNAVAILABLE_ERRORS",
    "Base",
    "UTCDateTime",
    "get_engine",
    "make_engine",
    "new_id",
    "session_factory",
    "session_scope",
    "upgrade",
    "utcnow",
]

UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)
"""The database is down or restarting (or the pool is exhausted): nothing was saved; the next request
reconnects (PostgreSQL engines use ``pool_pre_ping``). The app answers ``503 database_unavailable``."""
OUT_OF_RANGE_ERRORS: tuple[type[Exception], ...] = (OverflowError, DataError)
"""A number out of the database's range (an id of 2**70: SQLite raises OverflowError, PostgreSQL
DataError) or a text longer than its column. The app answers ``422 bad_input``."""

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """An unguessable id for objects whose id is seen outside (URLs, QR codes)."""
    return secrets.token_urlsafe(16)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, returns aware UTC: SQLite and PostgreSQL then behave the same."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Connections are cheap and writers wait on busy_timeout: a pool as large as the web threadpool
        # (40) plus the in-process workers, so that a burst of uploads never waits for a connection.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30,
                                                  "factory": _serialized_writers(30.0)},
                               pool_size=20, max_overflow=40, pool_timeout=60)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _serialized_writers(timeout_s: float) -> type[sqlite3.Connection]:
    """A sqlite3 connection class whose writers take turns inside this process.

    SQLite lets one writer in at a time; a waiting writer polls with sleeps of up to 100 ms, so under a
    burst of uploads the unlucky ones wait far longer than the lock is held (p95 in seconds). Here a
    write transaction takes a process-wide lock at its first INSERT/UPDATE/DELETE and gives it back
    after COMMIT/ROLLBACK, so threads queue instead of polling; other processes (more web workers, an
    `attest worker`) still meet SQLite's own busy timeout. A nested write in a thread that already
    holds the lock goes straight to SQLite (no self-deadlock); a lock not obtained within `timeout_s`
    falls back to SQLite's waiting too.
    """
    lock = threading.Lock()
    owner: list[int | None] = [None]

    class Cursor(sqlite3.Cursor):
        def execute(self, sql: str, parameters: Any = (), /) -> Cursor:  # type: ignore[override]
            self.connection._before(sql)  # type: ignore[attr-defined]
            return super().execute(sql, parameters)

        def executemany(self, sql: str, seq: Any, /) -> Cursor:  # type: ignore[override]
            self.connection._before(sql)  # type: ignore[attr-defined]
            return super().executemany(sql, seq)

    class Connection(sqlite3.Connection):
        _holding = False

        def cursor(self, factory: Any = Cursor) -> Cursor:  # type: ignore[override]
            return super().cursor(factory)  # type: ignore[no-any-return]

        def _before(self, sql: str) -> None:
            if self._holding or not _WRITE.match(sql) or owner[0] == threading.get_ident():
                return
            if lock.acquire(timeout=timeout_s):
                self._holding = True
                owner[0] = threading.get_ident()

        def _release(self) -> None:
            if self._holding:
                self._holding = False
                owner[0] = None
                lock.release()

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self._release()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self._release()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self._release()

    return Connection


@functools.lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    if url is None:
        from service.settings import get_settings

        url = get_settings().effective_database_url
    return make_engine(url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upgrade(url: str | None = None) -> None:
    """Bring the database schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    from service.settings import get_settings

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url or get_settings().effective_database_url)
    command.upgrade(cfg, "head")
