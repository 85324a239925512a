"""Verifications and page pictures in several threads of one process (the in-process worker and the
web process do exactly this): PDFium is not thread-safe, so without one lock the process dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_SCRIPT = r"""
import contextlib, sys
from concurrent.futures import ThreadPoolExecutor
import pypdfium2 as pdfium
import verification.pdfium_lock as lock
from tests.hostile.make_corpus import plain_pdf
from verification.pipeline import VerifyOptions, verify_bytes

if sys.argv[1] == "unlocked":
    lock.PDFIUM_LOCK = contextlib.nullcontext()

docs = [plain_pdf(3, text=f"Certificate number {i} issued to a participant of the seminar") for i in range(6)]

def verify(i):
    return verify_bytes(docs[i % 6], f"d{i}.pdf", VerifyOptions(workers=1)).verdict.value

def picture(i):
    with lock.PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(docs[i % 6])
        try:
            return pdf[0].render(scale=1.5).to_pil().size
        finally:
            pdf.close()

with ThreadPoolExecutor(6) as pool:
    verdicts = list(pool.map(verify, range(24)))
    sizes = list(pool.map(picture, range(48)))
print(len(verdicts), sorted(set(verdicts)), len(sizes))
"""


def test_concurrent_verifications_and_pictures_do_not_crash_the_process() -> None:
    proc = subprocess.run([sys.executable, "-c", _SCRIPT, "locked"], cwd=REPO, capture_output=True, text=True, check=False,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split("\n")[0] == "24 ['needs_review'] 48"
