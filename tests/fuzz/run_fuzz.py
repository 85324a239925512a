"""Coverage-guided fuzzing of the verification entry point with atheris (`make fuzz`).

Runs for a bounded time (ATTEST_FUZZ_SECONDS, default 120) from a seed corpus of small real files.
The target is :func:`verification.pipeline.verify_bytes`: it must return a report for any input and
never raise. A crash is saved under tests/fuzz/regressions/ and becomes a regression test
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
    from tests.hostile.make_corpus import plain_pdf

    folder.mkdir(parents=True, exist_ok=True)
    seeds = {
        "plain.pdf": plain_pdf(1),
        "cms.pem": b"-----BEGIN PKCS7-----\nMIIBAA==\n-----END PKCS7-----\n",
        "tiny.png": bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                  "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"),
    }
    for name, data in seeds.items():
        p = folder / name
        if not p.exists():
            p.write_bytes(data)


def main() -> None:
    import atheris

    with atheris.instrument_imports():
        from verification.pipeline import VerifyOptions, verify_bytes

    # Small limits keep each execution fast; OCR is not what is fuzzed here.
    options = VerifyOptions(max_pages=3, max_pixels=4_000_000, time_budget_s=5.0, workers=1)

    def target(data: bytes) -> None:
        report = verify_bytes(data, "fuzz.bin", options)
        assert report.verdict is not None
        report.to_dict()

    corpus = HERE / "corpus"
    _seed_corpus(corpus)
    seconds = int(os.environ.get("ATTEST_FUZZ_SECONDS", "120"))
    args = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", "-rss_limit_mb=3072", "-timeout=30",
            f"-artifact_prefix={HERE / 'regressions'}/", "-print_final_stats=1"]
    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
