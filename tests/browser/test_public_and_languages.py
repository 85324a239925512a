"""Journey 4 and the languages: anyone checks a document by its QR id or by its file without signing
in, and learns only "issued / unchanged / altered / unknown"; the switcher turns the UI to Kazakh and
English with dates in each language's style."""

from __future__ import annotations

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


def test_public_check_by_qr_id_and_by_file(new_session: Any, shared: dict[str, Any], tmp_path: Path) -> None:
    document_id, pdf = _issued_document(shared, new_session)
    s = new_session()  # nobody signed in
    page = s.page
    s.goto(f"/check/{document_id}?h={'0' * 64}")
    result = page.locator("[data-testid=check-result]")
    assert result.get_attribute("data-result") == "issued"
    assert "выдан этой системой" in result.inner_text()
    main = page.inner_text("main")
    for private in ("Жумабаева", "Сарсенова", "МЦ", "2024"):
        assert private not in main  # the public page tells nothing about the document
    assert page.locator("nav.main").count() == 0
    s.shot("public-01-check-by-id")

    original = tmp_path / "certificate.pdf"
    original.write_bytes(pdf)
    page.set_input_files("#f-file", str(original))
    page.click("#check-file-form button[type=submit]")
    page.locator("[data-testid=file-check-result] [data-result-text=issued_unchanged]").wait_for(timeout=60_000)
    assert "подлинный и не изменён" in page.inner_text("[data-testid=file-check-result]")
    s.shot("public-02-check-file-genuine")

    altered = tmp_path / "certificate-altered.pdf"
    altered.write_bytes(pdf.replace(b"/Producer", b"/Producex", 1) + b"\n% changed\n")
    page.set_input_files("#f-file", str(altered))
    page.click("#check-file-form button[type=submit]")
    page.locator("[data-testid=file-check-result] [data-result-text=altered]").wait_for(timeout=60_000)
    assert "изменён после выдачи" in page.inner_text("[data-testid=file-check-result]")
    s.shot("public-03-check-file-altered")

    s.goto("/check?id=unknown-document-0000")
    assert page.locator("[data-testid=check-result]").get_attribute("data-result") == "unknown"
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
