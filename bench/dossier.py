"""Benchmark: assembling a dossier of 30 documents / 150 pages (half of the documents scans), already
verified, beside a bare pypdf merge of the same PDFs with bookmarks, in one run.

    .venv/bin/python bench/dossier.py [--runs 3]

Documents: 15 born-digital PDFs of 9 pages and 15 JPEG scans (A4, 150 dpi), each with a report
carrying a seal and a handwritten signature (so the summaries crop thumbnails). Timed: matching +
assembly (cover, requirements, 30 summaries, pages, bookmarks, footers, 30 attachments, ZIP,
manifest), unsigned and PAdES-signed. Baseline: pypdf appends the same 30 PDFs (the JPEGs already
turned into PDFs by img2pdf, untimed), one bookmark each, and writes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _inputs(folder: Path):  # type: ignore[no-untyped-def]
    import img2pdf
    from PIL import Image, ImageDraw

    from samples.dossier.reports import PERIOD, TEACHER, make_report, place
    from samples.dossier.specimens import make_pdf
    from service.attestation.assembly import DossierDocument

    docs = []
    baseline_pdfs = []
    for i in range(15):
        pdf = make_pdf(folder / f"doc_{i:02d}.pdf", f"ДОКУМЕНТ № {i}", [f"Страница текста {k}" for k in range(30)],
                       pages=9)
        data = pdf.read_bytes()
        rep = make_report(pdf.name, "certificate", media_type="application/pdf", pages=9,
                          sha256=hashlib.sha256(data).hexdigest(), digital=None, seal=True, handwritten=True)
        docs.append(DossierDocument(pdf.name, pdf, rep))
        baseline_pdfs.append(data)
    for i in range(15):
        img = Image.new("RGB", (1240, 1754), "white")
        d = ImageDraw.Draw(img)
        for k in range(60):
            d.line((100, 100 + 25 * k, 1100, 100 + 25 * k), fill=(60, 60, 60), width=2)
        d.ellipse((700, 1300, 900, 1500), outline=(40, 70, 190), width=6)
        jpg = folder / f"scan_{i:02d}.jpg"
        img.save(jpg, "JPEG", quality=85, dpi=(150, 150))
        data = jpg.read_bytes()
        rep = make_report(jpg.name, "transmission_program", sha256=hashlib.sha256(data).hexdigest(), seal=True,
                          handwritten=True, places=[place(f"d{i}", f"Район {i}")], level="district")
        docs.append(DossierDocument(jpg.name, jpg, rep))
        baseline_pdfs.append(img2pdf.convert(data))
    return docs, baseline_pdfs, PERIOD, TEACHER


def _baseline(pdfs: list[bytes], out: Path) -> float:
    from pypdf import PdfReader, PdfWriter

    t = time.perf_counter()
    w = PdfWriter()
    for n, data in enumerate(pdfs):
        start = len(w.pages)
        w.append(PdfReader(io.BytesIO(data)))
        w.add_outline_item(title=f"document {n + 1}", page_number=start)
    with out.open("wb") as fh:
        w.write(fh)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("ATTEST_DATA_DIR", tempfile.mkdtemp(prefix="attest-bench-"))
    from samples.pki import build_test_pki
    from service.attestation.assembly import assemble_dossier
    from service.attestation.matching import Evidence, match_evidence
    from service.attestation.profiles import load_profile
    from service.signing import PadesSigner

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docs, pdfs, period, teacher = _inputs(folder)
        pki = build_test_pki(folder / "pki")
        service = pki.signers["service"]
        signer = PadesSigner(service.p12, service.password)
        profile = load_profile("kz-tvet-expert")

        def ours(sign: bool) -> tuple[float, int]:
            t = time.perf_counter()
            match = match_evidence(profile, [Evidence(d.name, d.report) for d in docs], period=period,
                                   dossier_id="D-BENCH")
            res = assemble_dossier(folder / "out", dossier_id="D-BENCH", teacher=teacher, documents=docs,
                                   match=match, lang="ru", signer=signer if sign else None)
            return time.perf_counter() - t, res.pages

        ours(False)  # warm-up: imports, font registration
        _baseline(pdfs, folder / "baseline.pdf")
        base = [_baseline(pdfs, folder / "baseline.pdf") for _ in range(args.runs)]
        unsigned = [ours(False) for _ in range(args.runs)]
        signed = [ours(True) for _ in range(args.runs)]
        pages = unsigned[0][1]
        size = (folder / "out" / "dossier.pdf").stat().st_size
        print(f"dossier: 30 documents (15 PDFs x 9 pages, 15 JPEG scans), {pages} pages in dossier.pdf "
              f"({size / 1e6:.1f} MB), {os.cpu_count()} CPUs, best of {args.runs}")
        print(f"  bare pypdf merge + bookmarks (150 pages)        {min(base):6.2f} s   "
              f"(median {statistics.median(base):.2f})")
        print(f"  Attest match + assemble, unsigned                {min(u for u, _ in unsigned):6.2f} s   "
              f"(median {statistics.median(u for u, _ in unsigned):.2f})")
        print(f"  Attest match + assemble + PAdES signature        {min(s for s, _ in signed):6.2f} s   "
              f"(median {statistics.median(s for s, _ in signed):.2f})")
        goal = min(s for s, _ in signed)
        print(f"  goal < 2.0 s: {'met' if goal < 2.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
