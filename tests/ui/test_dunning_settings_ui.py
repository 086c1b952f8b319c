"""Paramètres › Plans de relance and › Textes des lettres, on the hand-made ledger (tests/conftest.py):
Boulangerie Martin's F4 is 46 days late, at the formal notice of the private businesses' plan (35 days)."""

import pytest

from datetime import date

from PySide6.QtWidgets import QLabel
from pypdf import PdfReader
from sqlalchemy import select

from app.models import Preference
from app.services.dunning import due_actions
from app.services.rates import save_rates
from tests.conftest import chase_history


@pytest.fixture
def ledger(ledger):
    """The ledger with its late payers' reminders on record: the steps these tests chase come next."""
    chase_history(ledger)
    return ledger


def martin_step(ledger):
    """Boulangerie Martin's step today, or why it waits."""
    with ledger.sessions() as s:
        actions, holds = due_actions(s, date(2026, 11, 23))
    return next(iter([a.step for a in actions if a.name == "Boulangerie Martin"]
                     + [h.reason for h in holds if h.name == "Boulangerie Martin"]))


def test_a_segment_plan_changed_in_the_settings_changes_todays_step(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("settings")
    settings = window.screens["settings"]
    boxes = settings.plans.boxes
    assert boxes["private", "formal_notice"].value() == 35 and boxes["public", "pre_due"].text() == "—"
    boxes["private", "formal_notice"].setValue(20)  # before the call (25): refused
    settings.save()
    assert settings.plans.errors["private"].text() == ("Chaque étape vient après la précédente : les jours "
                                                        "doivent augmenter.")
    assert martin_step(ledger) == "formal_notice"
    boxes["private", "formal_notice"].setValue(50)
    boxes["private", "litigation"].setValue(70)
    settings.save()
    assert settings.saved.text() == "Enregistré."
    assert martin_step(ledger) == "Mise en demeure possible le 27/11/2026"  # 46 days: its day is J+50 now
    boxes["private", "formal_notice"].setValue(35)
    boxes["private", "litigation"].setValue(50)
    settings.save()
    with ledger.sessions() as s:  # the shipped plans again: nothing of the user's is kept
        assert s.scalar(select(Preference).where(Preference.key == "dunning_plans")) is None


def test_a_letter_text_edited_in_the_settings_prints_and_can_be_restored(ledger, make_window, tmp_path):
    from app.services.reminders import print_letters

    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    window = make_window(ledger)
    window.show_screen("settings")
    settings = window.screens["settings"]
    texts = settings.letter_texts
    texts.kind.setCurrentIndex(texts.kind.findData("formal_notice"))
    shipped = texts.text.toPlainText()
    texts.text.setPlainText("Bonjour {client, vous devez {total}.")
    settings.save()
    assert texts.message.text() == ("Mise en demeure : une accolade { ou } est mal fermée : écrivez les champs "
                                    "comme {client} ou {total}.")
    texts.text.setPlainText("Vous nous devez {totl}.")
    settings.save()
    assert texts.message.text().startswith("Mise en demeure : champ inconnu : {totl} ; les champs possibles sont ")
    assert "{total}" in texts.message.text()
    texts.text.setPlainText("**Mise en demeure**\n\nMonsieur le gérant de {client}, vous nous devez {total}.\n\n"
                            "[tableau]\n\n[signature]")
    settings.save()
    assert settings.saved.text() == "Enregistré."
    with ledger.transaction() as s:
        actions, _ = due_actions(s, date(2026, 11, 23))
        martin = [a for a in actions if a.name == "Boulangerie Martin"]
        print_letters(s, date(2026, 11, 23), martin, tmp_path / "mad.pdf", record=False)
    # 1 880,00 € still due + 30,62 € of penalties + 40,00 € of indemnity
    text = " ".join(PdfReader(tmp_path / "mad.pdf").pages[0].extract_text().split())
    assert "Monsieur le gérant de Boulangerie Martin, vous nous devez 1 950,62 €." in text.replace("\u202f", " ")
    texts.reset.click()
    assert texts.text.toPlainText() == shipped
    settings.save()
    with ledger.sessions() as s:
        assert s.scalar(select(Preference).where(Preference.key == "letter:formal_notice")) is None


def test_the_wait_after_the_previous_step_changed_in_the_settings_holds_the_customer(ledger, make_window):
    """Boulangerie Martin's call was on 07/11/2026: the formal notice waits 7 days after it (shipped), then 20."""
    from app.domain.dunning import FORMAL_NOTICE_DEADLINE_DAYS, LITIGATION_WAIT
    from app.models import Event
    from app.ui.dunning_forms import UNUSED

    window = make_window(ledger)
    window.show_screen("settings")
    settings = window.screens["settings"]
    after = settings.plans.after
    assert [after["private", step].value() for step in ("second_reminder", "phone_call", "formal_notice",
                                                        "litigation")] == [8, 7, 7, 9]
    assert ("private", "first_reminder") not in after and after["private", "formal_notice"].text() == "7 j après"
    # the litigation file comes the day after the formal notice's deadline at the soonest: the form says so
    assert after["private", "litigation"].minimum() == LITIGATION_WAIT == FORMAL_NOTICE_DEADLINE_DAYS + 1 == 9
    assert after["private", "formal_notice"].minimum() == 0 and after["private", "formal_notice"].maximum() == 365
    assert ("Le dossier contentieux vient au plus tôt le lendemain de la fin du délai laissé par la mise en demeure "
            "(8 jours), 9 jours après elle") in \
        " ".join(label.text() for label in settings.plans.findChildren(QLabel))
    settings.plans.boxes["public", "phone_call"].setValue(UNUSED)  # a step not used: no wait to set
    assert not after["public", "phone_call"].isEnabled() and after["public", "formal_notice"].isEnabled()
    settings.plans.boxes["public", "phone_call"].setValue(40)
    assert martin_step(ledger) == "formal_notice"
    after["private", "formal_notice"].setValue(20)
    settings.save()
    assert settings.saved.text() == "Enregistré."
    assert martin_step(ledger) == "Mise en demeure possible le 27/11/2026"  # 07/11 + 20 days
    with ledger.sessions() as s:
        assert s.scalars(select(Event.text).order_by(Event.id.desc())).first() == (
            "Plans de relance : Entreprise privée, mise en demeure : 7 j après → 20 j après")
    settings.refresh()
    assert after["private", "formal_notice"].value() == 20
    assert settings.plans.boxes["private", "formal_notice"].value() == 35


def test_a_plan_saved_by_an_earlier_version_loads_in_the_settings(ledger, make_window):
    """A database whose plans were saved when only the days could change: its days, the shipped waits."""
    with ledger.transaction() as s:
        s.add(Preference(key="dunning_plans", version=1, value={"private": {
            "first_reminder": 7, "second_reminder": 15, "phone_call": 25, "formal_notice": 40, "litigation": 50}}))
    window = make_window(ledger)
    window.show_screen("settings")
    plans = window.screens["settings"].plans
    assert plans.boxes["private", "formal_notice"].value() == 40 and plans.boxes["private", "pre_due"].text() == "—"
    assert plans.after["private", "second_reminder"].value() == 8 and plans.after["private", "litigation"].value() == 9
    assert martin_step(ledger) == "formal_notice"  # J+40 passed (46 days late), the call 16 days ago
    window.screens["settings"].save()  # saved again unchanged: nothing rewritten
    with ledger.sessions() as s:
        assert s.scalar(select(Preference.version).where(Preference.key == "dunning_plans")) == 1
