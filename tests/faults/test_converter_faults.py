"""LibreOffice faults in the middle of a conversion, with the real converter (service/generation/converter.py).

kill -9 of the converter's process group while a document is being converted, or SIGSTOP (a hang):
the conversion in flight fails, LibreOffice is restarted and the same document is converted on the
retry. And the process that started LibreOffice dying by SIGKILL takes LibreOffice with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from service.generation.converter import ConverterInstance
from service.generation.render import render_docx
from service.generation.schemas import example_data
from service.generation.service import validate

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def long_docx() -> bytes:
    """A protocol with 200 attendees: long enough to convert that a fault lands mid-conversion."""
    data = example_data("protocol", "ru")
    person = data["attendees"][0]
    data["attendees"] = [{**person, "full_name": f"Участник {i:03d} Тестович"} for i in range(200)]
    return render_docx("protocol", "ru", validate("protocol", data), "7", None)


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _fault_mid_conversion(inst: ConverterInstance, docx: bytes, sig: int) -> tuple[bytes, int, int]:
    """Send ``sig`` to the group as the conversion request goes out; returns (pdf, attempts, old pgid).

    The signal is sent from inside the first attempt, right before the request: a timer could land
    after LibreOffice had already finished (an idle machine converts this document in under 0.3 s),
    which would test nothing.
    """
    inst.convert(docx)  # started and warm
    old = inst.pid
    assert old is not None
    attempts = 0
    original = inst._convert_once

    def spy(*args: Any) -> bytes:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            os.killpg(old, sig)
        return original(*args)

    inst._convert_once = spy  # type: ignore[method-assign]
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(pdf=inst.convert(docx)))
    worker.start()
    worker.join(120)
    assert not worker.is_alive()
    return result["pdf"], attempts, old


def test_kill_9_mid_conversion_restarts_and_converts_on_retry(long_docx: bytes) -> None:
    inst = ConverterInstance("fault-kill", timeout_s=60)
    try:
        pdf, attempts, old = _fault_mid_conversion(inst, long_docx, signal.SIGKILL)
        assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-64:]
        assert attempts == 2  # the request in flight failed, the retry converted
        assert inst.restarts == 1 and inst.pid != old and inst.conversions == 2
        assert not _group_alive(old)
    finally:
        inst.stop()


def test_sigstop_mid_conversion_times_out_kills_and_converts_on_retry(long_docx: bytes) -> None:
    inst = ConverterInstance("fault-stop", timeout_s=10)
    try:
        pdf, attempts, old = _fault_mid_conversion(inst, long_docx, signal.SIGSTOP)
        assert pdf.startswith(b"%PDF")
        assert attempts == 2
        assert inst.restarts == 1 and inst.pid != old
        assert not _group_alive(old)  # the frozen LibreOffice was killed, not left stopped
    finally:
        inst.stop()


_STARTER = r"""
import sys, time
from service.generation.converter import ConverterInstance
inst = ConverterInstance("fault-orphan", timeout_s=60)
inst.convert(sys.stdin.buffer.read())
print(inst.pid, flush=True)
time.sleep(120)
"""


def test_killed_starter_takes_libreoffice_with_it(long_docx: bytes, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", _STARTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=env, cwd=REPO)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(long_docx)
        proc.stdin.close()
        pgid = int(proc.stdout.readline())
        assert _group_alive(pgid)
        assert list(tmp_path.glob("attest-fault-orphan-*"))  # its LibreOffice profile
        proc.kill()  # SIGKILL: no atexit, no finally
        proc.wait(10)
        deadline = time.monotonic() + 15
        while (_group_alive(pgid) or list(tmp_path.glob("attest-fault-orphan-*"))) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(pgid)
        assert list(tmp_path.glob("attest-fault-orphan-*")) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
