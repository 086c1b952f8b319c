"""every euro counted once: the history of events, a version on what people edit, the database refusing an
invoice or a payment settled beyond its amount, and one customer per code

Files written before this revision may hold invoices or payments allocated beyond their amount (the same money
counted twice, which this revision's rules now prevent): the most recent allocations beyond the amount are
taken back, each one recorded as an event, so that the money becomes unallocated again (« À rapprocher »)
rather than counted twice. Customers sharing a code (two imports at once) keep the first one's code; the
others get « -2 », « -3 »… added, also recorded.

Revision ID: 0012
Revises: 0011
"""
import getpass
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

VERSIONED = ('customer', 'invoice', 'payment', 'company', 'preference')
NOT_EMPTY = sa.text("code != ''")


def upgrade() -> None:
    op.create_table('event',
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('amount_cents', sa.BigInteger(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_event_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_event_invoice_id_invoice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_event_payment_id_payment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_customer', ['customer_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_payment_id'), ['payment_id'], unique=False)
    for table in VERSIONED:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    conn = op.get_bind()
    _take_back_what_exceeds(conn)
    _number_shared_codes(conn)
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_check_constraint('settled_within_total',
                                         'settled_cents >= 0 AND settled_cents <= abs(total_cents)')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_check_constraint('settled_within_amount', 'settled_cents >= 0 AND settled_cents <= amount_cents')
    op.create_index('uq_customer_code', 'customer', ['code'], unique=True, sqlite_where=NOT_EMPTY,
                    postgresql_where=NOT_EMPTY)


def _record(conn, kind, customer_id, text, invoice_id=None, payment_id=None, cents=None) -> None:
    conn.execute(sa.text("INSERT INTO event (at, \"user\", kind, customer_id, invoice_id, payment_id, amount_cents, text) "
                         "VALUES (:at, :user, :kind, :customer, :invoice, :payment, :cents, :text)"),
                 {"at": datetime.now().replace(microsecond=0), "user": _user(), "kind": kind, "customer": customer_id,
                  "invoice": invoice_id, "payment": payment_id, "cents": cents, "text": text})


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (a service account without one)
        return ""


def _euros(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", "\u202f") + f",{cents % 100:02d} €"


def _take_back_what_exceeds(conn) -> None:
    """The allocations beyond the amount of their invoice, credit note or payment, latest first, are reduced
    or deleted; the summaries of what they touched are computed again (as app.models.settlement does)."""
    sides = (
        ("invoice_id", "SELECT id, abs(total_cents) AS amount, customer_id, number AS name FROM invoice"),
        ("credit_note_id", "SELECT id, abs(total_cents) AS amount, customer_id, number AS name FROM invoice"),
        ("payment_id", "SELECT id, amount_cents AS amount, customer_id, '' AS name FROM payment"),
    )
    touched_invoices, touched_payments = set(), set()
    for column, items in sides:
        over = conn.execute(sa.text(
            f"SELECT i.id, i.amount, i.customer_id, i.name, SUM(a.amount_cents) AS allocated FROM ({items}) i "
            f"JOIN allocation a ON a.{column} = i.id GROUP BY i.id, i.amount, i.customer_id, i.name "
            "HAVING SUM(a.amount_cents) > i.amount")).all()
        for item_id, amount, customer_id, name, allocated in over:
            excess = allocated - amount
            for allocation_id, cents, invoice_id, payment_id, note_id in conn.execute(sa.text(
                    f"SELECT id, amount_cents, invoice_id, payment_id, credit_note_id FROM allocation "
                    f"WHERE {column} = :item ORDER BY allocated_on DESC, id DESC"), {"item": item_id}).all():
                if excess <= 0:
                    break
                taken = min(cents, excess)
                if taken == cents:
                    conn.execute(sa.text("DELETE FROM allocation WHERE id = :id"), {"id": allocation_id})
                else:
                    conn.execute(sa.text("UPDATE allocation SET amount_cents = amount_cents - :taken WHERE id = :id"),
                                 {"taken": taken, "id": allocation_id})
                excess -= taken
                touched_invoices.update(i for i in (invoice_id, note_id) if i)
                if payment_id:
                    touched_payments.add(payment_id)
                what = f"la facture {name}" if column != "payment_id" else "un règlement"
                _record(conn, "unallocation", customer_id,
                        f"Mise à jour d'Encours : {_euros(taken)} imputés au-delà du montant de {what} (le même argent "
                        "compté deux fois) ont été retirés ; ils sont à nouveau à rapprocher.",
                        invoice_id=invoice_id, payment_id=payment_id, cents=taken)
    for invoice_id in touched_invoices:
        conn.execute(sa.text(
            "UPDATE invoice SET settled_cents = (SELECT coalesce(sum(a.amount_cents), 0) FROM allocation a "
            "WHERE a.invoice_id = invoice.id OR a.credit_note_id = invoice.id) WHERE id = :id"), {"id": invoice_id})
        conn.execute(sa.text(
            "UPDATE invoice SET settled_on = NULL, paid_on = NULL, "
            "status = CASE WHEN status = 'paid' THEN 'open' ELSE status END "
            "WHERE id = :id AND settled_cents < abs(total_cents)"), {"id": invoice_id})
    for payment_id in touched_payments:
        conn.execute(sa.text(
            "UPDATE payment SET settled_cents = (SELECT coalesce(sum(a.amount_cents), 0) FROM allocation a "
            "WHERE a.payment_id = payment.id) WHERE id = :id"), {"id": payment_id})
        conn.execute(sa.text("UPDATE payment SET settled_on = NULL WHERE id = :id AND settled_cents < amount_cents"),
                     {"id": payment_id})


def _number_shared_codes(conn) -> None:
    taken = {code for (code,) in conn.execute(sa.text("SELECT DISTINCT code FROM customer WHERE code != ''"))}
    seen = set()
    for customer_id, code in conn.execute(sa.text("SELECT id, code FROM customer WHERE code != '' ORDER BY id")).all():
        if code not in seen:
            seen.add(code)
            continue
        rank = 2
        while f"{code}-{rank}" in taken:
            rank += 1
        new = f"{code}-{rank}"
        taken.add(new)
        conn.execute(sa.text("UPDATE customer SET code = :new WHERE id = :id"), {"new": new, "id": customer_id})
        _record(conn, "edit", customer_id, f"Mise à jour d'Encours : le code client « {code} » était déjà celui d'un "
                                           f"autre client ; celui-ci devient « {new} ».")


def downgrade() -> None:
    op.drop_index('uq_customer_code', table_name='customer')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint('settled_within_amount', type_='check')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_constraint('settled_within_total', type_='check')
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
    op.drop_table('event')
