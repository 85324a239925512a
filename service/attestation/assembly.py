"""Assembly of the dossier a commission downloads: dossier.pdf, dossier.zip and manifest.json.

dossier.pdf = cover, requirements table with verdicts, one summary page per document (kind, fields,
signature verdicts, seals and handwritten signatures found, with thumbnails of where), then every
document: scans become PDF pages without re-encoding (img2pdf passes JPEG through), born-digital PDFs
go in as they are. Bookmarks, page numbers and the dossier id on every page. The originals are
embedded as attached files and copied unchanged into dossier.zip, so their own signatures still
verify. Finally the PDF is signed by the service's key (PAdES, :mod:`service.signing`; B-T with a TSA), so
that a later change shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.attestation.errors import AssemblyError
from service.attestation.matching import (
    FORM_TITLES,
    LEVEL_TITLES,
    DocumentAssessment,
    MatchResult,
    Period,
    Teacher,
    kind_title,
)
from service.fonts import reportlab_fonts
from service.signing import PadesSigner
from verification.report import CheckStatus, Report
from verification.scans.loading import image_dpi

__all__ = [
    "AssemblyResult",
    "DecisionRecord",
    "DossierDocument",
    "KeptSignature",
    "assemble_dossier",
]

_IMG2PDF_DIRECT = ("image/jpeg", "image/png", "image/tiff", "image/gif")
_A4 = (595.28, 841.89)
_MAX_THUMBS = 4


@dataclass(frozen=True)
class DossierDocument:
    """One uploaded file: its name in the dossier, where it is on disk, its verification report."""

    name: str
    path: Path
    report: Report
    detached: Path | None = None  # detached CMS signature beside it, attached unchanged too
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeptSignature:
    """A detached signature kept with the dossier (the teacher's submission, the commission's decision), as
    dossier.pdf states it: who signed (IIN masked), when, and whether it verified when the PDF was built."""

    signer: str
    iin_masked: str | None
    signed_at: str | None  # ISO 8601
    verified: bool  # the CMS covers the kept manifest, verifies, and chains to the service's trust store
    organisation: str | None = None
    algorithm: str | None = None


@dataclass(frozen=True)
class DecisionRecord:
    """The commission's decision as dossier.pdf carries it."""

    decision: str  # approved | rejected | returned (service.dossier.models.Decision)
    comment: str
    member: str
    decided_at: dt.datetime | None
    signature: KeptSignature | None = None


@dataclass(frozen=True)
class AssemblyResult:
    out_dir: Path
    pdf: Path
    zip: Path
    manifest: Path
    pages: int
    signed: bool
    manifest_data: Mapping[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------- texts

_L: Mapping[str, Mapping[str, str]] = {
    "ru": {
        "title": "Аттестационное досье", "bundle": "Подтверждение участия", "teacher": "Педагог",
        "iin": "ИИН", "org": "Организация", "category": "Категория", "period": "Период аттестации",
        "built": "Дата формирования", "dossier": "Досье", "status": "Итог", "requirements": "Требования",
        "req": "Требование", "verdict": "Решение", "documents": "Документы", "reason": "Основание",
        "summary": "Сводка по документу", "kind": "Вид", "file": "Файл", "pages": "Страниц",
        "verification": "Результат проверки", "fields": "Найденные реквизиты", "signatures": "Электронные подписи",
        "seals": "Печати", "hand": "Подписи от руки", "found": "найдено", "none": "не найдено",
        "serves": "Засчитан для требований", "checks": "Проверки", "duplicate": "Повтор",
        "contents": "Документы досье", "cover": "Обложка", "page": "стр.", "event": "Мероприятие",
        "no_pages": "Документ не удалось включить в досье постранично; оригинал приложен к PDF и в архиве.",
        "attached": "Оригиналы приложены к этому PDF (вложения) и в dossier.zip без изменений.",
        "applies_to": "Также для", "results": "Перечень результатов",
        "decision_h": "Решение комиссии", "decision": "Решение", "comment": "Комментарий", "member": "Член комиссии",
        "decided_at": "Дата решения", "submission_sig": "Подача подписана ЭЦП", "decision_sig": "Решение подписано ЭЦП",
        "sig_verified": "подпись проверена", "sig_not_verified": "подпись НЕ подтверждена",
        "sig_files": "Подписанные данные и подписи (CMS) приложены к этому PDF: {names}.",
        "approved": "принято", "rejected": "отклонено", "returned": "возвращено на доработку",
        "unsigned": "без ЭЦП",
    },
    "kk": {
        "title": "Аттестаттау портфолиосы", "bundle": "Қатысуды растау", "teacher": "Педагог",
        "iin": "ЖСН", "org": "Ұйым", "category": "Санат", "period": "Аттестаттау кезеңі",
        "built": "Қалыптастырылған күні", "dossier": "Портфолио", "status": "Қорытынды", "requirements": "Талаптар",
        "req": "Талап", "verdict": "Шешім", "documents": "Құжаттар", "reason": "Негіздеме",
        "summary": "Құжат бойынша жиынтық", "kind": "Түрі", "file": "Файл", "pages": "Беттер",
        "verification": "Тексеру нәтижесі", "fields": "Табылған деректемелер", "signatures": "Электрондық қолтаңбалар",
        "seals": "Мөрлер", "hand": "Қолдан қойылған қолтаңбалар", "found": "табылды", "none": "табылмады",
        "serves": "Талаптар үшін есептелді", "checks": "Тексерулер", "duplicate": "Қайталау",
        "contents": "Портфолио құжаттары", "cover": "Мұқаба", "page": "бет", "event": "Іс-шара",
        "no_pages": "Құжатты беттер бойынша қосу мүмкін болмады; түпнұсқа PDF-ке және мұрағатқа тіркелген.",
        "attached": "Түпнұсқалар осы PDF-ке (тіркемелер) және dossier.zip-ке өзгеріссіз тіркелген.",
        "applies_to": "Сондай-ақ", "results": "Нәтижелер тізбесі",
        "decision_h": "Комиссия шешімі", "decision": "Шешім", "comment": "Түсініктеме", "member": "Комиссия мүшесі",
        "decided_at": "Шешім күні", "submission_sig": "Тапсыру ЭЦҚ-мен қол қойылған", "decision_sig": "Шешімге ЭЦҚ-мен қол қойылған",
        "sig_verified": "қолтаңба тексерілді", "sig_not_verified": "қолтаңба расталмады",
        "sig_files": "Қол қойылған деректер мен қолтаңбалар (CMS) осы PDF-ке тіркелген: {names}.",
        "approved": "қабылданды", "rejected": "қабылданбады", "returned": "пысықтауға қайтарылды",
        "unsigned": "ЭЦҚ-сыз",
    },
    "en": {
        "title": "Attestation dossier", "bundle": "Evidence of participation", "teacher": "Teacher",
        "iin": "IIN", "org": "Organisation", "category": "Category", "period": "Attestation period",
        "built": "Built on", "dossier": "Dossier", "status": "Outcome", "requirements": "Requirements",
        "req": "Requirement", "verdict": "Verdict", "documents": "Documents", "reason": "Reason",
        "summary": "Document summary", "kind": "Kind", "file": "File", "pages": "Pages",
        "verification": "Verification", "fields": "Fields found", "signatures": "Digital signatures",
        "seals": "Seals", "hand": "Handwritten signatures", "found": "found", "none": "none found",
        "serves": "Counted for", "checks": "Checks", "duplicate": "Duplicate",
        "contents": "Documents", "cover": "Cover", "page": "p.", "event": "Event",
        "no_pages": "The document could not be included page by page; the original is attached to the PDF and the ZIP.",
        "attached": "The originals are attached to this PDF and in dossier.zip, unchanged.",
        "applies_to": "Also for", "results": "Results that count",
        "decision_h": "Commission decision", "decision": "Decision", "comment": "Comment", "member": "Commission member",
        "decided_at": "Decided on", "submission_sig": "Submission signed", "decision_sig": "Decision signed",
        "sig_verified": "signature verified", "sig_not_verified": "signature NOT verified",
        "sig_files": "The signed data and the signatures (CMS) are attached to this PDF: {names}.",
        "approved": "approved", "rejected": "rejected", "returned": "returned for corrections",
        "unsigned": "not signed",
    },
}

_STATUS: Mapping[str, Mapping[str, str]] = {
    "met": {"ru": "выполнено", "kk": "орындалды", "en": "met"},
    "unmet": {"ru": "не выполнено", "kk": "орындалмады", "en": "unmet"},
    "needs_review": {"ru": "требует проверки", "kk": "тексеру қажет", "en": "needs review"},
    "complete": {"ru": "досье полное", "kk": "портфолио толық", "en": "complete"},
    "incomplete": {"ru": "досье неполное", "kk": "портфолио толық емес", "en": "incomplete"},
    "passed": {"ru": "пройдена", "kk": "өтті", "en": "passed"},
    "failed": {"ru": "не пройдена", "kk": "өтпеді", "en": "failed"},
    "counted": {"ru": "засчитан", "kk": "есептелді", "en": "counted"},
    "review": {"ru": "на проверку", "kk": "тексеруге", "en": "for review"},
    "rejected": {"ru": "не засчитан", "kk": "есептелмеді", "en": "not counted"},
}
_COLOURS = {"met": "#1b7a3a", "complete": "#1b7a3a", "passed": "#1b7a3a", "counted": "#1b7a3a",
            "unmet": "#b3261e", "incomplete": "#b3261e", "failed": "#b3261e", "rejected": "#b3261e",
            "needs_review": "#a86400", "review": "#a86400"}

_FIELD_TITLES: Mapping[str, Mapping[str, str]] = {
    "person_name": {"ru": "ФИО", "kk": "Аты-жөні", "en": "Name"},
    "date": {"ru": "Дата", "kk": "Күні", "en": "Date"},
    "number": {"ru": "Номер", "kk": "Нөмірі", "en": "Number"},
    "issuer": {"ru": "Кем выдан", "kk": "Берген", "en": "Issuer"},
    "level": {"ru": "Уровень", "kk": "Деңгейі", "en": "Level"},
    "places": {"ru": "Места", "kk": "Орындар", "en": "Places"},
    "event_form": {"ru": "Форма", "kk": "Түрі", "en": "Form"},
}


def _t(lang: str, key: str) -> str:
    return _L.get(lang, _L["ru"]).get(key, key)


def _when(iso: str | None) -> str:
    """An ISO 8601 time as dd.mm.yyyy HH:MM UTC (the text as it is when it cannot be read)."""
    if not iso:
        return ""
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC)
    return f"{t:%d.%m.%Y %H:%M} UTC"


def _st(value: str, lang: str) -> str:
    return _STATUS.get(value, {}).get(lang, value)


_SIGNATURE_TYPES = {"pades": "PAdES", "cades": "CAdES", "cms": "CMS", "xades": "XAdES"}
"""A signature's format by its standard's name (the report keeps the lowercase code)."""


def _requirement_label(rid: str, numbered: Mapping[str, tuple[int, str | None]]) -> str:
    number, title = numbered.get(rid, (0, None))
    return f"{number}. {title}" if number and title else rid


def _date_words(value: Any) -> str:
    """An ISO date or time of a report (2022-03-10, 2022-03-10T09:15:00+05:00) as on the documents:
    10.03.2022 (09:15 UTC+05:00 for a time); anything else as it is."""
    if not value:
        return ""
    text = str(value)
    try:
        if "T" in text or " " in text.strip():
            moment = dt.datetime.fromisoformat(text)  # Python 3.11 reads «Z» too
            offset = moment.strftime("%z")
            zone = f" UTC{offset[:3]}:{offset[3:]}" if offset else ""
            return moment.strftime("%d.%m.%Y %H:%M") + zone
        return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
    except ValueError:
        return text


# ------------------------------------------------------------------------------ generated pages


def _fonts() -> tuple[str, str]:
    fonts = reportlab_fonts()
    if fonts is None:
        raise AssemblyError("no TrueType font with Kazakh letters found: install fonts-dejavu or fonts-liberation2")
    return fonts


def _esc(text: Any) -> str:
    return (str(text) if text is not None else "—").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _crop_thumbnails(doc: DossierDocument, data: bytes) -> list[tuple[str, int, bytes]]:
    """JPEG crops of where seals and handwritten signatures were found: (label, page, jpeg)."""
    findings = [("seal", f) for f in doc.report.seals] + [("hand", f) for f in doc.report.handwritten_signatures]
    if not findings:
        return []
    from PIL import Image

    pages: dict[int, Any] = {}
    scale: dict[int, float] = {}
    out = []
    for label, f in findings[:_MAX_THUMBS]:
        try:
            if f.page not in pages:
                if (doc.report.media_type or "").startswith("image/"):
                    img = Image.open(io.BytesIO(data))
                    if getattr(img, "n_frames", 1) > 1:
                        img.seek(max(0, f.page - 1))
                    k = image_dpi(img) / 300  # the scan step's bboxes are at 300 dpi
                    if img.format == "JPEG":  # decode at reduced size: thumbnails need ~100 dpi
                        full = img.size
                        img.draft("RGB", (max(1, full[0] // 4), max(1, full[1] // 4)))
                        k *= img.size[0] / full[0]
                    pages[f.page], scale[f.page] = img.convert("RGB"), k
                else:
                    import pypdfium2 as pdfium

                    from verification.pdfium_lock import PDFIUM_LOCK

                    with PDFIUM_LOCK:  # PDFium is not thread-safe
                        pdf = pdfium.PdfDocument(data)
                        try:
                            pages[f.page] = pdf[f.page - 1].render(scale=60 / 72).to_pil().convert("RGB")
                        finally:
                            pdf.close()
                    scale[f.page] = 60 / 300
                frame = next((fr for fr in doc.report.page_frames if fr.page == f.page), None)
                if frame is not None:  # the boxes are on the page the analysis saw (photo flattened, page turned)
                    import numpy as np

                    from verification.scans.prepare import apply_frame

                    pages[f.page] = Image.fromarray(apply_frame(np.asarray(pages[f.page]), frame))
                    scale[f.page] = pages[f.page].width / max(frame.size_300[0], 1)
            img, k = pages[f.page], scale[f.page]
            x0, y0, x1, y1 = (int(v * k) for v in f.bbox)
            pad = int(0.15 * max(x1 - x0, y1 - y0))
            box = (max(0, x0 - pad), max(0, y0 - pad), min(img.width, x1 + pad), min(img.height, y1 + pad))
            if box[2] - box[0] < 4 or box[3] - box[1] < 4:
                continue
            crop = img.crop(box)
            crop.thumbnail((360, 360))
            buf = io.BytesIO()
            crop.save(buf, "JPEG", quality=80)
            out.append((label, f.page, buf.getvalue()))
        except Exception:  # noqa: BLE001, S112 - a thumbnail is a convenience: never a reason to fail the dossier
            continue
    return out


def _generated_pages(
    *, lang: str, dossier_id: str, title: str, teacher: Teacher, category: str | None, period: Period | None,
    built: dt.date, match: MatchResult | None, documents: Sequence[DossierDocument],
    assessments: Mapping[str, DocumentAssessment], data: Mapping[str, bytes], event: str | None,
    decision: DecisionRecord | None = None, submission: KeptSignature | None = None,
    signed_names: Sequence[str] = (),
) -> tuple[bytes, dict[str, int]]:
    """Cover, requirements table and summaries; returns the PDF and the page index of each marker."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Flowable,
        Image,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=20, leading=25, alignment=TA_CENTER, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=13, leading=16, spaceBefore=6, spaceAfter=6)
    marks: dict[str, int] = {}

    class Mark(Flowable):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

        def wrap(self, *_: Any) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            marks[self.key] = self.canv.getPageNumber() - 1

    def coloured(value: str) -> str:
        return f'<font color="{_COLOURS.get(value, "#000000")}"><b>{_esc(_st(value, lang))}</b></font>'

    def cell(v: Any, style: ParagraphStyle) -> Any:
        text = v if isinstance(v, str) else _esc(v)
        # plain short text needs no Paragraph (markup parsing is most of reportlab's time)
        if len(text) < 70 and "<" not in text and "&" not in text:
            return text
        return Paragraph(text, style)

    def kv_table(rows: list[tuple[str, Any]], widths: tuple[float, float] = (45 * mm, 125 * mm)) -> Table:
        t = Table([[cell(_esc(k), small), cell(v, body)] for k, v in rows], colWidths=widths)
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("FONT", (0, 0), (0, -1), regular, 8), ("FONT", (1, 0), (1, -1), regular, 9.5),
                               ("TEXTCOLOR", (0, 0), (0, -1), colors.grey)]))
        return t

    story: list[Any] = [Mark("cover"), Spacer(1, 30 * mm), Paragraph(_esc(title), h1)]
    if category:
        story.append(Paragraph(_esc(category), ParagraphStyle("c", parent=h2, alignment=TA_CENTER)))
    story.append(Spacer(1, 12 * mm))
    rows: list[tuple[str, Any]] = [(_t(lang, "teacher"), teacher.full_name)]
    if teacher.iin:
        rows.append((_t(lang, "iin"), teacher.iin))
    if teacher.organization:
        rows.append((_t(lang, "org"), teacher.organization))
    if event:
        rows.append((_t(lang, "event"), event))
    if period:
        rows.append((_t(lang, "period"), f"{period.start:%d.%m.%Y} — {period.end:%d.%m.%Y}"))
    rows += [(_t(lang, "built"), f"{built:%d.%m.%Y}"), (_t(lang, "dossier"), dossier_id)]
    if match is not None:
        rows.append((_t(lang, "status"), coloured(match.status.value)))
        if match.profile.applies_to:
            rows.append((_t(lang, "applies_to"), "; ".join(t.get(lang) for t in match.profile.applies_to)))
    rows.append((_t(lang, "documents"), str(len(documents))))
    story += [kv_table(rows), Spacer(1, 8 * mm), Paragraph(_esc(_t(lang, "attached")), small)]

    def signature_text(sig: KeptSignature) -> str:
        who = ", ".join(v for v in (sig.signer, sig.iin_masked and f"{_t(lang, 'iin')} {sig.iin_masked}",
                                    sig.organisation) if v)
        when = _when(sig.signed_at)
        state = (f'<font color="#1b7a3a"><b>{_esc(_t(lang, "sig_verified"))}</b></font>' if sig.verified else
                 f'<font color="#b3261e"><b>{_esc(_t(lang, "sig_not_verified"))}</b></font>')
        return f"{_esc(who)}{' · ' + _esc(when) if when else ''}{' · ' + _esc(sig.algorithm) if sig.algorithm else ''}" \
               f" · {state}"

    if submission is not None or decision is not None:
        story += [Spacer(1, 6 * mm), Mark("decision"), Paragraph(_esc(_t(lang, "decision_h")), h2)]
        drows: list[tuple[str, Any]] = []
        if submission is not None:
            drows.append((_t(lang, "submission_sig"), signature_text(submission)))
        if decision is not None:
            verdict = {"approved": "met", "rejected": "unmet", "returned": "needs_review"}.get(decision.decision, "")
            colour = _COLOURS.get(verdict, "#000000")
            drows.append((_t(lang, "decision"), f'<font color="{colour}"><b>{_esc(_t(lang, decision.decision))}</b></font>'))
            if decision.comment:
                drows.append((_t(lang, "comment"), _esc(decision.comment)))
            drows.append((_t(lang, "member"), decision.member))
            if decision.decided_at is not None:
                drows.append((_t(lang, "decided_at"), _when(decision.decided_at.isoformat())))
            drows.append((_t(lang, "decision_sig"), signature_text(decision.signature) if decision.signature
                          else _esc(_t(lang, "unsigned"))))
        story.append(kv_table(drows))
        if signed_names:
            story += [Spacer(1, 2 * mm),
                      Paragraph(_esc(_t(lang, "sig_files").format(names=", ".join(signed_names))), small)]

    if match is not None:
        story += [PageBreak(), Mark("requirements"), Paragraph(_esc(_t(lang, "requirements")), h2)]
        head = [Paragraph(f"<b>{_esc(_t(lang, k))}</b>", small) for k in ("req", "verdict", "documents", "reason")]
        table = [[Paragraph("№", small)] + head]
        for i, r in enumerate(match.requirements, 1):
            table.append([
                Paragraph(str(i), small),
                Paragraph(_esc(r.requirement.titles.get(lang)), small),
                Paragraph(coloured(r.status.value), small),
                Paragraph(_esc(", ".join(r.documents + r.review_documents) or "—"), small),
                Paragraph(_esc(r.reason(lang)), small),
            ])
        t = Table(table, colWidths=(8 * mm, 52 * mm, 24 * mm, 36 * mm, 60 * mm), repeatRows=1)
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
        story.append(t)
        if match.profile.results:
            story += [Spacer(1, 5 * mm), Paragraph(_esc(_t(lang, "results")), h2)]
            story += [Paragraph(f"{item.number}. {_esc(item.titles.get(lang))}", small) for item in match.profile.results]

    for n, doc in enumerate(documents, 1):
        rep = doc.report
        a = assessments.get(doc.name)
        story += [PageBreak(), Mark(f"summary:{doc.name}"),
                  Paragraph(f"{_esc(_t(lang, 'summary'))} {n}/{len(documents)}: {_esc(doc.name)}", h2)]
        rows = [
            (_t(lang, "kind"), kind_title(rep.kind, lang)),
            (_t(lang, "file"), f"{doc.name} · {_t(lang, 'pages')}: {rep.pages or '?'}"),
            ("SHA-256", f'<font size="7">{rep.sha256}</font>'),
            (_t(lang, "verification"), coloured(rep.verdict.value)),
        ]
        if a is not None and a.duplicate is not None:
            rows.append((_t(lang, "duplicate"), f'<font color="#b3261e">{_esc(a.duplicate.reason(doc.name).text(lang))}</font>'))
        if a is not None and a.fits:
            # a requirement by its number and words, as in the requirements table (its id is a code)
            numbered = {r.requirement.id: (i, r.requirement.titles.get(lang))
                        for i, r in enumerate(match.requirements, 1)} if match is not None else {}
            rows.append((_t(lang, "serves"), "<br/>".join(
                f"{_esc(_requirement_label(rid, numbered))}: {coloured(fit.value)}"
                + (f' <font size="7">{_esc(" ".join(r.text(lang) for r in a.notes.get(rid, ())))}</font>'
                   if a.notes.get(rid) else "")
                for rid, fit in a.fits.items())))
        story.append(kv_table(rows))
        story.append(Paragraph(_esc(_t(lang, "fields")), h2))
        frows = []
        for key, titles in _FIELD_TITLES.items():
            fv = rep.fields.get(key)
            value = None if fv is None else fv.value
            if key == "places" and isinstance(value, list):
                value = ", ".join(str(p.get("name") if isinstance(p, Mapping) else p) for p in value)
            if key == "level" and isinstance(value, str):
                value = LEVEL_TITLES.get(value, {}).get(lang, value)
            if key == "date" and isinstance(value, str):
                value = _date_words(value)
            if key == "event_form" and isinstance(value, str):
                value = FORM_TITLES.get(value, {}).get(lang, value)
            text = _esc(value if value not in (None, "", []) else "—")
            if fv is not None and value is not None and key == "person_name" and fv.matches_expected is not None:
                text += " " + coloured("passed" if fv.matches_expected else "failed")
            frows.append((titles.get(lang, key), text))
        story.append(kv_table(frows))
        story.append(Paragraph(_esc(_t(lang, "signatures")), h2))
        if rep.signatures:
            for s in rep.signatures:
                verdict = "passed" if s.passed else ("failed" if s.indication.value == "TOTAL_FAILED" else "needs_review")
                who = ", ".join(v for v in (s.signer.common_name, s.signer.iin and f"ИИН {s.signer.iin}",
                                            s.signer.organization) if v)
                story.append(Paragraph(
                    f"{coloured(verdict)} {_esc(_SIGNATURE_TYPES.get(s.type, s.type))} · {_esc(who)}"
                    f" · {_esc(_date_words(s.signing_time))}", small))
        else:
            story.append(Paragraph(_esc(_t(lang, "none")), small))
        seal_line = (f"{_t(lang, 'seals')}: " + (", ".join(f"{_t(lang, 'page')} {f.page}"
                                                           for f in rep.seals) or _t(lang, "none")))
        hand_line = (f"{_t(lang, 'hand')}: " + (", ".join(f"{_t(lang, 'page')} {f.page}"
                                                          for f in rep.handwritten_signatures) or _t(lang, "none")))
        story += [Spacer(1, 3 * mm), Paragraph(_esc(seal_line), body), Paragraph(_esc(hand_line), body)]
        thumbs = _crop_thumbnails(doc, data[doc.name])
        if thumbs:
            cells = []
            for label, page, jpeg in thumbs:
                img = Image(io.BytesIO(jpeg))
                img._restrictSize(38 * mm, 38 * mm)
                cells.append([img, Paragraph(_esc(f"{_t(lang, 'seals' if label == 'seal' else 'hand')}, "
                                                  f"{_t(lang, 'page')} {page}"), small)])
            grid = Table([[c[0] for c in cells], [c[1] for c in cells]], colWidths=[42 * mm] * len(cells))
            grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [Spacer(1, 2 * mm), grid]
        if rep.checks:
            story.append(Paragraph(_esc(_t(lang, "checks")), h2))
            # every check, one paragraph each (a commission reads them all; a page break may fall between them)
            for c in rep.checks:
                mark = {CheckStatus.PASS: "passed", CheckStatus.FAIL: "failed", CheckStatus.WARN: "needs_review"}.get(
                    c.status, "")
                story.append(Paragraph((coloured(mark) + " " if mark else "") + _esc(c.message(lang)), small))

    buf = io.BytesIO()
    doc_t = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                              bottomMargin=18 * mm, title=title, author="Attest", subject=dossier_id)
    doc_t.build(story)
    return buf.getvalue(), marks


# ------------------------------------------------------------------------------------ documents


def _document_pdf(doc: DossierDocument, data: bytes) -> bytes | None:
    """The document as PDF pages: the PDF itself, or its images without re-encoding. None if impossible."""
    media = doc.report.media_type or ""
    if media == "application/pdf":
        return data
    if not media.startswith("image/"):
        return None
    import img2pdf

    layout = img2pdf.get_layout_fun(_A4, fit=img2pdf.FitMode.into, auto_orient=True)
    try:
        if media in _IMG2PDF_DIRECT:
            return img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
        from PIL import Image

        try:  # HEIC from phones
            import pillow_heif

            pillow_heif.register_heif_opener()
        except Exception:  # noqa: BLE001, S110 - optional HEIC
            pass
        img = Image.open(io.BytesIO(data)).convert("RGB")
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=90)  # not JPEG/PNG/TIFF already: one conversion is unavoidable
        return img2pdf.convert(buf.getvalue(), layout_fun=layout)
    except Exception:  # noqa: BLE001 - any decoder error
        return None


def _placeholder_pdf(doc: DossierDocument, lang: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(bold, 14)
    c.drawString(60, 760, doc.name[:80])
    c.setFont(regular, 10)
    c.drawString(60, 735, _t(lang, "no_pages")[:110])
    c.showPage()
    c.save()
    return buf.getvalue()


def _stamp(writer: Any, dossier_id: str) -> None:
    """Dossier id and "n / N" at the foot of every page: one small content stream appended per page.

    Cheaper than merging an overlay page (no content parsing); the page's own content is wrapped in
    q/Q so its graphics state cannot leak into the footer.
    """
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    q = DecodedStreamObject()
    q.set_data(b"q\n")
    q_ref = writer._add_object(q)
    safe_id = "".join(ch for ch in dossier_id if 32 <= ord(ch) < 127 and ch not in "()\\")
    total = len(writer.pages)
    for i, page in enumerate(writer.pages):
        box = page.mediabox
        x0, y0, x1 = float(box.left), float(box.bottom), float(box.right)
        text = f"Attest {safe_id}   {i + 1} / {total}"
        width = len(text) * 7 * 0.5
        footer = DecodedStreamObject()
        footer.set_data((
            f"\nQ q 1 1 1 rg {x1 - width - 22:.1f} {y0 + 8:.1f} {width + 12:.1f} 12 re f "
            f"BT /AttestF1 7 Tf 0.25 g {x1 - width - 16:.1f} {y0 + 11.5:.1f} Td ({text}) Tj ET Q\n"
        ).encode("latin-1"))
        footer_ref = writer._add_object(footer)
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        if "/Resources" not in page:
            page[NameObject("/Resources")] = resources
        fonts = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts = fonts.get_object()
        fonts[NameObject("/AttestF1")] = font
        contents = page.get("/Contents")
        parts: list[Any] = []
        if contents is not None:
            obj = contents.get_object()
            parts = list(obj) if isinstance(obj, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([q_ref, *parts, footer_ref])
        _ = x0


def _attachment_names(documents: Sequence[DossierDocument]) -> list[tuple[str, Path]]:
    """(unique name, path) of every original and detached signature, in dossier order."""
    seen: set[str] = set()
    out = []
    for doc in documents:
        for path, name in ((doc.path, doc.name), (doc.detached, doc.detached.name if doc.detached else None)):
            if path is None or name is None:
                continue
            base = name.replace("\\", "/")
            unique, n = base, 2
            while unique in seen:
                stem, dot, ext = base.rpartition(".")
                unique = f"{stem}_{n}.{ext}" if dot else f"{base}_{n}"
                n += 1
            seen.add(unique)
            out.append((unique, path))
    return out


def assemble_dossier(
    out_dir: Path,
    *,
    dossier_id: str,
    teacher: Teacher,
    documents: Sequence[DossierDocument],
    match: MatchResult | None = None,
    period: Period | None = None,
    lang: str = "ru",
    signer: PadesSigner | None = None,
    title: str | None = None,
    event: str | None = None,
    manifest_extra: Mapping[str, Any] | None = None,
    built: dt.date | None = None,
    pdf_name: str = "dossier.pdf",
    zip_name: str = "dossier.zip",
    decision: DecisionRecord | None = None,
    submission: KeptSignature | None = None,
    signed_files: Sequence[tuple[str, bytes]] = (),
) -> AssemblyResult:
    """Write ``dossier.pdf``, ``dossier.zip`` and ``manifest.json`` into ``out_dir``.

    ``match`` is None for an evidence-of-participation bundle (no requirements table). ``decision`` and
    ``submission``: the commission's decision and the kept signatures, stated on the cover;
    ``signed_files``: (name, bytes) of the signed manifests and their CMS, attached to the PDF (and put
    under ``signatures/`` in the ZIP) so that anyone can verify them later. Raises
    :class:`AssemblyError` or :class:`~service.errors.SigningError` only when nothing sensible can be written.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    out_dir.mkdir(parents=True, exist_ok=True)
    built = built or dt.date.today()
    if lang not in _L:
        lang = "ru"
    data: dict[str, bytes] = {}
    for doc in documents:
        try:
            data[doc.name] = doc.path.read_bytes()
        except OSError as exc:
            raise AssemblyError(f"{doc.name}: cannot read {doc.path}: {exc.strerror}") from exc
    assessments = {d.name: d for d in match.documents} if match is not None else {}
    title = title or _t(lang, "title" if match is not None else "bundle")
    category = match.profile.titles.get(lang) if match is not None else None
    generated, marks = _generated_pages(
        lang=lang, dossier_id=dossier_id, title=title, teacher=teacher, category=category,
        period=period or (match.period if match else None), built=built, match=match, documents=documents,
        assessments=assessments, data=data, event=event, decision=decision, submission=submission,
        signed_names=[name for name, _ in signed_files],
    )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(generated)))
    starts: dict[str, int] = {}
    for doc in documents:
        pdf = _document_pdf(doc, data[doc.name])
        starts[doc.name] = len(writer.pages)
        try:
            if pdf is None:
                raise PdfReadError("not convertible")
            reader = PdfReader(io.BytesIO(pdf), strict=False)
            if reader.is_encrypted:
                raise PdfReadError("encrypted")
            writer.append(reader, import_outline=False)
        except Exception:  # noqa: BLE001 - translated
            writer.append(PdfReader(io.BytesIO(_placeholder_pdf(doc, lang))))
    # an appended signed PDF brings its signature widgets, not its form: drop them, the original is attached
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is not None:
            kept = [a for a in annots.get_object() if a.get_object().get("/FT") != "/Sig"]
            if len(kept) != len(annots.get_object()):
                from pypdf.generic import ArrayObject, NameObject

                page[NameObject("/Annots")] = ArrayObject(kept)
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]
    pages = len(writer.pages)

    writer.add_outline_item(title=_t(lang, "cover"), page_number=marks.get("cover", 0))
    if "decision" in marks:
        writer.add_outline_item(title=_t(lang, "decision_h"), page_number=marks["decision"])
    if "requirements" in marks:
        writer.add_outline_item(title=_t(lang, "requirements"), page_number=marks["requirements"])
    parent = writer.add_outline_item(title=_t(lang, "contents"), page_number=starts[documents[0].name]
                                     if documents else 0)
    for n, doc in enumerate(documents, 1):
        item = writer.add_outline_item(title=f"{n}. {kind_title(doc.report.kind, lang)} — {doc.name}",
                                       page_number=marks.get(f"summary:{doc.name}", starts[doc.name]), parent=parent,
                                       is_open=False)
        writer.add_outline_item(title=_t(lang, "summary"), page_number=marks.get(f"summary:{doc.name}", 0),
                                parent=item)
        writer.add_outline_item(title=doc.name, page_number=starts[doc.name], parent=item)
    _stamp(writer, dossier_id)
    attachments = _attachment_names(documents)
    for unique, path in attachments:
        writer.add_attachment(unique, data[next(d.name for d in documents if d.path == path)]
                              if any(d.path == path for d in documents) else path.read_bytes())
    taken = {name for name, _ in attachments}
    signed_attached: list[tuple[str, bytes]] = []
    for name, blob in signed_files:
        unique = name if name not in taken else f"signatures-{name}"
        taken.add(unique)
        signed_attached.append((unique, blob))
        writer.add_attachment(unique, blob)
    writer.add_metadata({"/Title": f"{title} — {teacher.full_name}", "/Author": "Attest", "/Subject": dossier_id})
    buf = io.BytesIO()
    writer.write(buf)
    pdf_bytes = buf.getvalue()
    if signer is not None:
        pdf_bytes = signer.sign(pdf_bytes, field_name="AttestDossier", reason=f"Attest dossier {dossier_id}",
                                name="Attest")
    pdf_path = out_dir / pdf_name
    pdf_path.write_bytes(pdf_bytes)

    files = []
    for doc in documents:
        entry: dict[str, Any] = {"path": doc.name, "sha256": doc.report.sha256 or hashlib.sha256(data[doc.name]).hexdigest(),
                                 "report": doc.report.to_dict(lang)}
        if doc.detached is not None:
            entry["detached"] = doc.detached.name
        if doc.links:
            entry["links"] = list(doc.links)
        a = assessments.get(doc.name)
        if a is not None:
            entry["assessment"] = a.to_dict(lang)
        entry["page"] = starts[doc.name] + 1
        files.append(entry)
    manifest: dict[str, Any] = {
        "dossier_id": dossier_id,
        "profile": match.profile.id if match is not None else None,
        "status": match.status.value if match is not None else None,
        "requirements": [r.to_dict(lang) for r in match.requirements] if match is not None else [],
        "files": files,
        "teacher": {"full_name": teacher.full_name, "iin": teacher.iin, "organization": teacher.organization},
        "period": ({"start": (period or match.period).start.isoformat(), "end": (period or match.period).end.isoformat()}  # type: ignore[union-attr]
                   if (period or match) is not None else None),
        "lang": lang,
        "built": built.isoformat(),
        "pages": pages,
        "signed": signer is not None,
        "dossier_pdf_sha256": hashlib.sha256(pdf_bytes).hexdigest(),
        "attachments": [name for name, _ in attachments] + [name for name, _ in signed_attached],
    }
    if decision is not None:
        manifest["decision"] = {"decision": decision.decision, "comment": decision.comment, "member": decision.member,
                                "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
                                "signature": _signature_dict(decision.signature)}
    if submission is not None:
        manifest["submission_signature"] = _signature_dict(submission)
    if event:
        manifest["event"] = event
    if manifest_extra:
        manifest.update({k: v for k, v in manifest_extra.items() if k not in manifest})
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    manifest_path = out_dir / "manifest.json"
    manifest_path.write_bytes(manifest_bytes)

    zip_path = out_dir / zip_name
    with zipfile.ZipFile(zip_path, "w") as z:
        # PDFs and JPEGs are already compressed: store them, deflate only the JSON
        z.writestr(pdf_name, pdf_bytes, compress_type=zipfile.ZIP_STORED)
        z.writestr("manifest.json", manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
        for unique, path in attachments:
            z.write(path, f"originals/{unique}", compress_type=zipfile.ZIP_STORED)
        for unique, blob in signed_attached:
            z.writestr(f"signatures/{unique}", blob, compress_type=zipfile.ZIP_DEFLATED)
    return AssemblyResult(out_dir, pdf_path, zip_path, manifest_path, pages, signer is not None, manifest)



def _signature_dict(sig: KeptSignature | None) -> dict[str, Any] | None:
    if sig is None:
        return None
    return {"signer": sig.signer, "iin": sig.iin_masked, "organisation": sig.organisation, "signed_at": sig.signed_at,
            "algorithm": sig.algorithm, "verified": sig.verified}
