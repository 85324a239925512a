"""`attest dossier build MANIFEST --out DIR`: dossier.pdf, dossier.zip and manifest.json.

Exit 0 when the dossier was assembled (even with unmet requirements: they are in manifest.json and
printed), 2 on bad input (manifest, profile, missing file, unusable signing key) with a plain message.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from service.attestation.build import build_dossier
from service.attestation.errors import AssemblyError, ManifestError, ProfileError
from service.db import upgrade
from service.dossier.ledger import SqlLedger
from service.errors import SigningError
from service.registry.service import lookup_record

__all__ = ["run_build"]


def _registry_lookup(document_id: str):  # type: ignore[no-untyped-def]
    try:
        return lookup_record(document_id)
    except Exception:  # noqa: BLE001 - registry unreachable: the QR is reported as not checkable
        return None


def _ledger() -> Any:
    """The evidence ledger in the service database; None (with a warning) if the database is unusable."""
    try:
        upgrade()
        return SqlLedger()
    except Exception as exc:  # noqa: BLE001 - any database problem
        print(f"attest: warning: evidence ledger unavailable ({type(exc).__name__}); "
              "documents are not checked against other dossiers", file=sys.stderr)
        return None


def run_build(args: argparse.Namespace) -> int:
    manifest = Path(args.manifest)
    if not manifest.is_file():
        print(f"attest: error: {manifest}: no such manifest file", file=sys.stderr)
        return 2
    lang = getattr(args, "lang", "ru") or "ru"
    try:
        result = build_dossier(manifest, Path(args.out), lang=lang, ledger=_ledger(),
                               registry_lookup=_registry_lookup)
    except (ManifestError, ProfileError) as exc:
        print(f"attest: error: {exc}", file=sys.stderr)
        return 2
    except SigningError as exc:
        print(f"attest: error: {exc} (check ATTEST_ORGANISATION_P12 and its password)", file=sys.stderr)
        return 2
    except AssemblyError as exc:
        print(f"attest: error: the dossier could not be assembled: {exc}", file=sys.stderr)
        return 2
    print(f"dossier {result.dossier_id}: {result.status}")
    print(f"  {result.pdf}")
    print(f"  {result.zip}")
    print(f"  {result.manifest}")
    if not result.assembly.signed:
        print("  (not signed: set ATTEST_ORGANISATION_P12 to sign dossiers with the service key)")
    for line in result.match.verdict_lines(lang):
        print(f"  {line}")
    return 0
