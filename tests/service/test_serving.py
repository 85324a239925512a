"""How `attest serve` and `attest worker` use the machine: several web processes each with its own
socket (connections spread over them, a dead one replaced, SIGTERM stops all), a web process kept on
one CPU while its embedded job threads use them all, job workers at a lower priority."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux scheduling")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTEST_")}
    env.update(ATTEST_DATA_DIR=str(tmp / "data"), ATTEST_DATABASE_URL=f"sqlite:///{tmp / 'a.db'}",
               ATTEST_JOB_BACKEND="inprocess", **extra)
    return env


def _job_children(web_pid: int) -> list[int]:
    """The pool's job children of a web process: children of its fork server (a child of the web
    process) whose owner is that web process."""
    out = []
    for server in _children(web_pid):
        if "forkserver" not in (_cmdline(server) or ""):
            continue
        out += _children(server)
    return sorted(out)


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("attest serve did not answer")


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _cmdline(pid: int) -> str | None:
    """A process's command line, or None when it has gone (a child listed a moment ago may have
    exited and been reaped since: the one the test kills, say)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return None


def _web_children(pid: int) -> list[int]:
    """The web processes among a server's children: those alive and not multiprocessing's resource tracker."""
    out = []
    for c in _children(pid):
        cmd = _cmdline(c)
        if cmd and "resource_tracker" not in cmd:
            out.append(c)
    return out


def _serving_pids(port: int) -> Counter[str]:
    out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True,
                         text=True, check=True).stdout
    return Counter(re.findall(r"pid=(\d+)", out))


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two CPUs")
def test_several_web_processes_share_the_connections_and_are_replaced_when_they_die(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port), "--workers", "2"],
                            cwd=REPO, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, proc)
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        children = _children(proc.pid)
        assert len(children) >= 2
        web = _web_children(proc.pid)
        assert len(web) == 2
        # each on its own CPU, all of them different
        assert sorted(len(os.sched_getaffinity(c)) for c in web) == [1, 1]
        assert os.sched_getaffinity(web[0]) != os.sched_getaffinity(web[1])
        # the first process may answer the health check while the second is still starting (a loaded
        # machine; it listens only once its application is ready), so measure again until both have
        # taken connections (or the deadline)
        deadline = time.monotonic() + 60
        while True:
            conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
            time.sleep(0.5)
            shares = _serving_pids(port)
            for c in conns:
                c.close()
            if (set(shares) == {str(c) for c in web} and sum(shares.values()) == 40) or time.monotonic() > deadline:
                break
            time.sleep(1.0)
        assert set(shares) == {str(c) for c in web}, shares  # both processes accepted connections
        assert sum(shares.values()) == 40 and min(shares.values()) >= 8, shares

        os.kill(web[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = _web_children(proc.pid)
            if len(now) == 2 and web[0] not in now:
                break
            time.sleep(0.2)
        assert len(now) == 2 and web[0] not in now and web[1] in now
        _wait_healthy(port, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out.decode()
    assert "Traceback" not in out.decode()


def test_a_starting_process_takes_no_connection_before_it_listens() -> None:
    """A web process binds its socket at start-up but listens only when its application is ready
    (uvicorn's create_server): meanwhile every new connection goes to the processes already serving."""
    from service.webserver import reuse_port_socket

    port = _free_port()
    serving = reuse_port_socket("127.0.0.1", port)
    starting = reuse_port_socket("127.0.0.1", port, listen=False)
    try:
        clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(24)]
        serving.settimeout(5)
        accepted = [serving.accept()[0] for _ in range(24)]
        starting.listen(16)
        starting.setblocking(False)
        with pytest.raises(BlockingIOError):
            starting.accept()
        for c in clients + accepted:
            c.close()
    finally:
        serving.close()
        starting.close()


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "service", "serve", "--port", str(port), "--workers", "2"],
                           cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two CPUs")
def test_one_web_process_stays_on_one_cpu_and_its_job_processes_use_all(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)], cwd=REPO,
                            env=_env(tmp_path, ATTEST_INPROCESS_WORKERS="2"), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, proc)
        all_cpus = os.sched_getaffinity(0)
        tasks = [int(t.name) for t in Path(f"/proc/{proc.pid}/task").iterdir()]
        # the web process, every thread of it: one core, the requests' priority (no job runs in it)
        assert {len(os.sched_getaffinity(tid)) for tid in tasks} == {1}
        assert {os.getpriority(os.PRIO_PROCESS, tid) for tid in tasks} == {0}
        # the two job children (ATTEST_INPROCESS_WORKERS=2), forked by the pool's fork server: every
        # core, niceness 19
        deadline = time.monotonic() + 30
        while len(jobs := _job_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(jobs) == 2, jobs
        assert all(os.sched_getaffinity(pid) == all_cpus for pid in jobs)
        assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in jobs] == [19, 19]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in jobs) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in jobs if Path(f"/proc/{pid}").exists()] == []  # stopped with it: no orphans

    # and the setting turns it off
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)], cwd=REPO,
                            env=_env(tmp_path, ATTEST_WEB_PIN_CPU="false"), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, proc)
        assert os.sched_getaffinity(proc.pid) == os.sched_getaffinity(0)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)


def test_a_job_worker_lowers_its_priority_and_its_session_groups(tmp_path: Path) -> None:
    code = (
        "import os, threading\n"
        "from service.jobs.priority import lower_process_priority\n"
        "print(lower_process_priority(7))\n"
        "t = threading.Thread(target=lambda: print(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))\n"
        "t.start(); t.join()\n"
        "print(open('/proc/self/autogroup').read().split()[-1] if os.path.exists('/proc/self/autogroup') else 'n/a')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                       start_new_session=True, check=False)
    lines = r.stdout.split()
    assert r.returncode == 0, r.stderr
    assert lines[0] == "7" and lines[1] == "7"  # the process, and a thread started afterwards
    assert lines[2] in ("7", "n/a")  # its own session's group, where the kernel groups by session
