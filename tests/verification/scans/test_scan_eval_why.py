"""``bench/scan_eval.py --replay --why``: each missed labelled signature and each wrong finding gets one word."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "scan_eval", Path(__file__).resolve().parents[3] / "bench" / "scan_eval.py")
assert _SPEC and _SPEC.loader
scan_eval = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(scan_eval)

TRUTH = [[100, 100, 300, 160], [100, 400, 300, 460], [500, 100, 700, 160], [500, 400, 700, 460],
         [100, 700, 300, 760]]


def test_each_miss_and_each_wrong_box_is_named() -> None:
    cands = [
        [100, 100, 300, 160],  # found
        [90, 390, 310, 700],  # the second signature and much below it: merged
        [500, 100, 550, 160], [650, 100, 700, 160],  # the third cut in three (the middle one not proposed): pieces
        [500, 400, 700, 460],  # the fourth: a candidate the net dropped
        [800, 800, 900, 850], [800, 900, 900, 950],  # on nothing labelled
    ]
    found = [[100, 100, 300, 160], [800, 800, 900, 850], [800, 900, 900, 950]]
    conf = [0.97, 0.93, 0.3]
    assert scan_eval.why_wrong(found, conf, cands, TRUTH) == [
        "merged", "pieces", "dropped", "no_candidate", "wrong_sure", "wrong_unsure"]


def test_a_page_found_right_has_nothing_to_say() -> None:
    assert scan_eval.why_wrong(TRUTH, [0.9] * 5, TRUTH, TRUTH) == []
