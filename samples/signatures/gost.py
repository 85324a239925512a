"""GOST specimens made with OpenSSL's GOST engine (Debian ``libengine-gost-openssl``) at build time.

A GOST test CA (GOST R 34.10-2012 256, tc26 paramSetA) issues a signer with a 512-bit key; documents
are signed with ``openssl cms -sign`` (Streebog-512 for the 512-bit signer, Streebog-256 for a 256-bit
one). The Kazakh GOST 2015 and GOST 2004 cases relabel the signature algorithm OID of a real signature
(the OID in SignerInfo is not itself signed): 1.2.398.3.10.1.1.2.x must verify like the Russian one,
1.2.398.3.10.1.1.1.x must be reported as an algorithm the product cannot check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from samples.signatures import Case
from samples.signatures.documents import certificate_pdf

__all__ = ["GOST_CASES", "GOST_PADES_CASES", "KZ_2004_OID", "KZ_2015_OID", "build_gost_cases", "build_gost_pades_cases",
           "gost_available", "sign_pdf_gost"]

KZ_2015_OID = "1.2.398.3.10.1.1.2.3.2"
KZ_2004_OID = "1.2.398.3.10.1.1.1.2"
GOST_PADES_CASES = ("gost_pades_valid", "gost_pades_tampered", "gost_pades_untrusted", "gost_pades_appended_page",
                    "gost_pades_two_signers")
GOST_CASES = ("gost_256_valid", "gost_512_valid", "gost_tampered", "gost_attached", "gost_kz2015", "gost_kz2004",
              "gost_untrusted")

_CONF = """openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_ee]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _openssl(folder: Path, *args: str) -> None:
    env = {**os.environ, "OPENSSL_CONF": str(folder / "openssl.cnf")}
    subprocess.run(["openssl", *args], cwd=folder, env=env, check=True, capture_output=True, timeout=60)


def gost_available() -> bool:
    """True when ``openssl`` with the GOST engine can make a GOST key here."""
    if shutil.which("openssl") is None:
        return False
    try:
        out = subprocess.run(["openssl", "engine", "gost", "-t"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return "available" in out.stdout


def _relabel(der: bytes, new_oid: str) -> bytes:
    from asn1crypto import cms

    ci = cms.ContentInfo.load(der)
    sd = ci["content"]
    si = cms.SignerInfo.load(sd["signer_infos"][0].dump())
    si["signature_algorithm"] = cms.SignedDigestAlgorithm({"algorithm": new_oid})
    sd["signer_infos"] = cms.SignerInfos([cms.SignerInfo.load(si.dump())])
    return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()


def _ca(folder: Path, name: str, subject: str) -> None:
    _openssl(folder, "genpkey", "-algorithm", "gost2012_256", "-pkeyopt", "paramset:TCA", "-out", f"{name}.key")
    _openssl(folder, "req", "-x509", "-new", "-key", f"{name}.key", "-subj", subject, "-utf8", "-days", "7300",
             "-md_gost12_256", "-extensions", "v3_ca", "-out", f"{name}.pem")


def _signer(folder: Path, name: str, ca: str, subject: str, bits: int) -> None:
    alg, paramset, md = ("gost2012_512", "A", "-md_gost12_512") if bits == 512 else ("gost2012_256", "TCB", "-md_gost12_256")
    _openssl(folder, "genpkey", "-algorithm", alg, "-pkeyopt", f"paramset:{paramset}", "-out", f"{name}.key")
    _openssl(folder, "req", "-new", "-key", f"{name}.key", "-subj", subject, "-utf8", md, "-out", f"{name}.csr")
    _openssl(folder, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
             "-CAcreateserial", "-days", "7300", "-md_gost12_256", "-extfile", "openssl.cnf", "-extensions", "v3_ee",
             "-out", f"{name}.pem")


def _sign(folder: Path, signer: str, doc: str, out: str, bits: int, *, attached: bool = False) -> bytes:
    md = "md_gost12_512" if bits == 512 else "md_gost12_256"
    args = ["cms", "-sign", "-binary", "-in", doc, "-signer", f"{signer}.pem", "-inkey", f"{signer}.key", "-md", md,
            "-outform", "DER", "-out", out]
    if attached:
        args.insert(3, "-nodetach")
    _openssl(folder, *args)
    return (folder / out).read_bytes()


def build_gost_cases(folder: Path) -> dict[str, Case]:
    """GOST cases; trust anchor: ``folder / "trust" / "gost_root.pem"``. Requires :func:`gost_available`."""
    folder = Path(folder)
    done = folder / ".complete"
    (folder / "trust").mkdir(parents=True, exist_ok=True)
    if not done.exists():
        (folder / "openssl.cnf").write_text(_CONF)
        _ca(folder, "gost_root", "/CN=Attest Test GOST Root/O=Attest Test PKI/C=RU")
        _ca(folder, "gost_other_root", "/CN=Unknown GOST Root/O=Nobody/C=RU")
        _signer(folder, "gost512", "gost_root", "/CN=Иванова Мария Петровна/O=МБОУ СОШ № 5/C=RU", 512)
        _signer(folder, "gost256", "gost_root", "/CN=ЖУМАБАЕВА АЙГЕРИМ/serialNumber=IIN900101400123/OU=BIN120340012345/C=KZ",
                256)
        _signer(folder, "gost_stranger", "gost_other_root", "/CN=Неизвестный/C=RU", 256)
        shutil.copy(folder / "gost_root.pem", folder / "trust" / "gost_root.pem")
        (folder / "order.pdf").write_bytes(certificate_pdf("ПРИКАЗ № 12 (ГОСТ)"))
        (folder / "other.pdf").write_bytes(certificate_pdf("ПРИКАЗ № 13 (ГОСТ)"))
        _sign(folder, "gost256", "order.pdf", "order.pdf.gost256.sig", 256)
        _sign(folder, "gost512", "order.pdf", "order.pdf.gost512.sig", 512)
        _sign(folder, "gost512", "order.pdf", "order.p7m", 512, attached=True)
        _sign(folder, "gost_stranger", "order.pdf", "order.pdf.stranger.sig", 256)
        base = (folder / "order.pdf.gost256.sig").read_bytes()
        (folder / "order.pdf.kz2015.sig").write_bytes(_relabel(base, KZ_2015_OID))
        (folder / "order.pdf.kz2004.sig").write_bytes(_relabel(base, KZ_2004_OID))
        done.write_text("ok\n")
    f = folder
    cases = [
        Case("gost_256_valid", f / "order.pdf", "TOTAL_PASSED", None, f / "order.pdf.gost256.sig",
             "GOST R 34.10-2012 256 + Streebog-256, Kazakh subject"),
        Case("gost_512_valid", f / "order.pdf", "TOTAL_PASSED", None, f / "order.pdf.gost512.sig",
             "GOST R 34.10-2012 512 + Streebog-512"),
        Case("gost_tampered", f / "other.pdf", "TOTAL_FAILED", "HASH_FAILURE", f / "order.pdf.gost512.sig",
             "the GOST signature of order.pdf beside a different document"),
        Case("gost_attached", f / "order.p7m", "TOTAL_PASSED", None, None, "attached GOST CMS"),
        Case("gost_kz2015", f / "order.pdf", "TOTAL_PASSED", None, f / "order.pdf.kz2015.sig",
             f"Kazakh GOST 34.310-2015 signature OID {KZ_2015_OID}"),
        Case("gost_kz2004", f / "order.pdf", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", f / "order.pdf.kz2004.sig",
             f"Kazakh GOST 34.310-2004 OID {KZ_2004_OID}: not checkable"),
        Case("gost_untrusted", f / "order.pdf", "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND",
             f / "order.pdf.stranger.sig", "GOST signer under an untrusted GOST root"),
    ]
    return {c.name: c for c in cases}


def sign_pdf_gost(data: bytes, folder: Path, signer: str, bits: int, *, field: str = "Signature1") -> bytes:
    """A GOST signature inside a PDF, laid out as NCALayer does: ``/Filter /Adobe.PPKLite``,
    ``/SubFilter /ETSI.CAdES.detached``, ``/Contents`` a detached GOST CMS over the ``/ByteRange``.

    pyHanko writes the signature dictionary and reserves ``/Contents`` (it cannot sign with GOST);
    ``openssl cms -sign`` with the GOST engine signs the byte ranges; pyHanko then fills the CMS in.
    ``signer`` names a key/certificate pair made by :func:`build_gost_cases` in ``folder``.
    """
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
    from pyhanko.sign.signers.pdf_byterange import SignatureObject

    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    embedder = PdfCMSEmbedder().write_cms(field_name=field, writer=w)
    next(embedder)
    placeholder = SignatureObject(subfilter=SigSeedSubFilter.PADES, bytes_reserved=8192)
    embedder.send(SigObjSetup(sig_placeholder=placeholder))
    # the digest pyHanko computes here is not used: the GOST CMS carries its own Streebog digest
    prepared, output = embedder.send(SigIOSetup(md_algorithm="sha256", in_place=False))
    buf = output.getvalue()
    signed = buf[:prepared.reserved_region_start] + buf[prepared.reserved_region_end:]
    tbs = folder / f"{field}.{signer}.tbs"
    tbs.write_bytes(signed)
    try:
        der = _sign(folder, signer, tbs.name, f"{tbs.name}.sig", bits)
    finally:
        tbs.unlink()
    embedder.send(der)
    return output.getvalue()


def build_gost_pades_cases(folder: Path) -> dict[str, Case]:
    """GOST PAdES-like cases (same trust anchor as :func:`build_gost_cases`, which is run first)."""
    from samples.signatures import _append_update, _new_page, _tamper_text

    folder = Path(folder)
    build_gost_cases(folder)
    doc = certificate_pdf("ПРОТОКОЛ № 7 (ГОСТ, PDF)")
    valid = sign_pdf_gost(doc, folder, "gost256", 256)
    untrusted = sign_pdf_gost(doc, folder, "gost_stranger", 256)
    tampered = _tamper_text(valid, b"100 ", b"900 ")  # one byte of the page text, inside the signed range
    f = folder
    cases = []
    for name, data, ind, sub, what in (
        ("gost_pades_valid", valid, "TOTAL_PASSED", None,
         "GOST R 34.10-2012 (256) + Streebog-256 CMS in /Adobe.PPKLite /ETSI.CAdES.detached, Kazakh signer"),
        ("gost_pades_tampered", tampered, "TOTAL_FAILED", "HASH_FAILURE",
         "the same file with one byte of the signed page content changed (100 → 900)"),
        ("gost_pades_untrusted", untrusted, "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND",
         "GOST signer under a root that is not in the trust list"),
        ("gost_pades_appended_page", _append_update(valid, _new_page), "TOTAL_FAILED", "FORMAT_FAILURE",
         "a page added by an incremental update after the GOST signature"),
        ("gost_pades_two_signers", sign_pdf_gost(valid, folder, "gost512", 512, field="Head"), "TOTAL_PASSED", None,
         "a second GOST signature (512, Streebog-512) added as an incremental update: both valid"),
    ):
        path = f / f"{name}.pdf"
        path.write_bytes(data)
        cases.append(Case(name, path, ind, sub, what=what))
    return {c.name: c for c in cases}
