"""Journey 4 and the languages: anyone checks a document by its QR id or by its file (the PDF, or a
scan or photo of the paper) without signing in, and sees the registry record to compare the paper with
(kind, number, date, issuer, the person masked) — a photo of a genuine paper is never «altered», a
changed PDF is; in ru and kk, at 1366 px and on a 390-px phone. The switcher turns the UI to Kazakh and
English with dates in each language's style."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _issued_document(shared: dict[str, Any], new_session: Any) -> tuple[str, bytes]:
    if "document_id" not in shared:  # run alone: issue one through the secretary's form
        s = new_session("secretary")
        s.goto("/documents/certificate?sample=1")
        s.page.fill("#f-number", "")
        s.page.click("button[value=generate]")
        s.page.locator("[data-testid=issued]").wait_for(timeout=90_000)
        shared["document_id"] = s.page.inner_text("[data-testid=document-id]").strip()
        with s.page.expect_download() as dl:
            s.page.click("[data-testid=download]")
        shared["document_pdf"] = Path(dl.value.path()).read_bytes()
    return shared["document_id"], shared["document_pdf"]


def _record(page: Any, prefix: str) -> dict[str, str]:
    box = page.locator(f"[data-testid={prefix}-record]")
    assert box.is_visible()
    return {f: box.locator(f"[data-record-field={f}]").inner_text().strip()
            for f in ("kind", "registration_number", "issued_on", "issuer", "holder")}


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scroll"


COMPARE = {"ru": "Сверьте с бумагой: вид документа, регистрационный номер", "kk": "Қағазбен салыстырыңыз: құжат түрі, тіркеу нөмірі"}
PICTURE = {"ru": "сверьте бумагу с записью реестра", "kk": "қағазды тізілім жазбасымен салыстырыңыз"}
ALTERED = {"ru": "изменён", "kk": "өзгертілген"}
KIND = {"ru": "Сертификат", "kk": "Сертификат"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_public_check_shows_the_record_and_a_photo_is_not_altered(
        new_session: Any, shared: dict[str, Any], tmp_path: Path, lang: str, phone: bool) -> None:
    from tests.registry.test_public_check import photo_of

    document_id, pdf = _issued_document(shared, new_session)
    s = new_session(phone=phone)  # nobody signed in
    page = s.page
    if not phone:
        page.set_viewport_size({"width": 1366, "height": 900})
    size = "390" if phone else "1366"
    s.goto("/check")
    if lang == "kk":
        page.click("nav.langs a[hreflang=kk]")
    # by the QR code's id: the record to compare the paper with, the person masked
    s.goto(f"/check/{document_id}")
    result = page.locator("[data-testid=check-result]")
    assert result.get_attribute("data-result") == "issued"
    record = _record(page, "check")
    assert record["kind"].startswith(KIND[lang])
    assert re.fullmatch(r"[A-Z0-9]+(?:-[A-Z0-9]+)*-CRT-\d{4}-\d{5}", record["registration_number"]), record
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", record["issued_on"]), record
    assert record["issuer"] and record["issuer"] != "—"
    assert re.fullmatch(r"\S+ (?:\w\. ?){1,2}", record["holder"]), record  # «Жумабаева А. С.», never the full name
    assert COMPARE[lang] in page.inner_text("[data-testid=check-compare]")
    assert page.locator("nav.main").count() == 0
    _fits_the_screen(page)
    s.shot(f"public-{lang}-{size}-01-by-id")

    # a phone photo of the printed certificate: the same record and the compare instruction, not «altered»
    photo = tmp_path / "certificate-photo.jpg"
    photo.write_bytes(photo_of(pdf))
    page.set_input_files("#f-file", str(photo))
    page.click("#check-file-form button[type=submit]")
    page.locator("[data-testid=file-check-result] [data-result-text=picture]").wait_for(timeout=90_000)
    verdict = page.inner_text("[data-testid=file-check-result] [data-result-text=picture]")
    assert PICTURE[lang] in verdict and ALTERED[lang] not in verdict.lower()
    assert page.locator("[data-testid=file-check-result] [data-result-text=altered]").is_hidden()
    assert page.locator("[data-testid=file-check-result]").get_attribute("class") == "notice "
    assert _record(page, "file-check") == record
    assert COMPARE[lang] in page.inner_text("[data-testid=file-check-compare]")
    _fits_the_screen(page)
    page.locator("[data-testid=file-check-result]").scroll_into_view_if_needed()
    s.shot(f"public-{lang}-{size}-02-photo")

    # the born-digital PDF itself: unchanged; with bytes changed after issue: altered
    original = tmp_path / "certificate.pdf"
    original.write_bytes(pdf)
    page.set_input_files("#f-file", str(original))
    page.click("#check-file-form button[type=submit]")
    page.locator("[data-testid=file-check-result] [data-result-text=issued_unchanged]").wait_for(timeout=60_000)
    assert _record(page, "file-check") == record
    altered = tmp_path / "certificate-altered.pdf"
    altered.write_bytes(pdf.replace(b"/Producer", b"/Producex", 1) + b"\n% changed\n")
    page.set_input_files("#f-file", str(altered))
    page.click("#check-file-form button[type=submit]")
    page.locator("[data-testid=file-check-result] [data-result-text=altered]").wait_for(timeout=60_000)
    assert ALTERED[lang] in page.inner_text("[data-testid=file-check-result] [data-result-text=altered]").lower()
    assert page.locator("[data-testid=file-check-compare]").is_hidden()  # a file is not compared by eye
    assert page.locator("[data-testid=file-check-result]").get_attribute("class") == "notice bad"
    _fits_the_screen(page)
    page.locator("[data-testid=file-check-result]").scroll_into_view_if_needed()
    s.shot(f"public-{lang}-{size}-03-altered")


def test_public_check_of_unknown_and_malformed_ids(new_session: Any) -> None:
    s = new_session()
    page = s.page
    s.goto("/check?id=unknown-document-0000")
    assert page.locator("[data-testid=check-result]").get_attribute("data-result") == "unknown"
    assert page.locator("[data-testid=check-record]").count() == 0
    s.goto("/check?id=<script>alert(1)</script>")
    assert "не похоже на код документа" in page.inner_text("#err-id")
    assert page.input_value("#f-id") == "<script>alert(1)</script>"


def test_language_switcher_and_date_formats(new_session: Any) -> None:
    s = new_session("teacher")
    page = s.page
    page.click("nav.langs a[hreflang=kk]")
    assert page.inner_text("nav.main") .startswith("Менің портфолиом")
    assert "Педагог" in page.inner_text("[data-testid=who]")
    assert page.get_attribute("html", "lang") == "kk"
    s.goto("/dossiers")
    if page.locator("table.data").count():
        assert "." in page.inner_text("table.data")  # short dates: 01.09.2022
    s.shot("lang-01-kazakh")
    page.click("nav.langs a[hreflang=en]")
    assert "My dossiers" in page.inner_text("nav.main")
    page.click("nav.langs a[hreflang=ru]")
    assert "Мои портфолио" in page.inner_text("nav.main")
