"""Page preparation: quarter-turn orientation and small-angle deskew, cheap enough to run on every page.

Sideways pages (90/270) are found from projection profiles (text lines make the row profile of an
upright page far more uneven than its column profile); the skew angle by maximising that unevenness
over ±4°. Upside-down pages are caught after OCR by their confidence (see :mod:`page`).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["estimate_skew", "ink_mask", "profile_score", "quarter_turn", "rotate", "to_gray"]


def to_gray(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb


def ink_mask(gray: np.ndarray, block: int = 25, c: int = 12) -> np.ndarray:
    """Binary ink (255) from a grey image: adaptive, so light stamps on grey paper survive."""
    block = block | 1
    adaptive = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, c)
    return adaptive


def profile_score(mask: np.ndarray) -> float:
    rows = mask.sum(axis=1, dtype=np.float64)
    return float(np.var(np.diff(rows)) / (rows.mean() ** 2 + 1e-6))


def _small(gray: np.ndarray, dpi: float, target: float = 75.0) -> np.ndarray:
    f = min(1.0, target / dpi)
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray


def quarter_turn(gray: np.ndarray, dpi: float) -> int:
    """0 if text lines run horizontally, else 90 (the page needs a quarter turn; direction decided later)."""
    m = ink_mask(_small(gray, dpi), 15, 10)
    if min(m.shape) < 16:  # a sliver or a thumbnail: nothing to measure
        return 0
    return 0 if profile_score(m) >= profile_score(m.T) * 0.8 else 90


def estimate_skew(gray: np.ndarray, dpi: float, max_angle: float = 4.0) -> float:
    """Skew angle in degrees (counter-clockwise positive, as cv2) that makes text lines horizontal."""
    m = ink_mask(_small(gray, dpi, 60.0), 15, 10)
    h, w = m.shape
    if min(h, w) < 16 or not m.any():
        return 0.0
    centre = (w / 2, h / 2)

    def score(a: float) -> float:
        rot = cv2.getRotationMatrix2D(centre, a, 1.0)
        return profile_score(cv2.warpAffine(m, rot, (w, h), flags=cv2.INTER_NEAREST))

    coarse = max(np.arange(-max_angle, max_angle + 0.01, 0.5), key=score)
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.125), key=score)
    return float(fine) if abs(fine) >= 0.2 else 0.0


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees counter-clockwise; quarter turns are exact, others fill with white."""
    a = angle % 360
    if a == 0:
        return img
    if a in (90, 180, 270):
        code = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}[int(a)]
        return cv2.rotate(img, code)
    h, w = img.shape[:2]
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(img, rot, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def darkest_channel(img: np.ndarray) -> np.ndarray:
    """Per-pixel darkest channel: blue, violet and black ink all come out dark (cv2: ~10× numpy's min)."""
    if img.ndim == 2:
        return img
    r, g, b = cv2.split(img)
    return cv2.min(cv2.min(r, g), b)
