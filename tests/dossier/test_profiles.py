"""Requirement profiles: every shipped profile loads; a wrong file is refused with a message naming
the file, the requirement and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.attestation.errors import ProfileError, UnknownProfile
from service.attestation.profiles import load_profile, load_profile_file, load_profiles, profile_ids

CONTRACT_IDS = ["kz-master", "kz-postcourse", "kz-researcher", "kz-tvet-expert", "kz-tvet-master",
                "kz-tvet-researcher", "ru-postcourse-first", "ru-postcourse-highest"]

GOOD = """\
id: {id}
country: KZ
titles: {{ru: "Р", kk: "Қ", en: "E"}}
source: "test"
requirements:
  - id: first
    titles: {{ru: "Р", kk: "Қ", en: "E"}}
    kinds: [certificate]
{extra}"""


def write(tmp_path: Path, text: str, name: str = "kz-test") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_contract_profile_is_shipped_and_valid() -> None:
    profiles = load_profiles()
    assert sorted(profiles) == CONTRACT_IDS
    assert profile_ids() == CONTRACT_IDS
    assert [r.id for r in profiles["kz-researcher"].requirements] == [
        "participation_events", "confirming_document", "council_decision", "transmission_three_districts"]
    rule = profiles["kz-master"].requirement("transmission_three_regions").distinct_places
    assert rule is not None and (rule.min, rule.unit) == (3, "region")
    assert profiles["kz-tvet-master"].defaults.certification == "seal_and_signature_or_digital"
    assert len(profiles["kz-tvet-researcher"].results) == 16 and len(profiles["kz-tvet-expert"].results) == 8
    assert profiles["kz-postcourse"].requirement("three_events").min_count == 3
    assert profiles["kz-postcourse"].period_days_max == 366
    assert profiles["ru-postcourse-highest"].requirement("regional_events").min_links == 1


def test_a_new_region_is_a_new_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD.format(id="kz-new-region", extra=""), "kz-new-region")
    profile = load_profile("kz-new-region", tmp_path)
    assert profile.requirement("first").kinds == ("certificate",)
    assert profile.certification_of(profile.requirement("first")) == "none"


def test_unknown_kind_names_file_and_requirement(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.format(id="kz-test", extra="").replace("[certificate]", "[certficate]"))
    with pytest.raises(ProfileError) as exc:
        load_profile_file(path)
    assert str(exc.value).startswith("kz-test.yaml: requirement 'first': kinds: unknown document kind 'certficate'; "
                                     "known: protocol, protocol_extract,")


def test_places_minimum_must_be_positive(tmp_path: Path) -> None:
    extra = "    distinct_places: {min: 0, unit: district_or_city}\n"
    with pytest.raises(ProfileError) as exc:
        load_profile_file(write(tmp_path, GOOD.format(id="kz-test", extra=extra)))
    assert str(exc.value) == ("kz-test.yaml: requirement 'first': distinct_places.min: "
                              "Input should be greater than or equal to 1")


def test_misspelt_key_and_missing_title(tmp_path: Path) -> None:
    text = GOOD.format(id="kz-test", extra="    min_cuont: 2\n").replace('titles: {ru: "Р", kk: "Қ", en: "E"}\n    kinds',
                                                                       'titles: {ru: "Р", en: "E"}\n    kinds')
    with pytest.raises(ProfileError) as exc:
        load_profile_file(write(tmp_path, text))
    assert str(exc.value) == ("kz-test.yaml: requirement 'first': titles.kk: is required; "
                              "requirement 'first': min_cuont: unknown key (check the spelling)")


def test_duplicate_requirement_id(tmp_path: Path) -> None:
    extra = "  - id: first\n    titles: {ru: \"Р\", kk: \"Қ\", en: \"E\"}\n    kinds: [order]\n"
    with pytest.raises(ProfileError) as exc:
        load_profile_file(write(tmp_path, GOOD.format(id="kz-test", extra=extra)))
    assert str(exc.value) == "kz-test.yaml: requirement id 'first' is used twice"


def test_bad_level_and_certification(tmp_path: Path) -> None:
    extra = "    levels: [oblast]\n    certification: stamp\n"
    with pytest.raises(ProfileError) as exc:
        load_profile_file(write(tmp_path, GOOD.format(id="kz-test", extra=extra)))
    message = str(exc.value)
    assert message.startswith("kz-test.yaml: requirement 'first': levels.0: Input should be 'school', 'district', "
                              "'regional', 'republican' or 'international'; requirement 'first': certification: ")


def test_id_must_match_file_name(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as exc:
        load_profile_file(write(tmp_path, GOOD.format(id="kz-other", extra="")))
    assert str(exc.value) == "kz-test.yaml: id 'kz-other' must equal the file name 'kz-test'"


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"^kz-test\.yaml: not valid YAML"):
        load_profile_file(write(tmp_path, "id: [unclosed\n"))
    with pytest.raises(ProfileError, match=r"^kz-test\.yaml: a profile must be a mapping"):
        load_profile_file(write(tmp_path, "- just a list\n"))


def test_unknown_profile_lists_known_ids() -> None:
    with pytest.raises(UnknownProfile) as exc:
        load_profile("kz-teacher")
    assert str(exc.value) == "unknown profile 'kz-teacher'; known profiles: " + ", ".join(CONTRACT_IDS)
    assert exc.value.status_code == 422
