"""Issue 14's journeys, walked as each person meets them, in Russian and Kazakh: the commission
returns a dossier and lands on it with its decision and comment, and finds it in «Решение принято»;
the teacher reads the same status word in the list and on the dossier's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}
WORDS = {
    "ru": {"saved": "Решение комиссии сохранено.", "returned": "Возвращено на доработку"},
    "kk": {"saved": "Комиссия шешімі сақталды.", "returned": "Пысықтауға қайтарылды"},
}


def _set_lang(s: Any, lang: str) -> None:
    s.goto(f"/lang/{lang}?next=/")


def submit_with_open_requirements(page: Any) -> None:
    """«Отправить в комиссию», then «Отправить без них» on the question that names the open requirements."""
    with page.expect_navigation():
        page.click("#submit-btn")  # the confirmation dialog is accepted
    if page.locator("[data-testid=submit-warning]").count():  # a complete dossier is sent at once
        page.click("#submit-anyway")


def submitted_dossier(new_session: Any, evidence: Path, lang: str, title: str) -> str:
    """A teacher's dossier with one verified file, submitted; its id."""
    s = new_session("teacher", locale=LOCALES[lang])
    _set_lang(s, lang)
    page = s.page
    s.goto("/dossiers")
    page.select_option("#f-profile", "kz-researcher")
    page.fill("#f-period_start", "2022-09-01")
    page.fill("#f-period_end", "2027-08-31")
    page.fill("#f-title", title)
    page.click("form[action='/dossiers'] button[type=submit]")
    page.wait_for_url("**/dossiers/*")
    dossier_id = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    page.set_input_files("#files-input", [str(evidence / "order.pdf")])
    page.locator("[data-testid=file]").first.wait_for()
    page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=150_000)
    submit_with_open_requirements(page)
    page.wait_for_url(f"**/dossiers/{dossier_id}?notice=dossier_submitted")
    s.close()
    return dossier_id


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_commission_returns_a_dossier_and_finds_it(new_session: Any, evidence: Path, lang: str) -> None:
    words = WORDS[lang]
    dossier_id = submitted_dossier(new_session, evidence, lang, f"Возврат {lang}")
    s = new_session("commission", locale=LOCALES[lang])
    _set_lang(s, lang)
    page = s.page
    s.goto(f"/review/{dossier_id}")
    page.check("input[name=decision][value=returned]")
    page.fill("#f-comment", f"Добавьте сертификат ({lang}).")
    page.click("form[action$='/decision'] button[type=submit]")
    page.wait_for_load_state()
    # the commission lands on the dossier it decided, with the notice, its decision and its comment
    assert urlsplit(page.url).path == f"/review/{dossier_id}"
    main = page.inner_text("main")
    assert words["saved"] in main
    assert page.locator("[data-testid=error-message]").count() == 0
    decision = page.inner_text("[data-testid=decision]")
    assert words["returned"] in decision and f"Добавьте сертификат ({lang})." in decision
    assert page.inner_text("[data-testid=dossier-status]") == words["returned"]
    s.shot(f"journeys-01-commission-returned-{lang}")

    # and finds it among the decided dossiers, with its own decision
    s.goto("/review?status=decided")
    row = page.locator(f"[data-testid=review-list] tr:has(a[href='/review/{dossier_id}'])")
    assert row.count() == 1
    assert words["returned"] in row.inner_text()
    s.shot(f"journeys-02-commission-decided-list-{lang}")
    # not among those awaiting a decision
    s.goto("/review?status=submitted")
    assert page.locator(f"a[href='/review/{dossier_id}']").count() == 0

    # the teacher reads one status word in the list and on the page, and can change the files again
    t = new_session("teacher", locale=LOCALES[lang])
    _set_lang(t, lang)
    t.goto("/dossiers")
    listed = t.page.locator(f"tr:has(a[href='/dossiers/{dossier_id}']) .badge")
    assert listed.inner_text() == words["returned"]
    t.goto(f"/dossiers/{dossier_id}")
    assert t.page.inner_text("[data-testid=dossier-status]") == words["returned"]
    assert f"Добавьте сертификат ({lang})." in t.page.inner_text("[data-testid=decision]")
    assert t.page.locator("#upload-form").count() == 1
    t.shot(f"journeys-03-teacher-returned-{lang}")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_language_switch_keeps_what_was_typed(new_session: Any, lang: str) -> None:
    other = "kk" if lang == "ru" else "ru"
    # the teacher's new-dossier form
    t = new_session("teacher", locale=LOCALES[lang])
    _set_lang(t, lang)
    t.goto("/dossiers")
    page = t.page
    page.select_option("#f-profile", "kz-researcher")
    page.fill("#f-period_start", "2021-09-01")
    page.fill("#f-title", f"Половина формы {lang}")
    page.click(f"nav.langs a[hreflang={other}]")
    page.wait_for_url("**/dossiers")
    assert page.get_attribute("html", "lang") == other
    assert page.input_value("#f-title") == f"Половина формы {lang}"
    assert page.input_value("#f-profile") == "kz-researcher"
    assert page.input_value("#f-period_start") == "2021-09-01"
    t.shot(f"journeys-04-teacher-form-after-switch-{lang}")
    # kept once: a later visit starts from the empty form
    t.goto("/dossiers")
    assert page.input_value("#f-title") == ""

    # the secretary's document form, with a table row added by hand
    s = new_session("secretary", locale=LOCALES[lang])
    _set_lang(s, lang)
    s.goto("/documents/order")
    page = s.page
    page.fill("#f-number", "17-ОД")
    table = page.get_attribute("[data-add-row]", "data-add-row")
    rows = page.locator(f"[data-rows='{table}'] > *")
    before = rows.count()
    page.click(f"[data-add-row='{table}']")
    assert rows.count() == before + 1
    field = rows.nth(before).locator("input[type=text], textarea").first
    name = field.get_attribute("name")
    field.fill("Сарсенова Динара Болатовна")
    page.click(f"nav.langs a[hreflang={other}]")
    page.wait_for_url("**/documents/order")
    assert page.get_attribute("html", "lang") == other
    assert page.input_value("#f-number") == "17-ОД"
    assert rows.count() == before + 1
    assert page.input_value(f"[name='{name}']") == "Сарсенова Динара Болатовна"
    s.shot(f"journeys-05-secretary-form-after-switch-{lang}")


REFUSALS = {
    "ru": {"txt": "Файл notes.txt — не PDF, не фото или скан", "big": "Файл big.pdf больше 50 МБ."},
    "kk": {"txt": "notes.txt файлы PDF емес", "big": "big.pdf файлы 50 МБ-тан үлкен."},
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_upload_refusals_speak_the_page_language(new_session: Any, tmp_path: Path, lang: str) -> None:
    t = new_session("teacher", locale=LOCALES[lang])
    _set_lang(t, lang)
    t.goto("/dossiers")
    page = t.page
    page.select_option("#f-profile", "kz-researcher")
    page.click("form[action='/dossiers'] button[type=submit]")
    page.wait_for_url("**/dossiers/*")
    notes = tmp_path / "notes.txt"
    notes.write_text("просто заметки\n", encoding="utf-8")
    page.set_input_files("#files-input", [str(notes)])
    error = page.locator("#upload-status .error")
    error.wait_for()
    assert error.inner_text().startswith(REFUSALS[lang]["txt"])
    t.shot(f"journeys-06-upload-refused-type-{lang}")
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(51 * 1024 * 1024)
    page.set_input_files("#files-input", [str(big)])
    page.locator("#upload-status .error", has_text="big.pdf").wait_for(timeout=60_000)
    text = page.inner_text("#upload-status .error")
    assert text.startswith(REFUSALS[lang]["big"]) and "larger" not in text
    t.shot(f"journeys-07-upload-refused-size-{lang}")


PHONE_H = 844


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_phone_checklist_and_submit_before_the_file_cards(new_session: Any, evidence: Path, lang: str) -> None:
    t = new_session("teacher", locale=LOCALES[lang], phone=True)
    _set_lang(t, lang)
    t.goto("/dossiers")
    page = t.page
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # however many dossiers are listed
    page.select_option("#f-profile", "kz-researcher")
    page.click("form[action='/dossiers'] button[type=submit]")
    page.wait_for_url("**/dossiers/*")
    names = ["order.pdf", "protocol_extract.pdf", "programme_1.jpg", "programme_2.jpg", "programme_3.jpg"]
    page.set_input_files("#files-input", [str(evidence / n) for n in names])
    page.locator("[data-testid=file]").nth(4).wait_for()
    page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=150_000)
    page.evaluate("window.scrollTo(0, 0)")
    # the checklist comes before the file cards, and the submit button is on the first screen
    checklist = _box(page, "#checklist-card")
    first_file = _box(page, "[data-testid=file]")
    assert checklist["y"] < first_file["y"]
    submit = _box(page, "#submit-btn")
    assert 0 <= submit["y"] and submit["y"] + submit["height"] <= PHONE_H
    assert submit["height"] >= 44
    t.shot(f"journeys-08-phone-dossier-top-{lang}")
    # still there in the middle of the file cards
    page.locator("[data-testid=file]").nth(2).scroll_into_view_if_needed()
    submit = _box(page, "#submit-btn")
    assert 0 <= submit["y"] and submit["y"] + submit["height"] <= PHONE_H
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / f"journeys-09-phone-dossier-files-{lang}.png"))  # what the screen shows


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_phone_order_form_fits_and_has_big_targets(new_session: Any, lang: str) -> None:
    s = new_session("secretary", locale=LOCALES[lang], phone=True)
    _set_lang(s, lang)
    s.goto("/documents/order")
    page = s.page
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
            'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea, main button'))
        .filter(el => el.offsetParent !== null && !el.closest('template'))
        .map(el => [el.name || el.textContent.trim(), Math.round(el.getBoundingClientRect().height)])
        .filter(([, h]) => h < 44)""")
    assert small == []
    s.shot(f"journeys-10-phone-order-form-{lang}")
