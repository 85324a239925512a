"""Facts found about one signature, and the ETSI EN 319 102-1 verdict derived from them.

PAdES (pyHanko), CMS (pyHanko's generic CMS validation) and GOST (our own, with gostcrypto) all
record the same facts in a frozen :class:`SignatureFacts`; :meth:`SignatureFacts.verdict` derives the
main indication and sub-indication, and :meth:`SignatureFacts.checks` the lines a teacher reads.
Proven failures (hash, signature value, revocation, forbidden changes) outrank "cannot tell".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verification.report import CheckStatus, Coverage, Indication, SignatureResult, Signer, SubIndication

__all__ = ["CheckLine", "SignatureFacts"]

CheckLine = tuple[str, CheckStatus, str, dict[str, object]]

_INDETERMINATE_SUBS = {
    "NO_CERTIFICATE_CHAIN_FOUND": SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
    "OUT_OF_BOUNDS_NO_POE": SubIndication.OUT_OF_BOUNDS_NO_POE,
    "OUT_OF_BOUNDS_NOT_REVOKED": SubIndication.OUT_OF_BOUNDS_NOT_REVOKED,
    "CRYPTO_CONSTRAINTS_FAILURE": SubIndication.CRYPTO_CONSTRAINTS_FAILURE,
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    "TRY_LATER": SubIndication.TRY_LATER,
    "CHAIN_CONSTRAINTS_FAILURE": SubIndication.CHAIN_CONSTRAINTS_FAILURE,
    "NOT_YET_VALID": SubIndication.NOT_YET_VALID,
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": SubIndication.CHAIN_CONSTRAINTS_FAILURE,
}
_REVOKED = {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}
_ALGORITHM = {"CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"}
_PERMITTED = ("lta_updates", "form_filling", "annotations")
_VALIDITY = {"OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "NOT_YET_VALID"}


@dataclass(frozen=True)
class SignatureFacts:
    type: str  # pades | cms_detached | cms_attached | doc_timestamp
    signer: Signer = field(default_factory=Signer)
    field_name: str | None = None
    algorithm: str | None = None
    signing_time: str | None = None
    timestamp_time: str | None = None
    """The signature timestamp's time, only when the timestamp passed its own validation (B-T)."""
    timestamp_present: bool = False
    timestamp_problem: str | None = None
    """ETSI sub-indication of a timestamp that did not pass: it is ignored and named in a warning."""
    timestamp_authority: str | None = None
    poe_time: str | None = None
    """Set when the signer's certificate had expired and was validated at the timestamp's time instead."""
    certificate_not_after: str | None = None
    format_error: str | None = None
    """The signature container cannot be parsed or is not a signature we know: nothing else was evaluated."""
    internal_error: str | None = None
    """Our code failed on this signature (the exception's name; the traceback is logged): INDETERMINATE,
    "could not be evaluated", never blamed on the file."""
    not_evaluable: str | None = None
    """An ETSI INDETERMINATE sub-indication found before the cryptography could be checked (e.g.
    NO_SIGNING_CERTIFICATE_FOUND: the signer's certificate is in neither the signature nor the store)."""
    unsupported_algorithm: str | None = None
    retired_algorithm: bool = False
    """GOST R 34.10-2001 / GOST 34.310-2004: the value verified, but the algorithm is no longer accepted."""
    """An algorithm the product cannot check (named, e.g. GOST 34.310-2004): INDETERMINATE, never passed."""
    intact: bool | None = None
    """The digest of the signed content matches the signed digest."""
    valid: bool | None = None
    """The signature value verifies with the signer's public key."""
    trust_problem: str | None = None
    """pyHanko's AdES sub-indication name for the certificate checks, None when the chain validated."""
    trust_configured: bool = True
    revocation_date: str | None = None
    revoked_before_signing: bool = True
    revocation_gaps: tuple[str, ...] = ()
    """Certificates in the path that declare a CRL/OCSP location with no revocation data at hand."""
    coverage: Coverage | None = None
    modification_level: str | None = None  # none | lta_updates | form_filling | annotations | other
    docmdp_ok: bool | None = None
    shadow_checked: bool = False
    shadow_pages: tuple[int, ...] = ()

    # ---- derived -------------------------------------------------------------------------------
    @property
    def level(self) -> str | None:
        """The report's :attr:`SignatureResult.level`: B-T only with a timestamp that passed its validation."""
        if self.format_error or self.unsupported_algorithm or self.internal_error or self.not_evaluable:
            return None
        if self.type == "doc_timestamp":
            return None
        return "B-T" if self.timestamp_time else "B-B"

    @property
    def modifications_forbidden(self) -> bool:
        return self.modification_level == "other" or self.docmdp_ok is False

    @property
    def permitted_changes(self) -> tuple[str, ...]:
        """The changes made after signing that the signature's permissions allow (DSS: reported, not forgery)."""
        if self.coverage is not Coverage.ENTIRE_REVISION or self.modifications_forbidden:
            return ()
        return (self.modification_level,) if self.modification_level in _PERMITTED else ()

    def verdict(self) -> tuple[Indication, SubIndication | None, str | None]:
        failed, indeterminate = Indication.TOTAL_FAILED, Indication.INDETERMINATE
        if self.internal_error:
            return indeterminate, None, "not_evaluated"
        if self.not_evaluable:
            return indeterminate, SubIndication(self.not_evaluable), self.not_evaluable.lower()
        if self.format_error:
            return failed, SubIndication.FORMAT_FAILURE, "format_error"
        if self.unsupported_algorithm:
            return indeterminate, SubIndication.CRYPTO_CONSTRAINTS_FAILURE, "unsupported_algorithm"
        if self.intact is False:
            return failed, SubIndication.HASH_FAILURE, "digest_mismatch"
        if self.valid is False:
            return failed, SubIndication.SIG_CRYPTO_FAILURE, "signature_value_invalid"
        if self.trust_problem in _REVOKED:
            if self.revoked_before_signing:
                return failed, SubIndication.REVOKED, "certificate_revoked"
            return indeterminate, SubIndication.REVOKED, "revoked_no_poe"
        if self.coverage is Coverage.PARTIAL:
            return failed, SubIndication.FORMAT_FAILURE, "partial_coverage"
        if self.shadow_pages:
            return failed, SubIndication.FORMAT_FAILURE, "shadow_attack"
        if self.modifications_forbidden:
            return failed, SubIndication.FORMAT_FAILURE, "modified_after_signing"
        if self.trust_problem:
            sub = _INDETERMINATE_SUBS.get(self.trust_problem, SubIndication.CHAIN_CONSTRAINTS_FAILURE)
            return indeterminate, sub, self.trust_problem.lower()
        if self.revocation_gaps:
            return indeterminate, SubIndication.TRY_LATER, "revocation_data_missing"
        return Indication.TOTAL_PASSED, None, None

    def result(self) -> SignatureResult:
        indication, sub, reason = self.verdict()
        modified = self.coverage is not Coverage.ENTIRE_FILE and self.coverage is not None and \
            self.modification_level not in (None, "none") and self.modifications_forbidden
        return SignatureResult(
            type=self.type, indication=indication, sub_indication=sub, signer=self.signer,
            signing_time=self.signing_time, timestamp_time=self.timestamp_time, algorithm=self.algorithm,
            coverage=self.coverage, modified_after_signing=modified or bool(self.shadow_pages),
            modifications=self.modification_level, shadow_pages=self.shadow_pages, field_name=self.field_name,
            reason=reason, level=self.level, permitted_changes=self.permitted_changes,
        )

    def checks(self) -> list[CheckLine]:
        """One line per aspect, in reading order. Aspects that could not be reached are skipped."""
        p: dict[str, object] = {"signer": self.signer.common_name or "?", "field": self.field_name or self.type}
        P, W, F, S = CheckStatus.PASS, CheckStatus.WARN, CheckStatus.FAIL, CheckStatus.SKIP
        out: list[CheckLine] = []
        if self.internal_error:
            out.append(("signature.evaluation", W, "signature.not_evaluable", {**p, "reason": self.internal_error}))
            return out
        if self.not_evaluable == "NO_SIGNING_CERTIFICATE_FOUND":
            out.append(("signature.integrity", W, "signature.no_signing_certificate", p))
            return out
        if self.not_evaluable:
            out.append(("signature.integrity", W, "signature.not_evaluable",
                        {**p, "reason": self.not_evaluable}))
            return out
        if self.type == "doc_timestamp":
            return self._timestamp_checks(p)
        if self.format_error:
            out.append(("signature.integrity", F, "signature.format_failure", {**p, "reason": self.format_error}))
            return out
        if self.unsupported_algorithm:
            out.append(("signature.algorithm", W, "signature.algorithm.unsupported",
                        {**p, "algorithm": self.unsupported_algorithm}))
            return out
        if self.intact is False:
            out.append(("signature.integrity", F, "signature.integrity.hash_failure", p))
            return out
        if self.valid is False:
            out.append(("signature.integrity", F, "signature.integrity.sig_crypto_failure", p))
            return out
        if self.coverage is Coverage.PARTIAL:
            out.append(("signature.integrity", F, "signature.integrity.partial", p))
            return out
        out.append(("signature.integrity", P, "signature.integrity.pass", p))
        tp = self.trust_problem
        if tp in _ALGORITHM and self.retired_algorithm:
            out.append(("signature.algorithm", W, "signature.algorithm.retired", {**p, "algorithm": self.algorithm or "?"}))
        elif tp in _ALGORITHM:
            out.append(("signature.algorithm", W, "signature.algorithm.weak", {**p, "algorithm": self.algorithm or "?"}))
        else:
            out.append(("signature.algorithm", P, "signature.algorithm.pass", {**p, "algorithm": self.algorithm or "?"}))
        if not self.trust_configured:
            out.append(("signature.trust", W, "signature.trust.not_configured", p))
        elif tp == "NO_CERTIFICATE_CHAIN_FOUND":
            out.append(("signature.trust", W, "signature.trust.no_chain", {**p, "issuer": self.signer.issuer or "?"}))
        elif tp in _ALGORITHM:
            out.append(("signature.trust", S, "signature.not_evaluated", p))
        elif tp and tp not in _VALIDITY | _REVOKED:
            out.append(("signature.trust", W, "signature.trust.chain_problem", {**p, "reason": tp}))
        else:
            out.append(("signature.trust", P, "signature.trust.pass", {**p, "issuer": self.signer.issuer or "?"}))
        if self.timestamp_present and self.timestamp_time:
            out.append(("signature.timestamp", P, "signature.timestamp.pass",
                        {**p, "tsa": self.timestamp_authority or "?", "time": self.timestamp_time}))
        elif self.timestamp_present:
            out.append(("signature.timestamp", W, "signature.timestamp.ignored",
                        {**p, "tsa": self.timestamp_authority or "?", "reason": self.timestamp_problem or "?"}))
        if self.poe_time and tp is None:
            out.append(("signature.validity_period", P, "signature.validity_period.poe",
                        {**p, "not_after": self.certificate_not_after or "?", "time": self.poe_time}))
        elif tp in _VALIDITY and self.timestamp_time:
            out.append(("signature.validity_period", W, "signature.validity_period.timestamp_outside",
                        {**p, "time": self.timestamp_time}))
        elif tp in _VALIDITY:
            out.append(("signature.validity_period", W, "signature.validity_period.expired", p))
        elif tp is None or tp in _REVOKED:
            out.append(("signature.validity_period", P, "signature.validity_period.pass", p))
        if tp in _REVOKED:
            out.append(("signature.revocation", F if self.revoked_before_signing else W, "signature.revocation.revoked",
                        {**p, "date": self.revocation_date or "?"}))
        elif tp is None and self.revocation_gaps:
            out.append(("signature.revocation", W,
                        "signature.revocation.try_later_past" if self.poe_time else "signature.revocation.try_later",
                        {**p, "certificates": ", ".join(self.revocation_gaps), "time": self.poe_time or "?"}))
        elif tp is None:
            out.append(("signature.revocation", P, "signature.revocation.pass", p))
        if self.type == "pades":
            level = self.modification_level
            if self.coverage is Coverage.ENTIRE_FILE or level == "none":
                out.append(("signature.modifications", P, "signature.modifications.none", p))
            elif self.modifications_forbidden:
                out.append(("signature.modifications", F, "signature.modifications.forbidden", p))
            elif level == "lta_updates":
                out.append(("signature.modifications", P, "signature.modifications.ltv", p))
            elif level in ("form_filling", "annotations"):
                out.append(("signature.modifications", W, f"signature.modifications.{level}", p))
            else:
                out.append(("signature.modifications", W, "signature.modifications.unknown", p))
            if self.shadow_checked:
                if self.shadow_pages:
                    out.append(("signature.shadow", F, "signature.shadow.fail",
                                {**p, "pages": ", ".join(map(str, self.shadow_pages))}))
                else:
                    out.append(("signature.shadow", P, "signature.shadow.pass", p))
        return out

    def _timestamp_checks(self, p: dict[str, object]) -> list[CheckLine]:
        """A document timestamp (PAdES B-LTA): one line, validated as a timestamp."""
        q = {**p, "tsa": self.signer.common_name or "?", "time": self.timestamp_time or self.signing_time or "?"}
        if self.format_error:
            return [("signature.doc_timestamp", CheckStatus.FAIL, "signature.format_failure",
                     {**p, "reason": self.format_error})]
        if self.intact is False or self.valid is False or self.coverage is Coverage.PARTIAL:
            return [("signature.doc_timestamp", CheckStatus.FAIL, "signature.doc_timestamp.broken", q)]
        if self.modifications_forbidden:
            return [("signature.doc_timestamp", CheckStatus.FAIL, "signature.modifications.forbidden", p)]
        if self.trust_problem:
            return [("signature.doc_timestamp", CheckStatus.WARN, "signature.doc_timestamp.untrusted",
                     {**q, "reason": self.trust_problem})]
        return [("signature.doc_timestamp", CheckStatus.PASS, "signature.doc_timestamp.pass", q)]
