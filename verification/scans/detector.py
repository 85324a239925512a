"""A small learned seal / handwritten-signature net (ONNX, run with ONNX Runtime on CPU) and how its
output is combined with the classical detectors.

The page is stretched to ``INPUT × INPUT`` pixels (about 50 dpi on A4) as two channels: the darkest
RGB channel inverted (ink of any colour is bright) and the chroma (max − min of RGB: blue or violet
ink; zero on grey and black-and-white scans). A fully convolutional net (``scripts/train_detector.py``,
≈ 0.23 M parameters, 0.94 MB) gives, at stride 4, one probability map per class of the *core* (central
``CORE`` share) of each object's box. :func:`detect` turns the maps into boxes (one per connected region);
:func:`combine` is what the page analysis uses: measured on the tuning part of the real scans, the
net is not yet a better detector than the classical ones, but its signature map is a good judge of
the classical signature candidates (see :func:`combine`).

Confidence bands (``UNCERTAIN``): below the lower bound a finding is dropped; between the bounds it is
uncertain (the check asks a person to look at the region); at or above the upper bound it is confident.
Signatures: the net's probability, bands from the tuning part (docs/scans.md). Seals: the classical
verifier's score.

The weights are package data (``models/detector.onnx``); nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from verification.report import UNCERTAIN, is_uncertain

if TYPE_CHECKING:  # pragma: no cover - OpenCV/NumPy stay lazy
    import numpy as np

    from verification.scans.handwriting import SignatureDetection
    from verification.scans.seals import SealDetection

__all__ = ["CLASSES", "CORE", "INPUT", "MODEL_PATH", "STRIDE", "Detection", "available",
           "combine", "decode", "detect", "encode_page", "is_uncertain"]

INPUT = 448
STRIDE = 4
CORE = 0.5
CLASSES = ("seal", "signature")
MODEL_PATH = Path(__file__).resolve().parent / "models" / "detector.onnx"

_SESSION = None
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Detection:
    cls: str  # "seal" | "signature"
    bbox: tuple[float, float, float, float]  # pixels of the image given to :func:`detect`
    confidence: float

    @property
    def uncertain(self) -> bool:
        return is_uncertain(self.cls, self.confidence)


def encode_page(rgb: np.ndarray, size: int = INPUT) -> np.ndarray:
    """(2, size, size) float32 in [0, 1]: inverted darkest channel and chroma of the stretched page."""
    import cv2
    import numpy as np

    small = cv2.resize(rgb, (size, size), interpolation=cv2.INTER_AREA)
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    lo = small.min(axis=2)
    hi = small.max(axis=2)
    ink = 1.0 - lo.astype(np.float32) / 255.0
    chroma = (hi.astype(np.float32) - lo.astype(np.float32)) / 255.0
    return np.stack([ink, chroma])


def decode(prob: np.ndarray, threshold: float | None = None) -> list[tuple[int, tuple[float, float, float, float], float]]:
    """Findings from a (classes, H, W) probability map: (class index, box in map cells, confidence)."""
    import cv2
    import numpy as np

    out = []
    for c in range(prob.shape[0]):
        thr = UNCERTAIN[CLASSES[c]][0] if threshold is None else threshold
        mask = (prob[c] >= thr).astype(np.uint8)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, w, h, area = stats[i]
            if area < 2:
                continue
            conf = float(prob[c][labels == i].max())
            cx, cy = x + w / 2, y + h / 2
            hw, hh = w / (2 * CORE), h / (2 * CORE)
            out.append((c, (cx - hw, cy - hh, cx + hw, cy + hh), conf))
    return out


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


def available() -> bool:
    return MODEL_PATH.exists()


def detect(rgb: np.ndarray) -> list[Detection]:
    """Seals and signatures on a page image; boxes in that image's pixels, clipped to it."""
    import numpy as np

    h, w = rgb.shape[:2]
    x = encode_page(rgb)[None]
    logits = _session().run(None, {"page": x})[0][0]
    prob = 1.0 / (1.0 + np.exp(-logits))
    sx, sy = w / prob.shape[2], h / prob.shape[1]
    found = []
    for c, (x0, y0, x1, y1), conf in decode(prob):
        box = (max(0.0, x0 * sx), max(0.0, y0 * sy), min(float(w), x1 * sx), min(float(h), y1 * sy))
        found.append(Detection(CLASSES[c], box, round(conf, 3)))
    return found


def _iou(a: Sequence[float], b: Sequence[float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _box_score(prob: np.ndarray, box: Sequence[float], scale: float) -> float:
    """Highest probability of a map ``prob`` (H, W at stride ``scale`` pixels) inside ``box`` (pixels)."""
    h, w = prob.shape
    x0, y0 = max(0, int(box[0] / scale)), max(0, int(box[1] / scale))
    x1, y1 = min(w, int(-(-box[2] // scale))), min(h, int(-(-box[3] // scale)))
    if x1 <= x0 or y1 <= y0:
        return 0.0
    return float(prob[y0:y1, x0:x1].max())


def probabilities(rgb: np.ndarray) -> np.ndarray:
    """The net's (classes, INPUT / STRIDE, INPUT / STRIDE) probability maps of a page image."""
    import numpy as np

    logits = _session().run(None, {"page": encode_page(rgb)[None]})[0][0]
    return 1.0 / (1.0 + np.exp(-logits))


SIGNATURE_DROP = UNCERTAIN["signature"][0]


def combine(rgb: np.ndarray, dpi: float, seals: Sequence[SealDetection], signatures: Sequence[SignatureDetection],
            ) -> tuple[list[SealDetection], list[SignatureDetection]]:
    """The page's findings: classical proposals, re-scored by the net where it wins on the tuning part.

    Measured on the tuning part of the real scans (``bench/scan_eval.py --detectors-only`` and the
    re-scoring study in docs/scans.md): the classical seal verifier beats this net on seals (box F1 ≈ 0.96 vs
    0.36), so seals stay classical; classical signature candidates are mostly printed text and handwritten
    dates on real scans (precision ≈ 0.3), and the net's signature probability inside a candidate's box
    separates them: a candidate's confidence becomes that probability, and one under the lower band is dropped.
    A candidate beside a signature label in Russian or Kazakh («Подпись», «Қолы», «М.П.», the head's position)
    keeps at least the confident band: the net learnt signatures mostly from English letters and specimen
    sheets and cannot read that label, and a stroke shaped like handwriting where the form asks for a
    signature is a signature (our own sample programmes scored 0.27 without this).
    Without the model file the classical findings are returned unchanged.
    """
    if not available() or not signatures:
        return list(seals), list(signatures)
    from verification.scans.handwriting import SignatureDetection

    prob = probabilities(rgb)[CLASSES.index("signature")]
    h, w = rgb.shape[:2]
    k = 300.0 / dpi  # boxes are at 300 dpi of ``rgb``
    scale_x, scale_y = w * k / prob.shape[1], h * k / prob.shape[0]
    out: list[SignatureDetection] = []
    for s in signatures:
        box = (s.bbox[0] / scale_x, s.bbox[1] / scale_y, s.bbox[2] / scale_x, s.bbox[3] / scale_y)
        score = round(_box_score(prob, box, 1.0), 3)
        if s.by_label:
            score = max(score, UNCERTAIN["signature"][1])
        if score >= SIGNATURE_DROP:
            out.append(SignatureDetection(s.bbox, score, s.by_label))
    return list(seals), out
