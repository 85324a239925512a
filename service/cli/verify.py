"""`attest verify FILE...`: one report per file; exit 0 if every verdict passed, 1 otherwise, 2 on usage."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

__all__ = ["run"]


def _registry_lookup(document_id: str):  # type: ignore[no-untyped-def]
    """Looks a QR id up in the local registry; imported only when a file carries our QR code."""
    from service.registry.service import lookup_record

    try:
        return lookup_record(document_id)
    except Exception:  # noqa: BLE001 - no database yet, or unreachable (any driver error): the QR is reported as not checkable
        return None


def run(args: argparse.Namespace) -> int:
    from verification.pipeline import VerifyOptions, verify_file
    from verification.report import Verdict

    for t in args.trust:
        if not Path(t).exists():
            print(f"attest: error: --trust {t}: no such file or folder", file=sys.stderr)
            return 2
    if args.detached and not Path(args.detached).is_file():
        print(f"attest: error: --detached {args.detached}: no such file", file=sys.stderr)
        return 2
    if args.detached and len(args.files) != 1:
        print("attest: error: --detached goes with exactly one FILE", file=sys.stderr)
        return 2
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"attest: error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2

    expected = _expected_signers(getattr(args, "expect_signer", []), getattr(args, "expect_org", []))
    if isinstance(expected, str):
        print(f"attest: error: {expected}", file=sys.stderr)
        return 2
    trust = args.trust or ([os.environ["ATTEST_TRUST_DIR"]] if os.environ.get("ATTEST_TRUST_DIR") else [])
    options = VerifyOptions(  # no trust at all: the library's shipped NCA RK store
        detached=Path(args.detached) if args.detached else None,
        trust=tuple(Path(t) for t in trust),
        teacher=args.teacher,
        kind=args.kind,
        lang=args.lang,
        allow_fetching=args.online,
        registry_lookup=_registry_lookup,
        expected_signers=expected,
    )
    reports = [verify_file(f, options) for f in args.files]
    if args.json:
        json.dump([r.to_dict(args.lang) for r in reports], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in reports:
            _print_human(r, args.lang)
    return 0 if all(r.verdict is Verdict.PASSED for r in reports) else 1


def _expected_signers(signers: list[str], orgs: list[str]):  # type: ignore[no-untyped-def]
    """ExpectedSigners from ROLE=IIN / ORG=BIN pairs; None when none given; an error text for a bad pair."""
    if not signers and not orgs:
        return None
    from verification.signatures.signer_rule import ExpectedSigners

    persons: dict[str, tuple[str, ...]] = {}
    organisations: dict[str, str] = {}
    for flag, pairs in (("--expect-signer", signers), ("--expect-org", orgs)):
        for pair in pairs:
            key, _, value = pair.partition("=")
            if not key or not (value.isdigit() and len(value) == 12):
                return f"{flag} {pair}: write NAME=123456789012 (a 12-digit IIN or BIN)"
            if flag == "--expect-signer":
                persons[key] = (*persons.get(key, ()), value)
            else:
                organisations[key] = value
    return ExpectedSigners(persons=persons, organisations=organisations)


_MARK = {"pass": "✔", "fail": "✘", "warn": "!", "skip": "·"}


def _print_human(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    print(f"{report.file}: {report.verdict.value}  ({report.media_type or 'unknown type'}, sha256 {report.sha256[:12]}…)")
    for sig in report.signatures:
        sub = f" / {sig.sub_indication.value}" if sig.sub_indication else ""
        who = sig.signer.common_name or "?"
        print(f"  signature ({sig.type}): {sig.indication.value}{sub} — {who}")
    for c in report.checks:
        print(f"  {_MARK.get(c.status.value, '?')} {c.id}: {c.message(lang)}")
