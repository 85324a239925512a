"""/api/v1/reference/{regions|districts|council-members|events}: the organisation's reference data."""

from typing import Any

from fastapi import APIRouter

from service.accounts.service import get_organisation
from service.deps import CurrentUser, SecretaryUser, SessionDep
from service.reference import service as reference
from service.reference.schemas import (
    CouncilMemberIn,
    CouncilMemberOut,
    DistrictIn,
    DistrictOut,
    EventIn,
    EventOut,
    LetterheadIn,
    LetterheadOut,
    RegionIn,
    RegionOut,
)

__all__ = ["router"]

router = APIRouter(prefix="/reference", tags=["reference data"])


@router.get("/organisation", response_model=LetterheadOut,
            summary="The own organisation's letterhead in Russian and Kazakh")
def get_letterhead(db: SessionDep, user: CurrentUser) -> Any:
    org = get_organisation(db, user.organisation_id)
    return {"code": org.code, **reference.letterhead_values(org)}


@router.put("/organisation", response_model=LetterheadOut,
            summary="Change the own organisation's letterhead (names, higher authority, address, city, council)")
def put_letterhead(body: LetterheadIn, db: SessionDep, user: SecretaryUser) -> Any:
    org = reference.update_letterhead(db, user, body.model_dump())
    db.commit()
    return {"code": org.code, **reference.letterhead_values(org)}


def _crud(kind: str, schema_in: Any, schema_out: Any) -> None:
    @router.get(f"/{kind}", response_model=list[schema_out], summary=f"List {kind} (shared and the organisation's)",
                name=f"list_{kind}")
    def list_rows(db: SessionDep, user: CurrentUser) -> list[Any]:
        return reference.list_reference(db, kind, user.organisation_id)

    @router.post(f"/{kind}", response_model=schema_out, status_code=201, summary=f"Add to {kind}",
                 name=f"create_{kind}")
    def create_row(body: schema_in, db: SessionDep, user: SecretaryUser) -> Any:  # type: ignore[valid-type]
        row = reference.create_reference(db, user, kind, body.model_dump())
        db.commit()
        return row

    @router.put(f"/{kind}/{{row_id}}", response_model=schema_out, summary=f"Change an entry of {kind}",
                name=f"update_{kind}")
    def update_row(row_id: int, body: schema_in, db: SessionDep, user: SecretaryUser) -> Any:  # type: ignore[valid-type]
        row = reference.update_reference(db, user, kind, row_id, body.model_dump())
        db.commit()
        return row

    @router.delete(f"/{kind}/{{row_id}}", status_code=204, summary=f"Delete an entry of {kind}",
                   name=f"delete_{kind}")
    def delete_row(row_id: int, db: SessionDep, user: SecretaryUser) -> None:
        reference.delete_reference(db, user, kind, row_id)
        db.commit()


_crud("regions", RegionIn, RegionOut)
_crud("districts", DistrictIn, DistrictOut)
_crud("council-members", CouncilMemberIn, CouncilMemberOut)
_crud("events", EventIn, EventOut)
