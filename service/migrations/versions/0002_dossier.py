"""dossier (dossier issue): evidence ledger for counted documents

Revision ID: 0002_dossier
Revises: '0001_registry'
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_dossier"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_evidence",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dossier_id", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(60), nullable=False),
        sa.Column("teacher_name", sa.String(300), nullable=False),
        sa.Column("teacher_iin", sa.String(12), nullable=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("page_phashes", sa.JSON(), nullable=False),
        sa.Column("number", sa.String(100), nullable=True),
        sa.Column("doc_date", sa.String(10), nullable=True),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_evidence")),
        sa.UniqueConstraint("dossier_id", "sha256", name="uq_dossier_evidence_dossier_sha256"),
    )
    with op.batch_alter_table("dossier_evidence") as batch:
        batch.create_index(batch.f("ix_dossier_evidence_dossier_id"), ["dossier_id"])
        batch.create_index(batch.f("ix_dossier_evidence_teacher_iin"), ["teacher_iin"])
        batch.create_index(batch.f("ix_dossier_evidence_sha256"), ["sha256"])
        batch.create_index(batch.f("ix_dossier_evidence_pages"), ["pages"])


def downgrade() -> None:
    with op.batch_alter_table("dossier_evidence") as batch:
        batch.drop_index(batch.f("ix_dossier_evidence_pages"))
        batch.drop_index(batch.f("ix_dossier_evidence_sha256"))
        batch.drop_index(batch.f("ix_dossier_evidence_teacher_iin"))
        batch.drop_index(batch.f("ix_dossier_evidence_dossier_id"))
    op.drop_table("dossier_evidence")
