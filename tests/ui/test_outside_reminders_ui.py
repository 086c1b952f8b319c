"""Reminders already sent outside Encours, recorded from the customer card and from Relances' first-use banner,
on the hand-made ledger of tests/conftest.py (23/11/2026) with no step on record yet: Garage Petit (F3 due 04/08,
F2 due 13/11), Boulangerie Martin (F4 2 000,00 € due 08/10 less 120,00 € unallocated). The dialogs' exec is
driven by the test (what the owner would type), the rest runs as in the window."""

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import Customer, DunningLetter
from app.ui.customer_form import CustomerDialog
from app.ui.outside_reminders import OutsideReminderDialog, OutsideRemindersDialog
from tests.ui.test_reminders_ui import held_rows, reminders_screen


def shown(table):
    model = table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_customer_card_records_a_formal_notice_sent_outside(ledger, make_window, monkeypatch):
    with ledger.sessions() as s:
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
    window = make_window(ledger)
    card = CustomerDialog(window.context, martin, window)
    assert card.outside_button.text() == "Relance déjà envoyée…" and card.outside_button.isEnabled()
    seen = {}

    def owner(dialog: OutsideReminderDialog) -> int:
        seen["title"] = dialog.windowTitle()
        seen["steps"] = [dialog.step.itemText(i) for i in range(dialog.step.count())]
        assert not dialog.registered.isEnabled()  # a registered-mail number is a formal notice's
        dialog.step.setCurrentIndex(dialog.step.findData("formal_notice"))
        assert dialog.registered.isEnabled()
        dialog.registered.setText("1A 123 456 7890 1")
        dialog.sent_on.set_date(date(2026, 10, 1))  # F4 was not late yet
        seen["then"] = dialog.invoices.text()
        dialog.save()
        seen["refused"] = dialog.messages.general.text()
        assert dialog.result() != dialog.DialogCode.Accepted
        dialog.sent_on.set_date(date(2026, 11, 30))
        dialog.save()
        seen["future"] = dialog.messages.labels["sent_on"].text()
        dialog.sent_on.set_date(date(2026, 11, 10))
        seen["invoices"] = dialog.invoices.text()
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(OutsideReminderDialog, "exec", owner)
    card.outside_button.click()
    assert seen == {
        "title": "Relance déjà envoyée — Boulangerie Martin",
        "steps": ["1re relance", "2e relance", "Appel téléphonique", "Mise en demeure"],
        "then": "aucune",
        "refused": "Rien à relancer le 01/10/2026 pour Boulangerie Martin : aucune facture en retard ce jour-là "
                   "n'est encore due (hors litige).",
        "future": "Le 30/11/2026 est à venir : notez une relance déjà envoyée, au plus tard le 23/11/2026.",
        "invoices": "F4 (2\u202f000,00\u00a0€)",
    }
    rows = shown(card.history)
    assert ["10/11/2026", "Mise en demeure", "hors Encours ; F4 ; LRAR n° 1A 123 456 7890 1", "2\u202f000,00\u00a0€",
            ""] in rows
    assert any(row[1] == "Lettre" and row[2] == "Mise en demeure envoyée hors Encours le 10/11/2026 (recommandé n° "
               "1A 123 456 7890 1) : F4" for row in rows)
    with ledger.sessions() as s:
        letter = s.scalar(select(DunningLetter))
        assert (letter.step, letter.sent_on, letter.outside) == ("formal_notice", date(2026, 11, 10), True)


def test_relances_offers_on_first_use_to_record_the_reminders_sent_before(ledger, make_window, qtbot, monkeypatch):
    screen = reminders_screen(make_window(ledger), qtbot)
    assert screen.first_use.isVisible()
    assert screen.first_use.text.text().startswith(
        "<b>Première utilisation : des relances ont-elles déjà été envoyées hors Encours ?</b>")
    assert sorted(row[:5] for row in shown(screen.table)) == [
        ["Boulangerie Martin", "1re relance", "1\u202f880,00\u00a0€", "46 j", "1"],
        ["Garage Petit", "1re relance", "550,00\u00a0€", "111 j", "2"]]
    seen = {}

    def owner(dialog: OutsideRemindersDialog) -> int:
        seen["rows"] = sorted(shown(dialog.table))
        dialog.save()  # nobody ticked
        seen["none"] = dialog.messages.general.text()
        model = dialog.model
        for row in range(model.rowCount()):
            model.setData(model.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        dialog.step.setCurrentIndex(dialog.step.findData("first_reminder"))
        dialog.sent_on.set_date(date(2026, 11, 10))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(OutsideRemindersDialog, "exec", owner)
    screen.first_use.button.click()
    assert seen == {"rows": [["Boulangerie Martin", "1\u202f880,00\u00a0€", "46 j"],
                             ["Garage Petit", "550,00\u00a0€", "111 j"]],
                    "none": "Choisissez au moins un client."}
    qtbot.waitUntil(lambda: screen.running is None and not screen.first_use.isVisible(), timeout=20_000)
    # the progression continues: the 2nd reminder, 8 days after the 1st sent outside on 10/11
    assert sorted(row[:2] for row in shown(screen.table)) == [["Boulangerie Martin", "2e relance"],
                                                              ["Garage Petit", "2e relance"]]
    screen.table.selectRow(0)
    assert "Déjà faites : 1re relance le 10/11/2026." in screen.detail.text()


def test_a_recent_reminder_recorded_holds_the_customer_with_its_date(ledger, make_window, qtbot, monkeypatch):
    screen = reminders_screen(make_window(ledger), qtbot)

    def owner(dialog: OutsideRemindersDialog) -> int:
        martin = next(r for r in range(dialog.model.rowCount())
                      if dialog.model.index(r, 0).data() == "Boulangerie Martin")
        dialog.model.setData(dialog.model.index(martin, 0), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)
        dialog.sent_on.set_date(date(2026, 11, 20))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(OutsideRemindersDialog, "exec", owner)
    screen.first_use.button.click()
    qtbot.waitUntil(lambda: screen.running is None and not screen.first_use.isVisible(), timeout=20_000)
    assert [row[0] for row in shown(screen.table)] == ["Garage Petit"]
    assert [row[:3] for row in held_rows(screen)] == [
        ["Boulangerie Martin", "2e relance possible le 28/11/2026", "28/11/2026"]]


def test_the_customers_with_nothing_late_that_day_are_unticked_and_the_others_recorded(ledger, make_window, qtbot,
                                                                                         monkeypatch):
    screen = reminders_screen(make_window(ledger), qtbot)
    seen = {}

    def owner(dialog: OutsideRemindersDialog) -> int:
        dialog.model.check_all(True)
        dialog.sent_on.set_date(date(2026, 9, 1))  # Garage Petit's F3 was late, not Martin's F4 (due 08/10)
        dialog.save()
        seen["said"] = dialog.messages.general.text()
        seen["ticked"] = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())
                          if dialog.model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked]
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(OutsideRemindersDialog, "exec", owner)
    screen.first_use.button.click()
    assert seen == {"said": "Rien à relancer le 01/09/2026 pour Boulangerie Martin : aucune facture en retard ce "
                            "jour-là n'est encore due (hors litige).\nCes clients ont été décochés : « Enregistrer » "
                            "enregistre les autres.",
                    "ticked": ["Garage Petit"]}
    qtbot.waitUntil(lambda: screen.running is None and not screen.first_use.isVisible(), timeout=20_000)
    assert sorted(row[:2] for row in shown(screen.table)) == [["Boulangerie Martin", "1re relance"],
                                                              ["Garage Petit", "2e relance"]]


def test_no_banner_once_steps_are_on_record(chased, make_window, qtbot):
    screen = reminders_screen(make_window(chased), qtbot)
    assert screen.table.model().rowCount() and not screen.first_use.isVisible()


def test_the_banner_put_off_stays_hidden(ledger, make_window, qtbot):
    screen = reminders_screen(make_window(ledger), qtbot)
    assert screen.first_use.isVisible()
    later = next(b for b in screen.first_use.findChildren(type(screen.first_use.button)) if b.text() == "Plus tard")
    later.click()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.running is None, timeout=20_000)
    assert not screen.first_use.isVisible()
