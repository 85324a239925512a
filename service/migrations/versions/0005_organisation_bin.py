"""an organisation's BIN (issue 15): the 12-digit business identification number the signing page
passes to NCALayer (signerParams.bin) and the signer rules compare a certificate's OU «BIN…» with

Revision ID: 0005_organisation_bin
Revises: 0004_letterheads

0003 creates its tables from the models as they are now, so on a fresh database the column already
exists: it is added only where it is missing (SQLite and PostgreSQL alike).
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_organisation_bin"
down_revision = "0004_letterheads"
branch_labels = None
depends_on = None


def _existing() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("organisations")}


def upgrade() -> None:
    if "bin" not in _existing():
        op.add_column("organisations", sa.Column("bin", sa.String(12), nullable=False, server_default=""))


def downgrade() -> None:
    if "bin" in _existing():
        # ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of the table would trip
        # SQLite's foreign keys to organisations
        op.execute("ALTER TABLE organisations DROP COLUMN bin")
