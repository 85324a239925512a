"""Faults of the running service, with real processes:

- the web process (``attest serve``) is SIGKILLed in the middle of a streaming upload: nothing of the
  partial upload is in the store or the database; after a restart the retried upload is stored whole;
- the PostgreSQL server (a private instance in a temp folder, on a free port) stops while the service
  runs: requests answer 503 with a plain message (no traceback) and succeed again right after it is back;
- a Celery worker (``attest worker``) is SIGKILLed in the middle of a batch generation: after a new worker
  starts the job finishes exactly once, every row has one registry number, none is given twice, and the
  store holds only whole files (the one ZIP is complete).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _die_with_pytest() -> None:
    """In the child before exec: SIGKILL it when pytest dies (killed by a timeout, say), so that no
    `attest serve` or `attest worker` outlives an interrupted run. A leftover worker keeps consuming the
    test's Redis queue against its own (deleted) database and swallows the next run's jobs."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pdf(text: str, pad: int = 0) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=300, height=300)
    w.add_metadata({"/Title": text, "/Padding": "x" * pad})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


class Server:
    """`attest serve` in its own process group, with a private data dir and TMPDIR."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.tmp, self.port = tmp, _free_port()
        self.log = tmp / "serve.log"
        self.env = {**os.environ, "ATTEST_DATA_DIR": str(tmp / "data"), "TMPDIR": str(tmp / "spool"),
                    "ATTEST_SECRET_KEY": "fault-test-secret", "ATTEST_JOB_BACKEND": "inprocess",
                    "ATTEST_INPROCESS_WORKERS": "1", "PYTHONPATH": str(REPO), **env}
        (tmp / "spool").mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--seed-demo", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_pytest)  # noqa: PLW1509 (prctl only)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError("attest serve did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def client(self, username: str, password: str) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=60)
        r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return client


def _wait(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _store_files(data_dir: Path) -> list[Path]:
    """The stored (content-addressed) files; the spool folder of uploads in flight is not the store."""
    store = data_dir / "store"
    if not store.exists():
        return []
    return sorted(p for p in store.rglob("*") if p.is_file() and ".incoming" not in p.relative_to(store).parts)


def _spooled(data_dir: Path) -> list[Path]:
    spool = data_dir / "store" / ".incoming"
    return sorted(p for p in spool.iterdir() if p.is_file()) if spool.exists() else []


def _assert_store_whole(data_dir: Path) -> None:
    for path in _store_files(data_dir):
        assert re.fullmatch(r"[0-9a-f]{64}", path.name), f"a partial file in the store: {path}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path


def _rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return conn.execute(sql, args).fetchall()


# ------------------------------------------------------------------ web process killed mid-upload


def test_web_process_killed_mid_upload_leaves_nothing_and_the_retry_works(tmp_path: Path) -> None:
    server = Server(tmp_path, {})
    server.start()
    try:
        teacher = server.client("teacher", "teacher-demo-2024")
        r = teacher.post("/api/v1/dossiers", json={"profile": "kz-researcher", "period_start": "2021-09-01",
                                                   "period_end": "2026-06-30", "title": "kill"})
        assert r.status_code == 201
        dossier = r.json()["id"]
        data = _pdf("big upload", pad=4 * 1024 * 1024)  # a 4 MB PDF
        boundary = "killtest"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n"
                "Content-Type: application/pdf\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        cookies = "; ".join(f"{k}={v}" for k, v in teacher.cookies.items())
        request = (f"POST /api/v1/dossiers/{dossier}/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                   f"Content-Length: {len(head) + len(data) + len(tail)}\r\nCookie: {cookies}\r\n"
                   f"X-CSRF-Token: {teacher.headers['X-CSRF-Token']}\r\n\r\n").encode()
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(request + head + data[: len(data) // 2])  # half of the file, then the process dies
        data_dir = tmp_path / "data"
        _wait(lambda: any(p.stat().st_size > 0 for p in _spooled(data_dir)), 30,
              "the upload to stream into the spool file")
        server.kill()
        sock.close()
        partial = _spooled(data_dir)
        assert len(partial) == 1 and 0 < partial[0].stat().st_size < len(data)  # killed mid-upload
        assert _store_files(data_dir) == []
        db = data_dir / "attest.db"
        assert _rows(db, "select count(*) from files where dossier_id = ?", dossier) == [(0,)]
        assert _rows(db, "select count(*) from jobs") == [(0,)]
        # restart; the dead process's partial upload is swept away, the retried upload is stored whole
        time.sleep(1.2)
        server.env["ATTEST_UPLOAD_SPOOL_STALE_S"] = "1"
        server.start()
        assert _spooled(data_dir) == []
        teacher = server.client("teacher", "teacher-demo-2024")
        r = teacher.post(f"/api/v1/dossiers/{dossier}/files", files=[("files", ("big.pdf", data, "application/pdf"))])
        assert r.status_code == 201, r.text
        stored = r.json()["files"][0]
        assert stored["sha256"] == hashlib.sha256(data).hexdigest()
        assert [p.name for p in _store_files(data_dir)] == [stored["sha256"]]
        _assert_store_whole(data_dir)
        assert teacher.get(f"/api/v1/files/{stored['id']}").content == data
        job = _wait(lambda: (j := teacher.get(f"/api/v1/jobs/{stored['job']['id']}").json())["state"]
                    in ("succeeded", "failed") and j, 90, "the verification")
        assert job["state"] == "succeeded"
    finally:
        server.kill()


# ------------------------------------------------------------------ the database restarts


@pytest.fixture()
def private_postgres() -> Iterator[dict[str, Any]]:
    """A PostgreSQL 15 instance of our own (initdb in a temp folder, a free port): restarting it disturbs
    nobody else's tests."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 server binaries are not installed")
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="attest-pg-"))  # pytest's folders are private to root
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"
    subprocess.run([*run_as, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    opts = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pg_ctl(*args: str) -> None:
        subprocess.run([*run_as, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                        "-t", "60", *args], check=True, capture_output=True)

    pg_ctl("-o", opts, "start")
    try:
        yield {"url": f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
               "stop": lambda: pg_ctl("-m", "immediate", "stop"), "start": lambda: pg_ctl("-o", opts, "start")}
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_database_restart_gives_503_then_the_service_recovers(tmp_path: Path,
                                                              private_postgres: dict[str, Any]) -> None:
    app_tmp = tmp_path / "app"
    server = Server(app_tmp, {"ATTEST_DATABASE_URL": private_postgres["url"]})
    server.start()
    try:
        teacher = server.client("teacher", "teacher-demo-2024")
        body = {"profile": "kz-researcher", "period_start": "2021-09-01", "period_end": "2026-06-30"}
        assert teacher.post("/api/v1/dossiers", json={**body, "title": "before"}).status_code == 201
        private_postgres["stop"]()
        during = {
            "me": teacher.get("/api/v1/auth/me"),
            "create": teacher.post("/api/v1/dossiers", json={**body, "title": "during"}),
            "health": teacher.get("/api/v1/health"),
            "login": httpx.post(server.url + "/api/v1/auth/login",
                                json={"username": "teacher2", "password": "teacher2-demo-2024"}),
            "page": teacher.get("/dossiers"),
        }
        for what, r in during.items():
            assert r.status_code == 503, (what, r.status_code, r.text[:300])
            assert r.json() == {"error": "database_unavailable", "details": None, "message":
                                "The database is not reachable right now; nothing was saved. Try again in a minute."}
            assert r.headers["retry-after"] == "5" and "Traceback" not in r.text
        assert server.proc is not None and server.proc.poll() is None  # the web process is still up
        private_postgres["start"]()
        # the very first requests after the restart succeed (stale pooled connections are pinged)
        assert teacher.get("/api/v1/auth/me").status_code == 200
        assert teacher.post("/api/v1/dossiers", json={**body, "title": "after"}).status_code == 201
        titles = sorted(d["title"] for d in teacher.get("/api/v1/dossiers").json())
        assert titles == ["after", "before"]  # the request during the outage saved nothing
        assert httpx.get(server.url + "/api/v1/health").status_code == 200
        log = server.log.read_text(errors="replace")
        assert "Traceback" not in log
    finally:
        server.kill()


# ------------------------------------------------------------------ worker killed mid batch

BATCH_ROWS = 60


def _batch_csv() -> bytes:
    header = ("participant,participant_position,participant_organization,role,event_title,event_form,event_date,"
              "event_place,hours,date,number,organization.code,organization.name,organization.city,head.full_name,"
              "head.position\n")
    rows = "".join(
        f"Участникова Анна {i:03d},учитель,Школа № 12,participant,Семинар,семинаре,2024-04-26,г. Тараз,6,"
        f"2024-04-26,С-2024/{i:04d},MC-ZHA,Методический центр,г. Тараз,Сарсенова Г.К.,Директор\n"
        for i in range(BATCH_ROWS))
    return (header + rows).encode()


def _redis_url() -> str:
    url = os.environ.get("ATTEST_TEST_REDIS_URL")
    if not url:
        pytest.skip("ATTEST_TEST_REDIS_URL is not set (make test sets it)")
    return re.sub(r"/\d+$", "", url) + "/13"  # a database of our own: other tests flush theirs


def _assert_no_other_workers(redis_url: str) -> None:
    """Workers of another run (left over when pytest was killed) would take this test's jobs off the queue
    and drop them (the jobs are not in their database): say so at once instead of timing out."""
    from service.jobs.celery_app import make_app

    replies = make_app(redis_url).control.broadcast("stats", reply=True, timeout=1.5)  # one per worker
    if replies:
        pids = sorted(str(stats.get("pid")) for reply in replies for stats in reply.values())
        pytest.fail(f"other Celery workers already consume {redis_url} (pid {', '.join(pids)}; left over from "
                    "an interrupted run?): stop them, they would take this test's jobs")


def test_worker_killed_mid_batch_finishes_exactly_once(tmp_path: Path) -> None:
    import redis

    redis_url = _redis_url()
    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {redis_url} is not reachable: {exc}")
    _assert_no_other_workers(redis_url)
    env = {"ATTEST_JOB_BACKEND": "celery", "ATTEST_REDIS_URL": redis_url, "ATTEST_JOB_LEASE_S": "2"}
    server = Server(tmp_path, env)
    server.start()
    worker_log = tmp_path / "worker.log"

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "service", "worker", "--concurrency", "1", "--loglevel",
                                 "warning"], cwd=REPO, env=server.env, stdout=worker_log.open("ab"),
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_die_with_pytest)  # noqa: PLW1509 (prctl only)

    first = worker()
    second = None
    try:
        secretary = server.client("secretary", "secretary-demo-2024")
        r = secretary.post("/api/v1/documents/batch", files=[("file", ("rows.csv", _batch_csv(), "text/csv"))],
                           data={"kind": "certificate", "lang": "ru", "format": "docx"})
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]

        def job() -> dict[str, Any]:
            return secretary.get(f"/api/v1/jobs/{job_id}").json()

        running = _wait(lambda: (j := job())["state"] == "running" and 0.15 < j["progress"] < 0.8 and j, 120,
                        "the batch to be part-way")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert job()["state"] == "running" and job()["attempts"] == 1
        second = worker()
        done = _wait(lambda: (j := job())["state"] in ("succeeded", "failed") and j, 180, "the retried batch")
        assert (done["state"], done["attempts"]) == ("succeeded", 2), (done, worker_log.read_text()[-2000:])
        assert running["progress"] > 0.15
        result = done["result"]
        assert (result["documents"], result["rows"], result["bad_rows"]) == (BATCH_ROWS, BATCH_ROWS, [])
        z = secretary.get(f"/api/v1/files/{result['zip_file_id']}")
        assert z.status_code == 200 and hashlib.sha256(z.content).hexdigest() == result["sha256"]
        with zipfile.ZipFile(io.BytesIO(z.content)) as archive:
            assert archive.testzip() is None
            assert len([n for n in archive.namelist() if n.endswith(".docx")]) == BATCH_ROWS
        db = tmp_path / "data" / "attest.db"
        numbers = [n for (n,) in _rows(db, "select registration_number from registry_documents "
                                           "where organization = 'MC-ZHA' and kind = 'certificate'")]
        assert len(numbers) == BATCH_ROWS and len(set(numbers)) == BATCH_ROWS  # one per row, none twice
        assert _rows(db, "select count(*) from files where purpose = 'batch_zip'") == [(1,)]
        assert _rows(db, "select count(*) from audit_events where action = 'job.succeeded' and object_id = ?",
                     job_id) == [(1,)]
        _assert_store_whole(tmp_path / "data")
        time.sleep(2.5)  # a late duplicate delivery must not run it again
        assert job()["attempts"] == 2
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        server.kill()
