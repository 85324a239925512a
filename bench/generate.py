"""Generation benchmark: the product against the baseline tools, side by side in one run.

    .venv/bin/python bench/generate.py [--quick]

1. DOCX renders per second: the product's renderer vs bare docxtpl on the same template and context.
2. PDF seconds per document: the product's warm converter vs one `soffice --convert-to pdf` process
   per document vs one `soffice` call converting the whole batch; and the product's batch throughput
   over its two LibreOffice instances.
3. A batch of 500 certificates (CSV rows → ZIP of registered PDFs) through `generate_batch`.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from samples import DATA_DIR
from service.generation.render import (
    _ENVS,
    Registration,
    build_context,
    qr_png,
    render_docx,
    template_path,
)
from service.generation.schemas import example_data
from service.generation.service import validate

KIND, LANG = "certificate", "kk"


def bench_render(n: int) -> tuple[float, float]:
    model = validate(KIND, example_data(KIND, LANG))
    reg = Registration("AbCdEfGhIjKlMnOpQrStUv", "MC-KRG-CRT-2024-00001", 1,
                       "https://attest.local/check/AbCdEfGhIjKlMnOpQrStUv?h=" + "0" * 64)
    render_docx(KIND, LANG, model, "1", reg)  # warm caches
    t = time.perf_counter()
    for _ in range(n):
        render_docx(KIND, LANG, model, "1", reg)
    product = n / (time.perf_counter() - t)

    path = template_path(KIND, LANG)
    png = qr_png(reg.qr_payload)
    t = time.perf_counter()
    for _ in range(n):  # what a script would do with docxtpl alone: load, render (same context + QR), save
        tpl = DocxTemplate(str(path))
        ctx = build_context(KIND, LANG, model, "1")
        ctx["reg"] = {"number": reg.number, "document_id": reg.document_id}
        ctx["qr"] = InlineImage(tpl, io.BytesIO(png), width=Mm(24))
        tpl.render(ctx, _ENVS[LANG], autoescape=True)
        tpl.save(io.BytesIO())
    bare = n / (time.perf_counter() - t)
    return product, bare


def _docs(n: int, folder: Path) -> list[Path]:
    model = validate(KIND, example_data(KIND, LANG))
    paths = []
    for i in range(n):
        p = folder / f"doc{i:03d}.docx"
        p.write_bytes(render_docx(KIND, LANG, model, str(i + 1), None))
        paths.append(p)
    return paths


def _soffice(args: list[str], profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    *args], check=True, capture_output=True, timeout=600)


def bench_pdf(n_single: int, n_batch: int, work: Path) -> dict[str, float]:
    from service.generation.converter import get_converter

    pool = get_converter()
    t = time.perf_counter()
    pool.warm_up()
    startup = time.perf_counter() - t
    docs = _docs(n_batch, work)
    blobs = [p.read_bytes() for p in docs]
    pool.convert(blobs[0])
    t = time.perf_counter()
    for b in blobs[:n_single]:
        pool.convert(b)
    warm = (time.perf_counter() - t) / n_single
    t = time.perf_counter()
    with ThreadPoolExecutor(pool.size + 1) as ex:
        list(ex.map(pool.convert, blobs))
    product_batch = (time.perf_counter() - t) / n_batch

    profile = work / "lo-profile"
    outdir = work / "out"
    outdir.mkdir()
    _soffice(["--outdir", str(outdir), str(docs[0])], profile)  # first start creates the profile
    t = time.perf_counter()
    for p in docs[:3]:
        _soffice(["--outdir", str(outdir), str(p)], profile)
    per_doc = (time.perf_counter() - t) / 3
    t = time.perf_counter()
    _soffice(["--outdir", str(outdir), *map(str, docs)], profile)
    one_call = (time.perf_counter() - t) / n_batch
    return {"startup": startup, "warm": warm, "product_batch": product_batch, "soffice_per_doc": per_doc,
            "soffice_one_call": one_call}


def bench_batch(n: int, work: Path) -> tuple[float, int]:
    from service.documents.service import generate_batch

    src = list(csv.reader((DATA_DIR / "participants.csv").open(encoding="utf-8")))
    header, rows = src[0], src[1:]
    path = work / "participants.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(n):
            row = list(rows[i % len(rows)])
            row[header.index("number")] = f"С-2024/{i + 1:04d}"
            w.writerow(row)
    t = time.perf_counter()
    result = generate_batch("certificate", path, "ru", "pdf", work / "certs.zip")
    return time.perf_counter() - t, len(result.written)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller runs (100-certificate batch)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="attest-bench-"))
    os.environ.setdefault("ATTEST_DATA_DIR", str(work / "data"))
    try:
        product, bare = bench_render(20 if args.quick else 50)
        print(f"DOCX render ({KIND}.{LANG}): product {product:6.1f}/s ({1000 / product:5.1f} ms)   "
              f"bare docxtpl {bare:6.1f}/s ({1000 / bare:5.1f} ms)   ratio {bare / product:4.2f}x of bare time")
        pdf = bench_pdf(10, 20 if args.quick else 40, work)
        print(f"PDF per document: product warm {pdf['warm']:.3f} s   product batch (2 instances) "
              f"{pdf['product_batch']:.3f} s   soffice per document {pdf['soffice_per_doc']:.3f} s   "
              f"one soffice call for the batch {pdf['soffice_one_call']:.3f} s   (converter start-up "
              f"{pdf['startup']:.1f} s, once)")
        n = 100 if args.quick else 500
        seconds, written = bench_batch(n, work)
        print(f"Batch: {written} certificates → ZIP of registered PDFs in {seconds:.1f} s "
              f"({seconds / max(written, 1):.3f} s each; goal for 500: < 60 s)")
    finally:
        from service.generation.converter import shutdown_converter

        shutdown_converter()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
