"""`attest serve`: upgrade the database, optionally seed the demo, print the URL and logins, serve."""

from __future__ import annotations

import argparse
import socket
import sys

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from service.db import session_scope, upgrade
    from service.settings import get_settings

    settings = get_settings()
    try:
        upgrade()
    except Exception as exc:  # noqa: BLE001  (a wrong URL or a database that is down: say so, no traceback)
        print(f"attest: cannot prepare the database {settings.effective_database_url!r}: {exc}", file=sys.stderr)
        return 2
    if args.seed_demo:
        from service.seed import seed_demo

        with session_scope() as db:
            accounts = seed_demo(db)
    url = f"http://{args.host}:{args.port}/"
    print(f"Attest is serving at {url}  (API: {url}api/v1/docs)", flush=True)
    print(f"database: {settings.effective_database_url}; jobs: {settings.job_backend}; files: {settings.storage_backend}",
          flush=True)
    if args.seed_demo:
        print("demo logins (user / password / role):", flush=True)
        for acc in accounts:
            print(f"  {acc.username:<11} {acc.password:<22} {acc.role}", flush=True)
    workers = max(1, int(args.workers))
    if workers > 1 and hasattr(socket, "SO_REUSEPORT"):
        from service.webserver import PortInUse, serve_processes

        try:
            return serve_processes(args.host, args.port, workers)  # one socket per process: fair shares
        except PortInUse as exc:
            print(f"attest: {exc}; stop the program using it or choose another --port", file=sys.stderr)
            return 2
    from service.webserver import pin_to_one_cpu

    pin_to_one_cpu(0)  # one process: its threads on one core (see pin_to_one_cpu)
    uvicorn.run("service.app:create_app", factory=True, host=args.host, port=args.port,
                workers=workers, log_level="warning",
                # a worker process busy with a burst (logins are argon2) is not hung: uvicorn's default
                # 5 s health check killed busy workers mid-request under load
                timeout_worker_healthcheck=30)
    return 0
