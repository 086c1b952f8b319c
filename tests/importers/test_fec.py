"""The FEC reader against real exports and hand-made variants.

Every file of ../shared/fixtures/fec is read, and what the reader hands over is compared with figures this
test computes itself from the raw lines (its own small parser: split, strip, Decimal): rows, customers,
sums of the 411 debits and credits, credit notes, payments, lettered groups, open items, balances of classes
70 / 60 / 3 / 401. A few facts read by eye in the files are pinned too. Variants (bad date and amount,
Montant + Sens, ISO-8859-1 with "|", missing column, ragged line, duplicate piece numbers) are written here,
and a property test feeds garbage and mutated files: the reader raises ``UnreadableFile`` or returns
located problems, nothing else.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import fec
from app.importers.records import Problem, LedgerRead, UnreadableFile
from app.jobs import Job, JobCancelled
from tests.importers.garbling import garbled, mutations

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
FEC_DIR = FIXTURES / "fec"
FEC_FILES = sorted(p for p in FEC_DIR.glob("*") if p.name != "SOURCE.txt") if FEC_DIR.is_dir() else []
needs_fixtures = pytest.mark.skipif(not FEC_DIR.is_dir(),
                                    reason="../shared/fixtures absent (CI has it beside the checkout)")
OPENING_JOURNALS = {"A NOUVEAU", "A NOUVEAUX", "BILAN D'OUVERTURE", "BILAN DEBUT"}  # as the samples name them


# an independent reading of the raw file ----------------------------------------------------------------------

def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isalnum() and c.isascii())


def raw_lines(path: Path) -> list[dict]:
    """Each data line of a FEC as {canonical lower-case column: stripped text, "line": 1-based number}."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    lines = text.replace("\r\n", "\n").split("\n")
    sep = "\t" if lines[0].count("\t") > lines[0].count("|") else "|"
    header = [_plain(h) for h in lines[0].split(sep)]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            row = dict(zip(header, (f.strip() for f in line.split(sep))))
            row["line"] = number
            rows.append(row)
    return rows


def money(text: str) -> D:
    return D(text.replace(",", ".") or "0")


def net(row: dict) -> D:
    return money(row["debit"]) - money(row["credit"])


def day(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


class Expected:
    """What the raw file says, computed line by line without the reader."""

    def __init__(self, path: Path) -> None:
        rows = raw_lines(path)
        self.rows = len(rows)
        self.customer_lines = [r for r in rows if r["comptenum"].startswith("411")]
        self.customers: dict[str, str] = {}
        for r in self.customer_lines:
            key = r["compauxnum"] or r["comptenum"]
            self.customers.setdefault(key, (r["compauxlib"] if r["compauxnum"] else r["comptelib"]) or key)
        sales_entries = {(r["journalcode"], r["ecriturenum"], r["ecrituredate"], r["pieceref"])
                         for r in rows if r["comptenum"].startswith("70")}
        self.debits = [r for r in self.customer_lines if net(r) > 0]
        credits = [r for r in self.customer_lines if net(r) < 0]
        self.credit_notes = [r for r in credits if (r["journalcode"], r["ecriturenum"], r["ecrituredate"],
                                                    r["pieceref"]) in sales_entries]
        self.payments = [r for r in credits if r not in self.credit_notes]
        groups = set()
        for r in self.debits + self.credit_notes:
            opening = r["journalcode"] == "AN" or r["journallib"] in OPENING_JOURNALS
            groups.add((net(r) > 0, r["compauxnum"] or r["comptenum"], r["journalcode"], r["ecriturenum"],
                        r["ecrituredate"], r["pieceref"], r["ecriturelet"], r["line"] if opening else 0))
        self.invoice_groups = len([g for g in groups if g[0]])
        self.credit_note_groups = len([g for g in groups if not g[0]])
        self.letters = {(r["compauxnum"] or r["comptenum"], r["ecriturelet"])
                        for r in self.customer_lines if r["ecriturelet"] and net(r)}
        self.open_debits = sum((net(r) for r in self.debits if not r["ecriturelet"]), D(0))
        dates = [day(r["ecrituredate"]) for r in rows]
        self.start, self.end = (min(dates), max(dates)) if dates else (None, None)

        def balance(prefix: str, sign: int) -> D:
            return sum((sign * net(r) for r in rows if r["comptenum"].startswith(prefix)), D(0))
        self.sales, self.purchases = balance("70", -1), balance("60", 1)
        self.stocks, self.suppliers = balance("3", 1), balance("401", -1)


# every real file ---------------------------------------------------------------------------------------------

@needs_fixtures
def test_the_fixture_folder_holds_the_files_described():
    assert len(FEC_FILES) == 8
    assert not fec.identify(FEC_DIR / "SOURCE.txt")


@needs_fixtures
@pytest.mark.parametrize("path", FEC_FILES, ids=lambda p: p.name)
def test_each_real_fec_is_read_as_its_lines_say(path):
    assert fec.identify(path)
    result = fec.read(path)
    expected = Expected(path)
    assert result.kind == "fec"
    assert result.problems == []
    assert result.rows == expected.rows

    # customers: the auxiliary account when there is one, else the 411 account; named as the file names them
    assert {c.key: c.name for c in result.customers} == expected.customers
    assert all(c.code == c.key and c.line for c in result.customers)

    # every 411 debit is in an invoice, every credit in a sales entry in a credit note, every other credit
    # is a payment
    invoices = [i for i in result.invoices if i.total > 0]
    credit_notes = [i for i in result.invoices if i.total < 0]
    assert sum(i.total for i in invoices) == sum(net(r) for r in expected.debits)
    assert sum(i.total for i in credit_notes) == sum(net(r) for r in expected.credit_notes)
    assert len(invoices) == expected.invoice_groups <= len(expected.debits)
    assert len(credit_notes) == expected.credit_note_groups <= len(expected.credit_notes)
    assert len(result.payments) == len(expected.payments)
    assert sum(p.amount for p in result.payments) == -sum(net(r) for r in expected.payments)
    assert sorted(p.line for p in result.payments) == sorted(r["line"] for r in expected.payments)

    # lettering: one group per customer and letter; lettered invoices are paid; the open ones are the rest
    assert len(result.lettered) == len(expected.letters)
    assert {(g.customer_key, g.letter) for g in result.lettered} == expected.letters
    in_groups = {n for g in result.lettered for n in g.invoice_numbers}
    assert {i.number for i in result.invoices if i.paid} == in_groups
    assert sum(i.total for i in invoices if not i.paid) == expected.open_debits
    payment_letters = {p.row_hash: (p.customer_key, p.letter) for p in result.payments}
    for group in result.lettered:
        assert all(payment_letters[h] == (group.customer_key, group.letter) for h in group.payment_hashes)

    # numbers unique, hashes distinct, every record points at a line of its customer
    assert len({i.number for i in result.invoices}) == len(result.invoices)
    hashes = [r.row_hash for r in result.invoices + result.payments]
    assert len(set(hashes)) == len(hashes) and all(len(h) == 32 for h in hashes)
    by_line = {r["line"]: r for r in expected.customer_lines}
    for record in result.invoices + result.payments:
        row = by_line[record.line]
        assert (row["compauxnum"] or row["comptenum"]) == record.customer_key

    # balances of the period
    [period] = result.balances
    closing = fec._closing_date(path)
    assert (period.start, period.end) == (expected.start, closing or expected.end)
    assert (period.sales, period.purchases, period.stocks, period.suppliers) == (
        expected.sales, expected.purchases, expected.stocks, expected.suppliers)


@needs_fixtures
@pytest.mark.parametrize("path", FEC_FILES, ids=lambda p: p.name)
def test_reading_twice_gives_the_same_records(path):
    first, second = fec.read(path), fec.read(path)
    assert first == second


@needs_fixtures
def test_quadra_collective_411_with_auxiliary_accounts():
    result = fec.read(FEC_DIR / "ekylibre_quadra_123456789FEC20190731.txt")
    invoices = {i.number: i for i in result.invoices}
    assert len(result.customers) == 732
    assert (len(invoices), len(result.payments), len(result.lettered)) == (1715 + 17, 1578, 1310)
    f = invoices["180879"]  # VE000001: 411 debit 303 for MICOULAZ Michel, lettered AA
    assert (f.customer_key, f.total, f.issue_date, f.paid, f.due_date) == ("01MICO00", D("303.00"),
                                                                            date(2018, 8, 8), True, None)
    assert invoices["180974"].total == D("-937.44")          # VE000093: a credit in a sales entry
    # 181427 is a credit note (VE000526); the encashment entry ENC000022 re-debits it under the same piece
    assert invoices["181427"].total == D("-686.02")
    assert invoices["181427 [ENC ENC000022]"].total == D("686.02")
    # the opening entry AN000001 has no piece reference ("x"): one invoice brought forward per line
    aromatic = sorted((i.line, i.number, i.total) for i in result.invoices if i.customer_key == "01AROM00"
                      and i.number.startswith("AN000001"))
    assert aromatic == [(3, "AN000001 [01AROM00] #1", D("687.24")), (270, "AN000001 [01AROM00] #2", D("441.94"))]
    assert invoices["AN000001"].issue_date == date(2017, 8, 1)  # its PieceDate
    opening_credit = next(p for p in result.payments if p.line == 12)  # BAR AMERICAIN, brought forward
    assert (opening_credit.amount, opening_credit.received_on, opening_credit.letter) == (
        D("139.25"), date(2018, 8, 1), "AA")


@needs_fixtures
def test_agrigest_padded_fields_signed_amounts_and_one_account_per_customer():
    result = fec.read(FEC_DIR / "ekylibre_agrigest_123456789FEC20230331.txt")
    assert {c.key: c.name for c in result.customers}["41115100"] == "CLIENTS  coop bio"
    invoices = {i.number: i for i in result.invoices}
    # entry V 30, piece 82060: six lines for coop bio (one per site) are one invoice
    assert invoices["82060"].total == D("330.00") + D("324.26") + D("246.94") + D("110.36") + D("641.31") + D("85.36")
    assert invoices["82055"].total == D("326.00")            # two identical lines of 163,00
    assert invoices["82073"].total == D("122.50")            # V 48 ...
    assert invoices["82073 [V 52]"].total == D("55.10")      # ... and V 52 reuse the piece number
    # the opening entry AN 4 (piece 510) lists each open item on its own line: never summed
    bigot = [i for i in result.invoices if i.customer_key == "41115200" and i.number.startswith("510")]
    assert len(bigot) == 29 and sum(i.total for i in bigot) == D("13880.22")
    assert all(not i.paid for i in result.invoices)          # no lettering in this file
    assert fec.read(FEC_DIR / "ekylibre_agrigest_123456789FEC20230331.txt").balances[0].end == date(2023, 3, 31)


@needs_fixtures
def test_odicom_latin1_pipe_file_with_entry_numbers_all_zero():
    result = fec.read(FEC_DIR / "ekylibre_odicom_123456789FEC20200331.txt")
    credit_notes = {i.number: i.total for i in result.invoices if i.total < 0}
    assert len(credit_notes) == 14
    assert credit_notes["2018000102"] == D("-255.35")        # "AVOIR 9/04/18- SARL JEUNES PLANTS" (journal 70)
    assert credit_notes["OD019"] == D("-16294.06")           # receivables cancelled against 701 in the OD journal
    # the compensations of the OD journal (entry number 0 too) are not credit notes
    assert any(p.reference == "RAVENEAU COMPENSATION DETTE OD016" for p in result.payments)
    assert len({c.key for c in result.customers}) == 7 and result.lettered[0].letter == "AQ"


@needs_fixtures
def test_istea_21_columns_date_of_settlement_and_written_off_cheque():
    result = fec.read(FEC_DIR / "ekylibre_istea_123456789FEC20201231.txt")
    [cheque, written_off] = sorted(result.invoices, key=lambda i: i.line)
    assert (cheque.total, cheque.due_date, cheque.paid) == (D("47.36"), date(2020, 9, 30), True)
    assert (written_off.total, written_off.number, written_off.paid) == (D("-47.36"), "X2", True)
    assert result.lettered[0].invoice_numbers == ("504", "X2")


@needs_fixtures
def test_sage_payments_without_their_invoices_and_odoo_without_piece_reference():
    sage = fec.read(FEC_DIR / "ekylibre_sage_coala_2020.txt")
    assert sum(p.amount for p in sage.payments) == D("363.70")
    assert sage.payments[0].reference == "Reglt 4804 - Reglt 4804 ,FA2000004 123"
    assert [len(g.payment_hashes) for g in sage.lettered] == [1] * 8
    odoo = fec.read(FEC_DIR / "odoo_l10n_fr_fec_expected_report.txt")
    [invoice] = odoo.invoices
    assert (invoice.number, invoice.total, invoice.customer_key) == ("INV/2021/00001", D("7760.45"), "PARTNER_A_ID")
    assert odoo.customers[0].name == "partner_a"


# hand-made variants ------------------------------------------------------------------------------------------

HEADER = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
          "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
          "ValidDate", "Montantdevise", "Idevise")
SGE = "Société Générale d'Électricité"
ROWS = [  # journal, entry, date, account, aux, aux name, piece, label, debit, credit, letter
    ("VE", "1", "20240105", "41100000", "C001", SGE, "F1", "Facture F1", "1200,00", "0,00", "AA"),
    ("VE", "1", "20240105", "70600000", "", "", "F1", "Facture F1", "0,00", "1000,00", ""),
    ("VE", "1", "20240105", "44571000", "", "", "F1", "Facture F1", "0,00", "200,00", ""),
    ("VE", "2", "20240110", "41100000", "C002", "Blanc SARL", "F2", "Facture F2", "600,00", "0,00", ""),
    ("VE", "2", "20240110", "70600000", "", "", "F2", "Facture F2", "0,00", "600,00", ""),
    ("VE", "3", "20240115", "41100000", "C001", SGE, "AV1", "Avoir", "0,00", "200,00", "AA"),
    ("VE", "3", "20240115", "70600000", "", "", "AV1", "Avoir", "200,00", "0,00", ""),
    ("BQ", "4", "20240201", "51200000", "", "", "V1", "VIR SGE", "1000,00", "0,00", ""),
    ("BQ", "4", "20240201", "41100000", "C001", SGE, "V1", "VIR SGE", "0,00", "1000,00", "AA"),
]


def write_fec(path: Path, rows=ROWS, *, sep="\t", encoding="utf-8", header=HEADER, newline="\n") -> Path:
    lines = [sep.join(header)]
    for journal, entry, on, account, aux, aux_name, piece, label, debit, credit, letter in rows:
        lines.append(sep.join((journal, journal, entry, on, account, "Compte", aux, aux_name, piece, on, label,
                               debit, credit, letter, "", on, "", "")))
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def test_a_small_fec_gives_customers_invoices_credit_notes_payments_and_lettering(tmp_path):
    result = fec.read(write_fec(tmp_path / "123456789FEC20241231.txt"))
    assert result.problems == [] and result.rows == 9
    assert [(c.key, c.name, c.line) for c in result.customers] == [
        ("C001", "Société Générale d'Électricité", 2), ("C002", "Blanc SARL", 5)]
    assert [(i.number, i.total, i.paid, i.line) for i in result.invoices] == [
        ("F1", D("1200.00"), True, 2), ("F2", D("600.00"), False, 5), ("AV1", D("-200.00"), True, 7)]
    [payment] = result.payments
    assert (payment.amount, payment.received_on, payment.reference, payment.letter, payment.line) == (
        D("1000.00"), date(2024, 2, 1), "VIR SGE V1", "AA", 10)
    [group] = result.lettered
    assert (group.letter, group.customer_key, group.invoice_numbers, group.payment_hashes) == (
        "AA", "C001", ("F1", "AV1"), (payment.row_hash,))
    [period] = result.balances
    assert (period.start, period.end, period.sales) == (date(2024, 1, 5), date(2024, 12, 31), D("1400.00"))


def test_bad_date_and_bad_amount_are_located_problems(tmp_path):
    rows = list(ROWS)
    rows[3] = ("VE", "2", "20240231", *ROWS[3][3:])                     # file line 5: 31 February
    rows[7] = ROWS[7][:8] + ("1O00,00", "0,00", "")                     # file line 9: letter O for zero
    result = fec.read(write_fec(tmp_path / "fec.txt", rows))
    assert [(p.line, p.column, p.value) for p in result.problems] == [(5, "EcritureDate", "20240231"),
                                                                       (9, "Debit", "1O00,00")]
    assert all(isinstance(p, Problem) and p.message for p in result.problems)
    assert "AAAAMMJJ" in result.problems[0].message and "montant" in result.problems[1].message
    assert str(result.problems[0]).startswith("ligne 5, colonne EcritureDate : « 20240231 »")
    assert result.rows == 9
    assert [i.number for i in result.invoices] == ["F1", "AV1"]         # F2's only 411 line is unreadable


def test_an_unreadable_line_drops_its_whole_invoice(tmp_path):
    rows = [("VE", "9", "20240301", "41100000", "C003", "Noir", "F9", "Facture F9 site A", "100,00", "0,00", ""),
            ("VE", "9", "20240301", "41100000", "C003", "Noir", "F9", "Facture F9 site B", "5O,00", "0,00", ""),
            ("VE", "9", "20240301", "70600000", "", "", "F9", "Facture F9", "0,00", "150,00", "")]
    result = fec.read(write_fec(tmp_path / "fec.txt", rows))
    assert [(p.line, p.column) for p in result.problems] == [(3, "Debit")]
    assert result.invoices == []  # 100,00 alone would be a wrong total


def test_a_bad_piece_date_is_a_problem_on_its_line(tmp_path):
    path = write_fec(tmp_path / "fec.txt")
    text = path.read_text().replace("F2\t20240110", "F2\t2024-13-10")
    path.write_text(text)
    result = fec.read(path)
    assert [(p.line, p.column, p.value) for p in result.problems] == [(5, "PieceDate", "2024-13-10")]
    assert "F2" not in [i.number for i in result.invoices]


def test_montant_and_sens_read_as_debit_and_credit(tmp_path):
    plain = fec.read(write_fec(tmp_path / "plain.txt"))
    header = HEADER[:11] + ("Montant", "Sens") + HEADER[13:]
    path = tmp_path / "sens.txt"
    lines = ["\t".join(header)]
    for journal, entry, on, account, aux, aux_name, piece, label, debit, credit, letter in ROWS:
        amount, sense = (debit, "D") if debit != "0,00" else (credit, "C")
        lines.append("\t".join((journal, journal, entry, on, account, "Compte", aux, aux_name, piece, on, label,
                                amount, sense, letter, "", on, "", "")))
    path.write_text("\n".join(lines) + "\n")
    result = fec.read(path)
    assert result.problems == []
    assert result.invoices == plain.invoices and result.payments == plain.payments  # hashes included
    assert result.lettered == plain.lettered
    bad = path.read_text().replace("1200,00\tD", "1200,00\tX")
    path.write_text(bad)
    assert [(p.line, p.column, p.value) for p in fec.read(path).problems] == [(2, "Sens", "X")]


def test_latin1_pipe_padded_crlf_file(tmp_path):
    header = tuple(name.upper() if name == "CompteLib" else name for name in HEADER)  # COMPTELIB, MontantDevise...
    header = tuple("MontantDevise" if name == "Montantdevise" else name for name in header)
    padded = [tuple(f"{field:<12}" for field in row) for row in ROWS]
    path = write_fec(tmp_path / "fec.txt", padded, sep="|", encoding="latin-1", header=header, newline="\r\n")
    assert fec.identify(path)
    result = fec.read(path)
    assert result.problems == []
    assert result.customers[0].name == "Société Générale d'Électricité"
    assert [i.total for i in result.invoices] == [D("1200.00"), D("600.00"), D("-200.00")]
    assert result.invoices == fec.read(write_fec(tmp_path / "plain.txt")).invoices


def test_signed_zero_padded_amounts_and_negative_amounts(tmp_path):
    rows = [("VE", "1", "20240105", "41100000", "", "", "F1", "Facture", "+000001107,13", "+000000000,00", ""),
            ("VE", "1", "20240105", "70600000", "", "", "F1", "Facture", "+000000000,00", "+000001107,13", ""),
            # a negative debit on a customer line in a sales entry is a credit note
            ("VE", "2", "20240106", "41100000", "", "", "A1", "Avoir", "-000000007,13", "+000000000,00", ""),
            ("VE", "2", "20240106", "70600000", "", "", "A1", "Avoir", "+000000000,00", "-000000007,13", "")]
    result = fec.read(write_fec(tmp_path / "fec.txt", rows))
    assert result.problems == []
    assert [(i.number, i.total, i.customer_key) for i in result.invoices] == [
        ("F1", D("1107.13"), "41100000"), ("A1", D("-7.13"), "41100000")]
    assert result.customers[0].name == "Compte"   # no auxiliary account: the 411 account, named by CompteLib
    assert result.balances[0].sales == D("1100.00")


def test_missing_required_column_is_an_unreadable_file(tmp_path):
    header = tuple(name for name in HEADER if name != "CompteNum")
    path = tmp_path / "fec.txt"
    path.write_text("\t".join(header) + "\n" + "\t".join(["VE"] * len(header)) + "\n")
    assert fec.identify(path)  # still a FEC, so that this reader says what is missing
    with pytest.raises(UnreadableFile, match="CompteNum"):
        fec.read(path)
    path.write_text("\t".join(h for h in HEADER if h not in ("Debit", "Credit")) + "\n")
    with pytest.raises(UnreadableFile, match="Debit, Credit"):
        fec.read(path)


def test_other_files_are_not_a_fec(tmp_path):
    invoices = tmp_path / "factures.csv"
    invoices.write_text("Numéro;Date;Client;Montant TTC\nF1;01/01/2024;Blanc;120,00\n")
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    for path in (invoices, empty, tmp_path / "absent.txt"):
        assert not fec.identify(path)
        with pytest.raises(UnreadableFile):
            fec.read(path)


def test_a_line_with_a_wrong_number_of_fields_is_a_problem(tmp_path):
    path = write_fec(tmp_path / "fec.txt")
    lines = path.read_text().split("\n")
    lines[4] = lines[4].replace("Facture F2", "Facture\tF2")      # a tab inside a label: the line shifts
    lines[6] = "\t".join(lines[6].split("\t")[:16])                # no Montantdevise / Idevise: harmless
    path.write_text("\n".join(lines))
    result = fec.read(path)
    assert [(p.line, p.column) for p in result.problems] == [(5, None)]
    assert "19 champs au lieu de 18" in result.problems[0].message
    assert [i.number for i in result.invoices] == ["F1", "AV1"]
    # a separator closing every data line (not the header) is a convention of the file, not a problem
    path.write_text("\n".join(line + "\t" if n and line else line for n, line in enumerate(path.read_text()
                                                                                           .split("\n"))))
    closed = fec.read(path)
    assert [(p.line, p.column) for p in closed.problems] == [(5, None)]
    assert closed.invoices == result.invoices


def test_the_same_piece_number_in_two_entries_gets_told_apart(tmp_path):
    rows = ROWS + [  # the bank re-debits F1 under its piece number (a bounced transfer), then it is paid again
        ("BQ", "7", "20240210", "41100000", "C001", "SGE", "F1", "Rejet VIR", "1000,00", "0,00", "AB"),
        ("BQ", "7", "20240210", "51200000", "", "", "F1", "Rejet VIR", "0,00", "1000,00", ""),
        ("BQ", "8", "20240220", "41100000", "C001", "SGE", "F1", "VIR", "0,00", "1000,00", "AB")]
    result = fec.read(write_fec(tmp_path / "fec.txt", rows))
    numbers = [i.number for i in result.invoices]
    assert numbers == ["F1", "F2", "AV1", "F1 [BQ 7]"]
    assert result.lettered[1].invoice_numbers == ("F1 [BQ 7]",)


def test_opening_entries_keep_one_item_per_line(tmp_path):
    rows = [("AN", "1", "20240101", "41100000", "C001", "SGE", "x", "Report F0", "300,00", "0,00", ""),
            ("AN", "1", "20240101", "41100000", "C001", "SGE", "x", "Report F00", "200,00", "0,00", "AZ"),
            ("AN", "1", "20240101", "41100000", "C002", "Blanc", "x", "Report", "50,00", "0,00", ""),
            ("AN", "1", "20240101", "41100000", "C002", "Blanc", "x", "Acompte", "0,00", "20,00", ""),
            ("AN", "1", "20240101", "89000000", "", "", "x", "Bilan d'ouverture", "0,00", "530,00", "")]
    result = fec.read(write_fec(tmp_path / "fec.txt", rows))
    assert [(i.number, i.total, i.paid) for i in result.invoices] == [
        ("AN-1", D("300.00"), False), ("AN-1 [C001]", D("200.00"), True), ("AN-1 [C002]", D("50.00"), False)]
    assert [(p.amount, p.received_on) for p in result.payments] == [(D("20.00"), date(2024, 1, 1))]


def test_a_later_export_recognises_the_same_rows(tmp_path):
    before = fec.read(write_fec(tmp_path / "a.txt", ROWS[:5]))
    lettered = [row[:10] + ("AB",) if row[0] == "VE" and row[1] == "2" and row[3] == "41100000" else row
                for row in ROWS]
    later = fec.read(write_fec(tmp_path / "b.txt", lettered + [
        ("BQ", "5", "20240301", "41100000", "C002", "Blanc SARL", "V2", "VIR", "0,00", "600,00", "AB")]))
    old = {i.number: i.row_hash for i in before.invoices}
    new = {i.number: i.row_hash for i in later.invoices}
    assert old["F1"] == new["F1"] and old["F2"] == new["F2"]  # lettered since: the same rows
    assert next(i for i in later.invoices if i.number == "F2").paid


def test_progress_every_thousand_lines_and_cancel(tmp_path):
    rows = [("VE", str(n), "20240105", "41100000", f"C{n % 7}", "X", f"F{n}", "F", "10,00", "0,00", "")
            for n in range(2500)]
    path = write_fec(tmp_path / "fec.txt", rows)
    seen = []
    job = Job(lambda done, total, label: seen.append((done, total)))
    result = fec.read(path, job)
    assert len(result.invoices) == 2500
    assert seen[0] == (0, 2500) and [d for d, _ in seen[1:]] == [1000, 2000, 2500]
    job.cancel()
    with pytest.raises(JobCancelled):
        fec.read(path, job)


# speed -------------------------------------------------------------------------------------------------------

def big_fec(path: Path, lines: int) -> Path:
    """A year of sales, bank receipts and purchases: 7 lines for every invoice paid, 5 for one still open."""
    rnd = random.Random(7)
    rows = []
    k = 0
    while len(rows) < lines:
        k += 1
        on = f"2024{rnd.randrange(1, 13):02d}{rnd.randrange(1, 29):02d}"
        customer, net_cents = f"C{rnd.randrange(2000):05d}", rnd.randrange(1000, 500000)
        ht, tva = f"{net_cents // 100},{net_cents % 100:02d}", f"{net_cents // 500},{net_cents // 5 % 100:02d}"
        cents = net_cents + net_cents // 5
        ttc = f"{cents // 100},{cents % 100:02d}"
        letter = f"L{k}" if k % 3 else ""
        rows += [("VE", f"VE{k}", on, "41100000", customer, "Client", f"F{k}", "Facture", ttc, "0,00", letter),
                 ("VE", f"VE{k}", on, "70600000", "", "", f"F{k}", "Facture", "0,00", ht, ""),
                 ("VE", f"VE{k}", on, "44571000", "", "", f"F{k}", "Facture", "0,00", tva, "")]
        if letter:
            rows += [("BQ", f"BQ{k}", on, "41100000", customer, "Client", f"V{k}", "VIR", "0,00", ttc, letter),
                     ("BQ", f"BQ{k}", on, "51200000", "", "", f"V{k}", "VIR", ttc, "0,00", "")]
        rows += [("AC", f"AC{k}", on, "60700000", "", "", f"A{k}", "Achat", ht, "0,00", ""),
                 ("AC", f"AC{k}", on, "40100000", "F01", "Fournisseur", f"A{k}", "Achat", "0,00", ht, "")]
    return write_fec(path, rows[:lines])


@pytest.mark.slow
def test_two_hundred_thousand_lines_are_read_whole(tmp_path):
    """A large FEC read to its last line, each invoice once (its speed is measured in bench/fec_read_bench.py
    and bench/import_bench.py, beside raw baselines: no test measures time)."""
    path = big_fec(tmp_path / "123456789FEC20241231.txt", 200_000)
    result = fec.read(path)
    assert result.rows == 200_000 and result.problems == []
    assert len({i.number for i in result.invoices}) == len(result.invoices) > 28_000


# never anything but UnreadableFile or problems -------------------------------------------------------------

def small_fec_bytes() -> bytes:
    lines = ["\t".join(HEADER)]
    for journal, entry, on, account, aux, aux_name, piece, label, debit, credit, letter in ROWS:
        lines.append("\t".join((journal, journal, entry, on, account, "Compte", aux, aux_name, piece, on, label,
                                debit, credit, letter, "", on, "", "")))
    return ("\n".join(lines) + "\n").encode("utf-8")


def check_outcome(path: Path) -> None:
    fec.identify(path)
    try:
        result = fec.read(path)
    except UnreadableFile as error:
        assert str(error)
        return
    assert isinstance(result, LedgerRead)
    assert all(isinstance(p, Problem) for p in result.problems)
    assert len({i.number for i in result.invoices}) == len(result.invoices)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_garbage_bytes_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "garbage.txt"
    path.write_bytes(data)
    check_outcome(path)


EDITS = mutations(10_000, [b"\t", b"|", b"\n", b"\r", b"-", b",", b"\xe9", b"\x00", b"+", b"e9", b"NaN", b"9" * 40],
                  longest=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_mutated_fec_never_raises_anything_else(tmp_path, edits):
    data = garbled(small_fec_bytes(), edits)
    path = tmp_path / "mutated.txt"
    path.write_bytes(data)
    check_outcome(path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(ROWS) - 1), st.integers(0, 10),
                          st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)),
                min_size=1, max_size=5))
def test_random_field_values_give_located_problems(tmp_path, changes):
    rows = [list(row) for row in ROWS]
    for row, column, value in changes:
        rows[row][column] = value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    path = write_fec(tmp_path / "fields.txt", [tuple(r) for r in rows])
    result = fec.read(path)
    assert all(isinstance(p, Problem) and p.message for p in result.problems)
    # only the lines whose date, account or amounts were changed can be refused, each where it was changed
    read_fields = {2: "EcritureDate", 3: "CompteNum", 8: "Debit", 9: "Credit"}
    changed = {(row + 2, read_fields[column]) for row, column, _ in changes if column in read_fields}
    changed |= {(row + 2, "PieceDate") for row, column, _ in changes if column == 2}
    assert {(p.line, p.column) for p in result.problems} <= changed
