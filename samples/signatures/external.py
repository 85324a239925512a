"""Detached CMS signatures made as an outside signer makes them (``openssl cms -sign``), for the
interrupted-signing tests and the NCALayer test server: RSA with the test PKI, GOST with OpenSSL's GOST engine."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from samples.pki import TestPKI

__all__ = ["gost_cms", "rsa_cms"]


def rsa_cms(data: bytes, pki: TestPKI, signer: str = "signer", *, signed_attributes: bool = True,
            outform: str = "DER") -> bytes:
    """``openssl cms -sign -binary`` over ``data`` (detached) by a test-PKI signer, its issuing CA included."""
    s = pki.signers[signer]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "tbs.bin"
        src.write_bytes(data)
        args = ["openssl", "cms", "-sign", "-binary", "-in", str(src), "-signer", str(s.cert_pem), "-inkey",
                str(s.key_pem), "-certfile", str(pki.intermediate_pem), "-md", "sha256", "-outform", outform]
        if not signed_attributes:
            args.append("-noattr")
        return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout


def gost_cms(data: bytes, folder: Path, signer: str = "gost256", bits: int = 256) -> bytes:
    """``openssl cms -sign`` with the GOST engine by a signer of :func:`samples.signatures.gost.build_gost_cases`."""
    md = "md_gost12_512" if bits == 512 else "md_gost12_256"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "tbs.bin"
        src.write_bytes(data)
        env = {**os.environ, "OPENSSL_CONF": str(folder / "openssl.cnf")}
        args = ["openssl", "cms", "-sign", "-binary", "-in", str(src), "-signer", f"{signer}.pem", "-inkey",
                f"{signer}.key", "-md", md, "-outform", "DER"]
        return subprocess.run(args, cwd=folder, env=env, check=True, capture_output=True, timeout=60).stdout
