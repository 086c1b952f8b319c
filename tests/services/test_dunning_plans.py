"""Paramètres › Plans de relance, the service: each step's day and its interval after the previous step
(« délai après l'étape précédente »), the user's over the shipped ones; validated by segment in French, recorded
in the history, versioned. On the hand-made ledger (tests/conftest.py, 23/11/2026) Boulangerie Martin's F4 is 46
days late; here its 1re relance went 10 days ago (13/11/2026)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.vocabulary import EventKind
from app.models import DunningLetter, Event, Invoice, Preference
from app.services.dunning import PLANS_KEY, due_actions, plans, save_plans, waits
from app.services.edits import Conflict, settings_seen
from app.services.store import commit, read
from tests.conftest import TODAY

PRIVATE = {"pre_due": -5, "first_reminder": 7, "second_reminder": 15, "phone_call": 25, "formal_notice": 35,
           "litigation": 50}  # the private businesses' shipped days
SHIPPED_WAITS = {"second_reminder": 8, "phone_call": 7, "formal_notice": 7, "litigation": 9}


@pytest.fixture
def reminded(ledger):
    """Boulangerie Martin's first reminder on record, sent on 13/11/2026."""
    with ledger.transaction() as s:
        f4 = s.scalar(select(Invoice).where(Invoice.number == "F4"))
        s.add(DunningLetter(customer_id=f4.customer_id, step="first_reminder", sent_on=date(2026, 11, 13),
                            lines=[{"invoice_id": f4.id, "number": "F4", "amount_due": f4.total_cents}]))
    return ledger


def martin(db):
    """Boulangerie Martin's action today (its step), or its hold (reason, until)."""
    actions, holds = read(db, due_actions, TODAY)
    return next(iter([a.step for a in actions if a.name == "Boulangerie Martin"]
                     + [(h.reason, h.until) for h in holds if h.name == "Boulangerie Martin"]))


def stored(db):
    return read(db, lambda s: s.scalar(select(Preference.value).where(Preference.key == PLANS_KEY)))


def events(db) -> list[str]:
    return read(db, lambda s: list(s.scalars(select(Event.text).where(Event.kind == EventKind.SETTINGS.value)
                                             .order_by(Event.id))))


def test_the_interval_after_the_first_reminder_decides_when_the_second_comes(reminded):
    assert waits(read(reminded, plans)["private"]) == SHIPPED_WAITS  # the litigation file: the notice's 8 days
    assert martin(reminded) == "second_reminder"  # 10 days since the 1re relance, 8 are enough
    assert commit(reminded, save_plans, {}, None, {"private": {"second_reminder": 15}}) == {}
    assert martin(reminded) == ("2e relance possible le 28/11/2026", date(2026, 11, 28))  # 13/11 + 15 days
    assert read(reminded, plans)["private"].days == PRIVATE  # its days untouched
    assert stored(reminded) == {"private": {"after": {**SHIPPED_WAITS, "second_reminder": 15}}}
    assert events(reminded) == ["Plans de relance : Entreprise privée, 2e relance : 8 j après → 15 j après"]
    assert read(reminded, plans)["public"].after == {"second_reminder": 8, "phone_call": 7, "formal_notice": 7}
    # the shipped interval given again: nothing of the user's is kept
    assert commit(reminded, save_plans, {"private": PRIVATE}, None, {"private": SHIPPED_WAITS}) == {}
    assert stored(reminded) is None and martin(reminded) == "second_reminder"
    assert events(reminded)[-1] == "Plans de relance : Entreprise privée, 2e relance : 15 j après → 8 j après"


@pytest.mark.parametrize("after, error", [
    ({"private": {"second_reminder": 366}}, {"private": "Le délai après l'étape précédente va de 0 à 365 jours."}),
    ({"consumer": {"phone_call": -1}}, {"consumer": "Le délai après l'étape précédente va de 0 à 365 jours."}),
    ({"public": {"litigation": 5}, "private": {"formal_notice": 10}},
     {"public": "Le dossier contentieux vient au plus tôt le lendemain de la fin du délai de la mise en demeure "
                "(8 jours) : 9 jours après elle."}),
    ({"key_account": {"first_reminder": 3}},
     {"key_account": "Pas de délai après l'étape précédente pour : first_reminder."}),
    ({"wholesale": {"phone_call": 3}}, {"wholesale": "Segment inconnu."}),
])
def test_an_interval_out_of_bounds_is_refused_in_french_and_nothing_is_saved(reminded, after, error):
    assert commit(reminded, save_plans, {"private": {**PRIVATE, "formal_notice": 40}}, None, after) == error
    assert stored(reminded) is None and events(reminded) == []
    assert read(reminded, plans)["private"].days == PRIVATE


def test_a_plan_saved_before_intervals_could_change_still_loads_with_the_shipped_intervals(reminded):
    with reminded.transaction() as s:  # what a database of an earlier version holds: the days only
        s.add(Preference(key=PLANS_KEY, value={"private": {**PRIVATE, "second_reminder": 20}}, version=1))
    plan = read(reminded, plans)["private"]
    assert plan.days == {**PRIVATE, "second_reminder": 20} and waits(plan) == SHIPPED_WAITS
    assert martin(reminded) == "second_reminder"  # J+20 passed (46 days late), 10 days since the 1re relance
    seen = read(reminded, settings_seen)
    assert commit(reminded, save_plans, {"private": {**PRIVATE, "second_reminder": 20}}, seen,
                  {"private": {"phone_call": 9}}) == {}
    assert stored(reminded) == {"private": {**PRIVATE, "second_reminder": 20,
                                            "after": {**SHIPPED_WAITS, "phone_call": 9}}}
    assert events(reminded) == ["Plans de relance : Entreprise privée, appel téléphonique : 7 j après → 9 j après"]
    assert seen["preference:dunning_plans"] == 2  # the screen's next save goes on from the version written


def test_intervals_saved_over_a_newer_save_are_refused(reminded, acting):
    mine, theirs = read(reminded, settings_seen), read(reminded, settings_seen)
    acting("alice")
    assert commit(reminded, save_plans, {}, theirs, {"private": {"formal_notice": 12}}) == {}
    acting("bob")
    with pytest.raises(Conflict, match=r"^Les plans de relance ont été modifiés par alice .*\(Plans de relance : "
                                       r"Entreprise privée, mise en demeure : 7 j après → 12 j après\)"):
        commit(reminded, save_plans, {}, mine, {"private": {"formal_notice": 20}})
    assert waits(read(reminded, plans)["private"])["formal_notice"] == 12  # alice's kept, bob's not written
