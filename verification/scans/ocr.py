"""Tesseract OCR: word boxes and confidences, one single-threaded tesseract process per page.

Tesseract is run as a subprocess with ``OMP_THREAD_LIMIT=1`` in its own environment (its OpenMP
threads slow down badly when several pages run at once) and a timeout; the TSV output keeps every
word's box and confidence. The binary is the one pytesseract is configured with.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
from dataclasses import dataclass

import cv2
import numpy as np

from verification.scans.loading import TextWord
from verification.scans.prepare import at_dpi

__all__ = ["OcrError", "OcrJob", "OcrResult", "available_languages", "run_ocr", "tesseract_cmd"]


class OcrError(Exception):
    """Tesseract failed or timed out on a page (the page is reported, not the file)."""


@dataclass(frozen=True)
class OcrResult:
    words: tuple[TextWord, ...]
    lines: tuple[str, ...]

    @property
    def mean_confidence(self) -> float:
        good = [w.confidence for w in self.words if w.confidence >= 0 and len(w.text) > 1]
        return float(np.mean(good)) if good else 0.0

    @property
    def good_words(self) -> int:
        return sum(1 for w in self.words if w.confidence >= 60 and len(w.text) > 2)


def tesseract_cmd() -> str:
    try:
        import pytesseract

        return str(pytesseract.pytesseract.tesseract_cmd)
    except Exception:  # noqa: BLE001  # pragma: no cover - pytesseract is a dependency
        return "tesseract"


def available_languages() -> set[str]:
    try:
        out = subprocess.run([tesseract_cmd(), "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {ln.strip() for ln in out.stdout.splitlines()[1:] if ln.strip()}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


class OcrJob:
    """A tesseract process started on a page; :meth:`result` waits for it (other work can run meanwhile)."""

    def __init__(self, gray: np.ndarray, *, languages: str, dpi: int, timeout: float, scale_to_300: float,
                 psm: int) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="attest-ocr-")
        path = os.path.join(self._tmp.name, "page.pgm")  # uncompressed: no PNG encoding cost
        cv2.imwrite(path, gray)
        cmd = [tesseract_cmd(), path, "stdout", "-l", languages, "--psm", str(psm), "--dpi", str(int(dpi)), "tsv"]
        self._timeout = timeout
        self._scale = scale_to_300
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
            self._error: str | None = None
        except OSError as exc:
            self._proc, self._error = None, f"tesseract cannot run: {exc}"

    def result(self) -> OcrResult:
        try:
            if self._proc is None:
                raise OcrError(self._error or "tesseract cannot run")
            try:
                out, err = self._proc.communicate(timeout=self._timeout)
            except subprocess.TimeoutExpired as exc:
                self._proc.kill()
                self._proc.communicate()
                raise OcrError(f"tesseract timed out after {self._timeout:.0f} s") from exc
            if self._proc.returncode != 0:
                raise OcrError(err.decode("utf-8", "replace")[-300:])
            return parse_tsv(out.decode("utf-8", "replace"), self._scale)
        finally:
            self._tmp.cleanup()


def run_ocr(gray: np.ndarray, *, languages: str = "rus+kaz+eng", dpi: int = 300, timeout: float = 60.0,
            scale_to_300: float = 1.0, psm: int = 3) -> OcrResult:
    """OCR a grey page image; word boxes are returned in pixels at 300 dpi (multiplied by ``scale_to_300``)."""
    return OcrJob(gray, languages=languages, dpi=dpi, timeout=timeout, scale_to_300=scale_to_300,
                  psm=psm).result()


def parse_tsv(tsv: str, scale: float = 1.0) -> OcrResult:
    words: list[TextWord] = []
    lines: dict[tuple[int, int, int], list[str]] = {}
    order: list[tuple[int, int, int]] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(reader, None)
    for row in reader:
        if len(row) < 12 or row[0] != "5":
            continue
        text = row[11].strip()
        if not text:
            continue
        key = (int(row[2]), int(row[3]), int(row[4]))
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append(text)
        x, y, w, h = (int(v) for v in row[6:10])
        words.append(TextWord(text, (int(x * scale), int(y * scale), int((x + w) * scale), int((y + h) * scale)),
                              float(row[10]), len(order) - 1))
    return OcrResult(tuple(words), tuple(" ".join(lines[k]) for k in order))


_OSD: bool | None = None


def osd_rotation(gray: np.ndarray, dpi: float, timeout: float = 20.0) -> int | None:
    """Counter-clockwise quarter turn that makes the page upright, by Tesseract OSD (``--psm 0``).

    ``None`` when the osd traineddata is missing, OSD is unsure, or it fails: the caller falls back
    to trying turns with an OCR confidence probe.
    """
    global _OSD
    if _OSD is None:
        _OSD = "osd" in available_languages()
    if not _OSD:
        return None
    small = at_dpi(gray, dpi, 150.0)
    with tempfile.TemporaryDirectory(prefix="attest-osd-") as tmp:
        path = os.path.join(tmp, "page.pgm")
        cv2.imwrite(path, small)
        try:
            proc = subprocess.run([tesseract_cmd(), path, "stdout", "--psm", "0", "--dpi", str(int(dpi * small.shape[1] / gray.shape[1]))],
                                  capture_output=True, timeout=timeout, env=_env(), check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
    text = proc.stdout.decode("utf-8", "replace")
    rotate = conf = None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Rotate":
            rotate = int(value.strip())
        elif key.strip() == "Orientation confidence":
            conf = float(value.strip())
    if rotate is None or conf is None or conf < 2.0:
        return None
    return (360 - rotate) % 360  # tesseract's "Rotate" is clockwise
