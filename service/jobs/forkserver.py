"""Imported only inside the job pool's fork server (``set_forkserver_preload``), before the task
modules: the fork server ignores SIGTERM.

A service manager that stops the service signals every process of its group at once (systemd's
default ``KillMode=control-group``). The web process then stops its pool in order, and each job child
finishes the job in hand (its own SIGTERM handler); a fork server that died first would make every
child look lost (exit 255) and the pool would try to replace them while the process exits. The fork
server still goes away by itself once the web process and its children are gone.
"""

from __future__ import annotations

import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
