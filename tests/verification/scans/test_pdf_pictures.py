"""An image-only PDF page that is one upright JPEG filling the page (scanners, img2pdf) is read from the
JPEG itself at its own resolution; any other image page is rendered by PDFium at 300 dpi. JPEG files
and pages are decoded by OpenCV to the pixels Pillow gives; Pillow still applies an EXIF turn and
rejects a broken file."""

from __future__ import annotations

import io

import img2pdf
import numpy as np
import pytest
from PIL import Image

from verification.errors import UnreadableFile
from verification.scans.loading import open_document


def _jpeg(w: int, h: int, dpi: int) -> bytes:
    rng = np.random.default_rng(3)
    arr = np.full((h, w, 3), 255, np.uint8)
    arr[h // 3:h // 3 + 40, w // 4:w // 2] = rng.integers(0, 120, (40, w // 2 - w // 4, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=90, dpi=(dpi, dpi))
    return buf.getvalue()


def _pages(data: bytes, media_type: str = "application/pdf") -> list:
    doc = open_document(data, media_type, max_pixels=120_000_000, max_pages=10)
    try:
        return list(doc.pages())
    finally:
        doc.close()


def test_scanner_pdf_page_is_its_jpeg() -> None:
    jpg = _jpeg(1240, 1754, 150)  # A4 at 150 dpi
    (page,) = _pages(img2pdf.convert(jpg))
    assert page.text_lines is None
    assert round(page.dpi) == 150
    assert page.image.shape == (1754, 1240, 3)
    assert np.array_equal(page.image, np.asarray(Image.open(io.BytesIO(jpg)).convert("RGB")))


def test_high_resolution_jpeg_is_decoded_near_300_dpi() -> None:
    (page,) = _pages(img2pdf.convert(_jpeg(4960, 7016, 600)))  # A4 at 600 dpi
    assert 299.9 <= page.dpi <= 450
    assert page.image.shape[1] == round(page.dpi * 4960 / 600)


def test_other_image_pages_are_rendered_at_300_dpi() -> None:
    # a JPEG that does not fill the page (a photo placed on an A4 page): rendered
    layout = img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)), fit=img2pdf.FitMode.into)
    small = _jpeg(600, 400, 150)
    (page,) = _pages(img2pdf.convert(small, layout_fun=layout))
    assert round(page.dpi) == 300
    assert page.image.shape[:2] == (3508, 2481) or page.image.shape[:2] == (3508, 2480)
    # a page turned by /Rotate: rendered (the picture is not upright as stored)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(img2pdf.convert(_jpeg(1240, 1754, 150)))).pages[0].rotate(90))
    out = io.BytesIO()
    writer.write(out)
    (page,) = _pages(out.getvalue())
    assert round(page.dpi) == 300
    assert page.image.shape[:2] in ((2480, 3508), (2481, 3508), (2480, 3509), (2481, 3509))


def test_high_resolution_jpeg_file_has_the_dpi_it_is_decoded_at() -> None:
    """A 600 dpi JPEG file is decoded near 300 dpi, and its page says the resolution it has then (it said 600:
    the page's boxes and OCR scale were off by two)."""
    (page,) = (p for p in open_document(_jpeg(4960, 7016, 600), "image/jpeg", max_pixels=120_000_000,
                                        max_pages=10).pages())
    assert page.image.shape[:2] == (3508, 2480)
    assert round(page.dpi) == 300


def test_jpeg_file_pixels_are_pillows() -> None:
    jpg = _jpeg(1240, 1754, 150)
    (page,) = _pages(jpg, "image/jpeg")
    assert page.image.shape == (1754, 1240, 3)
    assert np.array_equal(page.image, np.asarray(Image.open(io.BytesIO(jpg)).convert("RGB")))
    grey = io.BytesIO()
    Image.open(io.BytesIO(jpg)).convert("L").save(grey, "JPEG", quality=90, dpi=(150, 150))
    (page,) = _pages(grey.getvalue(), "image/jpeg")
    assert page.image.shape == (1754, 1240, 3)
    assert np.array_equal(page.image, np.asarray(Image.open(io.BytesIO(grey.getvalue())).convert("RGB")))


def test_jpeg_file_with_exif_turn_is_turned() -> None:
    im = Image.open(io.BytesIO(_jpeg(1240, 1754, 150)))
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held sideways: turn 90° clockwise to show it
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, dpi=(150, 150), exif=exif)
    (page,) = _pages(buf.getvalue(), "image/jpeg")
    assert page.image.shape == (1240, 1754, 3)


def test_truncated_jpeg_file_is_unreadable() -> None:
    with pytest.raises(UnreadableFile):
        _pages(_jpeg(1240, 1754, 150)[:20000], "image/jpeg")
