"""preferences: the user's dunning plans and letter texts, over the defaults shipped in resources/

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'preference',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_preference')),
        sa.UniqueConstraint('key', name=op.f('uq_preference_key')),
    )


def downgrade() -> None:
    op.drop_table('preference')
