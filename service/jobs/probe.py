"""The worker health probe job: sleeps, reporting progress (plumbing: it exercises claim, heartbeat,
progress and completion without any domain).

    probe             {"seconds"}
"""

from __future__ import annotations

import time
from typing import Any

from service.errors import BadInput
from service.jobs.runner import JobContext, task

__all__: list[str] = []


@task("probe")
def _probe(ctx: JobContext) -> dict[str, Any]:
    seconds = float(ctx.payload.get("seconds", 1.0))
    if not 0 <= seconds <= 600:
        raise BadInput("probe seconds must be between 0 and 600")
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        ctx.progress(elapsed / seconds if seconds else 1.0, "sleeping")
        time.sleep(min(0.1, seconds - elapsed))
    return {"slept_s": seconds, "worker": ctx.worker_id, "attempt": ctx.attempt}
