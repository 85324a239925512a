"""The embedded default's job workers: a small supervised pool of child processes.

The web process only accepts, stores and answers; verification, batches and dossier builds run in
about one child per core, at the jobs' lower priority, each with its own interpreter (no GIL shared
with the requests) and its own PDFium lock. A child runs the same code as a Celery worker
(:func:`service.jobs.runner.run_job`: claim with a compare-and-set, heartbeat, completion with a
compare-and-set), so a job finishes exactly once whatever happens to the children.

- **Start**: children come from a fork server that has imported the task modules once, so a child
  (and a replacement) is ready in milliseconds instead of importing the whole product again. Each
  child is handed the settings environment of the moment it is started.
- **Wake-up**: an upload's commit calls :meth:`WorkerPool.wake`, a semaphore that wakes an idle child
  at once; children also look at the job table every ``poll_s`` seconds (a job committed by another
  web process, a retry).
- **A child that dies** (killed, out of memory, a crash in a native library) is replaced; the jobs it
  held are given back to the queue at once (their attempt counts, as with a lost lease), so they are
  retried by another child without waiting for the lease to expire. A pool whose children keep dying
  (more than ``max_restarts_per_minute``) stops replacing them and says so in the log; the jobs stay
  queued for the next start.
- **A child whose memory passed** ``job_max_rss_mb`` after a job (tesseract's engines and a big file's
  pictures stay in its heap) leaves after that job with :data:`RECYCLE_EXIT` and a fresh one takes its place
  at once: not a failure (nothing is retried, it does not count towards ``max_restarts_per_minute``).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import threading
import time
from collections import deque
from typing import Any

from service.db import get_engine, session_scope
from service.jobs import events
from service.jobs import repository as repo
from service.jobs.priority import lower_process_priority, use_all_cpus
from service.jobs.runner import run_next, worker_id
from service.settings import get_settings

__all__ = ["RECYCLE_EXIT", "WorkerPool", "child_worker_prefix", "rss_mb"]

log = logging.getLogger(__name__)

_PREFIX = "pool"
_ORDERLY_EXITS = (0, -signal.SIGTERM, -signal.SIGINT)
"""A child that exits so has been stopped on purpose (by the pool, or by the system stopping the service):
it is not replaced. Any other exit — SIGKILL (the OOM killer), a crash, 255 (its fork server was killed)
— is a loss the pool makes good."""


RECYCLE_EXIT = 75
"""A child's exit status when it leaves after a job because its memory passed ``job_max_rss_mb``: the pool
starts a fresh child in its place at once."""


def rss_mb() -> float:
    """This process's resident memory in MB (Linux: now; elsewhere: its peak)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_worker_prefix(pid: int) -> str:
    """The lease owner prefix of every job a child with this pid holds (see :func:`runner.worker_id`)."""
    return f"{_PREFIX}:{socket.gethostname()}:{pid}:"


class WorkerPool:
    """``processes`` children that run jobs; :meth:`start`, :meth:`wake`, :meth:`stop`.

    ``tasks_module`` is imported by every child before its first job (it registers the job kinds:
    ``service.tasks``); ``jobs/`` itself names no domain."""

    def __init__(self, processes: int, *, tasks_module: str, niceness: int = 10, poll_s: float = 2.0,
                 max_restarts_per_minute: int = 10) -> None:
        self.processes = max(1, processes)
        self.tasks_module = tasks_module
        self.niceness = niceness
        self.poll_s = poll_s
        self.max_restarts_per_minute = max_restarts_per_minute
        self._ctx = multiprocessing.get_context("forkserver")
        with contextlib.suppress(ValueError, RuntimeError):
            self._ctx.set_forkserver_preload(["service.jobs.forkserver", tasks_module])
        self._wake = self._ctx.BoundedSemaphore(self.processes)
        for _ in range(self.processes):  # start with no token: a child sleeps until woken or polled
            self._wake.acquire()
        self._stop = self._ctx.Event()
        self._children: list[Any] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._restarts: deque[float] = deque()
        self._supervisor: threading.Thread | None = None
        self.replaced = 0
        """Children replaced since the start (a test and the health page read it)."""
        self.recycled = 0
        """Children that left after a job because their memory passed ``job_max_rss_mb``, and were replaced."""

    # ------------------------------------------------------------------ the web process's side

    def start(self) -> None:
        with self._lock:
            self._children = [self._spawn() for _ in range(self.processes)]
        self._supervisor = threading.Thread(target=self._supervise, name="attest-job-pool", daemon=True)
        self._supervisor.start()

    def wake(self) -> None:
        """Wake one idle child now (cheap, never blocks: called on the event loop after a commit)."""
        with contextlib.suppress(ValueError):  # every child already has a token
            self._wake.release()

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._children if p.pid is not None]

    def stop(self, timeout: float = 10.0) -> None:
        """Ask every child to stop after its current job; kill those still running after ``timeout``."""
        self._stopping.set()
        self._stop.set()
        for _ in range(self.processes):
            self.wake()
        deadline = time.monotonic() + timeout
        with self._lock:
            children = list(self._children)
        for p in children:
            p.join(max(0.0, deadline - time.monotonic()))
        for p in children:
            if p.is_alive():
                log.warning("job child %s did not stop in %.0f s; killed (its job is retried)", p.pid, timeout)
                p.kill()
                p.join(2.0)
        if self._supervisor is not None:
            self._supervisor.join(2.0)

    # ------------------------------------------------------------------ supervision

    def _spawn(self) -> Any:
        env = {k: v for k, v in os.environ.items() if k.startswith("ATTEST_")}
        p = self._ctx.Process(
            target=_child_main, name="attest-job",
            args=(self.tasks_module, env, self._wake, self._stop, self.niceness, self.poll_s, os.getpid()),
            daemon=True)
        p.start()
        return p

    def _supervise(self) -> None:
        missing = 0  # children that died and could not be started again yet
        recycle = 0  # children that left above the memory cap, not started again yet (not failures)
        while not self._stopping.is_set():
            with self._lock:
                sentinels = {p.sentinel: p for p in self._children}
            ready = multiprocessing.connection.wait(list(sentinels), timeout=1.0) if sentinels else []
            if not sentinels:
                self._stopping.wait(1.0)
            if self._stopping.is_set():
                return
            for sentinel in ready:
                dead = sentinels[sentinel]  # type: ignore[index]
                dead.join(0)
                with self._lock:
                    self._children.remove(dead)
                self._release_jobs_of(dead.pid)
                if dead.exitcode == RECYCLE_EXIT:
                    log.info("job child %s left after a job above job_max_rss_mb; a fresh one takes its place",
                             dead.pid)
                    recycle += 1
                    continue
                if dead.exitcode in _ORDERLY_EXITS:  # the system is stopping us (SIGTERM to the group, ...)
                    log.info("job child %s stopped (exit %s)", dead.pid, dead.exitcode)
                    continue
                log.error("job child %s exited with %s; its jobs go back to the queue", dead.pid, dead.exitcode)
                missing += 1
            while recycle and not self._stopping.is_set() and self._start_one():
                recycle -= 1
                self.recycled += 1
            while missing and not self._stopping.is_set():
                if not self._may_restart():
                    log.error("job children keep dying (%d in a minute): not replacing them for now; jobs stay "
                              "queued", len(self._restarts))
                    break
                if not self._start_one():
                    break
                missing -= 1
                self.replaced += 1

    def _start_one(self) -> bool:
        """One more child (woken at once); False when it cannot be started now (tried again later)."""
        try:
            fresh = self._spawn()
        except Exception as exc:  # noqa: BLE001  (the process is shutting down, or the fork server is gone for now)
            log.warning("could not start a job child (%s: %s); trying again", type(exc).__name__, exc)
            return False
        with self._lock:
            self._children.append(fresh)
        self.wake()
        return True

    def _may_restart(self) -> bool:
        now = time.monotonic()
        while self._restarts and now - self._restarts[0] > 60:
            self._restarts.popleft()
        if len(self._restarts) >= self.max_restarts_per_minute:
            return False
        self._restarts.append(now)
        return True

    @staticmethod
    def _release_jobs_of(pid: int | None) -> None:
        if pid is None:
            return
        try:
            with session_scope() as db:
                released = repo.requeue_owned_by(db, child_worker_prefix(pid))
                for job_id, kind, failed in released:
                    if failed:
                        events.emit(db, "job.failed", job_id, kind=kind, error="attempts exhausted")
            if released:
                log.warning("gave back %d job(s) of the dead child %s", len(released), pid)
        except Exception:  # the database is down: the leases expire and the jobs are claimed again then
            log.warning("could not requeue the jobs of the dead child %s now", pid, exc_info=True)


# ---------------------------------------------------------------------- the child's side


def _child_main(tasks_module: str, env: dict[str, str], wake: Any, stop: Any, niceness: int,
                poll_s: float, owner: int) -> None:
    """The loop of one child. ``owner`` is the web process's pid: a child's parent is the fork server,
    which lives as long as any child does, so a child watches its owner itself and stops (after the
    job in hand) when the owner is gone — killed processes leave no orphans behind."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the web process, which stops us
    signal.signal(signal.SIGTERM, lambda *_: _terminated.set())  # the job in hand is finished first
    for key in [k for k in os.environ if k.startswith("ATTEST_")]:
        del os.environ[key]
    os.environ.update(env)
    for cached in (get_settings, get_engine):  # the fork server's copies knew other settings
        cached.cache_clear()  # (the store is keyed by its settings already)
    use_all_cpus()  # not the web process's one core
    lower_process_priority(niceness)
    importlib.import_module(tasks_module)
    wid = worker_id(_PREFIX)
    def stopping() -> bool:
        return stop.is_set() or _terminated.is_set()

    limit = get_settings().job_max_rss_mb
    while not stopping() and _alive(owner):
        if not run_next(wid, stopping=stopping, dispatch=lambda _id: _release(wake)):
            wake.acquire(timeout=poll_s)
        elif limit and rss_mb() > limit:  # after the job, never during it: a fresh child takes over
            raise SystemExit(RECYCLE_EXIT)


_terminated = threading.Event()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process now holds the pid: ours is gone
        return False
    return True


def _release(wake: Any) -> None:
    with contextlib.suppress(ValueError):
        wake.release()
