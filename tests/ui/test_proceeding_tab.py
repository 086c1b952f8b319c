"""The customer card's « Procédure collective » tab, on the hand-made ledger of tests/conftest.py (23/11/2026):
Boulangerie Martin is placed in redressement judiciaire, first with a publication before the judgment (refused),
then as the mandataire's letter says; the declaration of claim is then noted as sent. The dialogs' exec is driven
by the test (what the owner would type), the rest runs as in the window."""

from datetime import date

from sqlalchemy import select

from app.models import Customer, CustomerProceeding
from app.ui.customer_form import CustomerDialog
from app.ui.format import LATE
from app.ui.proceeding_tab import ClaimSentDialog, ProceedingDialog


def martin_card(ledger, make_window):
    with ledger.sessions() as s:
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
    window = make_window(ledger)
    return CustomerDialog(window.context, martin, window), martin


def tab_title(card) -> str:
    return card.tabs.tabText(card.tabs.indexOf(card.proceeding_tab))


def test_the_card_records_a_redressement_and_shows_its_deadlines(ledger, make_window, monkeypatch, qtbot, tmp_path):
    card, martin = martin_card(ledger, make_window)
    tab = card.proceeding_tab
    assert tab_title(card) == "Procédure collective"
    assert not tab.explanation.isHidden() and tab.summary.isHidden() and tab.claim_button.isHidden()
    assert tab.record_button.text() == "Enregistrer une procédure…"
    seen = {}

    def owner(dialog: ProceedingDialog) -> int:
        seen["kinds"] = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
        dialog.kind.setCurrentIndex(dialog.kind.findData("redressement"))
        dialog.judgment.set_date(date(2026, 10, 20))
        dialog.published.none.setChecked(False)
        dialog.published.date.set_date(date(2026, 10, 15))
        dialog.court.setText("Tribunal de commerce de Lyon")
        dialog.reference.setText("2026J00412")
        dialog.mandataire_name.setText("SELARL Vasseur & Chambon")
        dialog.mandataire_address.setPlainText("27 rue Servient\n69003 Lyon")
        dialog.mandataire_email.setText("secretariat@vasseur-chambon-mj.fr")
        dialog.save()
        seen["refused"] = dialog.messages.general.text()
        seen["refused_accepted"] = dialog.result() == dialog.DialogCode.Accepted
        dialog.published.date.set_date(date(2026, 10, 30))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ProceedingDialog, "exec", owner)
    tab.record_button.click()
    assert seen == {
        "kinds": ["Procédure de sauvegarde", "Redressement judiciaire", "Liquidation judiciaire"],
        "refused": "La publication au BODACC (15/10/2026) ne peut précéder le jugement (20/10/2026).",
        "refused_accepted": False,
    }
    with ledger.sessions() as s:
        row = s.scalar(select(CustomerProceeding))
        assert (row.customer_id, row.kind, row.judgment_on, row.published_on, row.court, row.reference,
                row.mandataire_name, row.mandataire_address, row.mandataire_email, row.abroad, row.claim_sent_on) == (
            martin, "redressement", date(2026, 10, 20), date(2026, 10, 30), "Tribunal de commerce de Lyon",
            "2026J00412", "SELARL Vasseur & Chambon", "27 rue Servient\n69003 Lyon",
            "secretariat@vasseur-chambon-mj.fr", False, None)
    assert tab.summary.text() == (
        "Redressement judiciaire — jugement d'ouverture du 20/10/2026, publié au BODACC le 30/10/2026.\n"
        "Tribunal de commerce de Lyon, n° 2026J00412.\n"
        "Mandataire : SELARL Vasseur & Chambon, 27 rue Servient, 69003 Lyon, secretariat@vasseur-chambon-mj.fr.")
    assert tab.deadlines.text() == (
        "Déclaration de créance : au plus tard le 30/12/2026 (37 jours restants).\n"
        "Revendication des marchandises (réserve de propriété) : au plus tard le 30/01/2027.\n"
        "Relevé de forclusion : au plus tard le 30/04/2027.")
    assert tab_title(card) == "Procédure collective ●"
    assert card.tabs.tabBar().tabTextColor(card.tabs.indexOf(tab)) == LATE
    assert tab.record_button.text() == "Modifier la procédure…"
    assert not tab.sent_button.isHidden() and not tab.claim_button.isHidden() and tab.explanation.isHidden()
    import app.ui.proceeding_tab as proceeding_tab
    from PySide6.QtGui import QDesktopServices
    from pypdf import PdfReader

    from app.services.rates import save_rates
    from app.services.store import commit

    commit(ledger, save_rates, date(2026, 7, 1), "2,15", "3,00", "7,00")  # the half-year of the penalties
    pdf = tmp_path / "declaration.pdf"
    opened = []
    monkeypatch.setattr(proceeding_tab, "ask_save_path", lambda *a, **k: pdf)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    tab.claim_button.click()  # the declaration's PDF, written in a worker, then opened
    qtbot.waitUntil(lambda: opened == [str(pdf)], timeout=20_000)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Déclaration de créance" in text and "SELARL Vasseur & Chambon" in text and "F4" in text


def test_the_declaration_sent_is_noted_and_the_deadline_no_longer_runs(ledger, make_window, monkeypatch):
    from app.services.proceedings import ProceedingInput, record_proceeding
    from app.services.store import commit

    card, martin = martin_card(ledger, make_window)
    commit(ledger, record_proceeding, martin, ProceedingInput("redressement", date(2026, 10, 20), date(2026, 10, 30)),
           date(2026, 11, 23))
    card.proceeding_tab.load()
    seen = {}

    def owner(dialog: ClaimSentDialog) -> int:
        dialog.sent_on.set_date(date(2026, 10, 1))
        dialog.save()
        seen["refused"] = dialog.messages.general.text()
        dialog.sent_on.set_date(date(2026, 11, 20))
        dialog.number.setText("1A 123 456 7890 1")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ClaimSentDialog, "exec", owner)
    card.proceeding_tab.sent_button.click()
    assert seen == {"refused": "La déclaration (01/10/2026) ne peut précéder le jugement (20/10/2026)."}
    assert card.proceeding_tab.deadlines.text() == (
        "Déclaration envoyée le 20/11/2026 (recommandé n° 1A 123 456 7890 1).\n"
        "Revendication des marchandises (réserve de propriété) : au plus tard le 30/01/2027.\n"
        "Relevé de forclusion : au plus tard le 30/04/2027.")
    assert card.proceeding_tab.sent_button.isHidden()
    assert tab_title(card) == "Procédure collective"
    with ledger.sessions() as s:
        row = s.scalar(select(CustomerProceeding))
        assert (row.claim_sent_on, row.claim_registered_number) == (date(2026, 11, 20), "1A 123 456 7890 1")
