"""Which way a page is read: the print's profile, Tesseract's OSD, and the OCR itself when OSD cannot tell.

On the tuning part of the real scans the profile took upright letters and forms for sideways pages (thin
vertical rules, scanner streaks, squeezed Tobacco800 letters) and OSD could not tell (too little print, or
under its confidence): such a page used to be read turned a quarter, which gave a poor reading of it and
left its printed words in the ink the signature detector looks at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from verification.scans import loading
from verification.scans import page as page_mod
from verification.scans.ocr import OcrResult
from verification.scans.page import analyse_page
from verification.scans.results import PageResult, PageSettings, ScriptMemory


def _analyse(path: Path) -> PageResult:
    doc = loading.open_document(path.read_bytes(), "image/jpeg", max_pixels=100_000_000, max_pages=2)
    try:
        return analyse_page(next(iter(doc.pages())), PageSettings(scripts=ScriptMemory()))
    finally:
        doc.close()


@pytest.fixture
def ocr_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The (height, width) of every picture handed to tesseract while a test runs."""
    seen: list[tuple[int, int]] = []
    real = page_mod.OcrJob

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, gray: Any, **kw: Any) -> None:
            seen.append(gray.shape[:2])
            super().__init__(gray, **kw)

    monkeypatch.setattr(page_mod, "OcrJob", Counting)
    return seen


def _text(r: PageResult) -> str:
    return " ".join(w.text for w in r.words)


@pytest.mark.slow
def test_an_upright_page_the_profile_takes_for_sideways_is_read_upright_when_osd_cannot_tell(
        specimens: dict, monkeypatch: pytest.MonkeyPatch, ocr_reads: list) -> None:
    path, truth = specimens["cert_ru"]
    monkeypatch.setattr(page_mod, "quarter_turn", lambda gray, dpi: 90)
    monkeypatch.setattr(page_mod, "osd_rotation", lambda gray, dpi: None)
    r = _analyse(path)
    assert r.rotation == 0
    assert len(ocr_reads) == 1  # it read well as it is: no quarter turn tried
    assert truth["number"] in _text(r)
    assert len(r.seals) == 1 and len(r.signatures) == 1


@pytest.mark.slow
def test_osd_saying_upright_is_followed(specimens: dict, monkeypatch: pytest.MonkeyPatch, ocr_reads: list) -> None:
    """OSD's 0 is an answer (it was taken for "no answer", and the page was read turned)."""
    path, truth = specimens["cert_ru"]
    monkeypatch.setattr(page_mod, "quarter_turn", lambda gray, dpi: 90)
    monkeypatch.setattr(page_mod, "osd_rotation", lambda gray, dpi: 0)
    r = _analyse(path)
    assert r.rotation == 0 and len(ocr_reads) == 1
    assert truth["number"] in _text(r)


@pytest.mark.slow
def test_a_sideways_page_osd_cannot_tell_is_turned_by_what_reads_better(
        specimens: dict, monkeypatch: pytest.MonkeyPatch, ocr_reads: list) -> None:
    path, truth = specimens["order_kk_grey"]  # scanned a quarter turn counter-clockwise
    with_osd = _analyse(path)
    assert with_osd.rotation == 270
    ocr_reads.clear()
    monkeypatch.setattr(page_mod, "osd_rotation", lambda gray, dpi: None)
    r = _analyse(path)
    assert r.rotation == 270  # as OSD would have said
    assert truth["number"] in _text(r) and truth["number"] in _text(with_osd)
    assert len(ocr_reads) == 3  # as it is (poor), a quarter turn one way (upside down), the other way
    assert ocr_reads[0] == ocr_reads[1][::-1] == ocr_reads[2][::-1]
    assert [s.kind for s in r.seals] == [s.kind for s in with_osd.seals] == ["oval"]


def _reading(n: int, confidence: float) -> OcrResult:
    words = tuple(loading.TextWord(f"слово{i}", (0, 0, 10, 10), confidence) for i in range(n))
    return OcrResult(words, ())


def test_a_page_is_turned_over_only_when_the_turned_reading_is_a_reading() -> None:
    """A specimen sheet of stamps reads poorly both ways: the turned reading must itself be acceptable."""
    from verification.scans.page import _ocr_ok, _reads_better, _reads_well

    garbage, less_garbage = _reading(3, 20), _reading(4, 44)
    assert _reads_better(less_garbage, garbage) and not _ocr_ok(less_garbage)
    assert _ocr_ok(_reading(4, 46)) and _ocr_ok(_reading(15, 61))
    assert _reads_well(_reading(10, 60)) and not _reads_well(_reading(9, 90)) and not _reads_well(_reading(30, 59))
    assert not _reads_better(_reading(5, 90), _reading(8, 61))  # fewer good words
    assert not _reads_better(_reading(10, 60), _reading(10, 50))  # not 10 points more


def _on_the_glass(angle: float, background: int, seed: int = 21) -> tuple[Any, dict]:
    """A generated order turned ``angle`` degrees (counter-clockwise) on a scanner's glass of grey level
    ``background`` (0: the lid left open), the picture an A4 page at 300 dpi like the scan of a flat page."""
    from PIL import Image

    from samples.scans.generate import PageSpec, render_page

    img, truth = render_page(PageSpec(lang="ru", kind="order", seal=None), seed)
    turned = img.convert("RGB").rotate(angle, expand=False, fillcolor=(background,) * 3)
    page = Image.new("RGB", img.size, (background,) * 3)
    page.paste(turned.resize((int(img.width * 0.9), int(img.height * 0.9))), (int(img.width * 0.05), 0))
    return page, truth


def test_a_page_lying_crooked_on_a_dark_scanner_glass_is_straightened() -> None:
    """The lid left open: black around a page laid 9° off. The black's edges no longer hold the profile at 0°,
    and such a page is searched ±15° (an upright scan, ±4°)."""
    import numpy as np

    from verification.scans.prepare import estimate_skew

    crooked, _ = _on_the_glass(9.0, 0)
    gray = np.asarray(crooked.convert("L"))
    assert abs(estimate_skew(gray, 300.0) - (-9.0)) <= 0.25
    same_on_white, _ = _on_the_glass(9.0, 255)  # no dark background: the feeder's ±4° only
    assert abs(estimate_skew(np.asarray(same_on_white.convert("L")), 300.0)) <= 4.5
    straight, _ = _on_the_glass(0.0, 0)
    assert estimate_skew(np.asarray(straight.convert("L")), 300.0) == 0.0


def test_a_black_picture_inside_the_page_does_not_widen_the_search() -> None:
    """Only a dark region reaching the picture's edge is a scanner's background: a page 6° off on a white glass
    with a black photo printed inside it is searched the feeder's ±4° (the photo would allow 6°)."""
    import numpy as np

    from verification.scans.prepare import estimate_skew

    page, _ = _on_the_glass(6.0, 255)
    gray = np.array(page.convert("L"))
    h, w = gray.shape
    gray[h // 3:h // 3 + h // 6, w // 3:w // 3 + w // 3] = 0  # 5.5 % of the page, clear of its edges
    assert abs(estimate_skew(gray, 300.0)) <= 4.5
    framed = gray.copy()
    framed[:, : w // 20] = 0  # the same page with the lid's black along one side
    assert abs(estimate_skew(framed, 300.0) - (-6.0)) <= 0.25
