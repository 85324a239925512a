"""Light value types of the scan step, importable without OpenCV or NumPy (a text-only PDF needs neither)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from verification.report import PageFrame

if TYPE_CHECKING:  # pragma: no cover
    from verification.scans.handwriting import SignatureDetection
    from verification.scans.loading import PageInput, TextWord
    from verification.scans.qr import FoundCode
    from verification.scans.seals import SealDetection

__all__ = ["PageResult", "PageSettings", "ScriptMemory", "text_layer_result"]


class ScriptMemory:
    """What the earlier pages of one document were printed in, for the language probe of the next ones
    (``ocr.page_languages``): once :data:`SETTLE_PAGES` pages read as Russian or Kazakh and none as English, the
    rest of the document is read with every model without probing (a page probe costs 0.04–0.12 s of OCR; a
    page read with every model reads the same as before the probe existed, so a later English page is only
    read more slowly, never worse). Shared by the pages of a document, which run in parallel threads."""

    SETTLE_PAGES = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._not_latin = 0
        self._latin = False

    def note(self, verdict: str) -> None:
        """A probed page's verdict: ``latin``, ``not_latin`` or ``unknown`` (no line of print, or the probe failed)."""
        with self._lock:
            if verdict == "latin":
                self._latin = True
            elif verdict == "not_latin":
                self._not_latin += 1

    def settled(self) -> bool:
        with self._lock:
            return not self._latin and self._not_latin >= self.SETTLE_PAGES


@dataclass(frozen=True)
class PageSettings:
    languages: str = "rus+kaz+eng"
    ocr_timeout: float = 90.0
    scripts: ScriptMemory | None = field(default=None, compare=False)  # the document's pages so far


@dataclass(frozen=True)
class PageResult:
    number: int
    text_source: str | None  # "text_layer" | "ocr" | None (no text found)
    lines: tuple[str, ...]
    words: tuple[TextWord, ...]
    seals: tuple[SealDetection, ...] = ()
    signatures: tuple[SignatureDetection, ...] = ()
    codes: tuple[FoundCode, ...] = ()
    phash: str | None = None
    rotation: int = 0
    skew: float = 0.0
    ocr_error: str | None = None  # the engine's own words: a report param and the logs, never a sentence shown
    ocr_confidence: float | None = None
    frame: PageFrame | None = None  # set when the page was flattened, turned or deskewed (its boxes' frame)
    ocr_timed_out: bool = False  # the page took too long; otherwise an OCR error is the engine's, not the file's


def text_layer_result(page: PageInput) -> PageResult | None:
    """The result of a born-digital page with no pictures (nothing to look at), else None."""
    if page.image is not None or page.meta.get("thumb") is not None:
        return None
    return PageResult(page.number, "text_layer", page.text_lines or (), page.text_words)
