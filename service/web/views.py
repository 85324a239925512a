"""Presentation of service results for the pages: a verification report, a job, a checklist turned
into the plain sentences a teacher or a commission member reads, in the viewer's language.

Nothing here decides anything: verdicts, requirement statuses and check messages come from the
verification report and the dossier workflow; this module only picks and words them.
"""

from __future__ import annotations

from typing import Any

from service.web.i18n import format_date, translate
from verification import kinds
from verification.fields.level import EVENT_FORM_TITLES, LEVEL_TITLES
from verification.report import is_uncertain

__all__ = [
    "checklist_view",
    "dossier_title",
    "file_view",
    "job_view",
    "kind_label",
    "profile_choices",
    "profile_title",
    "report_view",
]


def kind_label(kind: str | None, lang: str) -> str:
    if not kind:
        return translate(lang, "report.kind_unknown")
    return kinds.title(kind, lang) if kind in kinds.ALL_KINDS else kind.replace("_", " ")


def profile_title(profile_id: str, lang: str) -> str:
    from service.attestation.profiles import load_profile

    try:
        return load_profile(profile_id).titles.get(lang)
    except Exception:  # noqa: BLE001 - an unknown or broken profile file must not take a page down
        return profile_id


def profile_choices(lang: str) -> list[tuple[str, str]]:
    from service.dossier import workflow

    return [(pid, profile_title(pid, lang)) for pid in workflow.available_profiles()]


def dossier_title(dossier: Any, lang: str) -> str:
    return dossier.title or profile_title(dossier.profile, lang)


def job_view(job: Any, lang: str) -> dict[str, Any] | None:
    """State, 0..1 progress and a label for a job row or a ``job_view`` dict."""
    if job is None:
        return None
    get = job.get if isinstance(job, dict) else (lambda k, d=None: getattr(job, k, d))
    state = get("state") or "queued"
    code = get("progress_code") or state
    label = translate(lang, f"progress.{code}")
    if label == f"progress.{code}":
        label = translate(lang, f"status.{state}")
    return {
        "id": get("id"),
        "state": state,
        "progress": 1.0 if state == "succeeded" else float(get("progress") or 0.0),
        "label": label,
        "error": get("error"),
        "done": state in ("succeeded", "failed"),
    }


def _message(check: dict[str, Any], lang: str, reader: str = "owner") -> str:
    """The check's sentence in ``lang`` for its reader: the teacher who uploaded the file (the stored
    wording) or a commission member (the ``@reviewer`` variant of the message, where there is one)."""
    code = check.get("code")
    if reader != "owner" and code:
        from verification import messages as report_messages

        if f"{code}@{reader}" in report_messages.catalog_keys():
            return report_messages.render_for(str(code), lang, reader, **dict(check.get("params") or {}))
    messages = check.get("messages") or {}
    return str(messages.get(lang) or check.get("message") or check.get("id") or "")


def _place_name(place: Any, lang: str) -> str:
    if isinstance(place, dict):
        return str((place.get("name_kk") if lang == "kk" else None) or place.get("name") or place.get("id") or "")
    return str(place)


def _pages(findings: list[dict[str, Any]]) -> str:
    return ", ".join(str(p) for p in sorted({int(f.get("page") or 1) for f in findings}))


def report_view(report: dict[str, Any] | None, lang: str, reader: str = "owner") -> dict[str, Any] | None:
    """The report as facts found, problems (with how to fix them) and the evidence boxes."""
    if not report:
        return None
    t = lambda key, **kw: translate(lang, key, **kw)
    facts: list[tuple[str, str]] = []
    facts.append((t("report.kind"), kind_label(report.get("kind"), lang)))
    fields = report.get("fields") or {}
    person = fields.get("person_name") or {}
    if person.get("value"):
        match = person.get("matches_expected")
        note = "" if match is None else (t("report.name_matches") if match else t("report.name_differs"))
        facts.append((t("report.person"), f"{person['value']}{note}"))
    date = (fields.get("date") or {}).get("value")
    if date:
        facts.append((t("report.date"), format_date(date, lang)))
    for key in ("number", "issuer", "event_form"):
        value = (fields.get(key) or {}).get("value")
        if value:
            text = EVENT_FORM_TITLES.get(str(value), {}).get(lang, str(value)) if key == "event_form" else str(value)
            facts.append((t(f"report.{key}"), text))
    level = (fields.get("level") or {}).get("value")
    if level:  # the level's name as the report's reason («Уровень: областной. Почему: …») writes it
        facts.append((t("report.level"), LEVEL_TITLES.get(str(level), {}).get(lang) or str(level)))
    places = (fields.get("places") or {}).get("value")
    if places:
        facts.append((t("report.places"), ", ".join(_place_name(p, lang) for p in places)))
    signatures = []
    for sig in report.get("signatures") or []:
        signer = (sig.get("signer") or {}).get("common_name") or t("report.signer_unknown")
        ok = sig.get("indication") == "TOTAL_PASSED"
        status = t("report.sig_valid") if ok else (
            t("report.sig_invalid") if sig.get("indication") == "TOTAL_FAILED" else t("report.sig_undecided"))
        signatures.append({"signer": signer, "ok": ok, "status": status,
                           "iin": (sig.get("signer") or {}).get("iin"), "time": sig.get("signing_time")})
    seals = list(report.get("seals") or [])
    handwritten = list(report.get("handwritten_signatures") or [])
    sure: dict[str, list[dict[str, Any]]] = {}
    for label, cls, found in (("report.seal", "seal", seals), ("report.handwritten", "signature", handwritten)):
        sure[cls] = [f for f in found if not is_uncertain(cls, float(f.get("confidence") or 0.0))]
        # only uncertain findings: not "found" (the check asks a person to look at the framed region)
        facts.append((t(label), t("report.found_on", pages=_pages(sure[cls])) if sure[cls] else (
            t("report.uncertain_on", pages=_pages(found)) if found else t("report.not_found"))))
    for qr in report.get("qr_codes") or []:
        status = qr.get("registry_status")
        if status:
            facts.append((t("report.qr"), t(f"registry.{status}")))
    checks = [c for c in report.get("checks") or [] if c.get("status") != "skip"]
    order = {"fail": 0, "warn": 1, "pass": 2}
    checks.sort(key=lambda c: order.get(str(c.get("status")), 3))
    items = [{"status": c.get("status"), "text": _message(c, lang, reader), "id": c.get("id")} for c in checks]
    summary = [kind_label(report.get("kind"), lang)]
    if sure["seal"]:
        summary.append(t("report.summary_seal"))
    if sure["signature"]:
        summary.append(t("report.summary_handwritten"))
    if signatures:
        valid = sum(1 for sig in signatures if sig["ok"])
        summary.append(t("report.summary_signatures", valid=valid, total=len(signatures)))
    if person.get("matches_expected") is True:
        summary.append(t("report.summary_name"))
    return {
        "verdict": report.get("verdict") or "needs_review",
        "summary": summary,
        "facts": facts,
        "signatures": signatures,
        "checks": items,
        "problems": [i for i in items if i["status"] == "fail"],
        "warnings": [i for i in items if i["status"] == "warn"],
        "seals": seals,
        "handwritten": handwritten,
        "pages": report.get("pages") or 1,
        "evidence_pages": sorted({int(f.get("page") or 1) for f in seals + handwritten}),
    }


def file_view(view: Any, lang: str, reader: str = "owner") -> dict[str, Any]:
    """A dossier file (``workflow.FileView``) with its verification progress or its result."""
    record = view.file
    job = job_view(view.job, lang)
    report = report_view(record.report, lang, reader)
    if report is not None:
        state = "done"
    elif job is not None and job["state"] == "failed":
        state = "error"
    else:
        state = "pending"
    return {
        "id": record.id,
        "filename": record.filename,
        "size": record.size,
        "media_type": record.media_type,
        "uploaded_at": record.created_at,
        "is_signature": record.media_type == "application/pkcs7-signature",
        "job": job,
        "state": state,
        "report": report,
    }


def checklist_view(checklist: dict[str, Any], dossier: Any, lang: str) -> dict[str, Any]:
    """Requirement rows with status and reason, and how many are met (for the progress bar)."""
    from service.attestation.profiles import load_profile

    titles: dict[str, str] = {}
    try:
        profile = load_profile(dossier.profile)
        titles = {r.id: r.titles.get(lang) for r in profile.requirements}
    except Exception:  # noqa: BLE001 - the page still shows the ids
        profile = None
    rows = []
    for r in checklist.get("requirements") or []:
        reasons = r.get("reasons") or {}
        rows.append({
            "id": r.get("id"),
            "title": titles.get(r.get("id")) or r.get("title") or r.get("id"),
            "status": r.get("status") or "unmet",
            "reason": reasons.get(lang) or r.get("reason") or "",
            "documents": list(r.get("documents") or []),
            "review_documents": list(r.get("review_documents") or []),
        })
    met = sum(1 for r in rows if r["status"] == "met")
    return {
        "status": checklist.get("status") or "incomplete",
        "rows": rows,
        "met": met,
        "total": len(rows),
        "fraction": (met / len(rows)) if rows else 0.0,
        "profile_note": profile.note.get(lang) if profile is not None and profile.note else "",
    }
