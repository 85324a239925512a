"""Issuer: the organisation named in a document's header (or in its stamp's text)."""

from __future__ import annotations

import re

from verification.fields.text import fold, normalize_spaces

__all__ = ["find_issuer"]

_ORG = re.compile(
    r"\b(?:управлени\w*|отдел\w*|министерств\w*|центр\w*|школ\w*|гимнази\w*|лице[йя]\w*|колледж\w*|"
    r"университет\w*|институт\w*|академи\w*|департамент\w*|ассоциаци\w*|ассоциац\w*|"
    r"гу|кгу|ргп|ргу|тоо|ао|нао|кгкп|гкп|мбоу|моу|оо|"
    r"мектеб\w*|мектеп\w*|орталы\w*|баскарма\w*|болим\w*|министрлиг\w*|колледжи|университети|"
    r"институты|академиясы|бирлестиг\w*)\b"
)
_TITLE = re.compile(r"^(?:приказ|буйрык|сертификат|справка|аныктама|протокол|хаттама|выписка|программа|"
                    r"экспертное|сараптамалык|акт|план|жоспар|чек|отчет|диплом|грамота)\b")


def find_issuer(lines: list[str], *, header_lines: int = 8) -> str | None:
    """The first organisation line in the header, joined with a continuation line, or ``None``."""
    for i, line in enumerate(lines[:header_lines]):
        f = fold(line).strip(" «»\"")
        if len(f) < 6 or _TITLE.match(f):
            continue
        if _ORG.search(f):
            text = line.strip()
            if i + 1 < len(lines):
                nxt = lines[i + 1].strip()
                nf = fold(nxt)
                # a header often wraps: «Управление образования» / «Жамбылской области»
                if (nxt and not _TITLE.match(nf) and len(nxt) < 80 and not re.search(r"\d", nxt)
                        and (text.count("«") > text.count("»") or nxt.startswith(("«", "\"")) or re.match(r"^[«\"а-яa-z]", nf)
                             and nxt[:1].islower() or nxt.isupper() and text.isupper())):
                    text = f"{text} {nxt}"
            return _without_trailing_noise(normalize_spaces(text))
    return None


_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_NOISE_TAIL = re.compile(r"(?:\s+(?:[A-Za-z|/\\'`~^*.,:;-]{1,3}|_+))+$")


def _without_trailing_noise(text: str) -> str:
    """A Cyrillic organisation line without what OCR made of a pen stroke or a signature line at its
    end («… образования ______ a» → «… образования»): short non-Cyrillic tokens and underscores."""
    if not _CYRILLIC.search(text):
        return text
    return _NOISE_TAIL.sub("", text).rstrip(" ,;:_") or text
