"""GOST R 34.10-2012 signatures (Streebog-256/512) in CMS, checked with gostcrypto; pyHanko knows no GOST.

Russian OIDs (1.2.643.7.1.1.x) and the Kazakh GOST 34.310-2015 OIDs (1.2.398.3.10.1.1.2.x, the same
mathematics) are verified; any other GOST-family algorithm (e.g. Kazakh GOST 34.310-2004,
1.2.398.3.10.1.1.1.x) is reported INDETERMINATE with the algorithm named. Byte-order conventions
(RFC 4491, R 1323565.1.023): the digest is read as a little-endian number, the public key octets are
x‖y little-endian, the signature octets are s‖r big-endian; gostcrypto takes big-endian r‖s and x‖y.
The certificate chain of a GOST signer is built by name and every certificate signature checked with
gostcrypto; CRLs of the trust store are used offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, core, x509

from verification.signatures.algorithms import der_signed_attrs
from verification.signatures.gost94 import CRYPTOPRO, TEST, gost94
from verification.signatures.identity import signer_from_certificate
from verification.signatures.outcome import SignatureFacts
from verification.signatures.trust import TrustStore, revocation_gaps

__all__ = ["algorithm_label", "is_gost", "signer_certificate", "streebog", "validate_signed_data", "validate_signer",
           "verify_value"]

_RU = "1.2.643."
_KZ_2015 = "1.2.398.3.10.1.1.2."
_KZ_2004 = "1.2.398.3.10.1.1.1."

# digest OIDs → Streebog size in bits
_DIGESTS = {"1.2.643.7.1.1.2.2": 256, "1.2.643.7.1.1.2.3": 512}
# signature / public-key OIDs → key size in bits
_SIG_SIZE = {
    "1.2.643.7.1.1.1.1": 256, "1.2.643.7.1.1.1.2": 512,  # public keys
    "1.2.643.7.1.1.3.2": 256, "1.2.643.7.1.1.3.3": 512,  # signature with Streebog
}
_KEY_OIDS = {"1.2.643.7.1.1.1.1": 256, "1.2.643.7.1.1.1.2": 512}
_SIGNATURE_OIDS = {256: "1.2.643.7.1.1.3.2", 512: "1.2.643.7.1.1.3.3"}
_CURVES = {
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-A
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",  # CryptoPro-B
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-C
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-XchA
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-XchB
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
    # NCA RK (Kazakhstan). Not published with the parameters in any source at hand; identified by
    # verifying real NCA RK signatures (CA certificates and CMS of the NCA RK test and production PKI,
    # ../shared/realsig) under each published curve: exactly one verifies, for each OID.
    "1.2.398.3.10.1.1.1.1.1": "id-tc26-gost-3410-2012-256-paramSetB",  # 34.310-2004 = CryptoPro-A
    "1.2.398.3.10.1.1.2.2.1": "id-tc26-gost-3410-12-512-paramSetA",  # 34.310-2015, 512 bits
}
_NAMES = {
    "1.2.643.7.1.1.3.2": "GOST R 34.10-2012 (256) with Streebog-256",
    "1.2.643.7.1.1.3.3": "GOST R 34.10-2012 (512) with Streebog-512",
    "1.2.643.7.1.1.1.1": "GOST R 34.10-2012 (256)",
    "1.2.643.7.1.1.1.2": "GOST R 34.10-2012 (512)",
    "1.2.643.2.2.3": "GOST R 34.10-2001 with GOST R 34.11-94",
    "1.2.643.2.2.19": "GOST R 34.10-2001",
}


def is_gost(oid: str) -> bool:
    return oid.startswith((_RU, "1.2.398.3.10."))


def algorithm_label(oid: str) -> str:
    if oid in _NAMES:
        return _NAMES[oid]
    if oid.startswith(_KZ_2015):
        return f"GOST 34.310-2015 (Kazakhstan, {oid})"
    if oid.startswith(_KZ_2004):
        return f"GOST 34.310-2004 (Kazakhstan, {oid})"
    return f"GOST ({oid})"


class _Unsupported(Exception):
    """An algorithm we cannot check; the message names it."""


def streebog(data: bytes, bits: int) -> bytes:
    import gostcrypto.gosthash

    h = gostcrypto.gosthash.new("streebog256" if bits == 256 else "streebog512", data=data)
    return bytes(h.digest())


@dataclass(frozen=True)
class _PublicKey:
    bits: int
    curve: str
    xy: bytes  # big-endian x‖y, as gostcrypto wants
    family: str = "ru2012"  # ru2012 | ru2001 | kz2015 | kz2004: fixes the hash and the signature's byte order

    @property
    def retired(self) -> bool:
        """GOST R 34.10-2001 (no new signatures in Russia since 2019) and GOST 34.310-2004 (superseded in
        Kazakhstan by GOST 34.310-2015): verified, but outside today's cryptographic constraints."""
        return self.family in ("ru2001", "kz2004")

    def digest(self, data: bytes) -> bytes:
        """The hash this key signs with: Streebog, GOST R 34.11-94 (CryptoPro S-box) for GOST 2001, and
        GOST 34.311-95 (the same function with the test S-box, as NCA RK uses it) for GOST 34.310-2004."""
        if self.family == "ru2001":
            return gost94(data, CRYPTOPRO)
        if self.family == "kz2004":
            return gost94(data, TEST)
        return streebog(data, self.bits)


def _spki(cert: x509.Certificate) -> tuple[str, str | None, bytes]:
    """(algorithm OID, curve OID, key octets) read generically: asn1crypto cannot parse GOST keys."""
    seq = core.Sequence.load(cert["tbs_certificate"]["subject_public_key_info"].dump())
    alg = core.Sequence.load(seq[0].dump())
    alg_oid = core.ObjectIdentifier.load(alg[0].dump()).dotted
    curve_oid = None
    if len(alg) > 1 and alg[1].dump()[:1] == b"\x30":
        params = core.Sequence.load(alg[1].dump())
        if len(params):
            curve_oid = core.ObjectIdentifier.load(params[0].dump()).dotted
    bits = bytes(core.BitString.load(seq[1].dump()).contents)[1:]  # drop the unused-bits byte
    return alg_oid, curve_oid, core.OctetString.load(bits).native


def _public_key(cert: x509.Certificate) -> _PublicKey:
    try:
        alg, curve_oid, octets = _spki(cert)
    except (ValueError, TypeError, IndexError) as exc:
        raise _Unsupported("unreadable public key") from exc
    if not is_gost(alg):
        raise _Unsupported(f"public key {alg} with a GOST signature")
    if alg == "1.2.643.2.2.20":
        raise _Unsupported(algorithm_label(alg))  # GOST R 34.10-94 (not elliptic): nobody has signed with it since 2001
    family = "kz2004" if alg.startswith(_KZ_2004) else "kz2015" if alg.startswith(_KZ_2015) else \
        "ru2001" if alg == "1.2.643.2.2.19" else "ru2012"
    if curve_oid not in _CURVES:
        raise _Unsupported(f"{algorithm_label(alg)}, curve {curve_oid}")
    half = len(octets) // 2
    bits = half * 8
    if bits not in (256, 512) or (family in ("ru2001", "kz2004") and bits != 256):
        raise _Unsupported(f"{algorithm_label(alg)}, {len(octets)}-byte key")
    x, y = octets[:half][::-1], octets[half:][::-1]
    return _PublicKey(bits, _CURVES[curve_oid], x + y, family)


def verify_value(key: _PublicKey, digest: bytes, signature: bytes) -> bool:
    """GOST R 34.10 verification of ``signature`` over ``digest`` (the hash output). Russian signatures
    are s‖r big-endian (RFC 4491); NCA RK writes r‖s, each little-endian (Kalkan: both 34.310-2004 and
    -2015, shown on NCA RK's own CA and user signatures)."""
    import gostcrypto.gostsignature as gs

    n = key.bits // 8
    if len(signature) != 2 * n or len(digest) != n:
        return False
    if key.family in ("kz2015", "kz2004"):
        r, s = signature[:n][::-1], signature[n:][::-1]
    else:
        s, r = signature[:n], signature[n:]
    curves = gs.CURVES_R_1323565_1_024_2019
    signer = gs.new(gs.MODE_256 if key.bits == 256 else gs.MODE_512, curves[key.curve])
    try:
        return bool(signer.verify(bytearray(key.xy), bytearray(digest[::-1]), bytearray(r + s)))
    except Exception:  # noqa: BLE001 - gostcrypto raises on out-of-range values: that is simply not a valid signature
        return False


_GOST94_DIGESTS = {"1.2.643.2.2.9": "ru2001", "1.2.398.3.10.1.3.1": "kz2004"}


def _digest_bits(digest_oid: str, key: _PublicKey) -> int:
    if digest_oid in _GOST94_DIGESTS:
        if _GOST94_DIGESTS[digest_oid] != key.family:
            raise _Unsupported(f"digest {algorithm_label(digest_oid)} with {key.family} key")
        return 256
    if key.family in ("ru2001", "kz2004"):
        raise _Unsupported(f"digest {algorithm_label(digest_oid)} with {key.family} key")
    if digest_oid in _DIGESTS:
        return _DIGESTS[digest_oid]
    if digest_oid.startswith("1.2.398.3.10."):  # Kazakh OID for the same Streebog: size follows the key
        return key.bits
    raise _Unsupported(f"digest {algorithm_label(digest_oid)}")


def _check_sig_oid(oid: str) -> None:
    if not (oid in _SIG_SIZE or oid.startswith((_KZ_2015, _KZ_2004)) or oid in ("1.2.643.2.2.3", "1.2.643.2.2.19")):
        raise _Unsupported(algorithm_label(oid))


def _check_pair(sig_oid: str, key: _PublicKey) -> None:
    """A signature OID of one GOST generation over a key of another cannot be evaluated as declared."""
    declared = "kz2004" if sig_oid.startswith(_KZ_2004) else "ru2001" if sig_oid in ("1.2.643.2.2.3", "1.2.643.2.2.19") \
        else None
    if (declared or key.family) in ("kz2004", "ru2001") and declared != key.family:
        raise _Unsupported(f"{algorithm_label(sig_oid)} with a {key.family} key")


def _verify_cert_signature(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    oid = cert["signature_algorithm"]["algorithm"].dotted
    if not is_gost(oid):
        return False
    try:
        _check_sig_oid(oid)
        key = _public_key(issuer)
        _check_pair(oid, key)
    except _Unsupported:
        return False
    return verify_value(key, key.digest(cert["tbs_certificate"].dump()), bytes(cert["signature_value"]))


def _verify_crl_signature(crl: Any, issuer: x509.Certificate) -> bool:
    try:
        key = _public_key(issuer)
    except _Unsupported:
        return False
    return verify_value(key, key.digest(crl["tbs_cert_list"].dump()), bytes(crl["signature"]))


def _build_chain(cert: x509.Certificate, pool: list[x509.Certificate], anchors: list[x509.Certificate],
                 ) -> tuple[list[x509.Certificate] | None, str | None]:
    """Path leaf → anchor, each signature checked. Returns (path, problem)."""
    anchor_keys = {a.sha256 for a in anchors}
    path = [cert]
    current = cert
    for _ in range(8):
        if current.sha256 in anchor_keys:
            return path, None
        candidates = [c for c in anchors + pool if c.subject == current.issuer and c.sha256 != current.sha256]
        nxt = next((c for c in candidates if _verify_cert_signature(current, c)), None)
        if nxt is None:
            if any(c.subject == current.issuer for c in anchors):
                return None, "CHAIN_CONSTRAINTS_FAILURE"  # the anchor exists but did not sign this
            return None, "NO_CERTIFICATE_CHAIN_FOUND"
        path.append(nxt)
        current = nxt
    return None, "NO_CERTIFICATE_CHAIN_FOUND"


def _now() -> datetime:
    return datetime.now(UTC)


def signer_certificate(signed_data: cms.SignedData, si: cms.SignerInfo) -> x509.Certificate | None:
    """The certificate of the SignerInfo ``si`` among those the SignedData carries (None: not there)."""
    certs = [] if isinstance(signed_data["certificates"], core.Void) else \
        [c.chosen for c in signed_data["certificates"] if isinstance(c.chosen, x509.Certificate)]
    sid = si["sid"]
    for c in certs:
        if sid.name == "issuer_and_serial_number":
            if c.issuer == sid.chosen["issuer"] and c.serial_number == sid.chosen["serial_number"].native:
                return c
        elif c.key_identifier == sid.chosen.native:
            return c
    return None


def validate_signed_data(signed_data: cms.SignedData, content: bytes | None, trust: TrustStore, *,
                         type_: str) -> SignatureFacts:
    """Facts about the first signer of a GOST SignedData over ``content`` (None: encapsulated content)."""
    return validate_signer(signed_data, signed_data["signer_infos"][0], content, trust, type_=type_)


def validate_signer(signed_data: cms.SignedData, si: cms.SignerInfo, content: bytes | None, trust: TrustStore, *,
                    type_: str) -> SignatureFacts:
    """Facts about the GOST signer ``si`` of ``signed_data`` over ``content`` (None: encapsulated content)."""
    sig_oid = si["signature_algorithm"]["algorithm"].dotted
    digest_oid = si["digest_algorithm"]["algorithm"].dotted
    certs = [] if isinstance(signed_data["certificates"], core.Void) else \
        [c.chosen for c in signed_data["certificates"] if isinstance(c.chosen, x509.Certificate)]
    signer_cert = signer_certificate(signed_data, si)
    signer = signer_from_certificate(signer_cert)
    label = algorithm_label(sig_oid)
    signing_time = None
    signed_attrs = si["signed_attrs"]
    if signed_attrs.native is not None:
        for attr in signed_attrs:
            if attr["type"].native == "signing_time":
                signing_time = attr["values"][0].native.isoformat()
    base = {"signer": signer, "algorithm": label, "signing_time": signing_time, "trust_configured": not trust.empty}
    if signer_cert is None:
        return SignatureFacts(type_, not_evaluable="NO_SIGNING_CERTIFICATE_FOUND", **base)
    try:
        _check_sig_oid(sig_oid)
        key = _public_key(signer_cert)
        _check_pair(sig_oid, key)
        bits = _digest_bits(digest_oid, key)
    except _Unsupported as exc:
        return SignatureFacts(type_, unsupported_algorithm=str(exc), **base)
    if sig_oid in _KEY_OIDS and _KEY_OIDS[sig_oid] == bits == key.bits:
        # SignerInfo may name the key algorithm (OpenSSL, CryptoPro do): name the pair actually used, the
        # same as the signature-algorithm OID would be named
        base["algorithm"] = algorithm_label(_SIGNATURE_OIDS[bits])

    if content is None:
        eci = signed_data["encap_content_info"]
        if isinstance(eci["content"], core.Void):
            return SignatureFacts(type_, format_error="the signature holds no document", **base)
        content = bytes(eci["content"].native)
    content_digest = key.digest(content) if key.retired else streebog(content, bits)
    if signed_attrs.native is not None:
        md = next((a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest"), None)
        intact = md == content_digest
        to_verify = signed_attrs.untag().dump()
        digest = key.digest(to_verify) if key.retired else streebog(to_verify, bits)
        valid = verify_value(key, digest, bytes(si["signature"].native))
        der = der_signed_attrs(to_verify) if not valid else None  # RFC 5652 § 5.4: the DER encoding is signed
        if der is not None and der != to_verify:
            digest = key.digest(der) if key.retired else streebog(der, bits)
            valid = verify_value(key, digest, bytes(si["signature"].native))
    else:
        intact = True
        valid = verify_value(key, content_digest, bytes(si["signature"].native))
    if content_digest and not intact:
        return SignatureFacts(type_, intact=False, valid=valid, **base)
    if not valid:
        return SignatureFacts(type_, intact=intact, valid=False, **base)

    # certificate checks: path, validity, revocation (offline)
    path, problem = _build_chain(signer_cert, certs + list(trust.intermediates), list(trust.anchors))
    revocation_date = None
    gaps: tuple[str, ...] = ()
    if problem is None and path is not None:
        now = _now()
        for c in path:
            validity = c["tbs_certificate"]["validity"]
            if not (validity["not_before"].native <= now <= validity["not_after"].native):
                problem = "OUT_OF_BOUNDS_NO_POE" if c is signer_cert else "CHAIN_CONSTRAINTS_FAILURE"
                break
        if problem is None:
            usable_crls = []
            by_subject = {c.subject.dump(): c for c in path}
            for crl in trust.crls:
                issuer = by_subject.get(crl["tbs_cert_list"]["issuer"].dump())
                if issuer is not None and _verify_crl_signature(crl, issuer):
                    usable_crls.append(crl)
            for crl in usable_crls:
                for rc in crl["tbs_cert_list"]["revoked_certificates"] or []:
                    for c in path[:-1]:
                        if rc["user_certificate"].native == c.serial_number and \
                                crl["tbs_cert_list"]["issuer"] == c.issuer:
                            problem = "REVOKED"
                            revocation_date = rc["revocation_date"].native.isoformat()
            if problem is None:
                gaps = tuple(revocation_gaps(path[:-1], usable_crls))
    if key.retired and problem not in ("REVOKED",):
        problem = "CRYPTO_CONSTRAINTS_FAILURE"  # the value verifies, but the algorithm is retired
    return SignatureFacts(type_, intact=True, valid=True, trust_problem=problem, revocation_date=revocation_date,
                          revoked_before_signing=True, revocation_gaps=gaps, retired_algorithm=key.retired, **base)
