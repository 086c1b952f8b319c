"""two indexes for reading a large ledger: the IBANs each customer has paid from, in an index of the payments
that carry one (the matcher reads them for À rapprocher and every bank import: the query walked every payment,
0.9 s at 1 000 000 payments); and the open invoices' index holding their numbers too, so that the dashboard,
Relances and the matcher read the open invoices from the index alone (0.25 s → 0.1 s for 90 000 of them)

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

WITH_IBAN = sa.text("payer_iban != ''")
OPEN = sa.text("settled_on IS NULL")
OPEN_COLUMNS = ['customer_id', 'due_date', 'issue_date', 'status', 'kind', 'total_cents', 'settled_cents',
                'settled_on']


def upgrade() -> None:
    op.create_index('ix_payment_payer_iban', 'payment', ['customer_id', 'payer_iban'], sqlite_where=WITH_IBAN,
                    postgresql_where=WITH_IBAN)
    op.drop_index('ix_invoice_open', table_name='invoice')
    op.create_index('ix_invoice_open', 'invoice', [*OPEN_COLUMNS, 'number'], sqlite_where=OPEN,
                    postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_invoice_open', table_name='invoice')
    op.create_index('ix_invoice_open', 'invoice', OPEN_COLUMNS, sqlite_where=OPEN, postgresql_where=OPEN)
    op.drop_index('ix_payment_payer_iban', table_name='payment')
