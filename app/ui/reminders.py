"""Relances: today's actions, most useful first (amount due × risk score), the selected one in detail, and
what to do about it: print its letter (Ctrl+P) or all of today's, preview it, call, postpone, open a dispute.
The customers held back are listed below with their reason, who owes most first; a double-click opens their
card. Letters are written in a worker; the folder they went to is shown, and the selection moves on to the
next customer."""

from __future__ import annotations

import tempfile
from html import escape as _escape
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget)

from app.domain.dunning import Action, Hold
from app.domain.money import format_eur
from app.domain.scoring import RISKY_GRADES
from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep
from app.domain.wording import lateness
from app.services.backups import back_up
from app.services.disputes import DisputeInput, save_dispute
from app.services.dunning import due_actions, postpone, record_call
from app.services.outside_reminders import first_use
from app.services.proceeding_deadlines import proceeding_deadlines
from app.services.rates import missing_rate
from app.services.reminders import (LETTER_STEPS, claims, emails_left_out, letters_apart, print_letters,
                                    unmatched_receipts, unmatched_warning)
from app.services.store import commit, read
from app.ui.forms import AmountEdit, DateEdit, FieldMessages, ask_folder, ask_save_path, dialog_buttons
from app.ui.format import AT_RISK, LATE, fr_amount, fr_count, fr_date
from app.ui.deadlines_banner import DeadlinesBanner
from app.ui.icons import icon
from app.ui.outside_reminders import FirstUseBanner, OutsideRemindersDialog
from app.ui.rates_form import MissingRateBanner, RatesDialog
from app.ui.export import add_export
from app.ui.screen import RowTable, Screen
from app.ui.table_model import ROW_ROLE, Column
from app.ui.worker import run_op

FIRM = frozenset({DunningStep.FORMAL_NOTICE, DunningStep.LITIGATION})

ACTION_COLUMNS = (
    Column("Client", lambda a: a.name, stretch=True),
    Column("Étape", lambda a: DUNNING_STEP_LABELS[DunningStep(a.step)], width=150,
           colour=lambda a: LATE if a.step in FIRM else None),
    Column("Montant dû", lambda a: a.amount_due, fr_amount, numeric=True, width=110),
    Column("Retard", lambda a: a.days_late, lambda d: f"{d} j" if d >= 0 else f"dans {-d} j", numeric=True, width=70,
           colour=lambda a: LATE if a.days_late > 0 else None),
    Column("Factures", lambda a: len(a.invoices), str, numeric=True, width=78),
    Column("Classe", lambda a: a.grade, width=56, colour=lambda a: AT_RISK if a.grade in RISKY_GRADES else None),
)

HOLD_COLUMNS = (
    Column("Client", lambda h: h.name, width=230),
    Column("Raison", lambda h: h.reason, stretch=True),
    Column("Jusqu'au", lambda h: h.until, fr_date, width=90),
    Column("Dû net en retard", lambda h: h.net_overdue, fr_amount, numeric=True, width=145),
)
COL_HELD_NAME, COL_HELD_REASON, COL_HELD_UNTIL, COL_HELD_NET = range(len(HOLD_COLUMNS))


class RemindersScreen(Screen):
    def __init__(self, context, title, parent=None) -> None:
        super().__init__(context, title, parent)
        self.actions: list[Action] = []
        self.holds: list[Hold] = []
        self.leaving: set[int] = set()  # the customers whose letter was just written: the selection moves on
        self.claims: dict = {}  # by customer: what its letter would claim, or why it cannot be written
        self.day = QLabel()
        self.day.setObjectName("subtitle")
        self.actions_bar.insertWidget(1, self.day)
        self.preview_button = QPushButton(icon("eye"), "Aperçu")
        self.print_button = QPushButton(icon("printer"), "Imprimer")
        self.print_button.setToolTip("La lettre de la relance choisie, enregistrée comme envoyée (Ctrl+P)")
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.print_all_button = QPushButton(icon("files"), "Tout imprimer")
        self.print_all_button.setToolTip("Toutes les lettres du jour dans un seul PDF")
        self.emails_button = QPushButton(icon("mail"), "E-mails…")
        self.emails_button.setToolTip("Toutes les lettres du jour, une par client, chacune avec un e-mail (.eml) "
                                      "prêt à envoyer depuis votre messagerie")
        for button, slot in ((self.preview_button, self.preview), (self.print_button, self.print_selected),
                             (self.print_all_button, self.print_all), (self.emails_button, self.emails)):
            button.clicked.connect(slot)
            self.actions_bar.addWidget(button)
        add_export(self)
        self.missing_rate = ""  # why no letter can be printed today (the half-year's rates missing), or ""
        self.print_tips = {button: button.toolTip()
                           for button in (self.print_button, self.print_all_button, self.emails_button)}
        self.deadlines = DeadlinesBanner(self.open_customer)  # collective proceedings: declare the claim in time
        self.layout_.addWidget(self.deadlines)
        self.rate_banner = MissingRateBanner(self.enter_rates)
        self.layout_.addWidget(self.rate_banner)
        self.written = QLabel()  # where the last letters went, with a link to that folder
        self.written.setTextFormat(Qt.TextFormat.RichText)
        self.written.setWordWrap(True)
        self.written.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))
        self.written.hide()
        self.layout_.addWidget(self.written)
        self.first_use = FirstUseBanner(self.record_outside)  # the reminders sent before Encours, on first use
        self.layout_.addWidget(self.first_use)

        self.table = RowTable(ACTION_COLUMNS, sort_column=-1)  # most useful first: amount due × risk score
        self.table.setSortingEnabled(False)
        self.table.selectionModel().selectionChanged.connect(self.show_selected)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setObjectName("detail")
        self.detail.setMinimumWidth(340)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.call_button = QPushButton(icon("phone"), "Appeler")
        self.postpone_button = QPushButton(icon("calendar-clock"), "Reporter")
        self.dispute_button = QPushButton(icon("message-square-warning"), "Litige")
        self.call_button.clicked.connect(self.call)
        self.postpone_button.clicked.connect(self.postpone)
        self.dispute_button.clicked.connect(self.dispute)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        for button in (self.call_button, self.postpone_button, self.dispute_button):
            buttons.addWidget(button)
        side_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setSizes([640, 380])
        self.held_heading = QLabel("En attente")
        self.held_heading.setObjectName("section")
        self.held = RowTable(HOLD_COLUMNS, sort_column=COL_HELD_NET, descending=True)  # most owed first
        self.held.setToolTip("Double-cliquez sur un client pour ouvrir sa fiche")
        self.held.activated_row.connect(lambda hold: self.open_customer(hold.customer_id))
        self.held_box = QWidget()
        held_layout = QVBoxLayout(self.held_box)
        held_layout.setContentsMargins(0, 0, 0, 0)
        held_layout.addWidget(self.held_heading)
        held_layout.addWidget(self.held, 1)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(split)
        body.addWidget(self.held_box)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([420, 260])
        self.layout_.addWidget(body, 1)

    # loading ---------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Today's actions, computed in a worker (a large ledger scores every customer): the screen keeps the
        previous list meanwhile."""
        db, at = self.context.db, self.context.today()
        def compute(job):  # everything the screen shows, read here, off the window's thread
            actions, holds = read(db, due_actions, at, job=job)
            job.check()
            return (actions, holds, read(db, claims, at, actions), read(db, missing_rate, at),
                    bool(actions) and read(db, first_use), read(db, proceeding_deadlines, at))

        self.recompute(compute, self._show, self._failed, self._cancelled, "Calcul des relances du jour…")

    def _failed(self, message: str) -> str:
        return f"Les relances n'ont pas pu être calculées ({message}). Appuyez sur F5 pour les calculer de nouveau."

    def _cancelled(self) -> str:
        kept = " : la liste est celle du calcul précédent" if self.actions or self.holds else ""
        return f"Calcul des relances annulé{kept}. Appuyez sur F5 pour le relancer."

    def _show(self, result) -> None:
        self.actions, self.holds, self.claims, self.missing_rate, first_use_now, deadlines = result
        self.deadlines.say(deadlines)
        self.rate_banner.say(self.missing_rate)
        self.first_use.offer(first_use_now)
        count = len(self.actions)
        self.day.setText(f"{fr_date(self.context.today())} · {fr_count(count, 'action')}")
        before, selected = [a.customer_id for a in self.table.visible_rows()], self.selected()
        now = {a.customer_id for a in self.actions}
        keep = next_selection(before, selected.customer_id if selected else None,
                              (set(before) - now) | self.leaving)
        self.leaving = set()
        self.table.set_rows(self.actions)
        shown = [a.customer_id for a in self.table.visible_rows()]
        if shown:
            self.table.selectRow(shown.index(keep) if keep in shown else 0)
        self.show_selected()
        self.held.set_rows(self.holds)
        self.held_heading.setText(f"En attente ({fr_count(len(self.holds))})")
        self.held_box.setVisible(bool(self.holds))
        for button in (self.print_all_button, self.emails_button):
            self._enable_printing(button, any(a.step in LETTER_STEPS for a in self.actions))

    def exportables(self) -> list:
        """Today's actions, or the customers held back when that list has the focus."""
        return [self.table.exportable(self.title), self.held.exportable(f"{self.title} en attente")]

    def selected(self) -> Action | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def show_selected(self) -> None:
        action = self.selected()
        for button in (self.call_button, self.postpone_button, self.dispute_button, self.preview_button):
            button.setEnabled(action is not None)
        self._enable_printing(self.print_button, action is not None and action.step in LETTER_STEPS)
        self.detail.setText(_detail(action, self.claims.get(action.customer_id)) if action
                            else "Aucune relance à faire aujourd'hui." if not self.actions else "")

    def _enable_printing(self, button: QPushButton, letters: bool) -> None:
        """A print button works when it has letters and today's rates are known; else its tooltip says which
        half-year is missing (DOMAIN.md: asked before any print, never after the save dialog)."""
        button.setEnabled(letters and not self.missing_rate)
        button.setToolTip(self.missing_rate or self.print_tips[button])

    def enter_rates(self) -> None:
        if RatesDialog(self.context, self).exec():
            self.refresh()

    def record_outside(self) -> None:
        """The reminders already sent outside Encours, recorded: the list then proposes the steps after them."""
        if OutsideRemindersDialog(self.context, self.actions, self).exec():
            self.refresh()

    # letters ---------------------------------------------------------------------------------------------------
    def preview(self) -> None:
        action = self.selected()
        if action is None or action.step not in LETTER_STEPS:
            return
        path = Path(tempfile.mkdtemp(prefix="encours-")) / "apercu.pdf"
        self._write([action], path, record=False)

    def print_selected(self) -> None:
        action = self.selected()
        if action is not None and action.step in LETTER_STEPS:
            self._print([action], f"{action.name}")

    def print_all(self) -> None:
        letters = [a for a in self.actions if a.step in LETTER_STEPS]
        if letters:
            self._print(letters, "relances")

    def _go_ahead(self) -> bool:
        """Warn before printing while bank lines are still unmatched (DOMAIN.md): a customer who has paid
        must not get a reminder. Nothing is printed while today's rates are missing (Ctrl+P included)."""
        if self.missing_rate:
            return False
        warning = unmatched_warning(*read(self.context.db, unmatched_receipts))
        if not warning:
            return True
        answer = QMessageBox.question(self, "Encours", f"{warning}\n\nImprimer quand même ?")
        return answer == QMessageBox.StandardButton.Yes

    def emails(self) -> None:
        letters = [a for a in self.actions if a.step in LETTER_STEPS]
        if not letters or not self._go_ahead():
            return
        folder = ask_folder(self, self.context.settings, "letters", "Dossier des lettres et e-mails")
        if folder is None:
            return
        db, at = self.context.db, self.context.today()

        def write(job):
            back_up(db, "relances")
            return commit(db, letters_apart, at, letters, folder, emails=True, job=job)

        run_op(self, write, lambda results: self._written(results, folder, True), label="Lettres en cours…",
               on_cancel=self._letters_cancelled)

    def _print(self, actions: list[Action], name: str) -> None:
        if not self._go_ahead():
            return
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "-" for ch in name).strip()
        chosen = ask_save_path(self, self.context.settings, "letters", "Lettres de relance",
                               f"{self.context.today():%Y-%m-%d} {safe}.pdf", "PDF (*.pdf)")
        if chosen is not None:
            self._write(actions, chosen, record=True)

    def _write(self, actions: list[Action], path: Path, record: bool) -> None:
        db, at = self.context.db, self.context.today()

        def write(job):
            store = commit if record else read
            if record:
                back_up(db, "relances")
            return store(db, print_letters, at, actions, path, record=record, job=job)

        run_op(self, write, lambda results: self._written(results, path, record), label="Lettres en cours…",
               on_cancel=self._letters_cancelled if record else None)

    def _letters_cancelled(self) -> None:
        QMessageBox.information(self, "Encours", "Lettres annulées : aucune n'a été enregistrée comme envoyée, et "
                                "aucun fichier de lettre ou d'e-mail n'a été gardé. Les relances restent à faire.")

    def _written(self, results, path: Path, record: bool) -> None:
        errors = list(dict.fromkeys(r.error for r in results if r.error))
        if any(r.file for r in results):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        if record:
            self.leaving = {r.action.customer_id for r in results if r.file}
            self._say_written(results, path, emails=path.is_dir())
        if errors:
            QMessageBox.warning(self, "Encours", "Certaines lettres n'ont pas été écrites :\n" + "\n".join(errors))
        if left_out := emails_left_out(results):
            QMessageBox.information(self, "Encours", left_out)
        if record:
            self.refresh()

    def _say_written(self, results, path: Path, emails: bool) -> None:
        """« Lettre enregistrée dans /dossier — Ouvrir le dossier »: where the letters went, a click away."""
        letters = sum(1 for r in results if r.file)
        if not letters:
            self.written.hide()
            return
        folder = path if emails else path.parent
        what = f"{letters} lettres" if letters > 1 else "1 lettre" if emails else "Lettre"
        if emails:
            mails = sum(1 for r in results if r.file and not r.no_email)
            what += f" et {mails} e-mail{'s' if mails > 1 else ''} enregistrés"
        else:
            what += " enregistrées" if letters > 1 else " enregistrée"
        link = QUrl.fromLocalFile(str(folder)).toString(QUrl.ComponentFormattingOption.FullyEncoded)
        self.written.setText(f"{what} dans {escape(str(folder))} — <a href=\"{escape(link)}\">Ouvrir le dossier</a>")
        self.written.setToolTip(str(path))
        self.written.show()

    # what the owner does besides letters -------------------------------------------------------------------------
    def call(self) -> None:
        action = self.selected()
        if action is not None and CallDialog(self.context, action, self).exec():
            self.refresh()

    def postpone(self) -> None:
        action = self.selected()
        if action is not None and PostponeDialog(self.context, action, self).exec():
            self.refresh()

    def dispute(self) -> None:
        action = self.selected()
        if action is not None and DisputeDialog(self.context, action, self).exec():
            self.refresh()


def next_selection(before: list[int], selected: int | None, gone: set[int]) -> int | None:
    """The customer to select once ``gone`` left the list ``before`` (a letter printed, a call made): the one
    selected while it stays, else the first after it that stays, else the last before it; None when none."""
    if selected is None or selected not in before:
        return None
    if selected not in gone:
        return selected
    at = before.index(selected)
    later = [c for c in before[at + 1:] if c not in gone]
    earlier = [c for c in before[:at] if c not in gone]
    return later[0] if later else earlier[-1] if earlier else None


def escape(text: str) -> str:
    """Names and reasons shown as rich text: "<" and "&" as written ("livré <5 unités")."""
    return _escape(text, quote=False)


def _detail(action: Action, claim=None) -> str:
    """The selected action in words: its step, what it claims, what was never done, what is left out."""
    late = f' style="color: {LATE.name()}"'
    rows = "".join(f"<tr><td>{escape(i.number)}</td><td>échéance {fr_date(i.due_date)}</td>"
                   f'<td align="right">{format_eur(i.still_due)}</td></tr>' for i in action.invoices)
    parts = [f"<h3>{escape(action.name)}</h3>",
             f"<p><b{late if action.step in FIRM else ''}>{DUNNING_STEP_LABELS[DunningStep(action.step)]}</b>"
             f" — {format_eur(action.amount_due)} dus, {lateness(action.days_late)}</p>",
             f"<table width='100%' cellspacing='3'>{rows}</table>"]
    if action.credits:
        parts.append(f"<p>Avoirs et règlements non imputés déduits : {format_eur(action.credits)}</p>")
    if claim is not None and claim.error:
        parts.append(f'<p style="color: {LATE.name()}">La lettre ne peut pas être écrite : {escape(claim.error)}</p>')
    elif claim is not None and (claim.interest or claim.indemnities):
        parts.append(f"<p>Pénalités {format_eur(claim.interest)} · indemnités {format_eur(claim.indemnities)} · "
                     f"<b>total réclamé {format_eur(claim.total)}</b></p>")
    if action.history:
        done = ", ".join(f"{DUNNING_STEP_LABELS[DunningStep(step)]} le {fr_date(on)}" for step, on in action.history)
        parts.append(f"<p>Déjà faites : {done}.</p>")
    else:
        parts.append("<p>Aucune relance encore enregistrée pour ces factures.</p>")
    if action.warning:
        parts.append(f'<p style="color: {AT_RISK.name()}"><b>{escape(action.warning)}</b></p>')
    if action.held_back:
        parts.append("<p>Hors relance : " + " ; ".join(f"{escape(n)} ({escape(why)})" for n, why in action.held_back)
                     + "</p>")
    return "".join(parts)


class _ActionDialog(QDialog):
    """A small form about one action, saved in one transaction; errors shown under their fields."""

    title = ""

    def __init__(self, context, action: Action, parent=None) -> None:
        super().__init__(parent)
        self.context, self.action = context, action
        self.setWindowTitle(f"{self.title} — {action.name}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.messages = FieldMessages(form)
        self.build(form)
        layout.addWidget(self.messages.general)
        layout.addWidget(dialog_buttons(self, self.save))

    def build(self, form: QFormLayout) -> None:
        raise NotImplementedError

    def errors(self) -> dict[str, str]:
        raise NotImplementedError

    def save(self) -> None:
        errors = self.errors()
        self.messages.show(errors)
        if errors:
            self.adjustSize()  # room for the messages under their fields
        else:
            self.accept()


class CallDialog(_ActionDialog):
    title = "Appel"

    def build(self, form: QFormLayout) -> None:
        from app.services.customers import get_customer

        phone = read(self.context.db, get_customer, self.action.customer_id).phone or "pas de numéro enregistré"
        form.addRow("Téléphone", QLabel(f"<b>{phone}</b>"))
        form.addRow("Factures", QLabel(", ".join(f"{i.number} ({format_eur(i.still_due)})"
                                                 for i in self.action.invoices)))
        self.note = self.messages.add("note", "Ce qui a été dit", QPlainTextEdit())
        self.note.setMaximumHeight(90)
        self.promised = QCheckBox("Le client promet de payer le")
        self.promised_on = DateEdit(self.context.today() + timedelta(days=7))
        self.amount = AmountEdit(optional=True)
        self.amount.setMaximumWidth(140)
        row = QHBoxLayout()
        row.addWidget(self.promised)
        row.addWidget(self.promised_on)
        row.addStretch(1)
        form.addRow("Promesse", row)
        self.messages.add("promised_on", "", QWidget())
        self.messages.add("promised", "Montant promis (€)", self.amount)

    def errors(self) -> dict[str, str]:
        try:
            amount = self.amount.amount()
        except ValueError as exc:
            return {"promised": str(exc)}
        on = self.promised_on.value() if self.promised.isChecked() else None
        return commit(self.context.db, record_call, self.action, self.context.today(), self.note.toPlainText(),
                      on, amount if on else None)


class PostponeDialog(_ActionDialog):
    title = "Reporter les relances"

    def build(self, form: QFormLayout) -> None:
        self.until = self.messages.add("until", "Ne pas relancer avant le",
                                       DateEdit(self.context.today() + timedelta(days=7)))
        self.reason = self.messages.add("reason", "Pourquoi", QLineEdit(placeholderText="accord du gérant…"))

    def errors(self) -> dict[str, str]:
        return commit(self.context.db, postpone, self.action.customer_id, self.context.today(),
                      self.until.value(), self.reason.text())


class DisputeDialog(_ActionDialog):
    title = "Ouvrir un litige"

    def build(self, form: QFormLayout) -> None:
        self.invoice = self.messages.add("invoice", "Facture", QComboBox())
        for i in self.action.invoices:
            self.invoice.addItem(f"{i.number} — {format_eur(i.still_due)}", i.number)
        self.reason = self.messages.add("reason", "Motif", QLineEdit(placeholderText="livraison incomplète…"))
        self.assignee = self.messages.add("assignee", "Suivi par", QLineEdit(placeholderText="le commercial…"))
        self.note = self.messages.add("note_text", "Note", QPlainTextEdit())
        self.note.setMaximumHeight(70)

    def errors(self) -> dict[str, str]:
        data = DisputeInput(self.invoice.currentData(), self.reason.text(), self.assignee.text(),
                            self.note.toPlainText())
        return commit(self.context.db, save_dispute, data, None, self.context.today())[1]
