"""Unsigned specimen PDFs for the signature conformance cases (made with reportlab, never downloaded).

Content streams are left uncompressed so that a test can flip one byte of visible text inside the
signed range and so that overlays are easy to read in a hex dump.
"""

from __future__ import annotations

import io
from pathlib import Path

__all__ = ["FONT", "certificate_pdf", "form_pdf"]

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _canvas(buf: io.BytesIO):  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0, invariant=1)
    return c


def certificate_pdf(title: str = "СЕРТИФИКАТ УЧАСТНИКА", amount: str = "Оценка: 100 баллов") -> bytes:
    """A one-page certificate of participation, Russian and Kazakh lines."""
    buf = io.BytesIO()
    c = _canvas(buf)
    c.setFont("DejaVu", 24)
    c.drawString(150, 720, title)
    c.setFont("DejaVu", 14)
    c.drawString(72, 660, "Жумабаева Айгерим Сериковна")
    c.drawString(72, 630, "Қатысушы сертификаты — облыстық семинар, Тараз, 2024")
    c.drawString(72, 600, amount)
    c.drawString(72, 570, "№ 2024-117 от 15.03.2024")
    c.showPage()
    c.save()
    return buf.getvalue()


def form_pdf() -> bytes:
    """A one-page expert conclusion with a fillable text field ``decision`` and an empty signature field."""
    buf = io.BytesIO()
    c = _canvas(buf)
    c.setFont("DejaVu", 20)
    c.drawString(120, 740, "ЭКСПЕРТНОЕ ЗАКЛЮЧЕНИЕ")
    c.setFont("DejaVu", 12)
    c.drawString(72, 690, "Решение совета:")
    c.acroForm.textfield(name="decision", x=200, y=680, width=300, height=22, value="", borderWidth=1,
                         fontName="Helvetica", fontSize=11)
    c.showPage()
    c.save()
    return buf.getvalue()
