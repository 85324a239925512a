"""Handwritten signature detection: ink that is neither printed text, nor a ruled line, nor a seal.

At 150 dpi: take the ink mask, erase what OCR read as confident words, long straight lines (the
«________» a signature sits on), seals, QR codes and round graphics; group what is left. A signature
is a group with a large *connected* stroke (printed letters are small separate blobs of one height),
thin for its size, a few millimetres tall. A group next to «Подпись», «Қолы», «М.П.» or the head's
position gets more confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from verification.fields.text import fold
from verification.scans.loading import TextWord
from verification.scans.prepare import at_dpi, darkest_channel

__all__ = ["SignatureDetection", "detect_signatures", "is_print_word", "join_line_pieces", "prepare_ink"]

WORK_DPI = 150.0
_LABEL = re.compile(r"подпис|колы|^м\.\s?[по]\.?$|директор|руководител|басшы|заведующ|председател|төраға|торага")


@dataclass(frozen=True)
class SignatureDetection:
    bbox: tuple[int, int, int, int]  # pixels at 300 dpi
    confidence: float
    by_label: bool = False  # beside «Подпись», «Қолы», «М.П.» or a head's position read by OCR
    in_seal: bool = False  # most of it inside a seal: a signature across the stamp, or the stamp's own print


def is_print_word(w: TextWord) -> bool:
    """A word OCR read confidently (≥ 65) with two letters or digits in a row: print, not handwriting."""
    t = w.text.strip()
    return w.confidence >= 65 and len(t) >= 2 and bool(re.search(r"[0-9A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүІі]{2}", t))


WRITTEN_TALL = 3.0
"""A word OCR read that is at least this many times the page's median word height stays in the ink: printed
body text is not that tall, and a signature in plain letters is read as a word (a surname, «Sincerely»).
On the tuning part (replay of the proposals): validation families 1 more signature found, training
families 3 more, one more wrong box."""


def prepare_ink(rgb: np.ndarray, dpi: float) -> np.ndarray:
    """The page's ink at 150 dpi without ruled lines and table borders (no OCR needed: runs during OCR)."""
    work = at_dpi(rgb, dpi, WORK_DPI, enlarge=True)
    darkest = darkest_channel(work)
    ink = cv2.adaptiveThreshold(darkest, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 31, 14)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (45, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 45)))
    return cv2.subtract(ink, cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8)))


SEAL_INSIDE = 0.5
"""Of a round or oval seal only the ring, its lettering and the inner ring (normalised radius from this out)
are taken out of the ink: what lies inside can be a signature written across the stamp. From 0.6 out, the
generated stamps' inner rings and centre lettering came back as candidates (an uncertain finding on 2 of 16
generated pages, 32 of 36 without OCR); from 0.5 out, with :data:`SEAL_SQUARE`, none."""

SEAL_SQUARE = 0.75
"""Ink inside a seal whose box is at least this tall for its width is not proposed: the stamp's emblem (a
star, a coat of arms) or logo. A signature is wider than tall: of the tuning part's labelled signatures,
none of the 21 on Kazakh office pages reaches this (4 of 245 on Tobacco800 letters, 22 of 125 on the
specimen sheets); on the tuning part the rule took stamp centres off and lost no signature."""


def _erase_seal(ink: np.ndarray, box: tuple[int, int, int, int], kind: str, k: float) -> None:
    x0, y0, x1, y1 = (int(v * k) for v in box)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(ink.shape[1], x1), min(ink.shape[0], y1)
    if x1 <= x0 or y1 <= y0:
        return
    if kind == "rectangular":
        ink[y0:y1, x0:x1] = 0
        return
    # the ring band, a little beyond the box too (the box can sit inside the outer rim)
    cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, max((x1 - x0) / 2, 1), max((y1 - y0) / 2, 1)
    m = int(0.12 * max(a, b))
    X0, Y0, X1, Y1 = max(0, x0 - m), max(0, y0 - m), min(ink.shape[1], x1 + m), min(ink.shape[0], y1 + m)
    yy, xx = np.mgrid[Y0:Y1, X0:X1]
    r = np.hypot((xx - cx) / a, (yy - cy) / b)
    sub = ink[Y0:Y1, X0:X1]
    sub[(r >= SEAL_INSIDE) & (r <= 1.12)] = 0


JOIN_OVERLAP = 0.5
"""Two pieces are on one line when their heights overlap by at least this share of the lower one's height…"""
JOIN_MAX_WIDTH = 1500
"""…and they are joined only up to this width together (pixels at 300 dpi, 127 mm: wider than any signature)."""
CANDIDATE_JOIN_GAP = 0.5
"""Candidates on one line with a gap of at most this many times the taller one's height are one candidate
before the net judges them: a signature the grouping cut where its letters are small («Char|les Dan|iels»)
is judged whole, not as pieces the net drops one by one. On the tuning part (replay of the proposals):
validation families box F1 0.879 → 0.902, training ones 0.859 → 0.862; at 0.25 nothing changes, from 1.0
on neighbouring signatures of the specimen sheets merge (0.984 → 0.968 there)."""


def join_line_pieces(found: Sequence[SignatureDetection], gap: float) -> list[SignatureDetection]:
    """Pieces side by side on one line, at most ``gap`` × the taller one's height apart and together at most
    :data:`JOIN_MAX_WIDTH` wide, as one box with the higher confidence; a piece inside a seal joins only pieces
    inside a seal."""
    boxes = [[tuple(s.bbox), s.confidence, s.by_label, s.in_seal] for s in found]
    joined = True
    while joined:
        joined = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                (a0, a1, a2, a3), (b0, b1, b2, b3) = boxes[i][0], boxes[j][0]
                overlap = min(a3, b3) - max(a1, b1)
                apart = max(a0, b0) - min(a2, b2)
                x0, x1 = min(a0, b0), max(a2, b2)
                if (overlap >= JOIN_OVERLAP * min(a3 - a1, b3 - b1) and apart <= gap * max(a3 - a1, b3 - b1)
                        and x1 - x0 <= JOIN_MAX_WIDTH and boxes[i][3] == boxes[j][3]):
                    boxes[i] = [(x0, min(a1, b1), x1, max(a3, b3)), max(boxes[i][1], boxes[j][1]),
                                boxes[i][2] or boxes[j][2], boxes[i][3] and boxes[j][3]]
                    del boxes[j]
                    joined = True
                    break
            if joined:
                break
    return [SignatureDetection(b, c, lab, seal) for b, c, lab, seal in boxes]


def _inside_a_seal(box: tuple[int, int, int, int], seals: Sequence) -> bool:
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1)
    for seal in seals:
        sx0, sy0, sx1, sy1 = seal.bbox
        inter = max(0, min(box[2], sx1) - max(box[0], sx0)) * max(0, min(box[3], sy1) - max(box[1], sy0))
        if inter >= 0.5 * area:
            return True
    return False


def detect_signatures(rgb: np.ndarray | None, dpi: float, words: Sequence[TextWord],
                      exclude: Sequence[tuple[int, int, int, int]] = (), *, min_confidence: float = 0.5,
                      ink: np.ndarray | None = None, seals: Sequence = ()) -> list[SignatureDetection]:
    """Handwritten signatures on an upright page; ``words`` and ``exclude`` boxes are at 300 dpi.

    ``ink`` may be given from :func:`prepare_ink` (computed while OCR runs); it is modified. ``seals``
    (:class:`~verification.scans.seals.SealDetection`): their ring is taken out, their inside kept.
    """
    if ink is None:
        assert rgb is not None
        ink = prepare_ink(rgb, dpi)
    k = WORK_DPI / 300.0
    read = [tuple(int(v * k) for v in word.bbox) for word in words if is_print_word(word)]
    heights = [y1 - y0 for _x0, y0, _x1, y1 in read]
    text_h = float(np.median(heights)) if heights else 20.0 * WORK_DPI / 150
    for x0, y0, x1, y1 in read:
        if y1 - y0 < WRITTEN_TALL * text_h:
            ink[max(0, y0 - 1):y1 + 2, max(0, x0 - 1):x1 + 2] = 0
    for box in exclude:
        x0, y0, x1, y1 = (int(v * k) for v in box)
        ink[max(0, y0):y1, max(0, x0):x1] = 0
    for seal in seals:
        _erase_seal(ink, seal.bbox, seal.kind, k)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    big = np.zeros(n, bool)
    for i in range(1, n):
        cw, ch, area = stats[i, 2], stats[i, 3], stats[i, 4]
        # a stroke spanning more than a letter: long or tall relative to the text height
        if area >= 25 and (cw >= 2.2 * text_h or ch >= 1.5 * text_h) and max(cw, ch) >= 30:
            big[i] = True
    if not big[1:].any():
        return []
    strokes = np.isin(labels, np.nonzero(big)[0]).astype(np.uint8) * 255
    groups = cv2.dilate(strokes, cv2.getStructuringElement(cv2.MORPH_RECT, (61, 21)))
    gn, glabels, gstats, _ = cv2.connectedComponentsWithStats(groups, connectivity=8)
    label_words = [wd for wd in words if _LABEL.search(fold(wd.text))]
    out: list[SignatureDetection] = []
    for g in range(1, gn):
        x, y, gw, gh = (int(v) for v in gstats[g, :4])
        # the group's big strokes plus the stroke fragments that ruled-line removal cut off
        region = ((ink[y:y + gh, x:x + gw] > 0) & (glabels[y:y + gh, x:x + gw] == g)) | (strokes[y:y + gh, x:x + gw] > 0)
        ink_px = int(region.sum())
        if ink_px < 120:
            continue
        ys, xs = np.nonzero(region)
        bx0, by0, bx1, by1 = x + xs.min(), y + ys.min(), x + xs.max() + 1, y + ys.max() + 1
        bw, bh = bx1 - bx0, by1 - by0
        density = ink_px / float(bw * bh)
        mm_w, mm_h = bw / WORK_DPI * 25.4, bh / WORK_DPI * 25.4
        if not (10 <= mm_w <= 120 and 4 <= mm_h <= 60) or density > 0.35 or density < 0.02:
            continue
        # curvature: handwriting turns; count direction changes via the contour's polygon vertices
        sub = (region * 255).astype(np.uint8)
        contours, _ = cv2.findContours(sub, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        vertices = sum(len(cv2.approxPolyDP(c, 2.0, True)) for c in contours)
        if vertices < 8:
            continue
        conf = 0.45 + 0.2 * min(1.0, vertices / 40) + 0.15 * min(1.0, mm_w / 30)
        box300 = (int(bx0 / k), int(by0 / k), int(bx1 / k), int(by1 / k))
        by_label = False
        for lw in label_words:
            lx0, ly0, lx1, ly1 = lw.bbox
            if abs((ly0 + ly1) / 2 - (box300[1] + box300[3]) / 2) < 300 and lx0 < box300[2] + 900 and lx1 > box300[0] - 900:
                conf += 0.2
                by_label = True
                break
        in_seal = _inside_a_seal(box300, seals)
        if in_seal and bh >= SEAL_SQUARE * bw:  # the stamp's own emblem or logo, not a signature
            continue
        if conf >= min_confidence:
            out.append(SignatureDetection(box300, round(float(min(conf, 0.99)), 3), by_label, in_seal))
    return join_line_pieces(out, CANDIDATE_JOIN_GAP)
