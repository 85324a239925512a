"""Hostile row files for batch generation: `attest generate certificate --rows FILE --out x.zip`.

Each is refused with exit status 2 and a message naming the file and what to do, under the same
bounds as verification (1 GiB of address space, 60 s), and nothing is written: no ZIP, no partial
file, nothing in the working folder.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.hostile.make_corpus import BATCH_CORPUS, build_batch_corpus
from tests.hostile.test_verify_hostile import TIME_LIMIT_S, _limits, _tree

REPO = Path(__file__).resolve().parents[2]
HEADER = "participant,event_title,event_date\n"


def _xlsx_with_broken_sheet() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["participant", "event_title"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<row><c r='A9'><v>"  # cut mid-element
            z.writestr(info, data)
    return out.getvalue()


# name -> (bytes, the message after "attest: NAME: ")
EXTRA: dict[str, tuple[bytes, str]] = {
    "ten-thousand-and-one.csv": ((HEADER + "Иванова Анна,Семинар,2024-05-17\n" * 10_001).encode(),
                                 "more than 10,000 data rows; split the file into parts of at most 10,000 rows"),
    "long-cell.csv": ((HEADER + "A" * 50_000 + ",Семинар,2024-05-17\n").encode(),
                      "row 2, participant: the cell holds 50,000 characters; at most 10,000 are allowed"),
    "csv-limit-cell.csv": ((HEADER + "A" * 200_000 + ",x,y\n").encode(),
                           "not a readable CSV file (line 2: field larger than field limit (131072))"),
    "wide.csv": (("c," * 400 + "c\n" + "x\n").encode(), "401 columns; at most 300 are read"),
    "windows-1251.csv": ((HEADER + "Иванова Анна,Семинар,2024-05-17\n").encode("cp1251"),
                         "not UTF-8 text; save it from Excel as \"CSV UTF-8\""),
    "broken-sheet.xlsx": (_xlsx_with_broken_sheet(), "not a readable XLSX file ("),
}

BATCH_MESSAGES = {
    "bomb.xlsx": "unpacks to 1,024 MB (more than 100 MB): not a spreadsheet of rows, or a ZIP bomb",
    "not-a-zip.xlsx": "not a readable XLSX file: it is not a ZIP package (File is not a zip file); save it from "
                      "Excel or LibreOffice as .xlsx, or as CSV UTF-8",
    "million-rows.csv": "64 MB; a rows file may be at most 20 MB: split it",
    "huge-cell.csv": "50 MB; a rows file may be at most 20 MB: split it",
}


@pytest.fixture(scope="module")
def rows_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rows")
    build_batch_corpus(folder)
    for name, (data, _msg) in EXTRA.items():
        (folder / name).write_bytes(data)
    return folder


def test_messages_cover_the_batch_corpus() -> None:
    assert set(BATCH_MESSAGES) == set(BATCH_CORPUS)


@pytest.mark.parametrize("name", [*BATCH_MESSAGES, *EXTRA])
def test_hostile_rows_are_refused_and_nothing_is_written(name: str, rows_dir: Path, tmp_path: Path) -> None:
    message = BATCH_MESSAGES.get(name) or EXTRA[name][1]
    work, out = tmp_path / "cwd", tmp_path / "out"
    work.mkdir()
    out.mkdir()
    before = _tree(rows_dir)
    env = {**os.environ, "ATTEST_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "service", "generate", "certificate", "--rows", str(rows_dir / name),
                           "--out", str(out / "x.zip")], cwd=work, env=env, preexec_fn=_limits, capture_output=True,
                          timeout=TIME_LIMIT_S, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr[-2000:]
    assert "Traceback" not in stderr
    assert f"attest: {name}: {message}" in stderr, stderr
    assert list(out.iterdir()) == []  # neither x.zip nor a partial file
    assert list(work.iterdir()) == []
    assert _tree(rows_dir) == before
