"""Shadow-attack detection: does the signed revision look like the final file, page by page?

Like the EU DSS validator, both are rendered without annotations and form widgets (those are judged
by the modification analysis), at low resolution, and compared pixel by pixel. Pages added or removed
after signing count as differing. Only called when incremental updates follow the signed revision.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

__all__ = ["Renderer", "differing_pages"]

log = logging.getLogger(__name__)

SCALE = 40 / 72  # 40 dpi: text-sized changes still move hundreds of pixels
_PIXEL_TOLERANCE = 48  # grey levels; anti-aliasing noise stays below this
_MIN_CHANGED_FRACTION = 0.0005


class Renderer:
    """Renders the pages of one PDF revision (pypdfium2), caching pages; close() when done."""

    def __init__(self, document: object, *, max_pages: int, owned: bool = False) -> None:
        self._doc = document  # a pypdfium2.PdfDocument
        self._owned = owned
        self.page_count = len(document)  # type: ignore[arg-type]
        self.max_pages = max_pages
        self._cache: dict[int, object] = {}

    def page(self, index: int):  # type: ignore[no-untyped-def]
        import numpy as np

        if index not in self._cache:
            page = self._doc[index]  # type: ignore[index]
            try:
                bitmap = page.render(scale=SCALE, may_draw_forms=False, draw_annots=False, grayscale=True)
                self._cache[index] = np.array(bitmap.to_numpy(), dtype=np.int16, copy=True)
            finally:
                page.close()
        return self._cache[index]

    @classmethod
    def from_bytes(cls, data: bytes, *, max_pages: int) -> Renderer:
        import pypdfium2

        return cls(pypdfium2.PdfDocument(data), max_pages=max_pages, owned=True)

    def close(self) -> None:
        if self._owned:
            self._doc.close()  # type: ignore[attr-defined]


def differing_pages(signed: Renderer, final: Renderer) -> tuple[int, ...]:
    """1-based numbers of the pages whose rendering differs between the signed revision and the file."""
    import numpy as np

    pages: list[int] = []
    common = min(signed.page_count, final.page_count, final.max_pages)
    for i in range(common):
        a, b = signed.page(i), final.page(i)
        if a.shape != b.shape:
            pages.append(i + 1)
            continue
        changed = np.count_nonzero(np.abs(a - b) > _PIXEL_TOLERANCE)
        if changed > max(4, _MIN_CHANGED_FRACTION * a.size):
            pages.append(i + 1)
    longer: Sequence[int] = range(common, max(signed.page_count, final.page_count))
    pages.extend(i + 1 for i in longer)
    return tuple(pages)
