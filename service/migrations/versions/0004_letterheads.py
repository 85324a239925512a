"""letterheads in both languages (issue 14): an organisation's Kazakh name, higher authority, address,
city and council name in Russian and Kazakh; a council member's position in Kazakh

Revision ID: 0004_letterheads
Revises: 0003_service

0003 creates its tables from the models as they are now, so on a fresh database these columns already
exist: each is added only where it is missing (SQLite and PostgreSQL alike).
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_letterheads"
down_revision = "0003_service"
branch_labels = None
depends_on = None

COLUMNS = (
    ("organisations", "name_kk", 300),
    ("organisations", "parent_ru", 300),
    ("organisations", "parent_kk", 300),
    ("organisations", "address_ru", 300),
    ("organisations", "address_kk", 300),
    ("organisations", "city_ru", 100),
    ("organisations", "city_kk", 100),
    ("organisations", "council_ru", 300),
    ("organisations", "council_kk", 300),
    ("council_members", "position_kk", 300),
)


def _existing(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    for table, column, length in COLUMNS:
        if column not in _existing(table):
            op.add_column(table, sa.Column(column, sa.String(length), nullable=False, server_default=""))


def downgrade() -> None:
    for table, column, _ in reversed(COLUMNS):
        if column in _existing(table):
            with op.batch_alter_table(table) as batch:
                batch.drop_column(column)
