"""Relances on the hand-made ledger (tests/conftest.py, 23/11/2026): Garage Petit at the litigation step
(F3 111 days late, F2 10 days), Boulangerie Martin at the formal notice (F4, 46 days). Printing records the
letter and removes it from today's list; a dispute takes its invoice out of the next letter; a call with a
promise holds the customer."""

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pypdf import PdfReader
from sqlalchemy import select

from app.models import Activity, Dispute, DunningLetter
from app.services.rates import save_rates
from tests.conftest import chase_history


@pytest.fixture
def ledger(ledger):
    """The ledger with its late payers' reminders on record: the steps these tests chase come next."""
    chase_history(ledger)
    return ledger


def reminders_screen(window, qtbot):
    window.show_screen("reminders")
    screen = window.screens["reminders"]
    qtbot.waitUntil(lambda: screen.running is None, timeout=20_000)  # today's actions come from a worker
    return screen


def reloaded(screen, qtbot):
    screen.refresh()
    qtbot.waitUntil(lambda: screen.running is None, timeout=20_000)


def held_rows(screen):
    """The « En attente » table as shown: client, reason, until, net overdue."""
    model = screen.held.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def select_customer(screen, name):
    row = next(r for r in range(screen.table.model().rowCount()) if screen.table.model().index(r, 0).data() == name)
    screen.table.selectRow(row)
    return screen.selected()


def test_the_list_shows_todays_actions_most_useful_first_with_their_detail(ledger, make_window, qtbot):
    screen = reminders_screen(make_window(ledger), qtbot)
    shown = [(screen.table.model().index(r, 0).data(), screen.table.model().index(r, 1).data(),
              screen.table.model().index(r, 2).data()) for r in range(screen.table.model().rowCount())]
    assert sorted(shown) == [("Boulangerie Martin", "Mise en demeure", "1\u202f880,00\u00a0€"),
                             ("Garage Petit", "Dossier contentieux", "250,00\u00a0€")]
    assert screen.day.text() == "23/11/2026 · 2 actions"
    select_customer(screen, "Garage Petit")
    detail = screen.detail.text()
    # the litigation file claims F3 alone: F2 (10 days late) never had a formal notice
    assert "F3" in detail and "F2" not in detail
    assert ("Déjà faites : 1re relance le 24/09/2026, 2e relance le 04/10/2026, Appel téléphonique le 14/10/2026, "
            "Mise en demeure le 24/10/2026.") in detail
    assert "Avoirs et règlements non imputés déduits : 50,00\u00a0€" in detail
    # the ledger has no rate for the 2nd half of 2026 yet: the letter cannot be written, and it says so
    assert "La lettre ne peut pas être écrite : taux d'intérêt manquant pour le 2e semestre 2026" in detail


def test_printing_a_letter_records_it_and_removes_it_from_today(ledger, make_window, qtbot, tmp_path, monkeypatch):
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    screen = reminders_screen(make_window(ledger), qtbot)
    target = tmp_path / "martin.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    opened = []
    monkeypatch.setattr("app.ui.reminders.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    select_customer(screen, "Boulangerie Martin")
    # 1 880,00 € + 30,62 € of penalties (2 000 × 12,15 % × 46 / 365) + 40,00 € of indemnity
    assert "Pénalités 30,62\u00a0€ · indemnités 40,00\u00a0€ · <b>total réclamé 1\u202f950,62\u00a0€</b>" in \
        screen.detail.text()
    screen.print_selected()
    qtbot.waitUntil(lambda: screen.day.text() == "23/11/2026 · 1 action", timeout=20_000)
    assert opened == [str(target)]
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Boulangerie Martin" in text and "F4" in text and "mise en demeure" in text.lower()
    with ledger.sessions() as s:
        letter = s.scalar(select(DunningLetter).where(DunningLetter.sent_on == date(2026, 11, 23)))
        assert (letter.step, letter.sent_on, [line["number"] for line in letter.lines]) == (
            "formal_notice", date(2026, 11, 23), ["F4"])
        assert (letter.amount_due_cents, letter.penalties_cents, letter.indemnities_cents) == (188000, 3062, 4000)
    assert [screen.table.model().index(r, 0).data() for r in range(screen.table.model().rowCount())] == [
        "Garage Petit"]


def test_a_dispute_takes_its_invoice_out_of_the_next_letter(ledger, make_window, qtbot, monkeypatch):
    screen = reminders_screen(make_window(ledger), qtbot)
    action = select_customer(screen, "Garage Petit")
    from app.ui.reminders import DisputeDialog

    dialog = DisputeDialog(screen.context, action, screen)
    dialog.invoice.setCurrentIndex(next(i for i in range(dialog.invoice.count())
                                        if dialog.invoice.itemText(i).startswith("F3")))
    dialog.save()
    assert dialog.messages.labels["reason"].text() == "Indiquez le motif du litige."  # a reason is required
    dialog.reason.setText("prix contesté")
    dialog.assignee.setText("Karim")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    reloaded(screen, qtbot)
    petit = select_customer(screen, "Garage Petit")
    assert [i.number for i in petit.invoices] == ["F2"] and petit.step == "first_reminder"
    assert "F3 (litige en cours (prix contesté))" in screen.detail.text()
    with ledger.sessions() as s:
        assert s.scalar(select(Dispute.assignee)) == "Karim"


def test_a_call_with_a_promise_holds_the_customer_until_then(ledger, make_window, qtbot):
    screen = reminders_screen(make_window(ledger), qtbot)
    action = select_customer(screen, "Boulangerie Martin")
    from app.ui.reminders import CallDialog

    dialog = CallDialog(screen.context, action, screen)
    dialog.note.setPlainText("Le gérant paiera à la fin du mois.")
    dialog.promised.setChecked(True)
    dialog.promised_on.set_date(date(2026, 11, 30))
    dialog.amount.setText("1 880,00")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    reloaded(screen, qtbot)
    assert held_rows(screen) == [["Boulangerie Martin", "promesse de paiement jusqu'au 30/11/2026", "30/11/2026",
                                  "1\u202f880,00\u00a0€"]]
    assert screen.held_heading.text() == "En attente (1)"
    with ledger.sessions() as s:
        kinds = sorted((a.kind, a.promised_on, a.promised_cents) for a in s.scalars(select(Activity)))
    assert kinds == [("call", None, None), ("promise", date(2026, 11, 30), 188000)]
    from app.ui.customer_form import CustomerDialog

    card = CustomerDialog(screen.context, action.customer_id, screen)  # the call is on the customer's history
    model = card.history.model()
    shown = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert ["23/11/2026", "Appel", "Le gérant paiera à la fin du mois."] in shown
    assert ["15/11/2026", "Règlement reçu", "virement"] in shown


def test_postponing_needs_a_date_to_come_and_a_reason(ledger, make_window, qtbot):
    screen = reminders_screen(make_window(ledger), qtbot)
    action = select_customer(screen, "Garage Petit")
    from app.ui.reminders import PostponeDialog

    dialog = PostponeDialog(screen.context, action, screen)
    dialog.until.set_date(date(2026, 11, 23))
    dialog.save()
    assert dialog.messages.labels["until"].text() == "Choisissez une date à venir."
    assert dialog.messages.labels["reason"].text() == "Dites pourquoi (il s'affichera dans les relances en attente)."
    dialog.until.set_date(date(2026, 11, 23) + timedelta(days=10))
    dialog.reason.setText("accord du gérant")
    dialog.save()
    reloaded(screen, qtbot)
    assert held_rows(screen) == [["Garage Petit", "accord du gérant jusqu'au 03/12/2026", "03/12/2026",
                                  "550,00\u00a0€"]]  # F3 300,00 € + F2 300,00 € − the credit note's 50,00 €


def test_on_the_demo_company_printing_a_letter_records_it_and_a_dispute_leaves_the_next_one(
        demo_db, make_window, qtbot, tmp_path, monkeypatch):
    from app.ui.reminders import DisputeDialog

    db = demo_db
    screen = reminders_screen(make_window(db), qtbot)
    before = list(screen.actions)
    assert len(before) >= 5 and {a.step for a in before} >= {"first_reminder", "second_reminder"}
    several = next(a for a in before if a.step not in ("pre_due", "phone_call") and len(a.invoices) >= 2)
    select_customer(screen, several.name)
    # the oldest of its invoices is contested (the newest may be the only one whose step is due today: with it
    # in dispute, there would be nothing to send)
    dialog = DisputeDialog(screen.context, several, screen)
    dialog.invoice.setCurrentIndex(0)
    dialog.reason.setText("quantités livrées contestées")
    dialog.save()
    reloaded(screen, qtbot)
    after = select_customer(screen, several.name)
    assert [i.number for i in after.invoices] == [i.number for i in several.invoices[1:]]
    target = tmp_path / "lettre.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    monkeypatch.setattr("app.ui.reminders.QDesktopServices.openUrl", lambda url: None)
    asked = []  # the demo's pooled cheques are nobody's yet: the screen warns, the owner prints anyway
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    screen.print_selected()
    assert "n’est rattaché à aucun client" in asked[0] or "ne sont rattachés à aucun client" in asked[0]
    qtbot.waitUntil(lambda: several.name not in [a.name for a in screen.actions], timeout=20_000)
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert several.invoices[0].number not in text and after.invoices[0].number in text
    assert len(screen.actions) == len(before) - 1
    with db.sessions() as s:
        letter = s.scalars(select(DunningLetter).order_by(DunningLetter.id.desc())).first()
    assert (letter.step, letter.sent_on, [line["number"] for line in letter.lines]) == (
        after.step, date(2026, 11, 23), [i.number for i in after.invoices])


def test_printing_while_bank_lines_are_unmatched_asks_first(ledger, make_window, qtbot, monkeypatch, tmp_path):
    from app.models import Payment

    with ledger.transaction() as s:  # received, but nobody knows from whom yet
        s.add(Payment(customer_id=None, received_on=date(2026, 11, 22), amount_cents=188000, reference="VIR SEPA"))
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    screen = reminders_screen(make_window(ledger), qtbot)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.pdf"), ""))
    select_customer(screen, "Boulangerie Martin")
    screen.print_selected()
    assert asked == ["1 encaissement (1\u202f880,00\u00a0€) n’est rattaché à aucun client : un client qui a payé "
                     "pourrait recevoir une relance. Rapprochez d'abord le relevé bancaire.\n\nImprimer quand même ?"]
    assert not (tmp_path / "x.pdf").exists()


def test_a_missing_half_year_is_said_at_the_top_and_stops_printing_before_any_dialog(ledger, make_window, qtbot,
                                                                                      monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append("save") or ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append("folder") or "")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append("question"))
    screen = reminders_screen(make_window(ledger), qtbot)
    reason = ("taux d'intérêt manquant pour le 2e semestre 2026 : saisissez-le dans Paramètres › Taux d'intérêt "
              "(taux de la BCE au 1er janvier ou au 1er juillet, taux d'intérêt légal publié pour le semestre).")
    assert screen.rate_banner.isVisible()
    assert screen.rate_banner.text.text() == "T" + reason[1:] + " Aucune lettre ne peut être imprimée d'ici là."
    assert screen.rate_banner.button.text() == "Saisir le taux"
    select_customer(screen, "Boulangerie Martin")
    for button in (screen.print_button, screen.print_all_button, screen.emails_button):
        assert not button.isEnabled() and button.toolTip() == reason
    assert screen.preview_button.isEnabled()  # a preview records nothing
    screen.print_selected()  # even called past the disabled button
    screen.print_all()
    screen.emails()
    assert asked == []

    from app.ui.rates_form import RatesDialog

    def enter(dialog):
        assert dialog.form.half_year.currentText() == "2e semestre 2026 — manquant"
        for name, text in (("ecb", "2,15"), ("legal_other", "3,00"), ("legal_private", "7,00")):
            dialog.form.fields[name].setText(text)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RatesDialog, "exec", enter)
    screen.rate_banner.button.click()
    qtbot.waitUntil(lambda: screen.running is None and not screen.rate_banner.isVisible(), timeout=20_000)
    select_customer(screen, "Boulangerie Martin")
    assert screen.print_button.isEnabled() and screen.print_all_button.isEnabled()
    assert screen.print_button.toolTip() == "La lettre de la relance choisie, enregistrée comme envoyée (Ctrl+P)"
    assert "total réclamé 1\u202f950,62\u00a0€" in screen.detail.text()


def test_the_held_customers_are_a_table_most_owed_first_that_opens_their_card(ledger, make_window, qtbot):
    """Boulangerie Martin promised to pay on 30/11 (1 880,00 € net overdue), Garage Petit is postponed to
    03/12 (550,00 €), Café du Port's only late invoice (900,00 €) is in dispute (nothing chased, no date)."""
    from PySide6.QtCore import Qt

    from app.models import Customer
    from app.services.dunning import postpone
    from app.ui.customer_form import CustomerDialog
    from tests.conftest import invoice

    with ledger.transaction() as s:
        ids = {c.name: c.id for c in s.scalars(select(Customer))}
        assert postpone(s, ids["Garage Petit"], date(2026, 11, 23), date(2026, 12, 3), "accord du gérant") == {}
        s.add(Activity(customer_id=ids["Boulangerie Martin"], kind="promise", text="fin du mois",
                       promised_on=date(2026, 11, 30)))
        cafe = Customer(name="Café du Port", code="C0003", segment="private")
        s.add(invoice("F9", cafe, date(2026, 9, 1), date(2026, 10, 1), 90000, status="disputed"))
    screen = reminders_screen(make_window(ledger), qtbot)
    assert screen.held_heading.text() == "En attente (3)" and screen.held_box.isVisible()
    assert held_rows(screen) == [
        ["Boulangerie Martin", "promesse de paiement jusqu'au 30/11/2026", "30/11/2026", "1\u202f880,00\u00a0€"],
        ["Café du Port", "F9 : litige en cours (facture marquée en litige)", "", "900,00\u00a0€"],
        ["Garage Petit", "accord du gérant jusqu'au 03/12/2026", "03/12/2026", "550,00\u00a0€"]]
    amount = screen.held.model().index(0, 3)
    assert amount.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    # sorted by the amounts and the dates themselves, not their text (« 1 880 » < « 550 », « 03/12 » < « 30/11 »)
    screen.held.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [row[0] for row in held_rows(screen)] == ["Garage Petit", "Café du Port", "Boulangerie Martin"]
    screen.held.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [row[0] for row in held_rows(screen)] == ["Café du Port", "Boulangerie Martin", "Garage Petit"]

    petit = screen.held.visualRect(screen.held.model().index(2, 0)).center()
    qtbot.mouseClick(screen.held.viewport(), Qt.MouseButton.LeftButton, pos=petit)  # as a user: press, then
    qtbot.mouseDClick(screen.held.viewport(), Qt.MouseButton.LeftButton, pos=petit)  # the double-click
    assert isinstance(screen.dialog, CustomerDialog) and screen.dialog.customer_id == ids["Garage Petit"]
    assert screen.dialog.isVisible()
    screen.dialog.reject()
    screen.held.setFocus()
    screen.held.setCurrentIndex(screen.held.model().index(1, 0))
    qtbot.keyClick(screen.held, Qt.Key.Key_Return)  # Enter opens the card as well
    assert screen.dialog.customer_id == ids["Boulangerie Martin"]
    screen.dialog.reject()


def test_the_held_table_is_hidden_when_nobody_waits(ledger, make_window, qtbot):
    screen = reminders_screen(make_window(ledger), qtbot)
    assert screen.holds == [] and held_rows(screen) == [] and not screen.held_box.isVisible()


def test_after_printing_the_next_customer_is_selected_and_the_folder_is_shown(
        demo_db, make_window, qtbot, tmp_path, monkeypatch, settings):
    from app.services.reminders import LETTER_STEPS

    screen = reminders_screen(make_window(demo_db), qtbot)
    folder = tmp_path / "lettres"
    folder.mkdir()
    started_in = []

    def save_as(parent, title, start, kinds):
        started_in.append(start)
        return str(folder / f"lettre-{len(started_in)}.pdf"), kinds

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    opened = []
    monkeypatch.setattr("app.ui.reminders.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)  # pooled cheques
    assert not screen.written.isVisible()

    before = screen.table.visible_rows()
    assert len(before) >= 5 and before[1].step in LETTER_STEPS
    screen.table.selectRow(1)
    screen.print_selected()
    qtbot.waitUntil(lambda: len(screen.actions) == len(before) - 1, timeout=20_000)
    assert screen.selected().customer_id == before[2].customer_id  # the next one, not back to the top
    assert screen.written.isVisible()
    link = f"file://{folder}"
    assert screen.written.text() == f'Lettre enregistrée dans {folder} — <a href="{link}">Ouvrir le dossier</a>'
    screen.written.linkActivated.emit(link)
    assert opened == [str(folder / "lettre-1.pdf"), str(folder)]
    assert settings.value("folders/letters") == str(folder)  # the next letter is saved there first

    rows = screen.table.visible_rows()
    last = max(i for i, a in enumerate(rows) if a.step in LETTER_STEPS)
    assert last == len(rows) - 1  # the demo's last action is a letter: printing it selects the one before
    screen.table.selectRow(last)
    screen.print_selected()
    qtbot.waitUntil(lambda: len(screen.actions) == len(rows) - 1, timeout=20_000)
    assert screen.selected().customer_id == rows[-2].customer_id
    assert started_in[1] == str(folder / f"2026-11-23 {rows[-1].name}.pdf".replace("&", "-"))


def test_after_the_batch_the_selection_stays_and_the_folder_of_the_e_mails_is_shown(
        ledger, make_window, qtbot, tmp_path, monkeypatch):
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    screen = reminders_screen(make_window(ledger), qtbot)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr("app.ui.reminders.QDesktopServices.openUrl", lambda url: None)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    screen.emails()
    qtbot.waitUntil(lambda: screen.day.text() == "23/11/2026 · 0 action", timeout=20_000)
    assert told and "sans e-mail" in told[0]  # Garage Petit's litigation file is never e-mailed
    assert screen.written.text().startswith(f"2 lettres et 1 e-mail enregistrés dans {tmp_path} — <a href=")
    assert held_rows(screen) == [  # both chased today
        ["Boulangerie Martin", "relancé aujourd'hui", "23/11/2026", "1\u202f880,00\u00a0€"],
        ["Garage Petit", "relancé aujourd'hui", "23/11/2026", "550,00\u00a0€"]]


def test_the_selection_moves_to_the_next_customer_still_listed():
    from app.ui.reminders import next_selection

    assert next_selection([1, 2, 3, 4], 2, {2}) == 3
    assert next_selection([1, 2, 3, 4], 2, {2, 3}) == 4
    assert next_selection([1, 2, 3, 4], 4, {4}) == 3  # the last one printed: the one before it
    assert next_selection([1, 2, 3, 4], 2, {1, 3}) == 2  # a batch that left the selected one: it stays
    assert next_selection([1, 2], 2, {1, 2}) is None
    assert next_selection([], None, set()) is None
