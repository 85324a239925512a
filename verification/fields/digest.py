"""A short fingerprint of a document's text, to tell one paper from another one on the same form.

Two scans of the same paper (photographed twice, rescanned, rotated, cropped, re-compressed) read
largely the same words; a programme in Kazakh and its Russian twin, or another document altogether,
do not. The fingerprint is a MinHash of the folded words (Jaccard similarity of the word sets, robust to
word order and to a share of OCR noise) plus the text's language and word count; it is small enough to
live in the report (``fields["text_digest"]``) and be compared without the text itself.

    >>> a = text_digest(["Программа трансляции опыта", "Байзакский район, 12.02.2024"])
    >>> a.words, a.similarity(a), a.language  # six words: too few to name the language
    (6, 1.0, None)
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from verification.fields.text import fold

__all__ = ["MIN_WORDS", "TextDigest", "text_digest"]

MIN_WORDS = 12
"""Fewer distinct words than this say too little to compare two texts."""

_PERMUTATIONS = 64
_PRIME = (1 << 61) - 1
_rng = random.Random(20240315)  # fixed: digests made by any version compare with each other
_COEFFS = tuple((_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(_PERMUTATIONS))
_WORD = re.compile(r"[0-9a-zа-я]{3,}")
_KAZAKH_ONLY = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYR_WORD = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{3,}")
_LAT_WORD = re.compile(r"[A-Za-z]{3,}")
_YEAR = re.compile(r"(?<!\d)(199\d|20[0-3]\d)(?!\d)")


@dataclass(frozen=True)
class TextDigest:
    minhash: tuple[int, ...]
    words: int  # distinct folded words
    language: str | None  # "ru" | "kk" | "en" | None (too little text to say)
    years: tuple[int, ...] = ()  # years the text names (1990–2039): a form's copies of other years differ

    def similarity(self, other: TextDigest) -> float:
        """Estimated Jaccard similarity of the two word sets (0..1)."""
        if not self.minhash or len(self.minhash) != len(other.minhash):
            return 0.0
        return sum(a == b for a, b in zip(self.minhash, other.minhash)) / len(self.minhash)

    def to_value(self) -> dict[str, Any]:
        return {"minhash": "".join(f"{h:08x}" for h in self.minhash), "words": self.words,
                "language": self.language, "years": list(self.years)}

    @classmethod
    def from_value(cls, value: Any) -> TextDigest | None:
        """Back from :meth:`to_value` (a stored report); ``None`` for anything else."""
        if not isinstance(value, Mapping):
            return None
        raw, words = value.get("minhash"), value.get("words")
        if not isinstance(raw, str) or len(raw) != 8 * _PERMUTATIONS or not isinstance(words, int):
            return None
        try:
            hashes = tuple(int(raw[i:i + 8], 16) for i in range(0, len(raw), 8))
        except ValueError:
            return None
        lang = value.get("language")
        years = tuple(y for y in value.get("years") or () if isinstance(y, int))
        return cls(hashes, words, lang if lang in ("ru", "kk", "en") else None, years)


def _language(text: str) -> str | None:
    cyr = _CYR_WORD.findall(text)
    lat = _LAT_WORD.findall(text)
    if len(cyr) + len(lat) < MIN_WORDS:
        return None
    if len(lat) > len(cyr):
        return "en"
    # Kazakh text has a Kazakh-only letter in about a third of its words; a Russian text on a bilingual
    # form (a school's Kazakh name in the header) far fewer
    kazakh = sum(1 for w in cyr if _KAZAKH_ONLY.search(w))
    return "kk" if kazakh >= 0.12 * len(cyr) else "ru"


def text_digest(lines: Sequence[str] | str) -> TextDigest | None:
    """The fingerprint of a text (its lines in any order); ``None`` when it has no words at all."""
    text = lines if isinstance(lines, str) else "\n".join(lines)
    words = set(_WORD.findall(fold(text)))
    if not words:
        return None
    hashes = [int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big") for w in words]
    minhash = tuple(min((a * h + b) % _PRIME for h in hashes) & 0xFFFFFFFF for a, b in _COEFFS)
    years = tuple(sorted({int(y) for y in _YEAR.findall(text)}))
    return TextDigest(minhash, len(words), _language(text), years)
