"""FEC against the aging: after a FEC import, the customers whose 411 balance at the file's closing date differs
from Encours' aging at that date are listed, with both amounts (issue 17)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.domain.ledger import ledger_balances_by, ledger_gaps
from app.domain.money import format_eur
from app.importers import fec
from app.importers.records import LedgerBalance
from app.models import Company, Customer, Payment
from app.services.import_summary import ImportSummary
from app.services.imports import import_file
from app.services.ledger_check import ledger_check
from tests.conftest import TODAY

FEC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "fec"
FEC_FILES = sorted(p for p in FEC_DIR.glob("*") if p.name != "SOURCE.txt") if FEC_DIR.is_dir() else []

HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
          "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise")
CLOSING = date(2025, 12, 31)


def line(journal, number, day, account, label, debit="", credit="", aux="", aux_name="", piece="", letter=""):
    return "\t".join((journal, journal, str(number), day, account, label, aux, aux_name, piece, day, label,
                      debit, credit, letter, "", day, "", ""))


def fec_text() -> str:
    """Dupont SA (C001) owes a 1 200,00 € invoice; Martin SARL (C002) paid its 500,00 € in full (lettered A);
    Durand (C003) paid 300,00 € of 900,00 € (unlettered): 1 200,00, 0,00 and 600,00 € at 31/12/2025."""
    rows = [
        line("VE", 1, "20251115", "411000", "Clients", "1200,00", "", "C001", "Dupont SA", "F1"),
        line("VE", 1, "20251115", "706000", "Prestations", "", "1000,00", piece="F1"),
        line("VE", 1, "20251115", "445710", "TVA collectée", "", "200,00", piece="F1"),
        line("VE", 2, "20251120", "411000", "Clients", "500,00", "", "C002", "Martin SARL", "F2", "A"),
        line("VE", 2, "20251120", "706000", "Prestations", "", "500,00", piece="F2"),
        line("BQ", 3, "20251210", "411000", "Clients", "", "500,00", "C002", "Martin SARL", "VIR2", "A"),
        line("BQ", 3, "20251210", "512000", "Banque", "500,00", "", piece="VIR2"),
        line("VE", 4, "20251201", "411000", "Clients", "900,00", "", "C003", "Durand", "F3"),
        line("VE", 4, "20251201", "706000", "Prestations", "", "900,00", piece="F3"),
        line("BQ", 5, "20251220", "411000", "Clients", "", "300,00", "C003", "Durand", "VIR3"),
        line("BQ", 5, "20251220", "512000", "Banque", "300,00", "", piece="VIR3"),
    ]
    return HEADER + "\n" + "\n".join(rows) + "\n"


@pytest.fixture
def fec_file(tmp_path) -> Path:
    path = tmp_path / "FEC20251231.txt"
    path.write_text(fec_text(), encoding="utf-8")
    return path


@pytest.fixture
def company(db):
    with db.transaction() as s:
        s.add(Company(name="Cabinet test"))
    return db


def imported(db, path: Path, today: date = TODAY):
    with db.transaction() as s:
        return import_file(s, path, today=today, kind="fec")


def record_payment(db, code: str, cents: int, on: date) -> None:
    """A payment typed in Encours (or brought by a bank statement), unknown to the accountant's books."""
    with db.transaction() as s:
        customer_id = s.scalar(select(Customer.id).where(Customer.code == code))
        s.add(Payment(customer_id=customer_id, received_on=on, amount_cents=cents, method="chèque"))


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


# the reader -------------------------------------------------------------------------------------------------

def test_the_reader_hands_over_each_customer_s_411_balance_at_the_closing_date(fec_file):
    result = fec.read(fec_file)
    assert sorted(result.ledger_balances) == [LedgerBalance("C001", CLOSING, D("1200.00")),
                                              LedgerBalance("C002", CLOSING, D("0.00")),
                                              LedgerBalance("C003", CLOSING, D("600.00"))]


def test_without_a_date_in_its_name_the_closing_date_is_the_last_entry(tmp_path):
    path = tmp_path / "grand-livre.txt"
    path.write_text(fec_text(), encoding="utf-8")
    assert {b.on for b in fec.read(path).ledger_balances} == {date(2025, 12, 20)}


# the comparison ---------------------------------------------------------------------------------------------

def test_gaps_of_a_cent_or_more_only_and_only_the_customers_of_the_file():
    fec_side = {1: D("100.00"), 2: D("50.00"), 3: D("0.00"), 4: D("10.00")}
    encours = {1: D("100.00"), 2: D("49.995"), 3: D("-20.00"), 5: D("70.00")}  # 5: not in the file
    gaps = ledger_gaps(fec_side, encours)
    assert [(g.customer, g.fec, g.encours, g.difference) for g in gaps] == [
        (3, D("0.00"), D("-20.00"), D("20.00")), (4, D("10.00"), D("0.00"), D("10.00"))]


def test_two_accounts_of_the_file_that_are_one_customer_are_summed():
    summed = ledger_balances_by({"411A": 7, "411B": 7, "411C": 8},
                                [("411A", D("10.00")), ("411B", D("5.50")), ("411C", D("1.00")), ("X", D("3"))])
    assert summed == {7: D("15.50"), 8: D("1.00")}


# the import -------------------------------------------------------------------------------------------------

def test_a_fec_imported_into_an_empty_database_agrees_with_the_aging(company, fec_file):
    summary = imported(company, fec_file)
    assert summary.errors == [] and summary.created["customers"] == 3
    assert summary.ledger_check == []
    assert summary.as_json()["ledger_check"] == []


def test_a_payment_known_to_encours_only_is_listed_with_both_amounts(company, fec_file):
    imported(company, fec_file)
    record_payment(company, "C001", 25000, date(2025, 12, 22))
    record_payment(company, "C003", 60000, date(2026, 1, 10))  # after the closing date: no disagreement
    summary = imported(company, fec_file)  # the same FEC again (or the next export, before the bank's lines)
    assert sum(summary.created.values()) == 0
    assert [(d.name, d.code, d.on, d.fec, d.encours, d.difference) for d in summary.ledger_check] == [
        ("Dupont SA", "C001", CLOSING, D("1200.00"), D("950.00"), D("250.00"))]
    assert plain(summary.ledger_check[0].text()) == (
        "écart FEC / Encours au 31/12/2025 : Dupont SA (C001) : FEC 1 200,00 €, Encours 950,00 €")
    assert summary.as_json()["ledger_check"] == [
        {"customer": "Dupont SA", "code": "C001", "fec": "1200.00", "encours": "950.00", "difference": "250.00"}]


def test_the_service_compares_only_the_customers_it_is_given(company, fec_file):
    imported(company, fec_file)
    record_payment(company, "C001", 100, date(2025, 12, 1))
    with company.sessions() as s:
        ids = {code: i for code, i in s.execute(select(Customer.code, Customer.id))}
        balances = fec.read(fec_file).ledger_balances
        found = ledger_check(s, {"C003": ids["C003"], "C002": ids["C002"]}, balances)
        assert found == []
        found = ledger_check(s, ids, balances)
    assert [(d.code, d.fec, d.encours) for d in found] == [("C001", D("1200.00"), D("1199.00"))]
    assert format_eur(found[0].difference) == format_eur(D("1.00"))


def test_the_command_line_shows_the_key_and_the_lines(company, fec_file, capsys):
    where = company.engine.url.render_as_string(hide_password=False)
    assert main(["--db", where, "import", str(fec_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ledger_check"] == []
    record_payment(company, "C001", 25000, date(2025, 12, 22))
    assert main(["--db", where, "import", str(fec_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ledger_check"] == [
        {"customer": "Dupont SA", "code": "C001", "fec": "1200.00", "encours": "950.00", "difference": "250.00"}]
    assert main(["--db", where, "import", str(fec_file)]) == 0
    out = plain(capsys.readouterr().out)
    assert "  écart FEC / Encours au 31/12/2025 : Dupont SA (C001) : FEC 1 200,00 €, Encours 950,00 €\n" in out
    assert "  1 client(s) dont le solde FEC diffère d'Encours" in out


def test_only_a_fec_s_summary_has_the_key():
    assert "ledger_check" not in ImportSummary(file="x.csv", kind="spreadsheet").as_json()
    assert ImportSummary(file="x.txt", kind="fec").as_json()["ledger_check"] == []


# the accountants' real files ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FEC_FILES, ids=lambda p: p.name)
def test_a_real_fec_into_an_empty_database_agrees_with_the_aging(company, path):
    if not FEC_DIR.is_dir():
        pytest.skip(f"fixtures absent: {FEC_DIR}")
    balances = fec.read(path).ledger_balances
    summary = imported(company, path)
    assert summary.errors == []
    assert [d.text() for d in summary.ledger_check] == []
    with company.sessions() as s:  # every customer of the file was compared, and all agree
        ids = {code: i for code, i in s.execute(select(Customer.code, Customer.id))}
        assert {b.customer_key for b in balances} <= set(ids)
        assert ledger_check(s, ids, balances) == []


def test_the_real_fixtures_are_there_or_named():
    if not FEC_DIR.is_dir():
        pytest.skip(f"fixtures absent: {FEC_DIR}")
    assert FEC_FILES
