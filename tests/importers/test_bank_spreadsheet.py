"""The bank statement reader on French banks' CSV and XLSX exports: the Crédit Mutuel files of
../shared/fixtures/bank_csv_fr checked against a parse of their own here, and hand-made files in the layouts
of Crédit Agricole, Boursorama, Caisse d'Épargne, Fortuneo and Qonto: each mapped from its headers alone,
every line's date, amount, sign and label checked, the closing balance, the rows left out and why."""

from __future__ import annotations

import codecs
import random
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import bank, spreadsheet
from app.importers.columns import BANK, INVOICES, missing_required, propose_mapping
from app.importers.records import StatementBalance, UnreadableFile
from app.jobs import Job, JobCancelled

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "bank_csv_fr"
CREDIT_MUTUEL = [FIXTURES / "creditmutuel_ccm_courant_synthetic.csv",
                 FIXTURES / "creditmutuel_ccm_courant_synthetic.latin9_crlf.csv"]
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures/bank_csv_fr absent")


def write(tmp_path: Path, name: str, text: str, encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def summary(result) -> list[tuple[date, D, str]]:
    return [(line.booked_on, line.amount, line.label) for line in result.bank_lines]


# --- Crédit Mutuel: the shared fixtures, against a parse of their own ----------------------------------------


def own_parse(path: Path) -> list[tuple[date, D, str, D]]:
    """(date, signed amount, label, balance) of each line, read the plainest way: the file is known to be
    ';'-separated, unquoted, one line per row, Débit negative, decimal comma."""
    data = path.read_bytes()
    text = data.decode("utf-8") if b"\r\n" not in data else data.decode("iso-8859-15")
    rows = [line.split(";") for line in text.splitlines()[1:] if line]

    def amount(text: str) -> D:
        return D(text.replace(",", ".")) if text else D(0)

    def day(text: str) -> date:
        return date(int(text[6:]), int(text[3:5]), int(text[:2]))

    return [(day(booked), amount(credit) - abs(amount(debit)), label, amount(balance))
            for booked, _value, debit, credit, label, balance in rows]


@needs_fixtures
@pytest.mark.parametrize("path", CREDIT_MUTUEL, ids=["utf8-lf", "latin9-crlf"])
def test_credit_mutuel_fixtures(path):
    expected = own_parse(path)
    assert bank.identify(path) and not missing_required(bank.inspect(path).mapping, BANK)
    result = bank.read(path)
    assert result.kind == "bank" and not result.problems and not result.skipped
    assert result.rows == len(result.bank_lines) == len(expected) == 24
    assert summary(result) == [(booked, amount, label) for booked, amount, label, _balance in expected]
    assert [line.line for line in result.bank_lines] == list(range(2, 26))
    credits = [line for line in result.bank_lines if line.amount > 0]
    assert len(credits) == sum(1 for _d, amount, _l, _b in expected if amount > 0) == 3
    first, last = expected[0], expected[-1]
    opening = first[3] - first[1]
    assert opening + sum(line.amount for line in result.bank_lines) == last[3]  # the file's running balance
    assert result.statement_balances == [StatementBalance("", date(2025, 11, 30), last[3], line=25)]
    assert result.bank_lines[6].value_on == date(2025, 11, 5)  # booked 06/11, value 05/11
    assert len({line.row_hash for line in result.bank_lines}) == 24


@needs_fixtures
def test_both_credit_mutuel_files_give_the_same_lines():
    utf8, latin9 = (bank.read(path) for path in CREDIT_MUTUEL)
    assert [line.row_hash for line in utf8.bank_lines] == [line.row_hash for line in latin9.bank_lines]


# --- Crédit Agricole: a preamble, labels on several lines, ISO-8859-1 ---------------------------------------

def credit_agricole(currency: str) -> str:
    return "\r\n".join([
        "Téléchargement du 05/11/2026;",
        "",
        "M.       DUPONT JEAN",
        "Compte de Dépôt carte n° 04106119371;",
        f"Solde au 31/10/2026 12 345,67 {currency}",
        "",
        "Liste des opérations du compte entre le 01/10/2026 et le 31/10/2026;",
        "",
        "Date;Libellé;Débit euros;Crédit euros;",
        '31/10/2026;"VIREMENT EN VOTRE FAVEUR\r\nGARAGE PETIT FACTURE F-100\r\n\r\n\r\n";;1 200,00;',
        '30/10/2026;"PRELEVEMENT\r\nEDF CLIENTS PARTICULIERS\r\n\r\n";108,13;;',
        '30/10/2026;"PAIEMENT PAR CARTE\r\nX4912 BOULANGERIE  29/10\r\n";4,80;;',
        '30/10/2026;"PAIEMENT PAR CARTE\r\nX4912 BOULANGERIE  29/10\r\n";4,80;;',
        '02/10/2026;"REMISE DE CHEQUE\r\n3446335\r\n";;30,13;',
        "",
    ])


@pytest.mark.parametrize("encoding, currency", [("latin-1", "EUR"), ("cp1252", "€")])
def test_credit_agricole(tmp_path, encoding, currency):
    path = write(tmp_path, "CA20261105.csv", credit_agricole(currency), encoding)
    sheet = bank.inspect(path)
    assert sheet.header_line == 9 and sheet.missing == []
    assert sheet.mapping == {"booked_on": "Date", "label": "Libellé", "debit": "Débit euros",
                             "credit": "Crédit euros"}
    assert bank.identify(path)
    result = bank.read(path)
    assert not result.problems and result.rows == 5
    assert summary(result) == [
        (date(2026, 10, 31), D("1200.00"), "VIREMENT EN VOTRE FAVEUR GARAGE PETIT FACTURE F-100"),
        (date(2026, 10, 30), D("-108.13"), "PRELEVEMENT EDF CLIENTS PARTICULIERS"),
        (date(2026, 10, 30), D("-4.80"), "PAIEMENT PAR CARTE X4912 BOULANGERIE 29/10"),
        (date(2026, 10, 30), D("-4.80"), "PAIEMENT PAR CARTE X4912 BOULANGERIE 29/10"),
        (date(2026, 10, 2), D("30.13"), "REMISE DE CHEQUE 3446335"),
    ]
    assert [line.line for line in result.bank_lines] == [10, 15, 19, 22, 25]  # where each row starts
    assert {line.account for line in result.bank_lines} == {"04106119371"}
    assert result.statement_balances == [StatementBalance("04106119371", date(2026, 10, 31), D("12345.67"),
                                                          line=5)]
    twins = result.bank_lines[2:4]  # two identical card payments on one day: two lines
    assert twins[0].row_hash != twins[1].row_hash


# --- Boursorama: UTF-8 with BOM, ISO dates, one signed amount, several accounts ------------------------------

BOURSORAMA = "\ufeff" + "\n".join([
    "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;accountLabel;"
    "accountbalance",
    '2026-10-31;2026-10-31;"VIR SEPA GARAGE PETIT F-100";"Virements reçus";"Virements reçus";"garage petit";'
    '"1 234,56";;00040211293;"BoursoBank";"12 345,67"',
    '2026-10-31;2026-10-31;"CARTE 30/10/26 CARREFOUR CB*1234";"Alimentation";"Vie quotidienne";"carrefour";'
    '-23,45;"courses";00040211293;"BoursoBank";"11 111,11"',
    '2026-10-29;2026-10-30;"PRLV SEPA URSSAF";"Impôts et taxes";"Impôts";"urssaf";"-1\u00a0002,00";;'
    '00040211293;"BoursoBank";"11 134,56"',
    '2026-10-30;2026-10-30;"VIR INTERNE";"Virements";"Virements";;"500,00";;00099999999;"Livret";"2 500,00"',
    "",
])


def test_boursorama(tmp_path):
    path = write(tmp_path, "export-operations-31-10-2026.csv", BOURSORAMA, "utf-8")
    sheet = bank.inspect(path)
    assert sheet.encoding == "utf-8-sig" and sheet.missing == []
    assert sheet.mapping == {"booked_on": "dateOp", "value_on": "dateVal", "label": "label", "amount": "amount",
                             "balance": "accountbalance", "counterparty": "supplierFound", "account": "accountNum"}
    result = bank.read(path)
    assert not result.problems and result.rows == 4
    assert summary(result) == [
        (date(2026, 10, 31), D("1234.56"), "VIR SEPA GARAGE PETIT F-100"),
        (date(2026, 10, 31), D("-23.45"), "CARTE 30/10/26 CARREFOUR CB*1234"),
        (date(2026, 10, 29), D("-1002.00"), "PRLV SEPA URSSAF"),
        (date(2026, 10, 30), D("500.00"), "VIR INTERNE"),
    ]
    first = result.bank_lines[0]
    assert (first.account, first.counterparty, first.value_on) == ("00040211293", "garage petit", date(2026, 10, 31))
    # the newest line first: of the two lines of 31/10, the first in the file is the later one
    assert sorted(result.statement_balances) == [
        StatementBalance("00040211293", date(2026, 10, 31), D("12345.67"), line=2),
        StatementBalance("00099999999", date(2026, 10, 30), D("2500.00"), line=5)]


# --- Caisse d'Épargne / Banque Populaire: four texts, Debit and Credit signed ---------------------------------

CAISSE_EPARGNE = "\r\n".join([
    "Date de comptabilisation;Libelle simplifie;Libelle operation;Reference;Informations complementaires;"
    "Type operation;Categorie;Sous categorie;Debit;Credit;Date operation;Date de valeur;Pointage operation",
    "31/10/2026;VIR SEPA GARAGE PETIT;VIR SEPA GARAGE PETIT FACTURE F-100;2610311234AB;F-100 ET F-101;"
    "Virement recu;Virements recus;Clients;;+1200,00;30/10/2026;31/10/2026;0",
    "30/10/2026;PRLV SEPA EDF;PRLV SEPA EDF CLIENTS PARTICULIERS;2610301111;ECH 30/10/26 REF EDF123;"
    "Prelevement;Energie;Electricite;-108,13;;30/10/2026;30/10/2026;0",
    "29/10/2026;CB BOULANGERIE;CB BOULANGERIE FACT 281026;;;Carte bancaire;Alimentation;;-4,8;;28/10/2026;"
    "29/10/2026;1",
    "",
])


def test_caisse_epargne(tmp_path):
    path = write(tmp_path, "telechargement.csv", CAISSE_EPARGNE, "cp1252")
    sheet = bank.inspect(path)
    assert sheet.mapping == {
        "booked_on": "Date de comptabilisation", "value_on": "Date de valeur", "label": "Libelle simplifie",
        "detail": "Libelle operation", "information": "Informations complementaires", "debit": "Debit",
        "credit": "Credit", "reference": "Reference"}
    result = bank.read(path)
    assert not result.problems and result.statement_balances == []
    assert summary(result) == [
        (date(2026, 10, 31), D("1200.00"), "VIR SEPA GARAGE PETIT FACTURE F-100 F-100 ET F-101"),
        (date(2026, 10, 30), D("-108.13"), "PRLV SEPA EDF CLIENTS PARTICULIERS ECH 30/10/26 REF EDF123"),
        (date(2026, 10, 29), D("-4.80"), "CB BOULANGERIE FACT 281026"),
    ]
    assert [line.reference for line in result.bank_lines] == ["2610311234AB", "2610301111", ""]
    assert result.bank_lines[0].value_on == date(2026, 10, 31)


# --- Fortuneo: ISO-8859-1, a trailing ';', debits negative, one decimal --------------------------------------

FORTUNEO = "\r\n".join([
    "Date opération;Date valeur;libellé;Débit;Crédit;",
    "31/10/2026;31/10/2026;VIR DE GARAGE PETIT;;1200,5;",
    "30/10/2026;02/11/2026;CARTE 29/10 BOULANGERIE;-4,8;;",
    "15/10/2026;15/10/2026;PRLV SEPA AXA;-1 230;;",
    "",
])


def test_fortuneo(tmp_path):
    path = write(tmp_path, "HistoriqueOperations_0123456789_du_01_10_2026_au_31_10_2026.csv", FORTUNEO, "latin-1")
    sheet = bank.inspect(path)
    assert sheet.encoding == "cp1252" and sheet.headers == ["Date opération", "Date valeur", "libellé", "Débit",
                                                            "Crédit"]
    assert sheet.mapping == {"booked_on": "Date opération", "value_on": "Date valeur", "label": "libellé",
                             "debit": "Débit", "credit": "Crédit"}
    result = bank.read(path)
    assert not result.problems
    assert summary(result) == [(date(2026, 10, 31), D("1200.50"), "VIR DE GARAGE PETIT"),
                               (date(2026, 10, 30), D("-4.80"), "CARTE 29/10 BOULANGERIE"),
                               (date(2026, 10, 15), D("-1230.00"), "PRLV SEPA AXA")]
    assert result.bank_lines[1].value_on == date(2026, 11, 2)


# --- Qonto: commas, UTC timestamps, a status -----------------------------------------------------------------

QONTO = "\n".join([
    "Status,Settlement date (UTC),Operation date (UTC),Total amount (incl. VAT),Currency,Counterparty name,"
    "Payment method,Transaction ID,IBAN,Reference,Category,Note,VAT amount,Initiator",
    "settled,2026-10-31 09:12:45,2026-10-31 09:12:40,1200.00,EUR,Garage Petit,transfer,tx-0001,"
    "FR76 3000 4000 0312 3456 7890 143,Facture F-100,sales,,,",
    "declined,,2026-10-30 18:00:00,-45.00,EUR,Amazon,card,tx-0002,,,,,,Jean Dupont",
    "pending,,2026-10-31 22:00:00,-12.00,EUR,Uber,card,tx-0003,,,,,,Jean Dupont",
    'completed,2026-10-30 10:00:00,2026-10-29 10:00:00,-99.90,EUR,OVH,card,tx-0004,,"Serveur, octobre",'
    "hosting,,16.65,Jean Dupont",
    "reversed,2026-10-29 08:00:00,2026-10-28 08:00:00,-10.00,EUR,Zeta,card,tx-0005,,,,,,Jean Dupont",
    "",
])


def test_qonto(tmp_path):
    path = write(tmp_path, "qonto-transactions.csv", QONTO, "utf-8")
    sheet = bank.inspect(path)
    assert sheet.separator == ","
    assert sheet.mapping == {
        "booked_on": "Settlement date (UTC)", "label": "Counterparty name", "detail": "Reference",
        "amount": "Total amount (incl. VAT)", "iban": "IBAN", "reference": "Transaction ID", "status": "Status"}
    result = bank.read(path)
    assert not result.problems and result.rows == 2
    assert summary(result) == [(date(2026, 10, 31), D("1200.00"), "Garage Petit Facture F-100"),
                               (date(2026, 10, 30), D("-99.90"), "OVH Serveur, octobre")]
    first = result.bank_lines[0]
    assert (first.iban, first.reference) == ("FR7630004000031234567890143", "tx-0001")
    # the lines the bank has not booked are remarks the user sees, with their status, not read and not lost
    assert [(note.line, note.message) for note in result.warnings] == [
        (3, "opération non passée ignorée (statut « declined »)"),
        (4, "opération non passée ignorée (statut « pending »)"),
        (6, "opération non passée ignorée (statut « reversed »)")]


def test_unknown_status_is_a_problem(tmp_path):
    path = write(tmp_path, "qonto.csv", QONTO.replace("completed,", "frozen,"), "utf-8")
    result = bank.read(path)
    assert [(p.line, p.column, p.value) for p in result.problems] == [(5, "Status", "frozen")]
    assert "statut inconnu" in result.problems[0].message and result.rows == 2


# --- XLSX ------------------------------------------------------------------------------------------------------


def test_xlsx_with_date_and_number_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Opérations"
    sheet.append(["Relevé du compte FR76 3000 4000 0312 3456 7890 143"])
    sheet.append(["Solde au 31/10/2026 : 12 345,67 €"])
    sheet.append([])
    sheet.append(["Date opération", "Date valeur", "Libellé", "Débit", "Crédit", "Solde"])
    sheet.append([datetime(2026, 10, 2), datetime(2026, 10, 2), "VIR GARAGE PETIT", None, 1200.5, 10000.5])
    sheet.append([datetime(2026, 10, 15), "16/10/2026", "PRLV URSSAF", -1002, None, 8998.5])
    sheet.append([46326, datetime(2026, 10, 31), "CB   BOULANGERIE", 4.8, None, 8993.7])  # an Excel serial day
    sheet.append([None, None, "Total des opérations", 1006.8, 1200.5, None])
    path = tmp_path / "releve.xlsx"
    book.save(path)
    assert bank.identify(path)
    assert bank.inspect(path).mapping == {"booked_on": "Date opération", "value_on": "Date valeur",
                                          "label": "Libellé", "debit": "Débit", "credit": "Crédit",
                                          "balance": "Solde"}
    result = bank.read(path)
    assert not result.problems and result.rows == 3
    assert summary(result) == [(date(2026, 10, 2), D("1200.50"), "VIR GARAGE PETIT"),
                               (date(2026, 10, 15), D("-1002.00"), "PRLV URSSAF"),
                               (date(2026, 10, 31), D("-4.80"), "CB BOULANGERIE")]
    assert [line.line for line in result.bank_lines] == [5, 6, 7]
    assert result.bank_lines[1].value_on == date(2026, 10, 16)
    assert [(note.line, note.message) for note in result.skipped] == [(8, "ligne de total ignorée")]
    account = "FR7630004000031234567890143"
    assert {line.account for line in result.bank_lines} == {account}
    # the balance stated above the table wins over the column's
    assert result.statement_balances == [StatementBalance(account, date(2026, 10, 31), D("12345.67"), line=2)]


# --- what is not read, and where ------------------------------------------------------------------------------


def test_located_problems_totals_and_footers(tmp_path):
    text = "\r\n".join([
        "Date;Libellé;Débit;Crédit;Solde",
        "01/10/2026;VIR GARAGE PETIT;;100,00;1 100,00",
        "32/10/2026;PRLV EDF;50,00;;1 050,00",          # no such day
        "03/10/2026;CB BOULANGERIE;4,8O;;1 045,20",     # a letter O in the amount
        "04/10/2026;;10,00;;1 035,20",                  # no label
        "05/10/2026;FRAIS;;;1 035,20",                  # no amount
        "06/10/2026;COTISATION OFFERTE;0,00;;1 035,20",  # moves no money
        "06/10/2026;VIR DURAND;;20,00;1 O55,20",         # a letter O in the balance: a warning
        ";Solde créditeur au 06/10/2026;;;1 035,20",
        ";Total des mouvements;64,80;100,00;",
        ";Document édité le 07/10/2026;;;",
        "",
    ])
    path = write(tmp_path, "releve.csv", text, "cp1252")
    result = bank.read(path)
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (3, "Date", "32/10/2026"), (4, "Débit", "4,8O"), (5, "Libellé", ""), (6, "Débit", "")]
    assert "n'est pas une date" in result.problems[0].message and "montant" in result.problems[1].message
    assert "libellé manquant" in result.problems[2].message and "montant manquant" in result.problems[3].message
    assert summary(result) == [(date(2026, 10, 1), D("100.00"), "VIR GARAGE PETIT"),
                               (date(2026, 10, 6), D("20.00"), "VIR DURAND")]
    # the line of 0,00 € is a remark the user sees, the totals and footers are only noted
    assert [(p.line, p.column, p.value) for p in result.warnings] == [(7, None, "06/10/2026"), (8, "Solde", "1 O55,20")]
    assert result.warnings[0].message == "opération de montant nul ignorée"
    assert [(note.line, note.message) for note in result.skipped] == [
        (9, "ligne de total ignorée"), (10, "ligne de total ignorée"),
        (11, "ligne sous le tableau ignorée (total ou pied de page)")]
    assert result.rows == 6
    assert result.statement_balances == []  # the last line's balance did not read: none is guessed


def test_mapping_given_and_saved(tmp_path):
    path = write(tmp_path, "releve.csv", FORTUNEO, "latin-1")
    mapping = {"booked_on": "Date valeur", "label": "LIBELLÉ", "debit": "Débit", "credit": "Crédit"}
    result = bank.read(path, mapping=mapping)
    assert result.mapping["label"] == "libellé" and result.bank_lines[1].booked_on == date(2026, 11, 2)
    saved = bank.read(path, saved=lambda signature: mapping if signature == bank.inspect(path).signature else None)
    assert summary(saved) == summary(result)
    with pytest.raises(UnreadableFile, match="Libellé"):
        bank.read(path, mapping={"booked_on": "Date valeur", "debit": "Débit"})
    with pytest.raises(UnreadableFile, match="champ inconnu « number »"):
        bank.read(path, mapping={**mapping, "number": "Débit"})


def test_identify_tells_bank_statements_from_invoice_tables(tmp_path):
    invoices = write(tmp_path, "factures.csv", "N° facture;Date;Client;Libellé;Montant TTC\r\n"
                     "F-1;01/10/2026;Garage Petit;Vidange;120,00\r\n", "cp1252")
    assert not bank.identify(invoices) and spreadsheet.identify(invoices)
    for name, text in (("ca.csv", credit_agricole("EUR")), ("bourso.csv", BOURSORAMA), ("ce.csv", CAISSE_EPARGNE),
                       ("fortuneo.csv", FORTUNEO), ("qonto.csv", QONTO)):
        path = write(tmp_path, name, text, "cp1252" if name == "ca.csv" else "utf-8")
        assert bank.identify(path), name
        headers = spreadsheet.head_headers(path, BANK)
        assert missing_required(propose_mapping(headers, INVOICES))  # no invoice table
    assert not bank.identify(write(tmp_path, "notes.txt", "rien à voir\nici\n", "utf-8"))
    assert not bank.identify(write(tmp_path, "photo.png", "\x89PNG", "latin-1"))
    assert not bank.identify(tmp_path / "absent.csv")


def test_identify_reads_only_the_head(tmp_path, monkeypatch):
    body = "".join(f"{day % 28 + 1:02d}/10/2026;\"OPERATION\r\n{day}\";-1,00;\r\n" for day in range(20_000))
    path = write(tmp_path, "long.csv", "Date;Libellé;Débit;Crédit\r\n" + body, "utf-8")
    assert path.stat().st_size > 10 * spreadsheet.HEAD_BYTES
    monkeypatch.setattr(Path, "read_bytes", lambda _path: pytest.fail("the whole file was read"))
    assert bank.identify(path)


def test_same_file_same_hashes_and_an_overlapping_statement(tmp_path):
    october = write(tmp_path, "octobre.csv", credit_agricole("EUR"), "latin-1")
    hashes = [line.row_hash for line in bank.read(october).bank_lines]
    assert hashes == [line.row_hash for line in bank.read(october).bank_lines]
    assert len(set(hashes)) == 5  # the two identical card payments of 30/10 included
    later = credit_agricole("EUR").replace(
        "Date;Libellé;Débit euros;Crédit euros;\r\n",
        'Date;Libellé;Débit euros;Crédit euros;\r\n03/11/2026;"PRLV FREE\r\n";29,99;;\r\n')
    again = bank.read(write(tmp_path, "novembre.csv", later, "latin-1"))
    assert [line.row_hash for line in again.bank_lines][1:] == hashes


def test_progress_and_cancel(tmp_path):
    body = "".join(f"{day % 28 + 1:02d}/10/2026;OPERATION {day};-1,00;\r\n" for day in range(2500))
    path = write(tmp_path, "long.csv", "Date;Libellé;Débit;Crédit\r\n" + body, "utf-8")
    seen = []
    job = Job(on_progress=lambda done, total, _label: seen.append((done, total)))
    assert len(bank.read(path, job).bank_lines) == 2500
    assert seen[-1] == (2500, 2500)
    job = Job(on_progress=lambda done, total, _label: job.cancel() if done >= 1000 else None)
    with pytest.raises(JobCancelled):
        bank.read(path, job)


# --- properties ------------------------------------------------------------------------------------------------

SAMPLES = [credit_agricole("EUR").encode("latin-1"), BOURSORAMA.encode("utf-8"), CAISSE_EPARGNE.encode("cp1252"),
           FORTUNEO.encode("latin-1"), QONTO.encode("utf-8")]


def mutated(sample: bytes, seed: int, edits: int) -> bytes:
    chance = random.Random(seed)
    data = bytearray(sample)
    for _ in range(edits):
        at = chance.randrange(len(data) + 1)
        choice = chance.randrange(3)
        if choice == 0 and at < len(data):
            del data[at]
        elif choice == 1:
            data.insert(at, chance.choice(b';,"\r\n-+0123456789/ .aZ\xe9\x00\xff'))
        elif at < len(data):
            data[at] = chance.randrange(256)
    return bytes(data)


def line_count(data: bytes) -> int:
    """Lines as the reader counts them (a lone CR ends a line too), whatever the encoding."""
    return len(codecs.decode(data, "latin-1").replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=300),
    st.builds(mutated, st.sampled_from(SAMPLES), st.integers(0, 2**32), st.integers(1, 12))),
    suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_random_and_mutated_bytes_are_unreadable_or_located(tmp_path, data, suffix):
    path = tmp_path / f"releve{suffix}"
    path.write_bytes(data)
    bank.identify(path)
    try:
        result = bank.read(path)
    except UnreadableFile as error:
        assert path.name in str(error)
        return
    last = line_count(data)
    for item in [*result.problems, *result.skipped, *result.warnings, *result.bank_lines]:
        assert item.line is not None and 1 <= item.line <= last
    for line in result.bank_lines:
        assert isinstance(line.booked_on, date) and line.amount and line.label and len(line.row_hash) == 32
    assert result.rows == len(result.bank_lines) + len({p.line for p in result.problems})
    assert len({line.row_hash for line in result.bank_lines}) == len(result.bank_lines)


# --- the import wizard ------------------------------------------------------------------------------------------


def test_wizard_proposes_a_bank_statements_columns(ledger, qtbot, tmp_path):
    from app.ui import import_wizard

    path = write(tmp_path, "releve.csv", CAISSE_EPARGNE, "cp1252")
    wizard = import_wizard.ImportWizard(SimpleNamespace(db=ledger, today=lambda: date(2026, 11, 23)), path)
    qtbot.addWidget(wizard)
    assert list(wizard.combos) == list(BANK.fields)
    chosen = {name: combo.currentText() for name, combo in wizard.combos.items()
              if combo.currentText() != import_wizard.NO_COLUMN}
    assert chosen == bank.inspect(path).mapping
    assert wizard.mapping() == chosen and wizard.preview_button.isEnabled()
    assert "Relevé bancaire" in wizard.detected.text() and "en-têtes à la ligne 1" in wizard.detected.text()


@pytest.mark.parametrize("stamp", ["23/11/2026 10:02", "2026-11-23 10:02", "2026-11-23T10:02:59", "23/11/26 10:02",
                                   "2026-11-23T23:02:59.000Z", "2026-11-23T10:02:59+01:00", "23.11.2026 10:02",
                                   "23/11/2026 10h02", "23/11/2026 à 10:02"])
def test_dates_stamped_with_the_time_keep_their_day(tmp_path, stamp):
    """Some banks and payment platforms stamp each line with its time: the day written is read, the time (and its
    zone: 23:02 UTC is the 24th in Paris, but the export says the 23rd) left."""
    path = write(tmp_path, "releve.csv", f"Date;Libellé;Montant\n{stamp};VIR GARAGE PETIT F-100;1 200,00\n", "utf-8")
    result = bank.read(path)
    assert not result.problems
    assert summary(result) == [(date(2026, 11, 23), D("1200.00"), "VIR GARAGE PETIT F-100")]


def test_the_account_a_preamble_names_by_its_rib(tmp_path):
    text = "Relevé de compte\nRIB : 30004 00012 00012345678 90\nDate;Libellé;Montant\n16/11/2026;VIR DURAND;100,00\n"
    result = bank.read(write(tmp_path, "releve.csv", text, "utf-8"))
    assert [line.account for line in result.bank_lines] == ["30004000120001234567890"]
