"""The BODACC check in the window: off by default in Paramètres and saying so, saved with the other settings;
the weekly check's proposals confirmed one by one (a declined opening takes the judgments after it along)."""

from datetime import date

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.domain.bodacc import Announcement, Change, Proposal, Watched
from app.domain.insolvency import ProceedingKind
from app.models import Customer
from app.services.bodacc import BodaccResult, bodacc_settings
from app.services.proceedings import proceedings_at
from app.services.store import read
from app.ui import bodacc as ui_bodacc
from tests.conftest import TODAY
from tests.ui.conftest import FixedDayContext


def test_off_by_default_then_allowed_in_the_settings(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("settings")
    form = window.screens["settings"].bodacc
    assert not form.weekly.isChecked()
    assert "désactivé par défaut" in form.weekly.text()
    assert form.last_check.text() == "Aucune vérification faite jusqu'ici."
    form.weekly.setChecked(True)
    window.screens["settings"].save()
    assert read(ledger, bodacc_settings).weekly


def proposal(customer_id, name, code, change, kind, judged):
    return Proposal(Watched(customer_id, code, name, "732829320"),
                    Announcement("732829320", change, kind, judged, judged, "TC Lyon", "Jugement …"))


def test_each_proposal_confirmed_or_declined(ledger, make_window, monkeypatch):
    window = make_window(ledger)
    with ledger.sessions() as s:
        petit, martin = (s.scalar(select(Customer.id).where(Customer.code == code)) for code in ("C0001", "C0002"))
    found = [proposal(martin, "Boulangerie Martin", "C0002", Change.OPENING, ProceedingKind.SAFEGUARD, date(2026, 10, 1)),
             proposal(martin, "Boulangerie Martin", "C0002", Change.CONVERSION, ProceedingKind.RECOVERY, date(2026, 11, 1)),
             proposal(petit, "Garage Petit", "C0001", Change.OPENING, ProceedingKind.LIQUIDATION, date(2026, 11, 2))]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text: asked.append(text) or (
        QMessageBox.StandardButton.No if "Martin" in text else QMessageBox.StandardButton.Yes))
    refreshed = []
    ui_bodacc.offer_proposals(window, FixedDayContext(ledger, "test"), BodaccResult(found, 2, 2, [], True),
                              lambda: refreshed.append(True))
    assert len(asked) == 2  # Martin's conversion not asked once its opening was declined
    assert "Garage Petit (C0001) : ouverture (liquidation judiciaire), jugement du 02/11/2026" in asked[1]
    assert [(p.kind, p.judgment_on) for p in read(ledger, proceedings_at, TODAY).values()] == [
        (ProceedingKind.LIQUIDATION, date(2026, 11, 2))]
    assert refreshed == [True]
    assert window.statusBar().currentMessage().startswith("Garage Petit : liquidation judiciaire ouvert(e)")
