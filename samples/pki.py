"""A test PKI for Attest's tests, demo and benchmarks, generated with `cryptography` (never downloaded).

    root (RSA 3072, "Attest Test Root CA")
    └── intermediate (RSA 2048, "Attest Test Issuing CA"), CRL: intermediate.crl
        ├── signer        teacher-style Kazakh signer: SERIALNUMBER=IIN900101400123, OU=BIN…, RSA 2048
        ├── ecdsa_signer  ECDSA P-256 signer
        ├── organisation  the issuing organisation (head of the methodological centre) — signs generated documents
        ├── service       Attest's own key — signs assembled dossiers
        ├── expired       valid 2020-01-01 … 2021-01-01 only
        ├── revoked       listed in intermediate.crl (revoked 2022-01-01)
        ├── weak_rsa      RSA 1024 key (crypto constraints failure)
        ├── tsa           time-stamping authority (EKU timeStamping) for B-T signatures in tests
        └── short_lived   valid 2020-01-01 … 2023-01-01 only (expired after a 2022 timestamp, before today)
    untrusted_root (RSA 2048, "Unknown Root CA") — not a trust anchor
    └── untrusted     signer under the untrusted root
    untrusted_tsa_root (RSA 2048, "Unknown TSA Root") — not a trust anchor
    └── untrusted_tsa a time-stamping authority nobody trusts

``short_lived`` and ``untrusted_tsa`` were added later: a folder made before them gets them on the next
call (marker ``.complete-timestamps``); nothing that existed is regenerated.

Usage::

    from samples.pki import build_test_pki
    pki = build_test_pki(tmp_dir)          # idempotent: reuses files already in tmp_dir
    pki.root_pem, pki.intermediate_pem     # Paths of PEM certificates (trust anchors: root only)
    pki.trust_dir                          # folder holding root.pem + intermediate.pem + the CRLs (for --trust)
    s = pki.signers["signer"]              # Signer: cert_pem, key_pem, p12 (Path), password (bytes)
    s.cert, s.key                          # cryptography objects
    pki.crl_path                           # intermediate.crl (DER), lists "revoked"

Every PKCS#12 file has the password ``PASSWORD`` (b"attest-test"). Validity: 2020-01-01 … 2045-01-01
except "expired". Certificates carry a CRL distribution point under http://crl.attest.test/ that is never
fetched: tests pass the CRL files themselves (offline).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["PASSWORD", "SHORT_LIVED_NOT_AFTER", "SIGNER_NAMES", "TIMESTAMP_SIGNER_NAMES", "Signer", "TestPKI",
           "build_test_pki"]

PASSWORD = b"attest-test"
NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)
REVOCATION_DATE = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
CRL_BASE = "http://crl.attest.test"

SIGNER_NAMES = ("signer", "ecdsa_signer", "organisation", "service", "expired", "revoked", "weak_rsa", "tsa", "untrusted")
TIMESTAMP_SIGNER_NAMES = ("short_lived", "untrusted_tsa")
SHORT_LIVED_NOT_AFTER = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Signer:
    name: str
    cert_pem: Path
    key_pem: Path
    p12: Path
    password: bytes = PASSWORD

    @property
    def cert(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem.read_bytes())

    @property
    def key(self):  # type: ignore[no-untyped-def]
        return serialization.load_pem_private_key(self.key_pem.read_bytes(), None)


@dataclass(frozen=True)
class TestPKI:
    folder: Path
    root_pem: Path
    intermediate_pem: Path
    untrusted_root_pem: Path
    crl_path: Path
    root_crl_path: Path
    trust_dir: Path
    signers: dict[str, Signer] = field(default_factory=dict)

    __test__ = False  # not a pytest test class


def _name(cn: str, *, org: str | None = None, ou: str | None = None, serial: str | None = None,
          country: str = "KZ", locality: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    if locality:
        attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    return x509.Name(attrs)


def _cert(subject: x509.Name, issuer: x509.Name, pub, issuer_key, *, ca: bool, serial: int,  # type: ignore[no-untyped-def]
          not_before: dt.datetime = NOT_BEFORE, not_after: dt.datetime = NOT_AFTER,
          crl_url: str | None = None, eku: list | None = None, issuer_pub=None,
          hash_alg: hashes.HashAlgorithm | None = None) -> x509.Certificate:
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(pub)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
    )
    if issuer_pub is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_pub), critical=False)
    if ca:
        b = b.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False), critical=True)
    else:
        b = b.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False), critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if crl_url:
        b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None, crl_issuer=None)]),
            critical=False)
    return b.sign(issuer_key, hash_alg or hashes.SHA256())


def _write_key(path: Path, key) -> None:  # type: ignore[no-untyped-def]
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _load(folder: Path) -> TestPKI:
    signers = {n: Signer(n, folder / f"{n}.pem", folder / f"{n}.key.pem", folder / f"{n}.p12")
               for n in SIGNER_NAMES + TIMESTAMP_SIGNER_NAMES}
    return TestPKI(folder=folder, root_pem=folder / "root.pem", intermediate_pem=folder / "intermediate.pem",
                   untrusted_root_pem=folder / "untrusted_root.pem", crl_path=folder / "trust" / "intermediate.crl",
                   root_crl_path=folder / "trust" / "root.crl", trust_dir=folder / "trust", signers=signers)


def build_test_pki(folder: Path) -> TestPKI:
    """Create (or reuse) the test PKI in ``folder``."""
    folder = Path(folder)
    done = folder / ".complete"
    if done.exists():
        _add_timestamp_signers(folder)
        return _load(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "trust").mkdir(exist_ok=True)

    root_key = rsa.generate_private_key(65537, 3072)
    root_name = _name("Attest Test Root CA", org="Attest Test PKI")
    root = _cert(root_name, root_name, root_key.public_key(), root_key, ca=True, serial=1,
                 issuer_pub=root_key.public_key())
    inter_key = rsa.generate_private_key(65537, 2048)
    inter_name = _name("Attest Test Issuing CA", org="Attest Test PKI")
    inter = _cert(inter_name, root_name, inter_key.public_key(), root_key, ca=True, serial=2,
                  crl_url=f"{CRL_BASE}/root.crl", issuer_pub=root_key.public_key())
    un_key = rsa.generate_private_key(65537, 2048)
    un_name = _name("Unknown Root CA", org="Nobody Trusts Me Ltd", country="RU")
    un_root = _cert(un_name, un_name, un_key.public_key(), un_key, ca=True, serial=3, issuer_pub=un_key.public_key())

    for fname, cert in (("root.pem", root), ("intermediate.pem", inter), ("untrusted_root.pem", un_root)):
        (folder / fname).write_bytes(_pem(cert))
    (folder / "trust" / "root.pem").write_bytes(_pem(root))
    (folder / "trust" / "intermediate.pem").write_bytes(_pem(inter))
    _write_key(folder / "root.key.pem", root_key)
    _write_key(folder / "intermediate.key.pem", inter_key)

    crl_url = f"{CRL_BASE}/intermediate.crl"
    specs = {
        "signer": {"name": _name("ЖУМАБАЕВА АЙГЕРИМ", serial="IIN900101400123", ou="BIN120340012345",
                                  org="КГУ «Школа-гимназия № 12» отдела образования г. Тараз", locality="Тараз")},
        "ecdsa_signer": {"name": _name("ИВАНОВ ИВАН", serial="IIN850505300456", org="ГУ «Методический центр»"),
                             "key": "ec"},
        "organisation": {"name": _name("САТПАЕВА ГУЛЬНАРА", serial="IIN750312400789", ou="BIN990240001128",
                                        org="ГУ «Методический центр Управления образования Жамбылской области»",
                                        locality="Тараз")},
        "service": {"name": _name("Attest dossier service", org="Attest")},
        "expired": {"name": _name("ПЕТРОВА МАРИЯ", serial="IIN800101400111"),
                        "not_before": NOT_BEFORE, "not_after": dt.datetime(2021, 1, 1, tzinfo=dt.UTC)},
        "revoked": {"name": _name("СИДОРОВ ПЁТР", serial="IIN810202300222")},
        "weak_rsa": {"name": _name("СЛАБЫЙ КЛЮЧ", serial="IIN820303300333"), "key": "rsa1024"},
        "tsa": {"name": _name("Attest Test TSA", org="Attest Test PKI"), "eku": [ExtendedKeyUsageOID.TIME_STAMPING]},
    }
    serial = 100
    revoked_serial = None
    for n, spec in specs.items():
        serial += 1
        kind = spec.get("key", "rsa")
        key = (ec.generate_private_key(ec.SECP256R1()) if kind == "ec"
               else rsa.generate_private_key(65537, 1024 if kind == "rsa1024" else 2048))
        cert = _cert(spec["name"], inter_name, key.public_key(), inter_key, ca=False, serial=serial,
                     not_before=spec.get("not_before", NOT_BEFORE), not_after=spec.get("not_after", NOT_AFTER),
                     crl_url=crl_url, eku=spec.get("eku"), issuer_pub=inter_key.public_key())
        if n == "revoked":
            revoked_serial = serial
        _store_signer(folder, n, cert, key, [inter, root])
    # a signer under the untrusted root
    key = rsa.generate_private_key(65537, 2048)
    cert = _cert(_name("НЕИЗВЕСТНЫЙ ПОДПИСАНТ", serial="IIN830404300444", country="RU"), un_name, key.public_key(),
                 un_key, ca=False, serial=200, issuer_pub=un_key.public_key())
    _store_signer(folder, "untrusted", cert, key, [un_root])

    this_update = dt.datetime(2022, 1, 2, tzinfo=dt.UTC)
    next_update = dt.datetime(2044, 12, 31, tzinfo=dt.UTC)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(inter_name)
        .last_update(this_update)
        .next_update(next_update)
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(revoked_serial).revocation_date(REVOCATION_DATE).build())
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(inter_key.public_key()), critical=False)
        .sign(inter_key, hashes.SHA256())
    )
    (folder / "trust" / "intermediate.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    root_crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root_name)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    (folder / "trust" / "root.crl").write_bytes(root_crl.public_bytes(serialization.Encoding.DER))
    done.write_text("ok\n")
    _add_timestamp_signers(folder)
    return _load(folder)


def _add_timestamp_signers(folder: Path) -> None:
    """Signers for the B-T cases, issued with the keys already in ``folder`` (idempotent)."""
    done = folder / ".complete-timestamps"
    if done.exists():
        return
    inter = x509.load_pem_x509_certificate((folder / "intermediate.pem").read_bytes())
    inter_key = serialization.load_pem_private_key((folder / "intermediate.key.pem").read_bytes(), None)
    root = x509.load_pem_x509_certificate((folder / "root.pem").read_bytes())
    key = rsa.generate_private_key(65537, 2048)
    cert = _cert(_name("АХМЕТОВА ДИНАРА", serial="IIN870707400555", ou="BIN120340012345",
                       org="КГУ «Школа-гимназия № 12» отдела образования г. Тараз", locality="Тараз"),
                 inter.subject, key.public_key(), inter_key, ca=False, serial=120, not_after=SHORT_LIVED_NOT_AFTER,
                 crl_url=f"{CRL_BASE}/intermediate.crl", issuer_pub=inter_key.public_key())
    _store_signer(folder, "short_lived", cert, key, [inter, root])

    tsa_root_key = rsa.generate_private_key(65537, 2048)
    tsa_root_name = _name("Unknown TSA Root", org="Nobody Trusts Me Ltd", country="RU")
    tsa_root = _cert(tsa_root_name, tsa_root_name, tsa_root_key.public_key(), tsa_root_key, ca=True, serial=4,
                     issuer_pub=tsa_root_key.public_key())
    (folder / "untrusted_tsa_root.pem").write_bytes(_pem(tsa_root))
    key = rsa.generate_private_key(65537, 2048)
    cert = _cert(_name("Unknown TSA", org="Nobody Trusts Me Ltd", country="RU"), tsa_root_name, key.public_key(),
                 tsa_root_key, ca=False, serial=201, eku=[ExtendedKeyUsageOID.TIME_STAMPING],
                 issuer_pub=tsa_root_key.public_key())
    _store_signer(folder, "untrusted_tsa", cert, key, [tsa_root])
    done.write_text("ok\n")


def _store_signer(folder: Path, n: str, cert: x509.Certificate, key, chain: list[x509.Certificate]) -> None:  # type: ignore[no-untyped-def]
    (folder / f"{n}.pem").write_bytes(_pem(cert))
    _write_key(folder / f"{n}.key.pem", key)
    (folder / f"{n}.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        n.encode(), key, cert, chain, serialization.BestAvailableEncryption(PASSWORD)))


if __name__ == "__main__":  # python -m samples.pki DIR
    import sys

    p = build_test_pki(Path(sys.argv[1] if len(sys.argv) > 1 else "var/test-pki"))
    print(p.folder)
