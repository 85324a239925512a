"""Places named in a document, as canonical entries of :mod:`verification.reference`."""

from __future__ import annotations

from typing import Any

from verification.reference import Place, find_places

__all__ = ["Place", "find_places", "places_as_dicts"]


def places_as_dicts(text: str) -> list[dict[str, Any]]:
    """``[{"id", "name", "name_kk", "type", "region"}, …]`` for the report's ``fields["places"]``."""
    return [p.to_dict() for p in find_places(text)]
