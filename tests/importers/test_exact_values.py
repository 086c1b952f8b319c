"""Values are read exactly or refused (issue 17): never rounded, turned around or replaced silently. Each
refusal is a located problem in French, with the value and what is expected; a doubt about a FEC's balance
is a warning naming the entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.importers import fec, spreadsheet
from app.importers.values import amount_from_cell, parse_amount, parse_date

DECIMALS = "n'est pas accepté : un montant a au plus deux décimales (attendu par exemple 1 234,56)"
LARGE = "n'est pas un montant plausible (attendu moins de 1 000 milliards d'euros)"
YEAR = "n'est pas une date plausible : l'année va de 1990 à 2100 (attendu JJ/MM/AAAA)"


@pytest.mark.parametrize("text, message", [
    ("12,345", DECIMALS), ("0,001", DECIMALS), ("1.234,567", DECIMALS), ("12,3451", DECIMALS),
    ("1000000000000", LARGE), ("12345678901234567890", LARGE), ("-12345678901234567890,00", LARGE),
])
def test_amounts_refused(text, message):
    with pytest.raises(ValueError) as refused:
        parse_amount(text)
    assert str(refused.value) == message


@pytest.mark.parametrize("text, value", [("12,340", D("12.34")), ("999 999 999 999,99", D("999999999999.99")),
                                         ("+000001107,13", D("1107.13")), ("(12,5)", D("-12.50"))])
def test_amounts_read_exactly(text, value):
    assert parse_amount(text) == value


def test_number_cells_read_as_excel_shows_them_or_refused():
    assert amount_from_cell(119.60000000000001) == D("119.60")  # a formula's binary noise: Excel shows 119,6
    assert amount_from_cell(0.1 + 0.2) == D("0.30")
    for cell, message in ((12.345, DECIMALS), (1e13, LARGE), (D("0.005"), DECIMALS)):
        with pytest.raises(ValueError) as refused:
            amount_from_cell(cell)
        assert str(refused.value) == message


@pytest.mark.parametrize("text, message", [
    ("03/15/2026", "n'est pas une date : le mois (15) va de 1 à 12, le jour s'écrit en premier "
                   "(attendu JJ/MM/AAAA)"),
    ("13/13/2026", "n'est pas une date : le mois (13) va de 1 à 12, le jour s'écrit en premier "
                   "(attendu JJ/MM/AAAA)"),
    ("2026-13-01", "n'est pas une date : le mois (13) va de 1 à 12 (attendu JJ/MM/AAAA)"),
    ("31/02/2026", "n'est pas une date : le jour 31 n'existe pas dans ce mois (attendu JJ/MM/AAAA)"),
    ("29/02/2025", "n'est pas une date : le jour 29 n'existe pas dans ce mois (attendu JJ/MM/AAAA)"),
    ("31/12/9999", YEAR), ("99991231", YEAR), ("01/01/1989", YEAR), (date(9999, 12, 31), YEAR),
])
def test_dates_refused(text, message):
    with pytest.raises(ValueError) as refused:
        parse_date(text)
    assert str(refused.value) == message


def test_dates_read_day_first():
    assert parse_date("03/12/2026") == date(2026, 12, 3) and parse_date("29/02/2028") == date(2028, 2, 29)
    assert parse_date("01/01/1990") == date(1990, 1, 1) and parse_date("31/12/2100") == date(2100, 12, 31)


def _table(tmp_path, *rows, header="N° facture;Date;Échéance;Client;Montant TTC;Reste dû"):
    path = tmp_path / "factures.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return spreadsheet.read(path)


def test_a_table_refuses_each_altered_value_at_its_line_and_column(tmp_path):
    result = _table(tmp_path,
                    "F-1;01/03/2026;31/03/2026;Alpha;12,345;",
                    "F-2;03/15/2026;31/03/2026;Alpha;10,00;",
                    "F-3;01/03/2026;28/02/2026;Alpha;10,00;",
                    "F-4;01/03/2026;31/03/2026;Alpha;0,00;",
                    "F-5;31/12/9999;;Alpha;10,00;",
                    "F-6;01/03/2026;31/03/2026;Alpha;12345678901234567890;",
                    "F-7;01/03/2026;31/03/2026;Alpha;100,00;100,01",
                    "F-8;01/03/2026;31/03/2026;Alpha;100,00;-0,01",
                    "F-9;01/03/2026;31/03/2026;Alpha;100,00;40,00")
    assert [str(p) for p in result.problems] == [
        f"ligne 2, colonne Montant TTC : « 12,345 » {DECIMALS}",
        "ligne 3, colonne Date : « 03/15/2026 » n'est pas une date : le mois (15) va de 1 à 12, le jour s'écrit "
        "en premier (attendu JJ/MM/AAAA)",
        "ligne 4, colonne Échéance : « 28/02/2026 » n'est pas possible : l'échéance précède la date de la "
        "facture (01/03/2026)",
        "ligne 5, colonne Montant TTC : « 0,00 » n'est pas accepté : une facture de 0,00 € n'a rien à recouvrer "
        "(attendu son montant TTC, négatif pour un avoir)",
        f"ligne 6, colonne Date : « 31/12/9999 » {YEAR}",
        f"ligne 7, colonne Montant TTC : « 12345678901234567890 » {LARGE}",
        "ligne 8, colonne Reste dû : « 100,01 » n'est pas possible : le reste dû ne peut être ni négatif ni "
        "supérieur au montant de la facture (100,00\u00a0€)",
        "ligne 9, colonne Reste dû : « -0,01 » n'est pas possible : le reste dû ne peut être ni négatif ni "
        "supérieur au montant de la facture (100,00\u00a0€)"]
    assert [(i.number, i.line, i.total) for i in result.invoices] == [("F-9", 10, D("100.00"))]


def test_a_due_date_on_the_invoice_date_is_accepted(tmp_path):
    result = _table(tmp_path, "F-1;01/03/2026;01/03/2026;Alpha;10,00;")
    assert result.problems == [] and result.invoices[0].due_date == date(2026, 3, 1)


def test_a_workbook_number_cell_with_three_decimals_is_refused(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["N° facture", "Date", "Client", "Montant TTC"])
    sheet.append(["F-1", date(2026, 3, 1), "Alpha", 12.345])
    sheet.append(["F-2", date(2026, 3, 1), "Alpha", 119.60000000000001])
    sheet.append(["F-3", date(9999, 3, 1), "Alpha", 10])
    path = tmp_path / "factures.xlsx"
    book.save(path)
    result = spreadsheet.read(path)
    assert [str(p) for p in result.problems] == [f"ligne 2, colonne Montant TTC : « 12.345 » {DECIMALS}",
                                                 f"ligne 4, colonne Date : « 01/03/9999 » {YEAR}"]
    assert [(i.number, i.total) for i in result.invoices] == [("F-2", D("119.60"))]


FEC_HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
              "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\t"
              "Idevise")


def _fec(tmp_path, *lines):
    path = tmp_path / "123456789FEC20261231.txt"
    rows = [FEC_HEADER] + ["\t".join(line.split("|")) + "\t\t\t\t" for line in lines]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return fec.read(path)


def test_fec_entries_out_of_balance_are_named_with_their_amounts(tmp_path):
    result = _fec(tmp_path,
                  "VT|Ventes|1|20260105|411000|Clients|C1|Alpha|F1|20260105|Facture F1|120,00|0,00|",
                  "VT|Ventes|1|20260105|706000|Prestations|||F1|20260105|Facture F1|0,00|100,00|",
                  "VT|Ventes|2|20260106|411000|Clients|C1|Alpha|F2|20260106|Facture F2|60,00|0,00|",
                  "VT|Ventes|2|20260106|706000|Prestations|||F2|20260106|Facture F2|0,00|60,00|")
    assert result.problems == []
    assert [str(w) for w in result.warnings] == [
        "ligne 2 : « écriture 1 du 05/01/2026 » déséquilibrée : débits 120,00\u00a0€, crédits 100,00\u00a0€ (écart "
        "20,00\u00a0€) ; attendu des débits égaux aux crédits, lue telle quelle",
        "le fichier n'est pas équilibré : total des débits 180,00\u00a0€, total des crédits 160,00\u00a0€ (écart "
        "20,00\u00a0€) ; attendu des totaux égaux"]
    assert [(i.number, i.total) for i in result.invoices] == [("F1", D("120.00")), ("F2", D("60.00"))]


def test_fec_customer_line_with_equal_debit_and_credit_is_said(tmp_path):
    result = _fec(tmp_path,
                  "OD|Divers|7|20260110|411000|Clients|C1|Alpha|X7|20260110|Extourne|50,00|50,00|",
                  "OD|Divers|7|20260110|471000|Attente|||X7|20260110|Extourne|0,00|0,00|")
    assert [str(w) for w in result.warnings] == [
        "ligne 2 : « 411000 C1 » ligne client au débit et au crédit du même montant (50,00\u00a0€) : elle ne fait "
        "ni facture ni règlement, rien n'en est importé"]
    assert result.invoices == [] and result.payments == []


def test_fec_amount_and_date_refused_with_the_fec_format(tmp_path):
    result = _fec(tmp_path,
                  "VT|Ventes|1|20260105|411000|Clients|C1|Alpha|F1|20260105|Facture F1|12,345|0,00|",
                  "VT|Ventes|1|20260105|706000|Prestations|||F1|20260105|Facture F1|0,00|12,35|",
                  "VT|Ventes|2|20261305|706000|Prestations|||F2|20260106|Facture F2|0,00|60,00|",
                  "VT|Ventes|3|20260106|411000|Clients|C1|Alpha|F3|99991231|Facture F3|60,00|0,00|",
                  "VT|Ventes|3|20260106|706000|Prestations|||F3|20260106|Facture F3|0,00|60,00|")
    assert [str(p) for p in result.problems] == [
        "ligne 2, colonne Debit : « 12,345 » n'est pas accepté : un montant a au plus deux décimales (attendu par "
        "exemple 1234,56)",
        "ligne 4, colonne EcritureDate : « 20261305 » n'est pas une date : le mois (13) va de 1 à 12 (attendu "
        "AAAAMMJJ, par exemple 20240131)",
        "ligne 5, colonne PieceDate : « 99991231 » n'est pas une date plausible : l'année va de 1990 à 2100 "
        "(attendu AAAAMMJJ, par exemple 20240131)"]
    assert result.invoices == []


def test_numbers_differing_only_by_case_or_spaces_are_one_number_in_a_table(tmp_path):
    result = _table(tmp_path, "F-001;01/03/2026;31/03/2026;Alpha;10,00;", "f - 001;02/03/2026;31/03/2026;Alpha;12,00;",
                    header="N° facture;Date;Échéance;Client;Montant TTC")
    assert [(i.number, i.line) for i in result.invoices] == [("F-001", 2)]
    assert [str(p) for p in result.problems] == [
        "ligne 3, colonne N° facture : « f - 001 » n° de facture déjà lu ligne 2 : ligne ignorée (une facture en "
        "plusieurs échéances n'est pas encore gérée)"]


def test_fec_numbers_differing_only_by_case_are_told_apart(tmp_path):
    result = _fec(tmp_path,
                  "VT|Ventes|1|20260105|411000|Clients|C1|Alpha|F1|20260105|Facture F1|120,00|0,00|",
                  "VT|Ventes|1|20260105|706000|Prestations|||F1|20260105|Facture F1|0,00|120,00|",
                  "VT|Ventes|2|20260106|411000|Clients|C1|Alpha|f1|20260106|Facture f1|60,00|0,00|",
                  "VT|Ventes|2|20260106|706000|Prestations|||f1|20260106|Facture f1|0,00|60,00|")
    assert [(i.number, i.total) for i in result.invoices] == [("F1", D("120.00")), ("f1 [VT 2]", D("60.00"))]
