"""Receiving files: a streaming multipart reader with a per-file size limit, content sniffing,
filename sanitising, the content-addressed store; and serving files back safely.

An upload is accepted (201) only after its bytes are in the store (fsynced) and its row is committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
import unicodedata
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.db import new_id, session_scope, utcnow
from service.errors import BadInput, NotFound, PayloadTooLarge, UnsupportedMediaType
from service.settings import get_settings
from service.storage import SPOOL_PREFIX, get_store
from service.uploads.models import FileRecord

__all__ = [
    "TABLE_TYPES",
    "VERIFIABLE_TYPES",
    "IncomingFile",
    "ReceivedForm",
    "adopt",
    "content_disposition",
    "file_row",
    "file_values",
    "receive_multipart",
    "sanitize_filename",
    "sniff",
    "store_file",
    "sweep_stale_spool",
]

VERIFIABLE_TYPES = frozenset({
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/heic",
    "image/webp",
    "image/bmp",
    "image/gif",
    "application/pkcs7-signature",
})
"""What a teacher may upload as evidence (PDF, phone photos and scans, detached signatures)."""

TABLE_TYPES = frozenset({"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})

_MAX_FIELD_BYTES = 64 * 1024
_HEAD = 4096  # bytes looked at to tell the type
_CTRL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_RESERVED = re.compile(r'[<>:"/\\|?*]')


def sanitize_filename(name: str | None, default: str = "file") -> str:
    """A safe display/download name: no directories, no control characters, no leading dots, ≤ 200 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in _CTRL.sub("", name) if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = _RESERVED.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name or default


def content_disposition(filename: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode() or "file"
    ascii_name = re.sub(r'[^A-Za-z0-9._ -]', "_", ascii_name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(filename)}"


def sniff(path: Path | None, filename: str, head: bytes | None = None, data: bytes | None = None) -> str | None:
    """Media type from the content (verification's sniffer), plus CSV/XLSX for participant tables.

    Only the first 4 KB are looked at (`head`, when the caller kept them), except that a ZIP is opened
    to tell XLSX from DOCX. The content is the file at `path`, or `data` when it is held in memory."""
    from verification.pipeline import sniff_media_type

    if head is None:
        if data is not None:
            head = data[:_HEAD]
        else:
            assert path is not None
            with path.open("rb") as f:
                head = f.read(_HEAD)
    head = head[:_HEAD]
    media_type = sniff_media_type(head, filename)
    if media_type == "application/zip":
        with contextlib.suppress(Exception):
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:  # type: ignore[arg-type]
                if any(n.startswith("xl/") for n in zf.namelist()):
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if any(n.startswith("word/") for n in zf.namelist()):
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if media_type is None and filename.lower().endswith((".csv", ".txt")):
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            # the first 4 KB may end inside a Cyrillic letter (2 bytes in UTF-8): only a broken
            # sequence before the cut makes it not text
            if not (len(head) == _HEAD and exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"):
                return None
        if b"\x00" not in head:
            return "text/csv"
    return media_type


@dataclass
class IncomingFile:
    field_name: str
    filename: str
    path: Path | None
    """The spooled file; None while a small file is held in memory (`data`) until the store adopts it."""
    size: int
    media_type: str | None = None
    sha256: str | None = None  # computed while the bytes streamed in (held in memory: when stored)
    data: bytes | None = None


@dataclass
class ReceivedForm:
    """Fields and files of one multipart request, files spooled to a private temp folder."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[IncomingFile] = field(default_factory=list)
    tmpdir: Path | None = None

    def cleanup(self) -> None:
        """Remove what is still spooled (files adopted by the store are gone already)."""
        for incoming in self.files:
            if incoming.path is not None:
                with contextlib.suppress(OSError):
                    os.unlink(incoming.path)
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def _boundary(content_type: str) -> bytes:
    ctype, _, params = content_type.partition(";")
    if ctype.strip().lower() != "multipart/form-data":
        raise UnsupportedMediaType(
            "send the files as multipart/form-data (a form with file fields)",
            details={"content_type": ctype.strip() or None},
        )
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    raise BadInput("the multipart request has no boundary")


async def receive_multipart(
    stream: AsyncIterator[bytes],
    content_type: str,
    *,
    max_file_bytes: int,
    max_files: int = 20,
    file_fields: tuple[str, ...] = ("files", "file"),
    spool_dir: Path | None = None,
    in_memory_up_to: int = 0,
) -> ReceivedForm:
    """Parse a multipart body as it arrives; a file over `max_file_bytes` stops the upload with 413.

    Files are written to `spool_dir` (default: the store's, so that storing them is a rename) while
    their SHA-256 and first 4 KB (for sniffing) are taken on the way: the bytes are read once. A file
    of at most `in_memory_up_to` bytes stays in memory (`IncomingFile.data`) and reaches the disk only
    when :func:`adopt` stores it, in the caller's worker thread: the event loop then makes no file
    system call at all for it (each one gives up the GIL and waits to get it back under load)."""
    from python_multipart import MultipartParser

    boundary = _boundary(content_type)
    form = ReceivedForm()
    state: dict[str, Any] = {"headers": {}, "hname": b"", "hvalue": b"", "out": None, "size": 0, "buf": bytearray()}
    heads: list[bytearray] = []
    hashes: list[Any] = []
    error: list[Exception] = []

    def on_part_begin() -> None:
        state.update(headers={}, hname=b"", hvalue=b"", out=None, size=0, buf=bytearray(), current=None)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["hname"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["hvalue"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["hname"].decode("latin-1").lower()] = state["hvalue"].decode("utf-8", "replace")
        state["hname"], state["hvalue"] = b"", b""

    def on_headers_finished() -> None:
        disp = state["headers"].get("content-disposition", "")
        params = _disposition_params(disp)
        name = params.get("name", "")
        if "filename" in params:
            if name not in file_fields:
                raise BadInput(f"unexpected file field {name!r}; send files as {file_fields[0]!r}",
                               details={"field": name})
            if len(form.files) >= max_files:
                raise PayloadTooLarge(f"at most {max_files} files per request")
            incoming = IncomingFile(name, sanitize_filename(params["filename"]), None, 0)
            form.files.append(incoming)
            heads.append(bytearray())
            hashes.append(hashlib.sha256())
            state["current"] = incoming
            state["out"] = state["buf"] if in_memory_up_to > 0 else _spool_file(incoming, spool_dir)
        else:
            state["current"] = name

    def on_part_data(data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        state["size"] += len(chunk)
        out = state["out"]
        if out is not None:
            if state["size"] > max_file_bytes:
                incoming = state["current"]
                raise PayloadTooLarge(
                    f"{incoming.filename} is larger than {max_file_bytes // (1024 * 1024) or max_file_bytes} "
                    f"{'MB' if max_file_bytes >= 1024 * 1024 else 'bytes'}; send a smaller file "
                    "(scan at 200–300 dpi, or split it)",
                    details={"file": incoming.filename, "limit_bytes": max_file_bytes},
                    key="upload.too_large",
                    params={"file": incoming.filename, "mb": max(1, max_file_bytes // (1024 * 1024))},
                )
            if out is state["buf"] and state["size"] > in_memory_up_to:  # too big for memory: to the disk
                out = state["out"] = _spool_file(state["current"], spool_dir)
                out.write(state["buf"])
                hashes[-1].update(state["buf"])
                state["buf"] = bytearray()
            if out is state["buf"]:
                out.extend(chunk)  # hashed by adopt(), in the worker thread (hashlib gives up the GIL)
            else:
                out.write(chunk)
                hashes[-1].update(chunk)
            head = heads[-1]
            if len(head) < _HEAD:
                head += chunk[: _HEAD - len(head)]
        else:
            if state["size"] > _MAX_FIELD_BYTES:
                raise PayloadTooLarge(f"form field {state['current']!r} is too long")
            state["buf"] += chunk

    def on_part_end() -> None:
        out = state["out"]
        if out is not None:
            if out is state["buf"]:
                state["current"].data = bytes(out)
            else:
                out.close()
            state["current"].size = state["size"]
            state["out"] = None
        elif isinstance(state.get("current"), str):
            form.fields[state["current"]] = bytes(state["buf"]).decode("utf-8", "replace")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except (PayloadTooLarge, BadInput, UnsupportedMediaType):
        _close(state)
        form.cleanup()
        raise
    except Exception as exc:
        _close(state)
        form.cleanup()
        error.append(exc)
        raise BadInput("the multipart body is malformed; send the files again") from exc
    for incoming, head, digest in zip(form.files, heads, hashes, strict=True):
        incoming.sha256 = digest.hexdigest() if incoming.data is None else None
        if incoming.size:
            incoming.media_type = sniff(incoming.path, incoming.filename, bytes(head), incoming.data)
    return form


def _spool_file(incoming: IncomingFile, spool_dir: Path | None) -> Any:
    fd, tmp = tempfile.mkstemp(dir=spool_dir or get_store().spool_dir(), prefix=SPOOL_PREFIX)
    incoming.path = Path(tmp)
    return os.fdopen(fd, "wb")


def _close(state: dict[str, Any]) -> None:
    out = state.get("out")
    if out is not None and not isinstance(out, bytearray):
        with contextlib.suppress(Exception):
            out.close()


def _disposition_params(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for part in re.finditer(r';\s*([A-Za-z*]+)=("(?:[^"\\]|\\.)*"|[^;]*)', ";" + value.split(";", 1)[-1]):
        key, raw = part.group(1).lower(), part.group(2).strip()
        if raw.startswith('"'):
            raw = raw[1:-1].replace('\\"', '"')
        if key == "filename*":
            _, _, encoded = raw.partition("''")
            params["filename"] = urllib.parse.unquote(encoded)
        elif key not in params:
            params[key] = raw
    return params


def adopt(incoming: IncomingFile) -> str:
    """Put the bytes in the store, durably (a spooled upload whose hash is known is renamed into place
    after one fsync; one held in memory is written out first); returns their sha256."""
    store = get_store()
    if incoming.data is not None:
        incoming.sha256 = hashlib.sha256(incoming.data).hexdigest()
        fd, tmp = tempfile.mkstemp(dir=store.spool_dir(), prefix=SPOOL_PREFIX)
        incoming.path = Path(tmp)
        with os.fdopen(fd, "wb") as out:
            out.write(incoming.data)
        incoming.data = None
    assert incoming.path is not None
    return store.adopt(incoming.path, incoming.sha256) if incoming.sha256 else store.put_file(incoming.path)


def file_values(incoming: IncomingFile, sha256: str, *, file_id: str | None = None,
                created_at: dt.datetime | None = None, owner_user_id: int, organisation_id: int, purpose: str,
                dossier_id: str | None = None) -> dict[str, Any]:
    """Every column of a new file row (for a Core insert, or `FileRecord(**values)`)."""
    return {
        "id": file_id or new_id(),
        "created_at": created_at or utcnow(),
        "owner_user_id": owner_user_id,
        "organisation_id": organisation_id,
        "dossier_id": dossier_id,
        "purpose": purpose,
        "filename": incoming.filename,
        "media_type": incoming.media_type or "application/octet-stream",
        "size": incoming.size,
        "sha256": sha256,
        "job_id": None,
        "report": None,
        "registry_document_id": None,
    }


def store_file(
    db: Session,
    incoming: IncomingFile,
    *,
    owner_user_id: int,
    organisation_id: int,
    purpose: str,
    dossier_id: str | None = None,
    file_id: str | None = None,
) -> FileRecord:
    """Put the bytes in the store (:func:`adopt`) and add the row, with its id set (not flushed; the
    caller commits)."""
    record = FileRecord(**file_values(incoming, adopt(incoming), file_id=file_id, owner_user_id=owner_user_id,
                                      organisation_id=organisation_id, purpose=purpose, dossier_id=dossier_id))
    db.add(record)
    return record


def store_path(
    db: Session, path: Path, filename: str, media_type: str, *, owner_user_id: int, organisation_id: int,
    purpose: str, dossier_id: str | None = None, file_id: str | None = None,
) -> FileRecord:
    incoming = IncomingFile("file", sanitize_filename(filename), path, os.path.getsize(path), media_type)
    return store_file(db, incoming, owner_user_id=owner_user_id, organisation_id=organisation_id,
                      purpose=purpose, dossier_id=dossier_id, file_id=file_id)


def file_row(file_id: str) -> FileRecord:
    """The file's row, detached from its session (a job reads it, then works outside any transaction)."""
    with session_scope() as db:
        record = db.get(FileRecord, file_id)
        if record is None:
            raise NotFound(f"file {file_id} no longer exists")
        db.expunge(record)
        return record


def iter_file(sha256: str, chunk: int = 256 * 1024) -> Iterator[bytes]:
    with get_store().open(sha256) as f:
        while data := f.read(chunk):
            yield data


def sweep_stale_spool(older_than_s: float | None = None) -> int:
    """Delete partial uploads a killed web process left in the store's spool folder, and copies a killed
    job process left on their way into the store (``store/.incoming/.up-*`` not written to for `older_than_s`,
    default ``upload_spool_stale_s``);
    returns how many. Live uploads keep writing, so their files stay fresh and are left alone.
    Called once when the app starts (:func:`service.app.create_app`)."""
    settings = get_settings()  # both stores spool in ``store_dir/.incoming`` (the S3 store sends from there)
    limit = settings.upload_spool_stale_s if older_than_s is None else older_than_s
    spool = settings.store_dir / ".incoming"
    removed = 0
    if spool.is_dir():
        now = time.time()
        for path in spool.glob(f"{SPOOL_PREFIX}*"):
            try:
                if now - path.stat().st_mtime > limit:
                    path.unlink()
                    removed += 1
            except OSError:  # taken by another process meanwhile
                continue
    if removed:
        logging.getLogger("service.app").warning("removed %d partial upload(s) left by a stopped process", removed)
    return removed
