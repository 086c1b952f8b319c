"""Each release's database, opened by the present version, keeps every row and every figure.

v0.1.0.sqlite.gz is the demo written by v0.1.0 (commit f1b4965, schema 0011: ``encours demo --today
2026-11-23``); v0.1.0.expected.json holds what v0.1.0 itself said of it at 2026-11-23 (record_release.py, run
with that release's code). Opening the file now runs 0012…head on it, as it does on a user's file."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.__main__ import main

HERE = Path(__file__).parent
RELEASES = ["v0.1.0"]
# Tables a later revision created: they hold only what the migration wrote in them (0012's events record the
# allocations it took back as counted twice, and the customer codes it renumbered: none in these files).
NEW_TABLES = {"event": 0, "proceeding": 0}  # 0015: no proceedings were recorded before it
# A KPI whose definition changed on purpose since the release: the figure differs, and why.
CHANGED_ALERTS = {
    # 34d6508: the cover alert says the uncovered exposure, exposure − min(exposure, cover) × %, as the Risque
    # tab and the score do, where v0.1.0 said the excess over the cover; same customers, other amount.
    "cover",
}


@pytest.fixture(params=RELEASES)
def release(request, tmp_path):
    """The release's file, copied (the stored one stays as the release wrote it), and its recorded figures."""
    path = tmp_path / f"{request.param}.sqlite"
    with gzip.open(HERE / f"{request.param}.sqlite.gz") as stored, open(path, "wb") as copy:
        shutil.copyfileobj(stored, copy)
    return path, json.loads((HERE / f"{request.param}.expected.json").read_text(encoding="utf-8"))


def cli(capsys, path: Path, *args: str):
    assert main(["--db", str(path), *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_figure_of_the_release_is_found_again(release, capsys):
    path, expected = release
    at = expected["at"]
    assert sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
        expected["revision"]

    assert cli(capsys, path, "aging", "--json", "--at", at) == expected["aging"]  # the first command migrates
    kpi = cli(capsys, path, "kpi", "--json", "--at", at)
    then = expected["kpi"]
    assert {key: kpi[key] for key in then if key != "alerts"} == {key: then[key] for key in then if key != "alerts"}
    assert [alert for alert in kpi["alerts"] if alert["kind"] not in CHANGED_ALERTS] == \
        [alert for alert in then["alerts"] if alert["kind"] not in CHANGED_ALERTS]
    for kind in CHANGED_ALERTS:
        assert [alert["customer_id"] for alert in kpi["alerts"] if alert["kind"] == kind] == \
            [alert["customer_id"] for alert in then["alerts"] if alert["kind"] == kind]


def test_every_row_of_the_release_is_kept(release, capsys):
    path, expected = release
    assert main(["--db", str(path), "aging", "--json", "--at", expected["at"]]) == 0  # opens, hence migrates
    capsys.readouterr()
    conn = sqlite3.connect(path)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
              for table in tables - {"alembic_version"}}
    assert counts == {**expected["rows"], **NEW_TABLES}
    assert list(conn.execute("SELECT count(*), sum(amount_cents), count(payment_id), count(credit_note_id) "
                             "FROM allocation").fetchone()) == expected["allocations"]
    assert conn.execute("SELECT count(payment_id) FROM bank_line").fetchone()[0] == expected["bank_lines_matched"]
    letters = conn.execute("SELECT id, customer_id, step, sent_on, amount_due_cents, penalties_cents, "
                           "indemnities_cents, json_array_length(lines), (SELECT sum(json_extract(value, "
                           "'$.amount_due')) FROM json_each(lines)) FROM dunning_letter ORDER BY id").fetchall()
    assert [list(letter) for letter in letters] == expected["letters"]
    # 0013: every letter written before it was printed by Encours
    assert conn.execute("SELECT count(*) FROM dunning_letter WHERE outside").fetchone()[0] == 0
    activities = conn.execute("SELECT id, customer_id, kind, happened_at, text, promised_on, promised_cents "
                              "FROM activity ORDER BY id").fetchall()
    assert [list(activity) for activity in activities] == expected["activities"]
    disputes = conn.execute("SELECT id, invoice_id, reason, assignee, note, opened_on, closed_on, resolution "
                            "FROM dispute ORDER BY id").fetchall()
    assert [list(dispute) for dispute in disputes] == expected["disputes"]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    code = conn.execute("SELECT code FROM customer WHERE id = (SELECT min(customer_id) FROM activity)").fetchone()[0]
    conn.close()
    # the release kept no history of events (it began with 0012): none is invented
    assert cli(capsys, path, "history", code, "--json")["events"] == []
