"""Light value types of the scan step, importable without OpenCV or NumPy (a text-only PDF needs neither)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from verification.report import PageFrame

if TYPE_CHECKING:  # pragma: no cover
    from verification.scans.handwriting import SignatureDetection
    from verification.scans.loading import PageInput, TextWord
    from verification.scans.qr import FoundCode
    from verification.scans.seals import SealDetection

__all__ = ["PageResult", "PageSettings", "text_layer_result"]


@dataclass(frozen=True)
class PageSettings:
    languages: str = "rus+kaz+eng"
    ocr_timeout: float = 90.0


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
