"""DOCX rendering (no LibreOffice): every kind in both languages; data is printed, never evaluated."""

from __future__ import annotations

import copy
import io

import docx
import pytest

from service.documents.service import generate_document
from service.generation.render import Registration, render_docx
from service.generation.schemas import SCHEMAS, example_data
from service.generation.service import validate

REG = Registration("AbCdEfGhIjKlMnOpQrStUv", "MC-KRG-ORD-2024-00084", 84,
                   "https://attest.local/check/AbCdEfGhIjKlMnOpQrStUv?h=" + "0" * 64)


def docx_text(content: bytes) -> str:
    d = docx.Document(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def _probe(kind: str, data: dict) -> list[str]:  # type: ignore[type-arg]
    """Values of the sample that must appear in the document."""
    out = [data["organization"]["name"]]
    for key in ("participant", "title", "council", "region", "course_topic", "recipient", "development"):
        if key in data:
            out.append(data[key])
    if "teacher" in data:
        out.append(data["teacher"]["full_name"])
    return out


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_kind_renders_its_data(kind: str, lang: str) -> None:
    data = example_data(kind, lang)
    content = render_docx(kind, lang, validate(kind, data), "84", REG)
    text = docx_text(content)
    for value in _probe(kind, data):
        assert value in text, value
    assert "{{" not in text and "{%" not in text
    assert ("Рег. № MC-KRG-ORD-2024-00084" if lang == "ru" else "Тіркеу № MC-KRG-ORD-2024-00084") in text
    assert "ID: AbCdEfGhIjKlMnOpQrStUv" in text


def test_number_line_and_approval_block() -> None:
    text = docx_text(render_docx("order", "kk", validate("order", example_data("order", "kk")), "84", REG))
    assert "2024 жылғы 22 наурыздағы № 84 бұйрық" in text
    text = docx_text(render_docx("implementation_act", "ru", validate("implementation_act",
                     example_data("implementation_act", "ru")), "7", REG))
    assert "УТВЕРЖДАЮ" in text and "от «10» июня 2024 года № 7" in text


def test_checklist_reproduces_the_seed_form() -> None:
    text = docx_text(render_docx("postcourse_checklist", "ru", validate("postcourse_checklist",
                     example_data("postcourse_checklist", "ru")), "1", REG))
    for line in ("ЧЕК-ЛИСТ", "по посткурсовому сопровождению профессиональной деятельности педагога¹",
                 "Этапы работы", "Отметка об исполнении",
                 "Планирование и реализация мероприятий регионального уровня ³",
                 "¹ Чек-лист входит в перечень прилагаемых документов при прохождении аттестации."):
        assert line in text


def test_competence_plan_groups_events_by_level() -> None:
    text = docx_text(render_docx("competence_plan", "ru", validate("competence_plan",
                     example_data("competence_plan", "ru")), "3", REG))
    school, municipal, regional = (text.index("Уровень ОО"), text.index("Муниципальный уровень**"),
                                   text.index("Региональный уровень***"))
    assert school < text.index("Открытый урок литературы") < municipal < text.index("Выступление на заседании РМО") \
        < regional < text.index("Участие в региональной конференции")


INJECTION = "{{ 7*7 }} {% for x in range(3) %}X{% endfor %} <b>bold</b> & Co"


def test_template_looking_input_is_printed_literally_in_docx() -> None:
    data = copy.deepcopy(example_data("certificate", "ru"))
    data["participant"] = INJECTION
    doc = generate_document("certificate", data, "ru", "docx", register=False)
    text = docx_text(doc.content)
    assert INJECTION in text
    assert "49" not in text.replace("2024", "")
    assert "ПРОЕКТ — документ не зарегистрирован" in text
    assert doc.document_id is None and doc.registration_number is None


def test_lines_before_a_line_break_are_not_stretched_and_crlf_is_one_break() -> None:
    data = copy.deepcopy(example_data("protocol", "kk"))
    data["agenda"][0]["heard"] = "Бірінші жол\r\nекінші жол"
    doc = generate_document("protocol", data, "kk", "docx", register=False)
    d = docx.Document(io.BytesIO(doc.content))
    assert "Бірінші жол\nекінші жол" in docx_text(doc.content)
    compat = d.settings.element.find(docx.oxml.ns.qn("w:compat"))
    names = [child.tag.rsplit("}", 1)[1] for child in compat]
    # Word's switch, in its place in the schema's order (before useFELayout, which the templates carry)
    assert names.count("doNotExpandShiftReturn") == 1
    assert names.index("doNotExpandShiftReturn") < names.index("useFELayout")
