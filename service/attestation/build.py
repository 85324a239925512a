"""Building a dossier end to end: manifest → verify each file → match the profile → assemble → sign.

:func:`build_dossier` is what ``attest dossier build`` and the web service's packaging job call.
:func:`build_evidence_bundle` makes the small evidence-of-participation PDF/ZIP for one teacher and
one event (programme + certificate + order extract), for events that feed many dossiers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from service.attestation.assembly import (
    AssemblyResult,
    DecisionRecord,
    DossierDocument,
    KeptSignature,
    assemble_dossier,
)
from service.attestation.errors import ManifestError
from service.attestation.ledger import entries_from_match
from service.attestation.matching import Evidence, MatchResult, Period, Teacher, match_evidence
from service.attestation.profiles import KNOWN_KINDS, Profile, load_profile
from service.signing import PadesSigner, signer_from_settings
from verification.pipeline import RegistryRecord, VerifyOptions, verify_file
from verification.report import Report

__all__ = [
    "BuildResult",
    "DossierManifest",
    "build_dossier",
    "build_evidence_bundle",
    "build_from_reports",
    "dossier_id_for",
    "load_manifest",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ManifestTeacher(_In):
    full_name: str = Field(min_length=3)
    iin: str | None = Field(default=None, pattern=r"^\d{12}$")
    organization: str | None = None

    @field_validator("iin", mode="before")
    @classmethod
    def _iin_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


class ManifestPeriod(_In):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> ManifestPeriod:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class ManifestFile(_In):
    path: str = Field(min_length=1)
    detached: str | None = None
    kind: str | None = None
    links: tuple[str, ...] = ()

    @field_validator("kind")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        if v is not None and v not in KNOWN_KINDS:
            raise ValueError(f"unknown kind {v!r}; one of: {', '.join(KNOWN_KINDS)}")
        return v


class DossierManifest(_In):
    """The input of ``attest dossier build`` (CONTRACT.md); unknown keys are ignored."""

    teacher: ManifestTeacher
    profile: str = Field(min_length=1)
    period: ManifestPeriod
    trust: tuple[str, ...] = ()
    files: tuple[ManifestFile, ...] = Field(min_length=1)
    dossier_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,64}$")


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "is required"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def load_manifest(path: Path) -> DossierManifest:
    """Read a YAML or JSON manifest. Raises :class:`ManifestError` naming the field that is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc.strerror}") from exc
    try:
        raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ManifestError(f"{path.name}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}") \
            from exc
    if not isinstance(raw, dict):
        raise ManifestError(f"{path.name}: the manifest must be a mapping with teacher, profile, period and files")
    try:
        return DossierManifest.model_validate(raw)
    except ValidationError as exc:
        raise ManifestError(f"{path.name}: {_describe(exc)}") from exc


def dossier_id_for(teacher: ManifestTeacher | Teacher, profile: str, period: Period) -> str:
    """A stable id: rebuilding the same teacher's dossier for the same category and period keeps it."""
    who = teacher.iin or teacher.full_name.casefold()
    digest = hashlib.sha256(f"{who}|{profile}|{period.start}|{period.end}".encode()).hexdigest()[:10].upper()
    return f"D-{digest}"


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    dossier_id: str
    match: MatchResult
    assembly: AssemblyResult
    reports: Mapping[str, Report]

    @property
    def pdf(self) -> Path:
        return self.assembly.pdf

    @property
    def zip(self) -> Path:
        return self.assembly.zip

    @property
    def manifest(self) -> Path:
        return self.assembly.manifest

    @property
    def status(self) -> str:
        return self.match.status.value

    def verdict_lines(self, lang: str = "ru") -> list[str]:
        return [f"status: {self.status}"] + self.match.verdict_lines(lang)


def build_from_reports(
    *,
    profile: Profile,
    teacher: Teacher,
    period: Period,
    documents: Sequence[DossierDocument],
    out_dir: Path,
    dossier_id: str,
    lang: str = "ru",
    ledger: Any = None,
    signer: PadesSigner | None = None,
    decision: DecisionRecord | None = None,
    submission: KeptSignature | None = None,
    signed_files: Sequence[tuple[str, bytes]] = (),
) -> BuildResult:
    """Match and assemble documents already verified (the web service keeps their reports); ``decision``,
    ``submission`` and ``signed_files`` as in :func:`~service.attestation.assembly.assemble_dossier`."""
    evidence = [Evidence(d.name, d.report, d.links) for d in documents]
    match = match_evidence(profile, evidence, period=period, dossier_id=dossier_id, ledger=ledger)
    assembly = assemble_dossier(out_dir, dossier_id=dossier_id, teacher=teacher, documents=documents, match=match,
                                period=period, lang=lang, signer=signer, decision=decision, submission=submission,
                                signed_files=signed_files)
    reports = {d.name: d.report for d in documents}
    if ledger is not None:
        ledger.record(dossier_id, profile.id, teacher, entries_from_match(match, reports))
    return BuildResult(out_dir, dossier_id, match, assembly, reports)


def _resolve(base: Path, rel: str, what: str) -> Path:
    p = (base / rel).resolve() if not Path(rel).is_absolute() else Path(rel)
    if not p.exists():
        raise ManifestError(f"{what}: {rel!r} not found (paths are relative to the manifest's folder {base})")
    return p


def build_dossier(
    manifest_path: Path | str,
    out_dir: Path | str,
    *,
    lang: str = "ru",
    ledger: Any = None,
    registry_lookup: Callable[[str], RegistryRecord | None] | None = None,
    signer: PadesSigner | None = None,
    reports: Mapping[str, Report] | None = None,
    verify_options: Mapping[str, Any] | None = None,
) -> BuildResult:
    """Build ``out_dir/dossier.pdf``, ``dossier.zip`` and ``manifest.json`` from a manifest.

    ``ledger``: evidence counted in other dossiers (``SqlLedger``/``MemoryLedger``), recorded into after
    the build; ``signer``: the service key (default: ``ATTEST_ORGANISATION_P12``; unsigned if none);
    ``reports``: reports already computed, by SHA-256 of the file, to skip verifying those files again.
    Raises :class:`ManifestError`/``UnknownProfile`` on bad input; unmet requirements are in the result.
    """
    manifest_path = Path(manifest_path)
    m = load_manifest(manifest_path)
    profile = load_profile(m.profile)
    period = Period(m.period.start, m.period.end)
    if profile.period_days_max and period.days > profile.period_days_max:
        raise ManifestError(
            f"{manifest_path.name}: period: {period.days} days, but {profile.id} allows at most "
            f"{profile.period_days_max} (one calendar year after the course)")
    base = manifest_path.resolve().parent
    trust = tuple(_resolve(base, t, f"trust[{i}]") for i, t in enumerate(m.trust))
    names = [f.path for f in m.files]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ManifestError(f"{manifest_path.name}: files: {', '.join(dupes)} listed twice")
    resolved = []
    for i, f in enumerate(m.files):
        path = _resolve(base, f.path, f"files[{i}].path")
        if not path.is_file():
            raise ManifestError(f"files[{i}].path: {f.path!r} is not a file")
        detached = _resolve(base, f.detached, f"files[{i}].detached") if f.detached else None
        resolved.append((f, path, detached))
    teacher = Teacher(m.teacher.full_name, m.teacher.iin, m.teacher.organization)
    dossier_id = m.dossier_id or dossier_id_for(m.teacher, profile.id, period)
    documents = []
    for f, path, detached in resolved:
        report = None
        if reports:
            report = reports.get(hashlib.sha256(path.read_bytes()).hexdigest())
        if report is None:
            options = VerifyOptions(detached=detached, trust=trust, teacher=teacher.full_name, kind=f.kind,
                                    lang=lang, registry_lookup=registry_lookup,
                                    period=(period.start.isoformat(), period.end.isoformat()),
                                    **(verify_options or {}))
            report = verify_file(path, options, name=f.path)
        if f.kind and report.kind is None:
            import dataclasses

            report = dataclasses.replace(report, kind=f.kind)
        documents.append(DossierDocument(f.path, path, report, detached, f.links))
    if signer is None:
        signer = signer_from_settings()
    return build_from_reports(profile=profile, teacher=teacher, period=period, documents=documents,
                              out_dir=Path(out_dir), dossier_id=dossier_id, lang=lang, ledger=ledger, signer=signer)


def build_evidence_bundle(
    *,
    teacher: Teacher,
    event: str,
    files: Sequence[tuple[Path, str | None]],
    out_dir: Path,
    lang: str = "ru",
    signer: PadesSigner | None = None,
    trust: Sequence[Path] = (),
    registry_lookup: Callable[[str], RegistryRecord | None] | None = None,
    reports: Mapping[str, Report] | None = None,
) -> AssemblyResult:
    """Evidence of participation of one teacher in one event: ``evidence.pdf``, ``evidence.zip``, manifest.

    ``files`` are (path, kind) pairs — typically the event programme, the certificate and the order
    extract. Built like a dossier (summaries, pages, attached originals, signed) without requirements.
    """
    if not files:
        raise ManifestError("an evidence bundle needs at least one file (programme, certificate, order extract)")
    documents = []
    for path, kind in files:
        if not Path(path).is_file():
            raise ManifestError(f"{path}: not found")
        if kind is not None and kind not in KNOWN_KINDS:
            raise ManifestError(f"{path}: unknown kind {kind!r}; one of: {', '.join(KNOWN_KINDS)}")
        report = reports.get(hashlib.sha256(Path(path).read_bytes()).hexdigest()) if reports else None
        if report is None:
            report = verify_file(path, VerifyOptions(trust=tuple(trust), teacher=teacher.full_name, kind=kind,
                                                     lang=lang, registry_lookup=registry_lookup))
        documents.append(DossierDocument(Path(path).name, Path(path), report))
    digest = hashlib.sha256(
        (f"{teacher.iin or teacher.full_name}|{event}|" + "|".join(d.report.sha256 for d in documents)).encode()
    ).hexdigest()[:10].upper()
    return assemble_dossier(Path(out_dir), dossier_id=f"E-{digest}", teacher=teacher, documents=documents,
                            lang=lang, signer=signer, event=event, pdf_name="evidence.pdf", zip_name="evidence.zip",
                            manifest_extra={"kind": "evidence_bundle"})
