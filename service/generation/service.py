"""The generation engine: data of a kind → DOCX or PDF bytes (optionally PDF/A, signed). No database.

Order of work for one document: validate (nothing is rendered from bad data, :func:`prepare`) → take
a registration (number, id, QR payload) → render the DOCX with the QR code → convert → sign → record
the SHA-256 of the issued file. :func:`produce` is the pure middle: handed a :class:`Registration`
(or None for a draft) and a signer, it returns the document. Where numbers come from is the caller's:
the web request takes them in its own transaction (``service.documents.service.generate``); a batch
and the command line hand in a :class:`Numbering` (``service.registry.service`` itself, transactions
of its own), and then a failure after the number was taken voids that number; it is never given again.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from service.errors import AttestError, BadInput
from service.generation.converter import get_converter
from service.generation.render import Registration, render_docx
from service.generation.schemas import SCHEMAS, DocumentData, field_errors, format_field_errors
from service.signing import PadesSigner
from verification.qr_payload import make_payload

__all__ = [
    "MEDIA_TYPES",
    "BatchResult",
    "GeneratedDocument",
    "Issued",
    "Numbering",
    "RowError",
    "content_sha256",
    "document_title",
    "generate_batch",
    "prepare",
    "produce",
    "produce_formats",
    "produce_registered",
    "read_rows",
    "registration",
    "validate",
    "with_issuer",
]

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
LANGS = ("ru", "kk")


@dataclass(frozen=True)
class GeneratedDocument:
    document_id: str | None  # None for an unregistered draft
    registration_number: str | None
    kind: str
    lang: str
    filename: str
    content: bytes
    sha256: str
    media_type: str
    content_sha256: str = ""
    signed: bool = False
    role: str = "docx"  # what the registry records the file as: docx, pdf or signed_pdf


class Issued(Protocol):
    """A number the registry gave (``service.registry.service.IssuedNumber``)."""

    @property
    def document_id(self) -> str: ...
    @property
    def registration_number(self) -> str: ...
    @property
    def sequence(self) -> int: ...


class Numbering(Protocol):
    """Where registration numbers come from, each call in a transaction of its own
    (``service.registry.service`` is one)."""

    def issue(self, *, organization: str, kind: str, lang: str, content_sha256: str, title: str = "",
              year: int | None = None) -> Issued: ...

    def find_issued(self, *, organization: str, kind: str, lang: str, content_sha256: str,
                    year: int | None = None) -> Issued | None: ...

    def record_file(self, document_id: str, sha256: str, media_type: str, role: str) -> None: ...

    def void(self, document_id: str) -> None: ...


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass(frozen=True)
class BatchResult:
    out_path: Path
    written: tuple[str, ...]  # file names (inside the ZIP or the folder)
    errors: tuple[RowError, ...]
    total_rows: int

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {"out": str(self.out_path), "written": len(self.written), "bad_rows": len(self.errors),
                "rows": self.total_rows}


def _check_kind_lang_fmt(kind: str, lang: str, fmt: str) -> None:
    if kind not in SCHEMAS:
        raise BadInput(f"unknown document kind {kind!r}; one of: {', '.join(SCHEMAS)}",
                       details=[{"field": "kind", "message": "unknown kind"}])
    if lang not in LANGS:
        raise BadInput(f"unknown language {lang!r}; one of: ru, kk", details=[{"field": "lang", "message": "ru or kk"}])
    if fmt not in MEDIA_TYPES:
        raise BadInput(f"unknown format {fmt!r}; one of: docx, pdf", details=[{"field": "format", "message": "docx or pdf"}])


def prepare(kind: str, data: Any, lang: str, fmt: str, *, sign: bool = False) -> DocumentData:
    """The typed data of one document, checked once: kind, language, format (a signature needs a PDF), fields."""
    _check_kind_lang_fmt(kind, lang, fmt)
    if sign and fmt != "pdf":
        raise BadInput("only a PDF can be signed: use format pdf", details=[{"field": "sign", "message": "needs pdf"}])
    return validate(kind, data)


def validate(kind: str, data: Any) -> DocumentData:
    """The typed data of ``kind``, or BadInput naming every wrong field."""
    if kind not in SCHEMAS:
        raise BadInput(f"unknown document kind {kind!r}", details=[{"field": "kind", "message": "unknown kind"}])
    if not isinstance(data, dict):
        raise BadInput(f"bad data for {kind}: expected an object with the document's fields",
                       details=[{"field": "(document)", "message": "expected an object"}])
    try:
        return SCHEMAS[kind].model_validate(data)
    except ValidationError as exc:
        details = field_errors(exc)
        raise BadInput(format_field_errors(kind, details), details=details) from exc


def content_sha256(kind: str, lang: str, model: DocumentData) -> str:
    """SHA-256 of the canonical JSON of the document's data (sorted keys, UTF-8, no spaces)."""
    canonical = json.dumps({"kind": kind, "lang": lang, "data": model.model_dump(mode="json")},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def registration(document_id: str, number: str, sequence: int, content_sha256: str) -> Registration:
    """What is printed of a registry number: the number, and the QR payload naming the id and the content."""
    return Registration(document_id, number, sequence, make_payload(document_id, content_sha256))


def document_title(kind: str, model: DocumentData) -> str:
    """The registry's title of a document: whom or what it is about."""
    for attr in ("participant", "teacher", "author", "title", "region", "council"):
        value = getattr(model, attr, None)
        if value is None:
            continue
        return getattr(value, "full_name", value) if not isinstance(value, str) else value
    return model.organization.name


def document_person(kind: str, model: DocumentData) -> str:
    """The full name of the person a document is for (participant, teacher, author), or ''."""
    for attr in ("participant", "teacher", "author"):
        value = getattr(model, attr, None)
        if value is not None:
            return value if isinstance(value, str) else value.full_name
    return ""


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", text).strip("_") or "document"


def person_stem(full_name: str) -> str:
    """The start of a batch file's name: the surname and initials of the person the document is for,
    in letters of any alphabet, digits and ``_`` only («Жумабаева Айгерим Сериковна» → «Жумабаева_А_С»,
    «Жумабаева А.С.» → the same); empty when the name has no letters."""
    words = [w for w in re.split(r"[^\w-]+|_", full_name) if w and re.search(r"[^\W\d_]", w)]
    if not words:
        return ""
    surname = re.sub(r"[^\w-]", "", words[0]).strip("-")[:40]
    initials = [w[0].upper() for w in words[1:3]]
    return "_".join([surname, *initials])


def with_issuer(data: Any, issuer: dict[str, Any] | None) -> Any:
    """The document's data with the issuing organisation's letterhead in place of whatever the data says:
    its code and name always; its higher authority and address as the letterhead has them (none when it
    has none); its city, or the data's where the letterhead has no city (the place of issue)."""
    if issuer is None or not isinstance(data, dict):
        return data
    given = data.get("organization") if isinstance(data.get("organization"), dict) else {}
    block = {"code": issuer["code"], "name": issuer["name"]}
    for key in ("parent", "address"):
        if issuer.get(key):
            block[key] = issuer[key]
    city = issuer.get("city") or given.get("city")
    if city:
        block["city"] = city
    return {**data, "organization": block}


def produce(kind: str, lang: str, fmt: str, model: DocumentData, registration: Registration | None, *,
            signer: PadesSigner | None = None, pdfa: bool = False, convert: Callable[[bytes, bool], bytes] | None = None,
            name_prefix: str = "", csha: str | None = None, person: str = "") -> GeneratedDocument:
    """One document from checked data: DOCX, or PDF (PDF/A with ``pdfa``; signed, with a visible box, by
    ``signer``). ``registration`` None makes a draft without QR code. Raises ConversionFailed when
    LibreOffice is unavailable after a restart, SigningError when the key or the TSA fails.

    The file is named ``{kind}_{number}.{lang}.{fmt}``; with ``person`` (a batch's row: whom the document
    is for) ``{Surname}_{I}_{O}_{number}.{fmt}`` (:func:`person_stem`), ``name_prefix`` before either."""
    return produce_formats(kind, lang, (fmt,), model, registration, signer=signer, pdfa=pdfa, convert=convert,
                           name_prefix=name_prefix, csha=csha, person=person)[fmt]


def produce_formats(kind: str, lang: str, formats: tuple[str, ...], model: DocumentData,
                    registration: Registration | None, *, signer: PadesSigner | None = None, pdfa: bool = False,
                    convert: Callable[[bytes, bool], bytes] | None = None, name_prefix: str = "",
                    csha: str | None = None, person: str = "") -> dict[str, GeneratedDocument]:
    """The document in each of ``formats`` (docx, pdf) from one rendering: the PDF is the DOCX converted,
    so both carry the same number and the same QR code (:func:`produce` for the rest)."""
    csha = csha or content_sha256(kind, lang, model)
    number = model.number or (str(registration.sequence) if registration else "____")
    docx = render_docx(kind, lang, model, number, registration)
    out: dict[str, GeneratedDocument] = {}
    for fmt in formats:
        content, role = docx, "docx"
        if fmt == "pdf":
            content = convert(docx, pdfa) if convert is not None else get_converter().convert(docx, pdfa=pdfa)
            role = "pdf"
            if signer is not None:
                content = signer.sign(content, visible=True)
                role = "signed_pdf"
        stem = f"{kind}_{registration.number}" if registration else f"{kind}_draft_{csha[:8]}"
        filename = f"{name_prefix}{_safe(stem)}.{lang}.{fmt}"
        who = person_stem(person) if person else ""
        if who:
            filename = f"{name_prefix}{who}_{_safe(registration.number if registration else 'draft_' + csha[:8])}.{fmt}"
        out[fmt] = GeneratedDocument(
            document_id=registration.document_id if registration else None,
            registration_number=registration.number if registration else None,
            kind=kind, lang=lang, filename=filename, content=content,
            sha256=hashlib.sha256(content).hexdigest(), media_type=MEDIA_TYPES[fmt], content_sha256=csha,
            signed=role == "signed_pdf", role=role,
        )
    return out


def produce_registered(kind: str, lang: str, fmt: str, model: DocumentData, numbering: Numbering, *,
                       organization: str | None = None, signer: PadesSigner | None = None, pdfa: bool = False,
                       convert: Callable[[bytes, bool], bytes] | None = None, name_prefix: str = "",
                       reuse_issued: bool = False, person: str = "", also: tuple[str, ...] = (),
                       keep: Callable[[GeneratedDocument], None] | None = None) -> GeneratedDocument:
    """:func:`produce` with a number from ``numbering`` (the organisation's, else the data's), and the
    issued file recorded there; a failure voids a number taken for it. ``also`` names further formats
    issued under the same number from the same rendering (recorded too); ``keep`` is handed every
    issued file (to store it)."""
    csha = content_sha256(kind, lang, model)
    org = organization or model.organization.code
    issued = None
    reused = False
    if reuse_issued:  # a batch run again: the row keeps the number its interrupted run took
        issued = numbering.find_issued(organization=org, kind=kind, lang=lang, content_sha256=csha,
                                       year=model.date.year)
        reused = issued is not None
    if issued is None:
        issued = numbering.issue(organization=org, kind=kind, lang=lang, content_sha256=csha,
                                 title=document_title(kind, model), year=model.date.year)
    try:
        docs = produce_formats(kind, lang, (fmt, *(f for f in also if f != fmt)), model,
                               registration(issued.document_id, issued.registration_number, issued.sequence, csha),
                               signer=signer, pdfa=pdfa, convert=convert, name_prefix=name_prefix, csha=csha,
                               person=person)
        for each in docs.values():
            numbering.record_file(issued.document_id, each.sha256, each.media_type, each.role)
            if keep is not None:
                keep(each)
        doc = docs[fmt]
    except BaseException:
        if not reused:
            numbering.void(issued.document_id)
        raise
    return doc


# --- batch -----------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    if value is None:
        return None
    # Excel keeps numbers as floats: 72.0 is the integer 72 for an int field and "72" for a text one
    # (the schemas turn numbers and dates into text where a field wants text).
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):  # openpyxl gives datetimes for date cells
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
    return value


def _unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{"organization.name": "…"} → {"organization": {"name": "…"}}; empty cells are left out."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if value is None or not key:
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = value
    return out


MAX_ROWS_FILE_BYTES = 20 * 1024 * 1024
"""Largest rows file (CSV or XLSX) a batch accepts."""
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
"""Largest total size of an XLSX's parts once unpacked (refuses ZIP bombs before any is inflated)."""
MAX_BATCH_ROWS = 10_000
MAX_COLUMNS = 300
MAX_CELL_CHARS = 10_000


def _rows_error(path: Path, message: str, hint: str) -> BadInput:
    return BadInput(f"{path.name}: {message}", details=[{"field": "rows", "message": hint}])


def _bounded(path: Path, rows: Iterator[tuple[int, list[Any]]], header: list[str],
             kind: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    from service.generation.columns import field_for_header, value_for_word

    header = [field_for_header(h, kind) if h else h for h in header]  # «ФИО участника» → participant
    if len(header) > MAX_COLUMNS:
        raise _rows_error(path, f"{len(header)} columns; at most {MAX_COLUMNS} are read", "too many columns")
    count = 0
    for i, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        count += 1
        if count > MAX_BATCH_ROWS:
            raise _rows_error(path, f"more than {MAX_BATCH_ROWS:,} data rows; split the file into parts of at "
                                    f"most {MAX_BATCH_ROWS:,} rows", "too many rows")
        if len(values) > MAX_COLUMNS:
            raise _rows_error(path, f"row {i} has {len(values)} cells; at most {MAX_COLUMNS} are read",
                              "too many columns")
        for col, v in enumerate(values):
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                name = header[col] if col < len(header) and header[col] else f"column {col + 1}"
                raise _rows_error(path, f"row {i}, {name}: the cell holds {len(v):,} characters; at most "
                                        f"{MAX_CELL_CHARS:,} are allowed", "cell too long")
        yield i, _unflatten({h: value_for_word(h, _cell(v)) for h, v in zip(header, values)})


def _csv_rows(path: Path, kind: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    # Streamed: memory stays bounded whatever the file holds (csv refuses a cell above 128 KB itself).
    with path.open(encoding="utf-8-sig", newline="") as f:
        try:
            head = f.read(4096)
            f.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(head, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.reader(f, dialect)
            header_row = next(reader, None)
            if not header_row:
                raise _rows_error(path, "empty file, expected a header row", "empty")
            header = [h.strip() for h in header_row]
            yield from _bounded(path, ((reader.line_num, values) for values in reader), header, kind)
        except UnicodeDecodeError as exc:
            raise _rows_error(path, "not UTF-8 text; save it from Excel as \"CSV UTF-8\"",
                              "not UTF-8") from exc
        except csv.Error as exc:
            raise _rows_error(path, f"not a readable CSV file (line {reader.line_num}: {exc})", "unreadable") from exc


def _xlsx_rows(path: Path, kind: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _rows_error(path, f"not a readable XLSX file: it is not a ZIP package ({exc}); save it from "
                                "Excel or LibreOffice as .xlsx, or as CSV UTF-8", "unreadable") from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _rows_error(path, f"unpacks to {unpacked // (1024 * 1024):,} MB (more than "
                                f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB): not a spreadsheet of rows, or a "
                                "ZIP bomb", "too large")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _rows_error(path, f"not a readable XLSX file ({exc})", "unreadable") from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header_row = next(rows, None)
        if not header_row:
            raise _rows_error(path, "empty sheet, expected a header row", "empty")
        header = [str(h).strip() if h is not None else "" for h in header_row]
        yield from _bounded(path, ((i, list(values)) for i, values in enumerate(rows, start=2)), header, kind)
    except BadInput:
        raise
    except Exception as exc:  # malformed sheet XML surfaces while iterating
        raise _rows_error(path, f"not a readable XLSX file ({exc})", "unreadable") from exc
    finally:
        wb.close()


def read_rows(path: Path, kind: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, nested data) per data row of a CSV or XLSX file; the first row holds field names
    (dotted for nested fields: ``organization.name``, ``head.full_name``) or their Russian or Kazakh
    headers (:mod:`service.generation.columns`), whose cells may say «спикер» for ``speaker``. Bounded: at most
    MAX_ROWS_FILE_BYTES on disk, MAX_BATCH_ROWS rows, MAX_COLUMNS columns, MAX_CELL_CHARS per cell;
    anything beyond is BadInput saying how to fix it."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BadInput(f"rows file not found: {path}", details=[{"field": "rows", "message": "not found"}])
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise BadInput(f"rows must be a .csv or .xlsx file, got {path.name}",
                       details=[{"field": "rows", "message": "csv or xlsx"}])
    size = path.stat().st_size
    if size > MAX_ROWS_FILE_BYTES:
        raise _rows_error(path, f"{size / (1024 * 1024):,.0f} MB; a rows file may be at most "
                                f"{MAX_ROWS_FILE_BYTES // (1024 * 1024)} MB: split it", "too large")
    if suffix == ".csv":
        if size == 0:
            raise _rows_error(path, "empty file, expected a header row", "empty")
        yield from _csv_rows(path, kind)
    else:
        yield from _xlsx_rows(path, kind)


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with ``_2``, ``_3``… before its extension when the batch already wrote it
    (case-insensitively: a ZIP unpacked on Windows must not overwrite one file with another)."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}_{n}{dot}{ext}" if dot else f"{name}_{n}"
    taken.add(candidate.casefold())
    return candidate


def _write_atomically(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with open(tmp, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def generate_batch(kind: str, rows_path: Path, lang: str = "ru", fmt: str = "pdf", out_path: Path | None = None,
                   progress: Callable[[int], None] | None = None, *, pdfa: bool = False,
                   numbering: Numbering | None = None, organization: str | None = None,
                   signer: PadesSigner | None = None, issuer: dict[str, Any] | None = None,
                   keep: Callable[[GeneratedDocument], None] | None = None) -> BatchResult:
    """One document per row into a folder or a ``.zip``; registered with ``numbering`` (drafts without),
    PDFs signed by ``signer``; with ``issuer`` (a letterhead, :func:`with_issuer`) every row is issued by
    that organisation whatever its columns say; with ``keep`` every registered row is issued as DOCX and
    PDF under its one number and each file handed to ``keep`` (the service stores them for the registry),
    the ZIP holding ``fmt``. Bad rows are reported by row number and the good ones are still written. Rendering and conversion run in parallel over the converter pool.

    Files are named after whom each is for and its number, ``Жумабаева_А_С_MC-ZHA-CRT-2024-00003.pdf``
    (:func:`person_stem`; unique, since numbers are); a row without a registration number (a draft) or
    without a person's name is named by its row, ``row0003_…``."""
    _check_kind_lang_fmt(kind, lang, fmt)
    if out_path is None:
        raise BadInput("an output folder or .zip is needed", details=[{"field": "out", "message": "required"}])
    rows_path, out_path = Path(rows_path), Path(out_path)
    errors: list[RowError] = []
    good: list[tuple[int, DocumentData]] = []
    total = 0
    for row_no, data in read_rows(rows_path, kind):
        total += 1
        try:
            good.append((row_no, validate(kind, with_issuer(data, issuer))))
        except BadInput as exc:
            for d in exc.details or [{"field": "(row)", "message": exc.message}]:
                errors.append(RowError(row_no, d["field"], d["message"]))
            if progress:
                progress(1)
    if total == 0:
        raise BadInput(f"{rows_path.name} has no data rows", details=[{"field": "rows", "message": "no data rows"}])

    convert = None
    workers = 2
    if fmt == "pdf":
        pool = get_converter()
        workers = pool.size + 1  # one thread renders while every LibreOffice converts
        convert = lambda docx, a: pool.convert(docx, pdfa=a)

    def work(item: tuple[int, DocumentData]) -> GeneratedDocument:
        row_no, model = item
        if numbering is None:
            return produce(kind, lang, fmt, model, None, signer=signer, pdfa=pdfa, convert=convert,
                           name_prefix=f"row{row_no:04d}_")
        person = document_person(kind, model)
        return produce_registered(kind, lang, fmt, model, numbering, organization=organization, signer=signer,
                                  pdfa=pdfa, convert=convert, reuse_issued=True, person=person,
                                  name_prefix="" if person_stem(person) else f"row{row_no:04d}_",
                                  also=tuple(MEDIA_TYPES) if keep is not None else (), keep=keep)

    written: list[str] = []
    taken: set[str] = set()
    is_zip = out_path.suffix.lower() == ".zip"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if not is_zip:
        out_path.mkdir(parents=True, exist_ok=True)
    # Every file appears whole or not at all: written under a hidden ".partial" name in the same
    # folder, then renamed. A run killed midway leaves only ".partial" files, removed by the next run.
    for stale in (out_path.parent.glob(f".{out_path.name}.*.partial") if is_zip else out_path.glob(".*.partial")):
        stale.unlink(missing_ok=True)
    partial_zip = out_path.parent / f".{out_path.name}.{os.getpid()}.partial"
    zf = zipfile.ZipFile(partial_zip, "w", compression=zipfile.ZIP_STORED) if is_zip else None
    done = False
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="attest-batch") as ex:
            # A bounded window of rows in flight: finished documents are written and dropped in row
            # order, so memory does not grow with the number of rows.
            queue = iter(good)
            pending: deque[tuple[int, Future[GeneratedDocument]]] = deque()

            def submit_next() -> None:
                item = next(queue, None)
                if item is not None:
                    pending.append((item[0], ex.submit(work, item)))

            for _ in range(workers * 2):
                submit_next()
            while pending:
                row_no, fut = pending.popleft()
                submit_next()
                try:
                    doc = fut.result()
                except AttestError as exc:
                    errors.append(RowError(row_no, "(document)", exc.message))
                else:
                    name = _unique(doc.filename, taken)
                    if zf is not None:
                        zf.writestr(name, doc.content)
                    else:
                        _write_atomically(out_path / name, doc.content)
                    written.append(name)
                if progress:
                    progress(1)
        done = True
    finally:
        if zf is not None:
            zf.close()
            if done:
                os.replace(partial_zip, out_path)
            else:
                partial_zip.unlink(missing_ok=True)
    errors.sort(key=lambda e: e.row)
    return BatchResult(out_path, tuple(written), tuple(errors), total)
