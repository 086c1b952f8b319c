"""The penalties of an invoice of the database (the hand-made ledger of tests/conftest.py), with the rates of
the shipped table completed by the user's: the command line, its JSON and the half-year it asks for."""

import json
from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from app.__main__ import main
from app.models import Customer, DunningLetter, Invoice
from app.services.rates import missing_rate, rate_rows, save_rates, shipped_rates
from tests.cli.test_cli import location

H2_2026 = date(2026, 7, 1)


def enter_h2_2026(db):
    with db.transaction() as s:
        assert save_rates(s, H2_2026, "2,15", "3,00", "7,00 %", "test") == {}


def test_every_known_half_year_is_shipped_with_its_source_and_none_guessed():
    # DOMAIN.md's table: ECB MRO on 1 Jan / 1 Jul, legal rate "other cases" and for private persons
    assert [tuple(r[:4]) for r in shipped_rates()] == [
        (date(2024, 7, 1), D("4.25"), D("4.92"), D("8.16")), (date(2025, 1, 1), D("3.15"), D("3.71"), D("7.21")),
        (date(2025, 7, 1), D("2.15"), D("2.76"), D("6.65")), (date(2026, 1, 1), D("2.15"), D("2.62"), D("6.67"))]
    assert [r.source.split(" — ")[0] for r in shipped_rates()] == [
        "BCE 4,25 % depuis le 12/06/2024", "BCE 3,15 % depuis le 18/12/2024", "BCE 2,15 % depuis le 11/06/2025",
        "BCE 2,15 % depuis le 11/06/2025, inchangé le 18/12/2025"]
    assert "particuliers : à vérifier au décret" in shipped_rates()[0].source


def test_the_shipped_table_reaches_an_existing_database_under_what_the_user_typed(db):
    """The shipped rates are read from resources/ each time, the user's entries over them: a new version's
    half-years reach a database made before it, and never replace a value the user typed."""
    with db.transaction() as s:  # typed by the user before this version shipped H1 2025
        assert save_rates(s, date(2025, 1, 1), "3,00", "3,71", "7,21", "mon comptable") == {}
    with db.sessions() as s:
        rows = {r.rates.start: r for r in rate_rows(s)}
    assert (rows[date(2025, 1, 1)].rates.ecb, rows[date(2025, 1, 1)].entered) == (D("3.00"), True)
    assert (rows[date(2026, 1, 1)].rates.ecb, rows[date(2026, 1, 1)].entered) == (D("2.15"), False)


def test_the_missing_half_year_is_said_in_french_before_any_print(db):
    with db.sessions() as s:
        assert missing_rate(s, date(2026, 6, 30)) == ""
        assert missing_rate(s, date(2026, 11, 23)) == (
            "taux d'intérêt manquant pour le 2e semestre 2026 : saisissez-le dans Paramètres › Taux d'intérêt "
            "(taux de la BCE au 1er janvier ou au 1er juillet, taux d'intérêt légal publié pour le semestre).")
    enter_h2_2026(db)
    with db.sessions() as s:
        assert missing_rate(s, date(2026, 11, 23)) == ""
        assert "1er semestre 2027" in missing_rate(s, date(2027, 1, 1))


def test_the_shipped_table_is_completed_and_corrected_by_the_user(db):
    enter_h2_2026(db)
    with db.transaction() as s:
        assert save_rates(s, date(2026, 1, 1), "2,40", "2,62", "6,67") == {}
    with db.sessions() as s:
        rows = rate_rows(s)
    assert [(r.rates.start, r.rates.ecb, r.entered) for r in rows[-3:]] == [
        (date(2025, 7, 1), D("2.15"), False), (date(2026, 1, 1), D("2.40"), True), (H2_2026, D("2.15"), True)]


def test_a_rate_that_is_not_one_is_refused_with_its_field(db):
    with db.transaction() as s:
        errors = save_rates(s, date(2026, 8, 1), "deux", "3,001", "7", "")
    assert set(errors) == {"half_year", "ecb", "legal_other"}
    assert "« deux » n'est pas un taux" in errors["ecb"]
    with db.sessions() as s:
        assert len(rate_rows(s)) == len(shipped_rates())  # nothing saved


def test_penalties_json_of_a_partly_paid_invoice(ledger, capsys):
    enter_h2_2026(ledger)
    assert main(["--db", location(ledger), "penalties", "F2", "--at", "2026-11-23", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # F2: 500,00 € due 13/11, 200,00 € paid on 20/11; ECB 2,15 % + 10 = 12,15 % in H2 2026:
    # 14/11–20/11 on 500: 500 × 0,1215 × 7 / 365 = 1,16506…; 21/11–23/11 on 300: 300 × 0,1215 × 3 / 365 = 0,29958…
    # total 1,46465… -> 1,46; the periods rounded to add up: 1,16 + 0,30
    assert [(p["from"], p["to"], p["amount"], p["rate"], p["interest"]) for p in out["periods"]] == [
        ("2026-11-14", "2026-11-20", "500.00", "12.15", "1.16"),
        ("2026-11-21", "2026-11-23", "300.00", "12.15", "0.30")]
    assert (out["principal"], out["days_late"], out["interest"], out["indemnity"], out["total"]) == (
        "300.00", 10, "1.46", "40.00", "41.46")


def test_penalties_in_french_and_the_missing_half_year_asked(ledger, capsys):
    assert main(["--db", location(ledger), "penalties", "F3", "--at", "2026-11-23"]) == 1
    assert "taux d'intérêt manquant pour le 2e semestre 2026 : saisissez-le dans Paramètres" in capsys.readouterr().err
    enter_h2_2026(ledger)
    assert main(["--db", location(ledger), "penalties", "F3", "--at", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    # F3: 300,00 € due 04/08, 111 days: 300 × 0,1215 × 111 / 365 = 11,0847… -> 11,08
    assert "Retard : 111 jours" in out
    assert "du 05/08/2026 au 23/11/2026 : 300,00\u00a0€ à 12,15 % pendant 111 j = 11,08\u00a0€" in out
    assert "Total (intérêts et indemnité) : 51,08\u00a0€" in out


def test_a_consumer_owes_interest_from_the_formal_notice_only(ledger, capsys):
    enter_h2_2026(ledger)
    with ledger.transaction() as s:
        martin = s.query(Customer).filter_by(name="Boulangerie Martin").one()
        martin.segment = "consumer"
    assert main(["--db", location(ledger), "penalties", "F4", "--at", "2026-11-23", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert (before["days_late"], before["periods"], before["indemnity"], before["total"]) == (46, [], "0.00", "0.00")
    with ledger.transaction() as s:
        f4 = s.scalar(select(Invoice.id).where(Invoice.number == "F4"))
        s.add(DunningLetter(customer_id=martin.id, step="formal_notice", sent_on=date(2026, 11, 3),
                            lines=[{"invoice_id": f4, "number": "F4", "amount_due": 200000}]))
    assert main(["--db", location(ledger), "penalties", "F4", "--at", "2026-11-23", "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    # from 04/11 to 23/11, 20 days at the legal rate "autres cas" 3 % (the creditor is a business):
    # 2 000 × 0,03 × 20 / 365 = 3,2876… -> 3,29
    assert [(p["from"], p["days"], p["rate"], p["interest"]) for p in after["periods"]] == [
        ("2026-11-04", 20, "3.00", "3.29")]
    assert (after["indemnity"], after["total"]) == ("0.00", "3.29")



def test_what_an_export_says_was_paid_without_a_date_bears_no_interest(db, tmp_path):
    from app.importers.records import CustomerRecord, LedgerRead
    from app.services.penalties import invoice_penalties
    from tests.services.test_imports import invoice, run

    run(db, tmp_path, LedgerRead(kind="invoices", customers=[CustomerRecord("C1", "Client SA", code="C1")],
                                 invoices=[invoice("F1", "C1", "1000.00", issued=date(2026, 8, 1),
                                                   still_due=D("100.00"))]))
    enter_h2_2026(db)
    with db.sessions() as s:
        owed = invoice_penalties(s, "F1", date(2026, 11, 23)).penalties
    # due 31/08 (30 days' terms); the 900 € "réglés selon l'export" count as paid on the due date:
    # only the 100 € left bear interest, 01/09–23/11 = 84 days: 100 × 12,15 % × 84 / 365 = 2,7962… -> 2,80
    assert (owed.principal, [(p.amount, p.days) for p in owed.periods], owed.interest) == (
        D("100.00"), [(D("100.00"), 84)], D("2.80"))
