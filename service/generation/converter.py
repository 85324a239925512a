"""DOCX → PDF through LibreOffice kept running (unoserver), supervised.

unoserver's server needs LibreOffice's ``uno`` module, which Debian ships for its own python3 only;
so each server runs under ``.venv-uno/bin/python`` (a venv of /usr/bin/python3 with system site
packages, beside the product's venv: the Makefile and the Dockerfile make both; elsewhere name it with
``ATTEST_CONVERTER_PYTHON``) and we talk to it over XML-RPC from the product's venv. Each instance:

- starts lazily on first use, on free local ports, with its own LibreOffice profile in a temp dir
  (two profiles cannot share one LibreOffice process);
- runs in its own process group, so that LibreOffice (a child of the server) dies with it: we kill
  the group on shutdown (atexit), on a crash and when a conversion hangs past the timeout;
- is restarted after a crash or hang and the conversion retried once;
- dies with the process that started it, even one killed with SIGKILL (no atexit then): the group's
  leader is a small watchdog that kills the group once its parent is gone, so a killed worker or
  ``attest generate`` leaves no LibreOffice running.

:class:`ConverterPool` holds several instances (two by default: this machine has two cores) and
hands each conversion to a free one; :func:`get_converter` returns the process-wide pool.
"""

from __future__ import annotations

import atexit
import http.client
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

from service.errors import ConversionFailed

__all__ = ["ConverterInstance", "ConverterPool", "get_converter", "shutdown_converter", "uno_python"]

log = logging.getLogger(__name__)

PDF_FILTER = "writer_pdf_Export"


def uno_python() -> str:
    """The interpreter that can import uno and unoserver: the setting (``ATTEST_CONVERTER_PYTHON``), then
    ``.venv-uno`` beside the running venv (``.venv`` and ``.venv-uno`` side by side), then Debian's python3."""
    from service.settings import get_settings

    configured = get_settings().converter_python
    if configured:
        return configured
    candidate = Path(sys.prefix).parent / ".venv-uno" / "bin" / "python"
    if candidate.exists():
        return str(candidate)
    return "/usr/bin/python3"


_WATCHDOG = """
import os, signal, subprocess, sys, time
parent, profile = int(sys.argv[1]), sys.argv[2]
child = subprocess.Popen(sys.argv[3:])
while child.poll() is None:
    if os.getppid() != parent:  # our starter died (even by SIGKILL): take LibreOffice down with us
        subprocess.Popen(["sh", "-c", 'sleep 2; rm -rf "$0"', profile], start_new_session=True)
        os.killpg(0, signal.SIGKILL)
    time.sleep(0.5)
sys.exit(child.returncode)
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):  # type: ignore[no-untyped-def]
        conn = super().make_connection(host)
        conn.timeout = self._timeout
        return conn


@dataclass(frozen=True)
class ConversionOptions:
    pdfa: bool = False


class ConverterInstance:
    """One supervised unoserver + LibreOffice pair."""

    def __init__(self, name: str = "lo0", *, timeout_s: float = 60.0, start_timeout_s: float = 60.0) -> None:
        self.name = name
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self._profile: Path | None = None
        self._port = 0
        self._lock = threading.Lock()
        self.restarts = 0
        self.conversions = 0
        self._started_before = False

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> None:
        if self.running:
            return
        if self._started_before:
            self.restarts += 1  # it crashed, hung or was stopped after a failure
        self.stop()
        if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
            raise ConversionFailed("LibreOffice is not installed (soffice not found); run `make setup`")
        self._profile = Path(tempfile.mkdtemp(prefix=f"attest-{self.name}-"))
        self._port = _free_port()
        uno_port = _free_port()
        while uno_port == self._port:
            uno_port = _free_port()
        cmd = [uno_python(), "-c", _WATCHDOG, str(os.getpid()), str(self._profile),
               uno_python(), "-m", "unoserver.server", "--interface", "127.0.0.1", "--port", str(self._port),
               "--uno-port", str(uno_port), "--user-installation", str(self._profile / "profile"),
               "--quiet"]
        log_path = self._profile / "unoserver.log"
        with open(log_path, "wb") as log_file:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                                          start_new_session=True)  # own process group: killed as one
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-800:]
                self.stop()
                raise ConversionFailed(f"LibreOffice converter {self.name} exited at start-up: {tail}")
            try:
                self._proxy(5.0).info()
                self._started_before = True
                log.info("converter %s ready on port %s (pid %s)", self.name, self._port, self._proc.pid)
                return
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                time.sleep(0.2)
        self.stop()
        raise ConversionFailed(f"LibreOffice converter {self.name} did not become ready in {self.start_timeout_s:.0f} s")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            # unoserver may ignore SIGTERM while LibreOffice is busy: kill the whole group outright
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                pass
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self._port}", allow_none=True,
                                         transport=_TimeoutTransport(timeout))

    # -- work -----------------------------------------------------------------------------------
    def _convert_once(self, docx: bytes, options: ConversionOptions) -> bytes:
        filter_options = ["EmbedStandardFonts=true"]
        if options.pdfa:
            filter_options += ["SelectPdfVersion=2", "UseTaggedPDF=true"]
        result = self._proxy(self.timeout_s).convert(
            None, xmlrpc.client.Binary(docx), None, "pdf", PDF_FILTER, filter_options, False, None, None
        )
        if result is None or not result.data.startswith(b"%PDF"):
            raise ConversionFailed("LibreOffice returned no PDF")
        return bytes(result.data)

    def convert(self, docx: bytes, options: ConversionOptions = ConversionOptions()) -> bytes:
        """DOCX bytes → PDF bytes. A crash or hang restarts LibreOffice and retries once."""
        with self._lock:
            last: Exception | None = None
            for attempt in (1, 2):
                try:
                    self.start()
                    pdf = self._convert_once(docx, options)
                    self.conversions += 1
                    return pdf
                except (OSError, xmlrpc.client.Error, http.client.HTTPException, ConversionFailed) as exc:
                    last = exc
                    log.warning("converter %s failed (attempt %d): %s; restarting", self.name, attempt, exc)
                    self.stop()
            raise ConversionFailed(f"PDF conversion failed after a restart of LibreOffice: {last}") from last


class ConverterPool:
    """Several converter instances; each conversion goes to a free one (blocking while all are busy)."""

    def __init__(self, size: int = 2, *, timeout_s: float = 60.0) -> None:
        self.instances = [ConverterInstance(f"lo{i}", timeout_s=timeout_s) for i in range(size)]
        self._free: queue.Queue[ConverterInstance] = queue.Queue()
        for inst in self.instances:
            self._free.put(inst)

    @property
    def size(self) -> int:
        return len(self.instances)

    def convert(self, docx: bytes, *, pdfa: bool = False) -> bytes:
        inst = self._free.get()
        try:
            return inst.convert(docx, ConversionOptions(pdfa=pdfa))
        finally:
            self._free.put(inst)

    def warm_up(self) -> None:
        """Start every instance now (in parallel) instead of on first use."""
        threads = [threading.Thread(target=i.start) for i in self.instances]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def shutdown(self) -> None:
        for inst in self.instances:
            inst.stop()


_POOL: ConverterPool | None = None
_POOL_LOCK = threading.Lock()


def get_converter() -> ConverterPool:
    """The process-wide converter pool (two LibreOffice instances), created on first use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            from service.settings import get_settings

            _POOL = ConverterPool(2, timeout_s=get_settings().converter_timeout_s)
            atexit.register(shutdown_converter)
        return _POOL


def shutdown_converter() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown()
            _POOL = None
