"""Serving the app with several processes, each with its own listening socket (SO_REUSEPORT).

`attest serve --workers N` on Linux. uvicorn's own `--workers` shares one listening socket between
its processes, and the process that wakes first accepts every connection waiting in the queue: when
50 teachers connect at once one process got 38 of them and the other 12, and with keep-alive those
connections stay where they landed (measured with `bench/load.py --web-workers 2`: p95 0.5 s against
the same process' 0.17 s on a fair share). Here every process binds its own socket to the same port
with SO_REUSEPORT, and the kernel spreads new connections over the sockets.

The parent only supervises: a process that dies is started again (at most 5 times a minute, then
the server stops with an error rather than flapping), SIGTERM/SIGINT stop every process gracefully
(uvicorn finishes the requests in flight), anything still running after 30 s is killed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections import deque

__all__ = ["PortInUse", "pin_to_one_cpu", "reuse_port_socket", "serve_processes"]

log = logging.getLogger(__name__)

_APP = "service.app:create_app"
ALL_CPUS_ENV = "ATTEST_WEB_ALL_CPUS"
_MAX_RESTARTS_PER_MINUTE = 5


class PortInUse(Exception):
    """Another program holds the port (without SO_REUSEPORT)."""


def reuse_port_socket(host: str, port: int, *, listen: bool = True) -> socket.socket:
    """A TCP socket bound to host:port that other processes of this server can bind too; listening
    unless ``listen`` is false (then the server listens on it once its application is ready)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    if listen:
        sock.listen(2048)
    return sock


def pin_to_one_cpu(index: int) -> int | None:
    """Keep this process on one CPU (the `index`-th it may use, modulo their number); returns it.

    A web process is bound by its GIL: its event loop and worker threads take turns, and when the
    kernel spreads those threads over several cores every hand-over is a cross-core wake-up that
    costs more than the work (measured with `bench/load.py`, 50 teachers uploading: 7.8 ms of CPU
    per upload spread out, 4.8 ms on one core; p95 443 ms → 266 ms). Called before any thread starts,
    so that they all inherit it; the embedded job threads give it up again
    (:func:`service.jobs.priority.use_all_cpus`), and so do the programs they start (OCR).
    """
    if not hasattr(os, "sched_setaffinity"):
        return None
    from service.settings import get_settings

    if not get_settings().web_pin_cpu:
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    cpu = cpus[index % len(cpus)]
    os.environ[ALL_CPUS_ENV] = ",".join(map(str, cpus))  # for the threads that give it up again
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError:
        return None
    return cpu


def _child(index: int, host: str, port: int, log_level: str, timeout_graceful_s: int) -> None:
    import uvicorn

    pin_to_one_cpu(index)
    # Bound, not listening: uvicorn listens on it after the application started (asyncio's
    # create_server), so a process that is starting or restarting takes no connection into its
    # queue before it can answer; the kernel gives new connections to the processes listening.
    sock = reuse_port_socket(host, port, listen=False)
    config = uvicorn.Config(_APP, factory=True, host=host, port=port, log_level=log_level,
                            timeout_graceful_shutdown=timeout_graceful_s)
    uvicorn.Server(config).run(sockets=[sock])


def serve_processes(host: str, port: int, workers: int, *, log_level: str = "warning",
                    timeout_graceful_s: int = 25) -> int:
    """Run `workers` server processes until SIGTERM/SIGINT; returns the exit status (0, or 1 when
    the processes kept dying)."""
    reuse_port_socket(host, port).close()  # the port is free (or ours): say so now, not in every child
    ctx = multiprocessing.get_context("spawn")
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}

    def start(index: int) -> multiprocessing.process.BaseProcess:
        proc = ctx.Process(target=_child, args=(index, host, port, log_level, timeout_graceful_s), daemon=False)
        proc.start()
        return proc

    procs = [start(i) for i in range(workers)]
    restarts: deque[float] = deque()
    status = 0
    try:
        while not stop.wait(0.5):
            for i, proc in enumerate(procs):
                if proc.is_alive():
                    continue
                now = time.monotonic()
                while restarts and now - restarts[0] > 60:
                    restarts.popleft()
                if len(restarts) >= _MAX_RESTARTS_PER_MINUTE:
                    print(f"attest: web processes keep exiting (last exit code {proc.exitcode}); stopping",
                          file=sys.stderr, flush=True)
                    status = 1
                    stop.set()
                    break
                log.warning("web process %s exited with %s; starting another", proc.pid, proc.exitcode)
                restarts.append(now)
                procs[i] = start(i)
    finally:
        for proc in procs:
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_graceful_s + 5
        for proc in procs:
            proc.join(max(0.1, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
