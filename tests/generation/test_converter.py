"""The converter's supervision: a crashed or hung LibreOffice is killed, restarted, and the conversion retried."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from service.generation.converter import ConverterInstance
from service.generation.render import render_docx
from service.generation.schemas import example_data
from service.generation.service import validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx("certificate", "kk", validate("certificate", example_data("certificate", "kk")), "1", None)


def _alive(pgid: int) -> bool:
    """Any process of the group still running (zombies left to a non-reaping init do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def test_crash_restarts_and_converts(docx_bytes: bytes) -> None:
    inst = ConverterInstance("t-crash", timeout_s=20)
    try:
        assert inst.convert(docx_bytes).startswith(b"%PDF")
        old = inst.pid
        assert old is not None
        os.killpg(old, signal.SIGKILL)  # LibreOffice and unoserver die
        time.sleep(0.5)
        assert inst.convert(docx_bytes).startswith(b"%PDF")
        assert inst.restarts == 1 and inst.pid != old and inst.conversions == 2
    finally:
        inst.stop()


def test_hang_times_out_kills_group_and_retries(docx_bytes: bytes) -> None:
    inst = ConverterInstance("t-hang", timeout_s=3)
    try:
        inst.convert(docx_bytes)
        hung = inst.pid
        assert hung is not None
        os.killpg(hung, signal.SIGSTOP)  # frozen: answers nothing
        pdf = inst.convert(docx_bytes)
        assert pdf.startswith(b"%PDF")
        assert inst.restarts == 1 and not _alive(hung)
    finally:
        inst.stop()


def test_stop_kills_the_whole_process_group(docx_bytes: bytes) -> None:
    inst = ConverterInstance("t-stop", timeout_s=20)
    inst.convert(docx_bytes)
    pgid = inst.pid
    assert pgid is not None and _alive(pgid)
    inst.stop()
    assert not _alive(pgid)
