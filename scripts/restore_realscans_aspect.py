"""A copy of ../shared/realscans with the Tobacco800 letters back in their paper's proportions.

The Tobacco800 pages were resized to 1000×1000 upstream (``realscans/README.md``: "aspect not kept"): a US
Letter page (8.5 × 11 in) squeezed to a square, its print and handwriting 0.77 times their height. Teachers
upload scans and photos in their paper's proportions, so the detectors must be measured on those too: this
writes the same set with every ``tobacco800__`` page stretched back to 1000×1294 (bicubic; the stored pages
are already grey-level, not bilevel) and its boxes scaled with it. The other sources keep their proportions
(Kazakh office pages, specimen sheets) or have none that can be known (the ``kacper__`` pictures mix portrait
letters with landscape certificates, all stretched to 640×640): they are linked unchanged. Same file names,
so ``bench/realscans_split.json`` applies as it is.

    .venv/bin/python scripts/restore_realscans_aspect.py --out /tmp/realscans-letter
    ATTEST_REALSCANS=/tmp/realscans-letter .venv/bin/python bench/scan_eval.py --part tuning --no-synthetic
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

STRETCH = {"tobacco800": 11.0 / 8.5}
"""Height factor per source: the paper's height over its width, the stored page being square."""


def restore(src: Path, out: Path) -> tuple[int, int]:
    """Writes the restored copy; returns (pages stretched, pages linked)."""
    labels = json.loads((src / "labels.json").read_text(encoding="utf-8"))
    (out / "images").mkdir(parents=True, exist_ok=True)
    stretched = linked = 0
    for page in labels["pages"]:
        source = Path(page["image"]).name.split("__", 1)[0]
        factor = STRETCH.get(source)
        target = out / page["image"]
        if target.exists() or target.is_symlink():
            target.unlink()
        if factor is None or page["width"] != page["height"]:
            target.symlink_to((src / page["image"]).resolve())
            linked += 1
            continue
        with Image.open(src / page["image"]) as im:
            rgb = im.convert("RGB")
            height = round(rgb.height * factor)
            rgb.resize((rgb.width, height), Image.Resampling.BICUBIC).save(target, compression="tiff_lzw")
        page["height"] = height
        for key in ("seals", "signatures", "qr_codes"):
            page[key] = [[b[0], b[1] * factor, b[2], b[3] * factor] for b in page.get(key, [])]
        stretched += 1
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    return stretched, linked


def main() -> int:
    from scan_eval import REALSCANS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realscans", type=Path, default=REALSCANS)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    stretched, linked = restore(a.realscans, a.out)
    print(f"{stretched} pages stretched back to their paper's proportions, {linked} linked unchanged → {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
