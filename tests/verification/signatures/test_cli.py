"""`attest verify --json` end to end through the command line: exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys


def _attest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", "verify", *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_cli_exit_codes_and_json(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    attached = signature_cases["attached"].path
    proc = _attest("--json", "--trust", str(test_pki.trust_dir), str(attached))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (report,) = json.loads(proc.stdout)
    assert report["verdict"] == "passed"
    (sig,) = report["signatures"]
    assert (sig["type"], sig["indication"], sig["sub_indication"]) == ("cms_attached", "TOTAL_PASSED", None)
    assert sig["signer"] == {"common_name": "ЖУМАБАЕВА АЙГЕРИМ", "iin": "900101400123", "bin": "120340012345",
                             "organization": "КГУ «Школа-гимназия № 12» отдела образования г. Тараз", "country": "KZ",
                             "email": None, "certificate_serial": sig["signer"]["certificate_serial"], "issuer": "Attest Test Issuing CA"}

    case = signature_cases["detached_wrong_document"]
    proc = _attest("--json", "--trust", str(test_pki.trust_dir), "--detached", str(case.detached), str(case.path))
    assert proc.returncode == 1
    (report,) = json.loads(proc.stdout)
    assert report["verdict"] == "failed"
    assert [(s["type"], s["indication"], s["sub_indication"]) for s in report["signatures"]] == [
        ("cms_detached", "TOTAL_FAILED", "HASH_FAILURE")]
    assert "Traceback" not in proc.stderr

    proc = _attest("--json", "--trust", str(test_pki.trust_dir), str(signature_cases["tampered"].path))
    assert proc.returncode == 1
    (report,) = json.loads(proc.stdout)
    assert report["signatures"][0]["sub_indication"] == "HASH_FAILURE"
    assert {"id": "signature.integrity", "status": "fail"}.items() <= next(
        c for c in report["checks"] if c["id"] == "signature.integrity").items()
    assert "Traceback" not in proc.stderr

    proc = _attest("--json", "--trust", "/nonexistent/trust", str(attached))
    assert proc.returncode == 2
    assert "no such file or folder" in proc.stderr
