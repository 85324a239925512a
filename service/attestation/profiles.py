"""Requirement profiles: one YAML data file per attestation category, validated on load.

A profile says which documents a category needs (``requirements``) and the constraints each document
must meet: kind, level, distinct places, certification (seal and handwritten signature, or a valid
digital signature), the teacher's name, dates inside the period, links. The rules are data: a new
region or category is a new file in ``service/attestation/profiles/``, not a code change.

Errors name the file, the requirement and what is wrong, e.g.
``kz-master.yaml: requirement 'transmission_three_regions': distinct_places.min: must be ≥ 1``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from service.attestation.errors import ProfileError, UnknownProfile
from service.paths import PROFILES_DIR
from verification.kinds import EVIDENCE_KINDS

__all__ = [
    "KNOWN_KINDS",
    "LEVELS",
    "PlaceRule",
    "Profile",
    "ProfileDefaults",
    "Requirement",
    "ResultItem",
    "Titles",
    "load_profile",
    "load_profile_file",
    "load_profiles",
    "profile_ids",
]

KNOWN_KINDS: tuple[str, ...] = EVIDENCE_KINDS
"""Document kinds a profile may name: the kinds table's (:mod:`verification.kinds`), where a new kind is added."""

LEVELS: tuple[str, ...] = ("school", "district", "regional", "republican", "international")
"""Levels of an event or council, lowest first (``fields.level`` of the report). Municipal = district."""

Level = Literal["school", "district", "regional", "republican", "international"]
Certification = Literal["none", "seal", "seal_and_signature", "digital_signature", "seal_and_signature_or_digital"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Titles(_Strict):
    """A text in the three product languages."""

    ru: str = Field(min_length=1)
    kk: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.ru


class PlaceRule(_Strict):
    """At least ``min`` distinct places, counted by canonical id of the reference list.

    ``unit: district_or_city`` counts districts and cities; ``unit: region`` counts regions (a district
    counts as its region; a city of republican significance counts as a region of its own).
    A document whose level is in ``or_levels`` (e.g. republican) satisfies the coverage alone.
    """

    min: int = Field(ge=1)
    unit: Literal["district_or_city", "region"]
    or_levels: tuple[Level, ...] = ()


class Requirement(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)
    titles: Titles
    kinds: tuple[str, ...] = Field(min_length=1)
    min_count: int = Field(default=1, ge=1)
    levels: tuple[Level, ...] | None = None
    event_forms: tuple[str, ...] | None = None
    distinct_places: PlaceRule | None = None
    certification: Certification | None = None  # None: the profile default
    person_must_match: bool | None = None
    within_period: bool | None = None
    min_links: int = Field(default=0, ge=0)  # per document: links to materials in open access
    source: str | None = None  # where in the seed the rule comes from
    note: Titles | None = None

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in kinds if k not in KNOWN_KINDS]
        if unknown:
            raise ValueError(f"unknown document kind {', '.join(map(repr, unknown))}; known: {', '.join(KNOWN_KINDS)}")
        if len(set(kinds)) != len(kinds):
            raise ValueError("a kind is listed twice")
        return kinds


class ResultItem(_Strict):
    """One entry of a numbered list of results that count (TVET instruction), shown in the dossier."""

    number: int = Field(ge=1)
    titles: Titles


class ProfileDefaults(_Strict):
    certification: Certification = "none"
    person_must_match: bool = True
    within_period: bool = True


class Profile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    country: Literal["KZ", "RU"]
    titles: Titles
    source: str = Field(min_length=1)
    applies_to: tuple[Titles, ...] = ()  # other categories sharing this list (heads, deputies)
    defaults: ProfileDefaults = ProfileDefaults()
    period_days_max: int | None = Field(default=None, ge=1)
    requirements: tuple[Requirement, ...] = Field(min_length=1)
    results: tuple[ResultItem, ...] = ()
    note: Titles | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Profile:
        seen: set[str] = set()
        for r in self.requirements:
            if r.id in seen:
                raise ValueError(f"requirement id {r.id!r} is used twice")
            seen.add(r.id)
        numbers = [item.number for item in self.results]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("results must be numbered 1, 2, 3… in order")
        return self

    def requirement(self, requirement_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == requirement_id:
                return r
        raise KeyError(requirement_id)

    def certification_of(self, r: Requirement) -> str:
        return r.certification or self.defaults.certification

    def person_must_match(self, r: Requirement) -> bool:
        return self.defaults.person_must_match if r.person_must_match is None else r.person_must_match

    def within_period(self, r: Requirement) -> bool:
        return self.defaults.within_period if r.within_period is None else r.within_period


def _describe(exc: ValidationError, raw: Any) -> str:
    """One line per problem: ``requirement 'x': field: message`` in place of pydantic's index paths."""
    lines = []
    errors = exc.errors()
    for err in errors:
        loc = list(err["loc"])
        if err["type"] == "too_short" and any(len(e["loc"]) > len(loc) and list(e["loc"][: len(loc)]) == loc
                                              for e in errors):
            continue  # "no items after validation" only repeats the items' own errors
        where = []
        if len(loc) >= 2 and loc[0] == "requirements" and isinstance(loc[1], int):
            reqs = raw.get("requirements") if isinstance(raw, dict) else None
            rid = None
            if isinstance(reqs, list) and loc[1] < len(reqs) and isinstance(reqs[loc[1]], dict):
                rid = reqs[loc[1]].get("id")
            where.append(f"requirement {rid!r}" if rid else f"requirement #{loc[1] + 1}")
            loc = loc[2:]
        path = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        elif err["type"] == "missing":
            msg = "is required"
        where.append(f"{path}: {msg}" if path else msg)
        lines.append(": ".join(where))
    return "; ".join(lines)


def load_profile_file(path: Path) -> Profile:
    """Load and validate one profile file. Raises :class:`ProfileError` naming the file and the problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path.name}: cannot read the profile file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProfileError(f"{path.name}: a profile must be a mapping with id, titles, requirements")
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(f"{path.name}: {_describe(exc, raw)}") from exc
    if profile.id != path.stem:
        raise ProfileError(f"{path.name}: id {profile.id!r} must equal the file name {path.stem!r}")
    return profile


def profile_ids(directory: Path = PROFILES_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml"))


def load_profiles(directory: Path = PROFILES_DIR) -> dict[str, Profile]:
    """Every profile of a folder, validated (the first invalid file raises)."""
    return {p.stem: load_profile_file(p) for p in sorted(directory.glob("*.yaml"))}


@functools.lru_cache(maxsize=64)
def _cached(path: Path, mtime: float) -> Profile:
    return load_profile_file(path)


def load_profile(profile_id: str, directory: Path = PROFILES_DIR) -> Profile:
    """The profile with this id. Raises :class:`UnknownProfile` (listing the known ids) if there is none."""
    path = directory / f"{profile_id}.yaml"
    if not profile_id or "/" in profile_id or not path.is_file():
        known = ", ".join(profile_ids(directory)) or "none"
        raise UnknownProfile(f"unknown profile {profile_id!r}; known profiles: {known}")
    return _cached(path, path.stat().st_mtime)
