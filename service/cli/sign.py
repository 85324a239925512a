"""`attest sign prepare|finish`: signing with a key that is not on the server (interrupted signing).

``prepare DOC.pdf --out DIR`` writes ``DIR/prepared.pdf`` (the PDF with a reserved signature field),
``DIR/tbs.bin`` (the exact bytes a detached CMS must cover) and ``DIR/state.json``; ``finish DIR --cms
SIG --out signed.pdf`` embeds the CMS (DER, PEM or base64): exit 0, or 2 with a message and nothing
written when the CMS does not cover those bytes or does not verify.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["run_finish", "run_prepare"]


def _error(message: str) -> int:
    print(f"attest: error: {message}", file=sys.stderr)
    return 2


def run_prepare(args: argparse.Namespace) -> int:
    from service.errors import AttestError
    from service.signing.external import prepare

    doc = Path(args.document)
    if not doc.is_file():
        return _error(f"no such file: {doc}")
    try:
        prepared = prepare(doc.read_bytes(), field_name=args.field, signer_label=args.signer_name,
                           reason=args.reason, visible=not args.invisible)
    except AttestError as exc:
        return _error(exc.message)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "prepared.pdf").write_bytes(prepared.pdf)
    (out / "tbs.bin").write_bytes(prepared.tbs)
    state = {**prepared.state(), "document": doc.name}
    (out / "state.json").write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    print(f"{out / 'tbs.bin'}: {len(prepared.tbs)} bytes to sign (sha256 {prepared.tbs_sha256}); "
          f"then: attest sign finish {out} --cms SIGNATURE --out signed.pdf")
    return 0


def run_finish(args: argparse.Namespace) -> int:
    from service.errors import AttestError
    from service.signing.external import PreparedSignature, SignatureRefused, finish

    folder = Path(args.folder)
    cms_path = Path(args.cms)
    if not (folder / "state.json").is_file() or not (folder / "prepared.pdf").is_file():
        return _error(f"{folder}: no prepared signature here (run `attest sign prepare DOC.pdf --out {folder}` first)")
    if not cms_path.is_file():
        return _error(f"--cms {cms_path}: no such file")
    for t in args.trust:
        if not Path(t).exists():
            return _error(f"--trust {t}: no such file or folder")
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        prepared = PreparedSignature.from_state((folder / "prepared.pdf").read_bytes(), state)
        signed = finish(prepared, cms_path.read_bytes(), trust=tuple(Path(t) for t in args.trust),
                        require_trusted=bool(args.trust))
    except SignatureRefused as exc:
        return _error(f"{cms_path}: signature refused: {exc.message}; nothing written")
    except (AttestError, ValueError) as exc:
        return _error(getattr(exc, "message", str(exc)))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(signed.pdf)
    who = signed.signer.common_name or "?"
    ids = ", ".join(x for x in (f"IIN {signed.signer.iin}" if signed.signer.iin else "",
                                f"BIN {signed.signer.bin}" if signed.signer.bin else "") if x)
    print(f"{out}: signed by {who}{f' ({ids})' if ids else ''}, {signed.algorithm}; {signed.indication}")
    return 0
