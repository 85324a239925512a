"""Signature verification speed, side by side with bare pyHanko, in one run.

    .venv/bin/python bench/verify_signatures.py [--runs 20] [--procs 3]

1. in-process, ms per validation of the same signed PDF (PAdES B-B, RSA 2048, test PKI, CRLs offline):
   our SignatureStep (pypdfium2 open + pyHanko + revocation coverage + report values) against bare
   pyHanko (PdfFileReader + validate_pdf_signature with the same trust roots and CRLs);
2. as a whole process: ``attest verify --json --trust DIR file.pdf`` against
   ``pyhanko sign validate --trust root --other-certs intermediate --no-revocation-check file.pdf``.
Goals: in-process within 1.2x of bare pyHanko; the attest process faster than pyHanko's CLI.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up: imports and caches are not what we measure
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _process_s(cmd: list[str], procs: int) -> float:
    times = []
    for _ in range(procs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, timeout=300)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--procs", type=int, default=3)
    args = ap.parse_args()

    from samples.pki import build_test_pki
    from samples.signatures import build_pades_cases

    tmp = Path(tempfile.mkdtemp(prefix="bench-sig-"))
    pki = build_test_pki(tmp / "pki")
    cases = build_pades_cases(tmp / "cases", pki)
    pdf = cases["valid"].path
    data = pdf.read_bytes()

    # --- ours -------------------------------------------------------------------------------------
    from verification.pipeline import FileContext, ReportBuilder, VerifyOptions
    from verification.signatures.step import SignatureStep

    options = VerifyOptions(trust=(pki.trust_dir,))
    step = SignatureStep()

    def ours() -> None:
        ctx = FileContext(path=pdf, name=pdf.name, data=data, sha256="", media_type="application/pdf", options=options)
        out = ReportBuilder()
        step.run(ctx, out)
        ctx.scratch["pdfium_document"].close()
        assert out.signatures[0].indication.value == "TOTAL_PASSED", out.signatures

    # --- bare pyHanko -----------------------------------------------------------------------------
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    def cert(p: Path) -> x509.Certificate:
        return x509.Certificate.load(pem.unarmor(p.read_bytes())[2])

    root, inter = cert(pki.root_pem), cert(pki.intermediate_pem)
    crls = [pki.crl_path.read_bytes(), pki.root_crl_path.read_bytes()]

    def bare() -> None:
        r = PdfFileReader(io.BytesIO(data), strict=False)
        vc = ValidationContext(trust_roots=[root], other_certs=[inter], crls=crls, allow_fetching=False)
        status = validate_pdf_signature(r.embedded_signatures[0], vc)
        assert status.bottom_line

    ours_ms = _median_ms(ours, args.runs)
    bare_ms = _median_ms(bare, args.runs)

    attest = [str(REPO / ".venv/bin/attest"), "verify", "--json", "--trust", str(pki.trust_dir), str(pdf)]
    pyhanko_cli = [str(REPO / ".venv/bin/pyhanko"), "sign", "validate", "--trust", str(pki.root_pem), "--trust-replace",
                   "--other-certs", str(pki.intermediate_pem), "--no-revocation-check", str(pdf)]
    sig_only = [sys.executable, "-c",
                ("import sys; from pathlib import Path; import verification.pipeline as pl; "
                "pl.STEPS = ('verification.signatures.step:SignatureStep',); "
                f"r = pl.verify_file({str(pdf)!r}, pl.VerifyOptions(trust=(Path({str(pki.trust_dir)!r}),))); "
                "import json; json.dump([r.to_dict()], sys.stdout)")]
    attest_s = _process_s(attest, args.procs)
    sig_only_s = _process_s(sig_only, args.procs)
    cli_s = _process_s(pyhanko_cli, args.procs)

    print(f"file: {pdf.name} ({len(data)} bytes), {args.runs} in-process runs, {args.procs} processes (medians)")
    print(f"{'':34s}{'attest':>12s}{'pyHanko':>12s}{'ratio':>8s}  goal")
    print(f"{'in-process, ms per validation':34s}{ours_ms:12.1f}{bare_ms:12.1f}{ours_ms / bare_ms:8.2f}  <= 1.20")
    print(f"{'whole process, s (all steps)':34s}{attest_s:12.2f}{cli_s:12.2f}{attest_s / cli_s:8.2f}  < 1.00")
    print(f"{'process, s (signature step only)':34s}{sig_only_s:12.2f}{cli_s:12.2f}{sig_only_s / cli_s:8.2f}  < 1.00")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
