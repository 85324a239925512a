"""Reference list of places: Kazakhstan's 17 regions, Астана, Алматы, Шымкент and their districts and
cities, in Russian and Kazakh with common variants; the municipalities of the Altai Republic (Russia).

The list lives in ``places.txt`` (one line per place, readable and editable by a non-programmer).
:func:`find_places` maps every spelling of a place in a text (either language, any grammatical
case) to one canonical :class:`Place`, so two spellings of one district count once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Place", "all_places", "find_places", "get_place", "regions"]


def fold(text: str) -> str:
    # Imported on first use: verification.fields imports this module, so a module-level import of
    # verification.fields.text here made `import verification.reference` (before fields) fail.
    from verification.fields.text import fold as _fold

    return _fold(text)


_DATA = Path(__file__).with_name("places.txt")

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", " ": "-", ".": "",
})


@dataclass(frozen=True)
class Place:
    """One place of the reference list. ``region`` is the id of its region (itself for a region)."""

    id: str
    name: str  # canonical Russian name, e.g. "Абайский район", "г. Семей", "Жамбылская область"
    name_kk: str
    type: str  # "region" | "city_republican" | "district" | "city"
    region: str
    variants: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "name_kk": self.name_kk, "type": self.type,
                "region": self.region}


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", fold(text).translate(_TRANSLIT)).strip("-")


def _flex(text: str) -> str:
    """Regex for a folded multi-word name: flexible spaces/hyphens, any ending on each word."""
    words = re.split(r"[\s-]+", fold(text).strip())
    parts = []
    for w in words:
        w = re.escape(w.rstrip("."))
        parts.append(w)
    return r"[\s-]*".join(parts)


def _stem(word: str) -> str:
    w = fold(word)
    return w[:-1] if len(w) > 5 and w[-1] in "аяйьыеиоу" else w


_END = r"[а-яa-z]{0,4}"


def _patterns(place: Place, kind: str) -> list[str]:
    """Regexes (on folded text) that name ``place``."""
    pats: list[str] = []
    names_ru = [place.name if kind != "district" else place.variants[0]] + list(place.variants[1:])
    if kind in ("district",):
        for ru in names_ru:
            f = fold(ru)
            if re.search(r"(ский|цкий|ной|ный|ий)$", f):
                stem = re.escape(f[:-2])
                pats.append(rf"\b{stem}(?:ий|ого|ому|им|ом|ая|ой|ое){{0,1}}\s+район\w*")
            else:
                pats.append(rf"\bрайон\w*\s+(?:имени\s+)?{_flex(ru)}{_END}\b")
                pats.append(rf"\b{_flex(ru)}{_END}\s+район\w*")
        pats.append(rf"\b{_flex(place.name_kk)}\s+аудан\w*")
    elif kind == "district_named":
        for ru in names_ru:
            words = [w for w in re.split(r"\s+", fold(ru)) if w not in ("район", "имени")]
            body = r"\s+".join(re.escape(_stem(w)) + r"\w*" for w in words)
            pats.append(rf"\bрайон\w*\s+(?:имени\s+)?{body}")
            pats.append(rf"\b{body}\s+район\w*")
        pats.append(rf"\b{_flex(place.name_kk)}\s+аудан\w*")
    elif kind == "region":
        for ru in [place.name, *place.variants]:
            f = fold(ru)
            if f.startswith("республика "):
                pats.append(rf"\bреспублик\w*\s+{re.escape(_stem(f.split()[1]))}\w*")
            else:
                first = f.split()[0]
                pats.append(rf"\b{re.escape(first[:-2])}\w*\s+област\w*")
        kk_head, _, kk_tail = place.name_kk.rpartition(" ")
        if fold(kk_tail).startswith("республик"):  # «Алтай Республикасы»
            pats.append(rf"\b{_flex(kk_head)}\s+республик\w*")
        else:
            pats.append(rf"\b{_flex(kk_head)}\s+облыс\w*")
    elif kind in ("city", "city_republican"):
        for ru in [place.name.removeprefix("г. "), *place.variants]:
            stem = re.escape(_stem(ru))
            pats.append(rf"(?:\bг\.\s*|\bгор\.\s*|\bгород\w*\s+){stem}\w{{0,3}}\b")
            pats.append(rf"\b{stem}\w{{0,3}}\s+(?:город\w*|кала\w*)")
        pats.append(rf"\b{_flex(place.name_kk)}\w{{0,4}}\s+кала\w*")
    return pats


@functools.cache
def _load() -> tuple[tuple[Place, ...], tuple[tuple[re.Pattern[str], int, tuple[int, ...]], ...]]:
    places: list[Place] = []
    kinds: list[str] = []
    region_id = ""
    for raw in _DATA.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        main, _, alt = line.partition("~")
        variants = tuple(v.strip() for v in alt.split(";") if v.strip())
        if main.startswith("@"):
            pid, ru, kk, typ = (p.strip() for p in main[1:].split("|"))
            region_id = pid
            places.append(Place(pid, ru, kk, typ, pid, variants))
            kinds.append(typ)
            continue
        ru, kk, typ = (p.strip() for p in main.split("|"))
        if typ == "district":
            name = ru + " район" if re.search(r"(ский|цкий|ный|ий)$", ru) else "район " + ru
            places.append(Place(f"{region_id}/{_slug(ru)}", name, kk + " ауданы", "district", region_id,
                                (ru, *variants)))
        elif typ == "district_named":
            places.append(Place(f"{region_id}/{_slug(ru.removeprefix('район '))}", ru, kk + " ауданы",
                                "district", region_id, (ru, *variants)))
        else:
            places.append(Place(f"{region_id}/{_slug(ru)}", "г. " + ru, kk + " қаласы", "city", region_id,
                                variants))
        kinds.append(typ)
    # one compiled regex per distinct pattern; the same pattern may name several places (ambiguity)
    by_pattern: dict[str, list[int]] = {}
    order: dict[str, int] = {}
    rank = {"district_named": 0, "region": 1, "district": 2, "city": 3, "city_republican": 3}
    for i, (place, kind) in enumerate(zip(places, kinds, strict=True)):
        kk_name = place.name_kk
        if kind == "district" or kind == "district_named":
            place_for_patterns = Place(place.id, place.name, kk_name.removesuffix(" ауданы"), place.type,
                                       place.region, place.variants)
        elif kind == "city":
            place_for_patterns = Place(place.id, place.name, kk_name.removesuffix(" қаласы"), place.type,
                                       place.region, place.variants)
        else:
            place_for_patterns = place
        for pat in _patterns(place_for_patterns, kind):
            by_pattern.setdefault(pat, []).append(i)
            order.setdefault(pat, rank[kind])
    compiled = tuple(
        (re.compile(p), order[p], tuple(ix)) for p, ix in sorted(by_pattern.items(), key=lambda kv: order[kv[0]])
    )
    return tuple(places), compiled


def all_places() -> tuple[Place, ...]:
    return _load()[0]


def regions() -> tuple[Place, ...]:
    return tuple(p for p in all_places() if p.type in ("region", "city_republican"))


def get_place(place_id: str) -> Place | None:
    return next((p for p in all_places() if p.id == place_id), None)


_BARE_CITIES = re.compile(r"\b(астан|алматы|шымкент)(?:а|ы|е|у|ой|ка|ке|ки|кою)?\b(?!\s+(?:облыс|аудан|район|област))")
_BARE_IDS = {"астан": "kz-astana", "алматы": "kz-almaty", "шымкент": "kz-shymkent"}


def find_places(text: str) -> list[Place]:
    """Canonical places named in ``text``, in order of first mention, each once.

    A name shared by districts of several regions (e.g. «Жамбылский район») resolves to the region
    that the text also names; without such a hint the first in the list is taken.
    """
    places, compiled = _load()
    folded = fold(text)
    taken = [False] * (len(folded) + 1)
    hits: list[tuple[int, tuple[int, ...]]] = []
    for rx, _rank, idx in compiled:
        for m in rx.finditer(folded):
            if any(taken[m.start():m.end()]):
                continue
            for k in range(m.start(), m.end()):
                taken[k] = True
            hits.append((m.start(), idx))
    for m in _BARE_CITIES.finditer(folded):
        if any(taken[m.start():m.end()]):
            continue
        pid = _BARE_IDS[m.group(1)]
        hits.append((m.start(), tuple(i for i, p in enumerate(places) if p.id == pid)))
    hits.sort()
    # positions where each region is named unambiguously (itself or one of its places)
    region_pos: dict[str, list[int]] = {}
    for pos, idx in hits:
        if len(idx) == 1:
            region_pos.setdefault(places[idx[0]].region, []).append(pos)
    result: list[Place] = []
    seen: set[str] = set()
    for pos, idx in hits:
        choice = places[idx[0]]
        if len(idx) > 1:
            near = [(min(abs(q - pos) for q in region_pos[places[i].region]), n, places[i])
                    for n, i in enumerate(idx) if places[i].region in region_pos]
            if near:
                choice = min(near, key=lambda t: (t[0], t[1]))[2]
        if choice.id not in seen:
            seen.add(choice.id)
            result.append(choice)
    return result
