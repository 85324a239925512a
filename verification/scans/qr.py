"""QR codes on a page (zxing-cpp): content and box in pixels at 300 dpi."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CODES_DPI", "FoundCode", "codes_image", "read_codes"]

CODES_DPI = 200.0
"""A scanned page is searched for codes at this resolution (a QR code's modules stay 2 px or more)."""


@dataclass(frozen=True)
class FoundCode:
    content: str
    bbox: tuple[int, int, int, int]
    format: str


def _formats():  # type: ignore[no-untyped-def]
    import zxingcpp

    f = zxingcpp.BarcodeFormat
    return (f.QRCode, f.MicroQRCode, f.RMQRCode)


def codes_image(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """The grey page at :data:`CODES_DPI` (reduced only) and the factor from its pixels to 300 dpi.

    Reduced by bilinear interpolation, not by area: a 300 dpi page's 2/3 falls outside OpenCV's fast integer
    path (9.7 → 2.7 ms a page), and the decoder binarises the page anyway — on 150 generated QR codes of 1.6–4
    pixels a module at 300 dpi (blurred, noisy, JPEG, turned a few degrees) it read 96 with it, 95 by area."""
    import cv2

    f = CODES_DPI / dpi
    if f >= 0.99:
        return gray, 300.0 / dpi
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_LINEAR), 300.0 / CODES_DPI


def read_codes(gray: np.ndarray, scale_to_300: float = 1.0) -> list[FoundCode]:
    """The page's QR codes (QR, Micro QR, rMQR). Not looked for: 1-D barcodes (half of the decoder's time on a
    page), Data Matrix and Aztec codes (Data Matrix alone cost more than all the QR kinds: 15.3 → 6.8 ms on a
    300 dpi page), since nothing in an attestation file carries them (the registry's codes, eGov's and
    Gosuslugi's are QR codes); nor codes printed light on dark (``try_invert``: a third of what is left; a
    document's codes are printed dark)."""
    import zxingcpp

    out: list[FoundCode] = []
    try:
        results = zxingcpp.read_barcodes(gray, formats=_formats(), try_invert=False)
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
