"""What a customer's collective proceedings change (DOMAIN.md, "Insolvency proceedings"), on the hand-made
ledger of tests/conftest.py: Boulangerie Martin in redressement judiciaire, judgment 05/10/2026, published in
the BODACC on 16/10/2026, seen on 23/11/2026. Its invoices dated before the judgment (F4 2 000,00 € due 08/10,
F6 1 000,00 € due 31/08) leave the dunning, their penalties stop on 04/10, they count as doubtful; one dated
after it (F5) is chased; the deadlines are shown until met."""

import json
from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from app.__main__ import main
from app.models import Customer, Guarantee, Invoice
from app.services.cockpit import cockpit
from app.services.dunning import due_actions
from app.services.penalties import invoice_penalties
from app.services.proceeding_deadlines import proceeding_deadlines
from app.services.proceedings import ProceedingInput, record_claim_sent, record_proceeding
from app.services.rates import save_rates
from app.services.risk import customer_risk
from tests.cli.test_cli import location
from tests.conftest import invoice

TODAY = date(2026, 11, 23)
DECLARE = "Boulangerie Martin — redressement judiciaire : déclaration de créance avant le 16/12/2026 (J-23)"


def in_redressement(ledger, *, after_judgment: bool = False, insured: bool = False):
    """Martin in redressement, with F6 (1 000,00 € issued 01/08, due 31/08) besides F4, and when asked F5
    (600,00 € issued 12/10, after the judgment, due 12/11) or credit insurance."""
    with ledger.transaction() as s:
        martin = s.scalar(select(Customer).where(Customer.name == "Boulangerie Martin"))
        s.add(invoice("F6", martin, date(2026, 8, 1), date(2026, 8, 31), 100000))
        if after_judgment:
            s.add(invoice("F5", martin, date(2026, 10, 12), date(2026, 11, 12), 60000))
        if insured:
            s.add(Guarantee(customer=martin, kind="credit_insurance", guarantor="Allianz Trade", amount_cents=500000,
                            percentage=90, valid_from=date(2026, 1, 1)))
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00", "test") == {}
        record_proceeding(s, martin.id, ProceedingInput("redressement", date(2026, 10, 5), date(2026, 10, 16)), TODAY)
        return martin.id


def test_the_invoices_before_the_judgment_are_held_with_the_deadline(ledger):
    martin = in_redressement(ledger)
    with ledger.sessions() as s:
        actions, holds = due_actions(s, TODAY)
    assert martin not in {a.customer_id for a in actions}
    (held,) = [h for h in holds if h.customer_id == martin]
    assert held.reason == "redressement judiciaire depuis le 05/10/2026 : déclaration de créance avant le 16/12/2026"
    assert held.net_overdue == D("2880.00")  # F6 + F4, less the 120,00 € received on 15/11
    with ledger.transaction() as s:
        record_claim_sent(s, martin, date(2026, 11, 20))
    with ledger.sessions() as s:
        (held,) = [h for h in due_actions(s, TODAY)[1] if h.customer_id == martin]
    assert held.reason == "redressement judiciaire depuis le 05/10/2026 : créance déclarée le 20/11/2026"


def test_an_invoice_after_the_judgment_is_chased_alone(ledger):
    martin = in_redressement(ledger, after_judgment=True)
    with ledger.sessions() as s:
        actions, holds = due_actions(s, TODAY)
    (action,) = [a for a in actions if a.customer_id == martin]
    assert [i.number for i in action.invoices] == ["F5"] and action.step == "first_reminder"
    assert action.amount_due == D("480.00")  # the 120,00 € received after the judgment go to what it may pay
    assert action.held_back == (("F6", "dans la procédure (redressement judiciaire du 05/10/2026)"),
                                ("F4", "dans la procédure (redressement judiciaire du 05/10/2026)"))
    assert martin not in {h.customer_id for h in holds}


def test_penalties_stop_on_the_eve_of_the_judgment(ledger):
    in_redressement(ledger, after_judgment=True)
    with ledger.sessions() as s:
        held = invoice_penalties(s, "F6", TODAY).penalties
        chased = invoice_penalties(s, "F5", TODAY).penalties
    # 1 000,00 € × 12,15 % × 34 days (01/09 to 04/10) / 365 = 11,3178…; not 84 days to 23/11 (27,96 €)
    assert [(p.start, p.end) for p in held.periods] == [(date(2026, 9, 1), date(2026, 10, 4))]
    assert (held.interest, held.indemnity) == (D("11.32"), D("40.00"))
    # F5 is outside the proceedings: 11 days to 23/11, 600,00 € × 12,15 % × 11 / 365 = 2,197…
    assert (chased.periods[-1].end, chased.interest) == (TODAY, D("2.20"))


def test_held_invoices_are_doubtful_in_the_indicators_and_the_forecast(ledger, capsys):
    in_redressement(ledger)
    with ledger.sessions() as s:
        figures = cockpit(s, TODAY)
    assert figures.now.receivables == D("4430.00")
    assert figures.doubtful_rate == D("0.6772")  # F4 + F6 = 3 000,00 € / 4 430,00 €
    assert figures.in_doubt == D("2880.00")  # the forecast nets the 120,00 € received first, as for anyone
    assert figures.expected_13_weeks == D("1550.00")  # Garage Petit's alone: Martin's are in no week
    assert main(["--db", location(ledger), "forecast", "--at", "2026-11-23", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["doubtful"] == "2880.00"


def test_the_score_says_the_proceedings_first(ledger):
    martin = in_redressement(ledger)
    with ledger.sessions() as s:
        score = customer_risk(s, martin, TODAY).score
    assert (score.points, score.grade) == (100, "E")
    first = score.factors[0]
    assert (first.label, first.detail, first.points) == ("Procédure collective",
                                                         "Redressement judiciaire depuis le 05/10/2026", 100)
    assert [f.key for f in score.factors][1:3] == ["delay", "trend"]


def test_the_deadline_is_the_first_alert_in_the_weekly_report_and_in_kpi_json(ledger, capsys, tmp_path):
    from pypdf import PdfReader

    in_redressement(ledger)
    with ledger.sessions() as s:
        figures = cockpit(s, TODAY)
    assert (figures.alerts[0].kind, figures.alerts[0].text) == ("proceedings", DECLARE)
    assert main(["--db", location(ledger), "report", "weekly", "--at", "2026-11-23", "--out",
                 str(tmp_path / "hebdo.pdf")]) == 0
    capsys.readouterr()
    first = PdfReader(tmp_path / "hebdo.pdf").pages[0].extract_text()
    assert first.split("Alertes (")[1].split("\n")[1] == f"⚠ {DECLARE}"  # the first of the list
    assert main(["--db", location(ledger), "kpi", "--at", "2026-11-23", "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)["proceedings"]
    assert shown["customer"] == "Boulangerie Martin" and shown["kind"] == "redressement"
    assert shown["deadlines"] == [{"what": "déclaration de créance", "on": "2026-12-16", "days_left": 23}]
    assert shown["insurer"] is None


def test_the_insurer_deadline_beside_it(ledger):
    in_redressement(ledger, insured=True)
    with ledger.sessions() as s:
        (now,) = proceeding_deadlines(s, TODAY)
        assert cockpit(s, TODAY).alerts[0].text == f"{DECLARE} ; assureur-crédit avant le 31/10/2026 (dépassé)"
        before = cockpit(s, date(2026, 10, 20)).alerts[0].text
    assert (now.insurer.on, now.insurer.days_left) == (date(2026, 10, 31), -23)
    assert before == ("Boulangerie Martin — redressement judiciaire : déclaration de créance avant le 16/12/2026 "
                      "(J-57) ; assureur-crédit avant le 31/10/2026 (J-11)")


def test_nothing_once_declared_then_the_relief_when_missed(ledger):
    martin = in_redressement(ledger)
    with ledger.sessions() as s:
        (missed,) = proceeding_deadlines(s, date(2027, 1, 10))
        assert cockpit(s, date(2027, 1, 10)).alerts[0].text == (
            "Boulangerie Martin — redressement judiciaire : relevé de forclusion avant le 16/04/2027 (J-96)")
    assert [(d.what, d.on) for d in missed.deadlines] == [("relevé de forclusion", date(2027, 4, 16))]
    with ledger.transaction() as s:
        record_claim_sent(s, martin, date(2026, 11, 20))
    with ledger.sessions() as s:
        assert proceeding_deadlines(s, TODAY) == []
        assert "proceedings" not in {a.kind for a in cockpit(s, TODAY).alerts}
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F4")) == "open"  # nothing written on it
