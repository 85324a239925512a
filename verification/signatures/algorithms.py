"""Signature algorithms as real signers write them, before and inside pyHanko's checks.

* Plain ECDSA (BSI TR-03111: ``r‖s`` instead of a DER ``SEQUENCE``, OIDs 0.4.0.127.0.7.1.1.4.1.*) is
  rewritten to the ordinary ECDSA OID and a DER value before validation (:func:`normalise_signer_info`).
* Signed attributes that are not in DER (a SET OF not in sorted order, indefinite lengths: common in
  Italian CAdES): RFC 5652 § 5.4 says the signature is over the DER encoding of the SET, so when the
  value does not verify over the bytes as found, it is tried over their DER re-encoding
  (:class:`AttestSignatureValidator`).
* An algorithm nothing here can evaluate raises :class:`UnsupportedAlgorithm` (INDETERMINATE /
  CRYPTO_CONSTRAINTS_FAILURE), never ``InvalidSignature``: pyHanko reports its own "not supported" as an
  invalid signature, which would call a genuine signature broken. So does a declared algorithm that
  does not fit the key (an RSA algorithm over an EC key): the value cannot be evaluated as declared.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import algos, cms, core

__all__ = ["PLAIN_ECDSA", "AttestSignatureValidator", "UnsupportedAlgorithm", "der_signed_attrs",
           "normalise_signer_info"]

PLAIN_ECDSA = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.8": "sha3_224_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.9": "sha3_256_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.10": "sha3_384_ecdsa",
    "0.4.0.127.0.7.1.1.4.1.11": "sha3_512_ecdsa",
}
"""BSI TR-03111 ecdsa-plain-* OIDs → the asn1crypto name of the same algorithm with a DER value."""


class UnsupportedAlgorithm(Exception):
    """The signature uses an algorithm the product cannot evaluate (the message names it)."""


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_signed_attrs(set_bytes: bytes) -> bytes | None:
    """The DER encoding of a SET OF Attribute (universal tag), None when ``set_bytes`` is not one."""
    try:
        attrs = cms.CMSAttributes.load(set_bytes)
        items = sorted(a.dump(force=True) for a in attrs)
    except (ValueError, TypeError):
        return None
    body = b"".join(items)
    return b"\x31" + _der_length(len(body)) + body


def _plain_to_der(value: bytes) -> bytes:
    half = len(value) // 2
    r, s = int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
    return algos.DSASignature({"r": r, "s": s}).dump()


def normalise_signer_info(si: cms.SignerInfo) -> str | None:
    """Rewrite a plain-ECDSA SignerInfo in place to ordinary ECDSA; returns the original OID, else None."""
    oid = si["signature_algorithm"]["algorithm"].dotted
    name = PLAIN_ECDSA.get(oid)
    if name is None:
        return None
    value = bytes(si["signature"].native)
    si["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": name})
    si["signature"] = core.OctetString(_plain_to_der(value))
    return oid


def _validator_base() -> Any:
    from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator

    return DefaultSignatureValidator


class AttestSignatureValidator:
    """pyHanko's signature validator with the three rules of this module (a ``SignatureValidator``)."""

    def __init__(self) -> None:
        self._default = _validator_base()()

    def validate_signature(self, signature: bytes, signed_data: bytes, public_key_info: Any,
                           signature_algorithm: Any, context: Any = None) -> None:
        from cryptography.exceptions import InvalidSignature
        from pyhanko_certvalidator.errors import AlgorithmNotSupported

        kwargs = {} if context is None else {"context": context}
        try:
            self._default.validate_signature(signature, signed_data, public_key_info, signature_algorithm, **kwargs)
            return
        except AlgorithmNotSupported as exc:
            self._by_key(signature, signed_data, public_key_info, signature_algorithm, context, exc)
            return
        except AssertionError as exc:  # pyHanko asserts the key type the declared algorithm needs
            key_algo = public_key_info["algorithm"]["algorithm"].native
            raise UnsupportedAlgorithm(f"{signature_algorithm['algorithm'].native} declared for a {key_algo} key") from exc
        except InvalidSignature:
            prehashed = getattr(context, "prehashed", False)
            der = None if prehashed or signed_data[:1] != b"\x31" else der_signed_attrs(signed_data)
            if der is None or der == signed_data:
                raise
        self._default.validate_signature(signature, der, public_key_info, signature_algorithm, **kwargs)

    @staticmethod
    def _by_key(signature: bytes, signed_data: bytes, public_key_info: Any, signature_algorithm: Any,
                context: Any, exc: Exception) -> None:
        """A mechanism nothing here knows (e.g. a curve OID where a signature algorithm belongs)."""
        key_algo = public_key_info["algorithm"]["algorithm"].native
        oid = signature_algorithm["algorithm"].dotted
        raise UnsupportedAlgorithm(f"signature algorithm {oid} with a {key_algo} key") from exc
