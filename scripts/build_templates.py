"""Builds the DOCX templates under service/generation/templates/ (package data; one per kind and language) with docxtpl markup.

Run: ``.venv/bin/python scripts/build_templates.py``. The heading of each form comes from the kinds
table (:func:`verification.kinds.heading`). The outputs are committed; edit this script and
re-run rather than editing the .docx by hand, so that both languages stay in step.

Template context (see service/generation/render.py): ``d`` (the validated data), ``number``,
``number_line``, ``reg`` (registration: number, document_id; absent for drafts), ``qr`` (image),
kind-specific extras (``groups``, ``shares``, ``event_line``…). Filters: ``ldate`` (long date),
``qdate`` («10» марта 2022 года), ``sdate`` (10.03.2022), ``q`` («title», quoted once).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from verification.kinds import heading  # the form's heading is the kinds table's

OUT = Path(__file__).resolve().parent.parent / "service" / "generation" / "templates"
FONT = "Liberation Serif"  # carries every Kazakh letter; Times New Roman is not installed here
C, L, R, J = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
              WD_ALIGN_PARAGRAPH.JUSTIFY)

# --- low-level helpers -----------------------------------------------------------------------


def _fonts(rpr_parent) -> None:  # type: ignore[no-untyped-def]
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def new_doc(*, landscape: bool = False, border: bool = False, size: float = 12) -> Document:
    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
        sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(20), Mm(15), Mm(20), Mm(15)
    else:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
    for name in ("Normal", "Table Grid"):
        st = doc.styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        _fonts(st.element)
    pf = doc.styles["Normal"].paragraph_format
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)
    pf.line_spacing = 1.0
    if border:
        borders = OxmlElement("w:pgBorders")
        borders.set(qn("w:offsetFrom"), "page")
        for side in ("top", "left", "bottom", "right"):
            b = OxmlElement(f"w:{side}")
            b.set(qn("w:val"), "double")
            b.set(qn("w:sz"), "12")
            b.set(qn("w:space"), "24")
            b.set(qn("w:color"), "1F3864")
            borders.append(b)
        sec._sectPr.append(borders)
    # the document's own metadata: no author from this machine
    doc.core_properties.author = "Attest"
    doc.core_properties.last_modified_by = "Attest"
    doc.core_properties.comments = ""
    return doc


def para(target, text: str = "", *, align=L, bold: bool = False, italic: bool = False,  # type: ignore[no-untyped-def]
         size: float | None = None, before: float = 0, after: float = 0, indent: bool = False,
         color: str | None = None, caps: bool = False):
    p = target.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.5)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        run.font.all_caps = caps
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
    return p


def runs(target, parts: list[tuple[str, bool]], *, align=L, after: float = 0, indent: bool = False,  # type: ignore[no-untyped-def]
         size: float | None = None, before: float = 0):
    """A paragraph of (text, bold) runs; each Jinja tag stays inside one run."""
    p = target.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(before)
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.5)
    for text, bold in parts:
        r = p.add_run(text)
        r.bold = bold
        if size:
            r.font.size = Pt(size)
    return p


def tag(target, text: str):  # type: ignore[no-untyped-def]
    """A paragraph that holds only a {%p … %} tag (docxtpl removes it)."""
    return para(target, text)


def _cell_borders(table, show: bool) -> None:  # type: ignore[no-untyped-def]
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single" if show else "nil")
        if show:
            b.set(qn("w:sz"), "4")
            b.set(qn("w:color"), "000000")
        borders.append(b)
    tbl_pr.append(borders)


def table(target, widths_mm: list[float], *, grid: bool = True, align=WD_TABLE_ALIGNMENT.CENTER):  # type: ignore[no-untyped-def]
    t = target.add_table(rows=0, cols=len(widths_mm))
    t.style = "Table Grid"
    t.alignment = align
    t.autofit = False
    _cell_borders(t, grid)
    for i, w in enumerate(widths_mm):
        t.columns[i].width = Mm(w)
    return t


def row(t, texts: list[str], *, bold: bool = False, align=L, size: float | None = None, header: bool = False):  # type: ignore[no-untyped-def]
    r = t.add_row()
    for i, text in enumerate(texts):
        cell = r.cells[i]
        cell.width = t.columns[i].width
        p = cell.paragraphs[0]
        p.alignment = C if header else align
        if text:
            run = p.add_run(text)
            run.bold = bold or header
            if size:
                run.font.size = Pt(size)
    if header:
        for cell in r.cells:
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), "E7E6E6")
            cell._tc.get_or_add_tcPr().append(shd)
        tr_pr = r._tr.get_or_add_trPr()
        h = OxmlElement("w:tblHeader")
        tr_pr.append(h)
    return r


def tr_tag(t, text: str) -> None:  # type: ignore[no-untyped-def]
    """A table row holding only a {%tr … %} tag."""
    r = t.add_row()
    r.cells[0].paragraphs[0].add_run(text)


def merged_row(t, text: str, *, bold: bool = True, align=L, italic: bool = False):  # type: ignore[no-untyped-def]
    r = t.add_row()
    cell = r.cells[0].merge(r.cells[-1])
    p = cell.paragraphs[0]
    p.alignment = align
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    return r


def rule(doc) -> None:  # type: ignore[no-untyped-def]
    """A horizontal line under the organisation's header (a paragraph bottom border)."""
    p = para(doc, "", after=6)
    p_pr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    p_pr.append(bdr)


# --- document blocks -------------------------------------------------------------------------

def org_header(doc, *, city: bool = False) -> None:  # type: ignore[no-untyped-def]
    tag(doc, "{%p if d.organization.parent %}")
    para(doc, "{{ d.organization.parent }}", align=C, size=11)
    tag(doc, "{%p endif %}")
    para(doc, "{{ d.organization.name }}", align=C, bold=True, caps=True)
    tag(doc, "{%p if d.organization.address %}")
    para(doc, "{{ d.organization.address }}", align=C, size=9, italic=True)
    tag(doc, "{%p endif %}")
    rule(doc)


def title(doc, text: str, sub: str | None = None, *, size: float = 14, before: float = 6) -> None:  # type: ignore[no-untyped-def]
    para(doc, text, align=C, bold=True, size=size, before=before)
    if sub:
        para(doc, sub, align=C, bold=True)


def number_line(doc, *, city_left: bool = False) -> None:  # type: ignore[no-untyped-def]
    para(doc, "{{ number_line }}", align=C, after=2)
    if city_left:
        para(doc, "{{ d.organization.city }}", align=C, after=8, italic=True)
    else:
        para(doc, "", after=6)


def approval(doc, word: str, *, who: str = "d.approver") -> None:  # type: ignore[no-untyped-def]
    t = table(doc, [85, 80], grid=False, align=WD_TABLE_ALIGNMENT.RIGHT)
    r = t.add_row()
    cell = r.cells[1]
    p = cell.paragraphs[0]
    run = p.add_run(word)
    run.bold = True
    for text in (f"{{{{ {who}.position }}}}", "{{ d.organization.name }}",
                 f"_______________ {{{{ {who}.full_name }}}}", "«____» _______________ 20___ г." if word ==
                 "УТВЕРЖДАЮ" else "20___ жылғы «____» _______________"):
        cp = cell.add_paragraph()
        cp.add_run(text)
    para(doc, "", after=6)


def signature(doc, position: str, name: str, *, seal: str | None = None, before: float = 18) -> None:  # type: ignore[no-untyped-def]
    para(doc, "", before=before)
    t = table(doc, [70, 35, 60], grid=False)
    r = row(t, [position, "____________", name])
    r.cells[2].paragraphs[0].alignment = R
    if seal:
        para(doc, seal, before=4, bold=True)


def signature_loop(doc, loop: str, *, label: str | None = None) -> None:  # type: ignore[no-untyped-def]
    if label:
        para(doc, label, before=10, bold=True)
    t = table(doc, [70, 35, 60], grid=False)
    tr_tag(t, "{%tr for s in " + loop + " %}")
    r = row(t, ["{{ s.position }}", "____________", "{{ s.full_name }}"])
    r.cells[2].paragraphs[0].alignment = R
    tr_tag(t, "{%tr endfor %}")


def _qr_cells(qr_cell, text_cell, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The QR code in one cell, the registration number, the check note and the id in the next."""
    reg = "Рег. №" if lang == "ru" else "Тіркеу №"
    check = ("Документ зарегистрирован в реестре. Подлинность проверяется по QR-коду."
             if lang == "ru" else "Құжат тізілімде тіркелген. Түпнұсқалығы QR-код арқылы тексеріледі.")
    draft = "ПРОЕКТ — документ не зарегистрирован" if lang == "ru" else "ЖОБА — құжат тіркелмеген"
    qr_cell.paragraphs[0].add_run("{% if reg %}{{ qr }}{% endif %}")
    run = text_cell.paragraphs[0].add_run("{% if reg %}" + reg + " {{ reg.number }}{% else %}" + draft + "{% endif %}")
    run.font.size = Pt(9)
    run.bold = True
    for text in ("{% if reg %}" + check + "{% endif %}", "{% if reg %}ID: {{ reg.document_id }}{% endif %}"):
        run = text_cell.add_paragraph().add_run(text)
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)


def _keep_row_whole(r) -> None:  # type: ignore[no-untyped-def]
    """The row is never split across pages."""
    r._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def keep_with_next(p) -> None:  # type: ignore[no-untyped-def]
    p.paragraph_format.keep_with_next = True


def _keep_last_with_next(doc, count: int) -> None:  # type: ignore[no-untyped-def]
    """Keep-with-next on the last ``count`` blocks of the body (a paragraph; a table's last row, kept
    whole), skipping the paragraphs that only hold a {%p … %} tag (docxtpl removes them)."""
    for block in reversed(list(doc.element.body.iterchildren())):
        if count == 0:
            return
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            if text.startswith("{%p"):
                continue
            paragraphs = [block]
        elif block.tag == qn("w:tbl"):
            rows = [r for r in block.findall(qn("w:tr"))
                    if not "".join(t.text or "" for t in r.iter(qn("w:t"))).startswith("{%tr")]
            if not rows:
                continue
            last_row = rows[-1]
            last_row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            paragraphs = list(last_row.iter(qn("w:p")))
        else:
            continue
        for p in paragraphs:
            p.get_or_add_pPr().get_or_add_keepNext()
        count -= 1


def qr_block(doc, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The QR code and the registration number; kept on one page with the signature before it (the
    last blocks keep with next), so it never stands alone on a page."""
    _keep_last_with_next(doc, 3)
    keep_with_next(para(doc, "", before=10))
    t = table(doc, [28, 137], grid=False, align=WD_TABLE_ALIGNMENT.LEFT)
    r = t.add_row()
    _keep_row_whole(r)
    _qr_cells(r.cells[0], r.cells[1], lang)


def signature_over_qr(doc, lang: str, position: str, name: str, *, seal: str | None = None,  # type: ignore[no-untyped-def]
                      before: float = 10) -> None:
    """Portrait pages: the signature, the seal mark and the QR block as rows of one table, each row kept
    whole and with the next, so the QR code cannot end up alone on a page of its own."""
    keep_with_next(para(doc, "", before=before))
    t = table(doc, [70, 35, 60], grid=False, align=WD_TABLE_ALIGNMENT.LEFT)
    first = row(t, [position, "____________", name])
    first.cells[2].paragraphs[0].alignment = R
    rows = [first]
    if seal:
        r = t.add_row()
        r.cells[0].paragraphs[0].add_run(seal).bold = True
        rows.append(r)
    for r in rows:
        _keep_row_whole(r)
        for cell in r.cells:
            keep_with_next(cell.paragraphs[0])
    last = t.add_row()
    _keep_row_whole(last)
    text_cell = last.cells[1].merge(last.cells[2])
    _qr_cells(last.cells[0], text_cell, lang)


def signature_with_qr(doc, lang: str, position: str, name: str, *, seal: str | None = None,  # type: ignore[no-untyped-def]
                      before: float = 10) -> None:
    """Landscape pages: the signature and the QR block side by side in one row that is never split, so
    the QR code cannot end up alone on a page of its own."""
    keep_with_next(para(doc, "", before=before))
    t = table(doc, [62, 30, 48, 28, 92], grid=False, align=WD_TABLE_ALIGNMENT.LEFT)
    r = t.add_row()
    _keep_row_whole(r)
    r.cells[0].paragraphs[0].add_run(position)
    if seal:
        r.cells[0].add_paragraph().add_run(seal).bold = True
    r.cells[1].paragraphs[0].add_run("____________")
    r.cells[2].paragraphs[0].add_run(name)
    _qr_cells(r.cells[3], r.cells[4], lang)


def numbered_paragraphs(doc, loop: str, item: str = "item") -> None:  # type: ignore[no-untyped-def]
    tag(doc, "{%p for " + item + " in " + loop + " %}")
    para(doc, "{{ loop.index }}. {{ " + item + " }}", align=J, indent=True)
    tag(doc, "{%p endfor %}")


def bullets(doc, loop: str, item: str = "item", mark: str = "–") -> None:  # type: ignore[no-untyped-def]
    tag(doc, "{%p for " + item + " in " + loop + " %}")
    para(doc, mark + " {{ " + item + " }}", align=J, indent=True)
    tag(doc, "{%p endfor %}")


# --- the kinds -------------------------------------------------------------------------------

T = {
    "ru": {
        "approve": "УТВЕРЖДАЮ", "seal": "М.П.", "chair": "Председатель", "secretary": "Секретарь",
        "council_of": "заседания", "city": "г.",
    },
    "kk": {
        "approve": "БЕКІТЕМІН", "seal": "М.О.", "chair": "Төраға", "secretary": "Хатшы",
        "council_of": "отырысының", "city": "",
    },
}


def protocol(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    title(doc, heading("protocol", lang))
    para(doc, ("заседания " if ru else "") + "{{ d.council }}" + ("" if ru else " отырысының"), align=C, bold=True)
    number_line(doc, city_left=True)
    tag(doc, "{%p if d.place %}")
    runs(doc, [("Место проведения: " if ru else "Өткізілген орны: ", True), ("{{ d.place }}", False)], after=4)
    tag(doc, "{%p endif %}")
    runs(doc, [("Председатель: " if ru else "Төраға: ", True),
               ("{{ d.chair.full_name }}, {{ d.chair.position }}", False)])
    runs(doc, [("Секретарь: " if ru else "Хатшы: ", True),
               ("{{ d.secretary.full_name }}, {{ d.secretary.position }}", False)], after=4)
    runs(doc, [("Присутствовали " if ru else "Қатысқандар ", True),
               ("({{ d.attendees|length }} чел.):" if ru else "({{ d.attendees|length }} адам):", True)], after=2)
    t = table(doc, [10, 65, 90])
    row(t, ["№", "Ф.И.О." if ru else "Аты-жөні", "Должность, организация" if ru else "Лауазымы, ұйымы"],
        header=True, size=11)
    tr_tag(t, "{%tr for a in d.attendees %}")
    row(t, ["{{ loop.index }}", "{{ a.full_name }}",
            "{{ a.position or '' }}{% if a.position and a.organization %}, {% endif %}{{ a.organization or '' }}"],
        size=11)
    tr_tag(t, "{%tr endfor %}")
    para(doc, "ПОВЕСТКА ДНЯ:" if ru else "КҮН ТӘРТІБІ:", align=C, bold=True, before=10, after=4)
    tag(doc, "{%p for it in d.agenda %}")
    runs(doc, [("{{ loop.index }}. {{ it.title }}", False),
               ("{% if it.speaker %} (" + ("докладчик" if ru else "баяндамашы") + ": {{ it.speaker }}){% endif %}",
                False)], align=J, indent=True)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for it in d.agenda %}")
    runs(doc, [("{{ loop.index }}. " + ("СЛУШАЛИ: " if ru else "ТЫҢДАЛДЫ: "), True), ("{{ it.heard }}", False)],
         align=J, before=8, indent=True)
    runs(doc, [("ПОСТАНОВИЛИ: " if ru else "ҚАУЛЫ ЕТТІ: ", True), ("{{ it.decision }}", False)], align=J,
         before=4, indent=True)
    tag(doc, "{%p if it.votes %}")
    para(doc, ("Голосовали: «за» — {{ it.votes.in_favour }}, «против» — {{ it.votes.against }}, "
               "«воздержались» — {{ it.votes.abstained }}.") if ru else
         ("Дауыс берді: «жақтап» — {{ it.votes.in_favour }}, «қарсы» — {{ it.votes.against }}, "
          "«қалыс қалды» — {{ it.votes.abstained }}."), italic=True, indent=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    signature(doc, "Председатель" if ru else "Төраға", "{{ d.chair.full_name }}")
    signature(doc, "Секретарь" if ru else "Хатшы", "{{ d.secretary.full_name }}", before=6)
    qr_block(doc, lang)
    return doc


def protocol_extract(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    if ru:
        title(doc, heading("protocol_extract", lang) + " № {{ d.protocol_number }}")
        para(doc, "заседания {{ d.council }} от {{ d.protocol_date|ldate }}", align=C, bold=True, after=8)
    else:
        title(doc, "{{ d.protocol_date|ldate }}ғы № {{ d.protocol_number }} " + heading("protocol_extract", lang))
        para(doc, "{{ d.council }} отырысы", align=C, bold=True, after=8)
    para(doc, "{{ d.organization.city }}", align=C, italic=True, after=8)
    tag(doc, "{%p if d.attendees_count %}")
    runs(doc, [("Присутствовали: " if ru else "Қатысқандар: ", True),
               ("{{ d.attendees_count }} " + ("членов совета." if ru else "кеңес мүшесі."), False)], after=4)
    tag(doc, "{%p endif %}")
    runs(doc, [("Повестка дня: " if ru else "Күн тәртібі: ", True), ("{{ d.item.title }}", False)], align=J,
         after=6)
    runs(doc, [("СЛУШАЛИ: " if ru else "ТЫҢДАЛДЫ: ", True), ("{{ d.item.heard }}", False)], align=J, indent=True)
    runs(doc, [("ПОСТАНОВИЛИ: " if ru else "ҚАУЛЫ ЕТТІ: ", True), ("{{ d.item.decision }}", False)], align=J,
         indent=True, before=6)
    tag(doc, "{%p if d.item.votes %}")
    para(doc, ("Голосовали: «за» — {{ d.item.votes.in_favour }}, «против» — {{ d.item.votes.against }}, "
               "«воздержались» — {{ d.item.votes.abstained }}.") if ru else
         ("Дауыс берді: «жақтап» — {{ d.item.votes.in_favour }}, «қарсы» — {{ d.item.votes.against }}, "
          "«қалыс қалды» — {{ d.item.votes.abstained }}."), italic=True, indent=True)
    tag(doc, "{%p endif %}")
    t = table(doc, [60, 105])
    para(doc, "", before=4)
    row(t, ["Педагог" if ru else "Педагог", "{{ d.teacher.full_name }}"], size=11)
    row(t, ["Должность, организация" if ru else "Лауазымы, ұйымы",
            "{{ d.teacher.position or '' }}{% if d.teacher.organization %}, {{ d.teacher.organization }}{% endif %}"],
        size=11)
    row(t, ["Квалификационная категория" if ru else "Біліктілік санаты", "{{ d.category }}"], size=11)
    signature(doc, "Председатель" if ru else "Төраға", "{{ d.chair.full_name }}")
    signature(doc, "Секретарь" if ru else "Хатшы", "{{ d.secretary.full_name }}", before=6)
    para(doc, "Выписка верна." if ru else "Үзінді дұрыс.", before=10, bold=True)
    para(doc, "Выдана {{ d.date|ldate }}, № {{ number }}" if ru else "Берілген күні: {{ d.date|ldate }}, № {{ number }}")
    para(doc, T[lang]["seal"], before=6, bold=True)
    qr_block(doc, lang)
    return doc


def expert_conclusion(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    title(doc, heading("expert_conclusion", lang),
          "на материалы инновационного педагогического опыта" if ru else
          "инновациялық педагогикалық тәжірибе материалдарына")
    number_line(doc, city_left=True)
    t = table(doc, [60, 105])
    for a, b in (("Педагог", "{{ d.teacher.full_name }}"),
                 ("Должность, организация" if ru else "Лауазымы, ұйымы",
                  "{{ d.teacher.position or '' }}{% if d.teacher.organization %}, {{ d.teacher.organization }}{% endif %}"),
                 ("Заявленная категория" if ru else "Мәлімделген санат", "{{ d.category }}"),
                 ("Тема опыта" if ru else "Тәжірибе тақырыбы", "{{ d.topic|q }}"),
                 ("Совет" if ru else "Кеңес", "{{ d.council }}")):
        row(t, [a, b], size=11)
    para(doc, "Рассмотренные материалы:" if ru else "Қаралған материалдар:", bold=True, before=8, after=2)
    numbered_paragraphs(doc, "d.materials")
    para(doc, "Оценка по критериям:" if ru else "Өлшемшарттар бойынша бағалау:", bold=True, before=8, after=2)
    t = table(doc, [10, 100, 55])
    row(t, ["№", "Критерий" if ru else "Өлшемшарт", "Оценка" if ru else "Бағалау"], header=True, size=11)
    tr_tag(t, "{%tr for c in d.criteria %}")
    row(t, ["{{ loop.index }}", "{{ c.criterion }}", "{{ c.assessment }}"], size=11)
    tr_tag(t, "{%tr endfor %}")
    runs(doc, [("Заключение: " if ru else "Қорытынды: ", True), ("{{ d.conclusion }}", False)], align=J,
         before=8, indent=True)
    runs(doc, [("Рекомендация: " if ru else "Ұсыным: ", True), ("{{ d.recommendation }}", False)], align=J,
         before=4, indent=True)
    signature_loop(doc, "d.experts", label="Эксперты:" if ru else "Сарапшылар:")
    signature_over_qr(doc, lang, "Председатель совета" if ru else "Кеңес төрағасы", "{{ d.chair.full_name }}",
                      seal=T[lang]["seal"], before=10)
    return doc


def order(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    title(doc, heading("order", lang), size=16)
    number_line(doc, city_left=True)
    para(doc, "{{ d.title }}", bold=True, align=C, after=8)
    para(doc, "{{ d.preamble }}", align=J, indent=True, after=4)
    para(doc, "ПРИКАЗЫВАЮ:" if ru else "БҰЙЫРАМЫН:", bold=True, after=4)
    numbered_paragraphs(doc, "d['items']")
    signature(doc, "{{ d.head.position }}", "{{ d.head.full_name }}", seal=T[lang]["seal"])
    tag(doc, "{%p if d.executor %}")
    para(doc, ("Исп.: " if ru else "Орынд.: ") + "{{ d.executor }}", size=9, before=12)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if d.teachers %}")
    para(doc, ("Приложение к приказу" if ru else "Бұйрыққа қосымша"), align=R, before=14, italic=True)
    para(doc, "{{ number_line }}", align=R, italic=True, after=6)
    para(doc, ("Список педагогов и районов (городов) трансляции опыта" if ru else
               "Тәжірибені тарататын педагогтер мен аудандардың (қалалардың) тізімі"), align=C, bold=True, after=4)
    tag(doc, "{%p endif %}")
    t = table(doc, [8, 38, 42, 42, 35])
    tr_tag(t, "{%tr if d.teachers %}")
    row(t, ["№", "Ф.И.О. педагога" if ru else "Педагогтің аты-жөні",
            "Должность, организация" if ru else "Лауазымы, ұйымы", "Тема опыта" if ru else "Тәжірибе тақырыбы",
            "Районы (города)" if ru else "Аудандар (қалалар)"], header=True, size=10)
    tr_tag(t, "{%tr for t in d.teachers %}")
    row(t, ["{{ loop.index }}", "{{ t.full_name }}",
            "{{ t.position or '' }}{% if t.position %}, {% endif %}{{ t.organization }}", "{{ t.topic }}",
            "{{ t.districts|join(', ') }}"], size=10)
    tr_tag(t, "{%tr endfor %}")
    tr_tag(t, "{%tr endif %}")
    qr_block(doc, lang)
    return doc


def transmission_program(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc(landscape=True)
    header_and_approval(doc, T[lang]["approve"])  # one band: the page is wide, not tall
    title(doc, heading("transmission_program", lang), before=2)
    para(doc, "{{ d.topic|q }}", align=C, bold=True)
    number_line(doc)
    t = table(doc, [70, 190])
    row(t, ["Педагог", "{{ d.teacher.full_name }}"], size=11)
    row(t, ["Должность, организация" if ru else "Лауазымы, ұйымы",
            "{{ d.teacher.position or '' }}{% if d.teacher.organization %}, {{ d.teacher.organization }}{% endif %}"],
        size=11)
    row(t, ["Квалификационная категория" if ru else "Біліктілік санаты", "{{ d.category }}"], size=11)
    tr_tag(t, "{%tr if d.goal %}")
    row(t, ["Цель трансляции" if ru else "Тарату мақсаты", "{{ d.goal }}"], size=11)
    tr_tag(t, "{%tr endif %}")
    para(doc, "", after=6)
    t = table(doc, [10, 50, 28, 52, 70, 50])
    row(t, ["№", "{% if d.level == 'region' %}" + ("Область" if ru else "Облыс") + "{% else %}" +
            ("Район (город)" if ru else "Аудан (қала)") + "{% endif %}", "Дата" if ru else "Күні",
            "Форма трансляции" if ru else "Тарату нысаны", "Место проведения" if ru else "Өткізу орны",
            "Целевая аудитория" if ru else "Мақсатты аудитория"], header=True, size=11)
    cells = ["{{ e.location }}", "{{ e.date|sdate }}", "{{ e.form }}", "{{ e.venue }}",
             "{{ e.audience }}{% if e.participants %} ({{ e.participants }} " + ("чел." if ru else "адам") +
             "){% endif %}"]
    tr_tag(t, "{%tr for e in d.events[:-1] %}")
    row(t, ["{{ loop.index }}", *cells], size=11)
    tr_tag(t, "{%tr endfor %}")
    # the last event's row keeps with the signature and the QR code below: a page break moves them together
    tr_tag(t, "{%tr set e = d.events[-1] %}")
    last = row(t, ["{{ d.events|length }}", *cells], size=11)
    _keep_row_whole(last)
    for cell in last.cells:
        keep_with_next(cell.paragraphs[0])
    tag(doc, "{%p if d.agreed %}")
    keep_with_next(para(doc, ("Согласовано: " if ru else "Келісілді: ") +
                        "{{ d.agreed.position }} ____________ {{ d.agreed.full_name }}", before=10))
    tag(doc, "{%p endif %}")
    signature_with_qr(doc, lang, "{{ d.approver.position }}", "{{ d.approver.full_name }}", seal=T[lang]["seal"])
    return doc


def header_and_approval(doc, word: str) -> None:  # type: ignore[no-untyped-def]
    """Landscape pages: the organisation's header on the left and the approval on the right, one band."""
    t = table(doc, [150, 110], grid=False)
    r = t.add_row()
    left, right = r.cells
    p = left.paragraphs[0]
    p.add_run("{%p if d.organization.parent %}")
    for text, size, bold, italic in (("{{ d.organization.parent }}", 11, False, False), ("{%p endif %}", None, False, False),
                                     ("{{ d.organization.name }}", None, True, False),
                                     ("{%p if d.organization.address %}", None, False, False),
                                     ("{{ d.organization.address }}", 9, False, True), ("{%p endif %}", None, False, False)):
        cp = left.add_paragraph()
        cp.alignment = C
        run = cp.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.all_caps = bold
        if size:
            run.font.size = Pt(size)
    right.paragraphs[0].add_run(word).bold = True
    for text in ("{{ d.approver.position }}", "{{ d.organization.name }}",
                 "_______________ {{ d.approver.full_name }}",
                 "«____» _______________ 20___ г." if word == "УТВЕРЖДАЮ" else
                 "20___ жылғы «____» _______________"):
        right.add_paragraph().add_run(text)
    rule(doc)


def approval_wide(doc, word: str) -> None:  # type: ignore[no-untyped-def]
    """Approval block for landscape pages: the same lines, further right."""
    t = table(doc, [150, 110], grid=False, align=WD_TABLE_ALIGNMENT.RIGHT)
    r = t.add_row()
    cell = r.cells[1]
    cell.paragraphs[0].add_run(word).bold = True
    for text in ("{{ d.approver.position }}", "{{ d.organization.name }}",
                 "_______________ {{ d.approver.full_name }}",
                 "«____» _______________ 20___ г." if word == "УТВЕРЖДАЮ" else
                 "20___ жылғы «____» _______________"):
        cell.add_paragraph().add_run(text)
    para(doc, "", after=4)


def certificate(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc(border=True, size=13)
    tag(doc, "{%p if d.organization.parent %}")
    para(doc, "{{ d.organization.parent }}", align=C, size=11)
    tag(doc, "{%p endif %}")
    para(doc, "{{ d.organization.name }}", align=C, bold=True, caps=True, after=30)
    para(doc, heading("certificate", lang), align=C, bold=True, size=36, color="1F3864", after=4)
    para(doc, "№ {{ number }}", align=C, size=12, after=24)
    if ru:
        para(doc, "Настоящий сертификат подтверждает, что", align=C, italic=True, after=10)
    else:
        para(doc, "Осы сертификат", align=C, italic=True, after=10)
    para(doc, "{{ d.participant }}", align=C, bold=True, size=22, after=4)
    tag(doc, "{%p if d.participant_position or d.participant_organization %}")
    para(doc, "{{ d.participant_position or '' }}{% if d.participant_position and d.participant_organization %}, "
              "{% endif %}{{ d.participant_organization or '' }}", align=C, italic=True, after=14)
    tag(doc, "{%p endif %}")
    if ru:  # «принял(а) участие в областном семинаре» / «Title» / date, place
        para(doc, "{{ event_line }}", align=C, after=4)
        para(doc, "{{ d.event_title|q }}", align=C, bold=True, size=16, after=4)
        para(doc, "{{ event_dates }}, {{ d.event_place }}", align=C, after=4)
    else:  # «2024 жылғы 26 сәуірде Тараз қаласында өткен» / «Title» / «тақырыбындағы … семинарға қатысқанын растайды.»
        para(doc, "{{ when_where }}", align=C, after=4)
        para(doc, "{{ d.event_title|q }}", align=C, bold=True, size=16, after=4)
        para(doc, "{{ event_line }}", align=C, after=4)
    tag(doc, "{%p if d.hours %}")
    para(doc, ("Объём: {{ d.hours }} ак. ч." if ru else "Көлемі: {{ d.hours }} академиялық сағат."), align=C)
    tag(doc, "{%p endif %}")
    para(doc, "", after=30)
    signature(doc, "{{ d.head.position }}", "{{ d.head.full_name }}", seal=T[lang]["seal"], before=20)
    para(doc, "{{ d.organization.city }}, {{ d.date|ldate }}", align=C, before=14)
    qr_block(doc, lang)
    return doc


def implementation_act(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    approval(doc, T[lang]["approve"])
    title(doc, heading("implementation_act", lang),
          "результатов педагогической разработки" if ru else "педагогикалық әзірленім нәтижелерін")
    number_line(doc, city_left=True)
    if ru:
        para(doc, "Комиссия в составе: {% for s in d.commission %}{{ s.full_name }} ({{ s.position }}){% if not "
                  "loop.last %}, {% endif %}{% endfor %} составила настоящий акт о том, что в {{ "
                  "d.organization.name }} внедрены результаты разработки, указанной ниже.", align=J, indent=True,
             after=6)
    else:
        para(doc, "{% for s in d.commission %}{{ s.full_name }} ({{ s.position }}){% if not loop.last %}, {% endif "
                  "%}{% endfor %} құрамындағы комиссия {{ d.organization.name }} төменде көрсетілген әзірленім "
                  "нәтижелері енгізілгені туралы осы актіні жасады.", align=J, indent=True, after=6)
    t = table(doc, [60, 105])
    row(t, ["Наименование разработки" if ru else "Әзірленім атауы", "{{ d.development|q }}"], size=11)
    row(t, ["Автор" if ru else "Авторы", "{{ d.author.full_name }}{% if d.author.position %}, {{ d.author.position }}"
            "{% endif %}{% if d.author.organization %}, {{ d.author.organization }}{% endif %}"], size=11)
    row(t, ["Период внедрения" if ru else "Енгізу кезеңі", "{{ d.period_start|sdate }} — {{ d.period_end|sdate }}"],
        size=11)
    row(t, ["Где внедрено" if ru else "Енгізілген орны", "{{ d.implemented_in }}"], size=11)
    para(doc, "Результаты внедрения:" if ru else "Енгізу нәтижелері:", bold=True, before=8, after=2)
    numbered_paragraphs(doc, "d.results")
    runs(doc, [("Вывод: " if ru else "Қорытынды: ", True), ("{{ d.conclusion }}", False)], align=J, before=6,
         indent=True)
    signature_loop(doc, "d.commission", label="Комиссия:" if ru else "Комиссия:")
    para(doc, T[lang]["seal"], before=6, bold=True)
    qr_block(doc, lang)
    return doc


def regional_plan(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc(landscape=True)
    approval_wide(doc, T[lang]["approve"])
    if ru:
        title(doc, heading("regional_plan", lang), "трансляции педагогического опыта педагогов региона: {{ d.region }}, на {{ d.year }} год")
    else:
        title(doc, heading("regional_plan", lang), "{{ d.region }}: өңір педагогтерінің тәжірибесін таратудың {{ d.year }} жылға арналған "
                             "жоспары")
    number_line(doc)
    t = table(doc, [9, 36, 40, 24, 44, 30, 27, 22, 30])
    row(t, ["№", "Ф.И.О. педагога" if ru else "Педагогтің аты-жөні", "Организация" if ru else "Ұйым",
            "Категория" if ru else "Санаты", "Тема опыта" if ru else "Тәжірибе тақырыбы",
            "Форма" if ru else "Нысаны", "Район (город)" if ru else "Аудан (қала)", "Сроки" if ru else "Мерзімі",
            "Ответственный" if ru else "Жауапты"], header=True, size=10)
    tr_tag(t, "{%tr for e in d.events %}")
    row(t, ["{{ loop.index }}", "{{ e.teacher }}", "{{ e.teacher_organization }}", "{{ e.category }}",
            "{{ e.topic }}", "{{ e.form }}", "{{ e.location }}", "{{ e.dates }}", "{{ e.responsible }}"], size=10)
    tr_tag(t, "{%tr endfor %}")
    signature(doc, "{{ d.head.position }}", "{{ d.head.full_name }}", before=14)
    qr_block(doc, lang)
    return doc


STAGES = {
    "ru": [
        ("Разработка, представление, обсуждение на ШМО и утверждение Плана деятельности по развитию компетенций, "
         "сформированных на курсах ПК на 6 месяцев (Форма Плана представлена ниже)", "Документ, ссылка"),
        ("Разработка и проведение мастер-классов, открытых учебных занятий, круглых столов по обсуждению проблем, "
         "стажировок, коуч-сессий, тренингов, индивидуальных и групповых консультаций, публикации и др.", "Ссылка"),
        ("Презентация результатов обучения в виде представления портфолио педагога (или его раздела), методического "
         "продукта, семинара для коллег и т.п. Представление результатов должно содержать активные ссылки на "
         "материалы, размещенные в сети Интернет по итогам проведения мероприятий Плана.", "Ссылка"),
        ("Планирование и реализация мероприятий муниципального уровня ²", "Ссылка"),
        ("Планирование и реализация мероприятий регионального уровня ³", "Ссылка"),
    ],
    "kk": [
        ("ПБ курстарында қалыптасқан құзыреттерді дамыту жөніндегі 6 айға арналған қызмет Жоспарын әзірлеу, ұсыну, "
         "мектептің әдістемелік бірлестігінде (МӘБ) талқылау және бекіту (Жоспар нысаны төменде берілген)",
         "Құжат, сілтеме"),
        ("Шеберлік сыныптарын, ашық оқу сабақтарын, мәселелерді талқылауға арналған дөңгелек үстелдерді, "
         "тағылымдамаларды, коуч-сессияларды, тренингтерді, жеке және топтық консультацияларды әзірлеу және өткізу, "
         "жарияланымдар және т.б.", "Сілтеме"),
        ("Оқу нәтижелерін педагог портфолиосы (немесе оның бөлімі), әдістемелік өнім, әріптестерге арналған семинар "
         "және т.б. түрінде таныстыру. Нәтижелерді ұсыну Жоспар іс-шараларын өткізу қорытындылары бойынша Интернет "
         "желісінде орналастырылған материалдарға белсенді сілтемелерді қамтуы тиіс.", "Сілтеме"),
        ("Муниципалдық деңгейдегі іс-шараларды жоспарлау және іске асыру ²", "Сілтеме"),
        ("Өңірлік деңгейдегі іс-шараларды жоспарлау және іске асыру ³", "Сілтеме"),
    ],
}
FOOTNOTES = {
    "ru": ["¹ Чек-лист входит в перечень прилагаемых документов при прохождении аттестации.",
           "² Мероприятия муниципального уровня планируются педагогом после реализации мероприятий уровня ОО по "
           "рекомендации Методического совета ОО.",
           "³ Мероприятия регионального уровня планируются педагогом после реализации мероприятий муниципального "
           "уровня по рекомендации ММС."],
    "kk": ["¹ Чек-парақ аттестаттаудан өту кезінде қоса берілетін құжаттар тізбесіне кіреді.",
           "² Муниципалдық деңгейдегі іс-шараларды педагог білім беру ұйымы деңгейіндегі іс-шаралар іске асырылғаннан "
           "кейін ұйымның Әдістемелік кеңесінің ұсынымы бойынша жоспарлайды.",
           "³ Өңірлік деңгейдегі іс-шараларды педагог муниципалдық деңгейдегі іс-шаралар іске асырылғаннан кейін "
           "муниципалдық әдістемелік қызметтің (ММҚ) ұсынымы бойынша жоспарлайды."],
}


def postcourse_checklist(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    title(doc, heading("postcourse_checklist", lang))
    para(doc, ("по посткурсовому сопровождению профессиональной деятельности педагога¹" if ru else
               "педагогтің кәсіби қызметін курстан кейінгі сүйемелдеу бойынша¹"), align=C, bold=True, after=10)
    runs(doc, [("ФИО педагога: " if ru else "Педагогтің аты-жөні: ", False), ("{{ d.teacher.full_name }}", True),
               ("{% if d.teacher.position %}, {{ d.teacher.position }}{% endif %}{% if d.teacher.organization %}, "
                "{{ d.teacher.organization }}{% endif %}", False)], after=4, align=J)
    runs(doc, [("Тема курсов ПК, дата прохождения: " if ru else "ПБ курстарының тақырыбы, өту күні: ", False),
               ("{{ d.course_topic }}, {{ d.course_date|sdate }}", True)], after=4, align=J)
    runs(doc, [("Наименование организации, проводившей курсы: " if ru else "Курстарды өткізген ұйымның атауы: ",
                False), ("{{ d.course_provider }}", True)], after=4, align=J)
    para(doc, "Направления для посткурсового сопровождения" if ru else "Курстан кейінгі сүйемелдеу бағыттары",
         after=2)
    bullets(doc, "d.directions", "dir", mark="-")
    para(doc, "", after=6)
    t = table(doc, [12, 105, 48])
    row(t, ["№", "Этапы работы" if ru else "Жұмыс кезеңдері", "Отметка об исполнении" if ru else
            "Орындалуы туралы белгі"], header=True)
    for i, (text, hint) in enumerate(STAGES[lang]):
        row(t, [f"{i + 1}.", text, "{{ marks[%d] or '%s' }}" % (i, hint)], size=11)
    para(doc, "", after=8)
    for fn in FOOTNOTES[lang]:
        para(doc, fn, size=9, align=J)
    para(doc, "{{ d.organization.city }}, {{ d.date|ldate }}", before=10)
    qr_block(doc, lang)
    return doc


def competence_plan(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc()
    org_header(doc)
    t = table(doc, [80, 85], grid=False)
    r = t.add_row()
    left = r.cells[0]
    left.paragraphs[0].add_run("{% if d.methodical_association_protocol %}" +
                               ("Рассмотрено на заседании ШМО" if ru else "МӘБ отырысында қаралды") + "{% endif %}")
    left.add_paragraph().add_run("{{ d.methodical_association_protocol or '' }}")
    right = r.cells[1]
    right.paragraphs[0].add_run(T[lang]["approve"]).bold = True
    for text in ("{{ d.approver.position }}", "_______________ {{ d.approver.full_name }}",
                 "«____» _______________ 20___ г." if ru else "20___ жылғы «____» _______________"):
        right.add_paragraph().add_run(text)
    para(doc, "", after=6)
    title(doc, *heading("competence_plan", lang).split("\n", 1))
    para(doc, "", after=6)
    runs(doc, [("ФИО педагога " if ru else "Педагогтің аты-жөні ", False), ("{{ d.teacher.full_name }}", True),
               ("{% if d.teacher.position %}, {{ d.teacher.position }}{% endif %}", False)], after=4)
    runs(doc, [("Тема курсов ПК " if ru else "ПБ курстарының тақырыбы ", False), ("{{ d.course_topic }}", True)],
         after=4)
    runs(doc, [("Методическая цель: " if ru else "Әдістемелік мақсаты: ", False), ("{{ d.goal }}", False)], after=4,
         align=J)
    para(doc, "Задачи:" if ru else "Міндеттері:", after=2)
    numbered_paragraphs(doc, "d.tasks")
    para(doc, "", after=6)
    t = table(doc, [12, 55, 30, 33, 35])
    row(t, ["№ п/п" if ru else "Р/с №", "Мероприятия" if ru else "Іс-шаралар",
            "Планируемые сроки проведения мероприятий" if ru else "Іс-шараларды өткізудің жоспарланған мерзімі",
            "Процедуры контроля со стороны администрации" if ru else "Әкімшілік тарапынан бақылау рәсімдері",
            "Отметка об исполнении (ссылка на экспертный лист, видеозапись и т.п.)" if ru else
            "Орындалуы туралы белгі (сараптама парағына, бейнежазбаға және т.б. сілтеме)"], header=True, size=10)
    tr_tag(t, "{%tr for g in groups %}")
    merged_row(t, "{{ g.title }}", align=C)
    tr_tag(t, "{%tr for e in g.events %}")
    row(t, ["{{ e.n }}", "{{ e.title }}", "{{ e.dates }}", "{{ e.control }}", "{{ e.mark or '' }}"], size=11)
    tr_tag(t, "{%tr endfor %}")
    tr_tag(t, "{%tr endfor %}")
    para(doc, "", after=6)
    notes = FOOTNOTES[lang][1:]
    para(doc, "**" + notes[0][1:], size=9, align=J)
    para(doc, "***" + notes[1][1:], size=9, align=J)
    signature(doc, "Педагог" if ru else "Педагог", "{{ d.teacher.full_name }}", before=12)
    qr_block(doc, lang)
    return doc


def halfyear_report(lang: str):  # type: ignore[no-untyped-def]
    ru = lang == "ru"
    doc = new_doc(landscape=True)
    org_header(doc)
    if ru:
        title(doc, heading("halfyear_report", lang), "о посткурсовом сопровождении педагогических работников за {{ half_label }} "
                           "полугодие {{ d.year }} года")
    else:
        title(doc, heading("halfyear_report", lang), "педагогтерді курстан кейінгі сүйемелдеу туралы {{ d.year }} жылғы {{ half_label }} "
                                  "жартыжылдық бойынша")
    number_line(doc)
    runs(doc, [("Направляется: " if ru else "Жіберілетін орны: ", True), ("{{ d.recipient }}", False),
               (" (срок — {{ deadline }})" if ru else " (мерзімі — {{ deadline }})", False)], after=6)
    tag(doc, "{%p if d.summary %}")
    para(doc, "{{ d.summary }}", align=J, indent=True, after=6)
    tag(doc, "{%p endif %}")
    para(doc, "1. Сведения о педагогах" if ru else "1. Педагогтер туралы мәліметтер", bold=True, after=2)
    t = table(doc, [9, 48, 55, 22, 35, 50, 43])
    row(t, ["№", "Ф.И.О., должность" if ru else "Аты-жөні, лауазымы", "Тема курсов ПК" if ru else
            "ПБ курстарының тақырыбы", "Мероп-риятий" if ru else "Іс-шара саны",
            "Достигнутый уровень" if ru else "Қол жеткізілген деңгей", "Ссылки на материалы" if ru else
            "Материалдарға сілтемелер", "Рекомендация" if ru else "Ұсыным"], header=True, size=10)
    tr_tag(t, "{%tr for t in teachers %}")
    row(t, ["{{ loop.index }}", "{{ t.full_name }}, {{ t.position }}", "{{ t.course_topic }}", "{{ t.events_held }}",
            "{{ t.level_label }}", "{{ t.links|join(' ') }}", "{{ t.recommendation }}"], size=10)
    tr_tag(t, "{%tr endfor %}")
    para(doc, "2. Показатели эффективности" if ru else "2. Тиімділік көрсеткіштері", bold=True, before=8, after=2)
    t = table(doc, [9, 170, 35, 48])
    row(t, ["№", "Показатель" if ru else "Көрсеткіш", "Количество" if ru else "Саны",
            "Доля от общего числа" if ru else "Жалпы санындағы үлесі"], header=True, size=10)
    tr_tag(t, "{%tr for s in shares %}")
    row(t, ["{{ loop.index }}", "{{ s.label }}", "{{ s.count }}", "{{ s.share }}"], size=10)
    tr_tag(t, "{%tr endfor %}")
    signature_with_qr(doc, lang, "{{ d.head.position }}", "{{ d.head.full_name }}", seal=T[lang]["seal"],
                      before=12)  # landscape: side by side, the QR code never alone on a page
    tag(doc, "{%p if d.executor %}")
    para(doc, ("Исп.: " if ru else "Орынд.: ") + "{{ d.executor }}", size=9, before=8)
    tag(doc, "{%p endif %}")
    return doc


BUILDERS = {
    "protocol": protocol,
    "protocol_extract": protocol_extract,
    "expert_conclusion": expert_conclusion,
    "order": order,
    "transmission_program": transmission_program,
    "certificate": certificate,
    "implementation_act": implementation_act,
    "regional_plan": regional_plan,
    "postcourse_checklist": postcourse_checklist,
    "competence_plan": competence_plan,
    "halfyear_report": halfyear_report,
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, build in BUILDERS.items():
        for lang in ("ru", "kk"):
            doc = build(lang)
            path = OUT / f"{kind}.{lang}.docx"
            doc.save(str(path))
            print(path.relative_to(OUT.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
