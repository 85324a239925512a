"""/api/v1/users (admin): accounts."""

from __future__ import annotations

from fastapi import APIRouter

from service.accounts import service as accounts
from service.accounts.models import User
from service.accounts.schemas import OrganisationOut, UserCreate, UserOut
from service.deps import AdminUser, CurrentUser, SessionDep

__all__ = ["router"]

router = APIRouter(tags=["users"])


@router.get("/users", response_model=list[UserOut], summary="All accounts (admin)")
def list_users(db: SessionDep, admin: AdminUser) -> list[User]:
    return accounts.list_users(db)


@router.post("/users", response_model=UserOut, status_code=201, summary="Create an account (admin)")
def create_user(body: UserCreate, db: SessionDep, admin: AdminUser) -> User:
    user = accounts.create_user(db, actor=admin.user, **body.model_dump())
    db.commit()
    return user


@router.get("/organisations/mine", response_model=OrganisationOut, summary="The signed-in user's organisation")
def my_organisation(db: SessionDep, user: CurrentUser) -> object:
    return accounts.get_organisation(db, user.organisation_id)
