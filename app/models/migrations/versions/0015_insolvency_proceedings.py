"""a customer's collective proceedings (DOMAIN.md, Insolvency proceedings): the judgment, its publication, the
court, the mandataire and the declaration of claim; the company says whether its terms hold a retention of
title clause (the revendication's deadline) and how many days its credit insurer gives to be told of a
customer's proceedings

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'proceeding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('judgment_on', sa.Date(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('court', sa.String(length=200), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('mandataire_name', sa.String(length=200), nullable=False),
        sa.Column('mandataire_address', sa.Text(), nullable=False),
        sa.Column('mandataire_email', sa.String(length=200), nullable=False),
        sa.Column('abroad', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('plan_on', sa.Date(), nullable=True),
        sa.Column('converted_on', sa.Date(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('claim_sent_on', sa.Date(), nullable=True),
        sa.Column('claim_registered_number', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_proceeding_customer_id_customer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proceeding')),
    )
    op.create_index(op.f('ix_proceeding_customer_id'), 'proceeding', ['customer_id'])
    with op.batch_alter_table('company') as batch:
        batch.add_column(sa.Column('retention_of_title', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('insurer_insolvency_days', sa.Integer(), server_default='15', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('company') as batch:
        batch.drop_column('insurer_insolvency_days')
        batch.drop_column('retention_of_title')
    op.drop_index(op.f('ix_proceeding_customer_id'), table_name='proceeding')
    op.drop_table('proceeding')
