"""Signature timestamps (PAdES/CAdES B-T) and past validation against them, per ETSI EN 319 102-1 § 5.5.

A signature timestamp is used only when its own validation (§ 5.4) passes: the token is intact, its
signature value verifies and the TSA's certificate chains to the trust store. A timestamp that fails is
ignored (the signature is judged as B-B, at the current time) and named in a warning. A timestamp that
passes is proof of existence (POE) of the signature at its time: when the signer's certificate has
expired since (OUT_OF_BOUNDS_NO_POE), the certificate path is validated again at that time (past
validation), with revocation data that the CA issued while the certificate was still valid.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["EXPIRED", "PastValidation", "TimestampFacts", "past_validation", "timestamp_facts"]

EXPIRED = frozenset({"OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"})
"""pyHanko's sub-indications for a signer certificate outside its validity period at validation time."""


@dataclass(frozen=True)
class TimestampFacts:
    """What the signature timestamp of one signature proves (nothing when ``time`` is None)."""

    present: bool = False
    time: datetime | None = None
    """The time the TSA stamped, only when the timestamp's own validation passed."""
    problem: str | None = None
    """ETSI sub-indication of the timestamp's own validation when it did not pass (it is then ignored)."""
    authority: str | None = None
    """Common name of the TSA certificate."""


def timestamp_facts(ts_status: Any) -> TimestampFacts:
    """From pyHanko's ``TimestampSignatureStatus`` (None: the signature carries no timestamp)."""
    if ts_status is None:
        return TimestampFacts()
    authority = None
    cert = getattr(ts_status, "signing_cert", None)
    if cert is not None:
        authority = cert.subject.native.get("common_name") or cert.subject.human_friendly
    if not ts_status.intact:
        problem = "HASH_FAILURE"
    elif not ts_status.valid:
        problem = "SIG_CRYPTO_FAILURE"
    elif not ts_status.trusted:
        indic = ts_status.trust_problem_indic
        problem = indic.name if indic is not None else "NO_CERTIFICATE_CHAIN_FOUND"
    else:
        return TimestampFacts(True, ts_status.timestamp, None, authority)
    return TimestampFacts(True, None, problem, authority)


@dataclass(frozen=True)
class PastValidation:
    """The signer's certificate path validated at the timestamp's time instead of now."""

    moment: datetime
    status: Any  # pyHanko's signature status of the validation at ``moment``
    trust_problem: str | None
    certificate_not_after: datetime


async def past_validation(trust_problem: str | None, ts: TimestampFacts, signing_cert: Any,
                          revalidate: Callable[[datetime], Awaitable[Any]]) -> PastValidation | None:
    """Validate again at the timestamp's time when the signer's certificate has expired since.

    None when it does not apply: no trusted timestamp, the certificate is not expired, or the timestamp
    is outside the certificate's validity period (then the signature stays OUT_OF_BOUNDS_NO_POE).
    ``revalidate(moment)`` runs pyHanko's validation with the signer's validation context at ``moment``.
    """
    if trust_problem not in EXPIRED or ts.time is None or signing_cert is None:
        return None
    not_before, not_after = signing_cert.not_valid_before, signing_cert.not_valid_after
    if not (not_before <= ts.time <= not_after):
        return None
    status = await revalidate(ts.time)
    indic = status.trust_problem_indic
    return PastValidation(ts.time, status, indic.name if indic is not None else None, not_after)
