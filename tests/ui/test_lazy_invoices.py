"""The paged invoices table shows the rows ``list_invoices`` gives, filtered and sorted as the screen did in
Python, on a generated ledger of 10 000 invoices (seen before its last allocations and invoices, so that what
was allocated after the day counts back) and on the hand-made one (a credit note, a partial payment)."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.domain.text import without_accents
from app.models.db import open_database
from app.services.invoice_pages import InvoiceFilter
from app.services.invoices import list_invoices
from app.services.store import read
from app.ui.invoices import INVOICE_COLUMNS, InvoiceSource
from app.ui.lazy_model import LazyRowModel
from app.ui.table_model import sort_key
from tests.conftest import TODAY

AT = TODAY - timedelta(days=20)  # allocations and invoices after it exist in the generated ledger


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    import sqlite3
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))  # the bench imports its neighbours
    try:
        from cockpit_bench import generate
    finally:
        sys.path.pop(0)

    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    generate(path, 10_000, 500)
    with sqlite3.connect(path) as c:  # some written off, some accents for the search
        c.execute("UPDATE invoice SET status = 'written_off' WHERE id % 97 = 0")
        c.execute("UPDATE customer SET name = 'Électricité Dürand ' || id WHERE id % 50 = 0")
    database = open_database(str(path))
    yield database
    database.dispose()


def expected(db, kept: InvoiceFilter, column: int, descending: bool) -> list[int]:
    rows = read(db, list_invoices, AT)
    words = without_accents(kept.search).split()
    rows = [r for r in rows if (not kept.open_only or r.still_due) and (not kept.overdue_only or r.overdue)
            and (kept.status is None or r.status == kept.status)
            and all(w in without_accents(f"{r.number} {r.customer}") for w in words)]
    declared = INVOICE_COLUMNS[column]
    key = declared.sort_key or declared.value
    rows.sort(key=lambda r: (sort_key(key(r)), r.id), reverse=descending)
    return [r.id for r in rows]


def shown(model: LazyRowModel) -> list[int]:
    return [model.row_at(i).id for i in range(model.rowCount())]


FILTERS = [InvoiceFilter(), InvoiceFilter(open_only=False), InvoiceFilter(overdue_only=True),
           InvoiceFilter(open_only=False, status="paid"), InvoiceFilter(open_only=False, status="written_off"),
           InvoiceFilter(open_only=False, search="electricite DUR"), InvoiceFilter(search="0001")]


@pytest.mark.parametrize("column", range(len(INVOICE_COLUMNS)))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_the_rows_of_list_invoices(big, column, descending):
    kept = InvoiceFilter(open_only=False)
    model = LazyRowModel(INVOICE_COLUMNS, InvoiceSource(big, AT, kept))
    model.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    ids = shown(model)
    assert len(ids) == 10_000 and ids == expected(big, kept, column, descending)
    assert len(model.pages) <= 50  # 50 pages of 200 at most are kept


@pytest.mark.parametrize("kept", FILTERS)
def test_filters_keep_the_rows_list_invoices_keeps(big, kept):
    model = LazyRowModel(INVOICE_COLUMNS, InvoiceSource(big, AT, kept))
    model.sort(6, Qt.SortOrder.DescendingOrder)  # Reste dû
    ids = shown(model)
    assert ids == expected(big, kept, 6, True) and ids
    assert model.every_row() and [r.id for r in model.every_row()] == ids


@pytest.mark.parametrize("kept", FILTERS[:3])
@pytest.mark.parametrize("column", [2, 6, 7])
def test_the_hand_made_ledger_too(ledger, kept, column):
    model = LazyRowModel(INVOICE_COLUMNS, InvoiceSource(ledger, AT, kept))
    model.sort(column, Qt.SortOrder.AscendingOrder)
    assert shown(model) == expected(ledger, kept, column, False)


def test_the_paged_model_passes_qt_checks(big, qtmodeltester):
    qtmodeltester.check(LazyRowModel(INVOICE_COLUMNS, InvoiceSource(big, AT, InvoiceFilter())))
