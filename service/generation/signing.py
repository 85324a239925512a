"""PAdES signing of generated PDFs with the organisation's PKCS#12 key (pyHanko).

B-B by default; B-T (a signature timestamp) when a TSA URL is given. The signature box is visible on
the last page, bottom right, and states who signed and when.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from pathlib import Path

from pyhanko import stamp
from pyhanko.pdf_utils import text as pdf_text
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigFieldSpec

from service.errors import AttestError, BadInput

__all__ = ["SigningFailed", "sign_pdf"]

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


class SigningFailed(AttestError):
    """The PDF could not be signed (bad key file, wrong password, unreadable PDF, TSA unreachable)."""


@functools.lru_cache(maxsize=1)
def _stamp_font() -> Path | None:
    """A copy of Liberation Sans scaled to 1000 units per em.

    Cyrillic and Kazakh names in the box need a TrueType font (the PDF base fonts are Latin-1 only).
    pyHanko writes glyph widths in the font's own units, which PDF reads as thousandths of an em: with
    a 2048-unit font every letter would be drawn twice as far apart. Rescaling the font fixes that.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    for path in _FONT_CANDIDATES:
        if Path(path).is_file():
            cache = Path(tempfile.gettempdir()) / f"attest-stamp-{os.getuid()}-{Path(path).stem}-1000.ttf"
            if not cache.is_file():
                font = TTFont(path)
                if font["head"].unitsPerEm != 1000:
                    scale_upem(font, 1000)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                font.save(str(tmp))
                os.replace(tmp, cache)
            return cache
    return None


def _font_engine():  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    path = _stamp_font()
    return GlyphAccumulatorFactory(str(path)) if path else None


def sign_pdf(pdf: bytes, p12: Path, password: bytes | None, *, tsa_url: str | None = None,
             field_name: str = "Signature1", visible: bool = True, reason: str | None = None,
             location: str | None = None) -> bytes:
    """Signs ``pdf`` (PAdES B-B, or B-T with ``tsa_url``) and returns the signed PDF bytes."""
    try:
        signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(p12), passphrase=password)
    except Exception as exc:  # pyHanko/cryptography raise assorted types for a bad file or password
        raise SigningFailed(f"cannot load the signing key {p12}: {exc}") from exc
    if signer is None:
        raise SigningFailed(f"cannot load the signing key {p12}: wrong password or not a PKCS#12 file")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        last_page = int(reader.root["/Pages"]["/Count"]) - 1
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:
        raise BadInput(f"not a readable PDF: {exc}") from exc
    box = (330, 30, 565, 95) if visible else None
    fields.append_signature_field(writer, SigFieldSpec(sig_field_name=field_name, on_page=last_page, box=box))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        use_pades_lta=False,
    )
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    style = None
    if visible:
        engine = _font_engine()
        text_style = pdf_text.TextBoxStyle(font=engine, font_size=7) if engine else pdf_text.TextBoxStyle(font_size=7)
        style = stamp.TextStampStyle(
            stamp_text="Подписано ЭЦП / ЭЦҚ қойылды\n%(signer)s\n%(ts)s",
            text_box_style=text_style,
            border_width=1,
        )
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out)
    except Exception as exc:
        raise SigningFailed(f"signing failed: {exc}") from exc
    return out.getvalue()
