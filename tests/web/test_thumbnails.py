"""Page pictures with boxes, without a browser: which boxes a page gets (every seal and signature, the
uncertain ones marked, the regions of checks that need review) and that the picture is the page the
analysis saw (turned upright, a photo flattened)."""

from __future__ import annotations

import io
import os
import random
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PIL import Image

from samples.scans.generate import PageSpec, photograph, render_page


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    os.environ["ATTEST_DATA_DIR"] = str(tmp_path)
    from service.settings import get_settings

    get_settings.cache_clear()
    from service.storage import get_store

    yield get_store()
    os.environ.pop("ATTEST_DATA_DIR", None)
    get_settings.cache_clear()


def _stored(store: Any, img: Image.Image, tmp: Path, dpi: int = 300) -> SimpleNamespace:
    path = tmp / "upload.jpg"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, dpi=(dpi, dpi))
    path.write_bytes(buf.getvalue())
    sha = store.put_file(path)
    return SimpleNamespace(id="f1", sha256=sha, media_type="image/jpeg")


def test_every_finding_and_every_uncertain_region_is_a_box(store: Any, tmp_path: Path) -> None:
    from service.web.thumbnails import evidence_pages

    img, _ = render_page(PageSpec(seal="round"), 5)
    record = _stored(store, img, tmp_path)
    # a signature at 0.21 is in the signature's uncertain band (verification.report.UNCERTAIN: 0.15-0.3)
    report = {
        "seals": [{"page": 1, "bbox": [300, 2500, 760, 2960], "confidence": 0.93, "kind": "round"}],
        "handwritten_signatures": [{"page": 1, "bbox": [950, 2480, 1400, 2600], "confidence": 0.88},
                                   {"page": 1, "bbox": [950, 2700, 1400, 2820], "confidence": 0.21},
                                   {"page": 2, "bbox": [100, 100, 400, 200], "confidence": 0.7}],
        "checks": [{"id": "scan.seal", "status": "warn", "params": {"page": 1, "bbox": [1500, 300, 2000, 700]}},
                   {"id": "fields.date", "status": "warn", "params": {}},
                   {"id": "scan.other", "status": "pass", "params": {"page": 1, "bbox": [1, 1, 5, 5]}}],
    }
    pages = evidence_pages(record, report)
    assert [p["number"] for p in pages] == [1]  # page 2 of a one-page picture has no picture to show
    (page,) = pages
    assert (page["width"], page["height"]) == (2480, 3508)
    assert page["url"] == "/files/f1/pages/1.jpg"
    assert [(b["kind"], b["uncertain"], b["confidence"]) for b in page["boxes"]] == [
        ("seal", False, 93), ("signature", False, 88), ("signature", True, 21), ("uncertain", True, None)]
    assert page["boxes"][3] == {"kind": "uncertain", "x": 1500, "y": 300, "w": 500, "h": 400, "confidence": None,
                                "uncertain": True}
    assert page["counts"] == {"seal": 1, "signature": 2, "uncertain": 1} and page["uncertain"] == 2
    assert evidence_pages(record, {"seals": [], "handwritten_signatures": [], "checks": []}) == []
    # the signature check asks for review on the uncertain signature's own box: one box there, not two
    report["checks"].append({"id": "scan.handwritten_signature", "status": "warn",
                             "params": {"page": 1, "bbox": [950, 2700, 1400, 2820]}})
    (page,) = evidence_pages(record, report)
    assert [(b["kind"], b["x"], b["y"]) for b in page["boxes"]] == [
        ("seal", 300, 2500), ("signature", 950, 2480), ("signature", 950, 2700), ("uncertain", 1500, 300)]


def test_a_sideways_page_is_shown_upright_in_its_frame(store: Any, tmp_path: Path) -> None:
    from service.web.thumbnails import evidence_pages, page_frame, page_image

    upright, _ = render_page(PageSpec(seal="round"), 6)
    record = _stored(store, upright.rotate(90, expand=True), tmp_path)  # scanned sideways
    frame = {"page": 1, "source_size": [3508, 2480], "size_300": [2480, 3508], "rotation": 270, "skew": 0.0}
    report = {"seals": [{"page": 1, "bbox": [300, 2500, 760, 2960], "confidence": 0.9}], "page_frames": [frame]}
    with store.local_path(record.sha256) as path:
        plain = page_image(path, record.media_type, record.sha256, 1)
        shown = page_image(path, record.media_type, record.sha256, 1, frame=page_frame(report, 1))
    assert (plain.width_300, plain.height_300) == (3508, 2480)  # the file as it is: sideways
    assert (shown.width_300, shown.height_300) == (2480, 3508)
    pic = Image.open(io.BytesIO(shown.jpeg)).convert("L")
    assert pic.size[1] > pic.size[0]
    truth = np.asarray(upright.convert("L").resize(pic.size)).astype(int)
    assert np.abs(np.asarray(pic).astype(int) - truth).mean() < 8
    (page,) = evidence_pages(record, report)
    assert (page["width"], page["height"]) == (2480, 3508)


def test_a_photo_is_shown_as_its_flattened_sheet(store: Any, tmp_path: Path) -> None:
    from service.web.thumbnails import page_frame, page_image
    from verification.scans.prepare import find_sheet

    flat, _ = render_page(PageSpec(seal="round"), 7)
    photo, _ = photograph(flat, random.Random(2))
    sheet = find_sheet(np.asarray(photo))
    assert sheet is not None
    record = _stored(store, photo, tmp_path, dpi=72)
    report = {"page_frames": [{"page": 1, "source_size": list(photo.size), "size_300": [2480, 3508],
                               "rotation": 0, "skew": 0.0, "sheet": [list(c) for c in sheet.corners],
                               "sheet_size": list(sheet.size)}]}
    with store.local_path(record.sha256) as path:
        shown = page_image(path, record.media_type, record.sha256, 1, frame=page_frame(report, 1))
    pic = Image.open(io.BytesIO(shown.jpeg)).convert("L")
    assert abs(pic.size[1] / pic.size[0] - 3508 / 2480) < 0.01
    truth = np.asarray(flat.convert("L").resize(pic.size)).astype(int)
    assert np.abs(np.asarray(pic).astype(int) - truth).mean() < 12


def test_the_page_size_comes_from_the_header_and_agrees_with_the_picture(store: Any, tmp_path: Path) -> None:
    """A phone's portrait photo stored sideways with an EXIF orientation: the size the boxes are placed
    in (read from the header, nothing decoded) is the turned picture's, as the picture itself says."""
    from service.web.thumbnails import page_image, page_size_300

    img = Image.new("RGB", (300, 200), "white")
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    path = tmp_path / "sideways.jpg"
    img.save(path, "JPEG", dpi=(100, 100), exif=exif)
    sha = store.put_file(path)
    with store.local_path(sha) as stored:
        size = page_size_300(stored, "image/jpeg", sha, 1)
        picture = page_image(stored, "image/jpeg", sha, 1)
    assert size == (600.0, 900.0) == (picture.width_300, picture.height_300)
    assert Image.open(io.BytesIO(picture.jpeg)).size[1] > Image.open(io.BytesIO(picture.jpeg)).size[0]
