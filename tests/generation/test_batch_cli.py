"""Batch generation (CSV, XLSX → ZIP or folder) and the `attest generate` command."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from samples import DATA_DIR
from service.cli import main
from service.documents.service import generate_batch
from service.generation.schemas import example_data

PARTICIPANTS = DATA_DIR / "participants.csv"


def _rows_with_bad_one(tmp_path: Path) -> Path:
    rows = list(csv.reader(PARTICIPANTS.open(encoding="utf-8")))
    header = rows[0]
    bad = list(rows[2])
    bad[header.index("event_date")] = "2024-13-45"
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows([rows[1], bad, rows[3]])
    return path


@pytest.mark.slow
def test_csv_batch_to_zip_reports_bad_row_and_keeps_good(tmp_path: Path, gen_data_dir: Path) -> None:
    seen: list[int] = []
    result = generate_batch("certificate", _rows_with_bad_one(tmp_path), "ru", "pdf", tmp_path / "certs.zip",
                            seen.append)
    assert [str(e) for e in result.errors] == [
        "row 3: event_date: Input should be a valid date or datetime, month value is outside expected range of 1-12"]
    assert result.total_rows == 3 and len(result.written) == 2 and sum(seen) == 3
    with zipfile.ZipFile(tmp_path / "certs.zip") as zf:
        names = zf.namelist()
        # named after whom each certificate is for, and its registration number (unique)
        assert [n.split("_MC-KRG-CRT-")[0] for n in names] == ["Жумабаева_А_С", "Ким_О_В"]
        assert all(re.fullmatch(r"[А-Яа-я]+_[А-Я]_[А-Я]_MC-KRG-CRT-\d{4}-\d{5}\.pdf", n) for n in names), names
        assert all(zf.read(n).startswith(b"%PDF") for n in names)


def test_xlsx_batch_to_folder_as_docx(tmp_path: Path, gen_data_dir: Path) -> None:
    rows = list(csv.reader(PARTICIPANTS.open(encoding="utf-8")))
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows[:4]:
        ws.append(r)
    ws.append([None] * len(rows[0]))  # empty rows are skipped
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    result = generate_batch("certificate", path, "ru", "docx", tmp_path / "out")
    assert result.ok and len(result.written) == 3
    assert sorted(p.name.split("_MC-KRG-")[0] for p in (tmp_path / "out").iterdir()) == [
        "Жумабаева_А_С", "Ким_О_В", "Мусин_Е_Т"]


def test_cli_bad_data_exits_2_naming_the_field(tmp_path: Path, gen_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = example_data("order", "ru")
    del data["head"]["position"]
    path = tmp_path / "order.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["generate", "order", "--data", str(path), "--format", "docx", "--out", str(tmp_path / "o.docx")])
    err = capsys.readouterr().err
    assert code == 2
    assert "head.position: Field required" in err and "Traceback" not in err
    assert not (tmp_path / "o.docx").exists()


def test_cli_unreadable_json_exits_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["generate", "order", "--data", str(path), "--out", str(tmp_path / "o.pdf")]) == 2
    assert "x.json is not valid JSON (line 1, column 2)" in capsys.readouterr().err


def test_cli_generates_docx_from_yaml(tmp_path: Path, gen_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import yaml

    data = example_data("order", "kk")
    path = tmp_path / "order.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "order.docx"
    assert main(["generate", "order", "--data", str(path), "--lang", "kk", "--format", "docx", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert "MC-KRG-ORD-2024-" in capsys.readouterr().out


@pytest.mark.slow
def test_cli_batch_exit_2_with_row_numbers(tmp_path: Path, gen_data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["generate", "certificate", "--rows", str(_rows_with_bad_one(tmp_path)), "--format", "docx",
                 "--out", str(tmp_path / "c.zip"), "--no-register"])
    captured = capsys.readouterr()
    assert code == 2
    assert "rows.csv: row 3: event_date:" in captured.err
    assert "2 of 3 documents written" in captured.out
    with zipfile.ZipFile(tmp_path / "c.zip") as zf:
        assert len(zf.namelist()) == 2
