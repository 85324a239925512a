"""The OCR engine: libtesseract in the process (tesserocr built against the system's libtesseract) reads a
page word for word as the tesseract program does; engines are kept and reused; a tesserocr running another
tesseract is not used; a timeout or a missing language model is a page's OCR error, not a crash."""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from verification.scans import memory, ocr

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ("ПРОТОКОЛ ЗАСЕДАНИЯ", "методического совета школы", "№ 17 от 5 декабря 2026 года")


def _page() -> np.ndarray:
    """A grey 300 dpi strip with three printed lines."""
    img = Image.new("L", (1700, 420), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 56)
    for i, line in enumerate(LINES):
        draw.text((60, 40 + i * 120), line, font=font, fill=0)
    return np.asarray(img)


def _words(result: ocr.OcrResult) -> list[str]:
    return [w.text for w in result.words]


@pytest.fixture
def program_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_TESSEROCR_TRIED", True)
    monkeypatch.setattr(ocr, "_TESSEROCR", None)


def test_the_library_is_what_reads_pages() -> None:
    library = ocr._library()
    assert library is not None  # tesserocr is a dependency: pages are read in the process
    assert library.tesseract_version().splitlines()[0] == ocr.program_version()
    assert ocr.program_version().startswith("tesseract 5.")


def test_leptonica_says_nothing_on_stderr() -> None:
    import ctypes
    import ctypes.util

    assert ocr._library() is not None
    lept = ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5")
    assert lept.setMsgSeverity(ocr.LEPTONICA_SILENT) == ocr.LEPTONICA_SILENT  # already silenced by the engine


def test_a_tesserocr_with_another_tesseract_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    wheel = types.ModuleType("tesserocr")
    wheel.tesseract_version = lambda: "tesseract 5.5.4\n leptonica-1.87.0"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tesserocr", wheel)
    monkeypatch.setattr(ocr, "_TESSEROCR_TRIED", False)
    monkeypatch.setattr(ocr, "_TESSEROCR", None)
    assert ocr._library() is None
    assert ocr.run_ocr(_page(), languages="rus+kaz+eng", dpi=300).lines == LINES  # read by the program


def test_library_reads_the_lines() -> None:
    result = ocr.run_ocr(_page(), languages="rus+kaz+eng", dpi=300)
    assert result.lines == LINES
    assert _words(result) == ["ПРОТОКОЛ", "ЗАСЕДАНИЯ", "методического", "совета", "школы", "№", "17", "от", "5", "декабря",
                              "2026", "года"]
    assert all(w.confidence > 80 for w in result.words)
    assert [w.line for w in result.words] == [0, 0, 1, 1, 1] + [2] * 7


def test_program_reads_the_same_lines(program_only: None) -> None:
    result = ocr.run_ocr(_page(), languages="rus+kaz+eng", dpi=300)
    assert result.lines == LINES


def test_both_engines_give_the_same_words_boxes_and_confidences(program_only: None) -> None:
    page = _page()
    by_program = ocr.run_ocr(page, languages="rus+kaz+eng", dpi=300, scale_to_300=2.0)
    ocr._TESSEROCR_TRIED = False  # the library again (the fixture restores the flags afterwards)
    by_library = ocr.run_ocr(page, languages="rus+kaz+eng", dpi=300, scale_to_300=2.0)
    assert ocr._TESSEROCR is not None
    assert by_library == by_program  # the same libtesseract: word for word, box for box
    first = by_library.words[0].bbox
    assert 110 <= first[0] <= 140 and 700 <= first[2] <= 800  # «ПРОТОКОЛ»: 65–379 px at 300 dpi, doubled


def test_engines_are_kept_for_the_next_page() -> None:
    ocr.run_ocr(_page(), languages="eng", dpi=300)
    idle = list(ocr._ENGINES["eng"])
    assert len(idle) >= 1
    ocr.run_ocr(_page(), languages="eng", dpi=300)
    assert ocr._ENGINES["eng"][-1] is idle[-1]  # the same engine read the second page and went back


def test_pages_read_at_once_use_an_engine_each() -> None:
    ocr._ENGINES.pop("rus", None)
    barrier = threading.Barrier(2)
    results: list[ocr.OcrResult] = []

    def read() -> None:
        barrier.wait()
        results.append(ocr.run_ocr(_page(), languages="rus", dpi=300))

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.lines[0] for r in results] == ["ПРОТОКОЛ ЗАСЕДАНИЯ", "ПРОТОКОЛ ЗАСЕДАНИЯ"]
    assert 1 <= len(ocr._ENGINES["rus"]) <= 2
    assert len({id(e) for e in ocr._ENGINES["rus"]}) == len(ocr._ENGINES["rus"])


def test_a_page_over_its_time_is_an_ocr_error() -> None:
    big = np.tile(_page(), (8, 2))  # 3360 × 3400 px of text: far more than a millisecond's work
    with pytest.raises(ocr.OcrError, match=r"^tesseract timed out after 0 s$"):
        ocr.run_ocr(big, languages="rus+kaz+eng", dpi=300, timeout=0.001)
    assert ocr.run_ocr(_page(), languages="rus+kaz+eng", dpi=300).lines == LINES  # the engine reads on


def test_a_missing_language_model_is_an_ocr_error() -> None:
    with pytest.raises(ocr.OcrError, match=r"^tesseract cannot load xxx: "):
        ocr.run_ocr(_page(), languages="xxx", dpi=300)


def test_memory_freed_goes_back_to_the_system_once_a_document_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """glibc's malloc_trim runs once per verified document, after its last page, not after each page."""
    import io

    from verification.pipeline import verify_bytes
    from verification.scans import step

    calls: list[int] = []
    read: list[int] = []
    real_read = ocr._LibraryRead._read

    def counting_read(self: Any, *args: Any) -> None:
        real_read(self, *args)
        read.append(len(calls))  # how many trims had run when this page was read

    monkeypatch.setattr(ocr._LibraryRead, "_read", counting_read)
    monkeypatch.setattr(step, "release_memory", lambda: calls.append(1))
    pages = [Image.fromarray(np.pad(_page(), ((900, 2200), (300, 480)), constant_values=255)) for _ in range(2)]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], dpi=(300, 300))
    report = verify_bytes(buf.getvalue(), "two.tiff")
    assert report.pages == 2
    assert read and set(read) == {0}  # no trim while pages were read
    assert calls == [1]
    memory.release_memory()
    assert memory._LIBC and memory._LIBC[0] is not None  # glibc's malloc_trim found


def _ocr_failure_check(monkeypatch: pytest.MonkeyPatch, error: ocr.OcrError) -> Any:
    """A one-page scan verified while the OCR engine raises ``error``: its scan.ocr check."""
    import io

    from verification.pipeline import verify_bytes
    from verification.scans import page as page_mod

    class Failing:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def result(self) -> ocr.OcrResult:
            raise error

    monkeypatch.setattr(page_mod, "OcrJob", Failing)
    buf = io.BytesIO()
    Image.fromarray(np.tile(_page(), (5, 1))).save(buf, "PNG", dpi=(300, 300))
    report = verify_bytes(buf.getvalue(), "scan.png")
    return next(c for c in report.checks if c.id == "scan.ocr")


def test_a_page_over_its_time_asks_for_a_clearer_scan_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    check = _ocr_failure_check(monkeypatch, ocr.OcrError("tesseract timed out after 45 s", timed_out=True))
    assert (check.status.value, check.code) == ("warn", "scan.ocr_failed")
    assert check.message("ru") == ("Текст на странице 1 не удалось распознать за отведённое время. "
                                   "Загрузите более чёткий скан или разделите файл на части.")
    assert check.message("kk") == ("1-беттегі мәтін берілген уақытта танылмады. "
                                   "Анығырақ скан жүктеңіз немесе файлды бөліктерге бөліңіз.")


def test_an_engine_failure_is_not_blamed_on_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    check = _ocr_failure_check(monkeypatch, ocr.OcrError("tesseract cannot load rus+kaz+eng: Failed to init API"))
    assert (check.status.value, check.code) == ("warn", "scan.ocr_engine_failed")
    assert check.message("ru") == ("Текст на странице 1 не распознан из-за сбоя службы распознавания — это не "
                                   "ошибка вашего файла. Страница передана на ручную проверку.")
    assert "tesseract" not in check.message("kk") and "1-беттегі" in check.message("kk")
