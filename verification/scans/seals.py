"""Seal (печать / мөр) detection by classical computer vision, colour-blind.

Work happens at 100 dpi on an ink mask taken from the darkest channel, so a blue, violet or black
stamp on a colour or grey scan looks the same. Candidates come from Hough circles, elliptical and
rectangular holes in the ink, and coloured blobs; each is then *verified* by the structure every
office stamp has and a logo or a chart has not:

* round / oval: a closed outer ring (ink on ≥ 70 % of the ellipse) and a **ring of text** inside
  it — many short ink runs around the circle (≥ 30 on/off changes over 180 directions on the busiest circle
  through the text band) with a
  moderate fill. A pie chart is filled or cut by a few radii; a logo disc is solid; a ring with an
  emblem has a few long runs.
* rectangular: a **double frame** (two parallel closed outlines), text inside, and sides that do not
  continue past the corners (a table cell's do).

Text or a signature crossing the stamp only adds ink, which none of these tests punish.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cv2
import numpy as np

from verification.scans.prepare import at_dpi, darkest_channel

__all__ = ["WORK_DPI", "SealDetection", "detect_seals"]

WORK_DPI = 100.0


@dataclass(frozen=True)
class SealDetection:
    bbox: tuple[int, int, int, int]  # pixels at 300 dpi
    confidence: float
    kind: str  # round | oval | rectangular
    features: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class _Ellipse:
    cx: float
    cy: float
    a: float  # semi-axis along angle
    b: float
    angle: float  # radians


def _masks(work: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    darkest = darkest_channel(work)
    adaptive = cv2.adaptiveThreshold(darkest, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 31, 12)
    ink = adaptive | np.where(darkest < 110, 255, 0).astype(np.uint8)
    if work.ndim == 3:
        hsv = cv2.cvtColor(work, cv2.COLOR_RGB2HSV)
        colour = ((hsv[:, :, 1] > 70) & (hsv[:, :, 2] > 40) & (hsv[:, :, 0] >= 95) & (hsv[:, :, 0] <= 165))
        colour_mask = colour.astype(np.uint8) * 255
    else:
        colour_mask = np.zeros_like(darkest)
    return darkest, ink, colour_mask


def _sample(mask: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Whether ``mask`` is set at the points (``xs``, ``ys``), rounded to the nearest pixel; False off the mask.
    (Ufuncs in place and one flat lookup: the same values as ``np.clip(np.round(...))`` and a 2-D index, at a
    third of the time; the ring search calls it thousands of times a page.)"""
    h, w = mask.shape
    xi = np.rint(xs).astype(np.intp)
    yi = np.rint(ys).astype(np.intp)
    np.minimum(np.maximum(xi, 0, out=xi), w - 1, out=xi)
    np.minimum(np.maximum(yi, 0, out=yi), h - 1, out=yi)
    yi *= w
    yi += xi
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    return (np.ascontiguousarray(mask).ravel().take(yi) > 0) & inside


def _ellipse_points(e: _Ellipse, s: float | np.ndarray, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of the ellipse scaled by ``s`` at ``thetas``; with an array of scales, one row per scale (all
    sampled in one call: the same points as one scale at a time, without NumPy's per-call cost)."""
    ca, sa = math.cos(e.angle), math.sin(e.angle)
    s = np.asarray(s, dtype=float)[..., None] if np.ndim(s) else s
    x = e.a * s * np.cos(thetas)
    y = e.b * s * np.sin(thetas)
    return e.cx + x * ca - y * sa, e.cy + x * sa + y * ca


_THETAS = np.linspace(0, 2 * np.pi, 180, endpoint=False)
_RING_SCALES = np.arange(0.84, 1.201, 0.02)
_RADIAL = np.linspace(0.6, 0.86, 12)


def _verify_ellipse(e: _Ellipse, ink: np.ndarray, ink_dil: np.ndarray) -> tuple[float, _Ellipse, dict[str, float]]:
    best_s, best_cov = 1.0, 0.0
    covs = _sample(ink_dil, *_ellipse_points(e, _RING_SCALES, _THETAS)).mean(axis=1)
    for s, cov in zip(_RING_SCALES, covs.tolist(), strict=True):
        if cov > best_cov + 0.02 or (cov >= best_cov - 0.02 and cov >= 0.8 and s > best_s):
            best_s, best_cov = s, cov
    e = _Ellipse(e.cx, e.cy, e.a * best_s, e.b * best_s, e.angle)
    # a ring is a line: just outside it there is much less ink (dense text has ink everywhere)
    outside = float(_sample(ink_dil, *_ellipse_points(e, 1.12, _THETAS)).mean())
    feats = {"ring": best_cov, "outside": outside}
    if best_cov < 0.7 or best_cov - outside < 0.3:
        return 0.0, e, feats
    hits = _sample(ink, *_ellipse_points(e, _RADIAL, _THETAS))  # (12, 180)
    fill = float(hits.mean())
    per_angle = hits.any(axis=0)
    frac = float(per_angle.mean())
    # letters cut every circle through the text band many times; take the busiest circle
    transitions = int(max(np.count_nonzero(row != np.roll(row, 1)) for row in hits))
    # text is also "busy" along the radius (letters), unlike a chart's straight radii
    radial_changes = float(np.count_nonzero(hits[1:] != hits[:-1], axis=0).mean())
    feats.update(fill=fill, frac=frac, transitions=float(transitions), radial=radial_changes)
    if not (0.06 <= fill <= 0.5 and 0.3 <= frac and transitions >= 30 and radial_changes >= 0.6):
        return 0.0, e, feats
    conf = 0.35 * min(1.0, best_cov / 0.9) + 0.35 * min(1.0, transitions / 60) + 0.3 * min(1.0, frac / 0.6)
    return float(min(conf, 0.99)), e, feats


_REFINE_STEPS = np.linspace(-0.3, 0.3, 7)
_REFINE_SCALES = np.arange(0.75, 1.71, 0.05)


def _refine_circle(e: _Ellipse, ink_dil: np.ndarray) -> _Ellipse | None:
    """A better-centred circle near a Hough proposal, or None when none looks like a ring.

    Hough's centre is often off by a fifth of the radius on a seal crossed by a signature and text (and it
    moves with the page's resolution), so its ring is only half on the ink; the ring of a stamp is the
    circle with much more ink on it than just outside it. Searched: centre within ±0.3 r, radius 0.75–1.7 r (Hough often takes the inner ring).
    """
    thetas = _THETAS[::2]
    cos, sin = np.cos(thetas), np.sin(thetas)
    r = e.a
    dx, dy, sc = np.meshgrid(_REFINE_STEPS * r, _REFINE_STEPS * r, _REFINE_SCALES, indexing="ij")
    dx, dy, sc = dx.reshape(-1, 1), dy.reshape(-1, 1), sc.reshape(-1, 1)
    xs, ys = e.cx + dx + r * sc * cos, e.cy + dy + r * sc * sin
    on = _sample(ink_dil, xs, ys).mean(axis=1)
    out = _sample(ink_dil, e.cx + dx + r * sc * 1.12 * cos, e.cy + dy + r * sc * 1.12 * sin).mean(axis=1)
    score = on - out
    i = int(np.argmax(score))
    # only a clean ring: measured on the tuning part, moved circles on stamps had ≥ 0.93 of the ring on ink
    # and ≤ 0.11 just outside it; on dense typewritten text ≤ 0.92 and ≥ 0.26
    if on[i] < 0.88 or out[i] > 0.2:
        return None
    return _Ellipse(e.cx + float(dx[i, 0]), e.cy + float(dy[i, 0]), r * float(sc[i, 0]), r * float(sc[i, 0]), 0.0)


def _rect_coverage(mask: np.ndarray, cx: float, cy: float, w: float, h: float, ang: float, d: float) -> float:
    ww, hh = w / 2 + d, h / 2 + d
    if ww <= 2 or hh <= 2:
        return 0.0
    n = 120
    t = np.linspace(-1, 1, n)
    xs = np.concatenate([t * ww, t * ww, np.full(n, -ww), np.full(n, ww)])
    ys = np.concatenate([np.full(n, -hh), np.full(n, hh), t * hh, t * hh])
    ca, sa = math.cos(ang), math.sin(ang)
    return float(_sample(mask, cx + xs * ca - ys * sa, cy + xs * sa + ys * ca).mean())


def _verify_rect(rect: tuple[tuple[float, float], tuple[float, float], float], ink: np.ndarray,
                 ink_dil: np.ndarray) -> tuple[float, tuple[float, float, float, float, float], dict[str, float]]:
    (cx, cy), (w, h), ang_deg = rect
    ang = math.radians(ang_deg)
    profile = [(d, _rect_coverage(ink, cx, cy, w, h, ang, d)) for d in range(-14, 13)]
    peaks = [d for d, c in profile if c >= 0.7]
    feats: dict[str, float] = {"peak": max(c for _, c in profile)}
    if not peaks:
        return 0.0, (cx, cy, w, h, ang), feats
    # two frames: two runs of high coverage with a gap between them
    groups: list[list[int]] = []
    for d in peaks:
        if groups and d - groups[-1][-1] <= 1:
            groups[-1].append(d)
        else:
            groups.append([d])
    gaps = [g2[0] - g1[-1] for g1, g2 in itertools.pairwise(groups)]
    feats["frames"] = float(len(groups))
    if len(groups) < 2 or not any(2 <= g <= 12 for g in gaps):
        return 0.0, (cx, cy, w, h, ang), feats
    outer = max(groups[-1])
    inner = min(groups[0])
    # sides must stop at the corners (a table's lines go on)
    ext = []
    for k in (10, 16, 22):
        ext.append(_rect_coverage(ink_dil, cx, cy, w + 2 * (outer + k), h + 2 * (outer + k), ang, 0))
    feats["outside"] = float(max(ext))
    # text inside the inner frame, but not a grid
    iw, ih = w / 2 + inner - 5, h / 2 + inner - 5
    if iw < 10 or ih < 8:
        return 0.0, (cx, cy, w, h, ang), feats
    ys, xs = np.mgrid[-ih:ih:3, -iw:iw:3]
    ca, sa = math.cos(ang), math.sin(ang)
    inside = _sample(ink, cx + xs * ca - ys * sa, cy + xs * sa + ys * ca)
    fill = float(inside.mean())
    long_rows = float((inside.mean(axis=1) > 0.8).mean())
    feats.update(fill=fill, long_rows=long_rows)
    if feats["outside"] > 0.45 or not (0.03 <= fill <= 0.4) or long_rows > 0.05:
        return 0.0, (cx, cy, w, h, ang), feats
    conf = 0.5 + 0.25 * min(1.0, feats["peak"]) + 0.2 * (1 - feats["outside"])
    return float(min(conf, 0.99)), (cx, cy, w + 2 * outer, h + 2 * outer, ang), feats


def _candidates(darkest: np.ndarray, ink: np.ndarray, colour: np.ndarray
                ) -> tuple[list[_Ellipse], list[tuple[tuple[float, float], tuple[float, float], float]]]:
    ellipses: list[_Ellipse] = []
    rects: list[tuple[tuple[float, float], tuple[float, float], float]] = []
    # Hough at 50 dpi: 100× cheaper than at 100 dpi, and the ring is refined during verification
    half = cv2.resize(cv2.GaussianBlur(darkest, (5, 5), 1.5), None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    circles = cv2.HoughCircles(half, cv2.HOUGH_GRADIENT, dp=1, minDist=18, param1=90, param2=25,
                               minRadius=12, maxRadius=58)
    if circles is not None:
        for x, y, r in circles[0][:40]:
            ellipses.append(_Ellipse(float(x) * 2, float(y) * 2, float(r) * 2, float(r) * 2, 0.0))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    sources = []
    if hierarchy is not None:
        sources += [c for c, hch in zip(contours, hierarchy[0], strict=True) if hch[3] >= 0]
    if colour.any():
        blob = cv2.morphologyEx(colour, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        ext, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        sources += list(ext)
    for c in sources:
        area = cv2.contourArea(c)
        if not 2500 <= area <= 60000 or len(c) < 20:
            continue
        x, y, w, h = cv2.boundingRect(c)
        if max(w, h) > 420 or min(w, h) < 45:
            continue
        (ex, ey), (ma, mi), ang = cv2.fitEllipse(c)
        if 0.4 <= min(ma, mi) / max(ma, mi):
            ellipses.append(_Ellipse(ex, ey, ma / 2, mi / 2, math.radians(ang)))
        rect = cv2.minAreaRect(c)
        (rw, rh) = rect[1]
        if rw * rh > 0 and area / (rw * rh) > 0.8:
            rects.append(rect)
    return ellipses, rects


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _contains(big: tuple[float, float, float, float], small: tuple[float, float, float, float]) -> bool:
    cx, cy = (small[0] + small[2]) / 2, (small[1] + small[3]) / 2
    return big[0] <= cx <= big[2] and big[1] <= cy <= big[3]


def detect_seals(rgb: np.ndarray, dpi: float, *, exclude: tuple[tuple[int, int, int, int], ...] | list = (),
                 min_confidence: float = 0.55) -> tuple[list[SealDetection], list[tuple[int, int, int, int]]]:
    """Seals on a page image and the boxes of round graphics that are *not* seals (logos, charts).

    Boxes are in pixels at 300 dpi of the given (already upright) image. A candidate centred inside
    an ``exclude`` box (a QR code: dense modules look like a ring of text to the texture test) is dropped.
    """
    work = at_dpi(rgb, dpi, WORK_DPI, enlarge=True)
    darkest, ink, colour = _masks(work)
    ink_dil = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    ellipses, rects = _candidates(darkest, ink, colour)
    k = 300.0 / WORK_DPI
    found: list[tuple[float, tuple[float, float, float, float], str, dict[str, float]]] = []
    graphics: list[tuple[float, float, float, float]] = []
    for e in ellipses:
        conf, e2, feats = _verify_ellipse(e, ink, ink_dil)
        if conf < min_confidence and e.a == e.b and feats.get("ring", 0) >= 0.5:  # an off-centre Hough circle
            better = _refine_circle(e, ink_dil)
            if better is not None:
                conf2, e3, feats2 = _verify_ellipse(better, ink, ink_dil)
                if conf2 > conf:
                    conf, e2, feats = conf2, e3, feats2
        ca, sa = math.cos(e2.angle), math.sin(e2.angle)
        hw = math.sqrt((e2.a * ca) ** 2 + (e2.b * sa) ** 2)
        hh = math.sqrt((e2.a * sa) ** 2 + (e2.b * ca) ** 2)
        box = (e2.cx - hw, e2.cy - hh, e2.cx + hw, e2.cy + hh)
        if conf >= min_confidence:
            shape = "round" if min(e2.a, e2.b) / max(e2.a, e2.b) > 0.87 else "oval"
            found.append((conf, box, shape, feats))
        elif feats.get("ring", 0) >= 0.8:
            graphics.append(box)
    for r in rects:
        conf, (cx, cy, w, h, ang), feats = _verify_rect(r, ink, ink_dil)
        if conf >= min_confidence:
            pts = cv2.boxPoints(((cx, cy), (w, h), math.degrees(ang)))
            box = (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))
            found.append((conf, box, "rectangular", feats))
    # keep the strongest of overlapping detections; a ring found inside a bigger accepted ring is its inner circle
    if exclude:
        boxes = [tuple(v / k for v in b) for b in exclude]
        found = [f for f in found if not any(_contains(b, f[1]) for b in boxes)]  # type: ignore[arg-type]
    found.sort(key=lambda t: (-(t[1][2] - t[1][0]) * (t[1][3] - t[1][1]) * t[0]))
    kept: list[tuple[float, tuple[float, float, float, float], str, dict[str, float]]] = []
    for cand in found:
        if any(_iou(cand[1], o[1]) > 0.25 or _contains(o[1], cand[1]) for o in kept):
            continue
        kept.append(cand)
    seals = [
        SealDetection(tuple(round(v * k) for v in box), round(conf, 3), shape,  # type: ignore[arg-type]
                      tuple(sorted(feats.items())))
        for conf, box, shape, feats in kept
    ]
    graphic_boxes = [tuple(round(v * k) for v in g) for g in graphics
                     if not any(_iou(g, o[1]) > 0.3 for o in kept)]
    return seals, graphic_boxes  # type: ignore[return-value]
