"""Whatever bytes a file holds, an import ends in a located error or a summary, never a crash, and a refused
file leaves the database exactly as it was."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers.records import Problem, UnreadableFile
from app.services.import_summary import ImportRefused
from app.services.imports import import_file
from tests.conftest import TODAY

HEADER = "N° facture;Date;Échéance;Client;Montant TTC\n"
cell = st.one_of(st.text(alphabet=string.printable + "éèà€\u00a0()-", max_size=12),
                 st.sampled_from(["31/02/2026", "15/10/2026", "1 234,56 €", "(12,50)", "12,50-", "", "Total"]))
valid_row = st.builds(lambda n, day, name, cents: [f"F-{n}", f"{day:02d}/10/2026", "30/11/2026", name,
                                                    f"{cents // 100},{cents % 100:02d}"],
                      st.integers(1, 50), st.integers(1, 28), st.sampled_from(["Garage Petit", "Roux & Fils"]),
                      st.integers(-10_000, 1_000_000))
rows = st.lists(st.one_of(st.lists(cell, min_size=1, max_size=7), valid_row), max_size=8)


def snapshot(db):
    with db.engine.connect() as conn:
        return {table: conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id").fetchall()
                for table in ("customer", "invoice", "payment", "allocation", "import_batch")}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=rows, raw=st.binary(max_size=200), as_bytes=st.booleans())
def test_random_files_give_located_errors_and_refused_files_change_nothing(ledger, tmp_path, body, raw, as_bytes):
    path = tmp_path / "export.csv"
    if as_bytes:
        path.write_bytes(raw)
    else:
        path.write_text(HEADER + "\n".join(";".join(r) for r in body) + "\n", encoding="utf-8")
    before = snapshot(ledger)
    try:
        with ledger.transaction() as s:
            summary = import_file(s, path, today=TODAY)
    except (UnreadableFile, ImportRefused) as refused:
        assert str(refused)
        assert snapshot(ledger) == before
        return
    assert all(isinstance(p, Problem) and p.message for p in summary.errors)
    if summary.rejected:
        assert snapshot(ledger) == before
    elif summary.batch_id is not None:  # something was imported: take it back for the next example
        from app.services.import_history import undo_import

        with ledger.transaction() as s:
            undo_import(s, summary.batch_id)
        assert snapshot(ledger) == before
