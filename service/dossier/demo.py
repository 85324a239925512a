"""The dossier part of `attest demo`: a kz-researcher dossier built from sample evidence.

The evidence is made here (samples/dossier/specimens.py): an order and a protocol extract signed with
the test PKI's organisation key, a certificate and three sealed, signed programme "scans" (one per
district). Generated documents from the generation phase are added as extra evidence when present.
The dossier is signed with the test PKI's service key and the ledger is the demo database.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from service.attestation.build import BuildResult, build_dossier, build_evidence_bundle
from service.attestation.matching import Teacher
from service.signing import PadesSigner

__all__ = ["DemoResult", "build_demo_dossier"]


@dataclass(frozen=True)
class DemoResult:
    out_dir: Path
    build: BuildResult
    bundle_pdf: Path | None

    def verdict_lines(self, lang: str = "ru") -> list[str]:
        lines = self.build.verdict_lines(lang)
        if self.bundle_pdf is not None:
            lines.append(f"evidence bundle: {self.bundle_pdf}")
        return lines


def _kind_of(path: Path) -> str | None:
    from service.attestation.profiles import KNOWN_KINDS

    stem = path.stem.lower()
    return next((k for k in sorted(KNOWN_KINDS, key=len, reverse=True) if k in stem), None)


def _samples_importable() -> None:
    """``samples/`` ships beside the packages, not inside the wheel: make it importable from a checkout."""
    import importlib.util
    import sys

    from service.paths import REPO_ROOT

    if importlib.util.find_spec("samples") is None and (REPO_ROOT / "samples").is_dir():
        sys.path.insert(0, str(REPO_ROOT))


def build_demo_dossier(out_dir: Path, generated: Sequence[Path] = ()) -> DemoResult:
    _samples_importable()
    from samples.dossier.specimens import SAMPLE_TEACHER, make_sample_dossier
    from samples.pki import build_test_pki

    out_dir.mkdir(parents=True, exist_ok=True)
    pki = build_test_pki(out_dir.parent / "pki")
    org = pki.signers["organisation"]
    manifest_path = make_sample_dossier(out_dir / "evidence", p12=org.p12, password=org.password,
                                        trust_dir=pki.trust_dir)
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
    ledger = None
    try:
        from service.dossier.ledger import SqlLedger

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
