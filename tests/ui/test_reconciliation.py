"""À rapprocher on the hand-made ledger (tests/conftest.py) with three bank credits waiting: Enter applies the
proposal and moves on, a credit is split over two invoices, an over-allocation is refused in French and
writes nothing, a partial allocation is taken back, and a credit is given its customer."""

from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import Allocation, BankLine, Customer, Invoice, Payment
from app.ui.forms import combo_select
from app.ui.reconciliation import PayerDialog
from app.ui.split_table import COL_AMOUNT, COL_CHECK
from tests.conftest import invoice

MARTIN_LABEL = "VIR SEPA BOULANGERIE MARTIN REF FACTURE F2026-0042 NOVEMBRE"
PETIT_LABEL = "VIR SEPA GARAGE PETIT"
CHEQUE_LABEL = "REMISE CHEQUE 4521"


def bank_credit(session, on, cents, label):
    """A credit of an imported statement: a payment of nobody yet and its bank line."""
    payment = Payment(received_on=on, amount_cents=cents, reference=label)
    session.add(payment)
    session.flush()
    session.add(BankLine(booked_on=on, amount_cents=cents, label=label, payment_id=payment.id, row_hash=label))


@pytest.fixture
def credits(ledger):
    """The ledger, with F2026-0042 (1 234,56 €) for Boulangerie Martin, and three credits not allocated:
    12/11 1 234,56 € quoting F2026-0042; 16/11 1 300,00 € from Garage Petit, no invoice of that amount;
    18/11 100,00 € of a cheque nobody is recognised in."""
    with ledger.transaction() as s:
        martin = s.scalar(select(Customer).where(Customer.name == "Boulangerie Martin"))
        s.add(invoice("F2026-0042", martin, date(2026, 10, 31), date(2026, 11, 30), 123456))
        bank_credit(s, date(2026, 11, 12), 123456, MARTIN_LABEL)
        bank_credit(s, date(2026, 11, 16), 130000, PETIT_LABEL)
        bank_credit(s, date(2026, 11, 18), 10000, CHEQUE_LABEL)
    return ledger


def open_screen(window, qtbot):
    window.show_screen("reconcile")
    screen = window.screens["reconcile"]
    wait(screen, qtbot)
    return screen


def wait(screen, qtbot):
    qtbot.waitUntil(lambda: screen.running is None, timeout=30_000)


def allocations_of(db, label):
    with db.sessions() as s:
        return sorted(tuple(row) for row in s.execute(
            select(Invoice.number, Allocation.amount_cents).join(Allocation, Allocation.invoice_id == Invoice.id)
            .join(Payment, Payment.id == Allocation.payment_id).where(Payment.reference == label)))


def status_of(db, number):
    with db.sessions() as s:
        return s.scalar(select(Invoice.status).where(Invoice.number == number))


def candidate_row(screen, number):
    return next(r for r in range(screen.split.rowCount()) if screen.split.index(r, COL_CHECK).data() == number)


@pytest.fixture
def answers(monkeypatch):
    """The message boxes the screen shows, recorded instead of waiting for a click; questions say yes."""
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text: said.append(text) or QMessageBox.StandardButton.Yes)
    return said


def test_enter_applies_the_proposal_then_moves_to_the_next_credit(credits, make_window, qtbot, answers):
    window = make_window(credits)
    screen = open_screen(window, qtbot)
    assert window.nav.item(4).text() == "À rapprocher  3"
    model = screen.table.model()
    assert screen.count.text() == "3 règlements en attente"
    assert [model.index(0, c).data() for c in range(7)] == [
        "12/11/2026", "1\u202f234,56\xa0€", "1\u202f234,56\xa0€", MARTIN_LABEL, "—", "F2026-0042", "Certain"]
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == MARTIN_LABEL  # the label in full
    assert model.index(0, 7).data(Qt.ItemDataRole.ToolTipRole) == model.index(0, 7).data()  # the reason too
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) is None  # an amount is never cut
    assert screen.selected().credit.label == MARTIN_LABEL
    assert MARTIN_LABEL in screen.detail.text() and "F2026-0042" in screen.detail.text()
    row = candidate_row(screen, "F2026-0042")
    assert screen.split.index(row, COL_CHECK).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    wait(screen, qtbot)
    assert allocations_of(credits, MARTIN_LABEL) == [("F2026-0042", 123456)]
    assert status_of(credits, "F2026-0042") == "paid"
    assert screen.outcome.text().startswith("1\u202f234,56\xa0€ imputés sur F2026-0042.")
    assert screen.count.text() == "2 règlements en attente"
    assert window.nav.item(4).text() == "À rapprocher  2"  # the count beside the screen's name follows
    assert screen.selected().credit.label == PETIT_LABEL  # the next one, ready for Enter

    screen.outcome.linkActivated.emit("annuler")  # "Annuler" beside what was just done
    wait(screen, qtbot)
    assert allocations_of(credits, MARTIN_LABEL) == [] and status_of(credits, "F2026-0042") == "open"
    assert screen.count.text() == "3 règlements en attente"
    assert answers[0].startswith("Reprendre tout ce qui est imputé de ce règlement ?")


def test_split_one_credit_over_two_invoices(credits, make_window, qtbot):
    screen = open_screen(make_window(credits), qtbot)
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)  # arrows move in the list
    assert screen.selected().credit.label == PETIT_LABEL
    assert screen.invoices_title.text() == "Factures ouvertes de Garage Petit"
    # its open items oldest first, the credit note AV1 among them (what it still gives back)
    assert [(screen.split.index(r, COL_CHECK).data(), screen.split.index(r, 2).data())
            for r in range(screen.split.rowCount())] == [
        ("F3", "300,00\xa0€"), ("AV1", "-50,00\xa0€"), ("F2", "300,00\xa0€"), ("F1", "1\u202f000,00\xa0€")]
    assert screen.split.allocations() == []  # the customer is known, no invoice proposed

    screen.split_button.click()
    assert screen.split_view.currentIndex() == screen.split.index(0, COL_CHECK)  # on F3, its box
    qtbot.keyClick(screen.split_view, Qt.Key.Key_Space)  # ticked: what F3 still owes is offered
    assert screen.split.index(candidate_row(screen, "F3"), COL_AMOUNT).data() == "300,00\xa0€"
    assert screen.left_label.text() == "Reste à imputer : <b>1\u202f000,00\xa0€</b>"
    screen.split.setData(screen.split.index(candidate_row(screen, "F1"), COL_AMOUNT), "1 000")  # typed: ticked
    assert screen.left_label.text() == "Reste à imputer : <b>0,00\xa0€</b>"

    qtbot.keyClick(screen.split_view, Qt.Key.Key_Return)  # Enter in the invoices confirms the split too
    wait(screen, qtbot)
    assert allocations_of(credits, PETIT_LABEL) == [("F1", 100000), ("F3", 30000)]
    assert status_of(credits, "F1") == "paid" and status_of(credits, "F3") == "paid"
    assert screen.outcome.text().startswith("1\u202f300,00\xa0€ imputés sur ")
    assert screen.selected().credit.label == CHEQUE_LABEL


def test_over_allocation_is_refused_then_a_partial_one_is_taken_back(credits, make_window, qtbot, answers):
    screen = open_screen(make_window(credits), qtbot)
    screen.table.selectRow(2)
    assert screen.selected().credit.label == CHEQUE_LABEL
    assert screen.table.model().index(2, 4).data() == "—"
    assert screen.picker.isVisibleTo(screen) and screen.split.rowCount() == 0  # whose is it? pick a customer
    with credits.sessions() as s:
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
    combo_select(screen.picker, martin)
    assert (screen.invoices_title.text(), screen.picker.currentText()) == ("Factures ouvertes de", "Boulangerie Martin")
    f4 = screen.split.index(candidate_row(screen, "F4"), COL_CHECK)
    screen.split.setData(f4, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert screen.left_label.text() == "Reste à imputer : <b style=\"color: #b03a2e\">-1\u202f900,00\xa0€</b>"

    screen.validate_button.click()
    assert answers == ["Il ne reste que 100,00\xa0€ de ce règlement à imputer (2\u202f000,00\xa0€ demandés)."]
    assert allocations_of(credits, CHEQUE_LABEL) == []

    assert not screen.split.setData(f4.siblingAtColumn(COL_AMOUNT), "quarante")
    assert answers[-1] == "« quarante » n'est pas un montant (exemple : 1 234,56)"
    screen.split.setData(f4.siblingAtColumn(COL_AMOUNT), "40")
    screen.validate_button.click()
    wait(screen, qtbot)
    assert allocations_of(credits, CHEQUE_LABEL) == [("F4", 4000)]
    assert screen.selected().credit.label == CHEQUE_LABEL  # partly allocated: still listed, the last one
    assert screen.table.model().index(2, 2).data() == "60,00\xa0€"
    assert screen.table.model().index(2, 4).data() == "Boulangerie Martin"
    assert screen.undo_button.isEnabled()

    screen.undo_button.click()
    wait(screen, qtbot)
    assert allocations_of(credits, CHEQUE_LABEL) == []
    assert screen.outcome.text() == "Imputations annulées : 40,00\xa0€ à nouveau à rapprocher."
    assert screen.table.model().index(2, 2).data() == "100,00\xa0€"
    assert not screen.undo_button.isEnabled()


def test_client_gives_a_credit_its_customer_and_skip_moves_on(credits, make_window, qtbot):
    screen = open_screen(make_window(credits), qtbot)
    screen.skip_button.click()
    screen.skip_button.click()
    assert screen.selected().credit.label == CHEQUE_LABEL
    with credits.sessions() as s:
        petit = s.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))
    dialog = PayerDialog(screen.context, screen.selected(), None, screen.loaded.customers, screen)
    combo_select(dialog.customer, petit)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.said == "Règlement attribué à Garage Petit."
    with credits.sessions() as s:
        assert s.scalar(select(Payment.customer_id).where(Payment.reference == CHEQUE_LABEL)) == petit
    assert allocations_of(credits, CHEQUE_LABEL) == []  # nothing allocated: the customer's unallocated cash
    screen.refresh()
    wait(screen, qtbot)
    assert screen.table.model().index(2, 4).data() == "Garage Petit"
    assert screen.invoices_title.text() == "Factures ouvertes de Garage Petit"
    assert not screen.picker.isVisibleTo(screen)
    assert screen.selected().credit.amount == D("100.00")


def test_a_split_deducts_a_credit_note_as_the_customer_did(credits, make_window, qtbot):
    """Garage Petit's 1 300 € pays F1 (1 000) and F2 (300 still due), and 50 of F3 with its credit note AV1:
    the amount typed on the credit note counts against the invoices."""
    screen = open_screen(make_window(credits), qtbot)
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    for number, typed in (("F1", "1000"), ("F2", "300"), ("F3", "50"), ("AV1", "50")):
        screen.split.setData(screen.split.index(candidate_row(screen, number), COL_AMOUNT), typed)
    assert screen.split.amounts[next(c.invoice_id for c in screen.split.rows if c.number == "AV1")] == D("-50.00")
    assert screen.left_label.text() == "Reste à imputer : <b>0,00\xa0€</b>"
    screen.validate_button.click()
    wait(screen, qtbot)
    # the credit note settles the oldest invoice first (F3), the payment the rest
    assert allocations_of(credits, PETIT_LABEL) == [("F1", 100000), ("F2", 30000)]
    assert [status_of(credits, n) for n in ("F1", "F2", "F3")] == ["paid", "paid", "open"]
    with credits.sessions() as s:
        assert s.scalar(select(Invoice.settled_cents).where(Invoice.number == "AV1")) == 5000
        assert s.scalar(select(Invoice.settled_cents).where(Invoice.number == "F3")) == 5000


def test_undo_after_the_last_visible_credit_was_allocated(credits, make_window, qtbot, answers):
    """The list filtered down to one credit, Enter allocates it (the list is empty), then "Annuler": taken
    back, and the list shows it again."""
    screen = open_screen(make_window(credits), qtbot)
    screen.search.setText("F2026-0042")
    assert len(screen.table.visible_rows()) == 1
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    wait(screen, qtbot)
    assert screen.table.visible_rows() == []
    screen.outcome.linkActivated.emit("annuler")
    wait(screen, qtbot)
    assert allocations_of(credits, MARTIN_LABEL) == [] and len(screen.table.visible_rows()) == 1
    assert screen.count.text() == "3 règlements en attente"


def test_a_credit_an_export_reported_is_proposed_as_its_confirmation_and_enter_confirms_it(
        ledger, make_window, qtbot, tmp_path):
    """The export said FA-2026-0152's 6 000 € were paid as of 30/11; the bank shows 2 500 € on 18/12 (after
    the bank delay, no invoice quoted): the import cannot take it as that money, À rapprocher proposes it,
    says what confirming does, and Enter confirms that part; the invoice stays settled once."""
    from tests.services.test_reported import AS_OF, export, invoice_state, money_received, run, week

    ledger_money = money_received(ledger)
    run(ledger, tmp_path, export(), "export.csv", as_of=AS_OF)
    run(ledger, tmp_path, week(date(2026, 12, 18), "VIR SEPA MASSON HABITAT", "2500.00"), "releve.cfo")
    window = make_window(ledger)
    screen = open_screen(window, qtbot)
    model = screen.table.model()
    assert [model.index(0, c).data() for c in (5, 6, 7)] == [
        "FA-2026-0152", "Déclaré", "confirme le règlement déclaré (Réglé selon export.csv au 30/11/2026)"]
    detail = screen.detail.text()
    assert "confirme le règlement déclaré</b> de 6\u202f000,00\xa0€ sur FA-2026-0152" in detail
    assert "n'en apporte que 2\u202f500,00\xa0€" in detail and "le reste (3\u202f500,00\xa0€) reste en attente" in detail
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    wait(screen, qtbot)
    assert screen.outcome.text() == ("FA-2026-0152 : 2\u202f500,00\xa0€ du règlement déclaré confirmés par le virement "
                                     "du 18/12/2026 ; 3\u202f500,00\xa0€ restent en attente du relevé.")
    assert screen.count.text() == "Tous les règlements sont rapprochés."
    assert invoice_state(ledger)[0] == 600000 and money_received(ledger) - ledger_money == 600000


def test_a_customer_no_credit_names_has_its_open_items_read_when_picked(credits, make_window, qtbot):
    """The list reads the open items of the customers its credits name or are proposed to only (a large
    ledger's every open item is not read): another one picked for the cheque has its own read then."""
    with credits.transaction() as s:
        roux = Customer(name="Menuiserie Roux", code="C0003")
        s.add(invoice("R1", roux, date(2026, 10, 2), date(2026, 11, 2), 10000))
        s.flush()
        roux_id = roux.id
    screen = open_screen(make_window(credits), qtbot)
    assert roux_id not in screen.loaded.open_items
    screen.table.selectRow(2)
    combo_select(screen.picker, roux_id)
    assert [c.number for c in screen.split.rows] == ["R1"] and screen.split_view.isEnabled()
    assert screen.invoices_title.text() == "Factures ouvertes de"
