"""Person names: find the expected teacher in a text, tolerant to grammatical case, initials
(«Иванова А.С.», «А.С. Иванова»), Kazakh/Russian spellings (-ова/-ева, Айгерим/Айгерім,
Сериковна/Серікқызы) and OCR noise; or, without an expected name, find a full name by its patronymic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from verification.fields.text import CYRILLIC, fold

__all__ = ["NAME_PARTS", "NameComparison", "NameMatch", "compare_person", "find_person_names", "match_person",
           "split_name"]

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


NAME_PARTS = ("surname", "given", "patronymic")
"""The parts of a full name, in the order «Фамилия Имя Отчество»."""

# What may follow a surname's stem: the -ов/-ев/-ин ending, a Russian case ending, a Kazakh one.
_SURNAME_TAIL = re.compile(
    r"(?:ов|ев|ин|ын|ск|цк)?(?:а|ой|ою|у|ы|ым|ом|ого|ому|ую|ей|е|и|ая|ий|ых)?"
    r"(?:га|ге|ка|ке|нын|нин|ны|ни|на|не|да|де|та|те|мен|дан|ден|нан|нен)?"
)
_PATRONYMIC_SHAPE = re.compile(
    r"(?:овн|евн|ичн)(?:а|ы|е|у|ой)$|(?:ович|евич|ьич)(?:а|у|ем|е)?$|(?:кызы|улы|уулу)(?:на|нын|нин|ны)?$"
)
_KAZ_PATRONYMIC_WORD = re.compile(r"(?:кызы|улы)(?:на|нын|нин|ны)?")
_NAME_WORD = re.compile(rf"[{_UPPER_CHARS}A-Z][{CYRILLIC}A-Za-z'-]+")


def _surname_similar(token: str, ref: str) -> float:
    """Like :func:`_similar` for surnames, but a stem only counts when what follows it is an ending:
    «Жумабаевой» is Жумабаева, «Жумабекова» is not."""
    t, r = fold(token).rstrip("."), fold(ref)
    if not t or not r:
        return 0.0
    rt, rr = _root(t, _SURNAME_SUFFIX), _root(r, _SURNAME_SUFFIX)
    if len(rr) >= 3 and (rt == rr or (t.startswith(rr) and _SURNAME_TAIL.fullmatch(t[len(rr):]))):
        return 1.0
    best = fuzz.ratio(t, r) / 100
    for k in (1, 2, 3):  # case endings on a noisy word: Жумабаеве / Жумабаевой
        if len(t) > k + 2 and len(r) >= len(t) - k:
            best = max(best, fuzz.ratio(t[:-k], r[: len(t) - k]) / 100)
    return best


@dataclass(frozen=True)
class NameComparison:
    """The best-placed name in a text compared part by part with the expected one.

    ``differs`` names the first part written differently («patronymic»), with the part as found
    (``found_part``) and as expected (``expected_part``); ``None`` when no part contradicts. A part
    the text does not give (no patronymic, only initials) is not a difference.
    """

    name: NameMatch
    differs: str | None = None
    found_part: str = ""
    expected_part: str = ""

    @property
    def matches(self) -> bool:
        return self.differs is None


def _is_name_word(word: str, like: str) -> bool:
    """A word written as a name («Болатовна», «БОЛАТОВНА» beside an all-capitals surname)."""
    if not _NAME_WORD.fullmatch(word):
        return False
    return not (like.isupper() and len(like) > 1) or word.isupper()


def _neighbours(text: str, toks: list[re.Match[str]], i: int,
                across_lines: bool = False) -> list[tuple[int, str, int, int]]:
    """Name-like words written right beside token ``i`` (no punctuation between; on the same line unless
    ``across_lines``), at most two on each side; a Kazakh «Серік қызы» is one word.
    Entries: (offset, word, start, end)."""
    gap_chars = " \t\n" if across_lines else " \t"
    out: list[tuple[int, str, int, int]] = []
    anchor = toks[i].group(0)
    for step in (-1, 1):
        j, taken = i, 0
        while taken < 2:
            k = j + step
            if k < 0 or k >= len(toks):
                break
            a, b = (toks[k], toks[j]) if step < 0 else (toks[j], toks[k])
            if text[a.end():b.start()].strip(gap_chars) or text[a.end():b.start()].count("\n") > 1:
                break
            word, s, e = toks[k].group(0), toks[k].start(), toks[k].end()
            if step > 0 and k + 1 < len(toks) and _KAZ_PATRONYMIC_WORD.fullmatch(fold(toks[k + 1].group(0))) \
                    and not text[e:toks[k + 1].start()].strip(" \t"):
                word, e, k = f"{word} {toks[k + 1].group(0)}", toks[k + 1].end(), k + 1
            if not (_as_initials(word) or _is_name_word(word.split(" ")[0], anchor)):
                break
            out.append((k - i, word, s, e))
            j, taken = k, taken + 1
    return sorted(out)


def _is_patronymic(word: str) -> bool:
    return bool(_PATRONYMIC_SHAPE.search(fold(word).replace(" ", "")))


def _compare_at(text: str, toks: list[re.Match[str]], i: int, surname: str, given: str,
                patronymic: str, s_score: float) -> NameComparison | None:
    tok = toks[i]
    # nearest words first: in «… Айгерим Болатовна и Жумабаева Айгерим Сериковна» the given name is the next word
    window = sorted(toks[max(0, i - 3): i + 4], key=lambda o: (abs(o.start() - tok.start()), o.start()))
    g_score = 0.0
    p_score = 0.5 if not patronymic else 0.0
    span = [tok.start(), tok.end()]
    differs: tuple[str, str, str] | None = None
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
            if not inits or not given:
                continue
            for o in used:
                span = [min(span[0], o.start()), max(span[1], o.end())]
            written = text[used[0].start():used[-1].end()] if not before else \
                text[used[-1].start():used[0].end()]
            if inits[0] != fold(given)[0]:
                differs = ("given", written, given)
            else:
                g_score = 0.9
                if len(inits) > 1 and patronymic:
                    if inits[1] == fold(patronymic)[0]:
                        p_score = max(p_score, 0.9)
                    else:
                        differs = ("patronymic", written, patronymic)
            break
    near = _neighbours(text, toks, i)
    if differs is None and g_score < 0.8 and given:
        # a full name written beside the surname whose given name is another: «Жумабаева Динара Сериковна»
        words = [w for w in near if not _as_initials(w[1])]
        shaped = [w for w in words if _is_patronymic(w[1])]
        others = [w for w in words if not _is_patronymic(w[1])]
        if others and (shaped or len(words) == 1) and abs(others[0][0]) == 1:
            differs = ("given", others[0][1], given)
            for w in near:
                span = [min(span[0], w[2]), max(span[1], w[3])]
    if differs is None and g_score < 0.8:
        return None
    if differs is None and patronymic and p_score < 0.85:
        # OCR may break a name over two lines: «Жумабаевой Айгерим / Болатовне»
        for _, word, s, e in _neighbours(text, toks, i, across_lines=True):
            if not _as_initials(word) and _is_patronymic(word) and \
                    _similar(word.split(" ")[0], patronymic, _PATRONYMIC_SUFFIX) < 0.85:
                differs = ("patronymic", word, patronymic)
                span = [min(span[0], s), max(span[1], e)]
                break
    conf = round(0.5 * s_score + 0.35 * max(g_score, 0.8) + 0.15 * max(p_score, 0.5), 3)
    if differs is not None:
        conf = round(min(conf, 0.9) * 0.9, 3)
    rest = toks[[t.end() for t in toks].index(span[1]) + 1:] if span[1] in [t.end() for t in toks] else []
    if rest and _KAZ_PATRONYMIC_WORD.fullmatch(fold(rest[0].group(0))) and not text[span[1]:rest[0].start()].strip():
        span[1] = rest[0].end()  # «Серік қызы» is one patronymic
    value = text[span[0]:span[1]]
    match = NameMatch(value, differs is None, conf, span[0], span[1])
    if differs is None:
        return NameComparison(match)
    return NameComparison(match, differs[0], differs[1], differs[2])


def _surname_differs(text: str, toks: list[re.Match[str]], surname: str, given: str,
                     patronymic: str) -> NameComparison | None:
    """Given name and patronymic written in full as expected, next to another surname."""
    if not (given and patronymic):
        return None
    for i, tok in enumerate(toks):
        if _similar(tok.group(0), given) < 0.85:
            continue
        near = _neighbours(text, toks, i)
        pat = [w for w in near if w[0] in (1, 2) and _similar(w[1].split(" ")[0], patronymic,
                                                               _PATRONYMIC_SUFFIX) >= 0.85]
        if not pat:
            continue
        offset = pat[0][0]
        cands = [w for w in near if w[0] == -1 or w[0] == offset + 1]
        cands = [w for w in cands if not _as_initials(w[1]) and not _is_patronymic(w[1])]
        if not cands:
            continue
        word, s, e = cands[0][1], cands[0][2], cands[0][3]
        if _surname_similar(word, surname) >= 0.8:
            continue
        start, end = min(s, tok.start()), max(e, pat[0][3])
        return NameComparison(NameMatch(text[start:end], False, 0.7, start, end), "surname", word, surname)
    return None


def compare_person(text: str, expected: str) -> NameComparison | None:
    """The name in ``text`` that best fits ``expected`` («Фамилия Имя Отчество»), part by part.

    Surname, given name and patronymic must all agree. Each part tolerates grammatical case,
    Kazakh/Russian spellings (Жұмабаева, Серікқызы, Серік қызы), ё/е, capitals and OCR noise; the
    given name and patronymic may be initials, in either order. A missing part is no difference. A
    name that agrees beats one that differs; ``None`` when the text names nobody like the teacher.
    """
    surname, given, patronymic = split_name(expected)
    if not surname:
        return None
    toks = _tokens(text)
    best: NameComparison | None = None
    for i, tok in enumerate(toks):
        s_score = _surname_similar(tok.group(0), surname)
        if s_score < 0.8 or len(tok.group(0)) < 3:
            continue
        if _is_patronymic(tok.group(0)) and not _is_patronymic(surname):
            continue  # «Ивановна» is a patronymic, not the surname «Иванова»
        found = _compare_at(text, toks, i, surname, given, patronymic, s_score)
        if found is None:
            continue
        if best is None or (found.matches, found.name.confidence) > (best.matches, best.name.confidence):
            best = found
    if best is None:
        best = _surname_differs(text, toks, surname, given, patronymic)
    return best


def match_person(text: str, expected: str) -> NameMatch | None:
    """Where ``expected`` («Фамилия Имя Отчество») is named in ``text``; ``None`` if nowhere.

    Every part must agree (see :func:`compare_person`); a name with one part different is not the
    teacher (use :func:`compare_person` to learn which part differs).
    """
    found = compare_person(text, expected)
    return found.name if found is not None and found.matches else None


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
