"""The one PAdES signer: the organisation's PKCS#12 key signs generated documents and assembled dossiers.

B-B by default; B-T (a signature timestamp, RFC 3161) when the signer has a TSA: ``ATTEST_TSA_URL``
in the settings, or a pyHanko ``TimeStamper`` handed in (the tests pass a ``DummyTimeStamper``). A
signature may carry a visible box on the last page, bottom right, stating who signed and when.

    signer = signer_from_settings()          # None when ATTEST_ORGANISATION_P12 is not set
    signed = signer.sign(pdf, reason="…", visible=True)
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhanko import stamp
from pyhanko.pdf_utils import text as pdf_text
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigFieldSpec

from service.errors import BadInput, SigningError
from service.fonts import find_fonts
from service.settings import Settings, get_settings

__all__ = ["VISIBLE_BOX", "PadesSigner", "SigningError", "signer_from_settings"]

VISIBLE_BOX = (330, 30, 565, 95)
"""Where a visible signature box sits on the last page (PDF points: left, bottom, right, top)."""

_RESERVED = 16384
"""Bytes kept for the CMS signature without a timestamp: spares pyHanko a dummy signature to measure it."""


@dataclass(frozen=True)
class PadesSigner:
    """A PKCS#12 key (file and password) that signs PDFs, with the TSA its signatures are timestamped by."""

    p12: Path
    password: bytes | None = None
    tsa_url: str | None = None
    timestamper: timestamps.TimeStamper | None = None  # wins over tsa_url

    @functools.cached_property
    def _key(self) -> signers.SimpleSigner:
        try:
            key = signers.SimpleSigner.load_pkcs12(pfx_file=str(self.p12), passphrase=self.password)
        except Exception as exc:  # pyHanko/cryptography raise assorted types for a bad file or password
            raise SigningError(f"cannot load the signing key {self.p12}: {exc}") from exc
        if key is None:
            raise SigningError(f"cannot load the signing key {self.p12}: wrong password or not a PKCS#12 file")
        return key

    @functools.cached_property
    def _timestamper(self) -> timestamps.TimeStamper | None:
        # one client per signer, so pyHanko's size estimate asks the TSA for a dummy token once, not per PDF
        if self.timestamper is not None:
            return self.timestamper
        return timestamps.HTTPTimeStamper(self.tsa_url) if self.tsa_url else None

    @property
    def timestamped(self) -> bool:
        """Whether the signatures reach PAdES B-T (a TSA is configured)."""
        return self._timestamper is not None

    def sign(self, pdf: bytes, *, field_name: str = "Signature1", reason: str | None = None,
             location: str | None = None, name: str | None = None, visible: bool = False) -> bytes:
        """``pdf`` with one more signature (an incremental update), as bytes.

        Raises :class:`SigningError` for an unusable key or a failed signature (TSA unreachable),
        :class:`BadInput` for bytes that are not a readable PDF.
        """
        key = self._key
        try:
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            last_page = int(reader.root["/Pages"]["/Count"]) - 1
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        except Exception as exc:
            raise BadInput(f"not a readable PDF: {exc}") from exc
        timestamper = self._timestamper
        try:
            box = VISIBLE_BOX if visible else None
            fields.append_signature_field(writer, SigFieldSpec(sig_field_name=field_name, on_page=last_page, box=box))
            meta = signers.PdfSignatureMetadata(
                field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
                reason=reason, location=location, name=name, use_pades_lta=False,
            )
            pdf_signer = signers.PdfSigner(meta, signer=key, timestamper=timestamper,
                                           stamp_style=_stamp_style() if visible else None)
            out = io.BytesIO()
            # a timestamp token's size is the TSA's: let pyHanko measure it then
            pdf_signer.sign_pdf(writer, output=out, bytes_reserved=None if timestamper else _RESERVED)
        except Exception as exc:
            raise SigningError(f"signing failed: {type(exc).__name__}: {exc}") from exc
        return out.getvalue()


def signer_from_settings(settings: Settings | None = None) -> PadesSigner | None:
    """The organisation's key of the settings (``ATTEST_ORGANISATION_P12``, its password, ``ATTEST_TSA_URL``),
    or None when no key is configured."""
    s = settings or get_settings()
    if s.organisation_p12 is None:
        return None
    password = s.organisation_p12_password.encode() if s.organisation_p12_password else None
    return PadesSigner(Path(s.organisation_p12), password, tsa_url=s.tsa_url or None)


@functools.lru_cache(maxsize=1)
def _stamp_font() -> Path | None:
    """A copy of the regular font of :data:`service.fonts.FONT_PATHS` scaled to 1000 units per em.

    Cyrillic and Kazakh names in the box need a TrueType font (the PDF base fonts are Latin-1 only).
    pyHanko writes glyph widths in the font's own units, which PDF reads as thousandths of an em: with
    a 2048-unit font every letter would be drawn twice as far apart. Rescaling the font fixes that.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    found = find_fonts()
    if found is None:
        return None
    path = found[0]
    cache = Path(tempfile.gettempdir()) / f"attest-stamp-{os.getuid()}-{path.stem}-1000em.ttf"
    if not cache.is_file():
        font = TTFont(str(path))
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        if "FFTM" in font:  # FontForge's timestamp table: the subsetter warns about it on every signature
            del font["FFTM"]
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, cache)
    return cache


def _stamp_style() -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    path = _stamp_font()
    text_style = (pdf_text.TextBoxStyle(font=GlyphAccumulatorFactory(str(path)), font_size=7) if path
                  else pdf_text.TextBoxStyle(font_size=7))
    return stamp.TextStampStyle(stamp_text="Подписано ЭЦП / ЭЦҚ қойылды\n%(signer)s\n%(ts)s",
                                text_box_style=text_style, border_width=1)
