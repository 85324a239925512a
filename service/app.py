"""The FastAPI application: REST API under /api/v1, the web UI (service.web) when installed, one
error format for everything, and the embedded in-process job worker.

    uvicorn service.app:create_app --factory
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.docs import install_api_docs
from service.db import OUT_OF_RANGE_ERRORS, UNAVAILABLE_ERRORS
from service.errors import AttestError
from service.http_security import SecurityHeadersMiddleware, security_headers
from service.pii import install_log_masking
from service.uploads.service import sweep_stale_spool
from service.web import i18n
from service.web.errors import SignInFirst, page_for_error
from service.web.templating import request_language

__all__ = ["create_app", "error_body"]

log = logging.getLogger(__name__)

_HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "bad_input",
               429: "too_many_requests"}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details}


def _html_page(request: Request, status_code: int, details: Any = None, message: str | None = None) -> Response | None:
    """The web UI's error page for a browser's page request (not /api/, Accept: text/html); None for
    API calls and other clients, which keep the JSON body."""
    try:
        return page_for_error(request, status_code, details, message)
    except Exception:  # a broken page must not hide the error: fall back to JSON
        log.exception("could not render the error page for %s", request.url.path)
        return None


def _messages(exc: AttestError) -> dict[str, str]:
    """The error's explanation for a person, from the web catalog in every language ({} without a key)."""
    if not exc.key:
        return {}
    return {lang: i18n.translate(lang, exc.key, **exc.params) for lang in i18n.LANGUAGES}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AttestError)
    async def _attest_error(request: Request, exc: AttestError) -> JSONResponse:
        headers = {}
        if exc.status_code == 429 and isinstance(exc.details, dict) and "retry_after_s" in exc.details:
            headers["Retry-After"] = str(exc.details["retry_after_s"])
        messages = _messages(exc)
        shown = messages.get(request_language(request), exc.message) if messages else exc.message
        page = _html_page(request, exc.status_code, exc.details, shown)
        if page is not None:
            page.headers.update(headers)
            return page
        from fastapi.encoders import jsonable_encoder  # details may hold datetimes (a job's view)

        body = jsonable_encoder(error_body(exc.code, exc.message, exc.details))
        if messages:
            body["messages"] = messages  # the same explanation in ru/kk/en, for the page that sent it
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",)), "problem": err.get("msg")}
            for err in exc.errors()
        ]
        fields = ", ".join(d["field"] for d in details if d["field"]) or "the request"
        return JSONResponse(error_body("bad_input", f"check {fields}", details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        page = _html_page(request, exc.status_code)
        if page is not None:
            page.headers.update(getattr(exc, "headers", None) or {})
            return page
        code = _HTTP_CODES.get(exc.status_code, "error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(SignInFirst)
    async def _sign_in_first(request: Request, exc: SignInFirst) -> Response:
        return RedirectResponse(exc.url, status_code=303)  # a page guard's answer to nobody: the login page

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Starlette's ServerErrorMiddleware calls this outside every other middleware, so the security
        # headers are set here; the body never holds the exception's text or a traceback.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        response = _html_page(request, 500)
        if response is None:
            response = JSONResponse(error_body("internal", "Something went wrong on the server; try again later."),
                                    status_code=500)
        for name, value in security_headers().items():
            response.headers.setdefault(name, value)
        return response


def _install_database_errors(app: FastAPI) -> None:
    """A database that is down or restarting gives ``503 database_unavailable`` with a plain message instead
    of a 500; a number out of the database's range or a text longer than its column gives 422."""

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
        return JSONResponse(
            error_body("database_unavailable",
                       "The database is not reachable right now; nothing was saved. Try again in a minute."),
            status_code=503, headers={"Retry-After": "5"},
        )

    for exc_type in UNAVAILABLE_ERRORS:
        app.add_exception_handler(exc_type, _unavailable)

    async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            error_body("bad_input", "a number or a text in the request is out of range; check the ids "
                       "and the length of the fields"),
            status_code=422,
        )

    for exc_type in OUT_OF_RANGE_ERRORS:
        app.add_exception_handler(exc_type, _out_of_range)


def _upload_route_first(app: FastAPI, api_router: Any) -> None:
    """A teacher's upload, the busiest request, goes straight to its endpoint: a plain Starlette route tried before
    the routers. FastAPI (0.150-0.165) matches an included router's routes again inside the router, with its own
    bookkeeping around each route; the upload endpoint reads the request itself and needs none of it (no
    dependencies, its own response). ``bench/load.py --db sqlite --jobs inprocess --no-worker``, three alternating
    pairs on 2026-12-07: web CPU 3.6-4.1 → 3.3 ms an upload, p95 331-363 → 290-316 ms. The API route stays (the
    API's description, the path's other methods), and the path is read from it, not written twice."""
    from starlette.routing import Route

    from service.dossier.endpoints import upload

    path = api_router.url_path_for("upload", dossier_id="{dossier_id}")

    async def upload_direct(request: Request) -> Response:
        return await upload(request.path_params["dossier_id"], request)

    app.router.routes.append(Route(path, upload_direct, methods=["POST"], name="upload_direct"))


def create_app(*, start_worker: bool | None = None) -> FastAPI:
    """Build the app. `start_worker` (default: when ATTEST_JOB_BACKEND=inprocess) runs the embedded worker."""
    import service.tasks  # noqa: F401  (every job kind, for the embedded worker and the jobs it starts)
    from service.settings import get_settings

    settings = get_settings()
    run_worker = settings.job_backend == "inprocess" if start_worker is None else start_worker

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import verification.pipeline  # noqa: F401  (the upload sniffer: imported now, not in a first request)
        from service.jobs.sweeper import Chores

        # partial files in this machine's spool folder, not written to for an hour (swept at start too)
        housekeeping: list[Any] = [sweep_stale_spool]
        if run_worker:
            from service.documents.signing import sweep_prepared
            from service.jobs import inprocess

            inprocess.start(settings.inprocess_workers, tasks_module="service.tasks",
                            processes=settings.inprocess_processes)
            housekeeping.append(sweep_prepared)  # PDFs of signings never finished, once a day old
        chores = Chores(housekeeping)
        chores.start()
        try:
            yield
        finally:
            chores.stop_event.set()
            if run_worker:
                from service.jobs import inprocess

                inprocess.stop()

    app = FastAPI(
        title="Attest",
        version="0.1.0",
        description="Teacher attestation documents: generate, verify, assemble, decide.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI from a package, no CDN: service.api.docs.install_api_docs
        redoc_url=None,
        lifespan=lifespan,
    )
    _install_error_handlers(app)
    install_log_masking()  # IINs masked in every log record of the process
    sweep_stale_spool()  # partial uploads a killed web process left in the store's spool folder
    _install_database_errors(app)  # 503 when the database is down, 422 for values out of its range
    install_api_docs(app)  # Swagger UI from a package, no CDN
    app.add_middleware(SecurityHeadersMiddleware)  # CSP and the other security headers on every response

    from service.api import api_router

    _upload_route_first(app, api_router)  # before the routers, with its path read from them
    app.include_router(api_router)  # with /api/v1/health (service.api.health)

    static_dir = Path(__file__).parent / "web" / "static"
    if static_dir.is_dir():
        from fastapi.staticfiles import StaticFiles

        app.mount("/static", StaticFiles(directory=static_dir), name="static")
    from service.web import router as web_router

    app.include_router(web_router)
    return app
