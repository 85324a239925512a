"""Issue 14, documents issued right, in a real browser and in both languages: «заполнить образцом»
fills the secretary's own letterhead (never another organisation's) and the server issues under it
whatever the form says; the letterhead is edited on the reference page per language and each
language's document uses its own; one registration gives the PDF and the DOCX (same number), and
the registry downloads either again."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

OWN = {
    "ru": {"name": "Методический центр Управления образования Жамбылской области",
           "parent": "Управление образования акимата Жамбылской области", "city": "г. Тараз",
           "saved": "Сохранено."},
    "kk": {"name": "Жамбыл облысы білім басқармасының әдістемелік орталығы",
           "parent": "Жамбыл облысы әкімдігінің білім басқармасы", "city": "Тараз қ.", "saved": "Сақталды."},
}
FOREIGN = ("Караганд", "Қарағанд", "MC-KRG", "С-2024/03")


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    import re

    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


def _secretary(new_session: Any, lang: str) -> Any:
    s = new_session("secretary", locale="kk-KZ" if lang == "kk" else "ru-RU")
    if lang == "kk":
        s.goto("/lang/kk?next=/documents")
    assert s.page.get_attribute("html", "lang") == lang
    return s


def _download(page: Any, selector: str) -> tuple[bytes, str]:
    with page.expect_download() as dl:
        page.click(selector)
    return Path(dl.value.path()).read_bytes(), dl.value.suggested_filename


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_sample_uses_own_organisation_and_both_formats_are_issued(new_session: Any, lang: str) -> None:
    s = _secretary(new_session, lang)
    page, own = s.page, OWN[lang]
    s.goto("/documents/certificate?sample=1")
    assert page.input_value("#f-organization\\.code") == "MC-ZHA"
    assert page.input_value("#f-organization\\.name") == own["name"]
    assert page.input_value("#f-organization\\.parent") == own["parent"]
    assert page.input_value("#f-organization\\.city") == own["city"]
    assert page.input_value("#f-event_place") == own["city"]
    assert page.input_value("#f-number") == ""  # the registry gives it
    assert page.input_value("#f-head\\.full_name") == "Бекова Сауле Кайратовна"  # the council's chair
    form = page.inner_text("form") + " ".join(page.locator("form input").evaluate_all("els => els.map(e => e.value)"))
    assert not any(f in form for f in FOREIGN), form
    assert page.locator("[data-testid=letterhead-note]").is_visible()
    s.shot(f"docs14-01-sample-{lang}")
    # the server issues under the own organisation whatever the form says
    page.fill("#f-organization\\.name", "Чужая организация")
    page.fill("#f-organization\\.code", "MC-KRG")
    page.click("button[value=generate]")
    page.locator("[data-testid=issued]").wait_for()
    number = page.inner_text("[data-testid=reg-number]").strip()
    document_id = page.inner_text("[data-testid=document-id]").strip()
    assert number.startswith("MC-ZHA-CRT-")
    assert page.locator("[data-testid=both-formats]").is_visible()
    s.shot(f"docs14-02-issued-{lang}")
    pdf, pdf_name = _download(page, "[data-testid=download]")
    docx, docx_name = _download(page, "[data-testid=download-docx]")
    assert pdf.startswith(b"%PDF") and pdf_name.endswith(".pdf")
    assert docx.startswith(b"PK") and docx_name.endswith(".docx")
    pdf_text, docx_text = _pdf_text(pdf), _docx_text(docx)
    for text in (pdf_text, docx_text):
        assert number in text and own["parent"] in text
        assert "Чужая организация" not in text and not any(f in text for f in FOREIGN)
    assert own["name"] in docx_text  # the PDF prints it in capitals

    # the registry downloads both again: the same files
    s.goto("/registry")
    row = page.locator("[data-testid=registry-rows] tr", has_text=number)
    assert row.locator("a[data-format=pdf]").count() == 1 and row.locator("a[data-format=docx]").count() == 1
    s.shot(f"docs14-03-registry-{lang}")
    again_pdf, _ = _download(page, f"[data-testid=registry-rows] tr:has-text('{number}') a[data-format=pdf]")
    again_docx, _ = _download(page, f"[data-testid=registry-rows] tr:has-text('{number}') a[data-format=docx]")
    assert again_pdf == pdf and again_docx == docx
    page.fill("#f-q", document_id)
    page.click("form[role=search] button")
    assert page.locator("[data-testid=found-download-pdf]").is_visible()
    assert page.locator("[data-testid=found-download-docx]").is_visible()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_letterhead_is_edited_per_language_and_each_document_uses_its_own(new_session: Any, lang: str) -> None:
    s = _secretary(new_session, lang)
    page, own = s.page, OWN[lang]
    s.goto("/reference?kind=organisation")
    assert page.input_value("#f-name_ru") == OWN["ru"]["name"]
    assert page.input_value("#f-name_kk") == OWN["kk"]["name"]
    assert page.input_value("#f-council_kk").endswith("жанындағы оқу-әдістемелік кеңес")
    s.shot(f"docs14-04-letterhead-{lang}")
    addresses = {"ru": "080000, г. Тараз, ул. Абая, 10", "kk": "080000, Тараз қ., Абай көшесі, 10"}
    page.fill("#f-address_ru", addresses["ru"])
    page.fill("#f-address_kk", addresses["kk"])
    page.click("form[action='/reference/organisation'] button[type=submit]")
    assert own["saved"] in page.inner_text("main")
    assert page.input_value("#f-address_kk") == addresses["kk"]
    try:
        s.goto("/documents/protocol_extract?sample=1")
        other = "ru" if lang == "kk" else "kk"
        page.select_option("#f-doc_lang", other)  # a document in the other language: its own letterhead
        page.click("button[value=generate]")
        page.locator("[data-testid=issued]").wait_for()
        docx, _ = _download(page, "[data-testid=download-docx]")
        text = _docx_text(docx)
        assert addresses[other] in text and addresses[lang] not in text
        assert OWN[other]["name"] in text and OWN[lang]["name"] not in text
        assert OWN[other]["parent"] in text
        s.shot(f"docs14-05-other-language-{lang}")
    finally:
        s.goto("/reference?kind=organisation")
        page.fill("#f-address_ru", "")
        page.fill("#f-address_kk", "")
        page.click("form[action='/reference/organisation'] button[type=submit]")
        assert page.input_value("#f-address_ru") == ""
    # an empty name is refused next to the field, in the page's language
    page.fill("#f-name_ru", "")
    page.click("form[action='/reference/organisation'] button[type=submit]")
    assert page.locator("#err-name_ru").is_visible()
    assert ("Заполните это поле." if lang == "ru" else "") in page.inner_text("#err-name_ru")
