"""Several users: a save over someone else's newer save is refused with who changed what and when; every edit of
a customer, an invoice's status, a postponement, a dispute, a letter and the settings is an event saying what
changed. Two forms opened at once are played in turn here; tests/services/test_several_users.py plays them at
the same moment, in threads."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from app.domain.money import format_eur
from app.domain.terms import PaymentTerms, TermsKind
from app.domain.vocabulary import EventKind, GuaranteeKind
from app.models import Customer, Event, Invoice, InvoiceStatus
from app.services.cockpit import save_thresholds, thresholds
from app.services.company import company_input, save_company
from app.services.customers import CustomerInput, GuaranteeInput, customer_input, save_customer
from app.services.disputes import DisputeInput, save_dispute
from app.services.dunning import due_actions, plans, postpone, record_sent, save_plans
from app.services.edits import Conflict, settings_seen
from app.services.history import history
from app.services.invoices import invoice_card, save_invoice
from app.services.reminders import letter_texts, save_letter_texts
from app.services.store import commit, read
from tests.conftest import TODAY, chase_history

PRIVATE = {"pre_due": -5, "first_reminder": 7, "second_reminder": 15, "phone_call": 25, "formal_notice": 35,
           "litigation": 50}  # the private businesses' shipped plan
REFUSED = ("{what} par {user} le {at:%d/%m/%Y} à {at:%H:%M} ({text}) {since} : vos modifications n'ont pas été "
           "enregistrées. {reload}")


def customer_id(db, name="Garage Petit") -> int:
    return read(db, lambda s: s.scalar(select(Customer.id).where(Customer.name == name)))


def latest_event(db, **on) -> Event:
    with db.sessions() as s:
        return s.scalars(select(Event).filter_by(**on).order_by(Event.id.desc()).limit(1)).one()


def test_a_customer_saved_over_a_newer_save_is_refused_naming_who_changed_what_and_when(ledger, acting):
    petit = customer_id(ledger)
    mine, theirs = read(ledger, customer_input, petit), read(ledger, customer_input, petit)  # two cards open
    acting("alice")
    commit(ledger, save_customer, replace(theirs, terms=PaymentTerms(TermsKind.NET, 45), credit_limit=D("15000")),
           petit, TODAY)
    acting("bob")
    with pytest.raises(Conflict) as refused:
        commit(ledger, save_customer, replace(mine, phone="01 02 03 04 05"), petit, TODAY)
    event = latest_event(ledger, customer_id=petit)
    assert event.text == (f"Délai de paiement : 30 jours date de facture → 45 jours date de facture ; "
                          f"limite de crédit : {format_eur(D('1500'))} → {format_eur(D('15000'))}")
    assert str(refused.value) == REFUSED.format(
        what="Ce client a été modifié", user="alice", at=event.at, text=event.text,
        since="depuis que vous l'avez ouvert", reload="Rechargez la fiche.")
    assert not refused.value.gone
    saved = read(ledger, customer_input, petit)  # alice's save is intact, bob's phone not written
    assert (saved.terms.days, saved.credit_limit, saved.phone) == (45, D("15000.00"), "")
    commit(ledger, save_customer, replace(saved, phone="01 02 03 04 05"), petit, TODAY)  # reloaded: saved
    assert read(ledger, customer_input, petit).phone == "01 02 03 04 05"


def test_a_refusal_without_any_event_says_another_workstation_and_a_deleted_customer_is_gone(ledger):
    petit = customer_id(ledger)
    loaded = read(ledger, customer_input, petit)
    with ledger.transaction() as s:  # a write that recorded nothing (an older version of the program)
        s.get(Customer, petit).city = "Lyon"
    with pytest.raises(Conflict, match=r"^Ce client a été modifié par un autre poste depuis que vous l'avez ouvert"):
        commit(ledger, save_customer, loaded, petit, TODAY)
    roux = commit(ledger, save_customer, CustomerInput(name="Menuiserie Roux"), None, TODAY)[0].id
    loaded = read(ledger, customer_input, roux)
    with ledger.transaction() as s:  # an import undone takes its new customers away
        s.delete(s.get(Customer, roux))
    with pytest.raises(Conflict) as refused:
        commit(ledger, save_customer, loaded, roux, TODAY)
    assert refused.value.gone and str(refused.value).startswith("Ce client a été supprimé depuis que vous")


def test_guarantees_and_identity_edits_are_recorded_and_a_save_that_changes_nothing_records_nothing(ledger):
    """A guarantee is a row of its own: its change alone makes a new version of the customer all the same."""
    petit = customer_id(ledger)
    cover = GuaranteeInput(GuaranteeKind.CREDIT_INSURANCE, "Atradius", D("50000"), 90, "B", date(2026, 1, 1),
                           date(2026, 12, 31))
    words = f"Assurance-crédit Atradius, {format_eur(D('50000'))}, 90 %, note B, du 01/01/2026 au 31/12/2026"
    loaded = read(ledger, customer_input, petit)
    commit(ledger, save_customer, replace(loaded, guarantees=[cover], city=" Lyon "), petit, TODAY)
    loaded = read(ledger, customer_input, petit)
    commit(ledger, save_customer, loaded, petit, TODAY)  # nothing changed: no event, the same version
    commit(ledger, save_customer, replace(loaded, guarantees=[]), petit, TODAY)
    with pytest.raises(Conflict):  # a card opened before the guarantee alone was taken away
        commit(ledger, save_customer, replace(loaded, phone="01 02 03 04 05"), petit, TODAY)
    with ledger.sessions() as s:
        assert [line.text for line in history(s, petit)] == [
            f"Garantie retirée : {words}", f"Ville : — → Lyon ; garantie ajoutée : {words}"]


def test_an_invoice_saved_over_a_newer_save_is_refused_and_a_status_typed_is_an_event(ledger, acting):
    f3 = read(ledger, lambda s: s.scalar(select(Invoice.id).where(Invoice.number == "F3")))
    mine, theirs = (read(ledger, invoice_card, f3, TODAY).data for _ in range(2))
    acting("alice")
    commit(ledger, save_invoice, replace(theirs, status=InvoiceStatus.DOUBTFUL), f3)
    event = latest_event(ledger, invoice_id=f3)
    assert (event.kind, event.text, event.user) == (EventKind.STATUS, "Statut : Ouverte → Douteuse", "alice")
    with pytest.raises(Conflict) as refused:
        commit(ledger, save_invoice, replace(mine, due_date=date(2026, 8, 31)), f3)
    assert str(refused.value) == REFUSED.format(
        what="Cette facture a été modifiée", user="alice", at=event.at, text=event.text,
        since="depuis que vous l'avez ouverte", reload="Rechargez la fiche.")
    again = read(ledger, invoice_card, f3, TODAY).data
    commit(ledger, save_invoice, replace(again, due_date=date(2026, 8, 31)), f3)
    assert latest_event(ledger, invoice_id=f3).text == "Échéance : 04/08/2026 → 31/08/2026"


def test_a_postponement_a_dispute_and_a_letter_are_events_of_the_customer(ledger):
    chase_history(ledger)  # reminded and called: the formal notice is due
    martin = customer_id(ledger, "Boulangerie Martin")
    with ledger.transaction() as s:
        action = next(a for a in due_actions(s, TODAY)[0] if a.customer_id == martin)
        record_sent(s, action, TODAY)
        assert postpone(s, martin, TODAY, date(2026, 12, 15), "attend le virement du client final") == {}
        dispute_id, errors = save_dispute(s, DisputeInput("F4", "livraison incomplète"), None, TODAY)
        save_dispute(s, DisputeInput("F4", "livraison incomplète", closed_on=TODAY, resolution="credit_note"),
                     dispute_id, TODAY)
    with ledger.sessions() as s:
        lines = [(line.kind, line.text, line.invoice) for line in history(s, martin)]
    assert lines == [
        (EventKind.DISPUTE, "Litige clos le 23/11/2026 (Avoir émis)", "F4"),
        (EventKind.DISPUTE, "Litige ouvert : livraison incomplète", "F4"),
        (EventKind.POSTPONEMENT, "Relances reportées au 15/12/2026 : attend le virement du client final", ""),
        (EventKind.LETTER, f"Mise en demeure : F4 ({format_eur(D('1880'))} dus)", "")]


def test_the_settings_saved_over_a_newer_save_are_refused_and_a_screen_saves_twice(ledger, acting):
    mine, theirs = read(ledger, settings_seen), read(ledger, settings_seen)  # two settings screens open
    company = read(ledger, company_input)
    acting("alice")
    commit(ledger, save_company, replace(company, city="Nantes"), theirs)
    commit(ledger, save_thresholds, thresholds_with(ledger, dso_target_days=60), theirs)  # the same screen again
    commit(ledger, save_company, replace(company, city="Nantes", phone="02 40 00 00 00"), theirs)
    acting("bob")
    with pytest.raises(Conflict) as refused:
        commit(ledger, save_company, replace(company, city="Rennes"), mine)
    event = latest_event(ledger, kind=EventKind.SETTINGS.value)
    assert event.text == "Votre société : téléphone : — → 02 40 00 00 00"
    assert str(refused.value) == REFUSED.format(
        what="Les paramètres de votre société ont été modifiés", user="alice", at=event.at, text=event.text,
        since="depuis que vous les avez ouverts", reload="Rechargez les paramètres.")
    assert read(ledger, company_input).city == "Nantes"
    assert read(ledger, thresholds).dso_target_days == 60


def thresholds_with(db, **values):
    return read(db, thresholds)._replace(**values)


def test_dunning_plans_and_letter_texts_saved_over_newer_ones_are_refused(ledger, acting):
    mine, theirs = read(ledger, settings_seen), read(ledger, settings_seen)
    texts = read(ledger, letter_texts)
    acting("alice")
    assert commit(ledger, save_letter_texts, {**texts, "formal_notice": "Payez. {total}"}, theirs) == {}
    assert commit(ledger, save_plans, {"private": {**PRIVATE, "formal_notice": 40}}, theirs) == {}
    assert latest_event(ledger, kind=EventKind.SETTINGS.value).text == (
        "Plans de relance : Entreprise privée, mise en demeure : J+35 → J+40")
    acting("bob")
    with pytest.raises(Conflict, match="^Les textes des lettres ont été modifiés par alice .*"
                                       r"\(Textes des lettres : mise en demeure : texte modifié\)"):
        commit(ledger, save_letter_texts, {**texts, "first_reminder": texts["first_reminder"] + "\nMerci."}, mine)
    with pytest.raises(Conflict, match=r"^Les plans de relance ont été modifiés par alice .*\(Plans de relance :"):
        commit(ledger, save_plans, {"private": {**PRIVATE, "first_reminder": 10}}, mine)
    assert read(ledger, letter_texts)["formal_notice"] == "Payez. {total}"  # alice's text kept, bob's not written
    assert "Merci." not in read(ledger, letter_texts)["first_reminder"]
    assert read(ledger, plans)["private"].days == {**PRIVATE, "formal_notice": 40}
    events = read(ledger, lambda s: s.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)))
    assert commit(ledger, save_letter_texts, read(ledger, letter_texts), theirs) == {}  # nothing changed: no event
    assert read(ledger, lambda s: s.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))) == events


def test_a_write_beaten_between_its_read_and_its_write_is_a_french_refusal_not_a_traceback(ledger):
    petit = customer_id(ledger)

    def racing(session):  # a write that no form loaded, overtaken by another workstation's save
        customer = session.get(Customer, petit)
        with ledger.transaction() as other:
            other.get(Customer, petit).city = "Lyon"
        customer.phone = "01 02 03 04 05"

    with pytest.raises(Conflict, match="^Ces données viennent d'être modifiées sur un autre poste : rien n'a été "
                                       "enregistré"):
        commit(ledger, racing)
    assert (read(ledger, customer_input, petit).city, read(ledger, customer_input, petit).phone) == ("Lyon", "")
