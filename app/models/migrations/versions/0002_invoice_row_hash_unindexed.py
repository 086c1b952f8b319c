"""invoice.row_hash loses its index

An invoice is found again by its number, then its row hash is compared: the index was never used, and its
upkeep cost a quarter of the insert time of a 100 000-row import.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_invoice_row_hash', table_name='invoice')


def downgrade() -> None:
    op.create_index('ix_invoice_row_hash', 'invoice', ['row_hash'], unique=False)
