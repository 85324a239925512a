"""registry (generation issue): document sequences and issued documents

Revision ID: 0001_registry
Revises: None
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_sequences",
        sa.Column("organization", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organization", "kind", "year", name="pk_registry_sequences"),
    )
    op.create_table(
        "registry_documents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("registration_number", sa.String(80), nullable=False),
        sa.Column("organization", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_documents"),
        sa.UniqueConstraint("registration_number", name="uq_registry_documents_registration_number"),
        sa.UniqueConstraint("organization", "kind", "year", "sequence", name="uq_registry_documents_seq"),
    )
    op.create_index("ix_registry_documents_organization", "registry_documents", ["organization"])
    op.create_table(
        "registry_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["registry_documents.id"], ondelete="CASCADE",
                                name="fk_registry_files_document_id_registry_documents"),
        sa.PrimaryKeyConstraint("id", name="pk_registry_files"),
        sa.UniqueConstraint("document_id", "sha256", name="uq_registry_files_document_sha"),
    )
    op.create_index("ix_registry_files_sha256", "registry_files", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_registry_files_sha256", table_name="registry_files")
    op.drop_table("registry_files")
    op.drop_index("ix_registry_documents_organization", table_name="registry_documents")
    op.drop_table("registry_documents")
    op.drop_table("registry_sequences")
