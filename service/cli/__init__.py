"""The `attest` command line (../shared/CONTRACT.md). Parsing lives here; each command's work lives
in its own module, imported only when that command runs, so that `attest verify` starts fast.

Exit codes: 0 success; 1 (verify) some verdict failed or needs review; 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from verification.kinds import ALL_KINDS, GENERATED_KINDS

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with a plain message
        self.print_usage(sys.stderr)
        print(f"attest: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="attest", description="Teacher attestation documents: generate, verify, assemble.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("demo", help="run the main job end to end on the embedded default")
    p.add_argument("--out", default="attest-demo", help="folder for the demo outputs (default: ./attest-demo)")
    p.set_defaults(handler="service.cli.demo:run")

    p = sub.add_parser("serve", help="serve the web application and API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed-demo", action="store_true", help="create demo accounts and data first")
    p.add_argument("--workers", type=int, default=1,
                   help="web processes (each with its own socket on the port; about one per core)")
    p.set_defaults(handler="service.cli.serve:run")

    p = sub.add_parser("worker", help="run a Celery worker for verification and batch jobs (Redis broker)")
    p.add_argument("--concurrency", type=int, default=2)
    p.add_argument("--loglevel", default="info")
    p.add_argument("--nice", type=int, default=None,
                   help="how much lower than requests the jobs run (default: ATTEST_JOB_NICENESS, 19, the lowest; 0 = the same)")
    p.set_defaults(handler="service.cli.worker:run")

    p = sub.add_parser("generate", help="generate a document (or one per row) from a template")
    p.add_argument("kind", choices=GENERATED_KINDS, metavar="KIND", help="one of: " + ", ".join(GENERATED_KINDS))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", help="the document's data, JSON or YAML")
    src.add_argument("--rows", help="one row per document, CSV or XLSX (batch)")
    p.add_argument("--lang", choices=("ru", "kk"), default="ru")
    p.add_argument("--format", choices=("docx", "pdf"), default="pdf", dest="fmt")
    p.add_argument("--out", required=True, help="output file; for --rows a folder or a .zip")
    p.add_argument("--pdfa", action="store_true", help="PDF/A-2b archive copy")
    p.add_argument("--sign", action="store_true", help="sign the PDF with the organisation's key (PAdES)")
    p.add_argument("--organization", default=None, help="registry organisation code (default: from the data)")
    p.add_argument("--no-register", action="store_true", help="do not record in the registry (drafts)")
    p.set_defaults(handler="service.cli.generate:run")

    p = sub.add_parser("verify", help="verify signatures, seals and fields of files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--detached", help="detached CMS signature (.p7s/.sig/.cms) of the file")
    p.add_argument("--trust", action="append", default=[], help="trusted certificates / CRLs (file or folder)")
    p.add_argument("--teacher", help="expected teacher's full name")
    p.add_argument("--kind", choices=ALL_KINDS, help="expected document kind")
    p.add_argument("--json", action="store_true", help="print the JSON report array on stdout")
    p.add_argument("--lang", choices=("ru", "kk", "en"), default="ru", help="language of messages")
    p.add_argument("--online", action="store_true", help="allow online OCSP/CRL fetching")
    p.add_argument("--expect-signer", action="append", default=[], metavar="ROLE=IIN",
                   help="who may sign (signer rule of the kind): e.g. head=750312400789; repeatable")
    p.add_argument("--expect-org", action="append", default=[], metavar="ORG=BIN",
                   help="the BIN of an organisation a signer rule names: e.g. methodological_centre=990240001128")
    p.set_defaults(handler="service.cli.verify:run")

    p = sub.add_parser("sign", help="sign a PDF with a key kept elsewhere (NCALayer, CryptoPro, openssl)")
    ssub = p.add_subparsers(dest="sign_command", metavar="SUBCOMMAND", parser_class=_Parser)
    ssub.required = True
    s = ssub.add_parser("prepare", help="reserve a signature field; write tbs.bin (bytes to sign) and state.json")
    s.add_argument("document", metavar="DOC.pdf")
    s.add_argument("--out", required=True, help="folder for prepared.pdf, tbs.bin and state.json")
    s.add_argument("--field", default=None, help="signature field name (default: the first free SignatureN)")
    s.add_argument("--signer-name", default=None, help="name shown in the visible signature box")
    s.add_argument("--reason", default=None, help="reason recorded in the signature")
    s.add_argument("--invisible", action="store_true", help="no visible signature box")
    s.set_defaults(handler="service.cli.sign:run_prepare")
    s = ssub.add_parser("finish", help="embed a detached CMS over tbs.bin; exit 2 if it does not fit")
    s.add_argument("folder", metavar="DIR")
    s.add_argument("--cms", required=True, help="detached CMS signature (DER, PEM or base64) over DIR/tbs.bin")
    s.add_argument("--out", required=True, help="the signed PDF")
    s.add_argument("--trust", action="append", default=[],
                   help="trusted certificates / CRLs: refuse a signer outside them (default: chain not required)")
    s.set_defaults(handler="service.cli.sign:run_finish")

    p = sub.add_parser("dossier", help="attestation dossiers")
    dsub = p.add_subparsers(dest="dossier_command", metavar="SUBCOMMAND", parser_class=_Parser)
    dsub.required = True
    b = dsub.add_parser("build", help="assemble dossier.pdf, dossier.zip and manifest.json")
    b.add_argument("manifest", metavar="MANIFEST")
    b.add_argument("--out", required=True)
    b.add_argument("--lang", choices=("ru", "kk", "en"), default="ru")
    b.set_defaults(handler="service.cli.dossier:run_build")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module_name, _, func = args.handler.partition(":")
    handler = getattr(importlib.import_module(module_name), func)
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("attest: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
