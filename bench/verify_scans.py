"""A 10-page scanned PDF through the verification pipeline with 1 and with 2 OCR workers, beside
plain single-thread `tesseract -l rus+kaz+eng` on the same pages, in one run.

Goal (issue 16): on 2 cores, the 2-worker time is at most 0.6 x the 1-worker time.

    .venv/bin/python bench/verify_scans.py [--pages 10]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10)
    args = ap.parse_args()

    import img2pdf

    from samples.scans.generate import PageSpec, render_page
    from verification.pipeline import VerifyOptions, verify_file

    tmp = Path(tempfile.mkdtemp(prefix="attest-scan-bench-"))
    images = []
    for n in range(args.pages):
        img, _ = render_page(PageSpec(lang=("ru", "kk")[n % 2], kind="order", grey=n % 3 == 1,
                                      seal=("round", None)[n % 2], signature=n == args.pages - 1), 500 + n)
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "JPEG", quality=80, dpi=(300, 300))
        images.append(buf.getvalue())
        (tmp / f"page-{n}.jpg").write_bytes(buf.getvalue())
    pdf = tmp / "scan.pdf"
    pdf.write_bytes(img2pdf.convert(images))

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    t0 = time.perf_counter()
    for n in range(args.pages):
        subprocess.run(["tesseract", str(tmp / f"page-{n}.jpg"), "-", "-l", "rus+kaz+eng"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tesseract_s = time.perf_counter() - t0

    times = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        report = verify_file(pdf, VerifyOptions(workers=workers))
        times[workers] = time.perf_counter() - t0
        assert report.pages == args.pages, report.pages
    print(f"{args.pages}-page scanned PDF ({pdf.stat().st_size // 1024} KB), {os.cpu_count()} cores")
    print(f"  plain tesseract -l rus+kaz+eng, one page after another  {tesseract_s:6.1f} s")
    print(f"  Attest, 1 OCR worker                                    {times[1]:6.1f} s")
    print(f"  Attest, 2 OCR workers (the default)                     {times[2]:6.1f} s   "
          f"= {times[2] / times[1]:.2f} x the 1-worker time (goal <= 0.6)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
