"""Who may do what: the one table of roles and their permissions, and :func:`authorize`.

Every guard asks here, none keeps a list of roles of its own: the API's dependencies
(:mod:`service.deps`: ``TeacherUser``, ``SecretaryUser``, ...), the upload fast path
(:mod:`service.dossier.intake`, on the role of its one SELECT row), the web's page guards
(:mod:`service.web.pages.common`: ``TeacherPage``, ``SecretaryPage``, ...) and the object rules of the
domains (``SEE_ALL``: which dossiers, files and jobs a principal may read).

The administrator issues documents and keeps reference data like a secretary, of every organisation;
reads every dossier, file and job (the API's ``/dossiers/{id}``, ``/files/{id}``, ``/jobs/{id}``; the
web's review pages); keeps accounts, the shared reference data and the audit log. An administrator
never acts for a teacher (create, upload, remove, submit) nor for the commission (its queue in the
API, the decision): ``tests/security/test_authz_matrix.py`` is the table of every endpoint's answer.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from service.accounts.models import Role
from service.errors import Forbidden, Unauthenticated

__all__ = ["GRANTS", "SIGN_IN_FIRST", "Permission", "authorize", "permits", "role_of", "roles_with"]

_W = TypeVar("_W")

SIGN_IN_FIRST = "Sign in first (your session is missing or has expired)."


class Permission(str, enum.Enum):
    """What a guard asks for; :data:`GRANTS` says which roles have it."""

    ISSUE = "issue"
    """Generate and register documents, run batches, read the registry, keep the organisation's reference data."""
    COMPILE = "compile"
    """Keep one's own dossiers: create, list, upload, remove a file, submit."""
    REVIEW = "review"
    """The commission's work: the submitted dossiers of its scope, their packages, the decision."""
    SEE_ALL = "see_all"
    """Read every dossier, file and job, and the registry entries of every organisation."""
    ADMINISTER = "administer"
    """Accounts, the shared reference data (rows of no organisation), the audit log."""


GRANTS: Mapping[Role, frozenset[Permission]] = {
    Role.TEACHER: frozenset({Permission.COMPILE}),
    Role.SECRETARY: frozenset({Permission.ISSUE}),
    Role.COMMISSION: frozenset({Permission.REVIEW}),
    Role.ADMIN: frozenset({Permission.ISSUE, Permission.SEE_ALL, Permission.ADMINISTER}),
}


def role_of(who: Any) -> Role | None:
    """The role of a principal, a user, a row with a ``role`` column, a role or its name; None for nobody."""
    if who is None:
        return None
    raw = who if isinstance(who, (str, Role)) else getattr(who, "role", None)
    try:
        return Role(raw)
    except ValueError:
        return None


def permits(who: Any, *permissions: Permission) -> bool:
    """Whether ``who`` (see :func:`role_of`) has one of ``permissions``."""
    role = role_of(who)
    return role is not None and not GRANTS[role].isdisjoint(permissions)


def roles_with(*permissions: Permission) -> list[str]:
    """The names of the roles that have one of ``permissions``, sorted."""
    return sorted(role.value for role, granted in GRANTS.items() if not granted.isdisjoint(permissions))


def authorize(who: _W | None, *permissions: Permission) -> _W:
    """Refuse nobody (401) and a role without one of ``permissions`` (403); give ``who`` back to
    everyone else (with no ``permissions``: to everyone signed in)."""
    if who is None:
        raise Unauthenticated(SIGN_IN_FIRST)
    if permissions and not permits(who, *permissions):
        role = role_of(who)
        raise Forbidden(f"this needs the role {' or '.join(roles_with(*permissions))}; "
                        f"you are signed in as {role.value if role else getattr(who, 'role', who)}")
    return who
