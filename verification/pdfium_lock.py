"""PDFium is not thread-safe: every use of pypdfium2 in one process holds :data:`PDFIUM_LOCK`.

The web process renders page pictures while its in-process worker (or a threaded Celery worker)
verifies uploads; two threads inside PDFium at once corrupt its heap ("double free", a crash of the
whole process, seen in the browser tests). Holding one re-entrant lock around each use — and closing
documents inside it, never leaving them to the garbage collector of another thread — prevents that.
"""

from __future__ import annotations

import threading

__all__ = ["PDFIUM_LOCK"]

PDFIUM_LOCK = threading.RLock()
