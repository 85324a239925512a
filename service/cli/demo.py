"""`attest demo`: the main job end to end on the embedded default (SQLite, local files, in-process).

Phases: generate every kind's example data in Russian and Kazakh as registered PDFs; verify the sample
uploads and assemble a kz-researcher dossier from them. Each phase prints where its outputs are.

The dossier's evidence is made by the demo's material (``samples/``, shipped in the wheel for this
command; no other product module imports it): an order and a protocol extract signed with the test PKI's
organisation key, a certificate and three sealed, signed programme "scans" (one per district), the
third of them photographed with a phone instead (a tilted sheet on a table, uneven light: the
verification finds the sheet and flattens it first). The generated documents are added as extra evidence. The dossier is signed with the test PKI's service key
and the ledger is the demo database.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from samples.dossier.specimens import SAMPLE_TEACHER, make_sample_dossier
from samples.pki import build_test_pki
from service.attestation.build import BuildResult, build_dossier, build_evidence_bundle
from service.attestation.matching import Teacher
from service.attestation.profiles import KNOWN_KINDS
from service.db import upgrade
from service.documents.service import generate_document
from service.dossier.ledger import SqlLedger
from service.generation.schemas import examples
from service.settings import get_settings
from service.signing import PadesSigner

__all__ = ["DemoResult", "build_demo_dossier", "generate_examples", "run"]


def run(args: argparse.Namespace) -> int:
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    # The demo keeps its own database and store beside its outputs unless told otherwise.
    os.environ.setdefault("ATTEST_DATA_DIR", str(out / "data"))
    get_settings.cache_clear()
    upgrade()
    print(f"Attest demo → {out}")
    generated = generate_examples(out / "generated")
    print(f"  generated {len(generated)} documents in {out / 'generated'}")
    result = build_demo_dossier(out / "dossier", generated)
    print(f"  dossier: {result.out_dir / 'dossier.pdf'}")
    for line in result.verdict_lines():
        print(f"    {line}")
    sys.stdout.flush()
    return 0


# ------------------------------------------------------------------ phase 1: generated documents


def generate_examples(out_dir: Path, *, fmt: str = "pdf") -> list[Path]:
    """Generates every kind's example data (22 documents) into ``out_dir``; conversions use the converter pool."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(item: tuple[str, str, Path]) -> Path:
        kind, lang, path = item
        doc = generate_document(kind, json.loads(path.read_text(encoding="utf-8")), lang, fmt)
        target = out_dir / f"{kind}.{lang}.{fmt}"
        target.write_bytes(doc.content)
        return target

    with ThreadPoolExecutor(max_workers=3) as ex:
        return list(ex.map(one, examples()))


# ------------------------------------------------------------------ phase 2: a dossier


@dataclass(frozen=True)
class DemoResult:
    out_dir: Path
    build: BuildResult
    bundle_pdf: Path | None

    def verdict_lines(self, lang: str = "ru") -> list[str]:
        lines = self.build.verdict_lines(lang)
        for name, report in self.build.reports.items():
            if report.page_frames and any(f.sheet for f in report.page_frames):
                lines.append(f"phone photo {name}: sheet found and flattened; {report.verdict.value}, "
                             f"seals {len(report.seals)}, handwritten signatures {len(report.handwritten_signatures)}")
        if self.bundle_pdf is not None:
            lines.append(f"evidence bundle: {self.bundle_pdf}")
        return lines


def _kind_of(path: Path) -> str | None:
    stem = path.stem.lower()
    return next((k for k in sorted(KNOWN_KINDS, key=len, reverse=True) if k in stem), None)


def _photograph(manifest_path: Path, name: str) -> None:
    """Replace the scan ``name`` of the manifest by a phone photo of the same paper (72 dpi, as phones write)."""
    import random

    from PIL import Image

    from samples.scans.generate import photograph

    scan = manifest_path.parent / name
    with Image.open(scan) as im:
        photo, _corners = photograph(im.convert("RGB"), random.Random(5))
    target = scan.with_name(f"{scan.stem}_photo.jpg")
    photo.save(target, "JPEG", quality=88, dpi=(72, 72))
    scan.unlink()
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry.get("path") == name:
            entry["path"] = target.name
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build_demo_dossier(out_dir: Path, generated: Sequence[Path] = ()) -> DemoResult:
    """A kz-researcher dossier from the sample evidence, plus one language of each generated PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pki = build_test_pki(out_dir.parent / "pki")
    org = pki.signers["organisation"]
    manifest_path = make_sample_dossier(out_dir / "evidence", p12=org.p12, password=org.password,
                                        trust_dir=pki.trust_dir)
    _photograph(manifest_path, "programme_3.jpg")
    pdfs = [Path(p) for p in generated if Path(p).suffix.lower() == ".pdf" and Path(p).is_file()]
    # one language of each generated document: the ru and kk copies are the same document (and look it)
    extra = sorted(pdfs, key=lambda p: (not p.name.endswith(".ru.pdf"), p.name))[:6]
    if extra:
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
        (manifest_path.parent / "generated").mkdir(exist_ok=True)
        for p in extra:
            shutil.copyfile(p, manifest_path.parent / "generated" / p.name)
            entry: dict[str, object] = {"path": f"generated/{p.name}"}
            kind = _kind_of(p)
            if kind:
                entry["kind"] = kind
            manifest["files"].append(entry)
        manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    service_key = pki.signers["service"]
    signer = PadesSigner(service_key.p12, service_key.password)
    ledger: SqlLedger | None
    try:
        ledger = SqlLedger()
        ledger.find("", (), exclude_dossier="")  # the table exists (migrations ran)
    except Exception:  # noqa: BLE001 - no database
        ledger = None
    build = build_dossier(manifest_path, out_dir, signer=signer, ledger=ledger)
    evidence = out_dir / "evidence"
    bundle = build_evidence_bundle(
        teacher=Teacher(**SAMPLE_TEACHER), event="Областной семинар «Функциональная грамотность», 15.11.2023",
        files=[(evidence / "programme_1.jpg", "transmission_program"), (evidence / "certificate.jpg", "certificate"),
               (evidence / "order.pdf", "order")],
        out_dir=out_dir / "evidence-bundle", signer=signer, trust=[pki.trust_dir],
        reports={r.sha256: r for r in build.reports.values()},
    )
    return DemoResult(out_dir, build, bundle.pdf)
