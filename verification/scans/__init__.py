"""Scan analysis: OCR (rus+kaz+eng), seals, handwritten signatures and QR codes on page images.

Entry point for the pipeline: :class:`verification.scans.step.ScanStep` (step name ``"scan"``).
For other uses: :func:`analyse_page` on a :class:`PageInput`, :func:`open_document` to get pages,
:func:`detect_seals` / :func:`detect_signatures` on an RGB page image. Heavy imports stay lazy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PageInput", "ScanStep", "analyse_page", "detect_seals", "detect_signatures", "open_document"]

_LAZY = {
    "ScanStep": "verification.scans.step",
    "analyse_page": "verification.scans.page",
    "open_document": "verification.scans.loading",
    "PageInput": "verification.scans.loading",
    "detect_seals": "verification.scans.seals",
    "detect_signatures": "verification.scans.handwriting",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
