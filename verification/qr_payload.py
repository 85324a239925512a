"""The QR code this product prints on every document it issues, and how to read it back.

Payload: ``{base_url}/check/{document_id}?h={content_sha256}`` — a URL that a phone opens on the
public check page. ``document_id`` is the registry's unguessable id; ``content_sha256`` is the
SHA-256 of the document's canonical data (the file's own hash cannot be inside the file). Whether a
given file is the issued one is decided against the registry's record of issued file hashes.
"""

from __future__ import annotations

import re

__all__ = ["DEFAULT_BASE_URL", "make_payload", "parse_payload"]

DEFAULT_BASE_URL = "https://attest.local"
_RE = re.compile(r"/check/(?P<id>[A-Za-z0-9_-]{8,64})(?:\?h=(?P<h>[0-9a-f]{64}))?")


def make_payload(document_id: str, content_sha256: str, base_url: str = DEFAULT_BASE_URL) -> str:
    return f"{base_url.rstrip('/')}/check/{document_id}?h={content_sha256}"


def parse_payload(text: str) -> tuple[str, str | None] | None:
    """(document_id, content_sha256) if the text is one of our QR payloads, else None."""
    m = _RE.search(text.strip())
    if not m:
        return None
    return m.group("id"), m.group("h")
