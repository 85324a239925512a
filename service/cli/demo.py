"""`attest demo`: the main job end to end on the embedded default (SQLite, local files, in-process).

Phases: generate the sample documents in Russian and Kazakh; verify the sample uploads; assemble a
dossier. Each phase prints where its outputs are.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    # The demo keeps its own database and store beside its outputs unless told otherwise.
    os.environ.setdefault("ATTEST_DATA_DIR", str(out / "data"))
    from service.settings import get_settings

    get_settings.cache_clear()
    from service.db import upgrade

    upgrade()
    print(f"Attest demo → {out}")
    from service.generation.demo import generate_samples
    from service.registry import service as registry

    generated = generate_samples(out / "generated", numbering=registry)
    print(f"  generated {len(generated)} documents in {out / 'generated'}")
    try:
        from service.dossier.demo import build_demo_dossier
    except ModuleNotFoundError:
        return 0
    result = build_demo_dossier(out / "dossier", generated)
    print(f"  dossier: {result.out_dir / 'dossier.pdf'}")
    for line in result.verdict_lines():
        print(f"    {line}")
    sys.stdout.flush()
    return 0
