"""Page layout of the landscape transmission programme (issue 14): the QR block never stands alone on
a page. The sample fits one page in Russian and Kazakh; a longer programme carries its last event's
row, the signature and the QR block over to the next page together."""

from __future__ import annotations

import copy
import io

import pytest
from pypdf import PdfReader

from service.generation.schemas import SCHEMAS, example_data
from service.generation.service import produce, registration

pytestmark = pytest.mark.slow  # LibreOffice

NUMBER = "MC-ZHA-PRG-2024-00001"


def _pages(lang: str, events: int | None = None) -> tuple[list[str], dict]:  # type: ignore[type-arg]
    data = copy.deepcopy(example_data("transmission_program", lang))
    if events is not None:
        base = data["events"]
        data["events"] = [dict(base[i % len(base)], location=f"{base[i % len(base)]['location']} {i + 1}")
                          for i in range(events)]
    model = SCHEMAS["transmission_program"].model_validate(data)
    doc = produce("transmission_program", lang, "pdf", model, registration("id-layout", NUMBER, 1, "0" * 64))
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(doc.content)).pages], data


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_sample_programme_is_one_page_with_its_qr_block(gen_data_dir: object, lang: str) -> None:
    pages, data = _pages(lang)
    assert len(pages) == 1
    assert NUMBER in pages[0] and data["approver"]["full_name"] in pages[0]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_long_programme_keeps_the_last_row_signature_and_qr_together(gen_data_dir: object, lang: str) -> None:
    pages, data = _pages(lang, events=6)
    assert len(pages) == 2
    last = pages[-1]
    assert NUMBER in last and data["approver"]["full_name"] in last
    assert data["events"][-1]["location"] in last  # the table's last row came along
    assert NUMBER not in pages[0]


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_sample_puts_its_qr_block_alone_on_a_page(sample_pdfs: dict, kind: str, lang: str) -> None:  # type: ignore[type-arg]
    """The page with the registration block also carries the document's own text (a signature, a seal,
    the last rows), never the QR code and its three lines alone."""
    pages = [p.extract_text() or "" for p in PdfReader(str(sample_pdfs[(kind, lang)])).pages]
    mark = "Рег. №" if lang == "ru" else "Тіркеу №"
    with_qr = [p for p in pages if mark in p]
    assert len(with_qr) == 1
    lines = [ln for ln in with_qr[0].splitlines() if ln.strip()]
    qr_lines = [ln for ln in lines if mark in ln or ln.startswith("ID:") or "QR" in ln]
    assert len(lines) - len(qr_lines) >= 2, lines
