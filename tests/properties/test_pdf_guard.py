"""Properties of verification/pdf_guard.py, the raw-byte check that runs before pdfium.

It never raises on arbitrary bytes except to refuse a bomb; binary stream data never reads as
JavaScript (a compressed font once held "/JS" by chance and a generated certificate was flagged);
real actions are found whether written plainly or inside a compressed object stream.
"""

from __future__ import annotations

import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.make_corpus import _assemble
from verification.errors import ResourceLimitExceeded
from verification.pdf_guard import PdfStructure, inspect_pdf

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
stream_bytes = st.binary(max_size=3000).filter(lambda b: b"endstream" not in b) | st.just(b"\x00/JS)/Launch /JavaScript")


def _pdf_with_stream(body: bytes, *, flate: bool, extra: bytes = b"") -> bytes:
    payload = zlib.compress(body) if flate else body
    filt = b" /Filter /FlateDecode" if flate else b""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R" + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Length " + str(len(payload)).encode() + filt + b" >>\nstream\n" + payload + b"\nendstream",
    ])


@SETTINGS
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_give_a_structure(data: bytes) -> None:
    try:
        result = inspect_pdf(b"%PDF-1.7\n" + data)
    except ResourceLimitExceeded:
        return
    assert isinstance(result, PdfStructure)


@SETTINGS
@given(stream_bytes, st.booleans())
def test_binary_stream_data_is_not_active_content(body: bytes, flate: bool) -> None:
    assert inspect_pdf(_pdf_with_stream(body, flate=flate)) == PdfStructure(True, (), 0)


@SETTINGS
@given(stream_bytes, st.sampled_from([(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", ("JavaScript",)),
                                      (b" /OpenAction << /S /Launch /F (cmd.exe) >>", ("Launch",))]))
def test_actions_in_the_document_are_found(body: bytes, action: tuple[bytes, tuple[str, ...]]) -> None:
    extra, names = action
    # the catalog grew: the cross-reference offsets are rebuilt by _assemble, so the file stays intact
    assert inspect_pdf(_pdf_with_stream(body, flate=True, extra=extra)) == PdfStructure(True, names, 0)


def test_actions_inside_a_compressed_object_stream_are_found() -> None:
    objects = b"5 0 << /S /JavaScript /JS (this.print()) >>"
    payload = zlib.compress(objects)
    pdf = _assemble([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length " + str(len(payload)).encode()
        + b" >>\nstream\n" + payload + b"\nendstream",
    ])
    assert inspect_pdf(pdf).active_content == ("JavaScript",)


@pytest.mark.parametrize("size,refused", [(8 << 20, False), ((64 << 20) + 1, True)])
def test_stream_size_bound(size: int, refused: bool) -> None:
    pdf = _pdf_with_stream(b"\x00" * size, flate=True)
    if refused:
        with pytest.raises(ResourceLimitExceeded):
            inspect_pdf(pdf)
    else:
        assert inspect_pdf(pdf).xref_intact


def test_action_names_in_binary_data_are_not_active_content() -> None:
    # A stream dictionary the byte scan does not recognise (a comment before `stream`) leaves its binary
    # body to the name scan, which sees "/JS" by chance; the parsed objects hold no action.
    body = b"\x00\x9f/JS\x01/Launch\x02" * 4
    pdf = _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length " + str(len(body)).encode() + b" >> % binary\nstream\n" + body + b"\nendstream",
    ])
    assert inspect_pdf(pdf).active_content == ()
