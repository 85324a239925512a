"""What the PAdES and the CMS validation share: the names and times they report, the revocation
lists they check against, and what a signature pyHanko refused to evaluate becomes. Both build on this module; neither imports the other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from verification.signatures.outcome import SignatureFacts
from verification.signatures.trust import TrustStore

__all__ = ["algorithm_name", "all_crls", "failure_facts", "format_reason", "iso"]


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def algorithm_name(md: str, mechanism: str) -> str:
    """``sha256_rsa`` → ``sha256WithRSAEncryption``; ECDSA and others as pyHanko names them."""
    names = {"rsassa_pkcs1v15": "WithRSAEncryption", "rsa": "WithRSAEncryption", "ecdsa": "WithECDSA",
             "rsassa_pss": "WithRSASSA-PSS", "ed25519": "Ed25519", "dsa": "WithDSA"}
    base = mechanism.split("_", 1)[1] if mechanism.startswith(md + "_") else mechanism
    if base in ("ed25519", "ed448"):
        return base.capitalize()
    return f"{md}{names.get(base, '-' + base)}"


def all_crls(trust: TrustStore, extra: list[bytes]) -> list[Any]:
    """The trust store's CRLs and the DER ones in ``extra`` that parse (a file's DSS)."""
    from asn1crypto import crl as asn1_crl

    out = list(trust.crls)
    for raw in extra:
        try:
            out.append(asn1_crl.CertificateList.load(raw))
        except ValueError:
            continue
    return out


def failure_facts(type_: str, exc: Any, *, signer: Any = None, field_name: str | None = None) -> SignatureFacts:
    """pyHanko's SignatureValidationError as facts: no signer certificate is INDETERMINATE, the rest FORMAT_FAILURE."""
    sub = getattr(exc, "ades_subindication", None)
    kwargs: dict[str, Any] = {"field_name": field_name}
    if signer is not None:
        kwargs["signer"] = signer
    if sub is not None and sub.name == "NO_SIGNING_CERTIFICATE_FOUND":
        return SignatureFacts(type_, not_evaluable="NO_SIGNING_CERTIFICATE_FOUND", **kwargs)
    return SignatureFacts(type_, format_error=format_reason(exc), **kwargs)


def format_reason(exc: BaseException) -> str:
    name = type(exc).__name__
    msg = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{name}: {msg}" if msg else name
