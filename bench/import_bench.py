"""Import speed: the whole ``encours import`` process beside a raw baseline process, in the same run.

Generates, in a temporary folder, a 100 000-row invoice spreadsheet in French format (CSV cp1252 with
"1 234,56 €" amounts, and the same rows as XLSX) and a FEC of 200 000 lines, then for each file times:

* ours: ``python -m app --db NEW import FILE`` (interpreter start, reading, matching, one transaction);
* baseline: a plain process that reads the same file with pandas (``read_csv``, or python-calamine for the
  XLSX, or ``read_csv`` on the tab-separated FEC) and inserts the same invoices into an empty Encours database
  with sqlite3 ``executemany`` (same tables and indexes, no checks, no customers, no lettering): the issue's
  baseline, against which the ratio target is set;
* same rows: the same plain process writing every row the import writes (the customers, the invoices with
  their source line and row hash, one payment per customer and an allocation per invoice the file says is
  paid), still without any check: the floor of a process that stores what the import must store.

Prints the wall times (best of 3), the ratios, and our peak memory (ru_maxrss of the child). Target: ratio
≤ 1.5 and peak memory under 500 MB. Usage: ``python bench/import_bench.py [ROWS]``.

Both processes run as installed: the program's modules compiled to bytecode first, as pip and the bundle
leave them (and as the baseline's pandas is), even where PYTHONDONTWRITEBYTECODE is set; otherwise every
``encours import`` would compile its own source again, a fifth of a second measured as import work.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3

BASELINE = r"""
import sqlite3, sys
import pandas as pd
path, db, kind, same = sys.argv[1:5]
if kind == "csv":
    frame = pd.read_csv(path, sep=";", encoding="cp1252", dtype=str)
elif kind == "xlsx":
    frame = pd.read_excel(path, engine="calamine", dtype=str)
else:
    frame = pd.read_csv(path, sep="\t", dtype=str)
    frame = frame[frame["CompteNum"].str.startswith("411") & (frame["Debit"] != "0,00")]
    frame = frame.rename(columns={"PieceRef": "N° facture", "EcritureDate": "Date", "Debit": "Montant TTC",
                                  "CompAuxNum": "Code client"})
    frame["Échéance"] = frame["Date"]
    frame["Reste dû"] = frame["Montant TTC"]
    frame["N° facture"] = frame["N° facture"] + "-" + frame.index.astype(str)
def iso(text):
    text = str(text)
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if text.isdigit() else f"{text[6:10]}-{text[3:5]}-{text[:2]}"
def cents(text):
    text = str(text).replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    return int(round(float(text) * 100))
connection = sqlite3.connect(db)
if same == "no":  # the issue's baseline: the invoices only
    rows = [(n, 1, iso(d), iso(e), cents(a), cents(a), 0, "open", "invoice") for n, d, e, a in
            zip(frame["N° facture"], frame["Date"], frame["Échéance"], frame["Montant TTC"])]
    connection.executemany("INSERT INTO invoice (number, customer_id, issue_date, due_date, total_cents, "
                           "net_cents, vat_cents, status, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
else:  # the rows an import writes: customers, invoices with their source, a payment per customer, allocations
    codes = {code: i for i, code in enumerate(dict.fromkeys(frame["Code client"]), 1)}
    rows, allocations = [], []
    for i, (n, d, e, a, code, left) in enumerate(zip(frame["N° facture"], frame["Date"], frame["Échéance"],
                                                     frame["Montant TTC"], frame["Code client"],
                                                     frame["Reste dû"]), 1):
        total, paid = cents(a), cents(left) == 0
        rows.append((i, n, codes[code], iso(d), iso(e), total, total, 0, "paid" if paid else "open", "invoice",
                     i + 1, f"{i:032d}"))
        if paid:
            allocations.append((i, codes[code], total))
    connection.execute("INSERT INTO import_batch (id, file_name, file_hash, kind, undo, imported_at, created_count, "
                       "updated_count, skipped_count, rejected_count) VALUES (1, ?, '', 'invoices', '[]', "
                       "'2026-11-23', 0, 0, 0, 0)", (path,))
    connection.executemany(
        "INSERT INTO customer (id, name, code, siren, vat_number, address, postcode, city, email, phone, "
        "contact_name, segment, naf_code, credit_limit_cents, external_rating, salesperson, notes, created_on, "
        "terms_kind, terms_days, import_batch_id) VALUES (?, ?, ?, '', '', '', '', '', '', '', '', 'pro', '', 0, "
        "'', '', '', '2026-11-23', 'net', 30, 1)", [(i, code, code) for code, i in codes.items()])
    connection.executemany(
        "INSERT INTO payment (id, customer_id, received_on, amount_cents, method, reference, payer_iban, "
        "import_batch_id, row_hash) VALUES (?, ?, '2026-11-23', 1, 'inconnu', '', '', 1, ?)",
        [(i, i, f"settle:{i}") for i in codes.values()])
    connection.executemany(
        "INSERT INTO invoice (id, number, customer_id, issue_date, due_date, total_cents, net_cents, vat_cents, "
        "status, kind, import_batch_id, source_line, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", rows)
    connection.executemany("INSERT INTO allocation (invoice_id, payment_id, allocated_on, amount_cents, "
                           "import_batch_id) VALUES (?, ?, '2026-11-23', ?, 1)", allocations)
connection.commit()
"""


def french(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", "\u00a0") + f",{cents % 100:02d} €"


def make_files(folder: Path, rows: int) -> dict[str, Path]:
    rng = random.Random(1)
    header = ["N° facture", "Date", "Échéance", "Code client", "Client", "Montant TTC", "Reste dû"]
    data = []
    for i in range(rows):
        day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
        customer, cents = rng.randint(1, 2000), rng.randint(1000, 10**7)
        data.append([f"F{i:07d}", f"{day:%d/%m/%Y}", f"{day + timedelta(days=30):%d/%m/%Y}", f"C{customer:05d}",
                     f"Client {customer:05d} SARL", french(cents), french(cents if rng.random() < 0.3 else 0)])
    csv = folder / "factures.csv"
    csv.write_text("\n".join(";".join(r) for r in [header, *data]) + "\n", encoding="cp1252")
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Factures")
    sheet.append(header)
    for row in data:
        sheet.append(row)
    xlsx = folder / "factures.xlsx"
    book.save(xlsx)
    fec = folder / "123456789FEC20251231.txt"
    columns = ("JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib CompAuxNum CompAuxLib PieceRef "
               "PieceDate EcritureLib Debit Credit EcritureLet DateLet ValidDate Montantdevise Idevise").split()
    lines = ["\t".join(columns)]
    for entry in range(rows):  # two lines an entry: 200 000 lines for 100 000 entries
        day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 364))
        customer, cents = rng.randint(1, 2000), rng.randint(1000, 10**7)
        amount = f"{cents // 100},{cents % 100:02d}"
        stamp = f"{day:%Y%m%d}"
        lines.append("\t".join(["VE", "Ventes", str(entry), stamp, "41100000", "Clients", f"C{customer:05d}",
                                f"Client {customer:05d}", f"F{entry:07d}", stamp, "Facture", amount, "0,00", "",
                                "", stamp, "", ""]))
        lines.append("\t".join(["VE", "Ventes", str(entry), stamp, "70600000", "Prestations", "", "",
                                f"F{entry:07d}", stamp, "Facture", "0,00", amount, "", "", stamp, "", ""]))
    fec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"csv": csv, "xlsx": xlsx, "fec": fec}


def empty_database(path: Path) -> None:
    subprocess.run([sys.executable, "-c", "import sys; from app.models.db import open_database; "
                    "open_database(sys.argv[1])", str(path)], cwd=ROOT, check=True)


def installed_env() -> dict[str, str]:
    """The children's environment: the program on the path, its bytecode read as an installation's is."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=installed_env())
    elapsed = time.perf_counter() - start
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory(prefix="encours-import-bench-") as tmp:
        folder = Path(tmp)
        files = make_files(folder, rows)
        template = folder / "empty.sqlite"
        empty_database(template)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app")], check=True, env=installed_env())
        print(f"{rows} invoices per file (FEC: {2 * rows} lines); best of {RUNS}; wall time of whole processes")
        print(f"{'file':8}{'encours import':>16}{'baseline':>12}{'ratio':>8}{'same rows':>12}{'ratio':>8}"
              f"{'peak MB':>10}")
        for kind, path in files.items():
            times: dict[str, list[float]] = {"ours": [], "no": [], "yes": []}
            peak = 0.0
            for run in range(RUNS):
                for who in times:
                    db = folder / f"{kind}-{run}-{who}.sqlite"
                    db.write_bytes(template.read_bytes())
                    argv = ([sys.executable, "-m", "app", "--db", str(db), "import", str(path)] if who == "ours"
                            else [sys.executable, "-c", BASELINE, str(path), str(db), kind, who])
                    seconds, memory = timed(argv)
                    times[who].append(seconds)
                    if who == "ours":
                        peak = max(peak, memory)
            ours, base, same = (min(times[who]) for who in ("ours", "no", "yes"))
            print(f"{kind:8}{ours:>14.2f} s{base:>10.2f} s{ours / base:>8.2f}{same:>10.2f} s{ours / same:>8.2f}"
                  f"{peak:>10.0f}")


if __name__ == "__main__":
    main()
