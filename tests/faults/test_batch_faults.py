"""`attest generate certificate --rows … --out certs.zip` killed with SIGKILL midway, then run again.

After the kill: no certs.zip (only a hidden .partial file), no LibreOffice left running. After the
re-run: one complete certs.zip, no .partial, and the registry holds exactly one number per row: the
rows numbered by the killed run keep their numbers, no number is given twice, none is lost.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from samples import DATA_DIR

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
ROWS = 10


def _rows(path: Path) -> Path:
    rows = list(csv.reader((DATA_DIR / "participants.csv").open(encoding="utf-8")))
    header, template = rows[0], rows[1]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(ROWS):
            row = list(template)
            row[header.index("participant")] = f"Участникова Анна {i:02d}"
            row[header.index("number")] = f"С-2024/09{i:02d}"
            w.writerow(row)
    return path


def _query(db: Path, sql: str) -> list[tuple]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # not created yet, or busy for a moment
        return []


def _processes_under(folder: Path) -> list[int]:
    """Processes whose command line mentions ``folder`` (LibreOffice profiles live there)."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(folder).encode() in cmdline.read_bytes():
                stat = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()
                if stat[0] != "Z":
                    pids.append(int(cmdline.parent.name))
        except (OSError, IndexError):
            continue
    return pids


def test_killed_batch_leaves_no_half_file_and_rerun_keeps_one_number_per_row(tmp_path: Path) -> None:
    rows, out, tmp, data = _rows(tmp_path / "rows.csv"), tmp_path / "out", tmp_path / "tmp", tmp_path / "data"
    tmp.mkdir()
    db = data / "attest.db"
    env = {**os.environ, "ATTEST_DATA_DIR": str(data), "TMPDIR": str(tmp), "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "service", "generate", "certificate", "--rows", str(rows), "--format", "pdf",
           "--out", str(out / "certs.zip")]

    first = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and first.poll() is None:
            done = _query(db, "select count(*) from registry_files")
            if done and done[0][0] >= 3:
                break
            time.sleep(0.1)
        assert first.poll() is None, "the batch finished before it could be killed"
        first.kill()  # SIGKILL midway: no cleanup code runs
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)

    issued = _query(db, "select registration_number, status from registry_documents")
    assert 3 <= len(issued) < ROWS and {s for _n, s in issued} == {"issued"}
    assert not (out / "certs.zip").exists()
    assert [p.name for p in out.iterdir()] == [f".certs.zip.{first.pid}.partial"]
    deadline = time.monotonic() + 15  # the converter's watchdog takes LibreOffice down
    while _processes_under(tmp) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_under(tmp) == []

    second = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"{ROWS} of {ROWS} documents written" in second.stdout
    assert [p.name for p in out.iterdir()] == ["certs.zip"]  # the killed run's partial file is gone
    with zipfile.ZipFile(out / "certs.zip") as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert len(names) == ROWS and all(zf.read(n).startswith(b"%PDF") for n in names)
    docs = _query(db, "select registration_number, status, content_sha256 from registry_documents")
    assert len(docs) == ROWS  # the killed run's numbers were reused, no second number for any row
    assert len({n for n, _s, _c in docs}) == ROWS and len({c for _n, _s, c in docs}) == ROWS
    assert {s for _n, s, _c in docs} == {"issued"}
    printed = {name.split("_", 2)[2].rsplit(".", 2)[0] for name in names}  # row0002_certificate_<number>.ru.pdf
    assert printed == {n for n, _s, _c in docs}
    assert {n for n, _s in issued} <= printed
    files = _query(db, "select count(distinct document_id) from registry_files")
    assert files == [(ROWS,)]  # every number has its issued file's hash


@pytest.mark.parametrize("target", ["certs.zip", "certs"])
def test_interrupted_batch_leaves_only_whole_files(target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception midway (here Ctrl-C while rendering the 4th row): a ZIP is not left at all, a folder holds
    only whole documents, and no .partial file remains either way."""
    import service.generation.service as gen

    real = gen.render_docx

    def flaky(kind, lang, model, *args, **kwargs):  # type: ignore[no-untyped-def]
        if model.participant.endswith("03"):  # the 4th data row
            raise KeyboardInterrupt
        return real(kind, lang, model, *args, **kwargs)

    monkeypatch.setattr(gen, "render_docx", flaky)
    out = tmp_path / "out" / target
    with pytest.raises(KeyboardInterrupt):
        gen.generate_batch("certificate", _rows(tmp_path / "rows.csv"), "ru", "docx", out)
    if target.endswith(".zip"):
        assert list((tmp_path / "out").iterdir()) == []
    else:
        left = sorted(p.name for p in out.iterdir())
        assert len(left) == 3 and all(name.endswith(".ru.docx") for name in left)
        assert all(zipfile.is_zipfile(out / name) for name in left)  # each one whole
