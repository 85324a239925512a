"""Pages of a file as images (scans, photos, image-only PDF pages) or as text layers (born-digital PDF).

Every limit is enforced before decoding: pixels per page (``options.max_pixels``, Pillow's
decompression-bomb guard set from it), pages per file (``options.max_pages``). Pillow and pdfium
errors are translated into :mod:`verification.errors`.
"""

from __future__ import annotations

import io
import logging
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps, ImageSequence

from verification.errors import (
    OUT_OF_MEMORY,
    EncryptedFile,
    ResourceLimitExceeded,
    UnreadableFile,
    trilingual,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["IMAGE_TYPES", "Document", "PageInput", "TextWord", "image_dpi", "open_document"]

IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff", "image/heic", "image/webp", "image/bmp", "image/gif")
_PIL_LOCK = threading.Lock()
_HEIF_READY = False


@dataclass(frozen=True)
class TextWord:
    """A word (or text run) with its box in pixels at 300 dpi and an OCR confidence (100 for a text layer)."""

    text: str
    bbox: tuple[int, int, int, int]
    confidence: float
    line: int = 0


@dataclass(frozen=True)
class PageInput:
    """One page to analyse. ``image`` is RGB uint8 at ``dpi``; ``text_lines`` is set for a text layer."""

    number: int  # 1-based
    image: np.ndarray | None
    dpi: float
    text_lines: tuple[str, ...] | None = None
    text_words: tuple[TextWord, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


class Document:
    """An opened file: ``pages()`` yields :class:`PageInput` one by one (bounded memory)."""

    def __init__(self, total: int, pages: Iterator[PageInput], closer: Any = None) -> None:
        self.total = total
        self._pages = pages
        self._closer = closer

    def pages(self) -> Iterator[PageInput]:
        return self._pages

    def close(self) -> None:
        if self._closer is not None:
            try:
                self._closer()
            except Exception:  # closing is best effort
                logging.getLogger(__name__).debug("closing a document failed", exc_info=True)


def _too_many_pixels(max_pixels: int) -> dict[str, str]:
    mp = max_pixels // 1_000_000
    return trilingual(f"изображение больше {mp} Мпикс", f"сурет {mp} Мпикс-тен үлкен", f"the image is larger than {mp} MP")


def _check_pixels(w: int, h: int, max_pixels: int) -> None:
    if w * h > max_pixels:
        raise ResourceLimitExceeded(
            f"{w}×{h} pixels", reason=trilingual(f"{w}×{h} пикс., больше {max_pixels // 1_000_000} Мпикс",
                              f"{w}×{h} пиксель, {max_pixels // 1_000_000} Мпикс-тен артық",
                              f"{w}×{h} pixels, over {max_pixels // 1_000_000} MP"),
        )


def _to_rgb(im: Image.Image) -> np.ndarray:
    if im.mode not in ("RGB", "L"):
        im = im.convert("RGBA").convert("RGB") if "A" in im.mode or im.mode == "P" else im.convert("RGB")
    if im.mode == "L":
        im = im.convert("RGB")
    import numpy as np

    return np.asarray(im)


def _jpeg_rgb(im: Image.Image, data: bytes) -> np.ndarray | None:
    """A JPEG's RGB pixels decoded by OpenCV straight into an array: the same libjpeg-turbo decoding and the
    same pixels as Pillow, without Pillow's two copies into a NumPy array (an A4 page at 300 dpi: 46 → 26 ms,
    in the thread the page workers wait on). None where Pillow decodes it: not a grey or RGB JPEG, draft
    decoded (reduced), or with an EXIF turn to apply."""
    if im.format != "JPEG" or im.mode not in ("L", "RGB") or getattr(im, "decoderconfig", None):
        return None
    if im.getexif().get(0x0112, 1) != 1:
        return None
    import cv2
    import numpy as np

    try:
        rgb = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR_RGB | cv2.IMREAD_IGNORE_ORIENTATION)
    except cv2.error:  # Pillow then decodes it, and says what is wrong with the file
        return None
    if rgb is None or rgb.shape[:2] != (im.size[1], im.size[0]):
        return None
    return rgb


def image_dpi(im: Image.Image) -> float:
    """The image's resolution as the scan step reads it: the file's own dpi when plausible (the page no
    wider than A3 at it), else that of an A4 page (the thumbnails and the dossier's crops use this too,
    so their boxes line up)."""
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    # a phone writes 72 dpi into every photo: a resolution that makes the page wider than A3 is not the paper's
    if 70 <= value <= 1200 and min(im.size) / value <= 12.0:
        return value
    # no usable resolution: assume the page is A4 (its short side is 8.27 in)
    return max(min(im.size) / 8.27, 50.0)


def _set_pixel_limit(max_pixels: int) -> None:
    with _PIL_LOCK:
        Image.MAX_IMAGE_PIXELS = max_pixels


def _draft_near_300(im: Image.Image, dpi: float) -> float:
    """A JPEG far above 300 dpi is decoded at a reduced size (memory and time): the dpi it then has."""
    if im.format != "JPEG" or dpi <= 450:
        return dpi
    full = im.size[0]
    im.draft("RGB", (int(im.size[0] * 300 / dpi), int(im.size[1] * 300 / dpi)))
    return dpi * im.size[0] / full


def _open_image(data: bytes, media_type: str, max_pixels: int, max_pages: int) -> Document:
    global _HEIF_READY
    if media_type == "image/heic" and not _HEIF_READY:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _HEIF_READY = True
    _set_pixel_limit(max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            _check_pixels(im.size[0], im.size[1], max_pixels)
            n = getattr(im, "n_frames", 1)
    except ResourceLimitExceeded:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ResourceLimitExceeded(str(exc), reason=_too_many_pixels(max_pixels)) from exc
    except Exception as exc:
        raise UnreadableFile(str(exc), reason=trilingual("повреждённое или неизвестное изображение",
                                                         "зақымдалған немесе белгісіз сурет",
                                                         "a damaged or unknown image")) from exc

    def gen() -> Iterator[PageInput]:
        for k, frame in enumerate(ImageSequence.Iterator(im)):
            if k >= max_pages:
                break
            try:
                _check_pixels(frame.size[0], frame.size[1], max_pixels)
                dpi = _draft_near_300(frame, image_dpi(frame))
                rgb = _jpeg_rgb(frame, data) if n == 1 else None
                if rgb is None:
                    frame.load()
                    rgb = _to_rgb(ImageOps.exif_transpose(frame) if k == 0 else frame)
            except ResourceLimitExceeded:
                raise
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise ResourceLimitExceeded(str(exc), reason=_too_many_pixels(max_pixels)) from exc
            except MemoryError as exc:
                raise ResourceLimitExceeded("memory", reason=OUT_OF_MEMORY) from exc
            except Exception as exc:
                raise UnreadableFile(str(exc), reason=trilingual("изображение повреждено (обрезано или испорчено)",
                                                                 "сурет зақымдалған (қиылған немесе бүлінген)",
                                                                 "the image is damaged (cut short or corrupted)")) from exc
            yield PageInput(k + 1, rgb, dpi)

    return Document(n, gen(), im.close)


def _embedded_jpeg(page: Any, w_pt: float, h_pt: float, max_pixels: int) -> tuple[np.ndarray, float] | None:
    """The picture of a page that is nothing but one upright JPEG filling it (what scanners and img2pdf
    write), decoded by Pillow at its own resolution instead of rendered: a third of the CPU time of
    PDFium's 300 dpi rendering, in a thread that other pages' analysis is waiting for. None for any other
    page (CMYK, rotated, cropped, clipped, with anything else drawn on it): it is rendered as before."""
    import pypdfium2.raw as pdfium_c

    if page.get_rotation():
        return None
    objs = list(page.get_objects(max_depth=2))
    if len(objs) != 1 or objs[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    obj = objs[0]
    if obj.get_filters() != ["DCTDecode"]:
        return None
    a, b, c, d, e, f = obj.get_matrix().get()
    if abs(b) > 1e-3 or abs(c) > 1e-3 or not (0.98 * w_pt <= a <= 1.02 * w_pt and 0.98 * h_pt <= d <= 1.02 * h_pt):
        return None
    if abs(e) > 0.02 * w_pt or abs(f) > 0.02 * h_pt:
        return None
    _set_pixel_limit(max_pixels)
    data = obj.get_data(decode_simple=False)
    im = Image.open(io.BytesIO(data))
    if im.format != "JPEG" or im.mode not in ("L", "RGB"):
        return None
    _check_pixels(im.size[0], im.size[1], max_pixels)
    dpi = im.size[0] * 72.0 / a
    if not 149 <= dpi <= 1200:  # below 150 dpi PDFium renders it at 300 dpi, as before
        return None
    dpi = _draft_near_300(im, dpi)
    rgb = _jpeg_rgb(im, data)
    return (rgb if rgb is not None else _to_rgb(im)), dpi


def _open_pdf(data: bytes, max_pixels: int, max_pages: int, scratch: dict[str, Any]) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    shared = scratch.get("pdfium_document")  # the signature step may have opened it already
    try:
        pdf = shared if isinstance(shared, pdfium.PdfDocument) else pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFile(str(exc)) from exc
        raise UnreadableFile(str(exc), reason=trilingual("PDF повреждён", "PDF зақымдалған", "the PDF is damaged")) from exc
    scratch["pdfium_document"] = pdf
    total = len(pdf)

    def gen() -> Iterator[PageInput]:
        for i in range(min(total, max_pages)):
            try:
                page = pdf[i]
                w_pt, h_pt = page.get_size()
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                has_images = any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
                k = 300 / 72
                if len(text.strip()) >= 20:
                    words = []
                    for r in range(textpage.count_rects()):
                        left, bottom, right, top = textpage.get_rect(r)
                        run = textpage.get_text_bounded(left, bottom, right, top).strip()
                        if run:
                            words.append(TextWord(run, (int(left * k), int((h_pt - top) * k),
                                                        int(right * k), int((h_pt - bottom) * k)), 100.0))
                    image = None
                    dpi = 150.0
                    if has_images:  # a scan with a text layer, or an embedded stamp/QR picture
                        scale = min(dpi / 72, (max_pixels / max(w_pt * h_pt, 1)) ** 0.5)
                        image = page.render(scale=scale).to_numpy()[:, :, :3][:, :, ::-1].copy()
                        dpi = scale * 72
                    lines = tuple(ln for ln in (x.strip() for x in text.splitlines()) if ln)
                    yield PageInput(i + 1, image, dpi, lines, tuple(words), {"text_layer": True})
                else:
                    try:
                        picture = _embedded_jpeg(page, w_pt, h_pt, max_pixels)
                    except (OSError, SyntaxError, ValueError):  # a JPEG Pillow cannot read: PDFium renders it
                        picture = None
                    if picture is not None:
                        yield PageInput(i + 1, picture[0], picture[1])
                        continue
                    scale = min(300 / 72, (max_pixels / max(w_pt * h_pt, 1)) ** 0.5)
                    if scale < 100 / 72:
                        raise ResourceLimitExceeded(f"page {i + 1}", reason=trilingual(
                            f"страница {i + 1} слишком большая", f"{i + 1}-бет тым үлкен", f"page {i + 1} is too large"))
                    bitmap = page.render(scale=scale)
                    image = bitmap.to_numpy()[:, :, :3][:, :, ::-1].copy()  # BGR(x) → RGB
                    yield PageInput(i + 1, image, scale * 72)
            except (ResourceLimitExceeded, MemoryError):
                raise
            except pdfium.PdfiumError as exc:
                raise UnreadableFile(str(exc), reason=trilingual(
                    f"страница {i + 1} PDF повреждена", f"PDF-тің {i + 1}-беті зақымдалған",
                    f"page {i + 1} of the PDF is damaged")) from exc

    return Document(total, gen(), pdf.close)


def open_document(data: bytes, media_type: str, *, max_pixels: int, max_pages: int,
                  scratch: dict[str, Any] | None = None) -> Document:
    """Open a PDF or image for page-by-page analysis. Raises :class:`~verification.errors.VerificationError`."""
    if media_type == "application/pdf":
        return _open_pdf(data, max_pixels, max_pages, scratch if scratch is not None else {})
    if media_type in IMAGE_TYPES:
        return _open_image(data, media_type, max_pixels, max_pages)
    raise UnreadableFile(media_type, reason=trilingual(f"формат {media_type} не поддерживается",
                                                       f"{media_type} пішімі қолдау көрсетілмейді",
                                                       f"the {media_type} format is not supported"))
