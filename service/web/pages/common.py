"""What every page handler gets: the request, the database session, the signed-in principal (via
the service's own dependencies in :mod:`service.deps`), the language, and helpers to render, redirect
and turn a service error into a page a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from service.deps import OptionalUser, SessionDep, SettingsDep
from service.errors import AttestError
from service.settings import Settings
from service.web import i18n
from service.web.templating import render, request_language

__all__ = ["HOME_BY_ROLE", "Page", "PageDep"]

HOME_BY_ROLE = {
    "secretary": "/documents",
    "teacher": "/dossiers",
    "commission": "/review",
    "admin": "/registry",
}

_ERROR_KEYS = {401: "login.expired", 403: "error.forbidden", 404: "error.not_found"}


@dataclass
class Page:
    request: Request
    db: Session
    principal: Any  # service.accounts.service.Principal | None
    settings: Settings

    @property
    def lang(self) -> str:
        return request_language(self.request)

    @property
    def user(self) -> Any:
        return self.principal.user if self.principal else None

    @property
    def role(self) -> str | None:
        return self.principal.user.role if self.principal else None

    @property
    def csrf_token(self) -> str:
        if self.principal:
            return str(self.principal.session.csrf_token)
        return str(getattr(self.request.state, "login_csrf", ""))

    def t(self, key: str, **params: Any) -> str:
        return i18n.translate(self.lang, key, **params)

    def organisation(self) -> Any:
        if not self.principal:
            return None
        from service.accounts.service import get_organisation

        try:
            return get_organisation(self.db, self.principal.organisation_id)
        except AttestError:
            return None

    def render(
        self, name: str, context: dict[str, Any] | None = None, *, active: str | None = None, status_code: int = 200
    ) -> HTMLResponse:
        return render(
            self.request,
            name,
            context,
            user=self.user,
            organisation=self.organisation(),
            csrf_token=self.csrf_token,
            active=active,
            status_code=status_code,
        )

    def deny_unless(self, *roles: str) -> Response | None:
        """None when the signed-in user has one of ``roles``; else the login redirect or a 403 page."""
        if self.principal is None:
            target = self.request.url.path
            if self.request.url.query:
                target += "?" + self.request.url.query
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        if roles and self.role not in roles:
            return self.error_page(403)
        return None

    def error_page(self, status: int | AttestError, message: str | None = None) -> HTMLResponse:
        """A page that says what went wrong in plain words; a 404 never says whether a thing exists."""
        if isinstance(status, AttestError):
            exc = status
            status = exc.status_code
            if status not in _ERROR_KEYS and status < 500:
                message = message or exc.message
        self.db.rollback()
        text = message or self.t(_ERROR_KEYS.get(status, "error.internal"))
        return self.render("error.html", {"status": status, "message": text}, status_code=status)

    def redirect(self, url: str, notice: str | None = None) -> RedirectResponse:
        if notice:
            url += ("&" if "?" in url else "?") + f"notice={notice}"
        return RedirectResponse(url, status_code=303)


def _page(request: Request, db: SessionDep, principal: OptionalUser, settings: SettingsDep) -> Page:
    return Page(request=request, db=db, principal=principal, settings=settings)


PageDep = Annotated[Page, Depends(_page)]
