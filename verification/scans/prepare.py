"""Page preparation: a phone photo's sheet flattened, quarter-turn orientation and small-angle deskew,
cheap enough to run on every page.

A phone photo shows the sheet as a bright quadrilateral on a darker background: it is found on a
~1000 px copy (largest bright region, its four sides fitted as lines), warped to a flat page of A4
proportions and its lighting evened out (divided by a blurred estimate of the bare paper). A flat scan
has no such quadrilateral and is left untouched.

Sideways pages (90/270) are found from projection profiles (text lines make the row profile of an
upright page far more uneven than its column profile); the skew angle by maximising that unevenness
over ±4°. Upside-down pages are caught after OCR by their confidence (see :mod:`page`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from verification.report import PageFrame

__all__ = [
    "Sheet",
    "apply_frame",
    "at_dpi",
    "estimate_skew",
    "even_light",
    "find_sheet",
    "flatten_photo",
    "flatten_sheet",
    "frame_of",
    "ink_mask",
    "profile_score",
    "quarter_turn",
    "rotate",
    "to_gray",
]

A4_INCHES = (8.27, 11.69)
_A4_RATIO = A4_INCHES[1] / A4_INCHES[0]


def at_dpi(img: np.ndarray, dpi: float, target: float, *, enlarge: bool = False) -> np.ndarray:
    """The image resampled from ``dpi`` to ``target`` dpi (area interpolation); reduced only, unless
    ``enlarge``; within 1 % it is left as it is. A reduction by a whole number (300 → 150, 100, 75, 60
    dpi) is made exactly by that number: OpenCV's integer path is 5-10× faster than the general one that
    a factor like 150 / 299.99999 falls into, and the result is at most 0.5 % off ``target``."""
    f = target / dpi
    if abs(f - 1) <= 0.01 or (f > 1 and not enlarge):
        return img
    n = round(1 / f)
    if f < 1 and abs(1 / f - n) <= 0.005 * n:
        f = 1.0 / n
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


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


def quarter_turn(gray: np.ndarray, dpi: float) -> int:
    """0 if text lines run horizontally, else 90 (the page needs a quarter turn; direction decided later)."""
    m = ink_mask(at_dpi(gray, dpi, 75.0), 15, 10)
    if min(m.shape) < 16:  # a sliver or a thumbnail: nothing to measure
        return 0
    return 0 if profile_score(m) >= profile_score(m.T) * 0.8 else 90


SCANNER_DARK = 70
"""Grey level under which a large region at the page's edge is the scanner's lid left open (or a dark table)…"""
SCANNER_DARK_SHARE = 0.02
"""…when it covers at least this share of the page."""
CROOKED_MAX_ANGLE = 15.0
"""How far a page lying crooked on such a background is searched for its skew (an upright page is searched
±4°: a scanner's feeder keeps it within that; a page laid by hand on the glass can lie 10° off)."""


def _touches_edge(stat: np.ndarray, w: int, h: int) -> bool:
    x, y, bw, bh = (int(v) for v in stat[:4])
    return x == 0 or y == 0 or x + bw == w or y + bh == h


def estimate_skew(gray: np.ndarray, dpi: float, max_angle: float = 4.0) -> float:
    """Skew angle in degrees (counter-clockwise positive, as cv2) that makes text lines horizontal.

    Large dark regions (:data:`SCANNER_DARK`, :data:`SCANNER_DARK_SHARE`) are the background of a page laid on
    the glass: their edges would draw the profile to the picture's frame instead of the text, so they are left
    out, and the page is searched :data:`CROOKED_MAX_ANGLE` either way (tobacco800__796, a letter lying 8.6°
    off: 3 words read before, the letter after)."""
    small = at_dpi(gray, dpi, 60.0)
    m = ink_mask(small, 15, 10)
    dark = (small < SCANNER_DARK).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    sh, sw = dark.shape
    background = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= SCANNER_DARK_SHARE * small.size
                  and _touches_edge(stats[i], sw, sh)]  # a black photo or logo inside the page is not it
    if background:
        around = cv2.dilate(np.isin(labels, background).astype(np.uint8), np.ones((7, 7), np.uint8))
        m[around > 0] = 0
        max_angle = max(max_angle, CROOKED_MAX_ANGLE)
    h, w = m.shape
    if min(h, w) < 16 or not m.any():
        return 0.0
    centre = (w / 2, h / 2)
    scores: dict[float, float] = {}  # the fine search's ends and middle are coarse angles already measured

    def score(a: float) -> float:
        a = float(a)
        if a not in scores:
            rot = cv2.getRotationMatrix2D(centre, a, 1.0)
            scores[a] = profile_score(cv2.warpAffine(m, rot, (w, h), flags=cv2.INTER_NEAREST))
        return scores[a]

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


# -- phone photos ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    """The paper in a photo: corners (top-left, top-right, bottom-right, bottom-left) in the photo's
    pixels, and the flat page it becomes (pixels, dpi)."""

    corners: tuple[tuple[float, float], ...]
    size: tuple[int, int]
    dpi: float


def _line_intersection(a: np.ndarray, b: np.ndarray) -> tuple[float, float] | None:
    (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = a, b
    det = vx1 * (-vy2) - vy1 * (-vx2)
    if abs(det) < 1e-6:
        return None
    t = ((x2 - x1) * (-vy2) - (y2 - y1) * (-vx2)) / det
    return float(x1 + t * vx1), float(y1 + t * vy1)


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    c = quad.mean(axis=0)
    ang = np.arctan2(quad[:, 1] - c[1], quad[:, 0] - c[0])
    q = quad[np.argsort(ang)]  # clockwise on screen, starting somewhere
    start = int(np.argmin(q.sum(axis=1)))
    return np.roll(q, -start, axis=0)


def _fit_sides(contour: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """Refine a rough quadrilateral: fit a line to the contour points along each side (away from the
    corners) and intersect neighbouring sides (sub-pixel corners)."""
    pts = contour.reshape(-1, 2).astype(np.float32)
    lines = []
    for k in range(4):
        p, q = quad[k], quad[(k + 1) % 4]
        d = q - p
        length = float(np.hypot(*d))
        if length < 8:
            return None
        u = d / length
        rel = pts - p
        along = rel @ u
        across = np.abs(rel[:, 0] * u[1] - rel[:, 1] * u[0])
        sel = pts[(along > 0.1 * length) & (along < 0.9 * length) & (across < max(3.0, 0.02 * length))]
        if len(sel) < 10:
            return None
        lines.append(cv2.fitLine(sel, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel())
    corners = [_line_intersection(lines[(k - 1) % 4], lines[k]) for k in range(4)]
    if any(c is None for c in corners):
        return None
    return np.array(corners, np.float32)


def _sample(img: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Bilinear samples of a grey image at float coordinates (clamped to the image)."""
    h, w = img.shape
    xs, ys = np.clip(xs, 0, w - 1.001), np.clip(ys, 0, h - 1.001)
    x0, y0 = xs.astype(np.int32), ys.astype(np.int32)
    fx, fy = xs - x0, ys - y0
    a = img[y0, x0] * (1 - fx) + img[y0, x0 + 1] * fx
    b = img[y0 + 1, x0] * (1 - fx) + img[y0 + 1, x0 + 1] * fx
    return a * (1 - fy) + b * fy


def _edge_refine(img: np.ndarray, corners: np.ndarray, reach: float) -> np.ndarray:
    """Each side moved onto the strongest brightness step across it (sub-pixel), within ``reach``
    pixels, and the corners taken again where the fitted sides meet. Reads only the pixels it
    samples (no full-size copy or blur: a 12-megapixel photo costs a few milliseconds)."""
    centre = corners.mean(axis=0)
    offsets = np.arange(-reach, reach + 0.5, 0.5, dtype=np.float32)
    lines = []
    for k in range(4):
        p, q = corners[k], corners[(k + 1) % 4]
        d = q - p
        u = d / max(float(np.hypot(*d)), 1e-6)
        n = np.array([-u[1], u[0]], np.float32)
        if np.dot(centre - p, n) < 0:  # the normal points into the sheet
            n = -n
        found = []
        for t in np.linspace(0.08, 0.92, 48):
            base = p + t * d
            # five parallel profiles, 1.5 px apart along the side, averaged: noise and texture smoothed
            along = np.arange(-3.0, 3.01, 1.5, dtype=np.float32)[:, None]
            xs = base[0] + offsets[None, :] * n[0] + along * u[0]
            ys = base[1] + offsets[None, :] * n[1] + along * u[1]
            prof = _sample(img, xs, ys).mean(axis=0)
            prof = np.convolve(prof, (0.25, 0.5, 0.25), mode="same")
            prof[0], prof[-1] = prof[1], prof[-2]
            grad = np.diff(prof)  # dark table → bright paper: a rise into the sheet
            i = int(np.argmax(grad))
            if grad[i] < 4:
                continue
            shift = 0.0
            if 0 < i < len(grad) - 1:  # parabola through the peak and its neighbours
                den = grad[i - 1] - 2 * grad[i] + grad[i + 1]
                shift = 0.5 * (grad[i - 1] - grad[i + 1]) / den if den else 0.0
            o = (offsets[i] + offsets[i + 1]) / 2 + shift * 0.5
            found.append(base + o * n)
        if len(found) < 12:
            return corners
        lines.append(cv2.fitLine(np.array(found, np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel())
    out = [_line_intersection(lines[(k - 1) % 4], lines[k]) for k in range(4)]
    if any(c is None for c in out):
        return corners
    refined = np.array(out, np.float32)
    return refined if float(np.abs(refined - corners).max()) <= 2 * reach else corners


def _seen_in_perspective(quad: np.ndarray) -> bool:
    """A photographed sheet is foreshortened (opposite sides not parallel) or turned more than a
    scanner would; a scan's bright area inside a dark border or frame is a level rectangle (measured
    on real scans with ornamental borders: sides parallel within 0.2°, photos ≥ 0.7°)."""
    ang = [math.degrees(math.atan2(*(quad[(k + 1) % 4] - quad[k])[::-1])) for k in range(4)]

    def apart(a: float, b: float) -> float:
        return abs((a - b + 180) % 360 - 180)

    keystone = max(apart(ang[0], ang[2] - 180), apart(ang[1], ang[3] - 180))
    turned = apart(ang[0], 0.0)
    return keystone > 0.6 or turned > 5.0


def find_sheet(rgb: np.ndarray, work: int = 1024) -> Sheet | None:
    """The sheet of paper in a photo, or None when there is no confident one (a flat scan, a page
    filling the frame, a sheet without a clear edge against a darker background)."""
    # the green channel: paper against a table shows in any channel, and it costs no colour conversion
    gray = np.ascontiguousarray(rgb[:, :, 1]) if rgb.ndim == 3 else rgb
    h, w = gray.shape
    f = min(1.0, work / max(h, w))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    sh, sw = small.shape
    if min(sh, sw) < 64:
        return None
    blur = cv2.GaussianBlur(small, (5, 5), 0)
    otsu, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    best: np.ndarray | None = None
    for level in (otsu, otsu * 0.85, otsu * 1.1):
        mask = (blur > level).astype(np.uint8) * 255
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)  # text and stamps inside the sheet
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)  # bright specks of the background
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        if not contours:
            continue
        contour = max(contours, key=cv2.contourArea)
        area = cv2.contourArea(contour)
        if not 0.12 * sh * sw <= area <= 0.93 * sh * sw:  # too small to be the page, or the page is the frame
            continue
        hull = cv2.convexHull(contour)
        peri = cv2.arcLength(hull, True)
        quad = None
        for eps in (0.02, 0.03, 0.045, 0.06):
            approx = cv2.approxPolyDP(hull, eps * peri, True)
            if len(approx) == 4:
                quad = approx.reshape(4, 2).astype(np.float32)
                break
        if quad is None or not cv2.isContourConvex(quad.reshape(-1, 1, 2).astype(np.int32)):
            continue
        quad_area = cv2.contourArea(quad)
        if area / max(quad_area, 1.0) < 0.9:  # the bright region does not fill the quadrilateral
            continue
        inside = np.zeros_like(small)
        cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
        ring = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (41, 41))) & ~inside
        if np.count_nonzero(ring) < 0.02 * sh * sw:  # no background around the sheet: a flat scan
            continue
        contrast = float(np.median(blur[inside > 0])) - float(np.median(blur[ring > 0]))
        if contrast < 40:  # the paper is not clearly brighter than what it lies on
            continue
        refined = _fit_sides(contour, _order(quad))
        if refined is None:
            continue
        best = refined
        break  # the first threshold that gives a clean sheet: the others are only for harder light
    if best is None or not _seen_in_perspective(_order(best)):
        return None
    corners = _order(best) / f
    if f < 1:  # a small pixel is several of the photo's: settle each side on the photo's own edge
        corners = _edge_refine(gray, corners, 2.5 / f)
    tl, tr, br, bl = corners
    width = max(np.hypot(*(tr - tl)), np.hypot(*(br - bl)))
    height = max(np.hypot(*(bl - tl)), np.hypot(*(br - tr)))
    ratio = height / max(width, 1.0)
    # a sheet seen at an angle is foreshortened: near A4 proportions, it is A4 (upright or sideways)
    if abs(ratio - _A4_RATIO) < 0.25:
        width = max(width, height / _A4_RATIO)
        height = width * _A4_RATIO
    elif abs(1 / max(ratio, 1e-6) - _A4_RATIO) < 0.25:
        height = max(height, width / _A4_RATIO)
        width = height * _A4_RATIO
    size = (round(width), round(height))
    dpi = min(size) / A4_INCHES[0]
    return Sheet(tuple((float(x), float(y)) for x, y in corners), size, dpi)


def flatten_sheet(img: np.ndarray, corners: tuple[tuple[float, float], ...], size: tuple[int, int]) -> np.ndarray:
    """The sheet warped to a flat ``size`` page (perspective removed)."""
    w, h = size
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(np.array(corners, np.float32), dst)
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=border)


def even_light(img: np.ndarray) -> np.ndarray:
    """Shadows and light gradients removed: each channel divided by its bare-paper estimate (a max
    filter wider than any stroke, then a wide blur, computed at 1/8 size)."""
    h, w = img.shape[:2]
    f = 1 / 8
    small = cv2.resize(img, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    k = max(5, int(min(small.shape[:2]) / 25) | 1)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(img, np.maximum(paper, 1), scale=248)
    return out


def apply_frame(img: np.ndarray, frame: PageFrame) -> np.ndarray:
    """The page the analysis saw (the frame its boxes are in), from the file's own picture of it at any
    scale: the same flattening, lighting, quarter turns and deskew, in the same order."""
    h, w = img.shape[:2]
    if frame.sheet:
        sx, sy = w / frame.source_size[0], h / frame.source_size[1]
        corners = tuple((x * sx, y * sy) for x, y in frame.sheet)
        size = (max(1, round(frame.sheet_size[0] * sx)), max(1, round(frame.sheet_size[1] * sy)))
        img = even_light(flatten_sheet(img, corners, size))
    if frame.rotation:
        img = rotate(img, frame.rotation)
    if frame.skew:
        img = rotate(img, frame.skew)
    return img


def flatten_photo(rgb: np.ndarray, dpi: float) -> tuple[np.ndarray, float, Sheet | None]:
    """A photo's sheet flattened and evenly lit, at the dpi of an A4 page; anything else as it is.

    A picture that is itself an A4 page at its resolution is a scan, whatever it shows (a certificate's
    dark ornamental border would otherwise look like a table around a sheet)."""
    short, long = sorted((rgb.shape[1] / dpi, rgb.shape[0] / dpi))
    if abs(short - A4_INCHES[0]) < 0.2 and abs(long - A4_INCHES[1]) < 0.3:
        return rgb, dpi, None
    sheet = find_sheet(rgb)
    if sheet is None:
        return rgb, dpi, None
    return even_light(flatten_sheet(rgb, sheet.corners, sheet.size)), sheet.dpi, sheet


def frame_of(number: int, source: np.ndarray, sheet: Sheet | None, rotation: int, skew: float,
             page: np.ndarray, dpi: float) -> PageFrame | None:
    """The report's record of how ``source`` became ``page`` (None when it is the same picture)."""
    if sheet is None and not rotation and not skew:
        return None
    return PageFrame(number, (source.shape[1], source.shape[0]),
                     (round(page.shape[1] * 300 / dpi), round(page.shape[0] * 300 / dpi)), rotation % 360, skew,
                     sheet.corners if sheet else None, sheet.size if sheet else None)


def box_to_source(bbox: tuple[int, int, int, int] | list[int], frame: PageFrame) -> tuple[int, int, int, int]:
    """A report box (300-dpi pixels of the analysed page) in the file's own picture: pixels of the
    source (``frame.source_size``), the bounding box of the box's corners taken back through the
    deskew, the quarter turn and the sheet's perspective (to compare with labels drawn on the file)."""
    w300, h300 = frame.size_300
    x0, y0, x1, y1 = (float(v) for v in bbox)
    pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    if frame.skew:  # undo the deskew: the inverse rotation about the page's centre
        m = cv2.invertAffineTransform(cv2.getRotationMatrix2D((w300 / 2, h300 / 2), frame.skew, 1.0))
        pts = pts @ m[:, :2].T + m[:, 2]
    rot = frame.rotation % 360
    pw, ph = (h300, w300) if rot in (90, 270) else (w300, h300)  # the page before its quarter turn
    x, y = pts[:, 0].copy(), pts[:, 1].copy()
    if rot == 90:
        pts = np.stack([pw - y, x], axis=1)
    elif rot == 180:
        pts = np.stack([pw - x, ph - y], axis=1)
    elif rot == 270:
        pts = np.stack([y, ph - x], axis=1)
    sw, sh = frame.source_size
    if frame.sheet and frame.sheet_size:
        fw, fh = frame.sheet_size
        flat = pts * np.array([fw / pw, fh / ph])
        dst = np.array([[0, 0], [fw - 1, 0], [fw - 1, fh - 1], [0, fh - 1]], np.float32)
        m = cv2.getPerspectiveTransform(np.array(frame.sheet, np.float32), dst)
        pts = cv2.perspectiveTransform(flat.reshape(-1, 1, 2).astype(np.float64), np.linalg.inv(m)).reshape(-1, 2)
    else:
        pts = pts * np.array([sw / pw, sh / ph])
    xs, ys = [float(v) for v in pts[:, 0]], [float(v) for v in pts[:, 1]]
    return (round(max(0.0, min(xs))), round(max(0.0, min(ys))), round(min(float(sw), max(xs))),
            round(min(float(sh), max(ys))))
