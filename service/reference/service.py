"""The secretary's reference data: list, add, change and delete rows of the organisation's regions,
districts, council members and events (shared rows only by an administrator), each change audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.accounts.models import Organisation
from service.accounts.permissions import Permission, permits
from service.accounts.service import Principal, get_organisation
from service.audit import service as audit
from service.errors import BadInput, Conflict, Forbidden, NotFound
from service.reference.models import CouncilMember, District, Event, Region

__all__ = [
    "LETTERHEAD_FIELDS",
    "REFERENCE_KINDS",
    "council_name",
    "create_reference",
    "delete_reference",
    "letterhead",
    "letterhead_values",
    "list_reference",
    "member_position",
    "update_letterhead",
    "update_reference",
]

REFERENCE_KINDS: dict[str, type] = {
    "regions": Region,
    "districts": District,
    "council-members": CouncilMember,
    "events": Event,
}
"""URL segment → table. Rows with organisation_id NULL are shared (e.g. the 20 regions of Kazakhstan)."""



def _model(kind: str) -> type:
    try:
        return REFERENCE_KINDS[kind]
    except KeyError:
        raise NotFound(f"no reference list {kind!r}; use one of {', '.join(REFERENCE_KINDS)}") from None


def list_reference(db: Session, kind: str, organisation_id: int) -> list[Any]:
    model: Any = _model(kind)
    q = select(model).where(or_(model.organisation_id.is_(None), model.organisation_id == organisation_id))
    return list(db.scalars(q.order_by(model.id)))


def _check_refs(db: Session, model: Any, values: dict[str, Any], organisation_id: int) -> None:
    for field, target in (("region_id", Region), ("district_id", District)):
        ref = values.get(field)
        if ref is None or not hasattr(model, field):
            continue
        row: Any = db.get(target, ref)
        if row is None or row.organisation_id not in (None, organisation_id):
            raise BadInput(f"{field}: no such {target.__name__.lower()} {ref}", details={"field": field})


def _can_edit(principal: Principal) -> None:
    if not permits(principal, Permission.ISSUE):
        raise Forbidden("only a council secretary or an administrator can change reference data")


def create_reference(db: Session, principal: Principal, kind: str, values: dict[str, Any]) -> Any:
    _can_edit(principal)
    model: Any = _model(kind)
    _check_refs(db, model, values, principal.organisation_id)
    row = model(organisation_id=principal.organisation_id, **values)
    db.add(row)
    db.flush()
    audit.record(db, "reference.create", actor=principal.user, object_type=kind, object_id=row.id)
    return row


def _own_row(db: Session, principal: Principal, kind: str, row_id: int) -> Any:
    model: Any = _model(kind)
    row = db.get(model, row_id)
    if row is None or row.organisation_id not in (None, principal.organisation_id):
        raise NotFound(f"no such entry in {kind}")
    if row.organisation_id is None and not permits(principal, Permission.ADMINISTER):
        raise Forbidden("shared reference data can be changed only by an administrator")
    return row


def update_reference(db: Session, principal: Principal, kind: str, row_id: int, values: dict[str, Any]) -> Any:
    _can_edit(principal)
    row = _own_row(db, principal, kind, row_id)
    _check_refs(db, type(row), values, principal.organisation_id)
    for key, value in values.items():
        setattr(row, key, value)
    audit.record(db, "reference.update", actor=principal.user, object_type=kind, object_id=row.id)
    return row


def delete_reference(db: Session, principal: Principal, kind: str, row_id: int) -> None:
    _can_edit(principal)
    row = _own_row(db, principal, kind, row_id)
    db.delete(row)
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict(f"this entry of {kind} is still used elsewhere") from exc
    audit.record(db, "reference.delete", actor=principal.user, object_type=kind, object_id=row_id)


# ------------------------------------------------------------------ the organisation's letterhead

LETTERHEAD_FIELDS = ("name_ru", "name_kk", "parent_ru", "parent_kk", "address_ru", "address_kk", "city_ru",
                     "city_kk", "council_ru", "council_kk")
"""What the secretary edits of the own organisation; ``name_ru`` is the organisation's ``name``."""


def _in(org: Organisation, field: str, lang: str) -> str:
    """The organisation's ``field`` in ``lang``; an empty Kazakh value is the Russian one."""
    ru = (org.name if field == "name" else getattr(org, f"{field}_ru", "")) or ""
    if lang == "kk":
        return (getattr(org, f"{field}_kk", "") or "").strip() or ru.strip()
    return ru.strip()


def letterhead(org: Organisation, lang: str) -> dict[str, str | None]:
    """The ``organization`` block of a document issued by ``org`` in ``lang`` (ru or kk): code, name,
    higher authority, address and city. An empty field is None (the document leaves its line out)."""
    return {
        "code": org.code,
        "name": _in(org, "name", lang),
        "parent": _in(org, "parent", lang) or None,
        "address": _in(org, "address", lang) or None,
        "city": _in(org, "city", lang) or None,
    }


def council_name(org: Organisation, lang: str) -> str:
    """The name of ``org``'s methodological council in ``lang`` («Методического совета …»), or ''."""
    return _in(org, "council", lang)


def member_position(member: CouncilMember, lang: str) -> str:
    """A council member's position in ``lang`` (the Russian one where no Kazakh one is given)."""
    if lang == "kk" and (member.position_kk or "").strip():
        return member.position_kk.strip()
    return (member.position or "").strip()


def letterhead_values(org: Organisation) -> dict[str, str]:
    """The letterhead's fields as the reference page's form shows them."""
    return {f: (org.name if f == "name_ru" else getattr(org, f)) or "" for f in LETTERHEAD_FIELDS}


def update_letterhead(db: Session, principal: Principal, values: dict[str, Any]) -> Organisation:
    """Changes the letterhead of the principal's own organisation (never another's); audited."""
    _can_edit(principal)
    org = get_organisation(db, principal.organisation_id)
    for field in LETTERHEAD_FIELDS:
        if field in values:
            value = (values[field] or "").strip()
            if field == "name_ru":
                if not value:
                    raise BadInput("name_ru: the organisation's name cannot be empty", details={"field": "name_ru"})
                org.name = value
            else:
                setattr(org, field, value)
    db.flush()
    audit.record(db, "reference.update", actor=principal.user, object_type="organisation", object_id=org.id)
    return org
