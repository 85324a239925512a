"""Document kind from its title, in Russian or Kazakh (the kinds of CONTRACT.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verification.fields.text import fold

__all__ = ["KINDS", "KindMatch", "detect_kind"]

# Ordered: a more specific title wins over a word it contains («Выписка из протокола» ⊃ «протокол»).
_RULES: tuple[tuple[str, str], ...] = (
    ("protocol_extract", r"выписк\w*\s+из\s+протокол|хаттамадан\s+узинди|узинди"),
    ("expert_conclusion", r"экспертн\w*\s+заключ|сараптамалык\s+корытынды|корытынды"),
    ("implementation_act", r"акт\w*\s+(?:о\s+)?внедрени|енгизу\s+туралы\s+акт"),
    ("competence_plan", r"план\w*\s+деятельности\s+по\s+развитию\s+компетенц|кузыреттерди\s+дамыту"),
    ("regional_plan", r"план\w*\s+трансляции|тарату\s+жоспар|жоспары"),
    ("transmission_program", r"программ\w*\s+трансляци|тарату\s+багдарлама|багдарламасы|программа"),
    ("postcourse_checklist", r"чек[\s-]*лист|чек[\s-]*парак"),
    ("halfyear_report", r"отч[её]т|мониторинг|жиынтык\s+есеп"),
    ("certificate", r"сертификат|справк\w*|аныктама|диплом|грамот\w*|certificate"),
    ("order", r"\bприказ|\bбуйрык"),
    ("protocol", r"\bпротокол|\bхаттама"),
)
KINDS = tuple(k for k, _ in _RULES)
_COMPILED = tuple((k, re.compile(p)) for k, p in _RULES)


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
