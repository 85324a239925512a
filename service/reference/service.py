"""The secretary's reference data: list, add, change and delete rows of the organisation's regions,
districts, council members and events (shared rows only by an administrator), each change audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.accounts.permissions import Permission, permits
from service.accounts.service import Principal
from service.audit import service as audit
from service.errors import BadInput, Conflict, Forbidden, NotFound
from service.reference.models import CouncilMember, District, Event, Region

__all__ = ["REFERENCE_KINDS", "create_reference", "delete_reference", "list_reference", "update_reference"]

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
