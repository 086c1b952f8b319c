"""invoices and payments keep what is settled of them and since when

The cockpit reads 1 000 000 invoices in a second only if it can skip the settled ones: each invoice and
payment now carries the sum of its allocations and the day it was settled in full, kept by
``services.settlement``; existing rows get theirs from their allocations here.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OPEN = sa.text("settled_on IS NULL")
SETTLED = sa.text("settled_on IS NOT NULL")


def upgrade() -> None:
    for table in ('invoice', 'payment'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('settled_cents', sa.BigInteger(), server_default='0', nullable=False))
            batch.add_column(sa.Column('settled_on', sa.Date(), nullable=True))
            if table == 'invoice':
                batch.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
    # the order of the columns lets a GROUP BY customer, due date, issue date, status stream from the index
    op.create_index('ix_invoice_open', 'invoice', ['customer_id', 'due_date', 'issue_date', 'status', 'kind',
                                                   'total_cents', 'settled_cents'],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    paid = sa.text("paid_on IS NOT NULL")
    op.create_index('ix_invoice_paid_on', 'invoice', ['paid_on'], sqlite_where=paid, postgresql_where=paid)
    op.create_index('ix_payment_open', 'payment', ['customer_id', 'received_on', 'amount_cents', 'settled_cents'],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_payment_settled_on', 'payment', ['settled_on'], sqlite_where=SETTLED,
                    postgresql_where=SETTLED)
    op.create_index('ix_allocation_allocated_on', 'allocation', ['allocated_on'])
    # the ledger's daily sums (services.ledger_history) read indexes rather than whole tables
    op.create_index('ix_invoice_issued', 'invoice', ['issue_date', 'status', 'total_cents'])
    lost = sa.text("status = 'written_off'")
    op.create_index('ix_invoice_written_off', 'invoice', ['id'], sqlite_where=lost, postgresql_where=lost)
    op.drop_index('ix_payment_received_on', table_name='payment')
    op.drop_index('ix_invoice_customer_status', table_name='invoice')  # its customer's first invoice, too
    op.drop_index('ix_invoice_due_date', table_name='invoice')  # open invoices are read from ix_invoice_open
    op.create_index('ix_invoice_customer', 'invoice', ['customer_id', 'issue_date', 'status'])
    op.create_index('ix_payment_received', 'payment', ['received_on', 'customer_id', 'amount_cents'])
    from app.models.settlement import resettle_statements

    for statement in resettle_statements():
        op.execute(statement)


def downgrade() -> None:
    op.drop_index('ix_invoice_customer', table_name='invoice')
    op.create_index('ix_invoice_due_date', 'invoice', ['due_date'])
    op.create_index('ix_invoice_customer_status', 'invoice', ['customer_id', 'status'])
    op.drop_index('ix_payment_received', table_name='payment')
    op.create_index('ix_payment_received_on', 'payment', ['received_on'])
    op.drop_index('ix_invoice_written_off', table_name='invoice')
    op.drop_index('ix_invoice_issued', table_name='invoice')
    for name, table in (('ix_allocation_allocated_on', 'allocation'), ('ix_payment_settled_on', 'payment'), ('ix_payment_open', 'payment'),
                        ('ix_invoice_settled_on', 'invoice'), ('ix_invoice_open', 'invoice')):
        op.drop_index(name, table_name=table)
    for table in ('payment', 'invoice'):
        with op.batch_alter_table(table) as batch:
            if table == 'invoice':
                batch.drop_column('paid_on')
            batch.drop_column('settled_on')
            batch.drop_column('settled_cents')
