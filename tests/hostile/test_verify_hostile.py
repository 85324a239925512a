"""Every hostile file through `attest verify --json` and through verify_bytes, under hard bounds.

Bounds (stated, enforced by the OS, not measured): each `attest verify` process runs under an
address-space limit of ``MEMORY_LIMIT`` (RLIMIT_AS; tesseract reads inside that process) and is killed after
``TIME_LIMIT_S``. Each outcome is exact: exit status 1, one report, the verdict and the check code
that explains the problem in plain words, no traceback, and nothing written anywhere but the data dir.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.make_corpus import CORPUS, build_corpus

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space per verifying process
TIME_LIMIT_S = 60  # per file
REPO = Path(__file__).resolve().parents[2]

# name -> (verdict, (check id, status, code) that must be among the checks).
EXPECTED: dict[str, tuple[str, tuple[str, str, str]]] = {
    "truncated.pdf": ("failed", ("file.readable", "fail", "file.unreadable")),
    "corrupt.pdf": ("needs_review", ("file.structure", "warn", "file.damaged")),
    "broken-xref.pdf": ("needs_review", ("file.structure", "warn", "file.damaged")),
    "encrypted-user-password.pdf": ("failed", ("file.readable", "fail", "file.encrypted")),
    # Readable without a password (only editing is restricted): checked like any PDF, no date on it.
    "encrypted-owner-only.pdf": ("needs_review", ("fields.date", "warn", "fields.date.missing")),
    "javascript-launch.pdf": ("needs_review", ("file.active_content", "warn", "file.active_content")),
    "deeply-nested.pdf": ("needs_review", ("fields.date", "warn", "fields.date.missing")),
    "cyclic.pdf": ("failed", ("file.readable", "fail", "file.unreadable")),
    "huge-object-stream.pdf": ("failed", ("file.readable", "fail", "file.too_large")),
    "object-stream-bomb.pdf": ("failed", ("file.readable", "fail", "file.too_large")),
    "ten-thousand-pages.pdf": ("failed", ("file.readable", "fail", "file.too_large")),
    "bomb.png": ("failed", ("file.readable", "fail", "file.too_large")),
    # pdfium decodes the image line by line while scaling it down: no text on it, nothing exhausted.
    "image-bomb.pdf": ("needs_review", ("scan.text", "warn", "scan.no_text")),
    "pdf-header-then-garbage.pdf": ("failed", ("file.readable", "fail", "file.unreadable")),
    "one-pixel.png": ("needs_review", ("scan.text", "warn", "scan.no_text")),
    "malformed-header.jpg": ("failed", ("file.readable", "fail", "file.unsupported")),
    "broken-segments.jpg": ("failed", ("file.readable", "fail", "file.unreadable")),
    "truncated.jpg": ("failed", ("file.readable", "fail", "file.unreadable")),
    "lying-header.tif": ("failed", ("file.readable", "fail", "file.too_large")),
    "polyglot.pdf": ("needs_review", ("file.trailing_data", "warn", "file.trailing_data")),
    "zero-bytes.pdf": ("failed", ("file.readable", "fail", "file.empty")),
    "../../etc/passwd.pdf": ("needs_review", ("fields.date", "warn", "fields.date.missing")),
    "con\x00trol\n\r\tchars.pdf": ("needs_review", ("fields.date", "warn", "fields.date.missing")),
}


FORMAT_WORDS = {"PDF", "JPG", "JPEG", "PNG", "TIFF", "HEIC", "CMS", "PKCS", "PEM", "CRL", "base64", "zip", "sig", "p7s",
                "cms", "dpi", "JavaScript", "Launch"}
"""Names written the same in every language: formats, the scan resolution's unit, PDF action types."""


def english_words(text: str) -> list[str]:
    """Latin words of three letters or more that are not a format's name (file names and media types aside)."""
    tokens = [t for t in re.split(r"[\s()«»,:;!?]+", text) if "/" not in t and "." not in t.strip(".")]
    return [w for t in tokens for w in re.findall(r"[A-Za-z]{3,}", t) if w not in FORMAT_WORDS]


def _disk_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in name).lstrip(".")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "ATTEST_DATA_DIR": str(data_dir), "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(REPO)}


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    build_corpus(folder)
    # The control characters are a real file name here (Linux forbids only NUL and "/").
    (folder / "con_trol_\n\r\tchars.pdf").write_bytes((folder / _disk_name("con\x00trol\n\r\tchars.pdf")).read_bytes())
    return folder


def test_expectations_cover_the_whole_corpus() -> None:
    assert set(EXPECTED) == set(CORPUS)


def _assert_report(report: dict, name: str) -> None:
    verdict, (check_id, status, code) = EXPECTED[name]
    assert report["verdict"] == verdict, (name, report["checks"])
    checks = {(c["id"], c["status"], c["code"]): c for c in report["checks"]}
    assert (check_id, status, code) in checks, (name, list(checks))
    message = checks[(check_id, status, code)]["messages"]
    for lang in ("ru", "kk", "en"):
        text = message[lang]
        assert len(text) > 20 and code not in text and "Traceback" not in text and "{" not in text, text
    for c in report["checks"]:  # what a ru or kk reader is told is in their language, the reason included
        if c["status"] != "pass":
            assert [english_words(c["messages"][lang]) for lang in ("ru", "kk")] == [[], []], (name, c["messages"])
    if verdict == "failed":
        assert report["signatures"] == [] and report["seals"] == []


@pytest.mark.parametrize("name", list(CORPUS), ids=_disk_name)
def test_attest_verify_cli(name: str, corpus: Path, tmp_path: Path) -> None:
    path = corpus / _disk_name(name)
    if "\n" in name:
        path = corpus / "con_trol_\n\r\tchars.pdf"
    work, data_dir = tmp_path / "cwd", tmp_path / "data"
    work.mkdir()
    before = _tree(corpus)
    proc = subprocess.run([sys.executable, "-m", "service", "verify", "--json", str(path)], cwd=work,
                          env=_env(data_dir), preexec_fn=_limits, capture_output=True, timeout=TIME_LIMIT_S,
                          check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, (name, proc.returncode, stderr[-2000:])
    assert "Traceback" not in stderr, stderr[-2000:]
    reports = json.loads(proc.stdout)
    assert len(reports) == 1
    assert reports[0]["file"] == path.name
    _assert_report(reports[0], name)
    assert _tree(corpus) == before  # the input folder is untouched
    assert list(work.iterdir()) == []  # nothing written where the command ran


_IN_PROCESS = r"""
import faulthandler, json, sys
from pathlib import Path
from verification.pipeline import verify_bytes
names = json.loads(sys.argv[2])
for name, disk in names:
    faulthandler.dump_traceback_later(int(sys.argv[3]), exit=True)  # a hang kills the process, loudly
    report = verify_bytes((Path(sys.argv[1]) / disk).read_bytes(), name)
    faulthandler.cancel_dump_traceback_later()
    print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
"""


def test_verify_bytes_survives_the_whole_corpus_in_one_process(corpus: Path, tmp_path: Path) -> None:
    """One process takes every file in turn (the worker's situation): each gives a report, none kills it."""
    names = [(n, _disk_name(n)) for n in CORPUS]
    proc = subprocess.run([sys.executable, "-c", _IN_PROCESS, str(corpus), json.dumps(names), str(TIME_LIMIT_S)],
                          cwd=tmp_path, env=_env(tmp_path / "data"), preexec_fn=_limits, capture_output=True,
                          timeout=TIME_LIMIT_S * 4, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    reports = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["file"] for r in reports] == list(CORPUS)
    for name, report in zip(CORPUS, reports, strict=True):
        _assert_report(report, name)
