"""stock, supplier payables and purchases typed in by the owner, for the working capital without a FEC

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = ("stock_cents", "supplier_payables_cents", "yearly_purchases_cents")


def upgrade() -> None:
    with op.batch_alter_table('company') as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('company') as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
