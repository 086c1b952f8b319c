"""The BODACC check in the window: its permission in Paramètres (off by default, and saying so), and the
weekly check run behind the window when it opens, whose proposals the owner confirms one by one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from app.jobs import Refused
from app.services.bodacc import BodaccResult, apply_proposal, bodacc_settings, save_weekly, weekly_check
from app.services.store import commit, read
from app.ui.worker import run_quietly

WEEKLY_LABEL = ("Vérifier chaque semaine les procédures collectives de mes clients au BODACC (service public, "
                "nécessite Internet ; désactivé par défaut)")


class BodaccForm(QWidget):
    """Paramètres › BODACC: the weekly check allowed or not, and when it last ran."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        self.weekly = QCheckBox(WEEKLY_LABEL)
        explanation = QLabel("Encours interroge alors les données ouvertes du BODACC (annonces commerciales, "
                             "procédures collectives) pour le SIREN de chaque client, au plus une fois par semaine, "
                             "à l'ouverture de la fenêtre. Un jugement trouvé vous est proposé : rien n'est "
                             "enregistré sans votre accord. La commande « encours bodacc check » vérifie à la "
                             "demande.")
        explanation.setWordWrap(True)
        self.last_check = QLabel()
        for widget in (self.weekly, explanation, self.last_check):
            column.addWidget(widget)

    def load(self, db) -> None:
        settings = read(db, bodacc_settings)
        self.weekly.setChecked(settings.weekly)
        self.last_check.setText(f"Dernière vérification : le {settings.last_check:%d/%m/%Y}." if settings.last_check
                                else "Aucune vérification faite jusqu'ici.")

    def save(self, db, seen: dict[str, int] | None = None) -> bool:
        commit(db, save_weekly, self.weekly.isChecked(), seen)
        return True


def start_weekly_check(window: QMainWindow, context, on_recorded: Callable[[], None]) -> None:
    """When the window opens: the weekly check behind it if allowed and a week passed (nothing asked
    otherwise); ``on_recorded`` once a proposal was recorded (the screen shown reads its data again)."""
    run_quietly(window, lambda: weekly_check(context.db, context.today()),
                lambda result: result and offer_proposals(window, context, result, on_recorded))


def offer_proposals(window: QMainWindow, context, result: BodaccResult, on_recorded: Callable[[], None]) -> None:
    """Each judgment found, for the owner to record or not; the failures said in the status bar (an offline
    computer is not an error to interrupt the owner with: the check runs again at the next opening)."""
    if result.failures:
        window.statusBar().showMessage(" ".join(result.failures), 30000)
    declined: set[int] = set()  # a customer whose judgment was declined: the ones following it go with it
    for proposal in result.proposals:
        customer = proposal.customer.customer_id
        if customer in declined:
            continue
        a = proposal.announcement
        asked = QMessageBox.question(
            window, "BODACC", f"Le BODACC a publié un jugement que vous n'avez pas enregistré :\n\n{proposal.text}."
            f"\n« {a.nature} »{chr(10) + a.url if a.url else ''}\n\nL'enregistrer dans la fiche du client ?")
        if asked != QMessageBox.StandardButton.Yes:
            declined.add(customer)
            continue
        try:
            said = commit(context.db, apply_proposal, proposal, context.today())
        except Refused as refused:
            QMessageBox.warning(window, "BODACC", f"Rien n'a été enregistré : {refused}")
            declined.add(customer)
            continue
        window.statusBar().showMessage(said, 15000)
        on_recorded()
