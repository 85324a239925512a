"""Bounded loopback load: 50 simulated teachers each upload 10 documents concurrently against
`attest serve` with a Celery worker (`attest worker`, Redis broker).

Prints requests/s, p50/p95 latency of the upload request, time until every verification finished,
and checks that every upload is stored (bytes in the store, row in the database) and every job
finished. Goals (issue 16): upload p95 < 300 ms embedded (SQLite, in-process job processes) and < 200 ms with
PostgreSQL + Celery, while verification runs in the background; zero errors, zero lost.

    .venv/bin/python bench/load.py [--teachers 50] [--docs 10] [--redis redis://127.0.0.1:6379/14]
        [--db auto|sqlite|postgresql] [--web-workers N] [--jobs celery|inprocess] [--worker-nice N]
        [--client raw|httpx] [--no-worker] [--profile web.svg|web.txt] [--scans 0.3]

``--scans F``: that share of the uploads are image scans and phone photos of official documents (drawn
by the sample generator: colour and grey scans, rotated and skewed photos, 1–3 pages each as JPEG or
an image-only PDF), the rest text-layer PDFs. The run then also prints pages verified per second and,
measured in the same run on the same pages, plain single-thread `tesseract -l rus+kaz+eng` pages per
second times the number of cores: the ceiling the verification throughput is held against (goal
≥ 0.8 × it). And the resident memory of the web process and of each job process before and after.

Teachers sign in first; the timed phase is the uploads, each teacher on one keep-alive connection
sending its next upload when the previous one is answered. The default load client writes pre-built
HTTP/1.1 requests on asyncio streams (about 0.3 ms of CPU per upload; httpx, `--client httpx`, costs
about 3 ms, and on 2 shared cores its own queueing shows up in the latencies). Also prints the CPU
seconds of the web process(es), the worker, PostgreSQL and this client during the uploads, how busy
the whole machine was, and the load average. `BENCH_WEB_PREFIX` (e.g. "taskset -c 0") prefixes the
server's command. Stops by itself (timeouts everywhere); uses a temporary data dir, and a fresh
`attest_bench` PostgreSQL database when the local server answers (else SQLite) unless
ATTEST_BENCH_DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pdf(n: int) -> bytes:
    """A one-page certificate with a text layer, like the ones the service generates."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("DejaVu", 12)
    for i, line in enumerate(("СЕРТИФИКАТ", f"Учитель {n // 100}", "участник областного семинара",
                              f"15.03.2024 № {n}")):
        c.drawString(72, 760 - 20 * i, line)
    c.save()
    return buf.getvalue()


def _png(n: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (255, 255 - n % 200, 255)).save(buf, "PNG")
    return buf.getvalue()


def _scan_material(count: int) -> list[tuple[str, bytes, str, int]]:
    """``count`` distinct scans/photos: (file name suffix, bytes, media type, pages). Drawn once, before
    the timed phase; each upload then gets its own bytes (a JPEG comment / the PDF's title differ)."""
    import img2pdf

    from samples.scans.generate import PageSpec, render_page

    kinds = ("certificate", "order", "protocol_extract", "transmission_program")
    out = []
    for n in range(count):
        pages = 1 + n % 3
        images = []
        for page in range(pages):
            spec = PageSpec(lang=("ru", "kk")[n % 2], kind=kinds[n % len(kinds)], grey=n % 4 == 1,
                            rotation=(0, 0, 90, 0)[(n + page) % 4], skew=(0.0, 1.5, -2.0)[(n + page) % 3],
                            seal=("round", "oval", "rectangular", None)[(n + page) % 4], signature=page == pages - 1)
            img, _ = render_page(spec, 1000 + n * 7 + page)
            buf = io.BytesIO()
            img.convert("RGB").save(buf, "JPEG", quality=80, dpi=(300, 300))
            images.append(buf.getvalue())
        if pages == 1:
            out.append((".jpg", images[0], "image/jpeg", 1))
        else:
            out.append((".pdf", img2pdf.convert(images), "application/pdf", pages))
    return out


def _unique(data: bytes, media: str, tag: str) -> bytes:
    """The same picture with bytes of its own (content-addressed storage would merge equal uploads)."""
    if media == "image/jpeg":
        comment = tag.encode()
        return data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:]
    return data.replace(b"%%EOF", f"% {tag}\n%%EOF".encode(), 1) if data.rstrip().endswith(b"%%EOF") else data


def _tesseract_pages_per_s(material: list[tuple[str, bytes, str, int]], tmp: Path, limit: int = 4) -> float:
    """Plain single-thread tesseract (rus+kaz+eng) on the first pages of the material, pages per second."""
    from PIL import Image

    pages: list[Path] = []
    for n, (suffix, data, media, _) in enumerate(material):
        if media != "image/jpeg":
            continue
        path = tmp / f"tess-{n}.png"
        Image.open(io.BytesIO(data)).save(path)
        pages.append(path)
        if len(pages) >= limit:
            break
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    t0 = time.perf_counter()
    for path in pages:
        subprocess.run(["tesseract", str(path), "-", "-l", "rus+kaz+eng"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return len(pages) / (time.perf_counter() - t0)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _process_tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += _process_tree(int(child))
    except OSError:
        pass
    return out


def _memory(pids: list[int]) -> dict[str, list[float]]:
    """RSS in MB by role: the web process(es), job processes (pool children, Celery worker), others."""
    roles: dict[str, list[float]] = {"web": [], "jobs": []}
    for top in pids:
        for pid in _process_tree(top):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "resource_tracker" in cmd or ("forkserver" in cmd and pid == _fork_server_of(pid)):
                continue
            if "forkserver" in cmd or " worker" in cmd:
                roles["jobs"].append(_rss_mb(pid))
            elif "serve" in cmd or "spawn_main" in cmd:
                roles["web"].append(_rss_mb(pid))
    return roles


def _fork_server_of(pid: int) -> int | None:
    """``pid`` itself when it is a fork server (its children are the job processes), else None."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return pid if b"forkserver" in cmd and children and b"forkserver" in Path(
        f"/proc/{children[0]}/cmdline").read_bytes() else None


def _postgres_or_sqlite(tmp: Path) -> str:
    """A fresh `attest_bench` PostgreSQL database when the local server answers, else SQLite in tmp."""
    from sqlalchemy import create_engine, text

    admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS attest_bench WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE attest_bench"))
        engine.dispose()
        return admin.rsplit("/", 1)[0] + "/attest_bench"
    except Exception:  # noqa: BLE001  (no PostgreSQL here: the embedded default)
        return f"sqlite:///{tmp / 'attest.db'}"


def _cpu_s(pid: int) -> float:
    """CPU seconds (user+system) of a process and its children still running (uvicorn workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _postgres_cpu_s() -> float:
    """CPU seconds of every PostgreSQL server process (the database's share of an upload)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        if name.startswith("postgres"):
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _login(client, username: str, password: str, errors: list[str]) -> dict[str, str] | None:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    if r.status_code != 200:
        errors.append(f"login {username}: {r.status_code}")
        return None
    return {"X-CSRF-Token": r.json()["csrf_token"]}


async def _teacher(client, headers: dict[str, str] | None, username: str, dossier_id: str,
                   docs: list[tuple[str, bytes, str]], latencies: list[float], errors: list[str]) -> None:
    import httpx

    if headers is None:
        return
    for name, data, media in docs:
        t0 = time.perf_counter()
        try:
            r = await client.post(f"/api/v1/dossiers/{dossier_id}/files", files=[("files", (name, data, media))],
                                  headers=headers)
        except httpx.HTTPError as exc:
            errors.append(f"upload {username}/{name}: {type(exc).__name__}")
            continue
        finally:
            latencies.append(time.perf_counter() - t0)
        if r.status_code != 201:
            errors.append(f"upload {username}/{name}: {r.status_code} {r.text[:200]}")


def _raw_request(host: str, dossier_id: str, cookie: str, csrf: str, name: str, data: bytes, media: str) -> bytes:
    """One complete HTTP/1.1 multipart upload request, built before the timed phase."""
    boundary = hashlib.sha256(data).hexdigest()[:32]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: {media}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    head = (f"POST /api/v1/dossiers/{dossier_id}/files HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
            f"X-CSRF-Token: {csrf}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.read()
    return status, body


async def _raw_teacher(port: int, requests: list[tuple[str, bytes]], username: str,
                       latencies: list[float], errors: list[str]) -> None:
    """A teacher on one keep-alive connection, sending pre-built requests (asyncio streams: ~10x less
    client CPU per request than httpx, so the client's own queueing stays out of the latencies)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for name, request in requests:
            t0 = time.perf_counter()
            try:
                writer.write(request)
                await writer.drain()
                status, body = await asyncio.wait_for(_read_response(reader), 60)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                latencies.append(time.perf_counter() - t0)
                errors.append(f"upload {username}/{name}: {type(exc).__name__}")
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            latencies.append(time.perf_counter() - t0)
            if status != 201:
                errors.append(f"upload {username}/{name}: {status} {body[:200]!r}")
    finally:
        writer.close()


async def _load(base: str, teachers: list[tuple[str, str, str]], docs: int, pids: list[int],
                client_kind: str = "raw", scans: list[tuple[str, bytes, str, int]] | None = None,
                scan_share: float = 0.0) -> tuple[list[float], list[str], float, list[float]]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    # idle connections dropped before uvicorn's 5 s keep-alive ends (no race on a closing connection)
    clients = [httpx.AsyncClient(base_url=base, timeout=60.0, limits=httpx.Limits(keepalive_expiry=4.0))
               for _ in teachers]
    try:
        def upload(k: int, i: int) -> tuple[str, bytes, str]:
            n = k * docs + i
            if scans and (n * scan_share) % 1 + scan_share >= 1:  # every 1/share-th upload, spread evenly
                suffix, data, media, _ = scans[n % len(scans)]
                return f"scan-{i:02d}{suffix}", _unique(data, media, f"bench {k} {i}"), media
            if i % 10:
                return f"doc-{i:02d}.pdf", _pdf(k * 100 + i), "application/pdf"
            return f"photo-{i:02d}.png", _png(k * 100 + i), "image/png"

        docs_of = [[upload(k, i) for i in range(docs)] for k in range(len(teachers))]
        # everyone signs in first (argon2 is the login's cost, not the upload's), then all upload at once
        logins = await asyncio.gather(*(_login(c, u, p, errors) for c, (u, p, _) in zip(clients, teachers)))
        host = base.removeprefix("http://")
        port = int(host.rsplit(":", 1)[1])
        raw = []
        for k, (c, h, (_, _, d)) in enumerate(zip(clients, logins, teachers)):
            cookie = "; ".join(f"{n}={v}" for n, v in c.cookies.items())
            raw.append([(name, _raw_request(host, d, cookie, (h or {}).get("X-CSRF-Token", ""), name, data, media))
                        for name, data, media in docs_of[k]])
        if client_kind == "raw":
            for c in clients:  # the raw client opens its own connections
                await c.aclose()
        cpu0 = [_cpu_s(p) for p in pids] + [time.process_time(), _postgres_cpu_s()]
        machine0 = _machine_cpu()
        t0 = time.perf_counter()
        if client_kind == "raw":
            await asyncio.gather(*(_raw_teacher(port, raw[k], u, latencies, errors)
                                   for k, (h, (u, _, _)) in enumerate(zip(logins, teachers)) if h is not None))
        else:
            await asyncio.gather(*(
                _teacher(c, h, u, d, docs_of[k], latencies, errors)
                for k, (c, h, (u, _, d)) in enumerate(zip(clients, logins, teachers))
            ))
        elapsed = time.perf_counter() - t0
        cpu = [b - a for a, b in zip(cpu0, [_cpu_s(p) for p in pids] + [time.process_time(), _postgres_cpu_s()])]
        machine1 = _machine_cpu()
        cpu.append((machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]))
    finally:
        for c in clients:
            await c.aclose()
    return latencies, errors, elapsed, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teachers", type=int, default=50)
    ap.add_argument("--docs", type=int, default=10)
    ap.add_argument("--redis", default=os.environ.get("ATTEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/14"))
    ap.add_argument("--worker-concurrency", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=600.0, help="give up waiting for verifications after this")
    ap.add_argument("--web-workers", type=int, default=1, help="uvicorn processes of `attest serve --workers`")
    ap.add_argument("--db", choices=("auto", "sqlite", "postgresql"), default="auto",
                    help="auto: PostgreSQL when the local server answers, else SQLite")
    ap.add_argument("--worker-nice", type=int, default=None,
                    help="`attest worker --nice N` (default: the product's, ATTEST_JOB_NICENESS=10; 0 = same as the web)")
    ap.add_argument("--no-worker", action="store_true", help="measure the upload path alone (jobs stay queued)")
    ap.add_argument("--jobs", choices=("celery", "inprocess"), default="celery",
                    help="inprocess: the embedded default (job processes started by the web process, no Celery)")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load client: raw asyncio HTTP/1.1 (pre-built requests, little CPU) or httpx")
    ap.add_argument("--scans", type=float, default=0.0,
                    help="share of uploads that are image scans and phone photos (1-3 pages), e.g. 0.3")
    ap.add_argument("--profile", type=Path, help="py-spy profile of the web process during the uploads (.svg flame graph, .txt collapsed stacks)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="attest-bench-"))
    db_url = os.environ.get("ATTEST_BENCH_DATABASE_URL") or (
        f"sqlite:///{tmp / 'attest.db'}" if args.db == "sqlite" else _postgres_or_sqlite(tmp))
    if args.db == "postgresql" and not db_url.startswith("postgresql"):
        raise SystemExit("no PostgreSQL server answers on 127.0.0.1:5432")
    env = {**os.environ, "ATTEST_DATA_DIR": str(tmp / "data"), "ATTEST_DATABASE_URL": db_url,
           "ATTEST_JOB_BACKEND": args.jobs, "ATTEST_REDIS_URL": args.redis, "ATTEST_MAX_UPLOAD_BYTES": str(10 << 20)}
    os.environ.update({k: v for k, v in env.items() if k.startswith("ATTEST_")})

    import redis

    redis.Redis.from_url(args.redis).flushdb()
    from sqlalchemy import func, select

    from service.accounts.models import Organisation, User
    from service.accounts.security import hash_password
    from service.db import session_scope, upgrade
    from service.dossier.models import Dossier
    from service.jobs.models import Job
    from service.seed import seed_demo
    from service.storage import get_store
    from service.uploads.models import FileRecord

    upgrade()
    teachers: list[tuple[str, str, str]] = []
    pw_hash = hash_password("bench-password")  # one hash for all: the bench measures uploads, not argon2
    with session_scope() as db:
        seed_demo(db)
        org = db.scalar(select(Organisation).where(Organisation.code == "SCH-TARAZ-12"))
        for n in range(args.teachers):
            user = User(username=f"bench{n:03d}", password_hash=pw_hash, full_name=f"Учитель {n}", role="teacher",
                        organisation_id=org.id)
            db.add(user)
            db.flush()
            dossier = Dossier(teacher_user_id=user.id, organisation_id=org.id, region_id=org.region_id,
                              profile="kz-researcher", period_start=dt.date(2021, 9, 1), period_end=dt.date(2026, 8, 31))
            db.add(dossier)
            db.flush()
            teachers.append((user.username, "bench-password", dossier.id))

    scans = _scan_material(12) if args.scans > 0 else []
    tesseract_pps = _tesseract_pages_per_s(scans, tmp) if scans else 0.0
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    logs = tmp / "logs"
    logs.mkdir()
    server = subprocess.Popen([*os.environ.get("BENCH_WEB_PREFIX", "").split(), sys.executable, "-m", "service", "serve", "--port", str(port),
                               "--workers", str(args.web_workers)], cwd=REPO, env=env,
                              stdout=(logs / "serve.log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    procs = [server]
    if not args.no_worker and args.jobs == "celery":
        nice = [] if args.worker_nice is None else ["--nice", str(args.worker_nice)]
        procs.append(subprocess.Popen([sys.executable, "-m", "service", "worker", "--concurrency",
                                       str(args.worker_concurrency), "--loglevel", "warning", *nice], cwd=REPO, env=env,
                                      stdout=(logs / "worker.log").open("wb"), stderr=subprocess.STDOUT,
                                      start_new_session=True))
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print((logs / "serve.log").read_text(errors="replace"))
                raise SystemExit("attest serve did not start")
            time.sleep(0.2)

        spy = None
        if args.profile:
            spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--subprocesses",
                                    "--pid", str(server.pid), "--rate", "200", "--gil", "-o", str(args.profile),
                                    *(["--format", "raw"] if args.profile.suffix == ".txt" else [])],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            time.sleep(1.0)
        time.sleep(2.0)  # job processes started
        memory_before = _memory([p.pid for p in procs])
        t_start = time.perf_counter()
        latencies, errors, upload_s, cpu = asyncio.run(_load(base, teachers, args.docs, [p.pid for p in procs],
                                                             args.client, scans, args.scans))
        cpu_web, cpu_worker = cpu[0], (cpu[1] if len(procs) > 1 else 0.0)
        cpu_client, cpu_pg, machine_busy = cpu[-3], cpu[-2], cpu[-1]
        if spy is not None:
            spy.send_signal(2)
            spy.wait(timeout=60)
        expected = args.teachers * args.docs
        deadline = time.monotonic() + (0 if args.no_worker else args.timeout)
        while True:
            with session_scope() as db:
                done = db.scalar(select(func.count()).select_from(Job).where(
                    Job.kind == "verify_upload", Job.state.in_(("succeeded", "failed"))))
            if done >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        all_done_s = time.perf_counter() - t_start
        memory_after = _memory([p.pid for p in procs])

        store = get_store()
        with session_scope() as db:
            files = list(db.scalars(select(FileRecord).where(FileRecord.purpose == "dossier_upload")))
            states = dict(db.execute(select(Job.state, func.count()).where(Job.kind == "verify_upload")
                                     .group_by(Job.state)).all())
            retried = db.scalar(select(func.count()).select_from(Job).where(Job.attempts > 1))
        missing = 0
        for f in files:
            with store.local_path(f.sha256) as p:
                if hashlib.sha256(p.read_bytes()).hexdigest() != f.sha256:
                    missing += 1
        lost = expected - len(files) + missing
        with_report = sum(1 for f in files if f.report)
        pages = sum(int((f.report or {}).get("pages") or 0) for f in files)
        scan_pages = sum(int((f.report or {}).get("pages") or 0) for f in files
                         if (f.report or {}).get("text_source") in ("ocr", "mixed"))

        nice_used = "ATTEST_JOB_NICENESS" if args.worker_nice is None else args.worker_nice
        worker = ("no worker" if args.no_worker else "in-process worker" if args.jobs == "inprocess"
                  else f"Celery worker x{args.worker_concurrency} threads, nice {nice_used}")
        goal_ms = 200 if args.jobs == "celery" and db_url.startswith("postgresql") else 300
        print(f"attest load: {args.teachers} teachers x {args.docs} documents = {expected} uploads "
              f"(web: {args.web_workers} uvicorn process(es); {worker}; "
              f"{db_url.split(':')[0].split('+')[0]}; {args.client} client; load average before {load_before})")
        print(f"  upload phase        {upload_s:7.2f} s   {len(latencies) / upload_s:7.1f} requests/s")
        print(f"  upload latency      p50 {_percentile(latencies, 0.5) * 1000:6.0f} ms   "
              f"p95 {_percentile(latencies, 0.95) * 1000:6.0f} ms   max {max(latencies) * 1000:6.0f} ms   "
              f"(goal p95 < {goal_ms} ms)")
        print(f"  CPU during uploads  web {cpu_web:.1f} s ({cpu_web / expected * 1000:.1f} ms/upload), worker "
              f"{cpu_worker:.1f} s, PostgreSQL {cpu_pg:.1f} s, load client {cpu_client:.1f} s; machine "
              f"{machine_busy * 100:.0f}% busy on {os.cpu_count()} cores; load average after "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"  all verified after  {all_done_s:7.2f} s   jobs: {states}, retried: {retried}")
        print(f"  stored {len(files)}/{expected}, with report {with_report}, lost {lost}, errors {len(errors)}")
        print(f"  pages verified      {pages} ({scan_pages} read by OCR): {pages / all_done_s:.2f} pages/s, "
              f"{scan_pages / all_done_s:.2f} OCR pages/s")
        if scans:
            ceiling = tesseract_pps * (os.cpu_count() or 1)
            print(f"  tesseract ceiling   plain single-thread tesseract -l rus+kaz+eng {tesseract_pps:.2f} pages/s x "
                  f"{os.cpu_count()} cores = {ceiling:.2f} pages/s; Attest's OCR pages/s = "
                  f"{scan_pages / all_done_s / ceiling:.2f} x the ceiling (goal >= 0.8)")
        for role in ("web", "jobs"):
            print(f"  memory (RSS, MB)    {role}: before {' '.join(f'{m:.0f}' for m in memory_before[role]) or '-'}, "
                  f"after {' '.join(f'{m:.0f}' for m in memory_after[role]) or '-'}")
        for e in errors[:10]:
            print("   ", e)
        ok = not errors and lost == 0 and (args.no_worker or states.get("succeeded", 0) == expected)
        print("  RESULT:", "ok" if ok else "FAILED", "| p95 goal", "met" if _percentile(latencies, 0.95) * 1000 < goal_ms else "missed",
              f"(< {goal_ms} ms)")
        return 0 if ok else 1
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 9)


if __name__ == "__main__":
    sys.exit(main())
