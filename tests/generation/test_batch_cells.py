"""Batch tables whose text columns Excel kept as numbers or dates: a certificate number 45, hours 72, a
school number 12, an IIN 900101123456 (or 50315600123, its leading zero lost), a float-typed 46.0 and an
IIN in scientific notation as other tools store them. The rows read as the texts the secretary sees;
an IIN that cannot be one is refused naming the row and the column. The same table as CSV text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from service.documents.service import generate_batch
from service.errors import BadInput
from service.generation.service import read_rows, validate

COMMON = {
    "organization.code": "MC-KRG", "organization.name": "Методический центр", "organization.city": "г. Караганда",
    "date": "2024-04-26", "event_title": "Функциональная грамотность", "event_form": "областном семинаре",
    "event_date": "2024-04-26", "event_place": "г. Караганда", "head.full_name": "Сарсенова Г.К.",
    "head.position": "Директор",
}
COLUMNS = [*COMMON, "participant", "number", "participant_iin", "hours", "participant_organization"]

# (participant, number, participant_iin, hours, participant_organization) as openpyxl writes them; a 0 is a
# number cell whose stored text RAW_VALUES sets afterwards (openpyxl itself writes 46.0 as "46")
XLSX_ROWS: list[tuple[Any, ...]] = [
    ("Жумабаева А.С.", 45, 900101123456, 72, 12),                   # row 2: integers
    ("Мусин Е.Т.", 0, 50315600123, 0, "Гимназия № 93"),              # row 3: float-typed, IIN's leading zero lost
    ("Ахметова Д.Б.", 2.5, 0, 6, "ОШ № 5"),                          # row 4: non-integer, IIN in E-notation
    ("Ким О.В.", dt.datetime(2024, 4, 26), None, 16, None),            # row 5: a date in a text column, no IIN
    ("Сейтов Н.Н.", 47, 12345, 8, "Лицей № 1"),                        # row 6: not an IIN
]
RAW_VALUES = {(3, "number"): "46.0", (3, "hours"): "72.0", (4, "participant_iin"): "9.00101123456E+11"}

IIN_NUMBER_REFUSED = ("the number 12345 cannot be an IIN: an IIN is 12 digits starting with the birth date "
                      "(YYMMDD); check it and type it as text (format the column as Text in Excel)")


def _write_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for cells in XLSX_ROWS:
        ws.append([*COMMON.values(), *cells])
    wb.save(path)
    # Store the raw numbers the way Excel and other writers may: "46.0", "9.00101123456E+11".
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for (row, column), raw in RAW_VALUES.items():
        ref = f"{openpyxl.utils.get_column_letter(COLUMNS.index(column) + 1)}{row}"
        sheet, n = re.subn(rf'(<c r="{ref}" t="n"><v>)0(</v>)', rf"\g<1>{raw}\g<2>", sheet)
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _fields(path: Path) -> dict[int, Any]:
    """Per row: (number, participant_iin, hours, participant_organization) of the validated model, or the
    refusal's details."""
    out: dict[int, Any] = {}
    for row, data in read_rows(path):
        try:
            m = validate("certificate", data)
        except BadInput as exc:
            out[row] = exc.details
        else:
            out[row] = (m.number, m.participant_iin, m.hours, m.participant_organization)
    return out


def _docx_text(content: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(content))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs])


def test_xlsx_numbers_and_dates_in_text_columns_read_as_their_text(tmp_path: Path, gen_data_dir: Path) -> None:
    path = tmp_path / "rows.xlsx"
    _write_xlsx(path)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    # the sheet really holds numbers and a date: what openpyxl gives the reader
    assert [r[len(COMMON) + 1:] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        (45, 900101123456, 72, 12),
        (46.0, 50315600123, 72.0, "Гимназия № 93"),
        (2.5, 900101123456.0, 6, "ОШ № 5"),
        (dt.datetime(2024, 4, 26), None, 16, None),
        (47, 12345, 8, "Лицей № 1"),
    ]
    wb.close()
    assert _fields(path) == {
        2: ("45", "900101123456", 72, "12"),
        3: ("46", "050315600123", 72, "Гимназия № 93"),
        4: ("2.5", "900101123456", 6, "ОШ № 5"),
        5: ("26.04.2024", None, 16, None),
        6: [{"field": "participant_iin", "message": IIN_NUMBER_REFUSED}],
    }

    result = generate_batch("certificate", path, "ru", "docx", tmp_path / "out", register=False)
    assert [str(e) for e in result.errors] == [f"row 6: participant_iin: {IIN_NUMBER_REFUSED}"]
    assert result.total_rows == 5
    assert [n[:8] for n in result.written] == ["row0002_", "row0003_", "row0004_", "row0005_"]
    # the certificates print the texts: "№ 45", not "№ 45.0"
    lines = [_docx_text((tmp_path / "out" / n).read_bytes()).split("\n") for n in result.written]
    assert [[ln for ln in doc if ln.startswith(("№ ", "Объём: "))] for doc in lines] == [
        ["№ 45", "Объём: 72 ак. ч."], ["№ 46", "Объём: 72 ак. ч."], ["№ 2.5", "Объём: 6 ак. ч."],
        ["№ 26.04.2024", "Объём: 16 ак. ч."]]
    assert lines[0][lines[0].index("Жумабаева А.С.") + 1] == "12"  # the school number under the name


def test_csv_text_cells_unchanged_and_iin_checked(tmp_path: Path, gen_data_dir: Path) -> None:
    rows = [
        ("Жумабаева А.С.", "45", "900101123456", "72", "12"),            # row 2
        ("Мусин Е.Т.", "С-2024/0302", "050315600123", "6", "Гимназия № 93"),  # row 3: IIN typed as text
        ("Ахметова Д.Б.", "2.5", "50315600123", "6", "ОШ № 5"),          # row 4: Excel's CSV of a number IIN
        ("Ким О.В.", "47", "9.00101E+11", "16", ""),                       # row 5: Excel's display of a long number
        ("Сейтов Н.Н.", "48", "90010112345X", "8", "Лицей № 1"),           # row 6
        ("Омарова Г.Е.", "49", "901301123456", "8", "Лицей № 1"),          # row 7: month 13
    ]
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows([*COMMON.values(), *r] for r in rows)
    assert _fields(path) == {
        2: ("45", "900101123456", 72, "12"),
        3: ("С-2024/0302", "050315600123", 6, "Гимназия № 93"),
        4: ("2.5", "050315600123", 6, "ОШ № 5"),
        5: [{"field": "participant_iin", "message": "9.00101E+11 is a number in scientific notation, from which "
                                                    "Excel may have dropped digits: format the column as Text and "
                                                    "type the 12 digits of the IIN"}],
        6: [{"field": "participant_iin", "message": "\"90010112345X\" cannot be an IIN: an IIN is 12 digits "
                                                    "starting with the birth date (YYMMDD); type the 12 digits "
                                                    "without spaces or letters"}],
        7: [{"field": "participant_iin", "message": "\"901301123456\" cannot be an IIN: an IIN is 12 digits "
                                                    "starting with the birth date (YYMMDD); type the 12 digits "
                                                    "without spaces or letters"}],
    }
    result = generate_batch("certificate", path, "ru", "docx", tmp_path / "out", register=False)
    assert [(e.row, e.field) for e in result.errors] == [(5, "participant_iin"), (6, "participant_iin"),
                                                         (7, "participant_iin")]
    assert [n[:8] for n in result.written] == ["row0002_", "row0003_", "row0004_"]
