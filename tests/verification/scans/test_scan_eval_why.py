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


def test_goals_say_met_or_by_how_much_missed() -> None:
    figures = {("seal", "page"): 1.0, ("seal", "box"): 0.9, ("signature", "page"): 0.984,
               ("signature", "box"): 0.821}
    assert scan_eval.goal_lines(figures, 1.25).splitlines()[1:] == [
        "    seal      page-level F1 ≥ 0.97: 1.000  met",
        "    seal      box-level F1 ≥ 0.90: 0.900  met",
        "    signature page-level F1 ≥ 0.95: 0.984  met",
        "    signature box-level F1 ≥ 0.85: 0.821  MISSED by 0.029",
        "    time ≤ 1.3 × plain tesseract: 1.25 ×  met",
        f"    tried so far: {scan_eval.TRIED}",
    ]


def test_a_missed_time_is_said_and_a_class_no_page_labels_has_no_line() -> None:
    lines = scan_eval.goal_lines({("signature", "page"): 0.96, ("signature", "box"): 0.86}, 1.4).splitlines()
    assert lines[1:] == ["    signature page-level F1 ≥ 0.95: 0.960  met",
                         "    signature box-level F1 ≥ 0.85: 0.860  met",
                         "    time ≤ 1.3 × plain tesseract: 1.40 ×  MISSED by 0.10",
                         f"    tried so far: {scan_eval.TRIED}"]
