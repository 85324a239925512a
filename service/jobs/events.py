"""What the job plumbing tells the rest of the service: a job succeeded or failed for good.

``jobs/`` knows no domain, so it does not write the audit log itself: the audit domain listens
(registered by :mod:`service.tasks`, which the app and ``attest worker`` import). A listener runs in
the transaction that completes the job, so the event is recorded exactly when the completion is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

__all__ = ["JobEventListener", "emit", "listen"]

JobEventListener = Callable[[Session, str, str, dict[str, Any]], None]
"""``(db, action, job_id, details)``; action is ``"job.succeeded"`` or ``"job.failed"``."""

_listeners: list[JobEventListener] = []


def listen(listener: JobEventListener) -> JobEventListener:
    """Call ``listener`` for every job event from now on (once, however often it is registered)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def emit(db: Session, action: str, job_id: str, **details: Any) -> None:
    for listener in _listeners:
        listener(db, action, job_id, details)
