"""Today's dunning on the hand-made ledger of tests/conftest.py (23/11/2026, the private businesses' plan:
1st reminder at 7 days, 2nd 15, call 25, formal notice 35, litigation 50):
- Garage Petit: F2 (300,00 € left, 10 days late: 1st reminder), F3 (300,00 €, 111 days: litigation), F1 not
  due, an unallocated credit note of 50,00 €: the litigation file, for F3 only (F2 never had a formal
  notice), 250,00 € due;
- Boulangerie Martin: F4 (2 000,00 €, 46 days: formal notice) less an unallocated payment of 120,00 €."""

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.models import Activity, Customer, Dispute, DunningLetter, Invoice
from app.services.dunning import due_actions
from app.services.rates import save_rates
from tests.cli.test_cli import location
from tests.conftest import TODAY, chase_history


@pytest.fixture
def ledger(ledger):
    """The ledger with its late payers' reminders on record: the steps these tests chase come next."""
    chase_history(ledger)
    return ledger


def actions_of(db, at=TODAY):
    with db.sessions() as s:
        actions, holds = due_actions(s, at)
    return {a.name: a for a in actions}, {h.name: h.reason for h in holds}


def test_the_ledger_actions_grouped_at_the_highest_step_credits_deducted(ledger):
    actions, holds = actions_of(ledger)
    petit, martin = actions["Garage Petit"], actions["Boulangerie Martin"]
    assert (petit.step, [i.number for i in petit.invoices], petit.credits, str(petit.amount_due)) == (
        "litigation", ["F3"], 50, "250.00")
    assert [step for step, _on in petit.history] == ["first_reminder", "second_reminder", "phone_call", "formal_notice"]
    assert (martin.step, str(martin.amount_due), martin.days_late) == ("formal_notice", "1880.00", 46)
    assert holds == {}


def test_a_dispute_a_promise_and_a_do_not_chase_date_suspend_with_their_reason(ledger):
    with ledger.transaction() as s:
        f3 = s.query(Invoice).filter_by(number="F3").one()
        s.add(Dispute(invoice_id=f3.id, reason="prix contesté", opened_on=date(2026, 11, 1)))
        martin = s.query(Customer).filter_by(name="Boulangerie Martin").one()
        s.add(Activity(customer_id=martin.id, kind="promise", promised_on=date(2026, 11, 27), promised_cents=188000))
    actions, holds = actions_of(ledger)
    petit = actions["Garage Petit"]  # F3 disputed: F2 alone, at its own step
    assert (petit.step, [i.number for i in petit.invoices], petit.held_back) == (
        "first_reminder", ["F2"], (("F3", "litige en cours (prix contesté)"),))
    assert holds == {"Boulangerie Martin": "promesse de paiement jusqu'au 27/11/2026"}
    with ledger.transaction() as s:
        petit_row = s.query(Customer).filter_by(name="Garage Petit").one()
        petit_row.dunning_hold_until, petit_row.dunning_hold_reason = date(2026, 12, 15), "accord du gérant"
    actions, holds = actions_of(ledger)
    assert actions == {} and holds["Garage Petit"] == "accord du gérant jusqu'au 15/12/2026"
    actions, _ = actions_of(ledger, date(2026, 11, 28))  # the promise's date has passed: the step it held
    assert actions["Boulangerie Martin"].step == "formal_notice"


def test_remind_dry_run_json_with_penalties(ledger, capsys):
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--dry-run", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["held"] == []
    out = {r["customer"]: r for r in printed["actions"]}
    # F4: 2 000 × 12,15 % × 46 / 365 = 30,6246… -> 30,62, and 40 € of indemnity
    assert out["Boulangerie Martin"] == {
        "customer": "Boulangerie Martin", "step": "formal_notice", "invoices": ["F4"], "amount_due": "1880.00",
        "penalties": "30.62", "indemnities": "40.00", "file": None,
        "history": [{"step": "first_reminder", "on": "2026-10-18"}, {"step": "second_reminder", "on": "2026-10-28"},
                    {"step": "phone_call", "on": "2026-11-07"}]}
    # the litigation file claims F3 alone: 300 × 12,15 % × 111 / 365 = 11,0847… -> 11,08, and 40 €
    assert (out["Garage Petit"]["penalties"], out["Garage Petit"]["indemnities"]) == ("11.08", "40.00")


def test_remind_json_lists_the_held_customers_with_why_and_until_when(ledger, capsys):
    with ledger.transaction() as s:
        martin = s.query(Customer).filter_by(name="Boulangerie Martin").one()
        s.add(Activity(customer_id=martin.id, kind="promise", promised_on=date(2026, 11, 27), promised_cents=188000))
        martin_id = martin.id
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--dry-run", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [a["customer"] for a in printed["actions"]] == ["Garage Petit"]
    assert printed["held"] == [{"customer_id": martin_id, "customer": "Boulangerie Martin", "net_overdue": "1880.00",
                                "reason": "promesse de paiement jusqu'au 27/11/2026", "until": "2026-11-27"}]


def test_kpi_json_to_call_is_relances_list(ledger, capsys):
    """The customers to call are Relances' actions (the same net amounts and steps), largest first."""
    assert main(["--db", location(ledger), "kpi", "--at", "2026-11-23", "--json"]) == 0
    to_call = json.loads(capsys.readouterr().out)["to_call"]
    assert [(c["customer"], c["net_overdue"], c["days_late"], c["step"]) for c in to_call] == [
        ("Boulangerie Martin", "1880.00", 46, "formal_notice"), ("Garage Petit", "250.00", 111, "litigation")]


def test_remind_says_the_missing_half_year_once(ledger, capsys):
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "Mise en demeure — Boulangerie Martin : 1 facture, 1\u202f880,00\u00a0€ dus, 46 j de retard" in out
    assert out.count("taux d'intérêt manquant pour le 2e semestre 2026") == 1


def test_remind_refuses_before_writing_anything_when_todays_half_year_is_missing(ledger, capsys, tmp_path):
    out = tmp_path / "lettres"
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(out), "--eml"]) == 1
    said = capsys.readouterr()
    assert said.out == "" and said.err == (
        "encours : taux d'intérêt manquant pour le 2e semestre 2026 : saisissez-le dans Paramètres › Taux "
        "d'intérêt (taux de la BCE au 1er janvier ou au 1er juillet, taux d'intérêt légal publié pour le "
        "semestre).\n")
    assert not out.exists()  # not even the folder
    with ledger.sessions() as s:
        assert s.scalars(select(DunningLetter).where(DunningLetter.sent_on == TODAY)).all() == []
    with ledger.transaction() as s:  # entered: the letters are written
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(out)]) == 0
    assert len(list(out.glob("*.pdf"))) == 2


def test_a_customer_chased_as_another_segment_follows_that_plan(ledger):
    from app.services.customers import customer_input, save_customer

    with ledger.transaction() as s:
        martin = s.query(Customer).filter_by(name="Boulangerie Martin").one()
        data = customer_input(s, martin.id)
        assert save_customer(s, replace(data, dunning_plan="public"), martin.id, TODAY)[1].errors == {}
        assert save_customer(s, replace(data, dunning_plan="vip"), martin.id, TODAY)[1].errors == {
            "dunning_plan": "Plan de relance inconnu."}
    # F4, 46 days late, its call made: a public body's plan has its formal notice at 50 days
    actions, holds = actions_of(ledger)
    assert "Boulangerie Martin" not in actions
    assert holds["Boulangerie Martin"] == "Mise en demeure possible le 27/11/2026"


def test_remind_writes_each_letter_records_it_and_an_email_beside_it(ledger, capsys, tmp_path):
    from email import policy
    from email.parser import BytesParser

    from app.models import DunningLetter

    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
        s.query(Customer).filter_by(name="Boulangerie Martin").one().email = "compta@boulangerie-martin.fr"
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(tmp_path), "--eml"]) == 0
    assert "Mise en demeure — Boulangerie Martin" in capsys.readouterr().out
    pdf = tmp_path / "2026-11-23_mise-en-demeure_Boulangerie-Martin_C0002.pdf"
    message = BytesParser(policy=policy.default).parsebytes(pdf.with_suffix(".eml").read_bytes())
    assert (message["To"], message["Subject"]) == ("compta@boulangerie-martin.fr", "Mise en demeure — Atelier Test SARL")
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == pdf.name and attachment.get_content() == pdf.read_bytes()
    assert "F4 (1\u202f880,00\u00a0€ restant dus)" in message.get_body().get_content()
    with ledger.sessions() as s:
        assert sorted(s.scalars(select(DunningLetter.step).where(DunningLetter.sent_on == TODAY))) == [
            "formal_notice", "litigation"]
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--dry-run"]) == 0
    # both sent: held today, who owes most first (Martin 1 880,00 €, Petit 550,00 €)
    assert capsys.readouterr().out == ("En attente — Boulangerie Martin : relancé aujourd'hui\n"
                                       "En attente — Garage Petit : relancé aujourd'hui\n")


def test_an_invoice_marked_en_litige_on_its_card_is_not_chased(ledger):
    with ledger.transaction() as s:
        s.query(Invoice).filter_by(number="F4").one().status = "disputed"
    actions, holds = actions_of(ledger)
    assert "Boulangerie Martin" not in actions
    assert holds["Boulangerie Martin"] == "F4 : litige en cours (facture marquée en litige)"


def test_a_letter_printed_from_a_list_computed_earlier_is_not_sent_twice(ledger, tmp_path):
    from app.models import DunningLetter
    from app.services.reminders import print_letters

    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    with ledger.sessions() as s:
        earlier, _ = due_actions(s, TODAY)  # two workstations, the same list
    martin = [a for a in earlier if a.name == "Boulangerie Martin"]
    with ledger.transaction() as s:
        (first,) = print_letters(s, TODAY, martin, tmp_path / "a.pdf")
    with ledger.transaction() as s:
        (second,) = print_letters(s, TODAY, martin, tmp_path / "b.pdf")
    assert first.file == tmp_path / "a.pdf" and not first.error
    assert (second.file, second.error) == (None, "Boulangerie Martin : lettre déjà envoyée aujourd'hui.")
    assert not (tmp_path / "b.pdf").exists()
    with ledger.sessions() as s:
        assert s.scalars(select(DunningLetter.step).where(DunningLetter.sent_on == TODAY)).all() == ["formal_notice"]


def test_a_letter_keeps_the_rate_in_force_and_prints_the_rates_in_the_order_they_applied(db, tmp_path):
    from pypdf import PdfReader

    from app.models import Company, DunningLetter
    from app.services.reminders import print_letters
    from tests.conftest import invoice

    at = date(2025, 7, 20)
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="732829320"))
        client = Customer(name="Client Ancien", code="C9", segment="private")
        a1 = invoice("A1", client, date(2025, 5, 16), date(2025, 6, 15), 1000000)
        s.add(a1)
        s.flush()
        s.add_all([DunningLetter(customer=client, step=step, sent_on=on,
                                 lines=[{"invoice_id": a1.id, "number": "A1", "amount_due": 1000000}])
                   for step, on in (("first_reminder", date(2025, 6, 22)), ("second_reminder", date(2025, 6, 30)),
                                    ("phone_call", date(2025, 7, 10)))])
    with db.transaction() as s:
        (action,) = due_actions(s, at)[0]  # 35 days late, reminded and called: the formal notice
        (reminder,) = print_letters(s, at, [action], tmp_path / "mad.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "mad.pdf").pages).split())
    # ECB 3,15 % + 10 in H1 2025, then 2,15 % + 10 in H2 2025 (the shipped table)
    assert "13,15 % puis 12,15 %" in text
    with db.sessions() as s:
        assert s.scalar(select(DunningLetter.rate_used).where(DunningLetter.sent_on == at)) == "12.15"  # the rate in force on the letter's day


def test_promises_postponements_and_disputes_within_reason(ledger):
    from decimal import Decimal as D

    from app.services.disputes import DisputeInput, save_dispute
    from app.services.dunning import postpone, record_call

    actions, _ = actions_of(ledger)
    martin = actions["Boulangerie Martin"]  # 1 880,00 € due
    with ledger.transaction() as s:
        assert record_call(s, martin, TODAY, "promet tout", date(2026, 11, 30), D("99999")) == {
            "promised": "C'est plus que ce qui est dû (1\u202f880,00\u00a0€)."}
        assert postpone(s, martin.customer_id, TODAY, date(2030, 1, 1), "vacances") == {
            "until": "Au plus un an : au-delà, la créance risque la prescription sans qu'on la relance."}
        saved, errors = save_dispute(s, DisputeInput("f4", "quantités"), None, TODAY)  # any case
        assert errors == {} and saved is not None
    assert "Boulangerie Martin" not in actions_of(ledger)[0]
