"""The trust store: trust anchors, intermediates and CRLs read from the ``--trust`` files and folders.

Every certificate (PEM or DER; ``.pem``, ``.cer``, ``.crt``, ``.der``) and every ``.crl`` under a folder
is used, offline. Self-signed certificates are trust anchors; an intermediate whose issuer is also in
the store is an ordinary chain certificate (so its own revocation is checked), and an intermediate
whose issuer is absent is itself a trust anchor (a deployment may trust an issuing CA only).

No trust given means the shipped default store, :data:`DEFAULT_TRUST_DIR` (the public NCA RK roots and
intermediates, listed with date and source in its README): what a Kazakh teacher's signature chains to.
An operator replaces it with ``--trust`` / ``ATTEST_TRUST_DIR``; any certificate outside the store still
gets no trust ("valid by default" is never the answer).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import pem, x509

from verification.errors import TrustStoreError, trilingual

__all__ = [
    "DEFAULT_TRUST_DIR",
    "StoredCertificate",
    "TrustStore",
    "describe_trust_store",
    "load_certificates",
    "load_trust_store",
    "revocation_gaps",
]

DEFAULT_TRUST_DIR = Path(__file__).resolve().parent / "trust_store"
"""The trust store used when none is given (package data; see its README.md)."""

CERT_SUFFIXES = frozenset({".pem", ".cer", ".crt", ".der"})
CRL_SUFFIXES = frozenset({".crl"})
_MAX_TRUST_FILE = 20 * 1024 * 1024


@dataclass(frozen=True)
class TrustStore:
    """Certificates and CRLs of one ``--trust`` configuration (asn1crypto objects)."""

    anchors: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.anchors

    def certificates(self) -> tuple[x509.Certificate, ...]:
        return self.anchors + self.intermediates

    def validation_context(self, *, allow_fetching: bool, extra_certs: Iterable[x509.Certificate] = (),
                           extra_crls: Iterable[Any] = (), extra_ocsps: Iterable[Any] = (),
                           moment: datetime | None = None, revinfo_after_moment: bool = False) -> Any:
        """A pyHanko ``ValidationContext`` (imported here: only signed files pay for it).

        ``revinfo_after_moment`` (past validation): a CRL issued after ``moment`` still proves the
        certificate was not revoked at ``moment``; pyHanko otherwise calls it "too recent"."""
        from pyhanko_certvalidator import ValidationContext

        from verification.signatures.algorithms import AttestSignatureValidator

        return ValidationContext(
            trust_roots=list(self.anchors),  # an empty list, never None: None would mean "the OS store"
            other_certs=[*self.intermediates, *extra_certs],
            crls=[*self.crls, *extra_crls],
            ocsps=list(extra_ocsps),
            allow_fetching=allow_fetching,
            revocation_mode="soft-fail",  # missing revinfo is judged by revocation_gaps (TRY_LATER)
            moment=moment,
            retroactive_revinfo=revinfo_after_moment,
            signature_validator=AttestSignatureValidator(),  # plain ECDSA, non-DER attributes, unknown OIDs
        )


def _is_self_signed(cert: x509.Certificate) -> bool:
    # by name and key identifiers only: asn1crypto cannot parse GOST public keys
    if cert.subject != cert.issuer:
        return False
    aki = cert.authority_key_identifier
    return aki is None or cert.key_identifier is None or aki == cert.key_identifier


def _der_blocks(data: bytes) -> list[tuple[str, bytes]]:
    if pem.detect(data):
        return [(kind, der) for kind, _headers, der in pem.unarmor(data, multiple=True)]
    return [("", data)]


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates in a PEM (one or many) or DER blob; raises ValueError when there is none."""
    out = []
    for kind, der in _der_blocks(data):
        if kind and "CERTIFICATE" not in kind:
            continue
        cert = x509.Certificate.load(der)
        cert.subject.native, cert.issuer.native, cert.serial_number  # noqa: B018 - fail here, not later
        out.append(cert)
    if not out:
        raise ValueError("no certificate")
    return out


def _load_crls(data: bytes) -> list[asn1_crl.CertificateList]:
    out = []
    for kind, der in _der_blocks(data):
        if kind and "CRL" not in kind:
            continue
        c = asn1_crl.CertificateList.load(der)
        c["tbs_cert_list"]["issuer"].native  # noqa: B018
        out.append(c)
    return out


def _files(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in CERT_SUFFIXES | CRL_SUFFIXES)
        elif p.is_file():
            out.append(p)
        else:
            raise TrustStoreError(str(p), reason=trilingual(f"{p}: нет такого файла или папки",
                                                            f"{p}: мұндай файл немесе қалта жоқ",
                                                            f"{p}: no such file or folder"))
    return out


def load_trust_store(paths: Sequence[Path]) -> TrustStore:
    """Read ``paths`` (files or folders); none: the shipped :data:`DEFAULT_TRUST_DIR`. Cached per set of
    paths and modification times."""
    if not paths:
        if not DEFAULT_TRUST_DIR.is_dir():
            return TrustStore()
        paths = (DEFAULT_TRUST_DIR,)
    files = _files([Path(p) for p in paths])
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load_cached(key)


@functools.lru_cache(maxsize=8)
def _load_cached(key: tuple[tuple[str, int, int], ...]) -> TrustStore:
    certs: dict[bytes, x509.Certificate] = {}
    crls: list[asn1_crl.CertificateList] = []
    unreadable: list[str] = []
    for name, _mtime, size in key:
        f = Path(name)
        if size > _MAX_TRUST_FILE:
            unreadable.append(f.name)
            continue
        data = f.read_bytes()
        try:
            if f.suffix.lower() in CRL_SUFFIXES:
                crls.extend(_load_crls(data))
            else:
                for c in load_certificates(data):
                    certs[c.sha256] = c
        except (ValueError, TypeError, OSError):
            try:  # a certificate named .crl or a CRL named .pem: accept either
                crls.extend(_load_crls(data)) if f.suffix.lower() not in CRL_SUFFIXES else certs.update(
                    {c.sha256: c for c in load_certificates(data)})
            except (ValueError, TypeError):
                unreadable.append(f.name)
    if not certs and not crls:
        listed = f" ({', '.join(unreadable)})" if unreadable else ""
        raise TrustStoreError(", ".join(unreadable) or "empty",
                              reason=trilingual("не прочитано ни одного сертификата или CRL" + listed,
                                                "бірде-бір сертификат немесе CRL оқылмады" + listed,
                                                "no certificate or CRL could be read" + listed))
    subjects = {c.subject.dump() for c in certs.values()}
    anchors, intermediates = [], []
    for c in certs.values():
        if _is_self_signed(c) or c.issuer.dump() not in subjects:
            anchors.append(c)
        else:
            intermediates.append(c)
    return TrustStore(tuple(anchors), tuple(intermediates), tuple(crls))


def revocation_gaps(path_certs: Sequence[x509.Certificate], crls: Iterable[asn1_crl.CertificateList],
                    ocsp_serials: Iterable[int] = (), *, moment: datetime | None = None) -> list[str]:
    """Common names of the certificates of a validation path that declare a CRL or OCSP location but
    for which no CRL from their issuer and no OCSP response is at hand (anchor excluded).

    With ``moment`` (past validation at a timestamp's time), a CRL counts for a certificate only if it
    was issued while the certificate was valid (a CA may drop expired certificates from later CRLs) and
    is not outdated at ``moment`` (its next update is not before it)."""
    crls = list(crls)
    ocsp = set(ocsp_serials)
    gaps = []
    for cert in path_certs:
        if _is_self_signed(cert):
            continue
        declares = bool(cert.crl_distribution_points) or bool(cert.ocsp_urls)
        if declares and not _crl_covers(cert, crls, moment) and cert.serial_number not in ocsp:
            gaps.append(cert.subject.native.get("common_name") or cert.subject.human_friendly)
    return gaps


def _crl_covers(cert: x509.Certificate, crls: list[asn1_crl.CertificateList], moment: datetime | None) -> bool:
    for c in crls:
        tbs = c["tbs_cert_list"]
        if tbs["issuer"].dump() != cert.issuer.dump():
            continue
        if moment is None:
            return True
        this_update, next_update = tbs["this_update"].native, tbs["next_update"].native
        if this_update <= cert.not_valid_after and (next_update is None or next_update >= moment):
            return True
    return False


@dataclass(frozen=True)
class StoredCertificate:
    """One certificate of a trust store, as an operator reads it."""

    subject: str
    issuer: str
    role: str  # "anchor" | "intermediate"
    valid_from: datetime
    valid_to: datetime
    sha256: str
    key_algorithm: str

    def expired(self, now: datetime) -> bool:
        return now > self.valid_to


def describe_trust_store(paths: Sequence[Path] = ()) -> tuple[tuple[StoredCertificate, ...], int]:
    """The certificates of the store that ``paths`` give (none: the shipped default), anchors first,
    and how many CRLs it holds."""
    store = load_trust_store(paths)

    def one(cert: x509.Certificate, role: str) -> StoredCertificate:
        validity = cert["tbs_certificate"]["validity"]
        return StoredCertificate(
            subject=_name(cert.subject), issuer=_name(cert.issuer), role=role,
            valid_from=validity["not_before"].native, valid_to=validity["not_after"].native,
            sha256=cert.sha256.hex().upper(), key_algorithm=_key_algorithm(cert))

    certs = [one(c, "anchor") for c in store.anchors] + [one(c, "intermediate") for c in store.intermediates]
    return tuple(certs), len(store.crls)


def _name(name: Any) -> str:
    native = name.native
    return str(native.get("common_name") or native.get("organization_name") or name.human_friendly)


def _key_algorithm(cert: x509.Certificate) -> str:
    from asn1crypto import core  # read by hand: asn1crypto's key classes do not know the GOST OIDs

    info = core.Sequence.load(cert["tbs_certificate"]["subject_public_key_info"].dump())
    dotted = core.ObjectIdentifier.load(core.Sequence.load(info[0].dump())[0].dump()).dotted
    if dotted.startswith("1.2.398.3.10.1.1."):
        return "GOST 34.310 (NCA RK)"
    if dotted.startswith(("1.2.643.7.1.1.1.", "1.2.643.2.2.19")):
        return "GOST R 34.10"
    return {"1.2.840.113549.1.1.1": "RSA", "1.2.840.10045.2.1": "ECDSA", "1.3.101.112": "Ed25519",
            "1.2.840.10040.4.1": "DSA"}.get(dotted, dotted)
