"""a dunning step taken outside Encours and recorded afterwards (DOMAIN.md, Dunning progression: the owner
records the reminders already sent so that the progression continues from there): marked on its letter's
record, so that the history and the letters say so; every letter written before this revision was printed by
Encours

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dunning_letter') as batch:
        batch.add_column(sa.Column('outside', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('dunning_letter') as batch:
        batch.drop_column('outside')
