"""Phone photos: the sheet found in the photo, flattened and evenly lit before analysis; boxes in the
flat page's frame; flat scans untouched; the report's page frame rebuilds the analysed page."""

from __future__ import annotations

import io
import random
from typing import Any

import numpy as np
import pytest
from PIL import Image

from samples.scans.generate import A4_300, PageSpec, photograph, render_page
from verification.pipeline import VerifyOptions, verify_bytes
from verification.report import CheckStatus, PageFrame, Report
from verification.scans.prepare import apply_frame, box_to_source, even_light, find_sheet, flatten_photo


def _iou(a: Any, b: Any) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _jpeg(img: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88, dpi=(dpi, dpi))
    return buf.getvalue()


@pytest.fixture(scope="module")
def photo() -> tuple[Image.Image, dict[str, Any]]:
    """A certificate photographed on a dark table, its seal across the head's signature, a second
    signature below, a gradient and a shadow over the sheet."""
    return render_page(PageSpec(lang="ru", kind="certificate", seal="round", seal_color="blue",
                                signatures=2, photo=True), 61)


def test_the_sheet_is_found_within_a_few_pixels(photo: tuple[Image.Image, dict[str, Any]]) -> None:
    img, truth = photo
    sheet = find_sheet(np.asarray(img))
    assert sheet is not None
    error = np.abs(np.array(sheet.corners) - np.array(truth["sheet_corners"])).max()
    assert error < 3.0, (sheet.corners, truth["sheet_corners"])
    # flattened to A4 proportions, at the dpi that makes it an A4 page
    w, h = sheet.size
    assert abs(h / w - 297 / 210) < 0.01
    assert abs(w * 300 / sheet.dpi - A4_300[0]) < 3


@pytest.mark.parametrize("spec", [
    PageSpec(seal="round"),
    PageSpec(seal="oval", grey=True, rotation=90, skew=1.5),
    PageSpec(seal="rectangular", bw=True, signatures=3),
    PageSpec(seal=None, signature=False, contrast=0.45, dpi=150),
    PageSpec(seal="round", logo=True, pie=True, table=True, second_seal=True),
], ids=["colour", "grey-sideways", "black-and-white", "faint-150dpi", "distractors"])
def test_a_flat_scan_is_left_untouched(spec: PageSpec) -> None:
    img, _ = render_page(spec, 23)
    rgb = np.asarray(img.convert("RGB"))
    assert find_sheet(rgb) is None
    out, dpi, sheet = flatten_photo(rgb, 300.0)
    assert out is rgb and dpi == 300.0 and sheet is None


@pytest.mark.parametrize("size", [None, (1000, 1000)], ids=["a4", "square"])
def test_a_scan_inside_a_dark_border_is_left_untouched(size: tuple[int, int] | None) -> None:
    """A certificate's ornamental frame or a scanner's black edge: the bright inside is a level
    rectangle (sides parallel), not a sheet seen by a camera (real scans of the kind: kacper__, tobacco800__)."""
    img, _ = render_page(PageSpec(seal="round"), 24)
    if size:
        img = img.resize(size)
    rgb = np.asarray(img.convert("RGB")).copy()
    b = rgb.shape[1] // 16
    rgb[:b], rgb[-b:], rgb[:, :b], rgb[:, -b:] = (20, 40, 90), (20, 40, 90), (20, 40, 90), (20, 40, 90)
    assert find_sheet(rgb) is None
    out, dpi, sheet = flatten_photo(rgb, 300.0)
    assert out is rgb and dpi == 300.0 and sheet is None


def test_a_picture_that_is_an_a4_page_at_its_dpi_is_a_scan(photo: tuple[Image.Image, dict[str, Any]]) -> None:
    img, _ = photo
    a4 = np.asarray(img.resize((1240, 1754)))  # a photo stretched to A4 proportions: the A4 page rule wins
    assert find_sheet(a4) is not None
    out, dpi, sheet = flatten_photo(a4, 150.0)
    assert out is a4 and dpi == 150.0 and sheet is None
    out, dpi, sheet = flatten_photo(a4, 72.0)  # the same picture at a phone's 72 dpi is no A4 page
    assert sheet is not None


def test_even_light_removes_a_shadow_and_keeps_the_ink() -> None:
    page = np.full((800, 600, 3), 240, np.uint8)
    page[390:410, 100:500] = (30, 40, 160)  # a blue stroke
    shade = np.linspace(1.0, 0.55, 600, dtype=np.float32)[None, :, None]  # darker to the right
    shaded = (page * shade).astype(np.uint8)
    even = even_light(shaded).astype(int)
    paper = even[100:300, 50:550]
    assert paper.mean() > 235 and np.ptp(paper.mean(axis=(0, 2))) < 12  # same white left and right
    stroke = even[395:405, 120:480]
    assert stroke[..., 2].mean() > stroke[..., 0].mean() + 60  # still blue
    assert stroke.mean() < 140  # still ink


def test_boxes_of_a_phone_photo_are_in_the_flat_page_frame(photo: tuple[Image.Image, dict[str, Any]]) -> None:
    img, truth = photo
    rep = verify_bytes(_jpeg(img, 72), "photo.jpg", VerifyOptions(teacher=truth["teacher"]))
    checks = {c.id: c.status for c in rep.checks}
    assert checks["scan.seal"] is CheckStatus.PASS
    assert checks["scan.handwritten_signature"] is CheckStatus.PASS
    assert checks["fields.person_name"] is CheckStatus.PASS
    assert rep.fields["date"].value == truth["date"]
    assert rep.fields["number"].value == truth["number"]
    assert len(rep.seals) == len(truth["seals"]) == 1
    assert _iou(rep.seals[0].bbox, truth["seals"][0]["bbox"]) >= 0.5
    sig_truth = truth["handwritten_signatures"]
    assert len(sig_truth) == 2
    for t in sig_truth:
        assert max(_iou(s.bbox, t["bbox"]) for s in rep.handwritten_signatures) >= 0.5, t
    # the report says how the photo became the analysed page: the sheet, A4 at 300 dpi
    (frame,) = rep.page_frames
    assert frame.page == 1 and frame.sheet is not None and frame.rotation == 0
    assert frame.source_size == img.size
    assert abs(frame.size_300[0] - A4_300[0]) <= 3 and abs(frame.size_300[1] - A4_300[1]) <= 5
    assert Report.from_dict(rep.to_dict()) == rep


def test_the_frame_rebuilds_the_analysed_page_from_a_small_picture() -> None:
    """What the UI shows: the photo at thumbnail size, put through the report's frame, is the flat page."""
    flat, _ = render_page(PageSpec(seal="round", signatures=2), 62)
    img, _corners = photograph(flat, random.Random(3))
    sheet = find_sheet(np.asarray(img))
    assert sheet is not None
    frame = PageFrame(1, img.size, (2480, 3508), 0, 0.0, sheet.corners, sheet.size)
    small = np.asarray(img.resize((img.size[0] // 4, img.size[1] // 4), Image.LANCZOS))
    shown = apply_frame(small, frame)
    assert abs(shown.shape[0] / shown.shape[1] - 3508 / 2480) < 0.01
    truth = np.asarray(flat.convert("L").resize((shown.shape[1], shown.shape[0]), Image.LANCZOS)).astype(int)
    got = np.asarray(Image.fromarray(shown).convert("L")).astype(int)
    assert np.abs(got - truth).mean() < 12
    # the unflattened photo is not the page: the test can tell them apart
    raw = np.asarray(Image.fromarray(small).convert("L").resize((shown.shape[1], shown.shape[0]))).astype(int)
    assert np.abs(raw - truth).mean() > 40


def test_a_sideways_page_frame_turns_the_picture_upright() -> None:
    upright, _ = render_page(PageSpec(seal="round"), 63)
    sideways = upright.rotate(90, expand=True)
    frame = PageFrame(1, sideways.size, (2480, 3508), 270)
    shown = apply_frame(np.asarray(sideways.resize((sideways.size[0] // 4, sideways.size[1] // 4))), frame)
    assert shown.shape[:2] == (upright.size[1] // 4, upright.size[0] // 4)
    truth = np.asarray(upright.convert("L").resize((shown.shape[1], shown.shape[0]))).astype(int)
    assert np.abs(np.asarray(Image.fromarray(shown).convert("L")).astype(int) - truth).mean() < 6


def test_a_report_box_maps_back_onto_the_file_s_own_picture(photo: tuple[Image.Image, dict[str, Any]]) -> None:
    """Labels drawn on the file (real scans' truth) compare with report boxes through box_to_source."""
    import cv2

    img, truth = photo
    sheet = find_sheet(np.asarray(img))
    assert sheet is not None
    frame = PageFrame(1, img.size, (2480, 3508), 0, 0.0, sheet.corners, sheet.size)
    seal = truth["seals"][0]["bbox"]
    # where the generator put the seal's corners in the photo (its own homography from sheet_corners)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [2480, 0], [2480, 3508], [0, 3508]], np.float32),
                                    np.array(truth["sheet_corners"], np.float32))
    corners = np.array([[seal[0], seal[1]], [seal[2], seal[1]], [seal[2], seal[3]], [seal[0], seal[3]]], np.float32)
    warped = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), m).reshape(-1, 2)
    expected = (warped[:, 0].min(), warped[:, 1].min(), warped[:, 0].max(), warped[:, 1].max())
    got = box_to_source(seal, frame)
    assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) < 6, (got, expected)
    # a sideways, skewed scan: the box goes back through the deskew and the quarter turn
    sideways = PageFrame(1, (3508, 2480), (2480, 3508), 270, 0.0)
    assert box_to_source((100, 200, 300, 400), sideways) == (200, 2180, 400, 2380)
    turned = PageFrame(1, (1240, 1754), (2480, 3508), 180, 0.0)  # 150 dpi, upside down
    assert box_to_source((100, 200, 300, 400), turned) == (1090, 1554, 1190, 1654)
    skewed = PageFrame(1, (2480, 3508), (2480, 3508), 0, 2.0)
    x0, y0, x1, y1 = box_to_source((1140, 1654, 1340, 1854), skewed)  # about the centre: nearly in place
    assert abs((x0 + x1) / 2 - 1240) < 1 and abs((y0 + y1) / 2 - 1754) < 1 and 200 < x1 - x0 < 215
