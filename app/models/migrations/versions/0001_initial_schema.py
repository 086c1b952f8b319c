"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 02:11:04.460103
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('siren', sa.String(length=14), nullable=False),
    sa.Column('vat_number', sa.String(length=20), nullable=False),
    sa.Column('iban', sa.String(length=40), nullable=False),
    sa.Column('bic', sa.String(length=11), nullable=False),
    sa.Column('logo_path', sa.String(length=500), nullable=False),
    sa.Column('penalty_clause', sa.Text(), nullable=False),
    sa.Column('tolerance_cents', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('terms_kind', sa.String(length=20), nullable=False),
    sa.Column('terms_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company'))
    )
    op.create_table('import_batch',
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('rejected_count', sa.Integer(), nullable=False),
    sa.Column('undo', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_file_hash'), ['file_hash'], unique=False)

    op.create_table('import_mapping',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('name', name=op.f('uq_import_mapping_name'))
    )
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_mapping_signature'), ['signature'], unique=False)

    op.create_table('customer',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('siren', sa.String(length=14), nullable=False),
    sa.Column('vat_number', sa.String(length=20), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('segment', sa.String(length=20), nullable=False),
    sa.Column('naf_code', sa.String(length=6), nullable=False),
    sa.Column('credit_limit_cents', sa.BigInteger(), nullable=True),
    sa.Column('external_rating', sa.String(length=20), nullable=False),
    sa.Column('salesperson', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('terms_kind', sa.String(length=20), nullable=False),
    sa.Column('terms_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_customer_import_batch_id_import_batch'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index('ix_customer_name', ['name'], unique=False)
        batch_op.create_index('ix_customer_siren', ['siren'], unique=False)

    op.create_table('fiscal_period',
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('sales_cents', sa.BigInteger(), nullable=False),
    sa.Column('purchases_cents', sa.BigInteger(), nullable=False),
    sa.Column('stocks_cents', sa.BigInteger(), nullable=False),
    sa.Column('suppliers_cents', sa.BigInteger(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_fiscal_period_import_batch_id_import_batch'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_period')),
    sa.UniqueConstraint('start', 'end', name=op.f('uq_fiscal_period_start_end'))
    )
    op.create_table('activity',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('happened_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('promised_on', sa.Date(), nullable=True),
    sa.Column('promised_cents', sa.BigInteger(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_activity_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_customer_id'), ['customer_id'], unique=False)

    op.create_table('dunning_letter',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('amount_due_cents', sa.BigInteger(), nullable=False),
    sa.Column('penalties_cents', sa.BigInteger(), nullable=False),
    sa.Column('indemnities_cents', sa.BigInteger(), nullable=False),
    sa.Column('rate_used', sa.String(length=12), nullable=False),
    sa.Column('registered_mail_number', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_dunning_letter_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dunning_letter'))
    )
    with op.batch_alter_table('dunning_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dunning_letter_customer_id'), ['customer_id'], unique=False)

    op.create_table('guarantee',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('guarantor', sa.String(length=200), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=True),
    sa.Column('percentage', sa.Integer(), nullable=True),
    sa.Column('grade', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('percentage >= 0 AND percentage <= 100', name=op.f('ck_guarantee_percentage_range')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_guarantee_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guarantee'))
    )
    with op.batch_alter_table('guarantee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantee_customer_id'), ['customer_id'], unique=False)

    op.create_table('invoice',
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('net_cents', sa.BigInteger(), nullable=False),
    sa.Column('vat_cents', sa.BigInteger(), nullable=False),
    sa.Column('total_cents', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('row_hash', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'invoice' AND total_cents >= 0) OR (kind = 'credit_note' AND total_cents <= 0)", name=op.f('ck_invoice_sign_by_kind')),
    sa.CheckConstraint('due_date >= issue_date', name=op.f('ck_invoice_due_after_issue')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_invoice_customer_id_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_invoice_import_batch_id_import_batch'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('number', name=op.f('uq_invoice_number'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index('ix_invoice_customer_status', ['customer_id', 'status'], unique=False)
        batch_op.create_index('ix_invoice_due_date', ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_row_hash'), ['row_hash'], unique=False)

    op.create_table('payment',
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('method', sa.String(length=30), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('payer_iban', sa.String(length=40), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('row_hash', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payment_positive')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_customer_id_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_payment_import_batch_id_import_batch'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_row_hash'), ['row_hash'], unique=False)

    op.create_table('allocation',
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('credit_note_id', sa.Integer(), nullable=True),
    sa.Column('allocated_on', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(payment_id IS NULL) != (credit_note_id IS NULL)', name=op.f('ck_allocation_one_source')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_allocation_positive')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['invoice.id'], name=op.f('fk_allocation_credit_note_id_invoice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_allocation_import_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_allocation_invoice_id_invoice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_allocation_payment_id_payment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation'))
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_credit_note_id'), ['credit_note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_payment_id'), ['payment_id'], unique=False)

    op.create_table('dispute',
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('assignee', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.String(length=30), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_dispute_invoice_id_invoice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute'))
    )
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_invoice_id'), ['invoice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_invoice_id'))

    op.drop_table('dispute')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_payment_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_credit_note_id'))

    op.drop_table('allocation')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_row_hash'))
        batch_op.drop_index(batch_op.f('ix_payment_received_on'))
        batch_op.drop_index(batch_op.f('ix_payment_customer_id'))

    op.drop_table('payment')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_row_hash'))
        batch_op.drop_index('ix_invoice_due_date')
        batch_op.drop_index('ix_invoice_customer_status')

    op.drop_table('invoice')
    with op.batch_alter_table('guarantee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantee_customer_id'))

    op.drop_table('guarantee')
    with op.batch_alter_table('dunning_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dunning_letter_customer_id'))

    op.drop_table('dunning_letter')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_customer_id'))

    op.drop_table('activity')
    op.drop_table('fiscal_period')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_siren')
        batch_op.drop_index('ix_customer_name')

    op.drop_table('customer')
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_mapping_signature'))

    op.drop_table('import_mapping')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_file_hash'))

    op.drop_table('import_batch')
    op.drop_table('company')
