"""Document numbers: «№ 84», «№84-ө», «№ 12/3», and the way OCR reads the sign (No, N°, Ne, N2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NumberMatch", "parse_numbers"]

_RX = re.compile(
    r"(?:№|N[°º]|No\.?|Nо\.?|Ne|Nе|Мо|Ме|М°|N2)\s*(?P<num>\d{1,6}(?:\s?[-/]\s?(?:\d{1,4}|[A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]{1,4}"
    r"(?![A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі])))*)"
)


@dataclass(frozen=True)
class NumberMatch:
    value: str
    raw: str
    start: int
    end: int


def parse_numbers(text: str) -> list[NumberMatch]:
    """Every «№ …» number in ``text`` in order; the value keeps suffixes (84-ө, 12/3), drops spaces."""
    out = []
    for m in _RX.finditer(text):
        value = re.sub(r"\s+", "", m.group("num"))
        # Kazakh order suffix «-ө» is often read by OCR as «-6», «-0», «-е», «-о» or «-θ»
        value = re.sub(r"-(?:6|0|о|o|θ|Ө|е|e)$", "-ө", value)
        out.append(NumberMatch(value, m.group(0), m.start(), m.end()))
    return out
