"""Journey 1 in a real browser: the council secretary manages reference data, fills a document form
(errors next to the field), previews, generates and downloads it, makes certificates for a table of
participants with a progress bar, and finds the document in the registry by its QR id."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

XSS = "<script>window.__xss=1</script>{{ 7*7 }}"


def test_reference_data_is_managed_and_user_text_stays_text(new_session: Any) -> None:
    s = new_session("secretary")
    page = s.page
    assert page.url.endswith("/documents")
    assert "Ахметова Гульнара Сериковна" in page.inner_text("[data-testid=who]")
    assert "Секретарь совета" in page.inner_text("[data-testid=who]")
    s.goto("/reference?kind=council-members")
    page.fill("#f-full_name", XSS)
    page.fill("#f-position", "Заместитель директора")
    page.select_option("#f-council_role", "deputy")
    page.click("form[action='/reference/council-members'] button[type=submit]")
    assert "Сохранено." in page.inner_text("main")
    rows = page.inner_text("[data-testid=reference-rows]")
    assert XSS in rows  # shown literally, not run and not evaluated
    assert "заместитель председателя" in rows
    assert page.evaluate("window.__xss") is None
    s.shot("secretary-01-reference-council")

    s.goto("/reference?kind=districts")
    page.click("form[action='/reference/districts'] button[type=submit]")  # everything empty
    assert page.locator(".field.invalid").count() >= 2
    assert "Заполните это поле." in page.inner_text("#err-name_ru")
    s.shot("secretary-02-reference-errors")
    page.select_option("#f-region_id", label="Жамбылская область")
    page.fill("#f-name_ru", "Сарысуский район")
    page.fill("#f-name_kk", "Сарысу ауданы")
    page.click("form[action='/reference/districts'] button[type=submit]")
    assert "Сарысу ауданы" in page.inner_text("[data-testid=reference-rows]")


def test_document_form_preview_generate_and_registry(new_session: Any, shared: dict[str, Any]) -> None:
    s = new_session("secretary")
    page = s.page
    s.goto("/documents")
    assert page.locator(".tile").count() == 11
    s.shot("secretary-03-document-kinds")
    page.click("a[data-kind=certificate]")
    # a required field left empty: the error is next to that field, in plain words
    page.fill("#f-organization\\.city", "г. Тараз")
    page.fill("#f-date", "2024-04-26")
    page.fill("#f-participant", "")
    page.click("button[value=generate]")
    assert page.locator("#err-participant").inner_text() == "⚠ Заполните это поле." or \
        page.locator("#err-participant").inner_text() == "Заполните это поле."
    assert page.locator("[data-testid=form-errors]").is_visible()
    s.shot("secretary-04-document-errors")

    s.goto("/documents/certificate?sample=1")
    page.fill("#f-participant", "Жумабаева Айгерим Сериковна")
    page.fill("#f-number", "")
    page.click("button[value=preview]")
    preview = page.locator("[data-testid=preview] img").first
    preview.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 300", preview.element_handle())
    s.shot("secretary-05-document-preview")

    page.click("button[value=generate]")
    page.locator("[data-testid=issued]").wait_for()
    number = page.inner_text("[data-testid=reg-number]")
    document_id = page.inner_text("[data-testid=document-id]").strip()
    assert number and document_id
    with page.expect_download() as dl:
        page.click("[data-testid=download]")
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    assert dl.value.suggested_filename.endswith(".pdf")
    shared["document_id"] = document_id
    shared["document_pdf"] = data
    s.shot("secretary-06-document-issued")

    s.goto("/registry")
    assert number in page.inner_text("[data-testid=registry-rows]")
    page.fill("#f-q", f"https://attest.local/check/{document_id}?h={'0' * 64}")
    page.click("form[role=search] button")
    found = page.inner_text("[data-testid=lookup-found]")
    assert number in found and document_id in found
    s.shot("secretary-07-registry-lookup")
    page.fill("#f-q", "no-such-document-id")
    page.click("form[role=search] button")
    assert page.locator("[data-testid=lookup-missing]").is_visible()


def test_batch_certificates_with_progress_and_zip(new_session: Any, tmp_path: Any) -> None:
    s = new_session("secretary")
    page = s.page
    s.goto("/batch")
    s.shot("secretary-08-batch-form")
    template = page.request.get(s.base + "/batch/template/certificate.csv?lang=ru")
    assert template.status == 200
    lines = template.text().lstrip("\ufeff").splitlines()
    header, example = lines[0], lines[1]
    second = example.replace("Жумабаева Айгерим Сериковна", "Ермеков Нурлан Бахытович")
    table = tmp_path / "participants.csv"
    table.write_text(f"{header}\n{example}\n{second}\n", encoding="utf-8")
    page.set_input_files("#f-file", str(table))
    page.click("#batch-form button[type=submit]")
    page.wait_for_url("**/batch/jobs/**")
    s.shot("secretary-09-batch-progress")
    page.locator("[data-testid=batch-job][data-state=succeeded]").wait_for(timeout=90_000)
    assert "документов — 2" in page.inner_text("[data-testid=batch-job]")
    s.shot("secretary-10-batch-done")
    with page.expect_download() as dl:
        page.click("[data-testid=download-zip]")
    with zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes())) as zf:
        pdfs = [n for n in zf.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 2
