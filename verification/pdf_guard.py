"""Cheap structural checks of a PDF's raw bytes, run before pdfium or pyHanko parse it.

pdfium inflates a page's content stream whole and aborts the process when memory runs out, so a
1 MB stream that inflates to gigabytes (a "zip bomb" inside a PDF) would take the worker down. Every
Flate stream that a PDF reader inflates on its own (content streams, forms, fonts, object streams,
not images, which pdfium decodes line by line, nor attached files, which nobody opens here) is inflated
here first, in bounded chunks, and counted: above ``max_stream_bytes`` the file is refused with
:class:`~verification.errors.ResourceLimitExceeded`. The same pass notes two facts for the report: the
cross-reference table does not match the file (the PDF is damaged and was read in repair mode), and the
PDF carries JavaScript or a launch action.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from verification.errors import ResourceLimitExceeded, trilingual
from verification.messages import register

__all__ = ["MAX_STREAM_BYTES", "PdfStructure", "inspect_pdf"]

MAX_STREAM_BYTES = 64 * 1024 * 1024
"""Largest inflated size of one non-image stream; real content streams are a few MB at most."""

_TOTAL_INFLATE_BYTES = 1024 * 1024 * 1024  # stop counting after this much work (the guard's own bound)
_CHUNK = 1 << 16
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9#])")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_EMBEDDED = re.compile(rb"/Type\s*/EmbeddedFile\b")
_FLATE = re.compile(rb"/(FlateDecode|Fl)\b")


@dataclass(frozen=True)
class PdfStructure:
    """What the raw bytes say about a PDF's structure."""

    xref_intact: bool
    """The last cross-reference section points at real objects (else the reader repaired it)."""
    active_content: tuple[str, ...]
    """Names of the active-content actions found (``JavaScript``, ``Launch``), sorted."""
    trailing_bytes: int = 0
    """Bytes after the last ``%%EOF`` that are not blank (e.g. a ZIP glued on: a polyglot file)."""


def inspect_pdf(data: bytes, *, max_stream_bytes: int = MAX_STREAM_BYTES) -> PdfStructure:
    """Check stream sizes and note damage and active content. Raises ResourceLimitExceeded for a bomb."""
    active: set[str] = set()
    budget = _TOTAL_INFLATE_BYTES
    cursor = 0  # action names are looked for outside stream bodies (binary data holds "/JS" by chance)
    for m in _STREAM.finditer(data):
        if m.start() < cursor:
            continue  # "stream" inside the body of the previous stream
        start = m.end()
        head_from = data.rfind(b"obj", max(0, m.start() - 4096), m.start())
        if head_from < 0:
            continue
        head = data[head_from : m.start()]
        if not head.rstrip().endswith(b">>"):
            continue
        end = data.find(b"endstream", start)
        end = end if end >= 0 else len(data)
        active |= _action_names(data[cursor : m.start()])
        cursor = end
        if budget <= 0 or not _FLATE.search(head) or _IMAGE.search(head) or _EMBEDDED.search(head):
            continue
        size, found = _inflated_size(memoryview(data)[start:end], max_stream_bytes,
                                     min(budget, max_stream_bytes + 1), scan_names=b"/ObjStm" in head)
        active |= found
        if size > max_stream_bytes:
            raise ResourceLimitExceeded(
                f"stream at byte {start} inflates to more than {max_stream_bytes} bytes",
                reason=trilingual(f"сжатые данные внутри PDF больше {max_stream_bytes // (1024 * 1024)} МБ (zip-бомба)",
                                  f"PDF ішіндегі қысылған деректер {max_stream_bytes // (1024 * 1024)} МБ-тан үлкен "
                                  "(zip-бомба)",
                                  f"compressed data inside the PDF over {max_stream_bytes // (1024 * 1024)} MB (zip bomb)"),
            )
        budget -= size
    active |= _action_names(data[cursor:])
    eof = data.rfind(b"%%EOF")
    trailing = len(data[eof + 5 :].strip(b" \t\r\n\x00\x0c")) if eof >= 0 else 0
    names = sorted({"JavaScript" if a == "JS" else a for a in active})
    if names:  # the byte scan can be fooled by binary data: keep only what the parsed objects confirm
        names = _confirmed_actions(data, names)
    return PdfStructure(xref_intact=_xref_intact(data), active_content=tuple(names), trailing_bytes=trailing)


def _confirmed_actions(data: bytes, candidates: list[str], max_objects: int = 50_000) -> list[str]:
    """Action dictionaries (``/S /JavaScript``, ``/S /Launch``, a ``/JS`` entry) among the parsed objects.

    When the file cannot be parsed, the byte scan's candidates stand (a warning is the safe side).
    """
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        ids = [i for gen, nums in reader.xref.items() if gen == 0 for i in nums] + list(reader.xref_objStm)
    except Exception:  # noqa: BLE001 - unparsable: keep the byte scan's answer
        return candidates
    if len(ids) > max_objects:
        return candidates
    found: set[str] = set()
    for idnum in ids:
        try:
            obj = reader.get_object(idnum)
        except Exception:  # noqa: BLE001, S112 - a broken object holds no action we could run
            continue
        if getattr(obj, "get", None) and obj.get("/Type") == "/ObjStm":
            # an object stream's inflated body is plain object syntax: the name scan is reliable there,
            # also for objects the cross-reference table does not list
            try:
                found |= {"JavaScript" if a == "JS" else a for a in _action_names(obj.get_data())}  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001, S112
                continue
            continue
        for d in _dicts(obj):
            if d.get("/S") in ("/JavaScript", "/Launch"):
                found.add(str(d.get("/S"))[1:])
            if "/JS" in d:
                found.add("JavaScript")
    return sorted(found)


def _dicts(obj: object, depth: int = 0):  # type: ignore[no-untyped-def]
    """The dictionary itself and the dictionaries directly inside it (an annotation's /A, /AA entries)."""
    from pypdf.generic import DictionaryObject

    if isinstance(obj, DictionaryObject) and depth < 3:
        yield obj
        for v in obj.values():
            yield from _dicts(v, depth + 1)


def _action_names(chunk: bytes) -> set[str]:
    return {m.group(1).decode() for m in _ACTIVE.finditer(chunk)}


def _inflated_size(body: memoryview, limit: int, budget: int, *, scan_names: bool) -> tuple[int, set[str]]:
    """Inflated length of a Flate stream, counted in chunks and never held; stops past ``limit``."""
    d = zlib.decompressobj()
    total = 0
    found: set[str] = set()
    tail = b""
    try:
        for pos in range(0, len(body), _CHUNK):
            chunk = bytes(body[pos : pos + _CHUNK])
            while chunk:
                out = d.decompress(chunk, _CHUNK * 16)
                total += len(out)
                if scan_names and out:
                    window = tail + out
                    found |= _action_names(window)
                    tail = window[-16:]
                if total > limit or total > budget or d.eof:
                    return total, found
                chunk = d.unconsumed_tail
    except zlib.error:  # damaged streams are the reader's business, not a size problem
        pass
    return total, found


def _xref_intact(data: bytes) -> bool:
    idx = data.rfind(b"startxref")
    m = re.match(rb"startxref\s+(\d+)", data[idx : idx + 64]) if idx >= 0 else None
    if m is None:
        return False
    offset = int(m.group(1))
    if offset >= len(data):
        return False
    head = data[offset : offset + 64].lstrip()
    if _OBJ.match(head):  # a cross-reference stream (PDF 1.5+)
        return True
    if not head.startswith(b"xref"):
        return False
    return _table_intact(data, offset + data[offset:].index(b"xref") + 4)


def _table_intact(data: bytes, pos: int, max_entries: int = 5000) -> bool:
    """Every in-use entry of a classic table points at ``N G obj`` (checks up to ``max_entries``)."""
    header = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*\r?\n?")
    entry = re.compile(rb"\s*(\d{10})\s(\d{5})\s([nf])")
    checked = 0
    while True:
        h = header.match(data, pos)
        if h is None:
            return data[pos : pos + 64].lstrip().startswith(b"trailer")
        pos = h.end()
        for _ in range(int(h.group(2))):
            e = entry.match(data, pos)
            if e is None:
                return False
            pos = e.end()
            if e.group(3) == b"n":
                checked += 1
                if checked > max_entries:
                    return True
                off = int(e.group(1))
                if not _OBJ.match(data[off : off + 32].lstrip()):
                    return False


register(
    {
        "file.damaged": {
            "ru": "Структура PDF повреждена: файл прочитан в режиме восстановления, часть содержимого могла "
                  "потеряться. Загрузите исходный файл ещё раз.",
            "kk": "PDF құрылымы зақымдалған: файл қалпына келтіру режимінде оқылды, мазмұнның бір бөлігі "
                  "жоғалуы мүмкін. Бастапқы файлды қайта жүктеңіз.",
            "en": "The PDF's structure is damaged: it was read in repair mode and part of its content may be "
                  "missing. Upload the original file again.",
        },
        "file.trailing_data": {
            "ru": "После конца PDF в файл дописаны другие данные ({size} байт), например архив. Они не проверяются; "
                  "загрузите исходный PDF.",
            "kk": "PDF соңынан файлға басқа деректер қосылған ({size} байт), мысалы архив. Олар тексерілмейді; "
                  "бастапқы PDF файлын жүктеңіз.",
            "en": "Other data ({size} bytes), such as an archive, is appended after the end of the PDF. It is not "
                  "checked; upload the original PDF.",
        },
        "file.active_content": {
            "ru": "PDF содержит исполняемые действия ({actions}). Документ об аттестации их не содержит: "
                  "файл проверит комиссия.",
            "kk": "PDF ішінде орындалатын әрекеттер бар ({actions}). Аттестаттау құжатында олар болмайды: "
                  "файлды комиссия тексереді.",
            "en": "The PDF contains executable actions ({actions}). An attestation document has none: "
                  "the commission will review the file.",
        },
    }
)
