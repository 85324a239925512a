"""Sample documents for `attest demo`: every kind in Russian and Kazakh as registered PDFs."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.generation.schemas import SCHEMAS
from service.generation.service import Numbering, prepare, produce, produce_registered
from service.paths import SAMPLES_DIR

__all__ = ["generate_samples", "sample_data", "sample_files"]


def sample_files() -> list[tuple[str, str, Path]]:
    """(kind, lang, path) of every sample in samples/data/."""
    out = []
    for kind in SCHEMAS:
        for lang in ("ru", "kk"):
            path = SAMPLES_DIR / "data" / f"{kind}.{lang}.json"
            if path.is_file():
                out.append((kind, lang, path))
    return out


def sample_data(kind: str, lang: str) -> dict:
    return json.loads((SAMPLES_DIR / "data" / f"{kind}.{lang}.json").read_text(encoding="utf-8"))


def generate_samples(out_dir: Path, *, fmt: str = "pdf", numbering: Numbering | None = None) -> list[Path]:
    """Generates every sample (22 documents) into ``out_dir``, registered with ``numbering`` (drafts
    without); conversions use the converter pool."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(item: tuple[str, str, Path]) -> Path:
        kind, lang, path = item
        model = prepare(kind, json.loads(path.read_text(encoding="utf-8")), lang, fmt)
        doc = (produce_registered(kind, lang, fmt, model, numbering) if numbering is not None
               else produce(kind, lang, fmt, model, None))
        target = out_dir / f"{kind}.{lang}.{fmt}"
        target.write_bytes(doc.content)
        return target

    with ThreadPoolExecutor(max_workers=3) as ex:
        return list(ex.map(one, sample_files()))
