"""Page pictures for the commission's evidence view: one page of a stored PDF or scan as a JPEG,
and the page's size at 300 dpi, so that the report's seal and signature boxes (pixels at 300 dpi,
origin top-left — CONTRACT.md) can be drawn over the picture in percentages.

The resolution rule for scans is the verification's own (``verification.scans.loading``): the
image's DPI when it is plausible, else the page is assumed to be A4. Pictures are cached on disk
by the file's SHA-256.
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from service.errors import BadInput, NotFound
from verification.scans.loading import image_dpi

__all__ = ["THUMB_WIDTH", "PageImage", "page_image", "page_size_300"]

THUMB_WIDTH = 900
_MAX_PIXELS = 120_000_000


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


def _render(path: Path, media_type: str, page: int, width: int) -> PageImage:
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


def page_image(path: Path, media_type: str, sha256: str, page: int, width: int = THUMB_WIDTH) -> PageImage:
    """The page as a JPEG (cached by content hash) with its size at 300 dpi."""
    cache = _cache_dir()
    key = f"{sha256}-{page}-{width}"
    jpg, meta = cache / f"{key}.jpg", cache / f"{key}.json"
    if jpg.exists() and meta.exists():
        size = json.loads(meta.read_text())
        return PageImage(jpg.read_bytes(), size[0], size[1])
    image = _render(path, media_type, page, width)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = jpg.with_suffix(".tmp")
    tmp.write_bytes(image.jpeg)
    tmp.replace(jpg)
    meta.write_text(json.dumps([image.width_300, image.height_300]))
    return image


@functools.lru_cache(maxsize=512)
def _size_cached(sha256: str, page: int, path: str, media_type: str) -> tuple[float, float]:
    image = page_image(Path(path), media_type, sha256, page)
    return image.width_300, image.height_300


def page_size_300(path: Path, media_type: str, sha256: str, page: int) -> tuple[float, float]:
    """The page's size in pixels at 300 dpi (renders and caches the picture once)."""
    return _size_cached(sha256, page, str(path), media_type)
