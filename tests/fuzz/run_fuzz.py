"""Coverage-guided fuzzing of the verification entry point with atheris (`make fuzz`).

Runs for a bounded time (ATTEST_FUZZ_SECONDS, default 120) from a seed corpus of small real files.
The target is :func:`verification.pipeline.verify_bytes`: it must return a report for any input,
never raise, and never fall back to an ``internal.error`` check (an untranslated third-party error). A crash is saved under tests/fuzz/regressions/ and becomes a regression test
(tests/fuzz/test_regressions.py replays every file there).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))


def _seed_corpus(folder: Path) -> None:
    """Small real files of every kind the pipeline reads: plain and signed PDF, attached CMS, PNG, JPEG, TIFF."""
    import io
    import tempfile

    from PIL import Image

    from tests.hostile.make_corpus import plain_pdf

    folder.mkdir(parents=True, exist_ok=True)
    seeds = {
        "plain.pdf": lambda: plain_pdf(1),
        "cms.pem": lambda: b"-----BEGIN PKCS7-----\nMIIBAA==\n-----END PKCS7-----\n",
        "tiny.png": lambda: bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"),
    }

    def image(fmt: str, **kw: object) -> bytes:
        buf = io.BytesIO()
        im = Image.new("L", (64, 48), 255)
        im.paste(0, (8, 8, 40, 12))
        im.save(buf, fmt, **kw)
        return buf.getvalue()

    seeds["small.jpg"] = lambda: image("JPEG", quality=50, dpi=(300, 300))
    seeds["small.tif"] = lambda: image("TIFF", compression="raw", dpi=(300, 300))
    for name, make in seeds.items():
        p = folder / name
        if not p.exists():
            p.write_bytes(make())
    if not (folder / "signed.pdf").exists():  # a PAdES file and an attached CMS from the test PKI
        from samples.pki import build_test_pki
        from samples.signatures import build_cases

        with tempfile.TemporaryDirectory() as tmp:
            cases = build_cases(Path(tmp) / "cases", build_test_pki(Path(tmp) / "pki"))
            (folder / "signed.pdf").write_bytes(cases["valid"].path.read_bytes())
            (folder / "attached.p7m").write_bytes(cases["attached"].path.read_bytes())


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["verification"]):
        # The steps load lazily: import them here so that their code is instrumented too.
        import verification.fields
        import verification.pdf_guard
        import verification.scans.step
        import verification.signatures.cms
        import verification.signatures.pades
        import verification.signatures.step  # noqa: F401
        from verification.pipeline import VerifyOptions, verify_bytes

    # Small limits keep each execution fast; OCR is not what is fuzzed here.
    options = VerifyOptions(max_pages=3, max_pixels=4_000_000, time_budget_s=5.0, workers=1)

    def target(data: bytes) -> None:
        report = verify_bytes(data, "fuzz.bin", options)
        assert report.verdict is not None
        report.to_dict()
        # A step that raised something other than our errors is a bug too (a third-party error not
        # translated at the boundary): the report survives it, the fuzzer must not.
        internal = [c.params.get("reason") for c in report.checks if c.code == "internal.error"]
        if internal:
            raise RuntimeError(f"internal error in a verification step: {internal}")

    corpus = HERE / "corpus"
    _seed_corpus(corpus)
    seconds = int(os.environ.get("ATTEST_FUZZ_SECONDS", "120"))
    args = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", "-rss_limit_mb=3072", "-timeout=30",
            f"-artifact_prefix={HERE / 'regressions'}/", "-print_final_stats=1"]
    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
