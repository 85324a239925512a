"""The synthetic regression set: its harder cases are drawn, and every seal and signature has its box."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from samples.scans.generate import A4_300, PageSpec, generate, random_spec, render_page


def _overlap(a: list[int], b: list[int]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _ink_share(img: np.ndarray, box: list[int]) -> float:
    x0, y0, x1, y1 = box
    region = img[y0:y1, x0:x1]
    return float((region.min(axis=2) < 170).mean())


def test_every_signature_of_a_signature_block_has_its_box() -> None:
    for n in (2, 3, 5):
        img, truth = render_page(PageSpec(seal=None, signatures=n), 70 + n)
        rgb = np.asarray(img.convert("RGB"))
        boxes = [s["bbox"] for s in truth["handwritten_signatures"]]
        assert len(boxes) == n
        assert all(0 <= b[0] < b[2] <= A4_300[0] and 0 <= b[1] < b[3] <= A4_300[1] for b in boxes)
        assert len({b[1] // 150 for b in boxes}) == n  # one row each
        for b in boxes:  # ink inside each box, paper just above the top row's box
            assert _ink_share(rgb, b) > 0.01
        top = min(boxes, key=lambda b: b[1])
        assert _ink_share(rgb, [top[0], top[1] - 60, top[2], top[1] - 5]) < 0.02


def test_seal_across_the_signature_and_across_the_text_and_a_second_stamp() -> None:
    _, on_sig = render_page(PageSpec(seal="round", signatures=2, seal_place="signature"), 81)
    assert _overlap(on_sig["seals"][0]["bbox"], on_sig["handwritten_signatures"][0]["bbox"])
    _, on_text = render_page(PageSpec(seal="oval", seal_place="text", second_seal=True), 82)
    seal, stamp = on_text["seals"]
    assert (seal["kind"], stamp["kind"]) == ("oval", "rectangular")
    assert seal["bbox"][1] < 2300 < on_text["handwritten_signatures"][0]["bbox"][1]  # in the body, above the block
    assert stamp["bbox"][1] < 700 and stamp["bbox"][2] > A4_300[0] - 400  # top right
    assert not _overlap(seal["bbox"], stamp["bbox"])


def test_black_and_white_faint_and_photo_pages() -> None:
    bw, _ = render_page(PageSpec(bw=True, dpi=150), 83)
    assert bw.mode == "L" and set(np.unique(np.asarray(bw))) == {0, 255}
    assert bw.size == (1240, 1754)
    faint, _ = render_page(PageSpec(contrast=0.45), 84)
    grey = np.asarray(faint.convert("L"))
    assert np.percentile(grey, 0.5) > 90 and np.median(grey) < 240  # no black ink, no white paper
    photo, truth = render_page(PageSpec(photo=True), 85)
    corners = np.array(truth["sheet_corners"])
    assert photo.size[0] > A4_300[0] and photo.size[1] > A4_300[1]
    assert corners.min() > 0 and (corners[:, 0] < photo.size[0]).all() and (corners[:, 1] < photo.size[1]).all()
    rgb = np.asarray(photo).astype(int)
    assert rgb[:40, :40].mean() < 170  # the table around the sheet is darker than paper


def test_the_random_set_mixes_the_hard_cases() -> None:
    rng = random.Random(7)
    specs = [random_spec(rng) for _ in range(400)]

    def share(pred: object) -> float:
        return sum(1 for s in specs if pred(s)) / len(specs)  # type: ignore[operator]

    assert 0.12 < share(lambda s: s.photo) < 0.3
    assert 0.07 < share(lambda s: s.bw) < 0.25
    assert 0.15 < share(lambda s: s.grey and not s.bw) < 0.45
    assert 0.12 < share(lambda s: s.contrast < 1) < 0.35
    assert 0.3 < share(lambda s: s.signature and s.signatures >= 2)
    assert 0.08 < share(lambda s: s.seal and s.seal_place == "signature")
    assert 0.05 < share(lambda s: s.second_seal)
    assert share(lambda s: s.dpi == 150) > 0.15
    assert not any(s.photo and (s.rotation or s.grey) for s in specs)


def test_generate_keeps_its_interface(tmp_path: Path) -> None:
    records = generate(tmp_path, 3, 5)
    stored = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert stored == records and len(records) == 3
    for rec in records:
        assert (tmp_path / rec["file"]).is_file()
        for key in ("lang", "kind", "teacher", "date", "number", "issuer", "level", "event_form", "places",
                    "seals", "handwritten_signatures", "spec"):
            assert key in rec
        assert isinstance(rec["seals"], list) and isinstance(rec["handwritten_signatures"], list)
        sigs = rec["spec"]["signatures"] if rec["spec"]["signature"] else 0
        assert len(rec["handwritten_signatures"]) == sigs
