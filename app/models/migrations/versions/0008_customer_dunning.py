"""a customer's dunning: its plan when not its segment's, and a "do not chase before" date with its reason;
the steps of the letters named as the dunning rules name them (the demo wrote "reminder_1", "reminder_2")

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customer') as batch:
        batch.add_column(sa.Column('dunning_plan', sa.String(length=20), server_default='', nullable=False))
        batch.add_column(sa.Column('dunning_hold_until', sa.Date(), nullable=True))
        batch.add_column(sa.Column('dunning_hold_reason', sa.String(length=200), server_default='', nullable=False))
    for old, new in (('reminder_1', 'first_reminder'), ('reminder_2', 'second_reminder')):
        op.execute(sa.text("UPDATE dunning_letter SET step = :new WHERE step = :old").bindparams(old=old, new=new))


def downgrade() -> None:
    with op.batch_alter_table('customer') as batch:
        for name in ('dunning_hold_reason', 'dunning_hold_until', 'dunning_plan'):
            batch.drop_column(name)
