"""Tesseract OCR: word boxes and confidences of a page.

Pages are read by libtesseract inside this process through tesserocr, built against the system's
libtesseract (``make setup`` builds it from source), so the engine is the very one the ``tesseract``
program runs and reads every page word for word the same. Each page runs in a thread of its own that lets
go of the GIL while tesseract works, so the caller analyses the page (seals, codes, ink) meanwhile; the
engines (one per language set and concurrent page) keep their models loaded for the next page instead of
starting a program and loading rus+kaz+eng for every page. OpenMP is limited to one thread
(``OMP_THREAD_LIMIT=1`` before libtesseract loads): its threads slow down badly when several pages run at
once.

Where tesserocr cannot be imported, or was built against another tesseract than the program (tesserocr's
own wheels bring tesseract 5.5, which reads small scans differently from the 5.3 the detectors were tuned
on: docs/scans.md), the ``tesseract`` program is run as a subprocess instead, with ``OMP_THREAD_LIMIT=1``
and a timeout. Both give the same TSV: every word's box and confidence.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import os
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from verification.scans.loading import TextWord
from verification.scans.prepare import at_dpi
from verification.scans.results import ScriptMemory

__all__ = ["OcrError", "OcrJob", "OcrResult", "available_languages", "page_languages", "program_version",
           "run_ocr", "tessdata_dir", "tesseract_cmd"]

log = logging.getLogger(__name__)


class OcrError(Exception):
    """Tesseract failed or timed out on a page (the page is reported, not the file). ``timed_out``: the page took
    longer than its time (a dense or huge page: the user can help); otherwise the engine itself failed (ours)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


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


def _program(*args: str) -> subprocess.CompletedProcess[str] | None:
    """The tesseract program run with ``args`` (a quick query), or None when it cannot run."""
    try:
        return subprocess.run([tesseract_cmd(), *args], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def available_languages() -> set[str]:
    out = _program("--list-langs")
    return {ln.strip() for ln in out.stdout.splitlines()[1:] if ln.strip()} if out else set()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


class OcrJob:
    """A page's OCR started in the background; :meth:`result` waits for it (other work can run meanwhile)."""

    def __init__(self, gray: np.ndarray, *, languages: str, dpi: int, timeout: float, scale_to_300: float,
                 psm: int) -> None:
        self._scale = scale_to_300
        self._impl: _LibraryRead | _ProgramRead = (
            _LibraryRead(gray, languages, int(dpi), timeout, psm) if _library() is not None
            else _ProgramRead(gray, languages, int(dpi), timeout, psm))

    def result(self) -> OcrResult:
        return parse_tsv(self._impl.tsv(), self._scale)


_TESSEROCR: Any = None
_TESSEROCR_TRIED = False
_ENGINES: dict[str, list[Any]] = {}  # idle engines by language set, each with its models loaded
_ENGINES_LOCK = threading.Lock()
_LIBRARY_LOCK = threading.Lock()


def _library() -> Any:
    """The tesserocr module when it runs the same tesseract as the program, else None (then the program runs)."""
    global _TESSEROCR, _TESSEROCR_TRIED
    with _LIBRARY_LOCK:
        if not _TESSEROCR_TRIED:
            _TESSEROCR = None
            os.environ["OMP_THREAD_LIMIT"] = "1"  # read by libtesseract's OpenMP when it loads: one thread a page
            try:
                import tesserocr
            except ImportError:  # pragma: no cover - tesserocr is a dependency
                tesserocr = None
            if tesserocr is not None:
                runs, program = _first_line(tesserocr.tesseract_version()), program_version()
                if runs == program:
                    _TESSEROCR = tesserocr
                    quiet_leptonica()
                else:
                    log.warning("tesserocr runs %s, the tesseract program is %s: pages are read by the program",
                                runs, program)
            _TESSEROCR_TRIED = True
        return _TESSEROCR


LEPTONICA_SILENT = 6  # L_SEVERITY_NONE


def quiet_leptonica() -> None:
    """Leptonica (libtesseract's image library) writes its complaints straight to this process' stderr
    («Error in pixScanForForeground: invalid box» on some pages; the program's stderr was captured before).
    They say nothing to a user and tesseract carries on: silenced, as the program's were."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5").setMsgSeverity(LEPTONICA_SILENT)
    except (OSError, AttributeError):  # pragma: no cover - another leptonica build: its messages stay
        log.info("leptonica's messages cannot be silenced here")


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0].strip()


def program_version() -> str:
    """«tesseract 5.3.0»: the first line of ``tesseract --version`` ("" when the program cannot run)."""
    out = _program("--version")
    return _first_line(out.stdout or out.stderr) if out else ""


@functools.cache
def tessdata_dir() -> str | None:
    """Where the language models are: ``TESSDATA_PREFIX``, else where the tesseract program finds them."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    out = _program("--list-langs")
    first = _first_line(out.stdout) if out else ""  # List of available languages in "/usr/share/…/tessdata/" (3):
    return first.split('"')[1] if '"' in first else None


def _take_engine(languages: str) -> Any:
    with _ENGINES_LOCK:
        idle = _ENGINES.setdefault(languages, [])
        if idle:
            return idle.pop()
    path = tessdata_dir()
    return _library().PyTessBaseAPI(lang=languages, **({"path": path} if path else {}))


def _give_back(languages: str, engine: Any) -> None:
    engine.Clear()
    with _ENGINES_LOCK:
        _ENGINES[languages].append(engine)


class _LibraryRead:
    """libtesseract (tesserocr) in a thread of its own; the engine goes back to the idle ones afterwards."""

    def __init__(self, gray: np.ndarray, languages: str, dpi: int, timeout: float, psm: int) -> None:
        self._tsv = ""
        self._error: str | None = None
        self._timed_out = False
        self._thread = threading.Thread(target=self._read, args=(np.ascontiguousarray(gray, np.uint8), languages,
                                                                 dpi, timeout, psm),
                                        name="attest-ocr", daemon=True)
        self._thread.start()

    def _read(self, gray: np.ndarray, languages: str, dpi: int, timeout: float, psm: int) -> None:
        try:
            engine = _take_engine(languages)
        except RuntimeError as exc:  # a language's model is missing or unreadable
            self._error = f"tesseract cannot load {languages}: {exc}"
            return
        try:
            h, w = gray.shape
            pixels = gray.tobytes()  # kept alive until the page is read (tesseract does not copy it)
            engine.SetPageSegMode(psm)
            engine.SetImageBytes(pixels, w, h, 1, w)
            engine.SetSourceResolution(dpi)
            started = time.monotonic()
            if engine.Recognize(timeout=int(timeout * 1000)):
                self._tsv = engine.GetTSVText(0)
            elif time.monotonic() - started >= timeout * 0.9:
                self._error, self._timed_out = f"tesseract timed out after {timeout:.0f} s", True
            else:
                self._error = "tesseract could not read the page"
        except RuntimeError as exc:
            self._error = f"tesseract failed: {exc}"[:300]
        finally:
            _give_back(languages, engine)

    def tsv(self) -> str:
        self._thread.join()
        if self._error:
            raise OcrError(self._error, timed_out=self._timed_out)
        return self._tsv


class _ProgramRead:
    """The tesseract program as a subprocess (where tesserocr is missing)."""

    def __init__(self, gray: np.ndarray, languages: str, dpi: int, timeout: float, psm: int) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="attest-ocr-")
        path = os.path.join(self._tmp.name, "page.pgm")  # uncompressed: no PNG encoding cost
        cv2.imwrite(path, gray)
        cmd = [tesseract_cmd(), path, "stdout", "-l", languages, "--psm", str(psm), "--dpi", str(dpi), "tsv"]
        self._timeout = timeout
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
            self._error: str | None = None
        except OSError as exc:
            self._proc, self._error = None, f"tesseract cannot run: {exc}"

    def tsv(self) -> str:
        try:
            if self._proc is None:
                raise OcrError(self._error or "tesseract cannot run")
            try:
                out, err = self._proc.communicate(timeout=self._timeout)
            except subprocess.TimeoutExpired as exc:
                self._proc.kill()
                self._proc.communicate()
                raise OcrError(f"tesseract timed out after {self._timeout:.0f} s", timed_out=True) from exc
            if self._proc.returncode != 0:
                raise OcrError(err.decode("utf-8", "replace")[-300:])
            return out.decode("utf-8", "replace")
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
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)  # the program's header row
    # and the page, block, paragraph and line rows are skipped: only words (level 5) are kept
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


LATIN_MODELS = ("eng",)
"""The Latin-script language models: a page printed in English is read with these alone."""
PROBE_LINES = 3
PROBE_LINE_HEIGHT = (0.006, 0.03)  # of the page's height: a line of print (4-22 pt on A4)
PROBE_LETTERS = 25
PROBE_SHARE = 0.5
PROBE_NOT_LATIN = 0.2
PROBE_WIDTH = 0.6
PROBE_ENLARGE_BELOW = 100.0
PROBE_ENLARGE_TO = 150.0
PROBE_CONFIDENT = 60
_LATIN = re.compile(r"[A-Za-z]")


def text_lines(gray: np.ndarray, n: int = PROBE_LINES) -> list[tuple[int, int]]:
    """The rows (top, bottom) of the page's ``n`` longest lines of print, longest first: bands of inked rows
    between blank ones, of a line's height, not a black bar or a photograph."""
    h = gray.shape[0]
    ink = gray[:, ::2] < 128
    rows = ink.mean(axis=1)
    inked = rows > max(0.002, 0.1 * float(np.percentile(rows, 90)))  # above a fax's speckle between the lines
    lines: list[tuple[float, int, int]] = []  # (columns the line covers, top, bottom)
    top = None
    for y in range(h + 1):
        if y < h and inked[y]:
            top = y if top is None else top
            continue
        if top is not None:
            if PROBE_LINE_HEIGHT[0] * h <= y - top <= PROBE_LINE_HEIGHT[1] * h:
                band = ink[top:y]
                if band.mean() <= 0.35:
                    lines.append((float(band.any(axis=0).mean()), top, y))
            top = None
    return [(y0, y1) for _cover, y0, y1 in sorted(lines, reverse=True)[:n]]


def text_strips(gray: np.ndarray, spans: list[tuple[int, int]] | None = None) -> np.ndarray | None:
    """The lines ``spans`` (else the page's :data:`PROBE_LINES` longest) cut out whole and stacked one under
    another in page order with a white gap; None when there are none."""
    spans = text_lines(gray) if spans is None else spans
    if not spans:
        return None
    h, w = gray.shape[:2]
    pad = max(4, int(0.004 * h))
    parts: list[np.ndarray] = []
    for y0, y1 in sorted(spans):
        parts += [gray[max(0, y0 - pad // 2):min(h, y1 + pad // 2)], np.full((pad, w), 255, np.uint8)]
    return np.ascontiguousarray(np.vstack(parts))


def _latin_letters(strips: np.ndarray, dpi: float, models: str, timeout: float) -> tuple[int, int]:
    """(Latin letters read, of them in words read with confidence) in the strips read by ``models``."""
    probe = OcrJob(strips, languages=models, dpi=int(dpi), timeout=timeout, scale_to_300=1.0, psm=6).result()
    letters = sure = 0
    for word in probe.words:
        n = len(_LATIN.findall(word.text))
        letters += n
        if word.confidence >= PROBE_CONFIDENT:
            sure += n
    return letters, sure


def page_languages(gray: np.ndarray, dpi: float, languages: str, *, timeout: float = 20.0,
                   memory: ScriptMemory | None = None) -> str:
    """The language models to read the page with: the Latin-script ones of ``languages`` alone when the page's
    longest lines read by them come out confident (an English page), else all of ``languages``. Tesseract
    tries every model on each word the first one does not read well, so an English page read with ``eng``
    alone takes half the time of ``rus+kaz+eng``; a Cyrillic page gains little from leaving ``eng`` out (8 %
    on Kazakh office scans) and a poor English scan read by Cyrillic models would lose its words, so those
    keep every model. The longest line is read first: when under :data:`PROBE_NOT_LATIN` of it reads as
    confident Latin (a Russian or Kazakh line), the next two are not read. On a page under
    :data:`PROBE_ENLARGE_BELOW` dpi the lines are enlarged first (tuning part: 40 of the 57 Kacper pages,
    77 dpi, then read as English instead of 27; their findings the same, 1.60 → 1.37 s a page).

    ``memory``: the document's earlier pages (:class:`~verification.scans.results.ScriptMemory`); once they
    settle it as Russian or Kazakh, the page is not probed."""
    models = languages.split("+")
    latin = "+".join(m for m in models if m in LATIN_MODELS)
    if not latin or latin == languages:
        return languages
    if memory is not None and memory.settled():
        return languages
    chosen, verdict = _probe(gray, dpi, languages, latin, timeout)
    if memory is not None:
        memory.note(verdict)
    return chosen


def _probe(gray: np.ndarray, dpi: float, languages: str, latin: str, timeout: float) -> tuple[str, str]:
    """(models, verdict) of :func:`page_languages`' probe; verdict ``latin``, ``not_latin`` (lines were read
    and did not come out as confident Latin) or ``unknown`` (no line of print, or the probe failed)."""
    spans = text_lines(gray)
    letters = sure = 0
    verdict = "unknown"
    try:
        for part in (spans[:1], spans[1:]):
            if not part:
                break
            verdict = "not_latin"
            strips = text_strips(gray, part)
            assert strips is not None
            inked = np.flatnonzero((strips < 128).any(axis=0))
            x0 = int(inked[0]) if inked.size else 0  # from the lines' first ink, at most PROBE_WIDTH of the page
            strips = np.ascontiguousarray(strips[:, max(0, x0 - 8):x0 + int(PROBE_WIDTH * strips.shape[1])])
            at = dpi
            if dpi < PROBE_ENLARGE_BELOW:  # print too small to read even in one line: enlarged first
                at = PROBE_ENLARGE_TO
                strips = cv2.resize(strips, None, fx=at / dpi, fy=at / dpi, interpolation=cv2.INTER_CUBIC)
            more, more_sure = _latin_letters(strips, at, latin, timeout)
            letters, sure = letters + more, sure + more_sure
            if sure >= PROBE_LETTERS and sure >= PROBE_SHARE * letters:
                return latin, "latin"
            if sure < PROBE_NOT_LATIN * max(letters, 1):
                break
    except OcrError:
        verdict = "unknown"
    return languages, verdict


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
