"""dossier (dossier issue): evidence ledger for counted documents

Revision ID: 0002_dossier
Revises: '0001_registry'
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0002_dossier"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
