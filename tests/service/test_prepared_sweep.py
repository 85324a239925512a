"""PDFs prepared for a signing that was abandoned or refused do not stay in the file store (issue 15):
:func:`service.documents.signing.sweep_prepared` removes those older than the limit, never bytes a file
row or the registry refers to, and the chores thread runs it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import seeded_database


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    with seeded_database(f"sqlite:///{tmp_path / 'attest.db'}", data_dir=str(tmp_path / "data")):
        from service.storage import get_store

        yield get_store()


def _age(store: Any, sha: str, seconds: float) -> None:
    marker = Path(store.spool_dir()) / "prepared" / sha
    then = time.time() - seconds
    os.utime(marker, (then, then))


def test_old_prepared_pdfs_are_removed_and_registered_ones_never(store: Any, tmp_path: Path) -> None:
    from service.db import session_scope
    from service.documents.signing import _put, sweep_prepared
    from service.registry.models import RegistryDocument, RegistryFile
    from service.uploads.models import FilePurpose, FileRecord

    abandoned = _put(b"%PDF-1.7 prepared, never signed")
    refused = _put(b"%PDF-1.7 prepared, the CMS was refused")
    fresh = _put(b"%PDF-1.7 prepared a minute ago")
    as_file = _put(b"%PDF-1.7 the same bytes as a stored document")
    registered = _put(b"%PDF-1.7 the same bytes as a registered document")
    with session_scope() as db:
        from service.accounts.models import User

        secretary = db.query(User).filter(User.username == "secretary").one()
        db.add(FileRecord(id="f-kept", owner_user_id=secretary.id, organisation_id=secretary.organisation_id, purpose=FilePurpose.GENERATED,
                          filename="order.pdf", media_type="application/pdf", size=1, sha256=as_file))
        db.add(RegistryDocument(id="qr-id-1", registration_number="MC-ZHA-ORD-2026-0001", organization="MC-ZHA",
                                kind="order", lang="ru", year=2026, sequence=1, content_sha256="0" * 64))
        db.flush()
        db.add(RegistryFile(document_id="qr-id-1", sha256=registered, media_type="application/pdf", role="pdf"))
    for sha in (abandoned, refused, as_file, registered):
        _age(store, sha, 25 * 3600)
    _age(store, fresh, 60)

    assert sweep_prepared() == 2
    assert not store.exists(abandoned) and not store.exists(refused)
    assert store.exists(fresh) and store.exists(as_file) and store.exists(registered)
    left = sorted(p.name for p in (Path(store.spool_dir()) / "prepared").iterdir())
    assert left == [fresh]  # the markers of removed and of referenced bytes are gone
    assert sweep_prepared() == 0
    assert sweep_prepared(older_than_s=0) == 1 and not store.exists(fresh)


def test_the_chores_thread_runs_every_chore_even_after_one_fails() -> None:
    from service.jobs.sweeper import Chores

    ran: list[str] = []

    def broken() -> None:
        ran.append("broken")
        raise RuntimeError("the disk is gone")

    def sweep() -> None:
        ran.append("sweep")

    chores = Chores([broken, sweep], every_s=0.05)
    chores.start()
    deadline = time.monotonic() + 5
    while ran.count("sweep") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    chores.stop_event.set()
    chores.join(2)
    assert not chores.is_alive()
    assert ran[:4] == ["broken", "sweep", "broken", "sweep"]
