"""service (service issue): accounts, dossiers, uploads, jobs, audit

Revision ID: 0003_service
Revises: '0002_dossier'
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0003_service"
down_revision = "0002_dossier"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
