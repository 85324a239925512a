"""Journeys 2 and 3 in a real browser: a teacher creates a dossier, uploads several files at once and
one by drag and drop, follows each file's verification and reads the result in plain words, watches
the checklist fill up and submits; another teacher cannot see it; the commission finds it with its
readiness, sees each verdict with the seal and signature drawn over the page, downloads dossier.pdf
and records a decision (a comment is required to return it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def _drop_file(page: Any, selector: str, path: Path, media_type: str) -> None:
    """Drag and drop of a file from the desktop onto the drop zone (a real DataTransfer)."""
    data = list(path.read_bytes())
    page.evaluate(
        """([selector, name, type, bytes]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([new Uint8Array(bytes)], name, {type}));
            const zone = document.querySelector(selector);
            for (const kind of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: dt}));
            }
        }""",
        [selector, path.name, media_type, data],
    )


def test_teacher_builds_and_submits_a_dossier(new_session: Any, evidence: Path, shared: dict[str, Any]) -> None:
    s = new_session("teacher")
    page = s.page
    assert page.url.endswith("/dossiers")
    s.shot("teacher-01-dossiers-empty")
    # no category chosen: the error is next to the field
    page.select_option("#f-profile", "")
    page.click("form[action='/dossiers'] button[type=submit]")
    assert page.inner_text("#err-profile") == "Выберите категорию из списка."
    page.select_option("#f-profile", "kz-researcher")
    page.fill("#f-period_start", "2022-09-01")
    page.fill("#f-period_end", "2027-08-31")
    page.fill("#f-title", "Аттестация 2026 <b>педагог-исследователь</b>")
    page.click("form[action='/dossiers'] button[type=submit]")
    page.wait_for_url("**/dossiers/*")
    assert page.inner_text("h1") == "Аттестация 2026 <b>педагог-исследователь</b>"
    assert "Портфолио создано" in page.inner_text("main")
    dossier_id = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    shared["dossier_id"] = dossier_id
    assert page.locator("[data-testid=checklist] li").count() == 4
    assert page.is_disabled("#submit-btn")
    s.shot("teacher-02-dossier-new")

    # several files at once through the file chooser, one photo by drag and drop
    several = ["order.pdf", "protocol_extract.pdf", "programme_1.jpg", "programme_2.jpg", "programme_3.jpg"]
    page.set_input_files("#files-input", [str(evidence / n) for n in several])
    page.locator("[data-testid=file]").nth(4).wait_for()
    _drop_file(page, "[data-dropzone]", evidence / "certificate.jpg", "image/jpeg")
    page.locator("[data-testid=file]").nth(5).wait_for()
    s.shot("teacher-03-verification-progress")

    # every file's verification finishes (the page polls by itself), with its result in words
    # (locator waits, not wait_for_function: the page's CSP forbids the string evaluation it needs)
    page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=150_000)
    cards = page.locator("[data-testid=file]")
    assert cards.count() == 6
    assert page.locator("[data-testid=file][data-state=done]").count() == 6
    programme = page.locator("[data-testid=file]", has_text="programme_1.jpg")
    assert programme.locator("[data-testid=file-summary]").inner_text().startswith("Программа трансляции опыта")
    programme.locator("summary").click()  # "what was found in the document"
    text = programme.inner_text()
    assert "печать найдена" in text and "Байзакский район" in text
    assert page.is_enabled("#submit-btn")
    checklist = page.locator("[data-testid=checklist]")
    met = checklist.locator("li[data-status=met]").count()
    assert met >= 1
    assert f"выполнено {met} из 4" == page.inner_text("[data-testid=checklist-count]")
    s.shot("teacher-04-results-and-checklist")

    page.click("#submit-btn")  # the confirmation dialog is accepted
    page.wait_for_url(f"**/dossiers/{dossier_id}?notice=dossier_submitted")
    assert "Портфолио отправлено в аттестационную комиссию." in page.inner_text("main")
    assert page.locator("#upload-form").count() == 0  # files are frozen now
    assert page.locator(".badge.submitted").count() >= 1
    s.shot("teacher-05-submitted")

    # the same dossier on a phone: one column, nothing cut off
    phone = new_session("teacher", phone=True)
    phone.goto(f"/dossiers/{dossier_id}")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    phone.shot("teacher-07-phone")


def test_another_teacher_cannot_see_the_dossier(new_session: Any, shared: dict[str, Any]) -> None:
    s = new_session("teacher2")
    response = s.goto(f"/dossiers/{shared['dossier_id']}")
    assert response.status == 404
    assert "Такой страницы нет" in s.page.inner_text("[data-testid=error-message]")
    assert "Жумабаева" not in s.page.content()
    assert s.goto(f"/dossiers/{shared['dossier_id']}/live").status == 404
    s.shot("teacher-06-other-teacher-404")


def test_commission_reviews_and_decides(new_session: Any, shared: dict[str, Any]) -> None:
    s = new_session("commission")
    page = s.page
    assert page.url.endswith("/review")
    listing = page.inner_text("[data-testid=review-list]")
    assert "Жумабаева Айгерим Сериковна" in listing
    assert "Педагог-исследователь" in listing
    assert "выполнено" in listing
    s.shot("commission-01-list")

    # the link of this journey's dossier (other browser tests submit dossiers of the same teacher)
    page.click(f"[data-testid=review-list] a[href='/review/{shared['dossier_id']}']")
    page.wait_for_url(f"**/review/{shared['dossier_id']}")
    assert page.locator("[data-testid=checklist] li").count() == 4
    assert page.locator("[data-testid=file]").count() == 6
    # the seal and the signature found on a programme scan are drawn over its page
    boxes = page.locator("[data-testid=evidence] .box.seal")
    assert boxes.count() >= 1
    image = page.locator("[data-testid=evidence] img").first
    image.scroll_into_view_if_needed()
    for _ in range(200):
        if image.evaluate("(img) => img.complete && img.naturalWidth > 300"):
            break
        page.wait_for_timeout(100)
    box = boxes.first.bounding_box()
    frame = page.locator("[data-testid=evidence]").first.bounding_box()
    assert box and frame and box["width"] > 10 and frame["x"] <= box["x"] <= frame["x"] + frame["width"]

    # dossier.pdf once it is assembled (the page follows the assembly by itself)
    page.locator("[data-testid=download-pdf]").wait_for(timeout=150_000)
    s.shot("commission-02-dossier")
    with page.expect_download() as dl:
        page.click("[data-testid=download-pdf]")
    assert Path(dl.value.path()).read_bytes()[:5] == b"%PDF-"

    # returning without a comment is refused next to the comment field
    page.check("input[name=decision][value=returned]")
    page.click("form[action$='/decision'] button[type=submit]")
    assert "Напишите, почему" in page.inner_text("#err-comment")
    s.shot("commission-03-decision-error")
    page.check("input[name=decision][value=approved]")
    page.fill("#f-comment", "Материалы соответствуют требованиям категории.")
    page.click("form[action$='/decision'] button[type=submit]")
    decision = page.inner_text("[data-testid=decision]")
    assert "Одобрено" in decision and "Материалы соответствуют" in decision
    s.shot("commission-04-decided")

    # the teacher sees the decision
    t = new_session("teacher")
    t.goto(f"/dossiers/{shared['dossier_id']}")
    assert "Одобрено" in t.page.inner_text("[data-testid=decision]")
