"""Cockpit speed: the whole dashboard of a large ledger beside the raw reads it needs, in the same run.

Generates (or reuses, with ``--keep FILE``) a SQLite ledger of 1 000 000 invoices of 20 000 customers over
three years, most of them paid by a payment allocated in full, a few per cent still open, some credit notes,
guarantees, and a week of bank credits waiting in À rapprocher. Then times, best of 3, in this process:

* ours: ``services.cockpit.cockpit(session, at)``, everything the dashboard shows: the aging now and a week
  ago, DSO by both methods and its 24-month history, the other KPIs, every customer's score, the alerts,
  the 13-week forecast and the customers to call;
* baseline: the raw reads the dashboard needs, written as plain SQL run by sqlite3 in this process and
  fetched (``RAW_READS``): the open invoices over their partial index and the unallocated payments, the
  invoices and payments summed by day (the receivables and sales at any date, for the DSO and its 24-month
  history), the invoices paid in the last 6 months summed by customer (the payment delays), the customers
  with their first invoice, the guarantees in force and the open disputes. Everything the cockpit adds
  to those reads (the arithmetic, the scores, the alerts, the forecast, the customers to call) is ours.

Also printed, beside: Relances' whole list (``dunning.due_actions``, every customer's dunning, its own screen's
work; the dashboard's customers to call run the dunning of a few customers only), timed with the same scores.

Prints both times and the ratio. Target: ratio ≤ 2 and under 1 s. Usage:
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
# what the dashboard reads, in plain SQL (parameters: the day ``at`` and the payment-delay windows). The open
# items' dates are written ``+issue_date``: no index can search them, so SQLite reads the partial index of the
# open items (a few per cent of the rows) instead of range-scanning a date index, as the application does.
# The invoices' numbers are read too: Relances names every late invoice, and the customers to call come from it.
RAW_READS = {
    "open invoices": "SELECT id, customer_id, number, kind, status, issue_date, due_date, total_cents, settled_cents "
                     "FROM invoice WHERE settled_on IS NULL AND +issue_date <= :at",
    "unallocated payments": "SELECT customer_id, received_on, amount_cents - settled_cents FROM payment "
                            "WHERE settled_on IS NULL AND +received_on <= :at AND customer_id IS NOT NULL",
    "invoiced by day": "SELECT issue_date, status, SUM(total_cents) FROM invoice GROUP BY issue_date, status",
    "received by day": "SELECT received_on, SUM(amount_cents) FROM payment WHERE customer_id IS NOT NULL "
                       "GROUP BY received_on",
    "payment delays": "SELECT customer_id, SUM(total_cents), SUM(total_cents * (julianday(paid_on) - "
                      "julianday(due_date))), SUM(paid_on > :three_ago) FROM invoice WHERE kind = 'invoice' "
                      "AND total_cents > 0 AND paid_on > :six_ago AND paid_on <= :at GROUP BY customer_id, "
                      "paid_on > :three_ago",
    "customers": "SELECT id, name, phone, segment, credit_limit_cents, external_rating, created_on, "
                 "(SELECT MIN(issue_date) FROM invoice WHERE customer_id = customer.id) FROM customer",
    "guarantees": "SELECT customer_id, kind, amount_cents, percentage, valid_to FROM guarantee "
                  "WHERE amount_cents IS NOT NULL AND (valid_from IS NULL OR valid_from <= :at) "
                  "AND (valid_to IS NULL OR valid_to >= :at)",
    "disputes": "SELECT invoice_id, reason FROM dispute WHERE opened_on <= :at "
                "AND (closed_on IS NULL OR closed_on > :at)",
}


def raw_reads(connection: sqlite3.Connection, at: date) -> dict[str, list]:
    """Every ``RAW_READS`` query run and fetched: the baseline."""
    windows = {"at": at.isoformat(), "six_ago": (at - timedelta(days=182)).isoformat(),
               "three_ago": (at - timedelta(days=91)).isoformat()}
    return {name: connection.execute(sql, windows).fetchall() for name, sql in RAW_READS.items()}


def generate(path: Path, invoices: int, customers: int) -> None:
    """A consistent ledger written with plain executemany: each paid invoice has its payment (from its
    customer's IBAN) and allocation, and the settled summaries the application keeps; and a week of bank
    credits waiting in À rapprocher."""
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
        "settled_cents, settled_on) VALUES (?, ?, ?, ?, 'virement', '', ?, ?, ?)",
        [(i, customer, on, cents, iban_of(customer), settled, settled_on)
         for i, customer, on, cents, settled, settled_on in payment_rows])
    connection.executemany("INSERT INTO allocation (invoice_id, payment_id, allocated_on, amount_cents) "
                           "VALUES (?, ?, ?, ?)", allocation_rows)
    waiting = week_to_reconcile(rng, invoice_rows, invoices)
    connection.executemany(
        "INSERT INTO payment (id, customer_id, received_on, amount_cents, method, reference, payer_iban, "
        "settled_cents) VALUES (?, NULL, ?, ?, 'virement', ?, ?, 0)", waiting)
    connection.executemany(
        "INSERT INTO bank_line (account, booked_on, amount_cents, label, counterparty, iban, reference, payment_id, "
        "row_hash) VALUES ('', ?, ?, ?, '', ?, '', ?, ?)",
        [(on, cents, label, iban, i, f"bench{i}") for i, on, cents, label, iban in waiting])
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    print(f"generated {invoices} invoices ({len(payment_rows)} paid), {customers} customers in {path}")


def iban_of(customer: int) -> str:
    """The IBAN a customer pays from (one each)."""
    return f"FR76{customer:023d}"


def week_to_reconcile(rng: random.Random, invoice_rows: list[tuple], last_id: int) -> list[tuple]:
    """A week's bank credits the matcher left to the owner, as (payment id, day, cents, label, IBAN): a third
    quote an open invoice's number, a third name its customer (and pay part of it), a third say nothing of
    whom (an IBAN never seen)."""
    open_rows = [row for row in invoice_rows if row[9] == "open" and row[2] == "invoice"]
    found = []
    for n, row in enumerate(rng.sample(open_rows, min(60, len(open_rows)))):
        number, customer, cents = row[1], row[3], row[7]
        on = (AT - timedelta(days=rng.randint(0, 6))).isoformat()
        label, amount = [(f"VIR SEPA CLIENT {customer:05d} FACT {number}", cents),
                         (f"VIR SEPA CLIENT {customer:05d}", cents // 2),
                         (f"VIREMENT RECU REF {n:06d}", cents)][n % 3]
        found.append((last_id + 1 + n, on, amount, label, f"FR76{9 * 10**22 + n:023d}"))
    return found


def ledger_arguments() -> argparse.ArgumentParser:
    """What every benchmark of the large ledger takes: its size, and a ledger file to reuse (``--keep``)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("invoices", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="ledger file to reuse (generated when absent)")
    return parser


def ledger(args: argparse.Namespace, folder: Path) -> Path:
    """The ledger ``--keep`` names, generated there when absent, else one generated in ``folder``."""
    path = args.keep or folder / "ledger.sqlite"
    if not path.exists():
        generate(path, args.invoices, args.customers)
    return path


def main() -> None:
    args = ledger_arguments().parse_args()
    with tempfile.TemporaryDirectory(prefix="encours-cockpit-bench-") as tmp:
        path = ledger(args, Path(tmp))
        from app.models.db import open_database
        from app.services.cockpit import cockpit
        from app.services.dunning import due_actions

        raw = sqlite3.connect(path)
        base, reads = best(lambda: raw_reads(raw, AT))
        db = open_database(str(path))
        with db.sessions() as session:
            ours, figures = best(lambda: cockpit(session, AT))
            chasing, _actions = best(lambda: due_actions(session, AT, figures.scores))
        db.dispose()
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in reads.items())
        print(f"the dashboard's reads, raw sqlite3: {base:.2f} s ({counts})")
        print(f"whole dashboard (cockpit):          {ours:.2f} s (receivables {figures.now.receivables} €, "
              f"{len(figures.scores)} scores, {len(figures.alerts)} alerts, {len(figures.to_call)} to call)")
        print(f"beside it, Relances' whole list (dunning.due_actions): {chasing:.2f} s")
        print(f"ratio: {ours / base:.2f} (target ≤ 2, and under 1 s)")


if __name__ == "__main__":
    main()
