from contextlib import nullcontext
from datetime import date

import pytest
from sqlalchemy import event, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.models import Allocation, Customer, Invoice, Payment
from app.models.db import MIGRATIONS, SCHEMA_REVISION, current_revision, open_database


def test_migration_from_empty_creates_every_table(tmp_path):
    db = open_database(str(tmp_path / "new.sqlite"))
    tables = set(inspect(db.engine).get_table_names())
    assert {"company", "customer", "guarantee", "invoice", "payment", "allocation", "dispute", "activity",
            "dunning_letter", "import_batch", "alembic_version"} <= tables
    assert current_revision(db.engine) == SCHEMA_REVISION
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_schema_revision_is_the_migrations_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION


def test_a_file_at_another_revision_is_copied_aside_before_migrating(tmp_path):
    """A file marked with an unknown revision stands for an older schema. It is backed up (« avant mise à jour
    du schéma ») before Alembic is asked to upgrade it (Alembic then refuses the unknown revision)."""
    from alembic.util.exc import CommandError

    path = tmp_path / "old.sqlite"
    db = open_database(str(path))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'base0'"))
    db.dispose()
    with pytest.raises(CommandError, match="base0"):
        open_database(str(path))
    backups = list((tmp_path / "sauvegardes").glob("encours-*-schema.sqlite"))
    assert len(backups) == 1
    assert backups[0].stat().st_size == path.stat().st_size
    assert backups[0].with_suffix(".json").read_text("utf-8") == '{"reason": "avant mise à jour du schéma"}'


def test_duplicate_invoice_number_is_refused(ledger):
    with pytest.raises(IntegrityError):
        with ledger.transaction() as s:
            customer = s.scalars(select(Customer)).first()
            s.add(Invoice(number="F1", customer=customer, issue_date=date(2026, 1, 1), due_date=date(2026, 1, 31),
                          total_cents=100))
    with ledger.sessions() as s:
        assert s.scalar(select(Invoice).where(Invoice.number == "F1")).total_cents == 100000


def test_credit_note_sign_and_due_date_constraints(ledger):
    with ledger.sessions() as s:
        customer = s.scalars(select(Customer)).first()
        s.add(Invoice(number="AV9", kind="credit_note", customer=customer, issue_date=date(2026, 1, 1),
                      due_date=date(2026, 1, 1), total_cents=100))
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()
        s.add(Invoice(number="F9", customer=customer, issue_date=date(2026, 2, 1), due_date=date(2026, 1, 1),
                      total_cents=100))
        with pytest.raises(IntegrityError):
            s.flush()


def test_allocation_needs_exactly_one_source(ledger):
    with ledger.sessions() as s:
        invoice = s.scalar(select(Invoice).where(Invoice.number == "F1"))
        payment = s.scalars(select(Payment)).first()
        credit = s.scalar(select(Invoice).where(Invoice.number == "AV1"))
        s.add(Allocation(invoice=invoice, payment=payment, credit_note=credit, allocated_on=date(2026, 11, 1),
                         amount_cents=10))
        with pytest.raises(IntegrityError):
            s.flush()


def test_foreign_keys_are_enforced(ledger):
    with ledger.sessions() as s:
        s.add(Invoice(number="F99", customer_id=9999, issue_date=date(2026, 1, 1), due_date=date(2026, 1, 1),
                      total_cents=1))
        with pytest.raises(IntegrityError):
            s.flush()


def test_amounts_are_decimal_views_of_cents(ledger):
    from decimal import Decimal

    with ledger.sessions() as s:
        f1 = s.scalar(select(Invoice).where(Invoice.number == "F1"))
        assert f1.total == Decimal("1000.00")
        f1.total = Decimal("12.345")
        assert f1.total_cents == 1235
        assert s.scalar(select(Customer).where(Customer.code == "C0002")).credit_limit is None


def test_migrations_match_the_models(db):
    """A model change without its migration shows here (what ``alembic revision --autogenerate`` would write)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_insert_values_writes_dates_and_defaults_as_the_orm_reads_them(db):
    """The bulk path of the imports: rows as tuples, dates converted once each, the models' defaults added."""
    from app.models.db import insert_values, reserve_ids

    with db.transaction() as s:
        conn = s.connection()
        ids = reserve_ids(conn, Customer.__table__, 2)
        insert_values(conn, Customer.__table__, ["id", "name", "code"],
                      [(ids[0], "Alpha", "A"), (ids[1], "Bêta", "B")])
        invoice_ids = reserve_ids(conn, Invoice.__table__, 3)
        insert_values(conn, Invoice.__table__,
                      ["id", "number", "customer_id", "issue_date", "due_date", "total_cents", "settled_on"],
                      [(invoice_ids[0], "F1", ids[0], date(2026, 1, 31), date(2026, 3, 2), 12000, None),
                       (invoice_ids[1], "F2", ids[0], date(2026, 1, 31), date(2026, 3, 2), 500, None),
                       (invoice_ids[2], "F3", ids[1], date(2026, 2, 1), date(2026, 2, 1), 0, date(2026, 2, 1))])
    with db.sessions() as s:
        invoices = {i.number: i for i in s.scalars(select(Invoice))}
        assert invoices["F1"].issue_date == date(2026, 1, 31) and invoices["F1"].due_date == date(2026, 3, 2)
        assert invoices["F1"].settled_on is None and invoices["F3"].settled_on == date(2026, 2, 1)
        assert invoices["F2"].status == "open" and invoices["F2"].kind == "invoice"  # the models' defaults
        assert {c.name: c.segment for c in s.scalars(select(Customer))} == {"Alpha": "private", "Bêta": "private"}
        assert s.scalar(select(Invoice.id).where(Invoice.issue_date == date(2026, 2, 1))) == invoice_ids[2]


def _indexes(db) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoice' "
                                 "ORDER BY name")).all()


@pytest.mark.parametrize("fails", [False, True])
def test_a_load_bigger_than_its_table_builds_the_indexes_again_or_rolls_them_back(db, monkeypatch, fails):
    """A first import of a whole file builds the invoice indexes after its rows (faster than row by row):
    afterwards they are the same indexes, holding every row; an import failing after the load puts them
    back with the table as it was."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: other databases take the ordinary insert")
    import app.models.db as database
    from app.models.db import insert_values, reserve_ids

    monkeypatch.setattr(database, "BULK_LOAD", 3)
    before = _indexes(db)
    assert sum(1 for _name, sql in before if sql) >= 5  # the unique number's own index has none: it stays
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with pytest.raises(RuntimeError) if fails else nullcontext(), db.transaction() as s:
        conn = s.connection()
        customer = reserve_ids(conn, Customer.__table__, 1)[0]
        insert_values(conn, Customer.__table__, ["id", "name"], [(customer, "Alpha")])
        ids = reserve_ids(conn, Invoice.__table__, 4)
        insert_values(conn, Invoice.__table__, ["id", "number", "customer_id", "issue_date", "due_date",
                                                "total_cents"],
                      [(i, f"F{i}", customer, date(2026, 1, i), date(2026, 2, i), 100 * i) for i in ids])
        if fails:
            raise RuntimeError("une erreur après le chargement")
    assert sum(sql.startswith("DROP INDEX") for sql in statements) == len(before) - 1
    assert _indexes(db) == before
    with db.sessions() as s:
        count = s.scalar(text("SELECT count(*) FROM invoice INDEXED BY ix_invoice_issued "
                              "WHERE issue_date >= '2026-01-01'"))
        assert count == (0 if fails else 4)
        assert s.scalar(text("PRAGMA integrity_check")) == "ok"


def test_a_file_of_revision_0012_keeps_its_letters_as_printed_by_encours(db):
    """Migration 0013 marks the steps recorded as taken outside Encours: the letters already on record in a file
    of revision 0012 were all printed by Encours (on SQLite the table is rebuilt, the rows kept)."""
    from alembic import command
    from alembic.config import Config

    from app.models import DunningLetter
    from app.models.db import migrate

    with db.transaction() as s:
        s.add(DunningLetter(customer=Customer(name="Garage Petit", code="C0001"), step="first_reminder",
                            sent_on=date(2026, 11, 14), outside=True))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    assert current_revision(db.engine) == "0012"
    assert "outside" not in {column["name"] for column in inspect(db.engine).get_columns("dunning_letter")}
    migrate(db.engine)
    assert current_revision(db.engine) == SCHEMA_REVISION
    with db.sessions() as s:
        assert s.execute(select(DunningLetter.step, DunningLetter.sent_on, DunningLetter.outside)).all() == [
            ("first_reminder", date(2026, 11, 14), False)]
