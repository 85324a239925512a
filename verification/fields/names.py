"""Person names: find the expected teacher in a text, tolerant to grammatical case, initials
(«Иванова А.С.», «А.С. Иванова»), Kazakh/Russian spellings (-ова/-ева, Айгерим/Айгерім,
Сериковна/Серікқызы) and OCR noise; or, without an expected name, find a full name by its patronymic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from verification.fields.text import CYRILLIC, fold

__all__ = ["NameMatch", "find_person_names", "match_person", "split_name"]

_UPPER_CHARS = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_TOKEN = re.compile(
    rf"(?:[A-Za-z{CYRILLIC}]\.\s?){{1,2}}(?![A-Za-z{CYRILLIC}])|[A-Za-z{CYRILLIC}][A-Za-z{CYRILLIC}'-]*\.?"
)
_SURNAME_SUFFIX = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая|ов|ев|ин|ын|ский|цкий|ая|ий)$")
_PATRONYMIC_SUFFIX = re.compile(r"(?:овна|евна|ична|инична|ович|евич|ич|кызы|улы|уулу|оглы|кизи)$")
_CASE_ENDING = re.compile(r"(?:ой|ою|ым|ом|ого|ому|ей|ую|у|е|а|ы|и|ну|не|ной|на|ны|ном|ым)$")


@dataclass(frozen=True)
class NameMatch:
    value: str  # the name as written in the text
    matches_expected: bool | None
    confidence: float
    start: int
    end: int


def split_name(full_name: str) -> tuple[str, str, str]:
    """(surname, given name, patronymic) of «Фамилия Имя Отчество»; missing parts are empty."""
    parts = [p for p in re.split(r"\s+", full_name.strip()) if p]
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], " ".join(parts[2:]).strip()


def _root(word: str, suffix: re.Pattern[str]) -> str:
    w = fold(word).rstrip(".")
    for _ in range(2):
        stripped = suffix.sub("", w)
        if stripped != w and len(stripped) >= 3:
            return stripped
        w2 = _CASE_ENDING.sub("", w)
        if w2 == w or len(w2) < 3:
            break
        w = w2
    return w


def _similar(token: str, ref: str, suffix: re.Pattern[str] | None = None) -> float:
    """0..1 similarity of a text token to a reference name part, ignoring case endings."""
    t, r = fold(token).rstrip("."), fold(ref)
    if not t or not r:
        return 0.0
    if suffix is not None:
        rt, rr = _root(t, suffix), _root(r, suffix)
        if len(rr) >= 3 and (t.startswith(rr) or rt == rr):
            return 1.0
        if len(rr) >= 4 and fuzz.ratio(t[: len(rr)], rr) >= 85:
            return 0.9
    best = fuzz.ratio(t, r) / 100
    for k in (1, 2, 3):  # case endings: Айгерим/Айгерим-ге, Сериковна/Сериковне
        if len(t) > k + 2:
            best = max(best, fuzz.ratio(t[:-k], r[: len(t) - k]) / 100 if len(r) >= len(t) - k else 0)
    return best


def _initials(token: str) -> list[str]:
    """«А.С.» → [а, с]; «А.» → [а]; otherwise []."""
    t = token.strip()
    if re.fullmatch(rf"(?:[{CYRILLIC}A-Za-z]\.\s?){{1,2}}", t) or re.fullmatch(rf"[{_UPPER_CHARS}A-Z]", t):
        return [fold(c) for c in re.findall(rf"[{CYRILLIC}A-Za-z]", t)]
    return []


def _as_initials(word: str) -> list[str]:
    """Initials in a token: «А.С.», «А.», «А. С.», or a lone capital (OCR drops dots); else []."""
    inits = _initials(word)
    if not inits and re.fullmatch(rf"(?:[{CYRILLIC}A-Za-z]\.){{2}}[{CYRILLIC}A-Za-z]?", word):
        inits = [fold(c) for c in re.findall(rf"[{CYRILLIC}A-Za-z]", word)]
    return inits


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def match_person(text: str, expected: str) -> NameMatch | None:
    """Where ``expected`` («Фамилия Имя Отчество») is named in ``text``; ``None`` if nowhere.

    The surname must match (any case form, -ова/-ева, OCR noise); the given name must match in full
    or as an initial; a patronymic or its initial that is present must not contradict.
    """
    surname, given, patronymic = split_name(expected)
    if not surname:
        return None
    toks = _tokens(text)
    best: NameMatch | None = None
    for i, tok in enumerate(toks):
        s_score = _similar(tok.group(0), surname, _SURNAME_SUFFIX)
        if s_score < 0.8 or len(tok.group(0)) < 3:
            continue
        # full words among the neighbours: «Фамилия Имя Отчество», «Имя Фамилия», «Фамилию Имя Отчество»
        window = toks[max(0, i - 3): i + 4]
        g_score = 0.0
        p_score = 0.5 if not patronymic else 0.0
        contradict = False
        span = [tok.start(), tok.end()]
        for other in window:
            word = other.group(0)
            if other is tok or _as_initials(word):
                continue
            if given:
                gs = _similar(word, given)
                if gs >= 0.8 and gs > g_score:
                    g_score = gs
                    span = [min(span[0], other.start()), max(span[1], other.end())]
                    continue
            if patronymic:
                ps = _similar(word, patronymic, _PATRONYMIC_SUFFIX)
                if ps >= 0.85:
                    p_score = max(p_score, ps)
                    span = [min(span[0], other.start()), max(span[1], other.end())]
        if g_score < 0.8:
            # initials right next to the surname: «Фамилия И.О.», «Фамилия И. О.», «И.О. Фамилия»
            for before, side in ((False, toks[i + 1:i + 3]), (True, list(reversed(toks[max(0, i - 2):i])))):
                inits: list[str] = []
                used = []
                for other in side:
                    got = _as_initials(other.group(0))
                    if not got or len(inits) >= 2:
                        break
                    inits += got
                    used.append(other)
                if before and used:  # read back in text order
                    inits = [c for o in reversed(used) for c in _as_initials(o.group(0))]
                if inits and given and inits[0] == fold(given)[0]:
                    g_score = 0.9
                    for o in used:
                        span = [min(span[0], o.start()), max(span[1], o.end())]
                    if len(inits) > 1 and patronymic:
                        if inits[1] == fold(patronymic)[0]:
                            p_score = max(p_score, 0.9)
                        else:
                            contradict = True
                    break
        if g_score < 0.8 or contradict:
            continue
        conf = round(0.5 * s_score + 0.35 * g_score + 0.15 * max(p_score, 0.5), 3)
        if best is None or conf > best.confidence:
            best = NameMatch(text[span[0]:span[1]], True, conf, span[0], span[1])
    return best


_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_FULL = re.compile(
    rf"\b([{_UPPER}][{CYRILLIC}-]+)\s+([{_UPPER}][{CYRILLIC}]+)\s+"
    rf"([{_UPPER}][{CYRILLIC}]+(?:(?:ович|евич|ьич|ич)(?:а|у|ем|е)?|(?:овн|евн|ичн)(?:а|ы|е|у|ой)|(?:қызы|кызы|ұлы|улы)(?:на|ның|нын)?))\b"
)
_SHORT = re.compile(rf"\b([{_UPPER}][{CYRILLIC}-]{{2,}}(?:ова|ева|ина|ов|ев|ин|ая|ий|ой|ому|ую))\s+([А-ЯЁӘҒҚҢӨҰҮҺІ]\.\s?[А-ЯЁӘҒҚҢӨҰҮҺІ]\.)")


def find_person_names(text: str) -> list[NameMatch]:
    """Full names found by their shape (a patronymic, or «Фамилия И.О.»), in order of appearance."""
    out = [NameMatch(m.group(0), None, 0.7, m.start(), m.end()) for m in _FULL.finditer(text)]
    out += [NameMatch(m.group(0), None, 0.5, m.start(), m.end()) for m in _SHORT.finditer(text)]
    return sorted(out, key=lambda n: n.start)
