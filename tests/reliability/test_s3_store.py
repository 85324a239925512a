"""The S3 store for real through boto3, against moto's standalone S3 server bound to 127.0.0.1 on a free
port (no network, no AWS account): content addressing, adoption of spooled uploads, reads, missing and
malformed names, objects altered in the bucket, and one run of the service with
ATTEST_STORAGE_BACKEND=s3 (upload → verification job reading from S3 → byte-identical download)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import login, pdf_bytes, seeded_database, wait_job

pytest.importorskip("moto.server", reason="moto[server] is in the test extra: pip install 'moto[server]'")

API = "/api/v1"
BUCKET = "attest-test"
PERIOD = {"profile": "kz-researcher", "period_start": "2021-09-01", "period_end": "2026-08-31"}


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """moto's S3 server on 127.0.0.1 with one bucket; boto3 gets dummy credentials from the environment
    (nothing is looked up on the network or in ~/.aws)."""
    from moto.server import ThreadedMotoServer

    tmp = tmp_path_factory.mktemp("s3")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                            "AWS_CONFIG_FILE": str(tmp / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "none")}.items():
            mp.setenv(name, value)
        mp.delenv("AWS_PROFILE", raising=False)
        mp.delenv("AWS_SESSION_TOKEN", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            import boto3

            client = boto3.session.Session().client("s3", endpoint_url=endpoint)
            client.create_bucket(Bucket=BUCKET)
            yield {"endpoint": endpoint, "client": client, "tmp": tmp}
        finally:
            server.stop()


@pytest.fixture()
def store(s3: dict[str, Any], tmp_path: Path) -> Any:
    from service.storage import S3Store

    return S3Store(BUCKET, s3["endpoint"], spool_root=tmp_path / "store")


def _keys(s3: dict[str, Any]) -> list[str]:
    listing = s3["client"].list_objects_v2(Bucket=BUCKET)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def _object(s3: dict[str, Any], digest: str) -> bytes:
    return bytes(s3["client"].get_object(Bucket=BUCKET, Key=f"sha256/{digest}")["Body"].read())


def _clear(s3: dict[str, Any]) -> None:
    for key in _keys(s3):
        s3["client"].delete_object(Bucket=BUCKET, Key=key)


def test_same_bytes_are_stored_once_under_their_sha256(s3: dict[str, Any], store: Any, tmp_path: Path) -> None:
    _clear(s3)
    data = os.urandom(3 * 1024 * 1024 + 17)  # several 1 MB reads
    digest = hashlib.sha256(data).hexdigest()
    first, second = tmp_path / "a.bin", tmp_path / "b.bin"
    first.write_bytes(data)
    second.write_bytes(data)
    assert store.exists(digest) is False
    assert store.put_file(first) == digest
    assert store.put_file(second) == digest
    assert store.put_file(second, digest) == digest
    assert _keys(s3) == [f"sha256/{digest}"]
    assert _object(s3, digest) == data
    assert store.exists(digest) is True
    assert first.read_bytes() == data  # put_file copies: the source stays


def test_adopt_takes_a_spooled_upload_and_removes_it(s3: dict[str, Any], store: Any) -> None:
    _clear(s3)
    spool = store.spool_dir()
    assert spool == store.spool_root / ".incoming" and spool.is_dir()
    data = pdf_bytes("adopted")
    digest = hashlib.sha256(data).hexdigest()
    for _ in range(2):  # the second time the object is there already: only the spooled file goes
        spooled = spool / ".up-test"
        spooled.write_bytes(data)
        assert store.adopt(spooled, digest) == digest
        assert not spooled.exists()
    assert _keys(s3) == [f"sha256/{digest}"] and _object(s3, digest) == data
    assert list(spool.iterdir()) == []


def test_open_and_local_path_give_the_stored_bytes(s3: dict[str, Any], store: Any, tmp_path: Path) -> None:
    data = os.urandom(2 * 1024 * 1024 + 5)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    digest = store.put_file(src)
    with store.open(digest) as f:
        assert f.read() == data
    with store.open(digest) as f:  # read in chunks, as a download does
        chunks = []
        while chunk := f.read(256 * 1024):
            chunks.append(chunk)
    assert b"".join(chunks) == data
    with store.local_path(digest) as path:
        assert path.read_bytes() == data and path.name == digest
        folder = path.parent
    assert not folder.exists()  # the download is removed after use


def test_missing_and_malformed_names_are_not_found(s3: dict[str, Any], store: Any) -> None:
    from service.errors import NotFound

    absent = hashlib.sha256(b"never stored").hexdigest()
    for name in (absent, "../../etc/passwd", "ABCDEF" * 11, ""):
        assert store.exists(name) is False
        with pytest.raises(NotFound):
            store.open(name)
        with pytest.raises(NotFound), store.local_path(name):
            pass


def test_an_object_altered_in_the_bucket_is_detected_on_read(s3: dict[str, Any], store: Any, tmp_path: Path) -> None:
    from service.storage import CorruptedFile

    data = pdf_bytes("original")
    src = tmp_path / "orig.pdf"
    src.write_bytes(data)
    digest = store.put_file(src)
    altered = data.replace(b"original", b"forged!!")
    assert len(altered) == len(data) and altered != data
    s3["client"].put_object(Bucket=BUCKET, Key=f"sha256/{digest}", Body=altered)
    assert store.exists(digest) is True
    with store.open(digest) as f, pytest.raises(CorruptedFile) as caught:
        f.read()
    assert caught.value.details == {"sha256": digest, "found": hashlib.sha256(altered).hexdigest()}
    assert caught.value.status_code == 500 and caught.value.code == "file_corrupted"
    tmp_root = Path(tempfile.gettempdir())
    before = {p.name for p in tmp_root.glob("attest-s3-*")}
    with pytest.raises(CorruptedFile), store.local_path(digest):
        pytest.fail("a corrupted object must not be handed out")
    assert {p.name for p in tmp_root.glob("attest-s3-*")} == before  # nothing left behind
    s3["client"].put_object(Bucket=BUCKET, Key=f"sha256/{digest}", Body=data[:-10])  # truncated
    with pytest.raises(CorruptedFile), store.local_path(digest):
        pass
    # a large altered object read in chunks, as a download does: its end is never handed out
    big = os.urandom(2 * 1024 * 1024)
    big_src = tmp_path / "big.bin"
    big_src.write_bytes(big)
    big_digest = store.put_file(big_src)
    s3["client"].put_object(Bucket=BUCKET, Key=f"sha256/{big_digest}", Body=big[:-1] + bytes([big[-1] ^ 1]))
    delivered = 0
    with store.open(big_digest) as f, pytest.raises(CorruptedFile):
        while chunk := f.read(256 * 1024):
            delivered += len(chunk)
    assert 0 < delivered < len(big)


# ------------------------------------------------------------------ the service on S3


@pytest.fixture()
def s3_service(s3: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'attest.db'}"
    with seeded_database(url, data_dir=str(tmp_path / "data"), job_backend="inprocess", inprocess_workers="1",
                         storage_backend="s3", s3_bucket=BUCKET, s3_endpoint_url=s3["endpoint"],
                         max_upload_bytes=str(200_000)):
        from fastapi.testclient import TestClient

        from service.app import create_app

        application = create_app()
        with TestClient(application):
            yield {"app": application, "data": tmp_path / "data"}


def test_service_on_s3_upload_verify_and_download_back(s3: dict[str, Any], s3_service: dict[str, Any]) -> None:
    from service.storage import S3Store, get_store

    store = get_store()
    assert isinstance(store, S3Store) and store.spool_dir() == s3_service["data"] / "store" / ".incoming"
    _clear(s3)
    teacher = login(s3_service["app"], "teacher")
    dossier_id = teacher.post(f"{API}/dossiers", json=PERIOD).json()["id"]
    data = pdf_bytes("stored in S3")
    digest = hashlib.sha256(data).hexdigest()
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", files=[("files", ("order.pdf", data, "application/pdf"))])
    assert r.status_code == 201, r.text
    uploaded = r.json()["files"][0]
    assert _keys(s3) == [f"sha256/{digest}"] and _object(s3, digest) == data

    job = wait_job(teacher, uploaded["job"]["id"], timeout=60)
    assert (job["state"], job["attempts"]) == ("succeeded", 1), job
    assert job["result"]["report"]["sha256"] == digest  # the job read the bytes from S3
    report = teacher.get(f"{API}/files/{uploaded['id']}/report")
    assert report.status_code == 200 and report.json()["report"]["sha256"] == digest

    download = teacher.get(f"{API}/files/{uploaded['id']}")
    assert download.status_code == 200 and download.content == data
    # nothing went to the local store: only the (now empty) spool folder exists under data/store
    local = s3_service["data"] / "store"
    assert sorted(p.relative_to(local).as_posix() for p in local.rglob("*")) == [".incoming"]

    # the object is altered in the bucket: a download never delivers the whole altered file, and a
    # verification of it fails plainly, at once (no retry reads the same bytes again)
    altered = data.replace(b"stored in S3", b"forged in S3")
    assert len(altered) == len(data) and altered != data
    s3["client"].put_object(Bucket=BUCKET, Key=f"sha256/{digest}", Body=altered)
    broken = teacher.get(f"{API}/files/{uploaded['id']}")
    assert len(broken.content) < len(altered)
    from sqlalchemy import select

    from service.accounts.models import User
    from service.db import session_scope
    from service.jobs import repository as repo

    with session_scope() as db:
        owner = db.scalar(select(User).where(User.username == "teacher"))
        job_id = repo.create(db, "verify_upload", {"file_id": uploaded["id"], "lang": "ru"}, owner=owner).id
    job = wait_job(teacher, job_id, timeout=60)
    assert (job["state"], job["attempts"]) == ("failed", 1), job
    assert job["error"].startswith(f"file_corrupted: the stored file {digest[:12]}… does not match its SHA-256")
