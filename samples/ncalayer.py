"""An NCALayer stand-in for the browser tests: a WebSocket server on loopback that speaks NCALayer's
JSON protocol and signs with the test PKI's keys (RSA through ``openssl cms``, GOST through OpenSSL's
GOST engine), since the real NCALayer is a desktop program that cannot run here.

What it speaks (as NCALayer 1.4 does, and as ncalayer-js-client expects):

* on connect: the greeting ``{"result": {"version": "1.4"}}``;
* ``{"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {"format": "cms", "data": BASE64,
  "signingParams": {"decode": true, "encapsulate": false, …}, "signerParams": {"iin": …, …}}}`` →
  ``{"status": true, "body": {"result": [CMS_BASE64]}}``; the user cancelling →
  ``{"status": true, "body": {}}``;
* ``{"module": "kz.gov.pki.knca.commonUtils", "method": "createCAdESFromBase64", "args": [STORAGE,
  KEY_TYPE, BASE64, ATTACH]}`` → ``{"code": "200", "responseObject": CMS_BASE64}``; cancel →
  ``{"code": "500", "message": "action.canceled"}``.

Behaviours for the journeys (:attr:`NCALayerDouble.mode`): ``sign``, ``cancel``, ``hang`` (never
answers: the page's timeout), ``other_bytes`` (a valid CMS over different bytes), ``no_basics`` (an
older NCALayer without the basics module: answers the basics call like commonUtils does for an unknown
module). Which key signs is :attr:`NCALayerDouble.signer` (a function from bytes to a DER CMS).
Requests are recorded in :attr:`NCALayerDouble.requests`. Plain ``ws://`` (TLS on loopback would need a
certificate the browser trusts; the page's address is a setting, ``ATTEST_NCALAYER_URL``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["NCALayerDouble"]

GREETING = {"result": {"version": "1.4"}}


class NCALayerDouble:
    def __init__(self, signer: Callable[[bytes], bytes]) -> None:
        self.signer = signer
        self.mode = "sign"
        self.requests: list[dict[str, Any]] = []
        self.port = _free_port()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Future[None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> NCALayerDouble:
        """Listen (again, on the same port after :meth:`stop`)."""
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name="ncalayer-double", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the NCALayer test server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = self._loop = self._stop = None

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        from websockets.asyncio.server import serve

        assert self._loop is not None
        self._stop = self._loop.create_future()
        async with serve(self._session, "127.0.0.1", self.port, max_size=64 * 1024 * 1024):
            self._ready.set()
            await self._stop

    async def _session(self, ws: Any) -> None:
        await ws.send(json.dumps(GREETING))
        async for raw in ws:
            try:
                request = json.loads(raw)
            except ValueError:
                continue
            self.requests.append(request)
            answer = await asyncio.get_running_loop().run_in_executor(None, self.answer, request)
            if answer is not None:
                await ws.send(json.dumps(answer))

    def answer(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """NCALayer's answer to one request (None: no answer at all)."""
        module, method = request.get("module"), request.get("method")
        if self.mode == "hang":
            return None
        if module == "kz.gov.pki.knca.basics" and method == "sign":
            if self.mode == "no_basics":
                return {"code": "500", "message": "Module kz.gov.pki.knca.basics is not available"}
            if self.mode == "cancel":
                return {"status": True, "body": {}}
            args = request.get("args") or {}
            data = str(args.get("data") or "")
            decode = (args.get("signingParams") or {}).get("decode") in (True, "true")
            return {"status": True, "body": {"result": [self._sign(data, decode)]}}
        if module == "kz.gov.pki.knca.commonUtils" and method in ("createCAdESFromBase64", "createCMSSignatureFromBase64"):
            if self.mode == "cancel":
                return {"code": "500", "message": "action.canceled"}
            args = request.get("args") or []
            return {"code": "200", "responseObject": self._sign(str(args[2]), True)}
        return {"code": "500", "message": f"unknown method {module}.{method}"}

    def _sign(self, data: str, decode: bool) -> str:
        content = base64.b64decode(data) if decode else data.encode()
        if self.mode == "other_bytes":
            content = b"some other document" + content[:64]
        return base64.b64encode(self.signer(content)).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
