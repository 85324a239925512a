"""The requirement checklist a page shows while a dossier fills up.

:func:`service.dossier.workflow.checklist` answers with the dossier engine when it offers
``checklist_from_reports``, else with a provisional count by kind and no reasons. The teacher needs
the reasons ("two districts instead of three"), so when the workflow falls back this module asks the
engine itself (:func:`service.dossier.matching.match_evidence`) with the stored reports — the same
call the dossier assembly makes, without the cross-dossier ledger (the assembly still applies it).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from service.dossier import workflow

__all__ = ["live_checklist"]

log = logging.getLogger(__name__)


def live_checklist(db: Session, dossier: Any, lang: str) -> dict[str, Any]:
    data = workflow.checklist(db, dossier, lang)
    if data.get("engine") != "kind_count":
        return data
    try:
        from service.dossier.matching import Evidence, Period, match_evidence, report_from_dict
        from service.dossier.profiles import load_profile

        evidence = [Evidence(v.file.filename, report_from_dict(v.file.report))
                    for v in workflow.file_views(db, dossier) if v.file.report]
        match = match_evidence(load_profile(dossier.profile), evidence,
                               period=Period(dossier.period_start, dossier.period_end), dossier_id=dossier.id)
    except Exception:
        log.exception("matching failed for dossier %s; showing the provisional checklist", dossier.id)
        return data
    return {"engine": "matching", "status": match.status.value,
            "requirements": [r.to_dict(lang) for r in match.requirements]}
