"""Every kind validates its sample; bad data is refused with the field named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from service.errors import BadInput
from service.generation.schemas import SCHEMAS, example_data
from service.generation.service import validate


def _drop(path: str):  # type: ignore[no-untyped-def]
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        del node[last]
    return mutate


def _set(path: str, value: Any):  # type: ignore[no-untyped-def]
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        node[int(last) if last.isdigit() else last] = value
    return mutate


# kind -> (mutation, the field the error must name)
BAD = {
    "protocol": (_drop("agenda.0.decision"), "agenda[0].decision"),
    "protocol_extract": (_set("protocol_date", "31.02.2024"), "protocol_date"),
    "expert_conclusion": (_set("experts", []), "experts"),
    "order": (_drop("head"), "head"),
    "transmission_program": (_set("events.2.location", "г. Темиртау"), "events"),
    "certificate": (_set("participant", "   "), "participant"),
    "implementation_act": (_set("period_end", "2023-01-01"), "period_end"),
    "regional_plan": (_set("year", 1899), "year"),
    "postcourse_checklist": (_set("directions", ["a", "b", "c", "d", "e"]), "directions"),
    "competence_plan": (_set("events.0.level", "galactic"), "events[0].level"),
    "halfyear_report": (_set("indicators.certified", 99), "indicators.certified"),
}


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_sample_validates(kind: str, lang: str) -> None:
    model = validate(kind, example_data(kind, lang))
    assert model.organization.code


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_bad_data_names_the_field(kind: str) -> None:
    data = copy.deepcopy(example_data(kind, "ru"))
    mutate, field = BAD[kind]
    if kind == "transmission_program":
        data["events"][1]["location"] = "г. Темиртау"
    mutate(data)
    with pytest.raises(BadInput) as info:
        validate(kind, data)
    fields = [d["field"] for d in info.value.details]
    assert fields == [field]
    assert field in info.value.message


def test_unknown_field_is_refused() -> None:
    data = example_data("order", "ru") | {"titel": "typo"}
    with pytest.raises(BadInput) as info:
        validate("order", data)
    assert info.value.details == [{"field": "titel", "message": "Extra inputs are not permitted"}]


def test_three_distinct_districts_message() -> None:
    data = copy.deepcopy(example_data("transmission_program", "ru"))
    for e in data["events"]:
        e["location"] = "Абайский район"
    with pytest.raises(BadInput) as info:
        validate("transmission_program", data)
    assert info.value.details == [{"field": "events", "message":
                                   "the programme must cover at least 3 distinct districts/cities, got 1"}]
