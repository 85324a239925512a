"""Errors on web pages as pages: the one error page of the web UI, and the decision who gets it.

The application's exception handlers (service/app.py) answer JSON, which is right for /api/v1 but not
for a person who followed a stale link or sent an expired form: :func:`page_for_error` gives them
:func:`error_page` instead. A page handler raises the service's errors and lets the handler render
them; it renders :func:`error_page` itself (through ``Page.error_page``) only to say something more
specific. A page guard raises :class:`SignInFirst` for an anonymous browser, which the application
answers with a redirect to /login.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse

from service.web import i18n
from service.web.templating import render, request_language

__all__ = ["SignInFirst", "error_page", "mark_page", "page_for_error"]

_KEYS = {401: "login.expired", 403: "error.forbidden", 404: "error.not_found", 405: "error.not_found"}


class SignInFirst(Exception):
    """A page that needs a signed-in user was asked for by nobody: answered with the login page,
    which comes back to this page afterwards."""

    def __init__(self, request: Request) -> None:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        self.url = f"/login?next={quote(target, safe='')}"
        super().__init__(self.url)


def mark_page(request: Request) -> None:
    """This request is for a page of the web UI: its errors are pages unless the client asks for JSON."""
    request.state.page = True


def error_page(request: Request, status_code: int, details: Any = None, message: str | None = None) -> HTMLResponse:
    """The page that says what went wrong in plain words, in the request's language, for the user
    signed in (if any). 401/403/404/405/5xx get the catalog's words (a 404 never says whether a thing
    exists); a refused CSRF token says the form has expired; another client error (409, 413, 415,
    422, 429) shows `message`, the error's own explanation, when one is given."""
    key = _KEYS.get(status_code, "error.internal")
    if status_code == 403 and isinstance(details, dict) and details.get("reason") == "csrf":
        key = "error.csrf"
    text = i18n.translate(request_language(request), key)
    if message and status_code not in _KEYS and status_code < 500:
        text = message
    principal = getattr(request.state, "principal", None)
    return render(request, "error.html", {"status": status_code, "message": text},
                  user=principal.user if principal else None,
                  organisation=principal.organisation if principal else None,
                  csrf_token=principal.session.csrf_token if principal else "",
                  status_code=status_code)


def page_for_error(request: Request, status_code: int, details: Any = None,
                   message: str | None = None) -> HTMLResponse | None:
    """:func:`error_page` for a browser's page request, or None for API calls and other clients.

    A page request: a browser's (it accepts text/html) for anything but /static/ and /api/ (but a
    page's upload form sent to the API without JavaScript gets a page); or a request to a page of the
    web UI (:func:`mark_page`) by a client that does not ask for JSON."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    if path.startswith("/static/"):
        return None
    if "text/html" in accept:
        if path.startswith("/api/") and not getattr(request.state, "browser_form", False):
            return None  # an API call
    elif not getattr(request.state, "page", False) or "json" in accept:
        return None
    return error_page(request, status_code, details, message)

