"""interest rates by half-year entered by the user (the penalties' rates beyond the shipped table)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'interest_rate',
        sa.Column('half_year', sa.Date(), nullable=False),
        sa.Column('ecb_bp', sa.Integer(), nullable=False),
        sa.Column('legal_other_bp', sa.Integer(), nullable=False),
        sa.Column('legal_private_bp', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_rate')),
        sa.UniqueConstraint('half_year', name=op.f('uq_interest_rate_half_year')),
    )


def downgrade() -> None:
    op.drop_table('interest_rate')
