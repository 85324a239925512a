"""Text folding shared by the field parsers: one spelling for Kazakh/Russian variants and OCR noise.

``fold`` lower-cases, maps Kazakh letters to their nearest Russian ones (Айгерім → айгерим,
Жұмабаева → жумабаева), ё → е, and Latin look-alikes inside Cyrillic words to Cyrillic (OCR
often reads «Ивaнова» with a Latin «a»). Matching is always done on folded text on both sides.
"""

from __future__ import annotations

import re

__all__ = ["CYRILLIC", "fold", "normalize_spaces"]

CYRILLIC = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
_KAZ = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                      "і": "и", "ё": "е", "ӊ": "н"})
_LATIN = str.maketrans({"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
                        "m": "м", "t": "т", "h": "н", "b": "в", "i": "и", "n": "п", "u": "и", "r": "г"})
_WORD = re.compile(r"[0-9A-Za-z" + CYRILLIC + r"]+")
_HAS_CYR = re.compile(r"[" + CYRILLIC + r"]")


def _fold_word(m: re.Match[str]) -> str:
    w = m.group(0)
    if _HAS_CYR.search(w):
        w = w.translate(_LATIN)
    return w


def fold(text: str) -> str:
    """Folded form of ``text`` (same length is NOT guaranteed for exotic input; use for matching)."""
    t = text.lower().translate(_KAZ)
    return _WORD.sub(_fold_word, t)


def normalize_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
