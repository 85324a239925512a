"""`attest worker`: a Celery worker (Redis broker) for verification, batch and dossier jobs, plus a
sweeper thread that hands out again the jobs of workers that died."""

from __future__ import annotations

import argparse
import sys

__all__ = ["run"]


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

    # before any thread starts: Celery's pool threads and the sweeper inherit it
    niceness = lower_process_priority(settings.job_niceness if args.nice is None else args.nice)

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
          f"niceness {niceness}", flush=True)
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
    return 0
