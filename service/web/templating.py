"""Rendering pages: the Jinja2 environment (autoescape on for every template) and the context
every page gets — language, translations, formatting, the signed-in user, the CSRF token, the menu.

User-provided text is data: autoescape turns ``<script>`` and ``{{ 7*7 }}`` into literal text, and
templates never pass user text through ``|safe``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.generation.columns import column_title
from service.web import i18n
from service.web.forms import rebase
from verification.fields.level import EVENT_FORM_TITLES

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "flash", "nav_for", "render", "request_language", "templates"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

_NAV: dict[str, tuple[tuple[str, str], ...]] = {
    "secretary": (
        ("/documents", "nav.documents"),
        ("/batch", "nav.batch"),
        ("/registry", "nav.registry"),
        ("/reference", "nav.reference"),
        ("/check", "nav.check"),
    ),
    "teacher": (("/dossiers", "nav.dossiers"), ("/check", "nav.check")),
    "commission": (("/review", "nav.review"), ("/check", "nav.check")),
    "admin": (
        ("/documents", "nav.documents"),
        ("/registry", "nav.registry"),
        ("/reference", "nav.reference"),
        ("/review", "nav.review"),
        ("/admin/trust", "nav.trust"),
        ("/check", "nav.check"),
    ),
}


def nav_for(role: str | None) -> tuple[tuple[str, str], ...]:
    return _NAV.get(role or "", ())


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,  # every template, whatever its extension
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.globals["rebase"] = rebase
    return env


templates = Jinja2Templates(env=_environment())


@functools.cache
def _static_version() -> str:
    """Changes when a static file changes, so browsers never keep an old script."""
    newest = max((p.stat().st_mtime_ns for p in STATIC_DIR.iterdir() if p.is_file()), default=0)
    return format(newest % 0xFFFFFF, "x")


def static_url(name: str) -> str:
    return f"/static/{name}?v={_static_version()}"


def request_language(request: Request) -> str:
    return i18n.pick_language(
        request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language")
    )


def flash(request: Request, kind: str, text: str) -> None:
    """A one-time notice shown on the page being rendered for this request."""
    if not hasattr(request.state, "flashes"):
        request.state.flashes = []
    request.state.flashes.append((kind, text))


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    user: Any = None,
    organisation: Any = None,
    csrf_token: str = "",
    active: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the common context; ``user`` is the signed-in user (or None)."""
    lang = request_language(request)

    def t(key: str, **params: Any) -> str:
        return i18n.translate(lang, key, **params)

    flashes = list(getattr(request.state, "flashes", []))
    notice = request.query_params.get("notice")
    if notice and re.fullmatch(r"[a-z_]{1,40}", notice) and f"notice.{notice}" in i18n.catalog(lang):
        flashes.append(("ok", t(f"notice.{notice}")))  # only known notices: no text from the URL
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "t": t,
        "fmt_date": lambda v, short=False: i18n.format_date(v, lang, short=short),
        "fmt_datetime": lambda v: i18n.format_datetime(v, lang),
        "fmt_num": lambda v, decimals=None: i18n.format_number(v, lang, decimals=decimals),
        "fmt_size": lambda v: i18n.format_size(v, lang),
        "event_form": lambda form: EVENT_FORM_TITLES.get(str(form or ""), {}).get(lang, str(form or "")),
        "column_title": lambda field: column_title(str(field or ""), lang) or t("batch.whole_row"),
        "languages": list(i18n.LANGUAGE_LABELS.items()),
        "static_url": static_url,
        "user": user,
        "organisation": organisation,
        "csrf_token": csrf_token,
        "nav": nav_for(getattr(user, "role", None)),
        "active": active,
        "flashes": flashes,
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers.setdefault("Cache-Control", "no-store")
    return response
