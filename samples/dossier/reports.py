"""Synthetic verification reports for dossier tests and benchmarks (no files, no OCR).

:func:`make_report` builds one :class:`verification.report.Report` with the facts the matching engine
reads; :func:`complete_evidence` builds, from a profile's own data, a set of documents that meets every
requirement, and remembers which documents were made for which requirement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service.attestation.matching import Evidence, Period, Teacher
from service.attestation.profiles import Profile, Requirement
from verification.report import (
    Check,
    CheckStatus,
    FieldValue,
    Finding,
    Indication,
    Report,
    SignatureResult,
    Signer,
    SubIndication,
)

__all__ = ["PERIOD", "TEACHER", "CompleteSet", "complete_evidence", "make_report", "phash_for", "place"]

TEACHER = Teacher("Жумабаева Айгерим Сериковна", "900101400123", "КГУ «Школа-гимназия №5», г. Тараз")
PERIOD = Period(dt.date(2021, 9, 1), dt.date(2026, 8, 31))


def phash_for(seed: str) -> str:
    """A 64-bit hex pHash derived from ``seed`` (unrelated seeds are ~32 bits apart)."""
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def place(pid: str, name: str | None = None, type: str = "district", region: str | None = "zhambyl") -> dict[str, Any]:
    return {"id": pid, "name": name or pid, "type": type, "region": region}


def make_report(
    name: str,
    kind: str | None,
    *,
    date: str | None = "2024-03-15",
    person: bool | None = True,
    level: str | None = None,
    places: Sequence[dict[str, Any]] | None = None,
    seal: bool = False,
    handwritten: bool = False,
    digital: Indication | None = None,
    number: str | None = None,
    event_form: str | None = None,
    sha256: str | None = None,
    phashes: Sequence[str] | None = None,
    failed: bool = False,
    pages: int = 1,
    media_type: str = "image/jpeg",
) -> Report:
    fields: dict[str, FieldValue] = {}
    if person is not None:
        fields["person_name"] = FieldValue(TEACHER.full_name if person else "Иванов Иван Иванович", 0.9,
                                           matches_expected=person)
    if date is not None:
        fields["date"] = FieldValue(date, 0.9)
    if level is not None:
        fields["level"] = FieldValue(level, 0.8)
    if places is not None:
        fields["places"] = FieldValue(list(places), 0.8)
    fields["number"] = FieldValue(number or f"№ {hashlib.md5(name.encode()).hexdigest()[:6]}", 0.9)
    if event_form is not None:
        fields["event_form"] = FieldValue(event_form, 0.8)
    signatures: tuple[SignatureResult, ...] = ()
    if digital is not None:
        signatures = (SignatureResult(
            "pades", digital,
            None if digital is Indication.TOTAL_PASSED else (
                SubIndication.NO_CERTIFICATE_CHAIN_FOUND if digital is Indication.INDETERMINATE
                else SubIndication.HASH_FAILURE),
            Signer(common_name="Директор", iin="750101300111"), signing_time=f"{date or '2024-03-15'}T10:00:00+05:00",
        ),)
    checks = [Check("file.readable", CheckStatus.PASS, "file.readable")]
    if failed:
        checks.append(Check("signature.integrity", CheckStatus.FAIL, "signature.hash_failure"))
    return Report(
        file=name,
        sha256=sha256 or hashlib.sha256(name.encode()).hexdigest(),
        media_type=media_type,
        pages=pages,
        kind=kind,
        signatures=signatures,
        seals=(Finding(1, (1500, 2600, 1900, 3000), 0.93, "round"),) if seal else (),
        handwritten_signatures=(Finding(1, (1100, 2700, 1500, 2850), 0.81),) if handwritten else (),
        fields=fields,
        checks=tuple(checks),
        perceptual_hashes=tuple(phashes) if phashes is not None else tuple(
            phash_for(f"{name}#{i}") for i in range(pages)),
    )


@dataclass(frozen=True)
class CompleteSet:
    evidence: tuple[Evidence, ...]
    made_for: dict[str, tuple[str, ...]]  # requirement id → document names made for it

    def without_kinds(self, kinds: Sequence[str]) -> list[Evidence]:
        return [e for e in self.evidence if e.report.kind not in kinds]


def _kind_for(profile: Profile, r: Requirement) -> str:
    others = {k for o in profile.requirements if o.id != r.id for k in o.kinds}
    return next((k for k in r.kinds if k not in others), r.kinds[0])


def complete_evidence(profile: Profile) -> CompleteSet:
    """Documents meeting every requirement of ``profile`` (one kind per requirement, distinct places)."""
    evidence: list[Evidence] = []
    made_for: dict[str, tuple[str, ...]] = {}
    for r in profile.requirements:
        kind = _kind_for(profile, r)
        rule = r.distinct_places
        count = max(r.min_count, rule.min if rule else 1)
        cert = profile.certification_of(r)
        names = []
        for i in range(count):
            name = f"{r.id}_{i + 1}.jpg"
            places = None
            if rule is not None:
                places = [place(f"kz-district-{r.id}-{i}", f"Район {i + 1}", "district", "zhambyl")] \
                    if rule.unit == "district_or_city" else [place(f"kz-region-{i}", f"Область {i + 1}", "region", None)]
            report = make_report(
                name, kind,
                level=r.levels[0] if r.levels else None,
                places=places,
                seal=cert in ("seal", "seal_and_signature", "seal_and_signature_or_digital"),
                handwritten=cert in ("seal_and_signature", "seal_and_signature_or_digital"),
                digital=Indication.TOTAL_PASSED if cert == "digital_signature" else None,
                event_form=r.event_forms[0] if r.event_forms else None,
                date=(PERIOD.start + dt.timedelta(days=30 + 7 * len(evidence))).isoformat(),
            )
            links = tuple(f"https://school5.edu.kz/materials/{r.id}/{i}/{j}" for j in range(r.min_links))
            evidence.append(Evidence(name, report, links))
            names.append(name)
        made_for[r.id] = tuple(names)
    return CompleteSet(tuple(evidence), made_for)
