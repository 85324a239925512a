"""Every file of the hostile corpus (tests/hostile/make_corpus.py) uploaded through the API the way a teacher
does, and every hostile participants' table through the batch API the way a secretary does: each gets a 4xx
with a reason, or is accepted and its verification ends with the exact failed/needs_review verdict of the
file tests; the service keeps answering; nothing is written outside the store and the database; names with
``../`` and control characters are sanitised."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.make_corpus import BATCH_CORPUS, CORPUS
from tests.hostile.test_verify_hostile import EXPECTED
from tests.security.conftest import new_dossier, pdf_bytes, upload, wait_job

pytestmark = pytest.mark.slow

REFUSED = {"zero-bytes.pdf": (422, "bad_input"), "malformed-header.jpg": (415, "unsupported_media_type")}
"""Refused at the door (status, error code); every other file is accepted and verified."""

SANITISED = {"../../etc/passwd.pdf": "passwd.pdf", "con\x00trol\n\r\tchars.pdf": "controlchars.pdf"}

MAX_UPLOAD = 50 * 1024 * 1024  # the default limit


def _multipart(name: str, data: bytes, media_type: str = "application/octet-stream") -> tuple[bytes, str]:
    """A body built by hand so the server sees the name exactly as sent (clients escape quotes and
    control characters): names with control characters go in RFC 5987 ``filename*``."""
    boundary = "attest-hostile-" + hashlib.sha1(data).hexdigest()[:12]
    if any(ord(c) < 32 for c in name):
        disposition = f"form-data; name=\"files\"; filename*=UTF-8''{urllib.parse.quote(name)}"
    else:
        disposition = f'form-data; name="files"; filename="{name}"'
    body = (f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {media_type}\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def _upload_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("attest-up-*")}


@pytest.fixture(scope="module")
def big_limit(sec_env: dict[str, Any]) -> Any:
    from service.settings import get_settings

    old = os.environ.get("ATTEST_MAX_UPLOAD_BYTES")
    os.environ["ATTEST_MAX_UPLOAD_BYTES"] = str(MAX_UPLOAD)
    get_settings.cache_clear()
    yield
    if old is None:
        os.environ.pop("ATTEST_MAX_UPLOAD_BYTES", None)
    else:
        os.environ["ATTEST_MAX_UPLOAD_BYTES"] = old
    get_settings.cache_clear()


def test_every_hostile_file_through_the_upload_api(clients: dict[str, Any], sec_env: dict[str, Any],
                                                   big_limit: Any) -> None:
    teacher = clients["teacher"]
    data_dir: Path = sec_env["data_dir"]
    outside_before = _tree(data_dir.parent) - {str(Path(data_dir.name) / p) for p in _tree(data_dir)}
    uploads_before = _upload_dirs()
    passwd_before = Path("/etc/passwd").stat().st_mtime_ns
    dossier = new_dossier(teacher, "hostile")
    accepted: dict[str, dict[str, Any]] = {}
    refused: dict[str, tuple[int, str]] = {}
    for name, (_what, make) in CORPUS.items():
        data = make()
        body, ctype = _multipart(name, data)
        r = teacher.post(f"/api/v1/dossiers/{dossier}/files", content=body, headers={"Content-Type": ctype})
        if r.status_code == 201:
            f = r.json()["files"][0]
            assert f["sha256"] == hashlib.sha256(data).hexdigest() and f["size"] == len(data), name
            accepted[name] = f
        else:
            assert 400 <= r.status_code < 500, (name, r.status_code, r.text[:300])
            body_json = r.json()
            assert body_json["message"], name  # a reason in words
            refused[name] = (r.status_code, body_json["error"])
        assert teacher.get("/api/v1/health").status_code == 200, f"the service stopped answering after {name}"
    assert refused == REFUSED
    assert set(accepted) == set(CORPUS) - set(REFUSED)
    for name, expected_name in SANITISED.items():
        assert accepted[name]["filename"] == expected_name
    for name, f in accepted.items():
        assert "/" not in f["filename"] and not re.search(r"[\x00-\x1f\x7f]", f["filename"]), name
    # every accepted file: its verification ends with the file tests' exact verdict (bounded time)
    started = time.monotonic()
    verdicts = {}
    for name, f in accepted.items():
        job = wait_job(teacher, f["job"]["id"], timeout=max(30.0, 240.0 - (time.monotonic() - started)))
        assert job["state"] == "succeeded", (name, job)
        report = teacher.get(f"/api/v1/files/{f['id']}/report").json()["report"]
        verdicts[name] = report["verdict"]
    assert verdicts == {name: EXPECTED[name][0] for name in accepted}
    assert set(verdicts.values()) <= {"failed", "needs_review"}
    # nothing outside the store and the database; store files are named by their content
    store = data_dir / "store"
    for rel in _tree(store):
        path = store / rel
        assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}", rel), rel
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    for rel in _tree(data_dir):
        assert rel.split("/")[0] in {"store", "thumbs", "attest.db", "attest.db-wal", "attest.db-shm",
                                     "registry.db", "registry.db-wal", "registry.db-shm", "converter"}, rel
        assert "passwd" not in rel and "trol" not in rel, rel
    outside_after = _tree(data_dir.parent) - {str(Path(data_dir.name) / p) for p in _tree(data_dir)}
    assert outside_after == outside_before
    assert _upload_dirs() <= uploads_before  # the spooled request bodies are gone
    assert Path("/etc/passwd").stat().st_mtime_ns == passwd_before
    # and the service still takes an ordinary upload
    ok = upload(teacher, dossier, "ordinary.pdf", pdf_bytes("after the storm"))
    assert ok.status_code == 201


def test_hostile_participant_tables_through_the_batch_api(clients: dict[str, Any], big_limit: Any) -> None:
    secretary = clients["secretary"]
    uploads_before = _upload_dirs()
    outcomes = {}
    for name, (_what, make) in BATCH_CORPUS.items():
        r = secretary.post("/api/v1/documents/batch", files=[("file", (name, make(), "application/octet-stream"))],
                           data={"kind": "certificate", "lang": "ru", "format": "docx"})
        assert r.status_code < 500, (name, r.text[:300])
        if r.status_code == 202:
            job = wait_job(secretary, r.json()["id"], timeout=120)
            assert job["state"] == "failed" and job["error"], (name, job)
            assert job["result"] is None or not job["result"].get("zip_file_id"), name
            outcomes[name] = ("job failed", job["error"].split(":", 1)[0])
        else:
            assert r.json()["message"], name
            outcomes[name] = (r.status_code, r.json()["error"])
        assert secretary.get("/api/v1/health").status_code == 200
    assert outcomes == {
        "million-rows.csv": (413, "payload_too_large"),
        "huge-cell.csv": (413, "payload_too_large"),
        "not-a-zip.xlsx": (415, "unsupported_media_type"),
        "bomb.xlsx": ("job failed", "bad_input"),  # the sheet is refused before it is inflated
    }
    assert _upload_dirs() <= uploads_before
