"""Errors on web pages as pages: the application's exception handlers (service/app.py) answer JSON,
which is right for /api/v1 but not for a person who followed a stale link or sent an expired form.

:func:`page_for_error` renders the same plain-language error page the page handlers use, for a
request that is not an API call and that a browser made (it accepts text/html); otherwise it
returns None and the JSON answer stands.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from service.web import i18n
from service.web.templating import render, request_language

__all__ = ["page_for_error"]

_KEYS = {401: "login.expired", 403: "error.forbidden", 404: "error.not_found", 405: "error.not_found"}


def page_for_error(request: Request, status_code: int, details: Any = None,
                   message: str | None = None) -> HTMLResponse | None:
    """An HTML error page for a browser's page request, or None for API calls and other clients.

    401/403/404/405/5xx get the catalog's words; another client error (409, 413, 415, 422, 429) shows
    `message`, the error's own explanation, when one is given."""
    path = request.url.path
    if "text/html" not in request.headers.get("accept", "") or path.startswith("/static/"):
        return None
    if path.startswith("/api/") and not getattr(request.state, "browser_form", False):
        return None  # an API call; but a page's upload form sent without JavaScript gets a page
    lang = request_language(request)
    key = _KEYS.get(status_code, "error.internal")
    if status_code == 403 and isinstance(details, dict) and details.get("reason") == "csrf":
        key = "error.csrf"
    text = i18n.translate(lang, key)
    if message and status_code not in _KEYS and status_code < 500:
        text = message
    return render(request, "error.html", {"status": status_code, "message": text}, status_code=status_code)
