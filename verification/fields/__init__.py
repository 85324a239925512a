"""Required fields of a document from its text: who, what, when, number, issuer, level, places.

The parsers work on plain text (a PDF's text layer or OCR lines) and know nothing of images. Main
entry point: :func:`extract_fields`; the single parsers are exported for other parts (the dossier
engine counts distinct districts and regions from ``fields["places"]``).

    >>> f = extract_fields(["ПРИКАЗ", "№ 84-ө от 10.03.2022"], expected_name=None)
    >>> f.kind.kind, f.date.iso, f.number.value
    ('order', '2022-03-10', '84-ө')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from verification.fields.dates import DateMatch, parse_dates
from verification.fields.digest import MIN_WORDS, TextDigest, text_digest
from verification.fields.issuer import find_issuer
from verification.fields.kind import KINDS, KindMatch, detect_kind
from verification.fields.level import (
    EVENT_FORMS,
    LEVELS,
    LevelDecision,
    detect_event_form,
    detect_level,
    judge_level,
)
from verification.fields.names import (
    NAME_PARTS,
    NameComparison,
    NameMatch,
    compare_person,
    find_person_names,
    match_person,
    split_name,
)
from verification.fields.numbers import NumberMatch, parse_numbers
from verification.fields.places import places_as_dicts
from verification.fields.text import fold
from verification.reference import Place, find_places

__all__ = [
    "EVENT_FORMS",
    "KINDS",
    "LEVELS",
    "MIN_WORDS",
    "NAME_PARTS",
    "DateMatch",
    "ExtractedFields",
    "KindMatch",
    "LevelDecision",
    "NameComparison",
    "NameMatch",
    "NumberMatch",
    "Place",
    "TextDigest",
    "compare_person",
    "detect_event_form",
    "detect_kind",
    "detect_level",
    "extract_fields",
    "find_issuer",
    "find_person_names",
    "find_places",
    "fold",
    "judge_level",
    "match_person",
    "parse_dates",
    "parse_numbers",
    "places_as_dicts",
    "split_name",
    "text_digest",
]


@dataclass(frozen=True)
class ExtractedFields:
    """What the parsers found; ``None`` where nothing was found."""

    person: NameMatch | None
    date: DateMatch | None
    number: NumberMatch | None
    issuer: str | None
    kind: KindMatch | None
    level: tuple[str, str] | None
    event_form: tuple[str, str] | None
    places: tuple[Place, ...] = ()
    level_decision: LevelDecision | None = None
    """How ``level`` was chosen: from the issuer, the text, or both (:func:`judge_level`)."""
    all_dates: tuple[DateMatch, ...] = field(default=(), repr=False)
    person_differs: NameComparison | None = None  # the expected teacher's name with one part different
    digest: TextDigest | None = field(default=None, repr=False)  # to tell this paper from a look-alike

    def summary(self) -> dict[str, Any]:
        return {
            "person_name": self.person.value if self.person else None,
            "date": self.date.iso if self.date else None,
            "number": self.number.value if self.number else None,
            "issuer": self.issuer,
            "kind": self.kind.kind if self.kind else None,
            "level": self.level[0] if self.level else None,
            "event_form": self.event_form[0] if self.event_form else None,
            "places": [p.id for p in self.places],
        }


# «Место проведения: …», «Өткізілетін орны: …»: the event's venue, as opposed to the issuer's own town
# in the letterhead (folded text: ө → о, і → и)
_VENUE_CUE = re.compile(r"(?:место\s+проведения|место\s*:|мест[оа]\s+провед\w*|(?:откизилетин|откизилген|откизу|"
                        r"отетин|откен)\s+орны|venue)", re.IGNORECASE)


def _event_places(lines: list[str], text: str) -> tuple[Place, ...]:
    """Places the text names; where a line names the venue, only the venue's places (a programme on a
    school's form names the school's town in its letterhead, which is not where the event was)."""
    found = find_places(text)
    venue = [ln for ln in lines if _VENUE_CUE.search(fold(ln))]
    if not venue:
        return tuple(found)
    at_venue = find_places("\n".join(venue))
    if not at_venue:
        return tuple(found)
    # a name shared by districts of several regions is resolved with the whole text's region hints
    names = {(p.name, p.type) for p in at_venue}
    kept = [p for p in found if (p.name, p.type) in names]
    taken = {(p.name, p.type) for p in kept}
    return tuple(kept + [p for p in at_venue if (p.name, p.type) not in taken])


_DATE_CUE = re.compile(r"(?:\bот\b|\bдата\b|жылгы|№|\bn[оo]\b)", re.IGNORECASE)


def _document_date(lines: list[str], text: str) -> tuple[DateMatch | None, tuple[DateMatch, ...]]:
    """The document's own date: the first date on a line with «№»/«от»/«жылғы», else the first date."""
    all_dates = tuple(parse_dates(text))
    if not all_dates:
        return None, ()
    offset = 0
    for line in lines:
        if _DATE_CUE.search(fold(line)):
            found = parse_dates(line)
            if found:
                d = found[0]
                return DateMatch(d.iso, d.raw, offset + d.start, offset + d.end), all_dates
        offset += len(line) + 1
    return all_dates[0], all_dates


def extract_fields(lines: list[str] | str, expected_name: str | None = None) -> ExtractedFields:
    """Every field of one document from its text lines in reading order."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    lines = [ln for ln in (x.strip() for x in lines) if ln]
    text = "\n".join(lines)
    person: NameMatch | None
    person_differs: NameComparison | None = None
    if expected_name:
        compared = compare_person(text, expected_name)
        person = compared.name if compared is not None else None
        if compared is not None and not compared.matches:
            person_differs = compared
        if person is None:
            found = find_person_names(text)
            person = NameMatch(found[0].value, False, found[0].confidence, found[0].start, found[0].end) \
                if found else None
    else:
        found = find_person_names(text)
        person = found[0] if found else None
    date, all_dates = _document_date(lines, text)
    issuer = find_issuer(lines)
    # the issuer's header lines («Школа-гимназия № 12», «Республиканский центр») name neither the
    # document's number nor the event's level
    body_lines = [ln for ln in lines if not (issuer and ln.strip() and ln.strip() in issuer)]
    body = "\n".join(body_lines)
    numbers = parse_numbers(body)
    if date is not None:  # a number on the date's line is the document's own («№ 84 от 10.03.2022»)
        date_line = next((ln for ln in body_lines if date.raw in ln), None)
        on_line = parse_numbers(date_line) if date_line else []
        if on_line:
            numbers = on_line
    decision = judge_level(body, issuer)
    return ExtractedFields(
        person=person,
        date=date,
        number=numbers[0] if numbers else None,
        issuer=issuer,
        kind=detect_kind(lines),
        level=(decision.level, decision.text_words or decision.issuer or "") if decision else None,
        level_decision=decision,
        event_form=detect_event_form(text),
        places=_event_places(lines, text),
        all_dates=all_dates,
        person_differs=person_differs,
        digest=text_digest(lines),
    )
