"""QR codes on a page (zxing-cpp): content and box in pixels at 300 dpi."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FoundCode", "read_codes"]


@dataclass(frozen=True)
class FoundCode:
    content: str
    bbox: tuple[int, int, int, int]
    format: str


def _formats():  # type: ignore[no-untyped-def]
    import zxingcpp

    f = zxingcpp.BarcodeFormat
    return (f.QRCode, f.MicroQRCode, f.RMQRCode, f.DataMatrix, f.Aztec)


def read_codes(gray: np.ndarray, scale_to_300: float = 1.0) -> list[FoundCode]:
    """The page's 2-D codes (QR, Micro QR, rMQR, DataMatrix, Aztec); the 1-D barcodes are not looked for
    (half of the decoder's time on a page, and nothing in an attestation file is read from them)."""
    import zxingcpp

    out: list[FoundCode] = []
    try:
        results = zxingcpp.read_barcodes(gray, formats=_formats())
    except Exception:  # noqa: BLE001 - a decoder failure is "no code found", never a report failure
        return out
    for r in results:
        fmt = str(r.format)
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        bbox = (int(min(xs) * scale_to_300), int(min(ys) * scale_to_300),
                int(max(xs) * scale_to_300), int(max(ys) * scale_to_300))
        out.append(FoundCode(r.text, bbox, fmt))
    return out
