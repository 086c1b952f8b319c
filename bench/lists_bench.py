"""The lists of a large ledger: Clients, Relances and À rapprocher beside one raw query, in the same run.

Reuses (``--keep FILE``) or generates, with ``cockpit_bench.generate``, a SQLite ledger of 1 000 000 invoices of
20 000 customers, then times, best of 3, in this process:

* baseline: one plain sqlite3 GROUP BY of the open invoices by customer over their covering partial index
  (what each customer owes, nothing else);
* ours: ``list_customers`` (the Clients list), ``due_actions`` then ``claims`` (everything the Relances screen
  computes), and the À rapprocher screen's ``load``.

Prints each time and its ratio to the baseline. Usage: ``python bench/lists_bench.py [INVOICES] [--keep FILE]``
(a kept file may be written to: the schema is brought up to date; use a copy of a ledger you want untouched).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cockpit_bench import AT, ledger, ledger_arguments  # noqa: E402  (bench/, the script's folder)
from timing import best  # noqa: E402

RAW_OWED = ("SELECT customer_id, SUM(total_cents - settled_cents) FROM invoice "
            "WHERE settled_on IS NULL AND issue_date <= ? GROUP BY customer_id")


def main() -> None:
    args = ledger_arguments().parse_args()
    with tempfile.TemporaryDirectory(prefix="encours-lists-bench-") as tmp:
        path = ledger(args, Path(tmp))
        from app.models.db import open_database
        from app.services.customers import list_customers
        from app.services.dunning import due_actions
        from app.services.reminders import claims
        from app.ui.reconciliation import load

        raw = sqlite3.connect(path)
        base, owed = best(lambda: raw.execute(RAW_OWED, (AT.isoformat(),)).fetchall())
        db = open_database(str(path))
        with db.sessions() as session:
            timings = [
                ("Clients: list_customers", best(lambda: list_customers(session, AT))),
                ("Relances: due_actions + claims",
                 best(lambda: claims(session, AT, due_actions(session, AT)[0]))),
                ("À rapprocher: load", best(lambda: load(session))),
            ]
        db.dispose()
    print(f"raw GROUP BY of the open invoices by customer (baseline): {base:.2f} s ({len(owed)} customers)")
    for label, (ours, result) in timings:
        size = len(result.rows) if hasattr(result, "rows") else len(result)
        print(f"{label:34} {ours:6.2f} s  ({size} rows)  ratio {ours / base:5.1f}")


if __name__ == "__main__":
    main()
