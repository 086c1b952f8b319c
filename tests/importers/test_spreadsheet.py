"""The spreadsheet reader on hand-made ugly files: every figure checked, every problem located."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import spreadsheet
from app.importers.cells import as_texts, cell_amount, outcome, parse_amounts
from app.importers.columns import (FIELDS, SYNONYMS, headers_signature, missing_required, normalise,
                                   propose_mapping, required_label)
from app.importers.records import UnreadableFile
from app.importers.values import parse_date
from app.jobs import Job, JobCancelled

NBSP, NNBSP = "\u00a0", "\u202f"


def french_csv(space: str) -> str:
    """An aged-balance export: 4 lines above the header, a customer name on two lines, credit notes written
    "(12,50)" and "12,50-", short and ISO dates, a bad date, a bad amount, a total and a footer below."""
    return "\r\n".join([
        "Balance âgée clients au 31/12/2025;;;;;;;;;",
        "SARL Exemple - 12 rue des Lilas;;;;;;;;;",
        "Édité le 05/01/2026;;;;;;;;;",
        ";;;;;;;;;",
        "N° facture;Date facture;Échéance;Code client;Raison sociale;SIREN;Montant HT;TVA;Montant TTC;Reste dû",
        f"F-001;05/01/26;04/02/26;C001;Dupont SA;732 829 320;1{space}000,00;200,00;1{space}200,00 €;"
        f"1{space}200,00 €",
        f'F-002;2026-01-10;2026-02-09;C002;"Martin\r\net Fils";;10{space}287,13;2{space}057,43;'
        f"12{space}344,56 €;0,00",
        "AV-003;12/01/2026;;C001;Dupont SA;;(10,42);(2,08);(12,50);(12,50)",
        "AV-004;13/01/2026;13/01/2026;C003;Durand;;10,42-;2,08-;12,50-;0,00",
        "F-005;31/02/2026;15/03/2026;C002;Martin et Fils;;100,00;20,00;120,00;120,00",
        "F-006;14/01/2026;13/02/2026;C003;Durand;;100,00;20,00;12O,00;120,00",
        f"F-007;15/01/2026;14/02/2026;;Petit SARL;552 100 554 00013;1{space}000;200;1{space}200;600",
        "",
        f";;;;Total;;;;14{space}719,56 €;",
        "Édité par Encours;;;;;;;;;",
    ]) + "\r\n"


@pytest.fixture(params=[("cp1252", NBSP), ("utf-8", NNBSP)], ids=["cp1252-nbsp", "utf8-narrow-nbsp"])
def french_file(request, tmp_path):
    encoding, space = request.param
    path = tmp_path / "balance.csv"
    path.write_bytes(french_csv(space).encode(encoding))
    return path, encoding


def test_french_aged_balance(french_file):
    path, encoding = french_file
    result = spreadsheet.read(path)
    assert result.kind == "invoices"
    assert result.rows == 7
    assert [invoice.number for invoice in result.invoices] == ["F-001", "F-002", "AV-003", "AV-004", "F-007"]
    assert sum(invoice.total for invoice in result.invoices) == D("14719.56")
    by_number = {invoice.number: invoice for invoice in result.invoices}

    first = by_number["F-001"]
    assert (first.customer_key, first.issue_date, first.due_date) == ("C001", date(2026, 1, 5), date(2026, 2, 4))
    assert (first.net, first.vat, first.total, first.still_due) == (D("1000.00"), D("200.00"), D("1200.00"),
                                                                    D("1200.00"))
    assert not first.paid and first.line == 6 and len(first.row_hash) == 32

    second = by_number["F-002"]  # its customer's name spans lines 7 and 8
    assert second.line == 7 and second.total == D("12344.56") and second.net == D("10287.13")
    assert second.issue_date == date(2026, 1, 10) and second.still_due == D("0.00") and second.paid

    credit = by_number["AV-003"]  # "(12,50)", no due date: from the customer's terms
    assert credit.line == 9 and credit.total == D("-12.50") and credit.net == D("-10.42")
    assert credit.due_date is None and credit.still_due == D("-12.50") and not credit.paid
    trailing = by_number["AV-004"]  # "12,50-"
    assert trailing.line == 10 and trailing.total == D("-12.50") and trailing.vat == D("-2.08") and trailing.paid

    siret = by_number["F-007"]  # no customer code: the SIREN of its SIRET is the key
    assert siret.line == 13 and siret.customer_key == "552100554" and siret.total == D("1200.00")
    assert siret.still_due == D("600.00")

    customers = {customer.key: customer for customer in result.customers}
    assert sorted(customers) == ["552100554", "C001", "C002", "C003"]
    assert customers["C001"].name == "Dupont SA" and customers["C001"].siren == "732829320"
    assert customers["C001"].code == "C001" and customers["C001"].line == 6
    assert customers["C002"].name == "Martin et Fils"  # the line break inside the quotes read as a space
    assert customers["552100554"].name == "Petit SARL" and customers["552100554"].code == ""

    bad_date, bad_amount = result.problems
    assert (bad_date.line, bad_date.column, bad_date.value) == (11, "Date facture", "31/02/2026")
    assert "n'est pas une date" in bad_date.message and "JJ/MM/AAAA" in bad_date.message
    assert (bad_amount.line, bad_amount.column, bad_amount.value) == (12, "Montant TTC", "12O,00")
    assert "n'est pas un montant" in bad_amount.message
    assert str(bad_date) == ("ligne 11, colonne Date facture : « 31/02/2026 » n'est pas une date : "
                             "le jour 31 n'existe pas dans ce mois (attendu JJ/MM/AAAA)")

    assert [(note.line, note.value) for note in result.skipped] == [(15, "Total"), (16, "Édité par Encours")]
    assert "total" in result.skipped[0].message
    assert result.header_line == 5


def test_french_aged_balance_inspected(french_file):
    path, encoding = french_file
    sheet = spreadsheet.inspect(path)
    assert (sheet.encoding, sheet.separator, sheet.header_line) == (encoding, ";", 5)
    assert sheet.separator_name == "point-virgule"
    assert sheet.headers == ["N° facture", "Date facture", "Échéance", "Code client", "Raison sociale", "SIREN",
                             "Montant HT", "TVA", "Montant TTC", "Reste dû"]
    assert sheet.mapping == {"number": "N° facture", "issue_date": "Date facture", "due_date": "Échéance",
                             "customer_name": "Raison sociale", "customer_code": "Code client", "siren": "SIREN",
                             "total": "Montant TTC", "net": "Montant HT", "vat": "TVA", "still_due": "Reste dû"}
    assert sheet.missing == []
    assert sheet.preview[0][:3] == ["F-001", "05/01/26", "04/02/26"]
    assert sheet.preview[1][4] == "Martin\r\net Fils"
    assert sheet.preview_lines[:4] == [6, 7, 9, 10]
    assert sheet.preview_lines[-2:] == [15, 16]  # the total and the footer are shown too, not the blank line
    assert len(sheet.preview) == len(sheet.preview_lines) == 9
    assert sheet.signature == headers_signature(sheet.headers)


def test_same_rows_same_hash_and_max_rows(french_file):
    path, _ = french_file
    once, again = spreadsheet.read(path), spreadsheet.read(path)
    assert [i.row_hash for i in once.invoices] == [i.row_hash for i in again.invoices]
    assert len({i.row_hash for i in once.invoices}) == 5
    preview = spreadsheet.read(path, max_rows=3)
    assert preview.rows == 3 and [i.number for i in preview.invoices] == ["F-001", "F-002", "AV-003"]


def test_utf8_bom_comma_english_headers_month_first_refused(tmp_path):
    """Dates month first are never turned around (issue 17): 01/31/2026 is refused, 02/01/2026 is 2 January."""
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeff".encode() + (
        "Invoice No,Invoice Date,Due Date,Customer,Customer ID,Amount,Balance,Email\n"
        'INV-1,01/31/2026,03/02/2026,Acme Ltd,A1,"1,234.56",0.00,billing@acme.test\n'
        'INV-2,02/15/2026,03/17/2026,"Widgets, Inc.",W9,-99.90,-99.90,\n'
        "INV-3,02/01/2026,,Acme Ltd,A1,250,250,\n").encode())
    sheet = spreadsheet.inspect(path)
    assert (sheet.encoding, sheet.separator, sheet.header_line) == ("utf-8-sig", ",", 1)
    assert sheet.mapping == {"number": "Invoice No", "issue_date": "Invoice Date", "due_date": "Due Date",
                             "customer_name": "Customer", "customer_code": "Customer ID", "total": "Amount",
                             "still_due": "Balance", "email": "Email"}
    result = spreadsheet.read(path)
    assert result.rows == 3
    assert [str(p) for p in result.problems] == [
        "ligne 2, colonne Invoice Date : « 01/31/2026 » n'est pas une date : le mois (31) va de 1 à 12, le jour "
        "s'écrit en premier (attendu JJ/MM/AAAA)",
        "ligne 3, colonne Invoice Date : « 02/15/2026 » n'est pas une date : le mois (15) va de 1 à 12, le jour "
        "s'écrit en premier (attendu JJ/MM/AAAA)",
        "ligne 3, colonne Due Date : « 03/17/2026 » n'est pas une date : le mois (17) va de 1 à 12, le jour "
        "s'écrit en premier (attendu JJ/MM/AAAA)"]
    (three,) = result.invoices
    assert three.issue_date == date(2026, 1, 2) and three.total == D("250.00") and three.due_date is None
    customers = {customer.key: customer for customer in result.customers}
    assert customers["A1"].email == ""


def test_tab_file_with_debit_and_credit(tmp_path):
    path = tmp_path / "grand-livre.txt"
    path.write_text(
        "Compte\tDate\tPièce\tLibellé\tDébit\tCrédit\tÉchéance\n"
        "411DUP\t05/01/2026\tF100\tFacture Dupont\t1 200,00\t\t04/02/2026\n"
        "411DUP\t06/01/2026\tAV101\tAvoir Dupont\t\t200,00\t\n"
        "411MAR\t07/01/2026\tF102\tFacture Martin\t500,00\t100,00\t06/02/2026\n"
        "\t\t\tTotal\t1 700,00\t300,00\t\n", encoding="utf-8")
    assert spreadsheet.identify(path)
    sheet = spreadsheet.inspect(path)
    assert sheet.separator == "\t" and sheet.encoding == "utf-8"
    assert sheet.mapping == {"number": "Pièce", "issue_date": "Date", "due_date": "Échéance",
                             "customer_code": "Compte", "debit": "Débit", "credit": "Crédit"}
    result = spreadsheet.read(path)
    assert [(i.number, i.total, i.customer_key) for i in result.invoices] == [
        ("F100", D("1200.00"), "411DUP"), ("AV101", D("-200.00"), "411DUP"), ("F102", D("400.00"), "411MAR")]
    assert result.invoices[1].due_date is None and not result.invoices[0].paid
    assert [c.name for c in result.customers] == ["411DUP", "411MAR"]  # no name column: the code stands in
    assert result.problems == [] and [(s.line, s.value) for s in result.skipped] == [(5, "Total")]


def write_xlsx(path, rows, title_rows=3):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Balance"
    sheet["A1"] = "Balance âgée au 31/12/2025"
    sheet["A3"] = "Société Exemple"
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=title_rows + 1 + offset, column=column, value=value)
    book.save(path)


def test_xlsx_with_number_cells_and_serial_dates(tmp_path):
    pytest.importorskip("python_calamine")
    path = tmp_path / "balance.xlsx"
    write_xlsx(path, [
        ["N° facture", "Date", "Échéance", "Client", "SIREN", "Montant TTC", "Solde"],
        [1001, date(2026, 1, 5), 46057, "Dupont SA", 732829320, 1200.5, 1200.5],
        ["F-1002", datetime(2026, 1, 6), date(2026, 2, 5), "Martin", None, -300, 0],
        ["F-1003", "07/01/2026", "2026-02-06", "Dupont SA", "732 829 320", "1 000,00 €", "250,00"],
        ["F-1004", "pas une date", date(2026, 2, 7), "Durand", None, 10, 10],
        ["F-1005", date(2026, 1, 8), date(2026, 2, 7), "Durand", "12345", 99.99, 99.99],
        ["Total", None, None, None, None, "=SUM(F5:F9)", None],
    ])
    assert spreadsheet.identify(path)
    sheet = spreadsheet.inspect(path)
    assert (sheet.encoding, sheet.separator, sheet.sheet_name, sheet.header_line) == (None, None, "Balance", 4)
    assert sheet.preview[0] == ["1001", "05/01/2026", "46057", "Dupont SA", "732829320", "1200.5", "1200.5"]
    result = spreadsheet.read(path)
    assert result.rows == 5
    assert [i.number for i in result.invoices] == ["1001", "F-1002", "F-1003", "F-1005"]
    assert [i.line for i in result.invoices] == [5, 6, 7, 9]
    assert sum(i.total for i in result.invoices) == D("1999.99") + D("0.50")
    first = result.invoices[0]
    assert first.due_date == date(2026, 2, 4) == parse_date(46057)  # an Excel day number
    assert first.total == D("1200.50") and first.customer_key == "732829320"
    assert result.invoices[1].issue_date == date(2026, 1, 6) and result.invoices[1].paid
    assert result.invoices[2].total == D("1000.00") and result.invoices[2].customer_key == "732829320"
    [bad_date], [bad_siren] = result.problems, result.warnings
    assert (bad_date.line, bad_date.column, bad_date.value) == (8, "Date", "pas une date")
    assert (bad_siren.line, bad_siren.column, bad_siren.value) == (9, "SIREN", "12345")
    assert "SIREN ignoré" in bad_siren.message  # a warning: the invoice itself is read
    assert result.invoices[3].customer_key == "DURAND"
    assert {c.key: c.name for c in result.customers} == {"732829320": "Dupont SA", "MARTIN": "Martin",
                                                          "DURAND": "Durand"}
    assert [(s.line, s.value) for s in result.skipped] == [(10, "Total")]


def test_ods(tmp_path):
    pytest.importorskip("python_calamine")
    pytest.importorskip("odf")
    import pandas as pd

    path = tmp_path / "factures.ods"
    frame = pd.DataFrame({"Numéro": ["F1", "F2", "AV3"],
                          "Date facture": [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)],
                          "Nom": ["Alpha", "Beta", "Alpha"], "TTC": [120.0, 60.5, -20.0],
                          "Restant dû": [120.0, 0.0, -20.0]})
    frame.to_excel(path, engine="odf", index=False)
    assert spreadsheet.identify(path)
    result = spreadsheet.read(path)
    assert result.problems == []
    assert [(i.number, i.issue_date, i.total, i.paid, i.customer_key) for i in result.invoices] == [
        ("F1", date(2026, 3, 1), D("120.00"), False, "ALPHA"), ("F2", date(2026, 3, 2), D("60.50"), True, "BETA"),
        ("AV3", date(2026, 3, 3), D("-20.00"), False, "ALPHA")]
    assert [i.line for i in result.invoices] == [result.header_line + n for n in (1, 2, 3)]


def test_mapping_given_by_the_user(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Réf;Jour;Société;Valeur;Notes\nA1;03/03/2026;Alpha;10,00;x\nA2;04/03/2026;Beta;20,00;y\n",
                    encoding="utf-8")
    sheet = spreadsheet.inspect(path)
    assert sheet.mapping == {"number": "Réf", "customer_name": "Société"}
    assert sheet.missing == ["issue_date", "total"]
    with pytest.raises(UnreadableFile) as error:
        spreadsheet.read(path)
    message = str(error.value)
    assert "export.csv" in message and "Date de facture" in message and "Montant" in message
    assert "« Jour »" in message  # the headers found, for the user to pick from
    # as the wizard saves it (spelled as the user typed it: case and accents do not matter)
    mapping = {"number": "réf", "issue_date": "JOUR", "customer_name": "Société", "total": "Valeur"}
    result = spreadsheet.read(path, mapping=mapping)
    assert [(i.number, i.total) for i in result.invoices] == [("A1", D("10.00")), ("A2", D("20.00"))]
    assert result.mapping["issue_date"] == "Jour"
    with pytest.raises(UnreadableFile, match="« Montant »"):
        spreadsheet.read(path, mapping={**mapping, "total": "Montant"})
    with pytest.raises(UnreadableFile, match="champ inconnu"):
        spreadsheet.read(path, mapping={**mapping, "colour": "Notes"})


def test_duplicate_number_stray_row_and_missing_values(tmp_path):
    path = tmp_path / "doublons.csv"
    path.write_text("N° facture;Date;Client;Montant TTC\n"
                    "F1;01/03/2026;Alpha;10,00\n"
                    ";;;99,00\n"  # amid the table: not a total
                    "F1;02/03/2026;Alpha;12,00\n"
                    "F2;;Beta;5,00\n"
                    "F3;03/03/2026;;5,00\n"
                    "F4;03/03/2026;Gamma;\n"
                    "F5;03/03/2026;Gamma;-\n", encoding="utf-8")
    result = spreadsheet.read(path)
    assert [(i.number, i.total) for i in result.invoices] == [("F1", D("10.00"))]
    assert result.rows == 7
    found = [(p.line, p.column, p.value) for p in result.problems]
    assert found == [(3, "N° facture", "99,00"), (4, "N° facture", "F1"), (5, "Date", ""), (6, "Client", ""),
                     (7, "Montant TTC", ""), (8, "Montant TTC", "-")]
    assert str(result.problems[5]) == ("ligne 8, colonne Montant TTC : « - » n'est pas accepté : une facture de "
                                       "0,00 € n'a rien à recouvrer (attendu son montant TTC, négatif pour un avoir)")
    assert "déjà lu ligne 2" in result.problems[1].message
    assert "date de facture manquante" in result.problems[2].message
    assert "client manquant" in result.problems[3].message
    assert "montant manquant" in result.problems[4].message


def test_repeated_header_and_blank_lines(tmp_path):
    path = tmp_path / "pages.csv"
    path.write_text("N° facture;Date;Client;Montant TTC\n\nF1;01/03/2026;Alpha;10,00\n"
                    "N° facture;Date;Client;Montant TTC\nF2;01/03/2026;Alpha;11,00\n;;;\nSous-total;;;21,00\n",
                    encoding="utf-8")
    result = spreadsheet.read(path)
    assert [(i.number, i.line) for i in result.invoices] == [("F1", 3), ("F2", 5)]
    assert [(s.line, s.message) for s in result.skipped] == [(4, "en-tête répété ignoré"),
                                                             (7, "ligne de total ignorée")]
    assert result.rows == 2 and result.problems == []


def test_progress_and_cancel(tmp_path):
    path = tmp_path / "long.csv"
    lines = ["N° facture;Date;Client;Montant TTC"]
    lines += [f"F{n};{1 + n % 28:02d}/03/2026;Client {n % 7};{n},50" for n in range(2500)]
    path.write_text("\n".join(lines), encoding="utf-8")
    reports = []
    result = spreadsheet.read(path, Job(lambda done, total, label: reports.append((done, total))))
    assert len(result.invoices) == 2500 and len(result.customers) == 7
    assert sum(i.total for i in result.invoices) == sum(D(f"{n}.50") for n in range(2500))
    assert reports[0] == (0, 2500) and reports[-1] == (2500, 2500) and (1000, 2500) in reports
    job = Job()
    job.cancel()
    with pytest.raises(JobCancelled):
        spreadsheet.read(path, job)


def test_identify(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("N° facture;Date;Montant\nF1;01/01/2026;1\nF2;02/01/2026;2\n", encoding="utf-8")
    prose = tmp_path / "notes.txt"
    prose.write_text("Compte rendu de la réunion.\nRien à signaler.\n", encoding="utf-8")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a workbook")
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    assert spreadsheet.identify(table)
    assert not spreadsheet.identify(prose) and not spreadsheet.identify(fake) and not spreadsheet.identify(pdf)
    assert not spreadsheet.identify(tmp_path / "missing.csv")


@pytest.mark.parametrize("content, words", [
    (b"", "vide"),
    (b"1;2;3\n4;5;6\n", "en-tête"),
    (b"N\xb0 facture;Date\x00;Montant\n", "octets nuls"),
    (b'N;Date;Client;Montant\n"F1;01/01/2026;A;1\n' + b"x" * 140_000, "guillemet"),
])
def test_unreadable_text_files(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=words):
        spreadsheet.read(path)


def test_unreadable_workbook(tmp_path):
    pytest.importorskip("python_calamine")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(UnreadableFile, match="bad.xlsx"):
        spreadsheet.read(path)


# --- columns ---------------------------------------------------------------------------------------------


def test_propose_mapping_french_and_english():
    assert propose_mapping(["Pièce", "Date", "Date d'échéance", "Code client", "Client", "SIRET", "Montant HT",
                            "Montant TVA", "Total TTC", "Restant dû", "Montant réglé", "Date de règlement"]) == {
        "number": "Pièce", "issue_date": "Date", "due_date": "Date d'échéance", "customer_name": "Client",
        "customer_code": "Code client", "siren": "SIRET", "total": "Total TTC", "net": "Montant HT",
        "vat": "Montant TVA", "still_due": "Restant dû"}
    assert propose_mapping(["Invoice #", "Date", "Invoice Date", "Due", "Customer Name", "Total", "Amount Due",
                            "E-mail"]) == {
        "number": "Invoice #", "issue_date": "Invoice Date", "due_date": "Due", "customer_name": "Customer Name",
        "total": "Total", "still_due": "Amount Due", "email": "E-mail"}
    # words inside longer headers, and what must not be taken for an amount
    assert propose_mapping(["N°Facture", "DATE FACTURE", "Raison sociale du client", "Montant T.T.C. (€)",
                            "Taux TVA", "N° TVA intracom", "Solde au 31/12"]) == {
        "number": "N°Facture", "issue_date": "DATE FACTURE", "customer_name": "Raison sociale du client",
        "total": "Montant T.T.C. (€)", "still_due": "Solde au 31/12"}


def test_synonyms_are_each_given_once_and_normalised():
    seen = {}
    for name, synonyms in SYNONYMS.items():
        assert name in FIELDS
        for synonym in synonyms:
            assert seen.setdefault(normalise(synonym), name) == name, synonym
    assert normalise("N° de la Facture") == "no facture"
    assert normalise("  Date d'Échéance ") == "date echeance"


def test_missing_required_and_labels():
    assert missing_required({}) == ["number", "issue_date", "customer_name", "total"]
    assert missing_required({"number": "N", "issue_date": "D", "customer_code": "C", "credit": "Cr"}) == []
    assert missing_required({"number": "N", "issue_date": "D", "customer_name": "C", "net": "HT"}) == ["total"]
    assert required_label("customer_name") == "Client (raison sociale ou code client)"
    assert "Débit" in required_label("total")


def test_headers_signature():
    same = headers_signature(["N° Facture", "Échéance", "Montant TTC", ""])
    assert same == headers_signature(["n° facture", "ECHEANCE", "montant t.t.c."])
    assert same != headers_signature(["Échéance", "N° Facture", "Montant TTC"])
    assert same != headers_signature(["N° Facture", "Échéance", "Montant HT"])
    assert len(same) == 20


# --- properties ------------------------------------------------------------------------------------------

UGLY = ["", " ", "N° facture", "Date", "Échéance", "Client", "Montant TTC", "Total", "Sous-total", "Débit",
        "Crédit", "Reste dû", "SIREN", "1 234,56 €", f"1{NNBSP}234,56", f"1{NBSP}234,56 €", "(12,50)", "12,50-",
        "1.234,56", "1,234.56", "-0", "abc", "31/02/2026", "05/01/26", "2026-01-05", "46022", "99999999", "=\"007\"",
        "€", "-", "nan", "1e5", "inf", '"', "a\nb", ";", ",", "\t", "\x1e", "Total général", "732 829 320"]
cells = st.one_of(st.sampled_from(UGLY), st.text(max_size=12))
printable = st.one_of(st.sampled_from(UGLY), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=7), max_size=12),
       separator=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       header=st.booleans())
def test_random_tables_give_problems_never_crashes(tmp_path, rows, separator, encoding, header):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    if header:
        writer.writerow(["N° facture", "Date", "Client", "Montant TTC", "Échéance"])
    writer.writerows(rows)
    path = tmp_path / "random.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    spreadsheet.identify(path)
    try:
        spreadsheet.inspect(path)
        result = spreadsheet.read(path)
    except UnreadableFile as error:
        assert str(error)
        return
    lines = len(io.StringIO(buffer.getvalue(), newline="").readlines())  # "\r" alone ends a line too
    for item in [*result.problems, *result.warnings, *result.skipped, *result.invoices]:
        assert 1 <= item.line <= lines
    assert result.rows == len(result.invoices) + len({p.line for p in result.problems}
                                                     - {i.line for i in result.invoices})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".ods"]))
def test_random_bytes_are_unreadable_or_read(tmp_path, data, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(data)
    spreadsheet.identify(path)
    try:
        spreadsheet.read(path)
    except UnreadableFile as error:
        assert path.name in str(error)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.one_of(printable, st.floats(allow_nan=True), st.integers(-10**12, 10**12),
                                        st.booleans(), st.dates(min_value=date(1900, 3, 1)), st.none()),
                              min_size=1, max_size=5), max_size=8))
def test_random_workbooks_give_problems_never_crashes(tmp_path, rows):
    pytest.importorskip("python_calamine")
    path = tmp_path / "random.xlsx"
    clean = [[cell.replace("\x1e", "") if isinstance(cell, str) else cell for cell in row] for row in rows]
    clean = [[cell if not isinstance(cell, str) or not cell.startswith("=") else "'" + cell for cell in row]
             for row in clean]
    try:
        write_xlsx(path, [["N° facture", "Date", "Client", "Montant TTC", "Solde"], *clean])
    except ValueError:  # a character openpyxl refuses to write
        return
    try:
        result = spreadsheet.read(path)
    except UnreadableFile:
        return
    assert all(4 < item.line <= 5 + len(rows) for item in [*result.problems, *result.invoices, *result.skipped])


amount_texts = st.one_of(
    st.sampled_from(UGLY),
    st.builds(lambda sign, units, sep, cents, euro, space: f"{sign}{units:,}".replace(",", space) + sep + cents
              + euro, st.sampled_from(["", "-", "+"]), st.integers(0, 10**9), st.sampled_from([",", ".", ""]),
              st.sampled_from(["", "5", "50", "505"]), st.sampled_from(["", " €", "€", " EUR"]),
              st.sampled_from([" ", NBSP, NNBSP, ".", ",", "", "'"])),
    st.text(alphabet="0123456789,.- €()\u00a0\u202fE", max_size=10),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**15, 10**15))


@settings(max_examples=400, deadline=None)
@given(st.lists(amount_texts, max_size=12))
def test_column_amounts_read_as_each_cell_alone(column):
    """The whole-column shortcut gives what ``cell_amount`` gives cell by cell, errors included."""
    alone = [outcome(cell_amount, cell) for cell in column]
    together = parse_amounts(column, as_texts(column))
    assert [(type(v), str(v)) for v in together] == [(type(v), str(v)) for v in alone]


def test_amount_shortcut_matches_parse_amount_on_the_usual_forms():
    usual = ["1 234,56 €", f"1{NNBSP}234,56", f"1{NBSP}234,5", "-12", "0,00", "-0,00", "12.5", "000001107,13", "-00"]
    assert [str(v) for v in parse_amounts(usual, usual)] == [  # -0 is 0, however written (hypothesis found "-00")
        "1234.56", "1234.56", "1234.50", "-12.00", "0.00", "0.00", "12.50", "1107.13", "0.00"]
    numbers = [1200.5, 3, 0.1 + 0.2, -0.0]
    assert parse_amounts(numbers, as_texts(numbers)) == [
        D("1200.50"), D("3.00"), D("0.30"), D("0.00")]


def test_excel_serial_in_text_and_dates_with_time(tmp_path):
    path = tmp_path / "serial.csv"
    path.write_text("N° facture;Date;Échéance;Client;TTC\nF1;46022;2026-01-30 00:00:00;A;1\n", encoding="utf-8")
    invoice, = spreadsheet.read(path).invoices
    assert invoice.issue_date == date(1899, 12, 30) + timedelta(days=46022) and invoice.due_date == date(2026, 1, 30)


def test_excel_unicode_text_export_utf16_tabs(tmp_path):
    path = tmp_path / "export.txt"
    text = "N° facture\tDate\tClient\tMontant TTC\r\n=\"00123\"\t05/01/2026\tÉtablissements Zoé\t1 234,56 €\r\n"
    path.write_bytes(text.encode("utf-16"))  # with its BOM, as Excel writes it
    sheet = spreadsheet.inspect(path)
    assert (sheet.encoding, sheet.separator) == ("utf-16", "\t")
    invoice, = spreadsheet.read(path).invoices
    assert invoice.number == "00123" and invoice.total == D("1234.56") and invoice.customer_key == "ETABLISSEMENTS ZOE"


def test_one_typo_does_not_turn_french_dates_around(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("N° facture;Date;Échéance;Client;TTC\n"
                    "F1;02/03/2026;04/05/2026;A;1\n"
                    "F2;05/13/2026;06/07/2026;A;1\n", encoding="utf-8")
    result = spreadsheet.read(path)
    assert [(i.issue_date, i.due_date) for i in result.invoices] == [(date(2026, 3, 2), date(2026, 5, 4))]
    assert [(p.line, p.value) for p in result.problems] == [(3, "05/13/2026")]
