"""Background work yields the CPU to requests: job workers run at a lower scheduling priority.

A teacher waiting for an upload's answer should not wait behind a verification that nobody is
watching (it reports its progress and finishes a few seconds later either way). On Linux:

- `attest worker` lowers its own niceness before it starts its threads (they inherit it). When the
  kernel groups processes per session ("autogroup", on by default on desktops and many servers),
  niceness only counts inside the group, so a worker that leads its own session (systemd, docker, a
  supervisor, `setsid`) also lowers its group's niceness in ``/proc/self/autogroup``;
- the embedded worker's threads inside the web process lower their own niceness, thread by thread.

Best effort: where the system refuses, the work runs at normal priority and nothing else changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path

__all__ = ["lower_process_priority", "lower_thread_priority", "use_all_cpus"]

log = logging.getLogger(__name__)


def lower_process_priority(niceness: int) -> int:
    """Make this process (and the threads and children it starts from now on) `niceness` nicer;
    returns the niceness it now has."""
    if niceness <= 0 or not hasattr(os, "nice"):
        return os.nice(0) if hasattr(os, "nice") else 0
    try:
        now = os.nice(niceness)
    except OSError:
        log.info("could not lower the worker's priority", exc_info=True)
        return os.nice(0)
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists() and os.getsid(0) == os.getpid():  # our own session: the group is ours alone
        with contextlib.suppress(OSError):
            autogroup.write_text(str(min(19, niceness)))
    return now


def lower_thread_priority(niceness: int) -> None:
    """Make the calling thread `niceness` nicer than the process (Linux: niceness is per thread)."""
    if niceness <= 0 or not hasattr(os, "setpriority"):
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + niceness))


def use_all_cpus() -> None:
    """Let the calling thread (and the programs it starts, such as OCR) run on every CPU this
    machine gives the service, when its process was kept on one (a web process:
    :func:`service.webserver.pin_to_one_cpu`)."""
    saved = os.environ.get("ATTEST_WEB_ALL_CPUS")  # set by pin_to_one_cpu
    if not saved or not hasattr(os, "sched_setaffinity"):
        return
    with contextlib.suppress(OSError, ValueError):
        os.sched_setaffinity(0, {int(c) for c in saved.split(",")})  # 0: the calling thread
