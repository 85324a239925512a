"""Attest verification library: digital signatures, scans and required fields of one file.

No web, database or queue code lives here; the service and the `attest verify` command call
:func:`verify_file` and render the :class:`~verification.report.Report` it returns.
Heavy modules (pyHanko, OpenCV, Tesseract) are imported lazily, only when a file needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["Report", "VerifyOptions", "verify_file"]

if TYPE_CHECKING:  # pragma: no cover
    from verification.pipeline import VerifyOptions, verify_file
    from verification.report import Report


def __getattr__(name: str):  # lazy: `import verification` must stay cheap for the CLI
    if name in ("verify_file", "VerifyOptions"):
        from verification import pipeline

        return getattr(pipeline, name)
    if name == "Report":
        from verification.report import Report

        return Report
    raise AttributeError(name)
