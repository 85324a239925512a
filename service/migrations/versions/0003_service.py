"""service (service issue): accounts, dossiers, uploads, jobs, audit

Revision ID: 0003_service
Revises: '0002_dossier'

The tables are created from the service's models as they are at this revision (the service's first
schema); later changes get their own revisions with explicit operations.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_service"
down_revision = "0002_dossier"
branch_labels = None
depends_on = None

# in creation order (foreign keys point backwards)
TABLES = (
    "regions",
    "organisations",
    "users",
    "user_sessions",
    "login_attempts",
    "districts",
    "council_members",
    "events",
    "dossiers",
    "files",
    "jobs",
    "audit_events",
)


def _tables() -> list[sa.Table]:
    import service.accounts.models
    import service.audit.models
    import service.dossier.models
    import service.jobs.models
    import service.uploads.models  # noqa: F401
    from service.db import Base

    return [Base.metadata.tables[name] for name in TABLES]


def upgrade() -> None:
    bind = op.get_bind()
    for table in _tables():
        table.create(bind=bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(_tables()):
        table.drop(bind=bind, checkfirst=True)
