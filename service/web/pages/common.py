"""What every page handler gets: the request, the database session, the signed-in principal (via
the service's own dependencies in :mod:`service.deps`), the language, and helpers to render and
redirect; and the page guards, the pages' form of :func:`service.accounts.permissions.authorize`:

    @router.get("/dossiers")
    def dossiers(page: TeacherPage) -> Response: ...

An anonymous browser is sent to the login page (and back afterwards); a signed-in user whose role
lacks the permission gets the error page (403). A service error raised by a page handler becomes the
error page through the application's handler (:func:`service.web.errors.page_for_error`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from service.accounts.permissions import Permission, authorize
from service.deps import OptionalUser, SessionDep, SettingsDep
from service.errors import BadInput
from service.settings import Settings
from service.web import i18n
from service.web.errors import SignInFirst, error_page, mark_page
from service.web.templating import render, request_language

__all__ = ["HOME_BY_ROLE", "CommissionPage", "Page", "PageDep", "ReviewPage", "SecretaryPage", "TeacherPage"]

HOME_BY_ROLE = {
    "secretary": "/documents",
    "teacher": "/dossiers",
    "commission": "/review",
    "admin": "/registry",
}


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
        return self.principal.organisation if self.principal else None

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

    def error_page(self, status: int, message: str | None = None) -> HTMLResponse:
        """The error page (:func:`service.web.errors.error_page`) with words of the page's own, for an
        error the page handles itself; the request's changes are undone. Any other service error is
        simply raised."""
        self.db.rollback()
        return error_page(self.request, status, message=message)

    def refused_field(self, exc: BadInput, default: str) -> str:
        """The form field a refused input names (``details["field"]``), else ``default``, for a form
        shown again with the error next to that field; the request's changes are undone."""
        self.db.rollback()
        return str(exc.details.get("field", default)) if isinstance(exc.details, dict) else default

    def redirect(self, url: str, notice: str | None = None) -> RedirectResponse:
        if notice:
            url += ("&" if "?" in url else "?") + f"notice={notice}"
        return RedirectResponse(url, status_code=303)


def _page(request: Request, db: SessionDep, principal: OptionalUser, settings: SettingsDep) -> Page:
    mark_page(request)
    return Page(request=request, db=db, principal=principal, settings=settings)


PageDep = Annotated[Page, Depends(_page)]


def _guard(*permissions: Permission) -> Callable[[Page], Page]:
    def guard(page: PageDep) -> Page:
        if page.principal is None:
            raise SignInFirst(page.request)
        authorize(page.principal, *permissions)
        return page

    return guard


TeacherPage = Annotated[Page, Depends(_guard(Permission.COMPILE))]
"""A teacher's page: the teacher's own dossiers."""
SecretaryPage = Annotated[Page, Depends(_guard(Permission.ISSUE))]
"""The council secretary's pages (and the administrator's): documents, batches, registry, reference data."""
ReviewPage = Annotated[Page, Depends(_guard(Permission.REVIEW, Permission.SEE_ALL))]
"""Reading submitted dossiers: the commission's, and the administrator's, who reads every dossier."""
CommissionPage = Annotated[Page, Depends(_guard(Permission.REVIEW))]
"""What only the commission does: the decision."""
AdminPage = Annotated[Page, Depends(_guard(Permission.ADMINISTER))]
"""The administrator's pages: the trust store."""
