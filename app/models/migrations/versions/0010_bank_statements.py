"""bank statements: their lines (credits are payments too) and the balances they state

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_balance',
    sa.Column('account', sa.String(length=40), nullable=False),
    sa.Column('stated_on', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_bank_balance_import_batch_id_import_batch'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_balance')),
    sa.UniqueConstraint('account', 'stated_on', name=op.f('uq_bank_balance_account_stated_on'))
    )
    op.create_table('bank_line',
    sa.Column('account', sa.String(length=40), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('value_on', sa.Date(), nullable=True),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('counterparty', sa.String(length=200), nullable=False),
    sa.Column('iban', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_cents != 0', name=op.f('ck_bank_line_not_zero')),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_bank_line_import_batch_id_import_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_bank_line_payment_id_payment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_line'))
    )
    with op.batch_alter_table('bank_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_line_booked_on'), ['booked_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_line_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_line_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_line_row_hash'), ['row_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bank_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_line_row_hash'))
        batch_op.drop_index(batch_op.f('ix_bank_line_payment_id'))
        batch_op.drop_index(batch_op.f('ix_bank_line_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_bank_line_booked_on'))

    op.drop_table('bank_line')
    op.drop_table('bank_balance')
