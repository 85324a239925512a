"""Page pictures with the report's boxes: one page of a stored PDF or scan as a JPEG, and the
page's size at 300 dpi, so that the report's seal and signature boxes (pixels at 300 dpi, origin
top-left — CONTRACT.md) can be drawn over the picture (an SVG overlay whose viewBox is that size).

The picture is the page the analysis saw: when the report has a frame for the page (a phone photo's
sheet flattened, a sideways page turned, a skewed one straightened — ``Report.page_frames``), the
same correction is applied to the picture (``verification.scans.prepare.apply_frame``), so that
the boxes land where they were found. The resolution rule for scans is the verification's own
(``verification.scans.loading``): the image's DPI when it is plausible, else the page is assumed
to be A4. Pictures are cached on disk by the file's SHA-256 and the frame.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from service.errors import AttestError, BadInput, NotFound
from verification.report import PageFrame, is_uncertain
from verification.scans.loading import image_dpi

__all__ = ["THUMB_WIDTH", "PageImage", "evidence_pages", "page_frame", "page_image", "page_size_300"]

THUMB_WIDTH = 900
_MAX_PIXELS = 120_000_000
_FRAME_WORK = 1800  # the long side a framed picture is corrected at (then reduced to the thumbnail)
MAX_EVIDENCE_PAGES = 3


@dataclass(frozen=True)
class PageImage:
    jpeg: bytes
    width_300: float  # the page's size in pixels at 300 dpi
    height_300: float


def _open_image(path: Path, media_type: str) -> Image.Image:
    if media_type == "image/heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = _MAX_PIXELS
    try:
        return Image.open(path)
    except Exception as exc:
        raise BadInput("the file cannot be shown as a picture") from exc


def page_frame(report: dict[str, Any] | None, page: int) -> PageFrame | None:
    """The report's frame of ``page`` (None: the analysis saw the picture as it is)."""
    for f in (report or {}).get("page_frames") or ():
        if isinstance(f, dict) and int(f.get("page") or 0) == page:
            try:
                return PageFrame.from_dict(f)
            except (TypeError, ValueError):  # a damaged stored report: show the picture as it is
                return None
    return None


def _framed(im: Image.Image, frame: PageFrame, width: int) -> Image.Image:
    import numpy as np

    from verification.scans.prepare import apply_frame

    im = im.convert("RGB")
    im.thumbnail((_FRAME_WORK, _FRAME_WORK))
    out = Image.fromarray(apply_frame(np.asarray(im), frame))
    out.thumbnail((width, width * 3))
    return out


def _render(path: Path, media_type: str, page: int, width: int, frame: PageFrame | None = None) -> PageImage:
    if frame is not None:  # the corrected page: the source picture first, large enough to correct
        source = _render(path, media_type, page, min(_FRAME_WORK, max(frame.source_size[0], 1)))
        with Image.open(io.BytesIO(source.jpeg)) as im:
            out = io.BytesIO()
            _framed(im, frame, width).save(out, "JPEG", quality=82, optimize=True)
        return PageImage(out.getvalue(), float(frame.size_300[0]), float(frame.size_300[1]))
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        from verification.pdfium_lock import PDFIUM_LOCK

        with PDFIUM_LOCK:  # PDFium is not thread-safe (the worker may be verifying a PDF right now)
            try:
                pdf = pdfium.PdfDocument(str(path))
            except Exception as exc:
                raise BadInput("the PDF cannot be shown as a picture") from exc
            try:
                if not 1 <= page <= len(pdf):
                    raise NotFound("no such page")
                pdf_page = pdf[page - 1]
                w_pt, h_pt = pdf_page.get_size()
                scale = width / w_pt
                bitmap = pdf_page.render(scale=scale)
                im = bitmap.to_pil().convert("RGB")
                w300, h300 = w_pt * 300 / 72, h_pt * 300 / 72
                del pdf_page, bitmap
            finally:
                pdf.close()
    elif media_type.startswith("image/"):
        with _open_image(path, media_type) as src:
            frames = getattr(src, "n_frames", 1)
            if not 1 <= page <= frames:
                raise NotFound("no such page")
            src.seek(page - 1)
            dpi = image_dpi(src)
            frame = ImageOps.exif_transpose(src) if page == 1 else src.copy()
            w300, h300 = frame.size[0] * 300 / dpi, frame.size[1] * 300 / dpi
            frame.thumbnail((width, width * 3))
            im = frame.convert("RGB")
    else:
        raise NotFound("this file has no pages to show")
    out = io.BytesIO()
    im.save(out, "JPEG", quality=82, optimize=True)
    return PageImage(out.getvalue(), w300, h300)


def _cache_dir() -> Path:
    from service.settings import get_settings

    return get_settings().data_dir / "thumbs"


def page_image(path: Path, media_type: str, sha256: str, page: int, width: int = THUMB_WIDTH,
               frame: PageFrame | None = None) -> PageImage:
    """The page as a JPEG (cached by content hash and frame) with its size at 300 dpi; with a frame,
    the page as the analysis saw it."""
    cache = _cache_dir()
    key = f"{sha256}-{page}-{width}"
    if frame is not None:
        key += "-" + hashlib.sha256(json.dumps(frame.to_dict(), sort_keys=True).encode()).hexdigest()[:16]
    jpg, meta = cache / f"{key}.jpg", cache / f"{key}.json"
    if jpg.exists() and meta.exists():
        size = json.loads(meta.read_text())
        return PageImage(jpg.read_bytes(), size[0], size[1])
    image = _render(path, media_type, page, width, frame)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = jpg.with_suffix(".tmp")
    tmp.write_bytes(image.jpeg)
    tmp.replace(jpg)
    meta.write_text(json.dumps([image.width_300, image.height_300]))
    return image


@functools.lru_cache(maxsize=512)
def _size_cached(sha256: str, page: int, path: str, media_type: str) -> tuple[float, float]:
    if media_type.startswith("image/"):  # from the header: nothing decoded (the page loads fast)
        with _open_image(Path(path), media_type) as src:
            if not 1 <= page <= getattr(src, "n_frames", 1):
                raise NotFound("no such page")
            src.seek(page - 1)
            dpi = image_dpi(src)
            w, h = src.size
            if page == 1 and src.getexif().get(0x0112) in (5, 6, 7, 8):  # exif_transpose turns it
                w, h = h, w
            return w * 300 / dpi, h * 300 / dpi
    image = page_image(Path(path), media_type, sha256, page)
    return image.width_300, image.height_300


def page_size_300(path: Path, media_type: str, sha256: str, page: int) -> tuple[float, float]:
    """The page's size in pixels at 300 dpi (an image's from its header; a PDF page's picture is
    rendered and cached once)."""
    return _size_cached(sha256, page, str(path), media_type)


def _box(kind: str, bbox: Any, confidence: float | None, uncertain: bool) -> dict[str, Any] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return None
    return {"kind": kind, "x": round(x0), "y": round(y0), "w": max(round(x1 - x0), 1), "h": max(round(y1 - y0), 1),
            "confidence": None if confidence is None else round(100 * confidence), "uncertain": uncertain}


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a[k] == b[k] for k in ("x", "y", "w", "h"))


def evidence_pages(record: Any, report: dict[str, Any] | None, *, max_pages: int = MAX_EVIDENCE_PAGES,
                   url: str = "/files/{id}/pages/{n}.jpg") -> list[dict[str, Any]]:
    """The pages of a verified file that have something to show, each with its picture's URL, the
    page's size at 300 dpi (the overlay's viewBox) and its boxes: every seal, every handwritten
    signature, and the uncertain regions (a finding in its class's uncertain band, :func:`verification.report.is_uncertain`, a
    check that needs review and names a region)."""
    if not report:
        return []
    by_page: dict[int, list[dict[str, Any]]] = {}
    for kind, key in (("seal", "seals"), ("signature", "handwritten_signatures")):
        for f in report.get(key) or ():
            confidence = float(f.get("confidence") or 0.0)
            box = _box(kind, f.get("bbox"), confidence, is_uncertain(kind, confidence))
            if box:
                by_page.setdefault(int(f.get("page") or 1), []).append(box)
    for c in report.get("checks") or ():
        params = c.get("params") or {}
        if c.get("status") == "warn" and params.get("bbox"):
            box = _box("uncertain", params["bbox"], None, True)
            if box is None:
                continue
            drawn = by_page.setdefault(int(params.get("page") or 1), [])
            # the region of a check that asks for review is usually an uncertain finding's box: drawn once
            if not any(b["uncertain"] and _same_place(b, box) for b in drawn):
                drawn.append(box)
    from service.storage import get_store

    try:
        with get_store().local_path(record.sha256) as path:
            return _pages_with_boxes(record, report, by_page, path, max_pages, url)
    except AttestError:  # the stored file is gone: the report still reads, without pictures
        return []


def _pages_with_boxes(record: Any, report: dict[str, Any], by_page: dict[int, list[dict[str, Any]]], path: Path,
                      max_pages: int, url: str) -> list[dict[str, Any]]:
    pages = []
    for number in sorted(by_page)[:max_pages]:
        frame = page_frame(report, number)
        try:
            w, h = frame.size_300 if frame else page_size_300(path, record.media_type, record.sha256, number)
        except AttestError:
            continue
        boxes = by_page[number]
        pages.append({
            "number": number, "url": url.format(id=record.id, n=number), "width": round(w), "height": round(h),
            "boxes": boxes,
            "counts": {k: sum(1 for b in boxes if b["kind"] == k) for k in ("seal", "signature", "uncertain")},
            "uncertain": sum(1 for b in boxes if b["uncertain"]),
        })
    return pages
