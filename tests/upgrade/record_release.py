"""Record a release's figures for tests/upgrade: run with that release's code (a worktree at its tag, as the
current directory) on the demo database it wrote, at a fixed date; the JSON printed is what
test_releases.py asks the present version to find again in the same file.

    git worktree add /tmp/v010 v0.1.0 && cd /tmp/v010
    python -m app --db /tmp/demo.sqlite demo --today 2026-11-23
    python /path/to/tests/upgrade/record_release.py /tmp/demo.sqlite 2026-11-23 v0.1.0 > v0.1.0.expected.json

It reads the file with sqlite3 and the release's own command line only, so that nothing of the present
version computes the figures the present version is held to."""

import json
import sqlite3
import subprocess
import sys


def cli(db: str, verb: str, at: str) -> dict:
    return json.loads(subprocess.run([sys.executable, "-m", "app", "--db", db, verb, "--json", "--at", at],
                                     check=True, capture_output=True, text=True).stdout)


def rows(conn: sqlite3.Connection, query: str) -> list[list]:
    return [list(row) for row in conn.execute(query)]


def main(db: str, at: str, release: str) -> None:
    conn = sqlite3.connect(db)
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    expected = {
        "release": release,
        "at": at,
        "revision": conn.execute("SELECT version_num FROM alembic_version").fetchone()[0],
        "rows": {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                 for table in tables if table != "alembic_version"},
        "aging": cli(db, "aging", at),
        "kpi": cli(db, "kpi", at),
        # each letter: id, customer, step, date, amounts, and its lines' count and sum
        "letters": rows(conn, "SELECT id, customer_id, step, sent_on, amount_due_cents, penalties_cents, "
                              "indemnities_cents, json_array_length(lines), (SELECT sum(json_extract(value, "
                              "'$.amount_due')) FROM json_each(lines)) FROM dunning_letter ORDER BY id"),
        "activities": rows(conn, "SELECT id, customer_id, kind, happened_at, text, promised_on, promised_cents "
                                 "FROM activity ORDER BY id"),
        "disputes": rows(conn, "SELECT id, invoice_id, reason, assignee, note, opened_on, closed_on, resolution "
                               "FROM dispute ORDER BY id"),
        "allocations": rows(conn, "SELECT count(*), sum(amount_cents), count(payment_id), count(credit_note_id) "
                                  "FROM allocation")[0],
        "bank_lines_matched": conn.execute("SELECT count(payment_id) FROM bank_line").fetchone()[0],
    }
    conn.close()
    lists = {key: expected.pop(key) for key in ("letters", "activities", "disputes")}
    text = json.dumps(expected, ensure_ascii=False, indent=1)[:-2]
    for key, items in lists.items():  # one row a line: the file stays readable and its diffs short
        text += f',\n "{key}": [\n' + ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items) + "\n ]"
    print(text + "\n}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
