"""Conformance over the real signed files of ``../shared/realsig``: per file expected and got, totals, timing.

    PYTHONPATH=. .venv/bin/python bench/realsig.py [--markdown]

Each row: the integrity / indication / sub-indication the file's source asserts (labels.json), ours,
and the seconds the whole verification took. ``=`` agrees, ``≠`` does not; an expected value
``unknown`` (or a sub-indication not asserted) is not counted. The assertions are in
``tests/verification/signatures/test_realsig.py``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (for docs/signatures.md)")
    ap.add_argument("--only", help="only files whose name contains this text")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)

    from tests.verification.signatures.realsig import CORPUS, agreement, load_labels, run_one

    if not (CORPUS / "labels.json").is_file():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    rows = []
    started = time.perf_counter()
    if args.markdown:
        print("| file | expected integrity / indication / sub | got | agrees | s |")
        print("|---|---|---|---|---|")
    for label in load_labels():
        if args.only and args.only not in label["file"] + str(label.get("detached")):
            continue
        r = run_one(label)
        rows.append(r)
        e, g = r.expected, r.got
        mark = ("=" if r.integrity_agrees or e.integrity == "unknown" else "≠") + \
               ("=" if r.indication_agrees else "≠") + ("=" if r.sub_indication_agrees else "≠")
        if args.markdown:
            print(f"| `{r.name}` | {e.integrity} / {e.indication} / {e.sub_indication or '–'} | "
                  f"{g.integrity} / {g.indication} / {g.sub_indication or '–'} ({g.signatures} sig.) | {mark} | "
                  f"{r.seconds:.2f} |")
        else:
            print(f"{mark} {r.name[:70]:70s} exp {e.integrity:7s} {e.indication:13s} {e.sub_indication!s:28s} "
                  f"got {g.integrity:7s} {g.indication:13s} {g.sub_indication!s:28s} n={g.signatures} "
                  f"{r.seconds:6.2f}s")
    total = time.perf_counter() - started
    for key, (ok, n) in agreement(rows).items():
        print(f"{'' if not args.markdown else '- '}agreement on {key}: {ok}/{n}")
    print(f"{'' if not args.markdown else '- '}{len(rows)} files in {total:.1f} s "
          f"(median {sorted(r.seconds for r in rows)[len(rows) // 2]:.2f} s per file)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
