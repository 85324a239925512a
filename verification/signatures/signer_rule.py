"""Who must sign a document of each kind, and whether its valid signatures are from that person and
organisation (check ``signature.signer_rule``).

The rules are data (``signer_rules.yaml`` beside this module, one entry per kind of
:mod:`verification.kinds`); the expected people and organisations of one verification come in with the
options (:class:`ExpectedSigners`: IINs per role, BIN per organisation), since the library reads no
database. NCA RK certificates carry the IIN in the subject serialNumber («IIN…») and the employer's BIN
in an OU («BIN…», :mod:`verification.signatures.identity`).

A valid signature from someone else is reported in plain words: from the wrong person (the BIN fits,
the IIN is none of the allowed ones), from the wrong organisation (another BIN), or with a personal key
(no BIN) where an organisation's employee must sign. Needs review (WARN) unless the rule is ``certain``.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verification.kinds import kind as kind_of
from verification.kinds import titles
from verification.pipeline import FileContext, ReportBuilder
from verification.report import CheckStatus, Indication, Signer
from verification.signatures import messages as _messages  # noqa: F401 - registers the texts

__all__ = ["RULES_PATH", "ExpectedSigners", "Outcome", "RuleResult", "SignerRule", "SignerRuleStep", "check_signers",
           "load_rules", "rule_for"]

RULES_PATH = Path(__file__).with_name("signer_rules.yaml")


@dataclass(frozen=True)
class ExpectedSigners:
    """Who may sign, for one verification: IINs per role (``head``, ``council_secretary``, …) and the BIN
    of each organisation a rule names (``issuer``, ``methodological_centre``, ``organiser``)."""

    persons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    organisations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SignerRule:
    """One kind's rule (an entry of ``signer_rules.yaml``)."""

    kind: str
    signed_by: tuple[str, ...]
    organisation: str | None
    certain: bool
    who: Mapping[str, str]  # ru / kk / en

    @property
    def constrains(self) -> bool:
        return bool(self.signed_by) or self.organisation is not None


class Outcome(enum.Enum):
    """How the signers of a document compare with its kind's rule."""

    PASS = "pass"
    """A valid signature is from an allowed person of the expected organisation."""
    WRONG_PERSON = "wrong_person"
    """The organisation fits, the person (IIN) is none of those allowed."""
    WRONG_ORGANISATION = "wrong_organisation"
    """The certificate carries another organisation's BIN."""
    PERSONAL_KEY = "personal_key"
    """The certificate carries no BIN (a private person's key) where an organisation must sign."""
    NOT_CONFIGURED = "not_configured"
    """The rule names people or an organisation, but their IIN/BIN were not given: nothing compared."""


@dataclass(frozen=True)
class RuleResult:
    outcome: Outcome
    rule: SignerRule
    signer: Signer | None = None
    expected_bin: str | None = None

    @property
    def status(self) -> CheckStatus:
        if self.outcome is Outcome.PASS:
            return CheckStatus.PASS
        if self.outcome is Outcome.NOT_CONFIGURED:
            return CheckStatus.SKIP
        return CheckStatus.FAIL if self.rule.certain else CheckStatus.WARN

    def params(self) -> dict[str, object]:
        s = self.signer or Signer()
        return {"signer": s.common_name or "?", "iin": _mask(s.iin), "bin": s.bin or "—",
                "expected_bin": self.expected_bin or "—", "who": dict(self.rule.who),
                "kind": titles(self.rule.kind)}


def _mask(iin: str | None) -> str:
    return "—" if not iin else "*" * (len(iin) - 4) + iin[-4:]


@functools.lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> Mapping[str, SignerRule]:
    """The rules of ``path`` by kind; ValueError for an entry that is not a rule."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = {}
    for kind, entry in raw.items():
        try:
            who = {lang: str(entry["who"][lang]) for lang in ("ru", "kk", "en")}
            rules[kind] = SignerRule(str(kind), tuple(str(r) for r in entry.get("signed_by") or ()),
                                     entry.get("organisation"), bool(entry.get("certain", False)), who)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}: the rule for {kind!r} is incomplete ({exc})") from exc
    return rules


def rule_for(kind: str | None, rules: Mapping[str, SignerRule] | None = None) -> SignerRule | None:
    if kind is None:
        return None
    try:
        kind = kind_of(kind).id  # an alias reads its kind's rule
    except KeyError:
        return None
    return (rules if rules is not None else load_rules()).get(kind)


def check_signers(kind: str | None, signers: Sequence[Signer], expected: ExpectedSigners | None, *,
                  rules: Mapping[str, SignerRule] | None = None) -> RuleResult | None:
    """How ``signers`` (of valid signatures) fit the rule of ``kind``; None when there is nothing to
    check (no kind, no signer, or a kind anyone may sign)."""
    rule = rule_for(kind, rules)
    if rule is None or not rule.constrains or not signers:
        return None
    expected = expected or ExpectedSigners()
    need_bin = expected.organisations.get(rule.organisation) if rule.organisation else None
    allowed = {iin for role in rule.signed_by for iin in expected.persons.get(role, ())}
    if need_bin is None and not allowed:
        return RuleResult(Outcome.NOT_CONFIGURED, rule, signers[0])
    for s in signers:
        if (need_bin is None or s.bin == need_bin) and (not allowed or s.iin in allowed):
            return RuleResult(Outcome.PASS, rule, s, need_bin)
    s = signers[0]
    if need_bin is not None and s.bin is None:
        return RuleResult(Outcome.PERSONAL_KEY, rule, s, need_bin)
    if need_bin is not None and s.bin != need_bin:
        return RuleResult(Outcome.WRONG_ORGANISATION, rule, s, need_bin)
    return RuleResult(Outcome.WRONG_PERSON, rule, s, need_bin)


class SignerRuleStep:
    """After the kind is known (the scan step reads it from the text, or the options name it): the signers
    of the file's valid signatures against the kind's rule."""

    name = "signer_rule"

    def applies(self, ctx: FileContext) -> bool:
        return True

    def setup(self, ctx: FileContext) -> None:
        return None

    def run(self, ctx: FileContext, out: ReportBuilder) -> None:
        signers = [s.signer for s in out.signatures
                   if s.type != "doc_timestamp" and s.indication is not Indication.TOTAL_FAILED]
        kind = ctx.options.kind or out.kind
        result = check_signers(kind, signers, ctx.options.expected_signers)
        # nothing to compare (no expected IIN/BIN given): no line in the report, which stays as it was
        if result is not None and result.outcome is not Outcome.NOT_CONFIGURED:
            out.check("signature.signer_rule", result.status, f"signature.signer_rule.{result.outcome.value}",
                      **result.params())

    def cleanup(self, ctx: FileContext) -> None:
        return None

