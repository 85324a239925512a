"""Generates the hostile-file corpus: every kind of bad upload a teacher's phone or a colleague may send.

Run ``python -m tests.hostile.make_corpus DIR``; the tests build it into a temp folder. Each entry is
(file name, bytes, what it is). Nothing here is downloaded; everything is made from scratch.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

__all__ = ["BATCH_CORPUS", "CORPUS", "HostileFile", "build_batch_corpus", "build_corpus", "plain_pdf",
           "zip_bomb_xlsx"]


@dataclass(frozen=True)
class HostileFile:
    name: str
    data: bytes
    what: str


def plain_pdf(pages: int = 1, text: str = "Сертификат участника. Қатысушы сертификаты.") -> bytes:
    w = PdfWriter()
    for _ in range(pages):
        page = w.add_blank_page(595, 842)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 14 Tf 72 760 Td ({text.encode('ascii', 'replace').decode()}) Tj ET".encode())
        page[NameObject("/Contents")] = w._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): DictionaryObject({
                NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica")})})})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _truncated() -> bytes:
    data = plain_pdf(3)
    return data[: len(data) // 2]


def _corrupt() -> bytes:
    data = bytearray(plain_pdf(2))
    for i in range(200, len(data) - 50, 37):
        data[i] = (data[i] * 7 + 13) % 256
    return bytes(data)


def _broken_xref() -> bytes:
    data = plain_pdf(2)
    idx = data.rfind(b"startxref")
    return data[:idx] + b"startxref\n999999\n%%EOF\n"


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf(1))))
    w.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _javascript() -> bytes:
    from pypdf import PdfReader

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf(1))))
    js = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('pwned'); this.exportDataObject({cName: 'x', nLaunch: 2});"),
    })
    w._root_object[NameObject("/Names")] = DictionaryObject({
        NameObject("/JavaScript"): DictionaryObject({
            NameObject("/Names"): ArrayObject([TextStringObject("evil"), w._add_object(js)])})})
    launch = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"),
        NameObject("/F"): TextStringObject("cmd.exe"),
    })
    w._root_object[NameObject("/OpenAction")] = w._add_object(launch)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _deeply_nested() -> bytes:
    depth = 20000
    body = b"[" * depth + b"]" * depth
    return _raw_pdf_with_extra_object(body)


def _cyclic() -> bytes:
    # A page tree whose /Kids points back at itself, and an object that refers to itself.
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Self 3 0 R /Next 4 0 R >>",
        b"<< /Loop 4 0 R /Back 3 0 R >>",
    ]
    return _assemble(objs)


def _deflate_repeated(unit: bytes, count: int) -> bytes:
    """Raw DEFLATE of ``unit * count`` in a fraction of the time: after a full flush the compressor
    forgets its history, so every further segment is the same bytes and can simply be repeated."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    return segment * count + comp.flush()


def _zlib_repeated(unit: bytes, count: int) -> bytes:
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(unit, adler)
    return b"\x78\xda" + _deflate_repeated(unit, count) + adler.to_bytes(4, "big")


def _huge_object_stream() -> bytes:
    # A content stream that inflates to 1 GiB of zeros from about 1 MB on disk.
    payload = _zlib_repeated(b"\x00" * (1 << 20), 1024)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length " + str(len(payload)).encode() + b" /Filter /FlateDecode >>\nstream\n" + payload + b"\nendstream",
    ]
    return _assemble(objs)


def _many_pages(n: int) -> bytes:
    w = PdfWriter()
    for _ in range(n):
        w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _raw_pdf_with_extra_object(extra: bytes) -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /Extra 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        extra,
    ]
    return _assemble(objs)


def _assemble(objs: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    # 1-bit greyscale: 3.6 G pixels, a few MB compressed. The header alone says what it is.
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = _zlib_repeated(row * 100, height // 100)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def _one_pixel_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 255, 255)).save(buf, "PNG")
    return buf.getvalue()


def _bad_jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 10, 10)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    # Keep SOI, wreck the segment lengths of the header.
    for i in range(2, 40):
        data[i] = 0xFF if i % 2 else 0xC0
    return bytes(data)


def _polyglot() -> bytes:
    pdf = plain_pdf(1)
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("payload.sh", "#!/bin/sh\necho hi\n")
    return pdf + zbuf.getvalue()


def zip_bomb_xlsx() -> bytes:
    """An .xlsx (a ZIP) whose sheet inflates to 1 GiB, built by hand from one repeated DEFLATE segment."""
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    members = zbuf.getvalue()
    members = members[: members.index(b"PK\x01\x02")]  # keep the local entry, rebuild the directory
    first_dir = zipfile.ZipFile(io.BytesIO(zbuf.getvalue())).infolist()[0]
    unit, count = b" " * (1 << 20), 1024
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    payload = _deflate_repeated(unit, count)
    name = b"xl/worksheets/sheet1.xml"
    offset = len(members)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), len(unit) * count,
                        len(name), 0) + name
    central = (
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, first_dir.CRC, first_dir.compress_size,
                    first_dir.file_size, len(first_dir.filename), 0, 0, 0, 0, 0, 0) + first_dir.filename.encode()
        + struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(payload), len(unit) * count,
                      len(name), 0, 0, 0, 0, 0, offset) + name
    )
    body = members + local + payload
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), len(body), 0)
    return body + central + end


def _image_bomb_pdf() -> bytes:
    # A page showing a 60 000 x 60 000 image XObject (3.6 G pixels) that is a few hundred KB on disk.
    body = _zlib_repeated(b"\x00" * 7500 * 100, 600)
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
         b" /Resources << /XObject << /Im1 5 0 R >> >> >>"),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 1 /Filter /FlateDecode /Length " + str(len(body)).encode() + b" >>\nstream\n"
        + body + b"\nendstream",
    ]
    return _assemble(objs)


def _object_stream_bomb() -> bytes:
    # An object stream (parsed when the file is opened, before any page) that inflates to 1 GiB.
    payload = _zlib_repeated(b" " * (1 << 20), 1024)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Length " + str(len(payload)).encode()
        + b" /Filter /FlateDecode >>\nstream\n" + payload + b"\nendstream",
    ]
    return _assemble(objs)


def _bad_jpeg_segments() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 10, 10)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    # A real JPEG start (SOI + APP0 marker) whose segment lengths then run past the end of the file.
    for i in range(4, 40, 2):
        data[i], data[i + 1] = 0xFF, 0xF0
    return bytes(data)


def _truncated_jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (240, 240, 240)).save(buf, "JPEG", quality=95)
    data = buf.getvalue()
    return data[: len(data) // 3]


def _lying_tiff() -> bytes:
    # A TIFF header whose first directory says 100 000 x 100 000 pixels and points past the end.
    ifd = [(256, 4, 1, 100_000), (257, 4, 1, 100_000), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
           (273, 4, 1, 1 << 30), (277, 3, 1, 1), (278, 4, 1, 100_000), (279, 4, 1, 1 << 30)]
    out = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(ifd))
    for tag, kind, n, value in ifd:
        out += struct.pack("<HHII", tag, kind, n, value) if kind == 4 else struct.pack("<HHIHH", tag, kind, n, value, 0)
    return out + struct.pack("<I", 0)


def _pdf_header_garbage() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40


CORPUS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "truncated.pdf": ("a PDF cut in half", _truncated),
    "corrupt.pdf": ("a PDF with scrambled bytes", _corrupt),
    "broken-xref.pdf": ("a PDF whose startxref points nowhere", _broken_xref),
    "encrypted-user-password.pdf": ("encrypted, needs a user password", lambda: _encrypted("secret")),
    "encrypted-owner-only.pdf": ("encrypted with an empty user password", lambda: _encrypted("")),
    "javascript-launch.pdf": ("JavaScript and a /Launch action", _javascript),
    "deeply-nested.pdf": ("arrays nested 20 000 deep", _deeply_nested),
    "cyclic.pdf": ("a page tree that contains itself", _cyclic),
    "huge-object-stream.pdf": ("a stream that inflates to 1 GiB", _huge_object_stream),
    "ten-thousand-pages.pdf": ("10 000 blank pages", lambda: _many_pages(10_000)),
    "bomb.png": ("a 60 000 x 60 000 PNG decompression bomb", _png_bomb),
    "image-bomb.pdf": ("a page showing a 60 000 x 60 000 image", _image_bomb_pdf),
    "object-stream-bomb.pdf": ("an object stream that inflates to 1 GiB", _object_stream_bomb),
    "pdf-header-then-garbage.pdf": ("a PDF header followed by binary garbage", _pdf_header_garbage),
    "broken-segments.jpg": ("a JPEG that starts right but whose segment lengths are wrong", _bad_jpeg_segments),
    "truncated.jpg": ("a JPEG cut at a third", _truncated_jpeg),
    "lying-header.tif": ("a TIFF that claims 100 000 x 100 000 pixels and has none", _lying_tiff),
    "one-pixel.png": ("a 1 x 1 image", _one_pixel_png),
    "malformed-header.jpg": ("a JPEG whose header segments are broken", _bad_jpeg),
    "polyglot.pdf": ("a PDF with a ZIP appended", _polyglot),
    "zero-bytes.pdf": ("an empty file", lambda: b""),
    "../../etc/passwd.pdf": ("a name that tries path traversal", lambda: plain_pdf(1)),
    "con\x00trol\n\r\tchars.pdf": ("a name with control characters", lambda: plain_pdf(1)),
}


def _million_rows_csv() -> bytes:
    head = "full_name,event,date\n"
    return (head + "Иванова Анна Петровна,Семинар,2024-05-17\n" * 1_000_000).encode()


def _huge_cell_csv() -> bytes:
    return b"full_name,event,date\n" + b"A" * (50 * 1024 * 1024) + b",Seminar,2024-05-17\n"


BATCH_CORPUS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "bomb.xlsx": ("an .xlsx whose sheet inflates to 1 GiB", zip_bomb_xlsx),
    "not-a-zip.xlsx": ("an .xlsx that is a text file", lambda: b"full_name,event\nIvanova,Seminar\n"),
    "million-rows.csv": ("a CSV with 1 000 000 rows", _million_rows_csv),
    "huge-cell.csv": ("a CSV with one 50 MB cell", _huge_cell_csv),
}
"""Hostile row files for batch generation (``attest generate KIND --rows FILE``)."""


def build_batch_corpus(folder: Path) -> dict[str, Path]:
    """Write the batch-generation row files into ``folder``; return name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (_what, make) in BATCH_CORPUS.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


def build_corpus(folder: Path) -> list[HostileFile]:
    """Write every hostile file into ``folder`` (names made safe on disk) and return them."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, (what, make) in CORPUS.items():
        data = make()
        files.append(HostileFile(name, data, what))
        safe = "".join(c if c.isalnum() or c in "-._" else "_" for c in name).lstrip(".")
        (folder / safe).write_bytes(data)
    return files


if __name__ == "__main__":
    import sys

    for f in build_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "var/hostile")):
        print(f"{len(f.data):>12,}  {f.name!r}: {f.what}")
