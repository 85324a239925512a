"""The real-signature conformance corpus (``../shared/realsig``): what each file's source asserts, and what we say.

Shared by ``test_realsig.py`` (the assertions) and ``bench/realsig.py`` (the table and the timing).
The corpus lies beside the checkout: ``Path(repo_root).parent / "shared" / "realsig"``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from verification.pipeline import VerifyOptions, verify_file
from verification.report import Indication, Report

__all__ = ["CORPUS", "Outcome", "Row", "agreement", "integrity_of", "load_labels", "run_all", "run_one"]

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "realsig"

_ORDER = {Indication.TOTAL_FAILED: 0, Indication.INDETERMINATE: 1, Indication.TOTAL_PASSED: 2}


@dataclass(frozen=True)
class Outcome:
    integrity: str  # intact | broken | unknown
    indication: str  # TOTAL_PASSED | TOTAL_FAILED | INDETERMINATE | unknown (no signature evaluated)
    sub_indication: str | None
    signatures: int  # signature entries (document timestamps not counted)


@dataclass(frozen=True)
class Row:
    label: dict
    expected: Outcome
    got: Outcome
    seconds: float
    report: Report | None

    @property
    def name(self) -> str:
        return self.label["file"] if not self.label.get("detached") else self.label["detached"]

    @property
    def integrity_agrees(self) -> bool:
        return self.expected.integrity == self.got.integrity

    @property
    def indication_agrees(self) -> bool:
        exp = self.expected.indication
        return exp == "unknown" or exp == self.got.indication

    @property
    def sub_indication_agrees(self) -> bool:
        exp = self.expected.sub_indication
        return exp is None or exp == self.got.sub_indication


def load_labels() -> list[dict]:
    return json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))


def integrity_of(report: Report) -> str:
    """intact: every signature's signed bytes unchanged and its value verifies, and no change that no
    permission allows; broken: some signature proven otherwise; unknown: nothing could be decided."""
    sigs = [s for s in report.signatures if s.type != "doc_timestamp"]
    if not sigs:
        return "unknown"
    broken_reasons = {"digest_mismatch", "signature_value_invalid", "partial_coverage", "shadow_attack",
                      "modified_after_signing"}
    if any(s.indication is Indication.TOTAL_FAILED and (s.reason in broken_reasons or s.modified_after_signing)
           for s in sigs):
        return "broken"
    if all(s.reason not in ("unsupported_algorithm", "format_error", "not_evaluated") for s in sigs):
        return "intact"
    return "unknown"


def _outcome(report: Report) -> Outcome:
    sigs = [s for s in report.signatures if s.type != "doc_timestamp"]
    if not sigs:
        return Outcome(integrity_of(report), "unknown", None, 0)
    worst = min(sigs, key=lambda s: _ORDER[s.indication])
    return Outcome(integrity_of(report), worst.indication.value,
                   worst.sub_indication.value if worst.sub_indication else None, len(sigs))


def run_one(label: dict) -> Row:
    exp = label["expected"]
    expected = Outcome(exp["integrity"], exp["indication"], exp.get("sub_indication"),
                       exp.get("signatures") or label.get("signatures") or 0)
    trust = (CORPUS / label["trust"],) if label.get("trust") else ()
    detached = CORPUS / label["detached"] if label.get("detached") else None
    options = VerifyOptions(trust=trust, detached=detached)
    started = time.perf_counter()
    report = verify_file(CORPUS / label["file"], options)
    seconds = time.perf_counter() - started
    return Row(label, expected, _outcome(report), seconds, report)


def run_all() -> Iterator[Row]:
    for label in load_labels():
        yield run_one(label)


def agreement(rows: list[Row]) -> dict[str, tuple[int, int]]:
    asserted = [r for r in rows if r.expected.integrity != "unknown"]
    with_indication = [r for r in rows if r.expected.indication != "unknown"]
    with_sub = [r for r in rows if r.expected.sub_indication is not None]
    return {
        "integrity": (sum(r.integrity_agrees for r in asserted), len(asserted)),
        "indication": (sum(r.indication_agrees for r in with_indication), len(with_indication)),
        "sub_indication": (sum(r.sub_indication_agrees for r in with_sub), len(with_sub)),
    }
