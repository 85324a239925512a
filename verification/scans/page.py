"""Analysis of one page: preparation, OCR, seals, handwritten signatures, QR codes, perceptual hash.

The OCR process is started first; seal, QR and hash work runs while tesseract reads the page, so
an image page costs little more than tesseract alone. The page's longest line of print (two more when
one does not settle it) is read first with the English model: when it comes out confident, the page is
read with that model alone (half the time of rus+kaz+eng). An upside-down page shows as poor OCR confidence and is
read again turned over; the turned reading is kept only when it is better and acceptable itself (a sheet of stamps
reads poorly both ways: it stays as it was).

A page whose print's profile looks sideways is turned the way Tesseract's OSD says (0 included). When OSD cannot
tell, the page is read as it is first, and turned a quarter either way only when that reads poorly and the turned
page reads better: on the tuning part of the real scans the profile took upright letters and forms for sideways
(thin rules, scanner streaks, squeezed Tobacco800 letters), OSD could not tell, and they were read turned.
"""

from __future__ import annotations

import cv2
import numpy as np

from verification.scans.detector import combine
from verification.scans.handwriting import detect_signatures, prepare_ink
from verification.scans.loading import PageInput
from verification.scans.ocr import OcrError, OcrJob, OcrResult, osd_rotation, page_languages
from verification.scans.prepare import (
    estimate_skew,
    flatten_photo,
    frame_of,
    quarter_turn,
    rotate,
    to_gray,
)
from verification.scans.qr import FoundCode, codes_image, read_codes
from verification.scans.results import PageResult, PageSettings, text_layer_result
from verification.scans.seals import SealDetection, detect_seals

# tesseract reads pages of OCR_READS_AS_IS dpi as they are; lower ones are enlarged to OCR_ENLARGE_TO dpi,
# higher ones reduced to 300 dpi
OCR_READS_AS_IS = (190.0, 400.0)
OCR_ENLARGE_TO = 300.0

__all__ = ["PageResult", "PageSettings", "analyse_page"]


def _phash(gray: np.ndarray) -> str:
    import imagehash
    from PIL import Image

    n = gray.shape[1] // 512  # a whole-number reduction first: OpenCV's fast path (a 300 dpi page: 10 → 3 ms)
    if n >= 2:
        gray = cv2.resize(gray, None, fx=1 / n, fy=1 / n, interpolation=cv2.INTER_AREA)
    small = cv2.resize(gray, (256, int(256 * gray.shape[0] / max(gray.shape[1], 1)) or 1), interpolation=cv2.INTER_AREA)
    return str(imagehash.phash(Image.fromarray(small)))


def _flip_box(box: tuple[int, int, int, int], w: int, h: int) -> tuple[int, int, int, int]:
    return (w - box[2], h - box[3], w - box[0], h - box[1])


def _ocr_ok(r: OcrResult) -> bool:
    """Upside-down text reads as a handful of low-confidence fragments."""
    return r.mean_confidence >= 45 or r.good_words >= 15


def _reads_well(r: OcrResult) -> bool:
    """Print read with confidence: a page the profile took for sideways is kept as it is (tesseract reads
    text turned a quarter one way by itself)."""
    return r.mean_confidence >= 60 and r.good_words >= 10


def _reads_better(turned: OcrResult, r: OcrResult) -> bool:
    return turned.mean_confidence > r.mean_confidence + 10 and turned.good_words >= r.good_words


def _orient(rgb: np.ndarray, gray: np.ndarray, dpi: float, turn: int) -> tuple[np.ndarray, np.ndarray, float]:
    """The page turned by ``turn`` (counter-clockwise quarter turns) and deskewed, and the skew taken out."""
    if turn:
        rgb, gray = rotate(rgb, turn), rotate(gray, turn)
    skew = estimate_skew(gray, dpi)
    if skew:
        rgb, gray = rotate(rgb, skew), rotate(gray, skew)
    return rgb, gray, skew


def _look(rgb: np.ndarray, gray: np.ndarray, dpi: float):  # type: ignore[no-untyped-def]
    """What needs no OCR: codes, seals and round graphics, the perceptual hash, the ink for the signatures."""
    codes = read_codes(*codes_image(gray, dpi))
    seals, graphics = detect_seals(rgb, dpi, exclude=[c.bbox for c in codes])
    return codes, seals, graphics, _phash(gray), prepare_ink(rgb, dpi)


def _blank(gray: np.ndarray) -> bool:
    """True when under 0.02 % of the page is ink (a signature alone is several times that)."""
    sample = gray[::4, ::4]
    return bool(np.count_nonzero(sample < 160) < 0.0002 * sample.size)


def analyse_page(page: PageInput, settings: PageSettings) -> PageResult:
    plain = text_layer_result(page)
    if plain is not None:  # text layer only (born-digital page without pictures)
        return plain
    if page.image is None:
        thumb = page.meta.get("thumb")
        return PageResult(page.number, "text_layer", page.text_lines or (), page.text_words,
                          phash=_phash(thumb) if thumb is not None else None)
    rgb, dpi = page.image, float(page.dpi)
    sheet = None
    if page.text_lines is None:  # a phone photo: the flat, evenly lit sheet is what is analysed
        rgb, dpi, sheet = flatten_photo(rgb, dpi)
    gray = to_gray(rgb)
    if page.text_lines is not None:  # text layer plus pictures: no OCR, look for stamps and codes
        codes = read_codes(*codes_image(gray, dpi))
        seals, graphics = detect_seals(rgb, dpi, exclude=[c.bbox for c in codes])
        sigs = detect_signatures(rgb, dpi, page.text_words, [c.bbox for c in codes] + list(graphics), seals=seals)
        seals, sigs = combine(rgb, dpi, seals, sigs, page.text_words)  # the learned detector with the classical one
        return PageResult(page.number, "text_layer", page.text_lines, page.text_words, tuple(seals), tuple(sigs),
                          tuple(codes), _phash(gray))
    if _blank(gray):  # nothing printed or written: no OCR, no detectors (a 500-page blank PDF stays fast)
        return PageResult(page.number, None, (), (), phash=_phash(gray),
                          frame=frame_of(page.number, page.image, sheet, 0, 0.0, gray, dpi))
    turn = quarter_turn(gray, dpi)
    unsure = False
    if turn:  # sideways by the print's profile: OSD says which way (cheap at 150 dpi), 0 included
        osd = osd_rotation(gray, dpi)
        unsure = osd is None  # then the page is read as it is first, and turned only if that reads poorly
        turn = 0 if osd is None else osd
    source_rgb, source_gray = rgb, gray
    rgb, gray, skew = _orient(rgb, gray, dpi, turn)
    rotation = turn
    low, high = OCR_READS_AS_IS
    ocr_scale = OCR_ENLARGE_TO / dpi if dpi < low else 300.0 / dpi if dpi > high else 1.0
    to300 = 300.0 / (dpi * ocr_scale)

    def for_ocr(g: np.ndarray) -> np.ndarray:
        return cv2.resize(g, None, fx=ocr_scale, fy=ocr_scale,
                          interpolation=cv2.INTER_CUBIC if ocr_scale > 1 else cv2.INTER_AREA) if ocr_scale != 1 else g

    # an English page: eng alone, half the time (not probed once the document's earlier pages were Cyrillic)
    languages = page_languages(gray, dpi, settings.languages, memory=settings.scripts)

    def start(img: np.ndarray) -> OcrJob:
        return OcrJob(img, languages=languages, dpi=int(dpi * ocr_scale), timeout=settings.ocr_timeout,
                      scale_to_300=to300, psm=3)

    job = start(for_ocr(gray))
    codes, seals, graphics, phash, ink = _look(rgb, gray, dpi)  # while tesseract works
    error, timed_out = None, False
    try:
        result = job.result()
        if unsure:  # a quarter turn either way only when the page as it is reads poorly and turned reads better
            for t in (90, 270):
                if _reads_well(result):
                    break
                t_rgb, t_gray, t_skew = _orient(source_rgb, source_gray, dpi, t)
                turned = start(for_ocr(t_gray)).result()
                if _reads_better(turned, result):
                    result, rotation, skew, rgb, gray = turned, t, t_skew, t_rgb, t_gray
            if rotation:
                codes, seals, graphics, phash, ink = _look(rgb, gray, dpi)
        elif not _ocr_ok(result):
            turned = start(rotate(for_ocr(gray), 180)).result()
            if _reads_better(turned, result) and _ocr_ok(turned):
                result = turned
                rotation = (rotation + 180) % 360
                rgb, gray = rotate(rgb, 180), rotate(gray, 180)
                h300, w300 = int(gray.shape[0] * 300 / dpi), int(gray.shape[1] * 300 / dpi)
                seals = [SealDetection(_flip_box(s.bbox, w300, h300), s.confidence, s.kind, s.features) for s in seals]
                graphics = [_flip_box(g, w300, h300) for g in graphics]
                codes = [FoundCode(c.content, _flip_box(c.bbox, w300, h300), c.format) for c in codes]
                phash = _phash(gray)
                ink = prepare_ink(rgb, dpi)
    except OcrError as exc:
        result, error, timed_out = OcrResult((), ()), str(exc), exc.timed_out
    sigs = detect_signatures(None, dpi, result.words, [c.bbox for c in codes] + list(graphics), ink=ink,
                             seals=seals)
    seals, sigs = combine(rgb, dpi, seals, sigs, result.words)  # the learned detector with the classical one
    return PageResult(page.number, "ocr" if result.lines else None, result.lines, result.words, tuple(seals),
                      tuple(sigs), tuple(codes), phash, rotation, skew, error,
                      result.mean_confidence if result.words else None,
                      frame_of(page.number, page.image, sheet, rotation, skew, gray, dpi), timed_out)
