"""Receiving uploads: small files held in memory until stored, big ones spooled, the same bytes and
hash either way; CSV sniffing of a table whose first 4 KB end inside a Cyrillic letter."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from service.uploads.service import _HEAD, receive_multipart, sniff


def _body(files: list[tuple[str, bytes]], boundary: str = "xYz") -> tuple[list[bytes], str]:
    parts = b""
    for name, data in files:
        parts += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    parts += f"--{boundary}--\r\n".encode()
    # delivered in 1000-byte pieces, as a socket would
    return [parts[i:i + 1000] for i in range(0, len(parts), 1000)], f"multipart/form-data; boundary={boundary}"


async def _stream(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


@pytest.fixture
def store_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from service.settings import get_settings

    monkeypatch.setenv("ATTEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ATTEST_STORAGE_BACKEND", "local")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_small_files_stay_in_memory_and_big_ones_are_spooled(tmp_path: Path, store_in_tmp: None) -> None:
    from service.storage import get_store

    small = b"%PDF-1.7\n" + b"a" * 3000
    big = b"%PDF-1.7\n" + bytes(range(256)) * 40  # 10 249 bytes
    chunks, ctype = _body([("small.pdf", small), ("big.pdf", big)])
    spool = tmp_path / "spool"
    spool.mkdir()
    form = asyncio.run(receive_multipart(_stream(chunks), ctype, max_file_bytes=1 << 20, spool_dir=spool,
                                         in_memory_up_to=4096))
    first, second = form.files
    assert (first.filename, first.size, first.path, first.data, first.sha256) == ("small.pdf", len(small), None, small,
                                                                                 None)
    assert first.media_type == "application/pdf"
    assert second.data is None and second.path is not None and second.path.parent == spool
    assert second.path.read_bytes() == big
    assert second.sha256 == hashlib.sha256(big).hexdigest()
    assert second.media_type == "application/pdf"

    from service.uploads.service import adopt

    assert adopt(first) == hashlib.sha256(small).hexdigest()
    assert first.data is None
    store = get_store()
    with store.open(hashlib.sha256(small).hexdigest()) as f:
        assert f.read() == small
    form.cleanup()
    assert list(spool.iterdir()) == []


def test_a_file_held_in_memory_is_refused_over_the_limit_like_a_spooled_one(tmp_path: Path) -> None:
    from service.errors import PayloadTooLarge

    chunks, ctype = _body([("a.pdf", b"%PDF-" + b"x" * 5000)])
    with pytest.raises(PayloadTooLarge):
        asyncio.run(receive_multipart(_stream(chunks), ctype, max_file_bytes=4000, spool_dir=tmp_path,
                                      in_memory_up_to=100_000))
    assert list(tmp_path.iterdir()) == []


def test_a_csv_cut_inside_a_cyrillic_letter_at_4_kb_is_still_a_table(tmp_path: Path) -> None:
    row = "Жумабаева Айгерим Сериковна;школа №12;Тараз\n".encode()
    data = "ФИО;организация;город\n".encode() + row * 200
    cut = data[:_HEAD]
    with pytest.raises(UnicodeDecodeError):  # the case: byte 4096 is inside a two-byte letter
        cut.decode("utf-8")
    path = tmp_path / "participants.csv"
    path.write_bytes(data)
    assert sniff(path, "participants.csv") == "text/csv"
    # a broken byte well inside the first 4 KB is not text
    broken = data[:100] + b"\xff\xfe" + data[102:]
    path.write_bytes(broken)
    assert sniff(path, "participants.csv") is None


def test_a_copy_into_the_store_is_written_in_the_spool_folder_where_the_sweep_finds_a_partial_one(
        tmp_path: Path, store_in_tmp: None) -> None:
    """A worker killed while it copies a file into the store (a generated batch's ZIP, say) must not leave a
    partial file among the stored ones: the copy is written in the spool folder and renamed into place."""
    import os
    import shutil
    import time

    from service.storage import SPOOL_PREFIX, get_store
    from service.uploads.service import sweep_stale_spool

    store = get_store()
    src = tmp_path / "batch.zip"
    src.write_bytes(b"PK" + b"z" * 300_000)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    renamed: list[tuple[str, str]] = []

    def killed_before_the_rename(a: str, b: str) -> None:  # the process dies between copy and rename
        renamed.append((str(a), str(b)))
        raise SystemExit("killed")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", killed_before_the_rename)
        mp.setattr(shutil, "copyfileobj", lambda s, d, n=0: d.write(s.read(1000)))  # half-way
        # the cleanup of an orderly exit runs for SystemExit: take it away, as a SIGKILL would
        mp.setattr(os, "unlink", lambda p: None)
        with pytest.raises(SystemExit):
            store.put_file(src, digest)
    [(partial, target)] = renamed
    spool = store.spool_dir()
    assert Path(partial).parent == spool and Path(partial).name.startswith(SPOOL_PREFIX)
    assert Path(target) == store.root / digest[:2] / digest[2:4] / digest
    assert [p for p in store.root.rglob("*") if p.is_file() and spool not in p.parents] == []  # nothing beside
    # the sweep at start-up removes it once it is stale (not while a live copy still writes to it)
    assert sweep_stale_spool(older_than_s=3600) == 0
    old = time.time() - 7200
    os.utime(partial, (old, old))
    assert sweep_stale_spool(older_than_s=3600) == 1
    assert list(spool.iterdir()) == []
    # and an orderly copy ends in place, with the spool folder empty
    assert store.put_file(src, digest) == digest
    assert (store.root / digest[:2] / digest[2:4] / digest).read_bytes() == src.read_bytes()
    assert list(spool.iterdir()) == []


def test_the_sweep_tidies_the_spool_folder_of_the_s3_store_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The S3 store spools uploads in the same local folder before it sends them; a partial upload a killed
    web process left there is removed at start-up like the local store's."""
    import os
    import time

    from service.settings import get_settings
    from service.storage import SPOOL_PREFIX
    from service.uploads.service import sweep_stale_spool

    monkeypatch.setenv("ATTEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ATTEST_STORAGE_BACKEND", "s3")
    monkeypatch.setenv("ATTEST_S3_BUCKET", "attest-test")
    get_settings.cache_clear()
    try:
        spool = get_settings().store_dir / ".incoming"
        spool.mkdir(parents=True)
        stale, live = spool / f"{SPOOL_PREFIX}stale", spool / f"{SPOOL_PREFIX}live"
        stale.write_bytes(b"%PDF-1.7 half")
        live.write_bytes(b"%PDF-1.7 still coming")
        old = time.time() - 2 * get_settings().upload_spool_stale_s
        os.utime(stale, (old, old))
        assert sweep_stale_spool() == 1
        assert sorted(p.name for p in spool.iterdir()) == [live.name]
    finally:
        get_settings.cache_clear()


def test_a_running_web_process_sweeps_its_spool_folder_beside_serving(tmp_path: Path, store_in_tmp: None) -> None:
    """Not only at start: the web process's housekeeping thread sweeps stale partial files while it runs (a job
    process killed mid-copy leaves one long after the web process started); a fresh one stays."""
    import os
    import time

    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import get_settings
    from service.storage import SPOOL_PREFIX

    app = create_app(start_worker=False)  # its start-up sweep has run: the folder is made after it
    spool = get_settings().store_dir / ".incoming"
    spool.mkdir(parents=True, exist_ok=True)
    stale, fresh = spool / f"{SPOOL_PREFIX}killed", spool / f"{SPOOL_PREFIX}streaming"
    stale.write_bytes(b"half a copy")
    fresh.write_bytes(b"an upload still coming in")
    old = time.time() - 2 * get_settings().upload_spool_stale_s
    os.utime(stale, (old, old))
    with TestClient(app):
        deadline = time.monotonic() + 20
        while stale.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not stale.exists()
        assert fresh.exists()
