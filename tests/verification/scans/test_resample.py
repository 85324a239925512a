"""Resampling a page to a detector's resolution: whole-number reductions take OpenCV's exact integer path."""

from __future__ import annotations

import cv2
import numpy as np

from verification.scans.prepare import at_dpi


def _page(h: int = 3508, w: int = 2480) -> np.ndarray:
    return np.random.default_rng(5).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_a_float_dpi_near_a_whole_multiple_is_reduced_by_that_number() -> None:
    page = _page()
    half = at_dpi(page, 299.9999938, 150.0)  # what a scanner PDF's page size gives in floating point
    assert half.shape == (1754, 1240, 3)
    assert np.array_equal(half, cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    assert at_dpi(page, 600.0, 100.0).shape == (585, 413, 3)  # 1/6 exactly


def test_other_factors_keep_the_target_dpi() -> None:
    page = _page(1684, 1190)
    assert at_dpi(page, 143.9, 100.0).shape == (round(1684 * 100 / 143.9), round(1190 * 100 / 143.9), 3)


def test_enlarged_only_when_asked_and_left_alone_within_one_percent() -> None:
    page = _page(1000, 700)
    assert at_dpi(page, 121.0, 150.0) is page
    assert at_dpi(page, 121.0, 150.0, enlarge=True).shape == (round(1000 * 150 / 121), round(700 * 150 / 121), 3)
    assert at_dpi(page, 151.0, 150.0) is page
