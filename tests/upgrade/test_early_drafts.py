"""Files written by the early drafts of 0001 (kept in drafts/, as git had them) went on to 0011 with v0.1.0 and
lack tables and columns the code reads: opening them now repairs them (0014) without losing a row."""

from __future__ import annotations

import importlib.util
import json
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.operations import Operations

from app.__main__ import main
from app.models.db import MIGRATIONS, SCHEMA_REVISION, current_revision, open_database
from tests.conftest import TEST_DATABASE_URL, empty_server_database

DRAFTS = sorted((Path(__file__).parent / "drafts").glob("0001_initial_schema.*.py.txt"))
ROWS = ("company", "customer", "import_batch", "invoice", "payment", "allocation", "dispute", "dunning_letter",
        "activity")


def load(path: Path, name: str):
    loader = SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def landed(revision: str):
    return load(next((MIGRATIONS / "versions").glob(f"{revision}_*.py")), f"landed_{revision}")


def upgrade_to(conn, revision: str) -> None:
    """What the version of the day did on opening the file: the landed migrations up to ``revision``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def insert(conn, table: str, **values) -> int:
    """A row of ``values``, the other required columns of this draft's table given an empty value."""
    empty = {sa.Integer: 0, sa.String: "", sa.Date: "2026-01-01", sa.DateTime: "2026-01-01 00:00:00",
             sa.JSON: "[]", sa.Boolean: False}
    for column in sa.inspect(conn).get_columns(table):
        if column["name"] not in values and not column["nullable"] and column["name"] != "id":
            values[column["name"]] = next(value for kind, value in empty.items() if isinstance(column["type"], kind))
    names = ", ".join(f'"{name}"' for name in values)
    conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(f':{n}' for n in values)})"), values)
    return conn.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar()


def written_by_draft(draft: Path, location: str) -> None:
    """A file created by a draft of 0001, with a small ledger, then opened by v0.1.0 (landed 0002…0011)."""
    engine = sa.create_engine(location)
    with engine.begin() as conn:
        module = load(draft, f"draft_{draft.stem.replace('.', '_')}")
        module.op = Operations(MigrationContext.configure(conn))
        module.upgrade()
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('0001')"))
        insert(conn, "company", name="Menuiserie Durand", terms_kind="net", terms_days=30, tolerance_cents=1500)
        customer = insert(conn, "customer", code="C1", name="Garage Petit", created_on="2026-01-05",
                          terms_kind="net", terms_days=30, segment="pme")
        insert(conn, "import_batch", file_name="export.csv", kind="invoices")
        paid = insert(conn, "invoice", number="F1", kind="invoice", customer_id=customer, issue_date="2026-09-01",
                      due_date="2026-10-01", net_cents=100000, total_cents=100000, status="paid")
        late = insert(conn, "invoice", number="F2", kind="invoice", customer_id=customer, issue_date="2026-09-15",
                      due_date="2026-10-15", net_cents=50000, total_cents=50000, status="open")
        insert(conn, "invoice", number="F3", kind="invoice", customer_id=customer, issue_date="2026-11-10",
               due_date="2026-12-10", net_cents=20000, total_cents=20000, status="open")
        payment = insert(conn, "payment", customer_id=customer, received_on="2026-10-03", amount_cents=100000,
                         method="virement")
        insert(conn, "allocation", invoice_id=paid, payment_id=payment, allocated_on="2026-10-03",
               amount_cents=100000)
        insert(conn, "dispute", invoice_id=late, reason="Livraison incomplète", opened_on="2026-10-20")
        insert(conn, "dunning_letter", customer_id=customer, step="first_reminder", sent_on="2026-10-25",
               lines=json.dumps([{"invoice_id": late, "number": "F2", "amount_due": 50000}]),
               amount_due_cents=50000)
        insert(conn, "activity", customer_id=customer, kind="call", happened_at="2026-10-28 10:00:00",
               text="Promet un virement.")
        upgrade_to(conn, "0011")
    engine.dispose()


def schema(engine) -> dict:
    """Each table's columns and indexes by name (a unique constraint is no index, whatever its name: the first
    draft named invoice's « number »; the later ones dropped ix_invoice_customer_id, which does no harm)."""
    inspector = sa.inspect(engine)
    return {table: ({c["name"] for c in inspector.get_columns(table)},
                    {i["name"] for i in inspector.get_indexes(table)} - {"ix_invoice_customer_id"}
                    - {u["name"] for u in inspector.get_unique_constraints(table)})
            for table in inspector.get_table_names() if table != "alembic_version"}


def at_0013() -> dict:
    """The schema 0014 names (test_the_names_0014_compares_are_those_of_0013 ties it to 0013's)."""
    repair = landed("0014")
    return {table: (set(columns.split()), set(repair.INDEXES.get(table, "").split()))
            for table, columns in repair.COLUMNS.items()}


def today(tmp_path) -> dict:
    """The schema of a file the present version creates: 0013's, as 0014 repairs it, and what came after."""
    fresh = open_database(str(tmp_path / "neuf.sqlite"))
    try:
        return schema(fresh.engine)
    finally:
        fresh.dispose()


def test_the_drafts_are_those_git_has():
    assert [draft.name.split(".")[1] for draft in DRAFTS] == ["bda08c1", "c309d93", "ec0fbb4", "f0f9cf5"]


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda draft: draft.name.split(".")[1])
def test_a_file_of_an_early_draft_opens_repaired_with_every_row(draft, tmp_path, capsys):
    """On the server named by ENCOURS_TEST_DATABASE_URL when there is one, else in a SQLite file."""
    if TEST_DATABASE_URL:
        empty_server_database(TEST_DATABASE_URL)
    location = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'ancien.sqlite'}"
    written_by_draft(draft, location)
    before = sa.create_engine(location)
    assert current_revision(before) == "0011"
    with before.connect() as conn:
        counts = {table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() for table in ROWS}
    before.dispose()

    database = open_database(location)
    assert current_revision(database.engine) == SCHEMA_REVISION
    assert schema(database.engine) == today(tmp_path)  # every table, column and index of today's schema
    with database.engine.connect() as conn:
        assert {table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() for table in ROWS} == counts
        assert conn.execute(sa.text("SELECT undo FROM import_batch")).scalar() in ("[]", [])
        assert conn.execute(sa.text("SELECT count(*) FROM fiscal_period")).scalar() == 0
    if TEST_DATABASE_URL:  # a server bounds what SQLite does not: the drafts' narrower columns are widened
        columns = {(table, column["name"]): column["type"] for table in ("invoice", "payment", "customer")
                   for column in sa.inspect(database.engine).get_columns(table)}
        assert columns[("invoice", "number")].length == 100 and columns[("customer", "code")].length == 60
        assert isinstance(columns[("payment", "amount_cents")], sa.BigInteger)
    database.dispose()

    assert main(["--db", location, "kpi", "--json", "--at", "2026-11-23"]) == 0
    assert json.loads(capsys.readouterr().out)["receivables"] == "700.00"
    assert main(["--db", location, "aging", "--json", "--at", "2026-11-23"]) == 0
    aging = json.loads(capsys.readouterr().out)
    assert aging["total"] == "700.00"
    assert aging["buckets"] == {"not_due": "200.00", "1_30": "0.00", "31_60": "500.00", "61_90": "0.00",
                                "over_90": "0.00"}


def test_a_file_of_the_landed_migrations_has_nothing_to_repair(tmp_path, monkeypatch):
    repair = landed("0014")
    monkeypatch.setattr(repair, "_schema_at_reference", lambda: pytest.fail("nothing to repair, nothing to build"))
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'a_jour.sqlite'}")
    with engine.begin() as conn:
        upgrade_to(conn, "0013")
        assert not repair._lacking(sa.inspect(conn))
        repair.op = Operations(MigrationContext.configure(conn))
        repair.upgrade()
    engine.dispose()


def test_the_names_0014_compares_are_those_of_0013(tmp_path):
    """0014 tells a complete file by names and widths frozen in it: they are the landed schema's at 0013."""
    repair = landed("0014")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'a_0013.sqlite'}")
    with engine.begin() as conn:
        upgrade_to(conn, "0013")
    assert schema(engine) == at_0013()
    inspector = sa.inspect(engine)
    assert {key: next(c["type"].length for c in inspector.get_columns(key[0]) if c["name"] == key[1])
            for key in repair.WIDTHS} == repair.WIDTHS
    engine.dispose()
