"""A card or the settings saved over a colleague's newer save: the message box says who changed what and when,
« Recharger » shows what is saved now, and the user's save goes through once reloaded."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.domain.terms import PaymentTerms, TermsKind
from app.models import Customer, Invoice, InvoiceStatus
from app.services.company import company_input, save_company
from app.services.customers import customer_input, save_customer
from app.services.edits import settings_seen
from app.services.invoices import invoice_card, save_invoice
from app.services.store import commit, read
from tests.conftest import TODAY


@pytest.fixture
def answered(monkeypatch):
    """Message boxes answered « Recharger » (or their first button when they have none); their texts kept."""
    shown: list[QMessageBox] = []

    def answer(box) -> int:
        shown.append(box)
        buttons = box.buttons()
        next((b for b in buttons if b.text() == "Recharger"), buttons[0]).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return shown


def card(window, screen_name: str, id_column, which):
    """The card of the row ``which`` selects, opened from its screen: its id and its dialog."""
    window.show_screen(screen_name)
    screen = window.screens[screen_name]
    row_id = read(window.context.db, lambda s: s.scalar(select(id_column).where(which)))
    screen.open(row_id)
    return row_id, screen.dialog


def test_a_customer_card_saved_over_a_colleagues_save_is_refused_then_reloaded(ledger, make_window, acting,
                                                                                answered):
    petit, dialog = card(make_window(ledger), "customers", Customer.id, Customer.name == "Garage Petit")
    acting("alice")  # on another workstation, meanwhile
    commit(ledger, save_customer, replace(read(ledger, customer_input, petit), terms=PaymentTerms(TermsKind.NET, 45)),
           petit, TODAY)
    acting("bob")
    dialog.phone.setText("01 02 03 04 05")
    dialog.save()
    (box,) = answered
    assert box.text().startswith("Ce client a été modifié par alice le ")
    assert "(Délai de paiement : 30 jours date de facture → 45 jours date de facture)" in box.text()
    assert box.text().endswith("Rechargez la fiche.") and box.icon() == QMessageBox.Icon.Warning
    assert dialog.isVisible() and dialog.terms.days.value() == 45 and dialog.phone.text() == ""  # reloaded
    assert read(ledger, customer_input, petit).phone == ""
    dialog.phone.setText("01 02 03 04 05")
    dialog.save()
    assert not dialog.isVisible() and len(answered) == 1
    saved = read(ledger, customer_input, petit)
    assert (saved.phone, saved.terms.days) == ("01 02 03 04 05", 45)  # alice's terms kept


def test_an_invoice_card_saved_over_a_newer_status_is_refused_then_reloaded(ledger, make_window, acting, answered):
    f3, dialog = card(make_window(ledger), "invoices", Invoice.id, Invoice.number == "F3")
    acting("alice")
    commit(ledger, save_invoice, replace(read(ledger, invoice_card, f3, TODAY).data, status=InvoiceStatus.WRITTEN_OFF),
           f3)
    dialog.net.setText("350,00")
    dialog.save()
    assert "Cette facture a été modifiée par alice" in answered[0].text()
    assert "(Statut : Ouverte → Irrécouvrable)" in answered[0].text()
    assert dialog.status.currentData() == "written_off" and dialog.net.text() == "300,00"
    assert read(ledger, invoice_card, f3, TODAY).data.net == D("300.00")


def test_the_settings_saved_over_a_colleagues_save_are_refused_then_reloaded(ledger, make_window, acting, answered):
    window = make_window(ledger)
    window.show_screen("settings")
    settings = window.screens["settings"]
    acting("alice")
    commit(ledger, save_company, replace(read(ledger, company_input), city="Nantes"), read(ledger, settings_seen))
    settings.form.phone.setText("02 40 00 00 00")
    settings.save()
    assert answered[0].text().startswith("Les paramètres de votre société ont été modifiés par alice le ")
    assert "(Votre société : ville : — → Nantes)" in answered[0].text()
    assert settings.form.city.text() == "Nantes" and settings.form.phone.text() == "" and settings.saved.text() == ""
    settings.form.phone.setText("02 40 00 00 00")
    settings.save()
    assert settings.saved.text() == "Enregistré." and len(answered) == 1
    assert (read(ledger, company_input).city, read(ledger, company_input).phone) == ("Nantes", "02 40 00 00 00")
