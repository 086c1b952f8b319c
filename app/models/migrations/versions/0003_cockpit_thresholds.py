"""the cockpit's target and alert thresholds on the company

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

COLUMNS = (("dso_target_days", "45"), ("margin_rate_bp", "2000"), ("alert_delay_growth_days", "10"),
           ("alert_concentration_pct", "50"), ("alert_prescription_days", "90"),
           ("insurer_declaration_days", "150"), ("alert_cover_expiry_days", "30"))


def upgrade() -> None:
    with op.batch_alter_table('company') as batch:
        for name, default in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), server_default=default, nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('company') as batch:
        for name, _default in reversed(COLUMNS):
            batch.drop_column(name)
