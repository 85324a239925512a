"""Cross-cutting protections of the web application, installed by :func:`service.app.create_app`:

- security headers on every response (Content-Security-Policy, nosniff, frame-ancestors/X-Frame-Options,
  Referrer-Policy, Permissions-Policy, Cross-Origin-Opener-Policy); the policy allows scripts and styles
  only from this site's files, the API docs page included (Swagger UI served from a package, no CDN);
- personal data masking: an IIN (12 digits) becomes ``9001******23`` in every log record
  (:func:`install_log_masking`) and in audit entries (:func:`mask_pii`, called by ``service.audit``);
- a database that is down or restarting gives ``503 database_unavailable`` with a plain message instead of a
  500 (the next request reconnects: PostgreSQL engines use ``pool_pre_ping``); a number out of the
  database's range (an id of 2**70) or a text longer than its column gives 422 instead of a 500;
- partial uploads a killed web process left in the store's spool folder are deleted when the app starts.

    from service.hardening import install, mask_pii
    install(app)                       # once, in create_app
    mask_pii("ИИН 900101123456")       # 'ИИН 9001******56'
"""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "IIN_RE",
    "IINMaskingFilter",
    "SecurityHeadersMiddleware",
    "content_security_policy",
    "install",
    "install_api_docs",
    "install_log_masking",
    "mask_pii",
    "security_headers",
    "sweep_stale_spool",
]

IIN_RE = re.compile(r"(?<![0-9A-Za-z_-])(\d{4})\d{6}(\d{2})(?![0-9A-Za-z_-])")
"""An IIN/BIN: exactly 12 digits, not part of a longer token (hashes, ids and numbers are left alone)."""


def mask_pii(value: Any) -> Any:
    """The value with every IIN masked (``900101123456`` → ``9001******56``); dicts and lists recursively."""
    if isinstance(value, str):
        return IIN_RE.sub(r"\1******\2", value)
    if isinstance(value, dict):
        return {k: mask_pii(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_pii(v) for v in value)
    return value


class IINMaskingFilter(logging.Filter):
    """Masks IINs in a record's message and traceback text (attach to a handler or a logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _mask_record(record: logging.LogRecord) -> None:
    if getattr(record, "_attest_masked", False):
        return
    record._attest_masked = True  # type: ignore[attr-defined]
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001  (a broken format string: the handler reports it)
        return
    masked = mask_pii(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = mask_pii(text)
    elif record.exc_text:
        record.exc_text = mask_pii(record.exc_text)


_installed_factory: list[Any] = []


def install_log_masking() -> None:
    """Mask IINs in every log record of the process (a record factory: covers all loggers and handlers,
    including uvicorn's access log and handlers added later). Idempotent."""
    if _installed_factory:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed_factory.append(factory)


# ------------------------------------------------------------------ security headers

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""The policy of every response, the API docs page included: scripts and styles only from this site's files
(no inline script, handler or ``style`` attribute: the UI sets dynamic sizes through the CSSOM from
``app.js``), no plugins, no framing, forms only to this site."""


def content_security_policy() -> str:
    return CONTENT_SECURITY_POLICY


_STATIC_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


DOCS_PATH = "/api/v1/docs"


def security_headers() -> dict[str, str]:
    """The security headers of every response.

    The middleware adds them to every response that goes through the application; the last-resort 500
    handler (``service.app``) sets them itself, because starlette's ServerErrorMiddleware answers outside
    every middleware added with ``add_middleware``."""
    return {"content-security-policy": CONTENT_SECURITY_POLICY, **{k.decode(): v.decode() for k, v in _STATIC_HEADERS}}


class SecurityHeadersMiddleware:
    """Pure ASGI middleware (streaming-safe): adds the security headers a response does not set itself."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = [(k.encode(), v.encode()) for k, v in security_headers().items()]

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in wanted:
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ------------------------------------------------------------------ database outages


def _install_database_errors(app: Any) -> None:
    from fastapi import Request
    from fastapi.responses import JSONResponse
    from sqlalchemy.exc import DataError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    log = logging.getLogger("service.app")

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
        return JSONResponse(
            {"error": "database_unavailable",
             "message": "The database is not reachable right now; nothing was saved. Try again in a minute.",
             "details": None},
            status_code=503, headers={"Retry-After": "5"},
        )

    for exc_type in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(exc_type, _unavailable)

    async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # an id of 2**70 (SQLite: OverflowError; PostgreSQL: DataError) or a value longer than its column
        return JSONResponse(
            {"error": "bad_input", "message": "a number or a text in the request is out of range; check the ids "
             "and the length of the fields", "details": None},
            status_code=422,
        )

    for exc_type in (OverflowError, DataError):
        app.add_exception_handler(exc_type, _out_of_range)


def sweep_stale_spool(older_than_s: float | None = None) -> int:
    """Delete partial uploads a killed web process left in the local store's spool folder
    (``store/.incoming/.up-*`` not written to for `older_than_s`, default ``upload_spool_stale_s``);
    returns how many. Live uploads keep writing, so their files stay fresh and are left alone."""
    import time

    from service.settings import get_settings

    settings = get_settings()
    if settings.storage_backend != "local":
        return 0
    limit = settings.upload_spool_stale_s if older_than_s is None else older_than_s
    spool = settings.store_dir / ".incoming"
    removed = 0
    if spool.is_dir():
        now = time.time()
        for path in spool.glob(".up-*"):
            try:
                if now - path.stat().st_mtime > limit:
                    path.unlink()
                    removed += 1
            except OSError:  # taken by another process meanwhile
                continue
    if removed:
        logging.getLogger("service.app").warning("removed %d partial upload(s) left by a stopped process", removed)
    return removed


# ------------------------------------------------------------------ API docs without a CDN

_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{docs_path}/init.js"></script>
</body>
</html>
"""

_DOCS_INIT = """"use strict";
(function () {
  var box = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: box.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
"""


def install_api_docs(app: Any, docs_path: str = DOCS_PATH) -> None:
    """The OpenAPI docs page (Swagger UI) served from the ``swagger-ui-bundle-v2`` package instead of a CDN:
    it works in an office without internet, and with no inline script it runs under the pages' policy."""
    from html import escape

    from fastapi.responses import HTMLResponse, Response
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    assets = f"{docs_path}/assets"
    page = _DOCS_PAGE.format(title=escape(app.title), assets=assets, docs_path=docs_path,
                             openapi_url=escape(app.openapi_url or ""))

    async def docs() -> HTMLResponse:
        return HTMLResponse(page)

    async def init() -> Response:
        return Response(_DOCS_INIT, media_type="text/javascript")

    app.add_api_route(docs_path, docs, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route(f"{docs_path}/init.js", init, methods=["GET"], include_in_schema=False)
    app.mount(assets, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")


def install(app: Any) -> None:
    """Security headers, IIN masking in logs, 503 for database outages, partial uploads of a killed
    process swept away, the API docs page without a CDN."""
    install_log_masking()
    sweep_stale_spool()
    _install_database_errors(app)
    install_api_docs(app)
    app.add_middleware(SecurityHeadersMiddleware)
