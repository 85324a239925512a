"""The pipeline's boundary: bad files become `failed` reports, never exceptions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from verification.pipeline import sniff_media_type, verify_bytes, verify_file
from verification.report import CheckStatus, Verdict


def test_empty_file_fails_with_plain_reason(tmp_path: Path) -> None:
    f = tmp_path / "empty.pdf"
    f.write_bytes(b"")
    report = verify_file(f)
    assert report.verdict is Verdict.FAILED
    assert [(c.id, c.status, c.code) for c in report.checks] == [("file.readable", CheckStatus.FAIL, "file.empty")]
    assert report.to_dict()["checks"][0]["message"] == "Файл пустой (0 байт). Загрузите документ ещё раз."


def test_unknown_bytes_are_unsupported() -> None:
    report = verify_bytes(b"hello, this is not a document", "note.pdf")
    assert report.verdict is Verdict.FAILED
    assert report.checks[0].code == "file.unsupported"
    assert report.to_dict("en")["checks"][0]["message"].startswith("This file type is not supported (unknown)")


def test_report_has_every_contract_field() -> None:
    d = verify_bytes(b"x", "x.bin").to_dict()
    for key in ("file", "sha256", "media_type", "pages", "kind", "verdict", "signatures", "seals",
                "handwritten_signatures", "fields", "checks"):
        assert key in d
    for name in ("person_name", "date", "number", "issuer"):
        assert d["fields"][name]["value"] is None


def test_sniffing_by_content() -> None:
    assert sniff_media_type(b"%PDF-1.7\n...") == "application/pdf"
    assert sniff_media_type(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_media_type(b"II*\x00....") == "image/tiff"
    assert sniff_media_type(b"-----BEGIN PKCS7-----\n") == "application/pkcs7-signature"
    assert sniff_media_type(b"plain text") is None


def test_cli_verify_json_and_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"\x00\x01garbage")
    proc = subprocess.run([sys.executable, "-m", "service", "verify", "--json", str(bad)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    reports = json.loads(proc.stdout)
    assert [r["verdict"] for r in reports] == ["failed"]
    assert "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "service", "verify", str(tmp_path / "missing.pdf")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "no such file" in proc.stderr
