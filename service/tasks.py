"""The task modules: importing this module registers every job kind with :mod:`service.jobs.runner`,
and the audit log as the listener of job events (:mod:`service.jobs.events`).

The app (in-process worker), ``attest worker`` (Celery) and anything else that runs jobs import it;
``jobs/`` itself knows no domain. A new job kind lives in its domain's ``tasks.py`` and is named here.
"""

from __future__ import annotations

import service.documents.tasks  # generate_batch
import service.dossier.tasks  # verify_upload, build_dossier
import service.jobs.probe  # noqa: F401  probe
from service.audit.service import record_job_event
from service.jobs import events
from service.jobs.runner import TASKS

__all__ = ["TASKS"]

events.listen(record_job_event)  # job.succeeded / job.failed in the audit log
