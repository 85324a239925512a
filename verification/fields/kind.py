"""Document kind from its title, in Russian or Kazakh, by the text cues of :mod:`verification.kinds`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verification import kinds
from verification.fields.text import fold

__all__ = ["KINDS", "KindMatch", "detect_kind"]

# The cues and their order (a more specific title wins over a word it contains) are the kinds table's.
_COMPILED = tuple((k, re.compile(cues)) for k in kinds.DETECTION_ORDER if (cues := kinds.kind(k).cues))
KINDS = tuple(k for k, _ in _COMPILED)
"""The kinds recognised from their text, in the order they are tried."""


@dataclass(frozen=True)
class KindMatch:
    kind: str
    line: int  # index of the line that names it
    raw: str
    confidence: float


def detect_kind(lines: list[str] | str, *, title_lines: int = 12) -> KindMatch | None:
    """The kind named first among the top ``title_lines`` lines (else anywhere), or ``None``.

    Within one line the more specific rule wins. A kind named in the title region gets confidence
    0.9; further down (e.g. «согласно приказу» in a certificate's body) 0.5.
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    for limit, conf in ((title_lines, 0.9), (len(lines), 0.5)):
        for i, line in enumerate(lines[:limit]):
            f = fold(line)
            for kind, rx in _COMPILED:
                m = rx.search(f)
                if m:
                    return KindMatch(kind, i, line.strip(), conf)
    return None
