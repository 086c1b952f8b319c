"""The customers screen with 10 000 customers: our load and filter times beside a raw baseline.

Builds a temporary SQLite file with N customers (default 10 000), 5 invoices each and a payment on
most of them, then measures, in the same run:

* baseline: plain ``sqlite3``: one GROUP BY giving each customer's open amount (no aging, no buckets);
* ours, data: ``list_customers`` (each customer's exposure and overdue, summed by the database over the
  open items, the allocations dated after the day given back);
* ours, screen: the customers table receiving those rows, then one keystroke of search filtering
  (``QT_QPA_PLATFORM=offscreen``).

Prints each time (median of 5) and the ratio to the baseline. Usage: ``python bench/customers_bench.py [N]``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from app.models import Allocation, Company, Customer, Invoice, Payment, resettle  # noqa: E402
from app.models.db import open_database  # noqa: E402
from app.services.customers import list_customers  # noqa: E402

TODAY = date(2026, 11, 23)
RUNS = 5


def build(path: str, customers: int) -> None:
    rng = random.Random(7)
    db = open_database(path)
    invoices, payments, allocations = [], [], []
    for c in range(1, customers + 1):
        for k in range(5):
            invoice_id = len(invoices) + 1
            issued = TODAY - timedelta(days=rng.randint(0, 400))
            cents = rng.randint(5_000, 500_000)
            invoices.append({"id": invoice_id, "number": f"F{invoice_id:07d}", "customer_id": c,
                             "issue_date": issued, "due_date": issued + timedelta(days=30), "net_cents": cents,
                             "vat_cents": 0, "total_cents": cents, "kind": "invoice",
                             "status": "paid" if k < 3 else "open"})
            if k < 3:
                payments.append({"id": len(payments) + 1, "customer_id": c, "amount_cents": cents,
                                 "received_on": issued + timedelta(days=rng.randint(20, 60)), "reference": ""})
                allocations.append({"invoice_id": invoice_id, "payment_id": len(payments), "amount_cents": cents,
                                    "allocated_on": payments[-1]["received_on"]})
    with db.transaction() as s:
        s.add(Company(name="Banc d'essai"))
        s.execute(insert(Customer), [{"id": c, "name": f"Client {c:05d}", "code": f"C{c:05d}", "city": "Lyon"}
                                     for c in range(1, customers + 1)])
        s.execute(insert(Invoice), invoices)
        s.execute(insert(Payment), payments)
        s.execute(insert(Allocation), allocations)
        resettle(s, None, None)  # a bulk write refreshes the settled summaries (app.models.settlement)
    db.dispose()


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.sqlite")
        build(path, count)
        raw = sqlite3.connect(path)
        baseline = timed(lambda: raw.execute(
            "SELECT c.id, c.name, SUM(i.total_cents) - COALESCE(SUM(a.amount_cents), 0) FROM customer c "
            "LEFT JOIN invoice i ON i.customer_id = c.id LEFT JOIN allocation a ON a.invoice_id = i.id "
            "GROUP BY c.id ORDER BY c.name").fetchall())
        db = open_database(path)
        with db.sessions() as session:
            rows = list_customers(session, TODAY)
            data = timed(lambda: list_customers(session, TODAY))

        from PySide6.QtWidgets import QApplication

        from app.ui.customers import COLUMNS
        from app.domain.text import without_accents as fold
        from app.ui.screen import RowTable

        app = QApplication.instance() or QApplication([])
        table = RowTable(COLUMNS)
        table.resize(1000, 700)
        table.show()
        fill = timed(lambda: (table.set_rows(rows), app.processEvents()))
        keystroke = timed(lambda: (table.proxy.set_predicate(lambda r: "01234" in fold(r.name)), app.processEvents()))
        db.dispose()
    print(f"{count} customers, {count * 5} invoices, {count * 3} payments (median of {RUNS})")
    print(f"{'raw sqlite3 GROUP BY (baseline)':36}{baseline * 1000:8.0f} ms")
    print(f"{'list_customers (exposure, overdue)':36}{data * 1000:8.0f} ms  {data / baseline:5.1f}x")
    print(f"{'table filled and painted':36}{fill * 1000:8.0f} ms")
    print(f"{'one search keystroke':36}{keystroke * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
