"""`attest generate KIND (--data FILE | --rows FILE) …`: one document, or one per row.

Exit 0 when everything was written; 2 for bad input (the message names the field, or the row and
field for a batch — the good rows of a batch are still written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from service.documents.service import generate_batch, generate_document
from service.errors import AttestError

__all__ = ["run"]


def _load_data(path: Path) -> Any:
    if not path.is_file():
        raise FileNotFoundError(f"data file not found: {path}")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{path.name} is not valid YAML: {exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc



def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    try:
        if args.data:
            if args.pdfa and args.fmt != "pdf":
                print("attest: --pdfa needs --format pdf", file=sys.stderr)
                return 2
            try:
                data = _load_data(Path(args.data))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                print(f"attest: {exc}", file=sys.stderr)
                return 2
            doc = generate_document(args.kind, data, args.lang, args.fmt, sign=args.sign, pdfa=args.pdfa,
                                    register=not args.no_register, organization=args.organization)
            if out.is_dir():
                out = out / doc.filename
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(doc.content)
            reg = f" {doc.registration_number} (id {doc.document_id})" if doc.registration_number else " (draft)"
            print(f"{out}{reg} sha256={doc.sha256}")
            return 0

        from tqdm import tqdm

        rows_path = Path(args.rows)
        with tqdm(desc=f"{args.kind}", unit="doc", file=sys.stderr, disable=None) as bar:
            result = generate_batch(args.kind, rows_path, args.lang, args.fmt, out, bar.update, pdfa=args.pdfa,
                                    register=not args.no_register, organization=args.organization,
                                    sign=args.sign)
        print(f"{result.out_path}: {len(result.written)} of {result.total_rows} documents written")
        for err in result.errors:
            print(f"attest: {rows_path.name}: {err}", file=sys.stderr)
        return 0 if result.ok else 2
    except AttestError as exc:
        print(f"attest: {exc.message}", file=sys.stderr)
        return 2 if exc.status_code in (400, 413, 415, 422) else 1
