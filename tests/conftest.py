"""Shared fixtures: a fresh database file per test, and a small hand-made ledger whose figures the tests
compute by hand."""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models import Allocation, Company, Customer, Invoice, InvoiceKind, Payment, Segment  # noqa: E402
from app.models.db import open_database  # noqa: E402

TODAY = date(2026, 11, 23)


TEST_DATABASE_URL = os.environ.get("ENCOURS_TEST_DATABASE_URL")  # e.g. postgresql+psycopg://.../encours_test


def empty_server_database(url: str) -> None:
    """Drop every table of a server database so that each test starts from an empty schema."""
    from sqlalchemy import create_engine, text

    from app.models import Base

    engine = create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory):
    """An empty SQLite database migrated to the current schema once per run, made read-only: running the
    migrations takes a tenth of a second or more, a thousand tests open a database, so each gets a copy."""
    path = tmp_path_factory.mktemp("empty-template") / "empty.sqlite"
    open_database(str(path)).dispose()
    path.chmod(0o444)  # a test writing to the template instead of its copy fails loudly
    return path


def copied(template, target):
    """A database opened on a fresh copy of a template file at ``target`` (SQLite's backup API: a consistent
    copy whatever journal the template was left in); opening it finds its schema current."""
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return open_database(str(target))


@pytest.fixture
def db(request, tmp_path):
    """A new empty database: a SQLite file (a copy of the run's ``empty_template``), or the server named by
    ENCOURS_TEST_DATABASE_URL, emptied and migrated."""
    if TEST_DATABASE_URL:
        empty_server_database(TEST_DATABASE_URL)
        database = open_database(TEST_DATABASE_URL)
    else:
        database = copied(request.getfixturevalue("empty_template"), tmp_path / "encours.sqlite")
    yield database
    assert_settled_summaries_hold(database)
    database.dispose()


DEMO_SEED = 1


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo company (seed 1, on the tests' day) generated once per run into a SQLite file, made read-only:
    generating it takes seconds, so the tests that need it get copies of this file (``copied``) instead.
    Returns the file and the generation's summary."""
    from app.services.demo import create_demo_company

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    database = open_database(str(path))
    with database.transaction() as session:
        summary = create_demo_company(session, today=TODAY, seed=DEMO_SEED)
    database.dispose()
    path.chmod(0o444)  # a test writing to the template instead of its copy fails loudly
    return path, summary


@pytest.fixture
def demo_db(request, tmp_path):
    """The demo company in a database of the test's own, as ``db`` is: on SQLite a copy of the session's
    template (what the test writes, no other test sees); on the server named by ENCOURS_TEST_DATABASE_URL
    it is generated again in the emptied test database (a server database is not a file to copy)."""
    if TEST_DATABASE_URL:
        from app.services.demo import create_demo_company

        database = request.getfixturevalue("db")  # checks the settled summaries and disposes of it itself
        with database.transaction() as session:
            create_demo_company(session, today=TODAY, seed=DEMO_SEED)
        yield database
        return
    template, _ = request.getfixturevalue("demo_template")
    database = copied(template, tmp_path / "encours.sqlite")
    yield database
    assert_settled_summaries_hold(database)
    database.dispose()


STALE_SUMMARIES = """
SELECT (SELECT COUNT(*) FROM invoice i WHERE i.settled_cents != COALESCE((SELECT SUM(a.amount_cents) FROM allocation a
            WHERE a.invoice_id = i.id OR a.credit_note_id = i.id), 0)
        OR (i.settled_on IS NULL) != (i.total_cents != 0 AND i.settled_cents < ABS(i.total_cents))
        OR (i.paid_on IS NOT NULL AND i.paid_on != i.settled_on)
        OR (i.paid_on IS NULL AND i.kind = 'invoice' AND i.total_cents > 0 AND i.settled_on IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM allocation a JOIN payment p ON p.id = a.payment_id
                            WHERE a.invoice_id = i.id AND p.method = 'inconnu'))),
       (SELECT COUNT(*) FROM payment p WHERE p.settled_cents != COALESCE((SELECT SUM(a.amount_cents) FROM allocation a
            WHERE a.payment_id = p.id), 0) OR (p.settled_on IS NULL) != (p.settled_cents < p.amount_cents))
"""


def assert_settled_summaries_hold(database) -> None:
    """After every test: each invoice's and payment's settled summary agrees with its allocations, whatever
    path wrote them (imports, undo, demo, forms, fixtures)."""
    from sqlalchemy import inspect, text

    with database.engine.connect() as conn:
        if not inspect(conn).has_table("invoice"):
            return
        stale = conn.execute(text(STALE_SUMMARIES)).one()
    assert tuple(stale) == (0, 0), f"stale settled summaries: {tuple(stale)} invoices, payments"


def invoice(number, customer, issued, due, cents, kind=InvoiceKind.INVOICE, status="open"):
    return Invoice(number=number, customer=customer, issue_date=issued, due_date=due, net_cents=cents,
                   vat_cents=0, total_cents=cents, kind=kind.value, status=status)


@pytest.fixture
def ledger(db):
    """Two customers seen on 23/11/2026:
    - Garage Petit: F1 1 000,00 € due 30/11 (not due), F2 500,00 € due 13/11 (10 days late) of which
      200,00 € paid on 20/11, F3 300,00 € due 04/08 (111 days late), an unallocated credit note of
      -50,00 € issued 01/10 due 01/10 (53 days), F0 fully paid.
    - Boulangerie Martin: F4 2 000,00 € due 08/10 (46 days late) and an unallocated payment of 120,00 €
      received on 15/11 (8 days ago).
    """
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="732829320"))
        petit = Customer(name="Garage Petit", siren="732829320", code="C0001", segment=Segment.PRIVATE.value,
                         credit_limit_cents=150000)
        martin = Customer(name="Boulangerie Martin", code="C0002", segment=Segment.PRIVATE.value)
        f2 = invoice("F2", petit, date(2026, 10, 14), date(2026, 11, 13), 50000)
        f0 = invoice("F0", petit, date(2026, 6, 1), date(2026, 7, 1), 10000, status="paid")
        s.add_all([
            invoice("F1", petit, date(2026, 10, 31), date(2026, 11, 30), 100000), f2,
            invoice("F3", petit, date(2026, 7, 5), date(2026, 8, 4), 30000),
            invoice("AV1", petit, date(2026, 10, 1), date(2026, 10, 1), -5000, kind=InvoiceKind.CREDIT_NOTE),
            invoice("F4", martin, date(2026, 9, 8), date(2026, 10, 8), 200000), f0,
        ])
        p1 = Payment(customer=petit, received_on=date(2026, 11, 20), amount_cents=20000, reference="VIR F2")
        p0 = Payment(customer=petit, received_on=date(2026, 7, 2), amount_cents=10000, reference="VIR F0")
        s.add_all([p1, p0, Payment(customer=martin, received_on=date(2026, 11, 15), amount_cents=12000)])
        s.add_all([Allocation(invoice=f2, payment=p1, allocated_on=date(2026, 11, 20), amount_cents=20000),
                   Allocation(invoice=f0, payment=p0, allocated_on=date(2026, 7, 2), amount_cents=10000)])
    return db


@pytest.fixture
def impatient(db, monkeypatch):
    """The test database opened again with a 50 ms wait for another writer (instead of 10 s)."""
    from app.models import db as models_db

    monkeypatch.setattr(models_db, "BUSY_TIMEOUT_MS", 50)
    database = open_database(db.engine.url.render_as_string(hide_password=False))
    yield database
    database.dispose()


@contextmanager
def another_writer(database):
    """A second connection holding the database's write lock meanwhile: ``BEGIN IMMEDIATE`` on a SQLite file;
    on PostgreSQL every table locked against writes (reads go on)."""
    if database.engine.dialect.name == "sqlite":
        holder = sqlite3.connect(database.engine.url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    with database.engine.connect() as holder:
        from app.models import Base

        holder.exec_driver_sql(f"LOCK TABLE {', '.join(t.name for t in Base.metadata.sorted_tables)} IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()


ACTING = threading.local()


@pytest.fixture
def acting(db, monkeypatch):
    """``acting("alice")``: what this thread writes from now on is written by alice, as the history names its
    author: the PostgreSQL role on a server (created for the test, a member of the test's own role, set at the
    start of each transaction), else the operating-system user."""
    import getpass

    from sqlalchemy import event, text

    if db.engine.dialect.name == "postgresql":
        created = set()

        def as_role(conn) -> None:
            if getattr(ACTING, "user", None):
                conn.exec_driver_sql(f'SET LOCAL ROLE "{ACTING.user}"')

        event.listen(db.engine, "begin", as_role)

        def act(user: str) -> None:
            if user not in created:
                ACTING.user = None  # created by the test's own role, which may create roles
                with db.engine.begin() as conn:
                    conn.execute(text(f"""DO $$ BEGIN
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}')
                        THEN CREATE ROLE "{user}" IN ROLE "{db.engine.url.username}"; END IF; END $$"""))
                created.add(user)
            ACTING.user = user
    else:
        real = getpass.getuser
        monkeypatch.setattr(getpass, "getuser", lambda: getattr(ACTING, "user", None) or real())

        def act(user: str) -> None:
            ACTING.user = user

    yield act
    ACTING.__dict__.clear()


def chase_history(db) -> None:
    """The reminders the ledger's late payers already had (DunningLetter rows, as printed): Garage Petit's F3
    went through both reminders, the call and a formal notice on 24/10/2026 (its 8 days long expired: the
    litigation file is due); Boulangerie Martin's F4 had both reminders and the call on 07/11/2026 (the formal
    notice is due)."""
    from datetime import timedelta

    from sqlalchemy import select

    from app.models import DunningLetter

    with db.transaction() as s:
        for number, steps in (("F3", (("first_reminder", 60), ("second_reminder", 50), ("phone_call", 40),
                                      ("formal_notice", 30))),
                              ("F4", (("first_reminder", 36), ("second_reminder", 26), ("phone_call", 16)))):
            found = s.scalar(select(Invoice).where(Invoice.number == number))
            for step, ago in steps:
                s.add(DunningLetter(customer_id=found.customer_id, step=step, sent_on=TODAY - timedelta(days=ago),
                                    lines=[{"invoice_id": found.id, "number": number, "amount_due": found.total_cents}]))


@pytest.fixture
def chased(ledger):
    """The ledger with its late payers' reminders on record (``chase_history``)."""
    chase_history(ledger)
    return ledger
