"""The language models a page is read with: a page printed in English is read with ``eng`` alone (a few of its
lines read first come out confident), a Russian or Kazakh page, or one that cannot be told, with every model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from verification.scans import ocr
from verification.scans.results import ScriptMemory

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ENGLISH = ("This certificate is awarded to the teacher", "for completing the course on assessment",
           "in secondary schools, held in Astana in 2026", "Director of the training centre")
RUSSIAN = ("Настоящий сертификат выдан учителю", "за прохождение курса по оцениванию",
           "в средней школе, проведённого в Астане", "Директор учебного центра")
KAZAKH = ("Бұл сертификат мұғалімге берілді", "бағалау бойынша курсты аяқтағаны үшін",
          "Астана қаласындағы жалпы білім беретін мектеп", "Оқу орталығының директоры")


def _page(lines: tuple[str, ...], *, size: int = 30, speckle: bool = False) -> np.ndarray:
    """An A4 page at 150 dpi with the lines printed in its upper half."""
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, size)
    for i, line in enumerate(lines):
        draw.text((120, 200 + i * 80), line, font=font, fill=0)
    page = np.asarray(img).copy()
    if speckle:  # a fax's dots everywhere, also between the lines
        rng = np.random.default_rng(7)
        page[rng.random(page.shape) < 0.004] = 0
    return page


def test_the_longest_lines_are_cut_out_whole_and_stacked() -> None:
    strips = ocr.text_strips(_page(ENGLISH))
    assert strips is not None
    assert strips.shape[1] == 1240
    # three lines of 30 px type (each 22-37 px tall with its padding) and the white gaps
    assert 3 * 30 <= strips.shape[0] <= 3 * 60
    words = " ".join(w.text for w in ocr.run_ocr(strips, languages="eng", dpi=150).words)
    assert words == " ".join(ENGLISH[:3])  # the three longest lines, whole, in page order


def test_a_blank_page_has_no_lines_to_read() -> None:
    assert ocr.text_strips(np.full((1754, 1240), 255, np.uint8)) is None


def test_speckle_between_the_lines_does_not_join_them() -> None:
    strips = ocr.text_strips(_page(ENGLISH, speckle=True))
    assert strips is not None and strips.shape[0] <= 3 * 60


@pytest.mark.parametrize(("lines", "expected"), [(ENGLISH, "eng"), (RUSSIAN, "rus+kaz+eng"),
                                                 (KAZAKH, "rus+kaz+eng")])
def test_an_english_page_is_read_with_eng_alone_the_others_with_every_model(lines: tuple[str, ...],
                                                                             expected: str) -> None:
    assert ocr.page_languages(_page(lines), 150.0, "rus+kaz+eng") == expected


def test_a_page_with_too_little_print_keeps_every_model() -> None:
    assert ocr.page_languages(_page(("Signed",)), 150.0, "rus+kaz+eng") == "rus+kaz+eng"
    assert ocr.page_languages(np.full((1754, 1240), 255, np.uint8), 150.0, "rus+kaz+eng") == "rus+kaz+eng"


def test_a_language_set_without_a_choice_is_left_as_it_is() -> None:
    english = _page(ENGLISH)
    assert ocr.page_languages(english, 150.0, "eng") == "eng"
    assert ocr.page_languages(english, 150.0, "rus+kaz") == "rus+kaz"  # no Latin-script model to narrow to
    assert ocr.page_languages(english, 150.0, "eng+rus") == "eng"


def test_a_failing_probe_keeps_every_model(monkeypatch: pytest.MonkeyPatch) -> None:
    class Failing:
        def __init__(self, *_a: object, **_k: object) -> None:
            pass

        def result(self) -> ocr.OcrResult:
            raise ocr.OcrError("tesseract failed")

    monkeypatch.setattr(ocr, "OcrJob", Failing)
    assert ocr.page_languages(_page(ENGLISH), 150.0, "rus+kaz+eng") == "rus+kaz+eng"


REALSCANS = Path(__file__).resolve().parents[3].parent / "shared" / "realscans"
SMALL_LETTER = "images/kacper__image_13_jpg.rf.e773e6d12614b36191cac6c368b1bc37.jpg"  # tuning part, 640 px, 77 dpi


@pytest.mark.skipif(not (REALSCANS / SMALL_LETTER).exists(), reason="../shared/realscans is absent")
def test_print_too_small_to_read_in_one_line_is_enlarged_before_the_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real 640-pixel picture of an English letter (77 dpi): its lines read enlarged to 150 dpi say English;
    read as they are, too few of their letters come out confident to tell."""
    with Image.open(REALSCANS / SMALL_LETTER) as im:
        page = np.asarray(im.convert("L"))
    assert ocr.page_languages(page, 77.0, "rus+kaz+eng") == "eng"
    monkeypatch.setattr(ocr, "PROBE_ENLARGE_BELOW", 0.0)
    assert ocr.page_languages(page, 77.0, "rus+kaz+eng") == "rus+kaz+eng"


def _counting_probe(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    probed: list[str] = []
    real = ocr._latin_letters

    def counting(strips: np.ndarray, dpi: float, models: str, timeout: float) -> tuple[int, int]:
        probed.append(models)
        return real(strips, dpi, models, timeout)

    monkeypatch.setattr(ocr, "_latin_letters", counting)
    return probed


def test_a_document_settled_as_cyrillic_is_not_probed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two Russian or Kazakh pages settle a document: its later pages are read with every model unprobed."""
    probed = _counting_probe(monkeypatch)
    memory = ScriptMemory()
    assert ocr.page_languages(_page(RUSSIAN), 150.0, "rus+kaz+eng", memory=memory) == "rus+kaz+eng"
    assert not memory.settled()
    assert ocr.page_languages(_page(KAZAKH), 150.0, "rus+kaz+eng", memory=memory) == "rus+kaz+eng"
    assert memory.settled()
    n = len(probed)
    assert n >= 2
    # a later English page of the same document is read with every model, as before the probe existed
    assert ocr.page_languages(_page(ENGLISH), 150.0, "rus+kaz+eng", memory=memory) == "rus+kaz+eng"
    assert len(probed) == n


def test_an_english_page_or_a_page_without_print_does_not_settle_a_document(monkeypatch: pytest.MonkeyPatch) -> None:
    probed = _counting_probe(monkeypatch)
    memory = ScriptMemory()
    blank = np.full((1754, 1240), 255, np.uint8)
    for page in (blank, blank, blank):  # nothing to tell from: still probed
        assert ocr.page_languages(page, 150.0, "rus+kaz+eng", memory=memory) == "rus+kaz+eng"
    assert not memory.settled()
    assert ocr.page_languages(_page(ENGLISH), 150.0, "rus+kaz+eng", memory=memory) == "eng"
    for _ in range(3):  # a mixed document: every page is probed
        assert ocr.page_languages(_page(RUSSIAN), 150.0, "rus+kaz+eng", memory=memory) == "rus+kaz+eng"
    assert not memory.settled()
    assert len([m for m in probed if m == "eng"]) >= 4


def test_the_scan_step_imports_no_image_library_for_a_text_only_pdf() -> None:
    """OpenCV and NumPy are loaded only for pages with pictures (a text-only PDF needs neither)."""
    import subprocess
    import sys

    code = "import sys, verification.scans.step; print('cv2' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3])
    assert out.stdout.strip() == "False False"
