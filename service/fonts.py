"""The TrueType fonts the service draws Cyrillic and Kazakh text with: dossier pages and signature boxes.

The PDF base fonts are Latin-1 only, so every page or box that prints a name needs one of these.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["FONT_PATHS", "find_fonts", "reportlab_fonts"]

FONT_PATHS: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)
"""(regular, bold) TrueType fonts carrying Cyrillic and the Kazakh letters ә ғ қ ң ө ұ ү һ і, first found wins."""


def find_fonts() -> tuple[Path, Path] | None:
    """The first (regular, bold) pair of :data:`FONT_PATHS` installed here, or None."""
    for regular, bold in FONT_PATHS:
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    return None


@functools.lru_cache(maxsize=1)
def reportlab_fonts() -> tuple[str, str] | None:
    """The found pair registered with reportlab: its (regular, bold) font names, or None if none is installed."""
    found = find_fonts()
    if found is None:
        return None
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("AttestSans", str(found[0])))
    pdfmetrics.registerFont(TTFont("AttestSans-Bold", str(found[1])))
    return "AttestSans", "AttestSans-Bold"
