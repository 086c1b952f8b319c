"""cockpit indexes: the paid invoices' index covers the payment delays; the index of the allocations of
credit notes holds those only (partial), so that a planner with statistics still uses it

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PAID = sa.text("paid_on IS NOT NULL")
CREDIT_NOTE = sa.text("credit_note_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index('ix_invoice_paid_on', table_name='invoice')
    op.create_index('ix_invoice_paid_on', 'invoice', ['paid_on', 'customer_id', 'kind', 'total_cents', 'due_date'],
                    sqlite_where=PAID, postgresql_where=PAID)
    op.drop_index('ix_allocation_credit_note_id', table_name='allocation')
    op.create_index('ix_allocation_credit_note_id', 'allocation', ['credit_note_id'], sqlite_where=CREDIT_NOTE,
                    postgresql_where=CREDIT_NOTE)


def downgrade() -> None:
    op.drop_index('ix_allocation_credit_note_id', table_name='allocation')
    op.create_index('ix_allocation_credit_note_id', 'allocation', ['credit_note_id'])
    op.drop_index('ix_invoice_paid_on', table_name='invoice')
    op.create_index('ix_invoice_paid_on', 'invoice', ['paid_on'], sqlite_where=PAID, postgresql_where=PAID)
