"""Cockpit speed: the whole dashboard of a large ledger beside one raw aging query, in the same run.

Generates (or reuses, with ``--keep FILE``) a SQLite ledger of 1 000 000 invoices of 20 000 customers over
three years, most of them paid by a payment allocated in full, a few per cent still open, some credit notes
and guarantees. Then times, best of 3, in this process:

* ours: ``services.cockpit.cockpit(session, at)``, everything the dashboard shows: the aging now and a week
  ago, DSO by both methods and its 24-month history, the other KPIs, every customer's score, the alerts,
  the 13-week forecast and the customers to call;
* baseline: one plain sqlite3 GROUP BY giving the aging by customer and bucket of the open invoices, over
  the covering partial index the schema has for them (the aging alone, nothing else).

Prints both times and the ratio. Target: ratio ≤ 3 and under 2 s. Usage:
``python bench/cockpit_bench.py [INVOICES] [--keep FILE]``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import best  # noqa: E402  (bench/, the script's folder)

AT = date(2026, 11, 23)
RAW_AGING = """
SELECT customer_id,
       CASE WHEN due_date >= :at THEN 'not_due' WHEN due_date >= :d30 THEN '1_30' WHEN due_date >= :d60 THEN '31_60'
            WHEN due_date >= :d90 THEN '61_90' ELSE 'over_90' END AS bucket,
       SUM(total_cents - settled_cents)
FROM invoice WHERE settled_on IS NULL AND issue_date <= :at GROUP BY customer_id, bucket
"""


def generate(path: Path, invoices: int, customers: int) -> None:
    """A consistent ledger written with plain executemany: each paid invoice has its payment and allocation,
    and the settled summaries the application keeps."""
    from app.models.db import open_database

    open_database(str(path)).dispose()  # the schema, through the migrations
    rng = random.Random(7)
    start = AT - timedelta(days=3 * 365)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("INSERT INTO company (id, name, siren, vat_number, iban, bic, logo_path, penalty_clause, "
                       "tolerance_cents, address, postcode, city, email, phone, terms_kind, terms_days) VALUES "
                       "(1, 'Bench SARL', '', '', '', '', '', '', 500, '', '', '', '', '', 'net', 30)")
    connection.executemany(
        "INSERT INTO customer (id, code, name, siren, vat_number, contact_name, segment, naf_code, "
        "credit_limit_cents, external_rating, salesperson, notes, created_on, address, postcode, city, email, "
        "phone, terms_kind, terms_days) VALUES (?, ?, ?, '', '', '', ?, '', ?, '', '', '', ?, '', '', '', '', "
        "'0102030405', 'net', 30)",
        [(c, f"C{c:05d}", f"Client {c:05d}", rng.choice(("private", "private", "public", "consumer")),
          rng.choice((None, 500_000, 2_000_000)), start.isoformat()) for c in range(1, customers + 1)])
    connection.executemany(
        "INSERT INTO guarantee (customer_id, kind, guarantor, amount_cents, percentage, grade, valid_from, valid_to)"
        " VALUES (?, 'credit_insurance', 'Assureur', ?, 90, '', ?, ?)",
        [(c, 1_000_000, start.isoformat(), (AT + timedelta(days=rng.randint(-30, 400))).isoformat())
         for c in range(1, customers + 1, 10)])
    lateness = {c: rng.choice((0, 5, 15, 30, 60)) for c in range(1, customers + 1)}
    invoice_rows, payment_rows, allocation_rows = [], [], []
    for i in range(1, invoices + 1):
        customer = rng.randint(1, customers)
        issued = start + timedelta(days=rng.randint(0, 3 * 365))
        due = issued + timedelta(days=rng.choice((30, 45, 60)))
        credit_note = rng.random() < 0.01
        cents = -rng.randint(1_000, 100_000) if credit_note else rng.randint(5_000, 2_000_000)
        paid_on = due + timedelta(days=max(-10, int(rng.gauss(lateness[customer], 10))))
        settled = not credit_note and paid_on <= AT and rng.random() > 0.02
        invoice_rows.append((i, f"F{i:08d}", "credit_note" if credit_note else "invoice", customer,
                             issued.isoformat(), due.isoformat(), cents, cents, 0, "paid" if settled else "open",
                             cents if settled else 0, paid_on.isoformat() if settled else None,
                             paid_on.isoformat() if settled else None))
        if settled:
            payment_rows.append((i, customer, paid_on.isoformat(), cents, cents, paid_on.isoformat()))
            allocation_rows.append((i, i, paid_on.isoformat(), cents))
    connection.executemany(
        "INSERT INTO invoice (id, number, kind, customer_id, issue_date, due_date, net_cents, total_cents, "
        "vat_cents, status, settled_cents, settled_on, paid_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        invoice_rows)
    connection.executemany(
        "INSERT INTO payment (id, customer_id, received_on, amount_cents, method, reference, payer_iban, "
        "settled_cents, settled_on) VALUES (?, ?, ?, ?, 'virement', '', '', ?, ?)", payment_rows)
    connection.executemany("INSERT INTO allocation (invoice_id, payment_id, allocated_on, amount_cents) "
                           "VALUES (?, ?, ?, ?)", allocation_rows)
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    print(f"generated {invoices} invoices ({len(payment_rows)} paid), {customers} customers in {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("invoices", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="ledger file to reuse (generated when absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="encours-cockpit-bench-") as tmp:
        path = args.keep or Path(tmp) / "ledger.sqlite"
        if not path.exists():
            generate(path, args.invoices, args.customers)
        from app.models.db import open_database
        from app.services.cockpit import cockpit

        raw = sqlite3.connect(path)
        bounds = {"at": AT.isoformat(), "d30": (AT - timedelta(days=30)).isoformat(),
                  "d60": (AT - timedelta(days=60)).isoformat(), "d90": (AT - timedelta(days=90)).isoformat()}
        base, rows = best(lambda: raw.execute(RAW_AGING, bounds).fetchall())
        db = open_database(str(path))
        with db.sessions() as session:
            ours, figures = best(lambda: cockpit(session, AT))
        db.dispose()
        raw_total = sum(cents for *_key, cents in rows) / 100
        print(f"open invoices' aging, raw GROUP BY: {base:.2f} s ({len(rows)} rows, {raw_total:,.2f} € open)")
        print(f"whole dashboard (cockpit):          {ours:.2f} s (receivables {figures.now.receivables} €, "
              f"{len(figures.scores)} scores, {len(figures.alerts)} alerts)")
        print(f"ratio: {ours / base:.2f} (target ≤ 3, and under 2 s)")


if __name__ == "__main__":
    main()
