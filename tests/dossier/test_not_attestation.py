"""A paper that is clearly no attestation evidence is not counted, and does not hold a requirement in
review the way an unrecognised document does (issue 14)."""

from __future__ import annotations

from samples.dossier.reports import PERIOD, make_report
from service.attestation.matching import Evidence, RequirementStatus, match_evidence
from service.attestation.profiles import load_profile


def test_a_not_attestation_paper_is_not_counted_nor_reviewed() -> None:
    profile = load_profile("kz-researcher")
    unrelated = Evidence("smeta.jpg", make_report("smeta.jpg", "not_attestation", level="regional"))
    unknown = Evidence("scan.jpg", make_report("scan.jpg", None))
    alone = match_evidence(profile, [unrelated], period=PERIOD, dossier_id="D-NA")
    assert {r.id: r.status for r in alone.requirements} == {r.id: RequirementStatus.UNMET for r in profile.requirements}
    assert alone.document("smeta.jpg").fits == {} and alone.counted_documents() == ()
    # an unrecognised document, by contrast, keeps every requirement open for a person to look at
    with_unknown = match_evidence(profile, [unknown], period=PERIOD, dossier_id="D-NA")
    assert {r.status for r in with_unknown.requirements} == {RequirementStatus.NEEDS_REVIEW}
