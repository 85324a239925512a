"""Split ../shared/realscans once into a tuning part and a held-out part, by source document.

Pages of one document (its versions at other scan qualities, other pages, augmented copies) share a
*family* and never straddle the split. Per source, families are ordered by a hash of their name and
taken into the held-out part until it holds about 30 % of that source's pages (a family
that would push it past 40 % is skipped). The result is
committed as ``bench/realscans_split.json``; tune only on ``tuning``, quote only ``held_out``.

    python scripts/make_realscans_split.py [--realscans ../shared/realscans]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT_SHARE = 0.30


def family(image: str) -> str:
    """``images/kzoffice__отр-22_page_0003.png`` → ``kzoffice:отр``."""
    name = Path(image).name
    source, _, rest = name.partition("__")
    stem = rest.rsplit(".", 1)[0]
    if source == "kzoffice":
        # the part before the first '-' or digit, case-folded; «локалсметчб» is the b/w «локалсмета»
        head = re.split(r"[-\d_]", stem, maxsplit=1)[0].lower()
        head = {"локалсметчб": "локалсмета", "дозиметрия": "дозиметр"}.get(head, head)
        return f"{source}:{head}"
    if source == "kacper":
        # roboflow exports: «image_40_png_jpg.rf.<hash>» — copies of one original share the part before _png/_jpg
        return f"{source}:" + re.split(r"_(?:png|jpg|jpeg)|\.rf\.", stem, maxsplit=1)[0]
    return f"{source}:{stem}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--realscans", type=Path, default=ROOT.parent / "shared" / "realscans")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "realscans_split.json")
    a = ap.parse_args()
    pages = json.loads((a.realscans / "labels.json").read_text(encoding="utf-8"))["pages"]
    by_source: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in pages:
        fam = family(p["image"])
        by_source[fam.split(":")[0]][fam].append(p["image"])
    tuning: list[str] = []
    held_out: list[str] = []
    families: dict[str, str] = {}
    for source in sorted(by_source):
        fams = by_source[source]
        total = sum(len(v) for v in fams.values())
        taken = 0
        for fam in sorted(fams, key=lambda f: hashlib.sha1(f.encode()).hexdigest()):
            n = len(fams[fam])
            # a family that would push the held-out part past 40 % stays in tuning (one big document
            # must not leave nothing to tune on)
            fits = taken + n <= (HELD_OUT_SHARE + 0.10) * total
            part = "held_out" if taken < HELD_OUT_SHARE * total and fits else "tuning"
            if part == "held_out":
                taken += len(fams[fam])
            families[fam] = part
            (held_out if part == "held_out" else tuning).extend(sorted(fams[fam]))
    out = {
        "about": "Split of ../shared/realscans by source document (family); made by scripts/make_realscans_split.py. "
                 "Tune on 'tuning', quote 'held_out' only.",
        "families": dict(sorted(families.items())),
        "tuning": sorted(tuning),
        "held_out": sorted(held_out),
    }
    a.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for part in ("tuning", "held_out"):
        names = set(out[part])
        per = defaultdict(lambda: [0, 0, 0, 0, 0])
        for p in pages:
            if p["image"] in names:
                s = per[Path(p["image"]).name.split("__")[0]]
                s[0] += 1
                s[1] += bool(p["seals"]) and "seal" in p["labelled_classes"]
                s[2] += len(p["seals"])
                s[3] += bool(p["signatures"])
                s[4] += len(p["signatures"])
        print(part, {k: dict(zip(("pages", "seal_pages", "seals", "sig_pages", "sigs"), v, strict=True))
                     for k, v in sorted(per.items())})


if __name__ == "__main__":
    main()
