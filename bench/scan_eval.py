"""Scan-analysis evaluation on the generated labelled set, side by side with plain tesseract.

Prints precision/recall/F1 of seal and handwritten-signature presence per page, per-field accuracy,
seconds per page of our analysis next to plain ``OMP_THREAD_LIMIT=1 tesseract -l rus+kaz+eng`` on the
same pages in the same run, a text-layer PDF page, and a multi-page TIFF with 1 vs 2 workers.

    .venv/bin/python bench/scan_eval.py --limit 30            # a few minutes on 2 cores
    .venv/bin/python bench/scan_eval.py --set DIR --limit 0    # every page of an existing set
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz

from samples.scans.generate import generate
from verification.fields import extract_fields
from verification.pipeline import VerifyOptions, verify_file


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def plain_tesseract(path: Path) -> tuple[float, str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    t = time.perf_counter()
    proc = subprocess.run(["tesseract", str(path), "stdout", "-l", "rus+kaz+eng"], capture_output=True, env=env,
                          check=False)
    return time.perf_counter() - t, proc.stdout.decode("utf-8", "replace")


def text_layer_pdf(out: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    c = canvas.Canvas(str(out), pagesize=A4)
    c.setFont("DejaVu", 12)
    lines = ["КГУ «Методический центр управления образования Жамбылской области»", "ПРИКАЗ",
             "№ 84-ө от 10.03.2022", "Провести республиканский семинар в Байзакском районе, Меркенском районе",
             "и г. Тараз. Спикер: Жумабаева Айгерим Сериковна.", "Директор ____________ А.К. Сарсенбаева"]
    for i, ln in enumerate(lines):
        c.drawString(60, 780 - i * 20, ln)
    c.save()
    return out


def extras(tmp: Path, set_dir: Path, truth: list[dict]) -> None:
    pdf = text_layer_pdf(tmp / "text.pdf")
    verify_file(pdf)
    t = time.perf_counter()
    for _ in range(5):
        verify_file(pdf)
    print(f"{'seconds per text-layer PDF page':32s} {(time.perf_counter() - t) / 5:.3f}")
    from PIL import Image

    frames = [Image.open(set_dir / r["file"]).convert("L") for r in truth[:4]]
    tiff = tmp / "multi.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(300, 300))
    times: dict[int, float] = {1: float("inf"), 2: float("inf")}
    for workers in (1, 2, 1, 2):  # alternate and keep the best: the machine is shared
        t = time.perf_counter()
        verify_file(tiff, VerifyOptions(workers=workers))
        times[workers] = min(times[workers], time.perf_counter() - t)
    print(f"{'4-page TIFF wall time (best of 2)':32s} 1 worker {times[1]:.1f} s   2 workers {times[2]:.1f} s   "
          f"speed-up {times[1] / times[2]:.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser(description="scan analysis evaluation")
    ap.add_argument("--set", type=Path, default=None, help="existing set (with truth.json); default: generate")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--limit", type=int, default=30, help="pages to evaluate (0 = all)")
    ap.add_argument("--min-dpi", type=int, default=200, help="the goals are for the 200-300 dpi set")
    ap.add_argument("--max-dpi", type=int, default=300)
    ap.add_argument("--no-extras", action="store_true", help="skip the text-layer and multi-page timings")
    ap.add_argument("--json", type=Path, default=None, help="write per-page results here")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="attest-scan-eval-"))
    set_dir = a.set or tmp / "set"
    if a.set is None:
        t = time.perf_counter()
        generate(set_dir, a.count, a.seed)
        print(f"generated {a.count} pages in {time.perf_counter() - t:.0f} s → {set_dir}")
    truth = json.loads((set_dir / "truth.json").read_text(encoding="utf-8"))
    truth = [r for r in truth if a.min_dpi <= r["spec"]["dpi"] <= a.max_dpi]
    if a.limit:
        truth = truth[: a.limit]
    counts = {"seal": [0, 0, 0], "sig": [0, 0, 0]}
    field_ok = {k: 0 for k in ("person_name", "date", "number", "issuer", "kind", "level", "places")}
    ours, base, rows = [], [], []
    seal_iou = []
    base_ok = {"person_name": 0, "date": 0, "number": 0}
    upright: list[tuple[float, float]] = []
    for rec in truth:
        path = set_dir / rec["file"]
        tb, plain_text = plain_tesseract(path)
        bf = extract_fields(plain_text, rec["teacher"])
        base_ok["person_name"] += bool(bf.person and bf.person.matches_expected)
        base_ok["date"] += bool(bf.date and bf.date.iso == rec["date"])
        base_ok["number"] += bool(bf.number and bf.number.value == rec["number"])
        t = time.perf_counter()
        rep = verify_file(path, VerifyOptions(teacher=rec["teacher"], workers=1))
        to = time.perf_counter() - t
        base.append(tb)
        ours.append(to)
        if rec["spec"]["rotation"] == 0 and not rec["spec"]["skew"]:
            upright.append((to, tb))
        d = rep.to_dict("en")
        for key, found, gt in (("seal", d["seals"], rec["seals"]), ("sig", d["handwritten_signatures"],
                                                                      rec["handwritten_signatures"])):
            c = counts[key]
            if found and gt:
                c[0] += 1
            elif found:
                c[1] += 1
            elif gt:
                c[2] += 1
        if d["seals"] and rec["seals"] and rec["spec"]["rotation"] == 0:
            b, g = d["seals"][0]["bbox"], rec["seals"][0]["bbox"]
            ix = max(0, min(b[2], g[2]) - max(b[0], g[0]))
            iy = max(0, min(b[3], g[3]) - max(b[1], g[1]))
            seal_iou.append(ix * iy / ((b[2] - b[0]) * (b[3] - b[1]) + (g[2] - g[0]) * (g[3] - g[1]) - ix * iy))
        f = d["fields"]
        got = {
            "person_name": f["person_name"]["matches_expected"] is True,
            "date": f["date"]["value"] == rec["date"],
            "number": f["number"]["value"] == rec["number"],
            "issuer": bool(f["issuer"]["value"]) and fuzz.ratio(f["issuer"]["value"], rec["issuer"]) >= 85,
            "kind": d["kind"] == rec["kind"],
            "level": f["level"]["value"] == rec["level"],
            "places": set(rec["places"]) <= {p["id"] for p in f["places"]["value"] or []},
        }
        for k, v in got.items():
            field_ok[k] += bool(v)
        rows.append({"file": rec["file"], "ours_s": round(to, 2), "tesseract_s": round(tb, 2), **got,
                     "seal": bool(d["seals"]), "seal_truth": bool(rec["seals"]),
                     "sig": bool(d["handwritten_signatures"]), "sig_truth": bool(rec["handwritten_signatures"]),
                     "fields": {k: v["value"] for k, v in f.items() if k != "places"}, "truth": {
                         k: rec[k] for k in ("date", "number", "issuer", "kind", "level")}})
        print(f"  {rec['file']}  ours {to:5.2f} s  tesseract {tb:5.2f} s  "
              f"seal {int(bool(d['seals']))}/{int(bool(rec['seals']))}  sig "
              f"{int(bool(d['handwritten_signatures']))}/{int(bool(rec['handwritten_signatures']))}  "
              + " ".join(k for k, v in got.items() if not v), flush=True)
    n = len(truth)
    print(f"\n{n} pages at {a.min_dpi}-{a.max_dpi} dpi (seed {a.seed})")
    for key, label in (("seal", "seal presence"), ("sig", "handwritten signature presence")):
        p, r, f1 = prf(*counts[key])
        print(f"{label:32s} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}   (tp/fp/fn {counts[key]})")
    if seal_iou:
        print(f"{'seal bbox IoU (upright pages)':32s} mean {sum(seal_iou) / len(seal_iou):.3f}")
    for k, v in field_ok.items():
        extra = f"   (same parsers on plain tesseract text: {base_ok[k] / n:.3f})" if k in base_ok else ""
        print(f"{'field ' + k:32s} accuracy {v / n:.3f}{extra}")
    so, sb = sum(ours) / n, sum(base) / n
    print(f"{'seconds per image page, all':32s} ours {so:.2f}   plain tesseract {sb:.2f}   ratio {so / sb:.2f}")
    if upright:
        uo, ub = sum(t[0] for t in upright) / len(upright), sum(t[1] for t in upright) / len(upright)
        print(f"{'  upright unskewed pages':32s} ours {uo:.2f}   plain tesseract {ub:.2f}   ratio {uo / ub:.2f}"
              f"   ({len(upright)} pages; on skewed/turned pages plain tesseract reads little, so it is faster)")
    if not a.no_extras:
        extras(tmp, set_dir, truth)
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
