"""Document kind from its title, in Russian or Kazakh, by the text cues of :mod:`verification.kinds`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verification import kinds
from verification.fields.text import fold

__all__ = ["KINDS", "KindMatch", "detect_kind", "not_attestation"]

# The cues and their order (a more specific title wins over a word it contains) are the kinds table's.
_COMPILED = tuple((k, re.compile(cues)) for k in kinds.DETECTION_ORDER
                  if k != kinds.NOT_ATTESTATION and (cues := kinds.kind(k).cues))
KINDS = tuple(k for k, _ in _COMPILED) + (kinds.NOT_ATTESTATION,)
"""The kinds recognised from their text, in the order they are tried (``not_attestation`` first, by its
own rule: :func:`not_attestation`)."""
_NOT_ATTESTATION = re.compile(kinds.NOT_ATTESTATION_CUES)


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
    unrelated = not_attestation(lines, title_lines=title_lines)
    if unrelated is not None:
        return unrelated
    for limit, conf in ((title_lines, 0.9), (len(lines), 0.5)):
        for i, line in enumerate(lines[:limit]):
            f = fold(line)
            for kind, rx in _COMPILED:
                m = rx.search(f)
                if m:
                    return KindMatch(kind, i, line.strip(), conf)
    return None


def not_attestation(lines: list[str], *, title_lines: int = 12) -> KindMatch | None:
    """``not_attestation`` when the paper is clearly an office or construction document (a dosimetry
    report, a local estimate, terms of reference, a project passport, a land decision, a drawing): one
    of the kinds table's phrases in the title lines (confidence 0.9), or two different ones anywhere
    (0.6: the title may be a generic «ПРОТОКОЛ» with «дозиметр» and «МЭД» further down). ``raw`` is the
    first phrase as written. A teacher's document never uses these phrases, so one stray word further
    down (an «рабочий проект» in a certificate's body) is not enough."""
    found: dict[str, tuple[int, int, str]] = {}
    for i, line in enumerate(lines):
        f = fold(line)
        for m in _NOT_ATTESTATION.finditer(f):
            key = " ".join(m.group(0).split())
            if key not in found:
                found[key] = (i, m.start(), " ".join(line[m.start():m.end()].split()))
    if not found:
        return None
    first_line, _, raw = min(found.values())
    if first_line < title_lines:
        return KindMatch(kinds.NOT_ATTESTATION, first_line, raw, 0.9)
    if len(found) >= 2:
        return KindMatch(kinds.NOT_ATTESTATION, first_line, raw, 0.6)
    return None
