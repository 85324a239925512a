"""The learned judge of handwritten-signature candidates (ONNX, run with ONNX Runtime on CPU) and how it is
combined with the classical detectors.

The classical grouping (``handwriting.py``) proposes signature candidates: strokes left after OCR words,
ruled lines, seals and QR codes are removed. On real scans most candidates are printed words OCR missed,
stamp text, handwritten dates and initials. A small convolutional net looks at each candidate closely —
a ``CROP_H × CROP_W`` crop of the page around its box (:func:`crop_page`), two channels: the darkest RGB
channel inverted (ink of any colour is bright) and the chroma (blue or violet ink; zero on grey and
black-and-white scans) — and gives the probability that it is a handwritten signature. That probability
is the candidate's confidence (:func:`rescore`). Trained by ``scripts/train_signature_crops.py`` on the
candidates the pipeline proposed on the tuning part of the real scans and on generated pages.

Confidence bands (``verification.report.UNCERTAIN["signature"]``): below the lower bound a candidate is
dropped; between the bounds it is uncertain (the check asks a person to look at the region); at or above
the upper bound it is confident. Seals stay the classical verifier's (``seals.py``): it wins there.

The weights are package data (``models/signature_crops.onnx``, 0.4 MB); nothing is downloaded at run time.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from verification.report import UNCERTAIN, is_uncertain

if TYPE_CHECKING:  # pragma: no cover - OpenCV/NumPy stay lazy
    import numpy as np

    from verification.scans.handwriting import SignatureDetection
    from verification.scans.loading import TextWord
    from verification.scans.seals import SealDetection

__all__ = ["CROP_H", "CROP_W", "MODEL_PATH", "available", "combine", "crop_page", "encode_crop",
           "is_uncertain", "join_pieces", "margin_notes", "rescore", "signature_probabilities", "signed_page_doubts"]

CROP_H, CROP_W = 64, 192  # a candidate's crop: 3:1, with a margin of context around its box
CROP_MARGIN = 0.2
MODEL_PATH = Path(__file__).resolve().parent / "models" / "signature_crops.onnx"

_SESSION = None
_LOCK = threading.Lock()


def crop_page(rgb: np.ndarray, dpi: float, bbox: Sequence[float]) -> np.ndarray:
    """(CROP_H, CROP_W, 3) uint8: the candidate's box (pixels at 300 dpi of ``rgb`` at ``dpi``) with a margin
    of context on every side, widened or heightened to 3:1 around its centre, outside the page white."""
    import cv2
    import numpy as np

    k = dpi / 300.0
    x0, y0, x1, y1 = (v * k for v in bbox)
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    cw, ch = w * (1 + 2 * CROP_MARGIN) + 2, h * (1 + 2 * CROP_MARGIN) + 2
    if cw < ch * CROP_W / CROP_H:
        cw = ch * CROP_W / CROP_H
    else:
        ch = cw * CROP_H / CROP_W
    s = CROP_W / cw
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    m = np.array([[s, 0, CROP_W / 2 - s * cx], [0, s, CROP_H / 2 - s * cy]], np.float32)
    img = rgb if rgb.ndim == 3 else cv2.cvtColor(rgb, cv2.COLOR_GRAY2RGB)
    return cv2.warpAffine(img, m, (CROP_W, CROP_H), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                          borderValue=(255, 255, 255))


def encode_crop(crop: np.ndarray) -> np.ndarray:
    """(2, CROP_H, CROP_W) float32 in [0, 1]: inverted darkest channel and chroma of a :func:`crop_page` crop."""
    import numpy as np

    lo = crop.min(axis=2).astype(np.float32)
    hi = crop.max(axis=2).astype(np.float32)
    return np.stack([1.0 - lo / 255.0, (hi - lo) / 255.0])


def available() -> bool:
    return MODEL_PATH.exists()


def _session():  # type: ignore[no-untyped-def]
    global _SESSION
    with _LOCK:
        if _SESSION is None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1  # pages run in parallel workers; one thread each
            opts.inter_op_num_threads = 1
            _SESSION = ort.InferenceSession(str(MODEL_PATH), opts, providers=["CPUExecutionProvider"])
        return _SESSION


def signature_probabilities(crops: Sequence[np.ndarray]) -> list[float]:
    """The net's signature probability of each :func:`crop_page` crop."""
    import numpy as np

    if not crops:
        return []
    x = np.stack([encode_crop(c) for c in crops])
    logits = _session().run(None, {"crop": x})[0].reshape(-1)
    return [float(v) for v in 1.0 / (1.0 + np.exp(-logits))]


def combine(rgb: np.ndarray, dpi: float, seals: Sequence[SealDetection], signatures: Sequence[SignatureDetection],
            words: Sequence[TextWord] = ()) -> tuple[list[SealDetection], list[SignatureDetection]]:
    """The page's findings: the classical seals, and the classical signature candidates judged by the net.

    Measured on the validation families of the tuning part of the real scans (docs/scans.md): classical
    candidates alone are right about half the time; judged by the net, confident boxes are right ≈ 80 % of
    the time. Without the model file the classical findings are returned unchanged. ``words`` (the page's OCR
    or text-layer words, boxes at 300 dpi) tell a note in the top margin from the signature (:func:`margin_notes`).
    """
    if not available() or not signatures:
        return list(seals), list(signatures)
    scores = signature_probabilities([crop_page(rgb, dpi, s.bbox) for s in signatures])
    return list(seals), margin_notes(rescore(signatures, scores), words)


def rescore(signatures: Sequence[SignatureDetection], scores: Sequence[float]) -> list[SignatureDetection]:
    """Candidates with the net's ``scores`` as their confidence; under the lower band dropped (but see
    :data:`KEEP_FLOOR`).

    A candidate beside a signature label in Russian or Kazakh («Подпись», «Қолы», «М.П.», the head's
    position, read by OCR) keeps at least the confident band: a stroke shaped like handwriting where the
    form asks for a signature is a signature, whatever the net makes of its crop.
    (Apart from :func:`combine` so that ``bench/scan_eval.py --replay`` scores recorded pages exactly.)
    """
    from verification.scans.handwriting import SignatureDetection

    drop, sure = UNCERTAIN["signature"]
    judged = []
    for s, p in zip(signatures, scores, strict=True):
        score = round(p, 3)
        if s.by_label:
            score = max(score, sure)
        if s.in_seal:  # the stamp's print crosses it: never a confident signature, a region to look at
            score = min(score, IN_SEAL_CEILING)
        judged.append(SignatureDetection(s.bbox, score, s.by_label, s.in_seal))
    out = [s for s in judged if s.confidence >= drop]
    if not out and judged:  # never "no signature" while ink shaped like one is there: a person looks
        best = max(judged, key=lambda s: s.confidence)
        if best.confidence >= KEEP_FLOOR:
            out = [best]
    return signed_page_doubts(join_pieces(out), sure)


JOIN_GAP = 1.0
"""Findings (after the net) are pieces of one signature when they are side by side on one line and the gap
between them is at most this many times the taller one's height (``handwriting.join_line_pieces``)."""


def join_pieces(found: Sequence[SignatureDetection]) -> list[SignatureDetection]:
    """Findings side by side on one line, close together, as one finding: a signature whose strokes the
    grouping split (a first name and a surname written apart, a flourish) is one signature, boxed whole.

    The joined box takes the higher confidence. A piece inside a seal joins only pieces inside a seal (a
    stamp's lettering beside a signature is not part of it; on the tuning part joining them lost two
    specimen-sheet signatures). Measured on the tuning part of the real scans (replay of
    the recorded candidates): box F1 0.748 → 0.764 on the validation families, 0.822 → 0.836 on the
    training ones; looser joins (gap 1.5–2.5 heights, or joining candidates the net dropped) merged the
    neighbouring signatures of the specimen sheets. (Candidates nearer than half a height are joined
    already before the net: ``handwriting.CANDIDATE_JOIN_GAP``.)
    """
    from verification.scans.handwriting import join_line_pieces

    return join_line_pieces(found, JOIN_GAP)


def signed_page_doubts(found: Sequence[SignatureDetection], sure: float) -> list[SignatureDetection]:
    """On a page with a confident signature, an uncertain finding is kept only where it lies across a seal.

    Elsewhere on such a page an uncertain finding changes no verdict (the check passes on the confident one)
    and was almost always something else: on the tuning part of the real scans (replay of the recorded
    candidates) they were handwritten salutations, initials, dates, filing notes, letterhead script — of the
    74 uncertain findings 59 were wrong. Leaving them out: box F1 0.786 → 0.864 on the validation families,
    0.833 → 0.857 on the training ones (one right box of 340 lost: a second signer scored uncertain). A page
    without a confident signature keeps every uncertain finding: there they are what a person must look at.
    """
    if not any(s.confidence >= sure for s in found):
        return list(found)
    return [s for s in found if s.confidence >= sure or s.in_seal]


IN_SEAL_CEILING = 0.49
"""A candidate mostly inside a seal is at most uncertain (under the confident band's 0.5): on the tuning part
the net scored signatures written across a stamp and the stamps' own centre lettering and emblems alike
(0.65–1.00 for both on the specimen sheets and Kazakh office scans), so a person looks at the region."""

KEEP_FLOOR = 0.02
"""The best candidate of a page whose candidates all fall under the lower band is still kept, as an
uncertain finding, when the net gives it at least this: the check then asks a person instead of saying
the signature is missing."""


MARGIN_NOTE_ABOVE = 0.12
"""A finding with less than this share of the page's print above its middle is in the top margin…"""
MARGIN_NOTE_WORDS = 30
"""…on a page with at least this many words of print (a letter, an order; not a specimen sheet)."""
_APPROVAL = re.compile(r"утвержд|бекит|согласов|келисил")  # folded: «і» reads «и»
"""An approval block («УТВЕРЖДАЮ», «БЕКІТЕМІН», «СОГЛАСОВАНО», «КЕЛІСІЛДІ»): there the head signs at the top."""


def margin_notes(found: Sequence[SignatureDetection], words: Sequence[TextWord]) -> list[SignatureDetection]:
    """A finding in the top margin of a page of print, above a confident finding, is a note: left out.

    The signature of a letter, an order or a protocol stands under its text; handwriting above nearly all
    of it (under :data:`MARGIN_NOTE_ABOVE` of the words OCR read confidently) on a page that also has a
    confident finding lower down is a filing note, initials, a date or a reference written in the margin.
    Kept all the same: a finding beside a signature label or a head's position (``by_label``), one across a
    seal, and every finding on a page with an approval block, where the head signs at the top.
    Measured on the tuning part (``--replay --proposals``; box F1, validation / training families): pages as
    stored 0.909 → 0.938 / 0.897 → 0.898, with the Tobacco800 letters in their paper's proportions
    (``scripts/restore_realscans_aspect.py``) 0.815 → 0.855 / 0.858 → 0.865; one right box lost on each (a
    second letter's signature at the top of a page); any share from 0.05 to 0.25 gives the same or nearly.
    """
    from verification.fields.text import fold
    from verification.scans.handwriting import is_print_word

    if len(found) < 2:  # a note is left out only above another, confident finding
        return list(found)
    sure = UNCERTAIN["signature"][1]
    mids = sorted((w.bbox[1] + w.bbox[3]) / 2 for w in words if is_print_word(w))
    if len(mids) < MARGIN_NOTE_WORDS or any(_APPROVAL.search(fold(w.text)) for w in words):
        return list(found)
    out = []
    for s in found:
        middle = (s.bbox[1] + s.bbox[3]) / 2
        lower = any(o is not s and o.confidence >= sure and (o.bbox[1] + o.bbox[3]) / 2 > s.bbox[3] for o in found)
        if (lower and not s.by_label and not s.in_seal
                and bisect.bisect_left(mids, middle) < MARGIN_NOTE_ABOVE * len(mids)):
            continue
        out.append(s)
    return out
