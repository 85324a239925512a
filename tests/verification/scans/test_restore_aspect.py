"""``scripts/restore_realscans_aspect.py``: squeezed Tobacco800 letters back in US Letter proportions, boxes
with them; other pages linked unchanged."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
from PIL import Image

_SPEC = importlib.util.spec_from_file_location(
    "restore_realscans_aspect", Path(__file__).resolve().parents[3] / "scripts" / "restore_realscans_aspect.py")
assert _SPEC and _SPEC.loader
restore_aspect = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(restore_aspect)


def test_square_letters_are_stretched_and_their_boxes_with_them(tmp_path: Path) -> None:
    src, out = tmp_path / "realscans", tmp_path / "copy"
    (src / "images").mkdir(parents=True)
    letter = np.full((200, 200, 3), 255, np.uint8)
    letter[100:110, 40:160] = 0  # a bar whose rows must move with the stretch
    Image.fromarray(letter).save(src / "images" / "tobacco800__1.tif")
    Image.fromarray(np.full((140, 100), 255, np.uint8)).save(src / "images" / "kzoffice__a.png")
    Image.fromarray(np.full((64, 64), 255, np.uint8)).save(src / "images" / "kacper__b.jpg")
    pages = [
        {"image": "images/tobacco800__1.tif", "width": 200, "height": 200, "seals": [],
         "signatures": [[40.0, 100.0, 160.0, 110.0]], "labelled_classes": ["signature"]},
        {"image": "images/kzoffice__a.png", "width": 100, "height": 140, "seals": [[1.0, 2.0, 3.0, 4.0]],
         "signatures": [], "labelled_classes": ["seal", "signature"]},
        {"image": "images/kacper__b.jpg", "width": 64, "height": 64, "seals": [], "signatures": [[1.0, 2.0, 3.0, 4.0]],
         "labelled_classes": ["signature"]},
    ]
    (src / "labels.json").write_text(json.dumps({"pages": pages}), encoding="utf-8")

    assert restore_aspect.restore(src, out) == (1, 2)

    labels = {p["image"]: p for p in json.loads((out / "labels.json").read_text(encoding="utf-8"))["pages"]}
    tob = labels["images/tobacco800__1.tif"]
    assert tob["height"] == 259  # 200 × 11 / 8.5
    x0, y0, x1, y1 = tob["signatures"][0]
    assert (x0, x1) == (40.0, 160.0)
    assert abs(y0 - 129.41) < 0.01 and abs(y1 - 142.35) < 0.01
    stretched = np.asarray(Image.open(out / "images" / "tobacco800__1.tif").convert("L"))
    assert stretched.shape == (259, 200)
    dark_rows = np.flatnonzero(stretched[:, 100] < 128)
    assert dark_rows.min() >= 129 and dark_rows.max() <= 143  # the bar moved with its box
    # unchanged sources: the same file, the same labels
    assert (out / "images" / "kzoffice__a.png").resolve() == (src / "images" / "kzoffice__a.png").resolve()
    assert labels["images/kzoffice__a.png"]["seals"] == [[1.0, 2.0, 3.0, 4.0]]
    assert (out / "images" / "kacper__b.jpg").is_symlink()
    assert labels["images/kacper__b.jpg"]["signatures"] == [[1.0, 2.0, 3.0, 4.0]]
    # running it again over the same folder replaces what is there
    assert restore_aspect.restore(src, out) == (1, 2)
