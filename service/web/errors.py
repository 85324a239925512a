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


def page_for_error(request: Request, status_code: int, details: Any = None) -> HTMLResponse | None:
    """An HTML error page for a browser's page request, or None for API calls and other clients."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or "text/html" not in request.headers.get("accept", ""):
        return None
    lang = request_language(request)
    key = _KEYS.get(status_code, "error.internal")
    if status_code == 403 and isinstance(details, dict) and details.get("reason") == "csrf":
        key = "error.csrf"
    return render(request, "error.html", {"status": status_code, "message": i18n.translate(lang, key)},
                  status_code=status_code)
