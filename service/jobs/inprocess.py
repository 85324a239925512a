"""The embedded default's worker, started by the web process: job children (:mod:`service.jobs.pool`,
the default) or worker threads inside the web process (``ATTEST_INPROCESS_PROCESSES=false``).

Claims are compare-and-set on the row, so several web processes (each with its workers) can share one
database; a worker that dies with its process leaves an expiring lease that another picks up.
"""

from __future__ import annotations

import logging
import threading

from service.jobs.pool import WorkerPool
from service.jobs.priority import lower_thread_priority, use_all_cpus
from service.jobs.runner import run_next, worker_id
from service.settings import get_settings

__all__ = ["InProcessWorker", "current", "start", "stop", "wake"]

log = logging.getLogger(__name__)

_wakeup = threading.Event()
_worker: InProcessWorker | WorkerPool | None = None
_lock = threading.Lock()


def wake() -> None:
    worker = _worker
    if isinstance(worker, WorkerPool):
        worker.wake()
    else:
        _wakeup.set()


class InProcessWorker:
    def __init__(self, threads: int = 2, poll_s: float = 2.0) -> None:
        self.threads = max(1, threads)
        self.poll_s = poll_s
        self.stop_event = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for n in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"attest-job-{n}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        _wakeup.set()
        for t in self._threads:
            t.join(timeout)

    def _loop(self) -> None:
        lower_thread_priority(get_settings().job_niceness)  # requests of this process come first
        use_all_cpus()  # not the web's one core: verification (and OCR programs) may use them all
        wid = worker_id("inprocess")
        while not self.stop_event.is_set():
            if not run_next(wid, stopping=self.stop_event.is_set, dispatch=lambda _id: wake()):
                _wakeup.wait(self.poll_s)
                _wakeup.clear()


def start(workers: int, *, tasks_module: str = "service.tasks",
          processes: bool = True) -> InProcessWorker | WorkerPool:
    """Start the embedded worker once: ``workers`` children (or threads), each importing
    ``tasks_module`` (the job kinds) before its first job."""
    global _worker
    with _lock:
        if _worker is None:
            _worker = (WorkerPool(workers, tasks_module=tasks_module, niceness=get_settings().job_niceness)
                       if processes else InProcessWorker(workers))
            _worker.start()
        return _worker


def current() -> InProcessWorker | WorkerPool | None:
    return _worker


def stop() -> None:
    global _worker
    with _lock:
        if _worker is not None:
            _worker.stop()
            _worker = None
