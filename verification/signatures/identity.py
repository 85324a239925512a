"""Who signed: name, organisation, country and, for Kazakh certificates, the IIN and BIN.

NCA RK certificates carry the IIN in the subject SERIALNUMBER as ``IIN123456789012`` and the BIN of
the organisation in an OU as ``BIN123456789012``; Russian qualified certificates carry СНИЛС/ИНН under
their own OIDs (not used by the attestation process).
"""

from __future__ import annotations

import re

from asn1crypto import x509

from verification.report import Signer

__all__ = ["iin_bin_valid", "signer_from_certificate"]

_IIN = re.compile(r"^IIN\s*(\d{12})$", re.IGNORECASE)
_BIN = re.compile(r"^BIN\s*(\d{12})$", re.IGNORECASE)


_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def iin_bin_valid(value: str) -> bool:
    """Whether ``value`` is a well-formed Kazakh IIN or BIN: 12 digits whose last is the control digit.

    The control digit is the sum of the first 11 digits weighted 1…11, modulo 11; when that is 10, the
    sum weighted 3…11, 1, 2, modulo 11; a number for which that is 10 again is never issued."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    for weights in _WEIGHTS:
        check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        if check != 10:
            return check == digits[11]
    return False


def _values(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [str(x) for x in v]
    return [str(v)]


def signer_from_certificate(cert: x509.Certificate | None) -> Signer:
    if cert is None:
        return Signer()
    try:
        subject = cert.subject.native
        issuer = cert.issuer.native
    except (ValueError, TypeError):  # an undecodable name must not hide the rest of the report
        return Signer(certificate_serial=format(cert.serial_number, "x"))
    iin = bin_ = None
    for s in _values(subject.get("serial_number")):
        m = _IIN.match(s.strip())
        if m:
            iin = m.group(1)
    for ou in _values(subject.get("organizational_unit_name")):
        m = _BIN.match(ou.strip())
        if m:
            bin_ = m.group(1)
    org = _values(subject.get("organization_name"))
    cn = _values(subject.get("common_name"))
    if not cn and (subject.get("surname") or subject.get("given_name")):
        cn = [" ".join(_values(subject.get("surname")) + _values(subject.get("given_name")))]
    email = _values(subject.get("email_address"))
    return Signer(
        common_name=cn[0] if cn else None,
        iin=iin,
        bin=bin_,
        organization=org[0] if org else None,
        country=(_values(subject.get("country_name")) or [None])[0],
        email=email[0] if email else None,
        certificate_serial=format(cert.serial_number, "x"),
        issuer=(_values(issuer.get("common_name")) or [cert.issuer.human_friendly])[0],
    )
