"""`attest worker`: a Celery worker (Redis broker) for verification, batch and dossier jobs, plus a
sweeper thread that hands out again the jobs of workers that died.

Its memory is bounded like the embedded pool's children: after a job, a worker whose memory passed
``ATTEST_JOB_MAX_RSS_MB`` takes no more jobs, finishes those in hand (Celery's warm shutdown: the messages
it had reserved go back to the broker) and starts again in place (``exec``: the same process id, so a
service manager sees one process throughout, and fresh memory). The worker runs Celery's thread pool,
where Celery's own ``worker_max_memory_per_child`` (a prefork setting) does not apply.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

__all__ = ["RESTARTS_ENV", "run"]

RESTARTS_ENV = "ATTEST_WORKER_RESTARTS"
"""How many times this worker process started again in place after passing its memory cap."""


class _MemoryCap:
    """Watches the worker's memory after each job and stops it warm when it passed ``limit_mb``."""

    def __init__(self, limit_mb: int) -> None:
        from celery.signals import task_postrun, worker_shutting_down

        self.limit_mb = limit_mb
        self.passed = threading.Event()  # our own stop: start again
        self.told = threading.Event()  # a signal from outside (a service manager's stop): leave
        self._lock = threading.Lock()
        task_postrun.connect(self._after_job, weak=False)
        worker_shutting_down.connect(lambda **_: self.told.set(), weak=False)

    def _after_job(self, **_: object) -> None:
        from celery.worker import state

        from service.jobs.pool import rss_mb

        if not self.limit_mb:
            return
        with self._lock:  # two jobs ending at once: one stop
            if self.passed.is_set() or (rss := rss_mb()) <= self.limit_mb:
                return
            self.passed.set()
            print(f"attest worker: {rss:.0f} MB after a job, above ATTEST_JOB_MAX_RSS_MB={self.limit_mb}: "
                  "finishing the jobs in hand, then starting again", flush=True)
            state.should_stop = 0  # Celery's warm shutdown, as on SIGTERM (the loop looks at it every second)

    def start_again(self) -> bool:
        return self.passed.is_set() and not self.told.is_set()


def run(args: argparse.Namespace) -> int:
    from service.db import upgrade
    from service.jobs.celery_app import get_app, send
    from service.jobs.sweeper import Sweeper
    from service.settings import get_settings

    settings = get_settings()
    try:
        upgrade()
    except Exception as exc:  # noqa: BLE001  (say what is wrong, no traceback)
        print(f"attest: cannot prepare the database {settings.effective_database_url!r}: {exc}", file=sys.stderr)
        return 2
    import service.tasks  # noqa: F401  (registers every job kind; fails early on a broken install)
    from service.jobs.priority import lower_process_priority

    restarts = int(os.environ.get(RESTARTS_ENV, "0") or 0)
    # before any thread starts: Celery's pool threads and the sweeper inherit it (and a process started
    # again in place keeps its niceness: it is not lowered twice)
    niceness = (os.nice(0) if restarts else
                lower_process_priority(settings.job_niceness if args.nice is None else args.nice))

    sweeper = Sweeper(send, interval_s=max(0.5, min(settings.job_lease_s / 2, 15.0)))
    sweeper.start()
    from service.documents.signing import sweep_prepared
    from service.jobs.sweeper import Chores

    Chores([sweep_prepared]).start()  # PDFs of signings never finished, once a day old
    if settings.effective_database_url.startswith("postgresql"):
        from service.jobs.celery_app import send_many
        from service.jobs.dispatcher import Dispatcher

        Dispatcher(settings.effective_database_url, send_many).start()  # jobs the web processes committed
    print(f"attest worker: broker {settings.redis_url}, database {settings.effective_database_url}, "
          f"niceness {niceness}" + (f", started again in place ({restarts})" if restarts else ""), flush=True)
    cap = _MemoryCap(settings.job_max_rss_mb)
    app = get_app()
    app.worker_main([
        "worker",
        f"--loglevel={args.loglevel}",
        f"--concurrency={args.concurrency}",
        "--pool=threads",
        "--without-gossip",
        "--without-mingle",
        "-Q",
        "attest",
    ])
    if cap.start_again():
        sys.stdout.flush()
        sys.stderr.flush()
        os.environ[RESTARTS_ENV] = str(restarts + 1)
        os.execv(sys.executable, sys.orig_argv)  # the same command line, fresh memory; never returns
    return 0
