"""Reminders already sent outside Encours (DOMAIN.md, Dunning progression), on the hand-made ledger of
tests/conftest.py (23/11/2026, the private businesses' plan: 1st reminder at 7 days, 2nd at 15 and 8 days after
the 1st, call at 25 and 7 days after, formal notice at 35 and 7 days after, litigation 8 days after the notice)
with no step on record yet (first use), and a third customer 200 days late:
- Garage Petit: F3 300,00 € due 04/08, F2 500,00 € due 13/11 (200,00 € paid on 20/11), F1 not due;
- Boulangerie Martin: F4 2 000,00 € due 08/10;
- Menuiserie Roy: R1 3 000,00 € due 200 days ago (07/05/2026)."""

from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.models import Customer, Dispute, DunningLetter, Event, Invoice
from app.services.dunning import due_actions, save_plans
from app.services.outside_reminders import first_use, record_outside
from app.services.rates import save_rates
from app.services.timeline import timeline
from tests.conftest import TODAY, invoice


@pytest.fixture
def ledger(ledger):
    with ledger.transaction() as s:
        roy = Customer(name="Menuiserie Roy", code="C0003", segment="private")
        s.add(invoice("R1", roy, TODAY - timedelta(days=230), TODAY - timedelta(days=200), 300000))
    return ledger


def ids(db, *names):
    with db.sessions() as s:
        found = dict(s.execute(select(Customer.name, Customer.id)).all())
    return [found[name] for name in names]


def record(db, names, step, on, at=TODAY, registered=""):
    with db.transaction() as s:
        return record_outside(s, ids(db, *names), step, on, at, registered)


def chased(db, at=TODAY):
    with db.sessions() as s:
        actions, holds = due_actions(s, at)
    return {a.name: a.step for a in actions}, {h.name: h.reason for h in holds}


def written(db):
    """How many steps and events are on record."""
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(DunningLetter)), s.scalar(select(func.count()).select_from(Event))


def test_the_progression_continues_from_the_step_recorded(ledger):
    with ledger.sessions() as s:
        assert first_use(s)
    actions, _ = chased(ledger)
    assert actions["Menuiserie Roy"] == "first_reminder"  # no history: the first reminder, however late
    result = record(ledger, ["Menuiserie Roy"], "second_reminder", TODAY - timedelta(days=10))
    assert result.errors == {}
    actions, _ = chased(ledger)
    assert actions["Menuiserie Roy"] == "phone_call"  # the call 7 days after the 2nd reminder
    assert (actions["Garage Petit"], actions["Boulangerie Martin"]) == ("first_reminder", "first_reminder")
    with ledger.sessions() as s:
        assert not first_use(s)
        letter = s.scalar(select(DunningLetter))
        assert (letter.step, letter.sent_on, letter.outside, letter.lines, letter.amount_due_cents) == (
            "second_reminder", date(2026, 11, 13), True,
            [{"invoice_id": letter.lines[0]["invoice_id"], "number": "R1", "amount_due": 300000}], 300000)


def test_a_formal_notice_recorded_holds_until_its_deadline(ledger):
    assert record(ledger, ["Menuiserie Roy"], "formal_notice", TODAY - timedelta(days=3), registered="1A 123").errors == {}
    actions, holds = chased(ledger)
    assert "Menuiserie Roy" not in actions
    assert holds["Menuiserie Roy"] == "Dossier contentieux possible le 29/11/2026"  # the day after its 8 days
    assert "Menuiserie Roy" not in chased(ledger, date(2026, 11, 28))[0]  # the deadline's day: it may still pay
    assert chased(ledger, date(2026, 11, 29))[0]["Menuiserie Roy"] == "litigation"


def test_a_reminder_recorded_a_few_days_ago_holds_the_next_one(ledger):
    record(ledger, ["Boulangerie Martin"], "first_reminder", date(2026, 11, 20))
    assert chased(ledger)[1]["Boulangerie Martin"] == "2e relance possible le 28/11/2026"


def test_several_customers_in_one_go_each_with_its_late_invoices_and_an_event(ledger):
    result = record(ledger, ["Garage Petit", "Boulangerie Martin"], "first_reminder", date(2026, 11, 14))
    assert result.errors == {}
    assert result.lines() == ["1re relance envoyée hors Encours le 14/11/2026, pour :",
                              "  Boulangerie Martin (C0002) : F4", "  Garage Petit (C0001) : F3, F2"]
    with ledger.sessions() as s:
        letters = {s.get(Customer, letter.customer_id).name: letter for letter in s.scalars(select(DunningLetter))}
        # F2 was late on 14/11 (due 13/11) and is still due; F1 was not due; the credit note is not chased
        petit = letters["Garage Petit"]
        assert [(line["number"], line["amount_due"]) for line in petit.lines] == [("F3", 30000), ("F2", 50000)]
        assert petit.amount_due_cents == 80000 and petit.outside and petit.registered_mail_number == ""
        events = s.execute(select(Event.customer_id, Event.kind, Event.text, Event.amount_cents)
                           .order_by(Event.id)).all()
        petit_id = petit.customer_id
        assert (petit_id, "letter", "1re relance envoyée hors Encours le 14/11/2026 : F3, F2", 80000) in events
        assert len(events) == 2
        shown = [entry for entry in timeline(s, petit_id) if entry.what == "1re relance"]
        assert [(entry.day, entry.detail) for entry in shown] == [(date(2026, 11, 14), "hors Encours ; F3, F2")]
    actions, holds = chased(ledger)
    # Martin: 2nd reminder (46 days late, 9 days after the 1st); Petit's F2 and F3: 2nd reminder too
    assert actions == {"Boulangerie Martin": "second_reminder", "Garage Petit": "second_reminder",
                       "Menuiserie Roy": "first_reminder"}


def test_a_call_made_outside_says_so(ledger):
    assert record(ledger, ["Boulangerie Martin"], "phone_call", date(2026, 11, 2)).errors == {}
    with ledger.sessions() as s:
        assert s.scalar(select(Event.text)) == "Appel téléphonique passé hors Encours le 02/11/2026 : F4"


def test_recording_the_same_step_and_day_again_adds_nothing(ledger):
    record(ledger, ["Garage Petit"], "formal_notice", date(2026, 11, 1))
    before = written(ledger)
    again = record(ledger, ["Garage Petit", "Boulangerie Martin"], "formal_notice", date(2026, 11, 1),
                   registered="1A 123 456 7890 1")
    assert again.errors == {}
    assert [(c.name, c.invoices, c.already) for c in again.customers] == [
        ("Boulangerie Martin", ("F4",), False), ("Garage Petit", ("F3",), True)]
    assert written(ledger) == (before[0] + 1, before[1] + 1)  # Martin's only
    assert again.lines()[-1] == "  Garage Petit (C0001) : F3 — déjà dans l'historique, rien d'ajouté"
    with ledger.sessions() as s:  # the number given the second time is noted on the notice that had none
        assert set(s.scalars(select(DunningLetter.registered_mail_number))) == {"1A 123 456 7890 1"}


def test_an_invoice_in_dispute_that_day_is_not_chased(ledger):
    with ledger.transaction() as s:
        f3 = s.scalar(select(Invoice.id).where(Invoice.number == "F3"))
        s.add(Dispute(invoice_id=f3, reason="prix contesté", opened_on=date(2026, 11, 1),
                      closed_on=date(2026, 11, 18)))
    record(ledger, ["Garage Petit"], "first_reminder", date(2026, 11, 14))
    with ledger.sessions() as s:
        assert [line["number"] for line in s.scalar(select(DunningLetter.lines))] == ["F2"]


@pytest.mark.parametrize("step, on, registered, field, message", [
    ("first_reminder", date(2026, 11, 24), "", "sent_on",
     "Le 24/11/2026 est à venir : notez une relance déjà envoyée, au plus tard le 23/11/2026."),
    ("pre_due", date(2026, 11, 10), "", "step",
     "Choisissez la 1re relance, la 2e relance, l'appel téléphonique ou la mise en demeure : les étapes qu'un "
     "client reçoit et que les suivantes font suivre."),
    ("litigation", date(2026, 11, 10), "", "step", None),
    ("second_reminder", date(2026, 11, 10), "1A 123", "registered",
     "Un n° de recommandé ne se note que pour une mise en demeure."),
    ("formal_notice", date(2026, 11, 10), "1" * 41, "registered", "N° de recommandé : 41 caractères, 40 au plus."),
])
def test_what_is_refused_writes_nothing(ledger, step, on, registered, field, message):
    result = record(ledger, ["Garage Petit", "Boulangerie Martin"], step, on, registered=registered)
    assert list(result.errors) == [field]
    assert message is None or result.errors[field] == message
    assert written(ledger) == (0, 0) and result.customers == ()


def test_a_customer_with_nothing_late_that_day_is_named_and_nothing_is_written(ledger):
    # on 01/08 Garage Petit owed nothing late (F3 due 04/08, F0 paid on 02/07): Martin is not recorded either
    result = record(ledger, ["Boulangerie Martin", "Garage Petit"], "first_reminder", date(2026, 8, 1))
    assert result.errors == {"customers": "Rien à relancer le 01/08/2026 pour Boulangerie Martin et Garage Petit : "
                                          "aucune facture en retard ce jour-là n'est encore due (hors litige)."}
    assert sorted(result.refused) == sorted(ids(ledger, "Boulangerie Martin", "Garage Petit"))
    assert written(ledger) == (0, 0)
    # on 01/09 Garage Petit's F3 was late, not Martin's F4 (due 08/10): Martin alone is named
    result = record(ledger, ["Boulangerie Martin", "Garage Petit", "Menuiserie Roy"], "first_reminder",
                    date(2026, 9, 1))
    assert result.errors == {"customers": "Rien à relancer le 01/09/2026 pour Boulangerie Martin : aucune facture en "
                                          "retard ce jour-là n'est encore due (hors litige)."}
    assert result.refused == tuple(ids(ledger, "Boulangerie Martin")) and written(ledger) == (0, 0)
    assert record(ledger, [], "first_reminder", date(2026, 11, 1)).errors == {
        "customers": "Choisissez au moins un client."}


def test_a_step_the_customers_plan_leaves_out_is_refused(ledger):
    with ledger.transaction() as s:
        assert save_plans(s, {"private": {"first_reminder": 7, "second_reminder": 15, "formal_notice": 35,
                                          "litigation": 50}}) == {}
    result = record(ledger, ["Garage Petit"], "phone_call", date(2026, 11, 14))
    assert result.errors == {
        "customers": "Le plan de relance de Garage Petit ne prévoit pas d'étape « Appel téléphonique »."}
    assert written(ledger)[0] == 0


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_letters_then_quote_the_reminders_sent_outside_with_their_dates(ledger, tmp_path):
    from app.services.reminders import remind

    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    for step, on in (("first_reminder", date(2026, 10, 10)), ("second_reminder", date(2026, 10, 20)),
                     ("phone_call", date(2026, 10, 30))):
        assert record(ledger, ["Boulangerie Martin"], step, on).errors == {}
    assert record(ledger, ["Garage Petit"], "formal_notice", date(2026, 11, 1), registered="1A 123 456 7890 1"
                  ).errors == {}
    assert chased(ledger)[0] == {"Boulangerie Martin": "formal_notice", "Garage Petit": "litigation",
                                 "Menuiserie Roy": "first_reminder"}
    with ledger.transaction() as s:
        reminders, _holds = remind(s, TODAY, tmp_path)
    files = {r.action.name: r.file for r in reminders}
    notice = pdf_text(files["Boulangerie Martin"])
    assert ("Malgré nos relances du 10/10/2026 (1re relance), du 20/10/2026 (2e relance) et du 30/10/2026 "
            "(relance téléphonique), les factures ci-dessous restent impayées.") in notice
    litigation = pdf_text(files["Garage Petit"])
    # the formal notice sent outside Encours, quoted with its registered-mail number; F3 alone (F2 came later)
    assert ("mis en demeure de payer par lettre recommandée avec accusé de réception n° 1A 123 456 7890 1 du "
            "01/11/2026, restée sans effet") in litigation
    assert "01/11/2026 Mise en demeure, envoyée hors Encours, lettre recommandée avec AR n° 1A 123 456 7890 1" \
        in litigation
    first = pdf_text(files["Menuiserie Roy"])  # nothing on record for it: no reminder claimed
    assert "Malgré" not in first and "relance du" not in first
