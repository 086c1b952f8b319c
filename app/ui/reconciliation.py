"""À rapprocher: the bank credits the import could not allocate for certain, each with what the matcher
proposes (invoices, reason, confidence), for the owner to decide one after the other from the keyboard.

Enter (a double-click, "Valider") applies the proposal, or the split typed in the candidate invoices ("Répartir…"), and
moves to the next credit; "Ignorer" moves on without recording anything; "Client…" says whose a credit is
without allocating it; "Annuler l'imputation" takes back what a credit already settled. Every decision goes
through ``services.reconciliation``, which checks it and says what it did in French; this screen only adds up
the amounts typed, to show what is left to allocate. The list is computed in a worker: matching a few
thousand credits against the open items takes a while.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QSplitter, QVBoxLayout, QWidget)

from app.domain.money import format_eur
from app.domain.text import without_accents
from app.services.customers import customer_choices
from app.services.reconciliation import CONFIDENCE_LABELS, allocate, left_after, set_customer, unallocate
from app.services.reported import confirm_by_owner
from app.services.to_reconcile import Candidate, Pending, candidates, pending
from app.services.settlement import TakenMeanwhile
from app.services.store import commit, read
from app.ui.format import AT_RISK, LATE, fr_amount, fr_date
from app.ui.forms import FieldMessages, combo_select, customer_picker, dialog_buttons
from app.ui.icons import icon
from app.ui.export import add_export
from app.ui.screen import RowTable, Screen
from app.ui.split_table import COL_CHECK, SplitModel, SplitView
from app.ui.table_model import ROW_ROLE, Column

NOBODY = "—"
REPORTED = "Déclaré"  # the proposal: a reported settlement this credit confirms


@dataclass(frozen=True)
class Waiting:
    """A credit waiting for a decision, with the numbers of the invoices proposed for it (the proposal
    knows them by id only)."""

    credit: Pending
    numbers: tuple[str, ...]

    @property
    def proposed(self) -> str:
        return self.credit.reported.number if self.credit.reported else ", ".join(self.numbers)

    @property
    def confidence(self) -> str:
        proposal = self.credit.proposal
        if self.credit.reported:
            return REPORTED
        return CONFIDENCE_LABELS.get(proposal.confidence, proposal.confidence) if proposal else ""

    @property
    def reason(self) -> str:
        if self.credit.reported:
            return f"confirme le règlement déclaré ({self.credit.reported.reference})"
        return self.credit.proposal.reason if self.credit.proposal else "aucune facture trouvée"

    @property
    def customer_id(self) -> int | None:
        """The credit's customer, else the one the matcher proposes: whose open invoices are offered."""
        proposal = self.credit.proposal
        return self.credit.customer_id or (proposal.customer_id if proposal else None)


@dataclass
class Loaded:
    """What one computation brings back: the credits, the open invoices by customer, the customers."""

    rows: list[Waiting]
    open_items: dict[int, list[Candidate]]
    customers: list[tuple[int, str]]

    @cached_property
    def names(self) -> dict[int, str]:
        return dict(self.customers)


def load(session) -> Loaded:
    """Everything the screen shows, read at once so that moving from a credit to the next reads nothing: the
    open items of the customers the credits name or are proposed to (another one picked is read then)."""
    credits = pending(session)
    named = {c.customer_id for c in credits} | {c.proposal.customer_id for c in credits if c.proposal}
    open_items = candidates(session, named - {None})
    numbers = {c.invoice_id: c.number for items in open_items.values() for c in items}
    rows = [Waiting(credit, tuple(numbers.get(a.invoice_id, "avoir") for a in credit.proposal.allocations)
                    if credit.proposal else ()) for credit in credits]
    return Loaded(rows, open_items, customer_choices(session))


WAITING_COLUMNS = (
    Column("Date", lambda w: w.credit.received_on, fr_date, width=82),
    Column("Montant", lambda w: w.credit.amount, fr_amount, numeric=True, width=100),
    Column("Reste à imputer", lambda w: w.credit.left, fr_amount, numeric=True, width=128),
    Column("Libellé bancaire", lambda w: w.credit.label, stretch=True),
    Column("Client", lambda w: w.credit.customer_name or NOBODY, width=130),
    Column("Proposition", lambda w: w.proposed, width=110),
    Column("Confiance", lambda w: w.confidence, width=80,
           colour=lambda w: AT_RISK if w.credit.proposal and w.credit.proposal.confidence == "possible" else None),
    Column("Motif", lambda w: w.reason, width=170),
)


def fill_customers(combo: QComboBox, customers: list[tuple[int, str]], nobody: str) -> None:
    """The customers in ``combo``, after a first item ``nobody`` (no customer), without signalling."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(nobody, None)
    for customer_id, name in customers:
        combo.addItem(name, customer_id)
    combo.blockSignals(False)


class ReconcileScreen(Screen):
    def __init__(self, context, title, parent=None) -> None:
        super().__init__(context, title, parent)
        self.loaded = Loaded([], {}, [])
        self.follow: int | None = None  # the credit to select once the list is back (the next one)
        self.editing = False            # the owner changed the split: Valider applies it, not the proposal
        self.offered: int | None = None  # the customer whose open invoices are offered
        self.count = QLabel()
        self.count.setObjectName("subtitle")
        self.actions_bar.insertWidget(1, self.count)
        self.search = QLineEdit(placeholderText="Libellé, client ou montant… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(300)
        self.search.textChanged.connect(self.apply_filter)
        self.actions_bar.addWidget(self.search)
        add_export(self)

        self.table = RowTable(WAITING_COLUMNS, sort_column=-1)  # the service's order: oldest first
        self.table.selectionModel().selectionChanged.connect(self.show_selected)
        self.table.activated_row.connect(lambda _row: self.validate())

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.invoices_title = QLabel()
        self.invoices_title.setObjectName("section")
        self.invoices_title.setMinimumWidth(1)  # a long name is cut rather than taking the detail's room
        self.picker = customer_picker()
        self.picker.currentIndexChanged.connect(self._picked)
        self.split = SplitModel(self)
        self.split.edited.connect(self._edited)
        self.split.refused.connect(self._refused)
        self.split_view = SplitView(self.split)
        self.split_view.confirmed.connect(self.validate)
        self.left_label = QLabel()
        self.left_label.setAlignment(Qt.AlignmentFlag.AlignRight)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.invoices_title)
        heading.addWidget(self.picker, 1)  # "Factures ouvertes de [client ▾]" when the credit's is not known
        right_layout.addLayout(heading)
        right_layout.addWidget(self.split_view, 1)
        right_layout.addWidget(self.left_label)
        detail_split = QSplitter()
        detail_split.addWidget(self.detail)
        detail_split.addWidget(right)
        detail_split.setSizes([440, 600])

        self.validate_button = QPushButton(icon("shield-check"), "Valider")
        self.validate_button.setToolTip("Imputer la proposition ou la répartition saisie, puis passer au suivant "
                                        "(Entrée)")
        self.split_button = QPushButton(icon("git-compare-arrows"), "Répartir…")
        self.split_button.setToolTip("Choisir les factures et les montants à imputer")
        self.customer_button = QPushButton(icon("users"), "Client…")
        self.customer_button.setToolTip("Dire de quel client est ce règlement, sans l'imputer")
        self.skip_button = QPushButton("Ignorer")
        self.skip_button.setToolTip("Laisser ce règlement pour plus tard et passer au suivant")
        self.undo_button = QPushButton(icon("rotate-ccw"), "Annuler l'imputation")
        self.undo_button.setToolTip("Reprendre ce qui est déjà imputé de ce règlement")
        self.last_allocated: int | None = None  # the credit the outcome's "Annuler" link takes back
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.linkActivated.connect(lambda _link: self.undo(self.last_allocated))
        buttons = QHBoxLayout()
        for button, slot in ((self.validate_button, self.validate), (self.split_button, self.start_split),
                             (self.customer_button, self.choose_customer), (self.skip_button, self.skip),
                             (self.undo_button, lambda: self.undo(self._selected_id()))):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addWidget(self.outcome, 1)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 6, 0, 0)
        bottom_layout.addWidget(detail_split, 1)
        bottom_layout.addLayout(buttons)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.table)
        body.addWidget(bottom)
        body.setSizes([330, 370])
        self.layout_.addWidget(body, 1)
        self.show_selected()

    # loading ---------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """The credits waiting, matched in a worker; the screen keeps the previous list meanwhile."""
        db = self.context.db
        self.recompute(lambda job: read(db, load), self._show, self._failed, self._cancelled,
                       "Rapprochement en cours…")

    def _failed(self, message: str) -> str:
        return f"La liste n'a pas pu être calculée ({message}). Appuyez sur F5 pour la calculer de nouveau."

    def _cancelled(self) -> str:
        kept = " : la liste est celle du calcul précédent" if self.loaded.rows else ""
        return f"Rapprochement annulé{kept}. Appuyez sur F5 pour le relancer."

    def _show(self, loaded: Loaded) -> None:
        follow = self.follow if self.follow is not None else self._selected_id()
        self.loaded, self.follow = loaded, None
        count = len(loaded.rows)
        self.count.setText(f"{count} règlement{'s' if count > 1 else ''} en attente" if count
                           else "Tous les règlements sont rapprochés.")
        fill_customers(self.picker, loaded.customers, "Choisir le client…")
        self.table.set_rows(loaded.rows)
        self.apply_filter()
        visible = self.table.visible_rows()
        ids = [w.credit.payment_id for w in visible]
        self._select(ids.index(follow) if follow in ids else 0)

    def apply_filter(self) -> None:
        words = without_accents(self.search.text()).split()
        self.table.proxy.set_predicate(lambda w: all(word in without_accents(_haystack(w)) for word in words))

    def exportables(self) -> list:
        return [self.table.exportable(self.title)]

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # the selected credit ---------------------------------------------------------------------------------------
    def selected(self) -> Waiting | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _selected_id(self) -> int | None:
        waiting = self.selected()
        return waiting.credit.payment_id if waiting else None

    def _select(self, row: int) -> None:
        """Select a row of the list (the last one when past the end) and give the list the keyboard."""
        count = self.table.proxy.rowCount()
        if count:
            self.table.selectRow(min(row, count - 1))
            self.table.setFocus()
        else:
            self.show_selected()

    def show_selected(self) -> None:
        waiting = self.selected()
        self.editing = False
        for button in (self.validate_button, self.split_button, self.customer_button, self.skip_button):
            button.setEnabled(waiting is not None)
        self.undo_button.setEnabled(waiting is not None and waiting.credit.left < waiting.credit.amount)
        self.detail.setText(_detail(waiting, self.loaded.names) if waiting else "")
        customer_id = waiting.customer_id if waiting else None
        self.picker.setVisible(waiting is not None and customer_id is None)
        self.picker.blockSignals(True)
        self.picker.setCurrentIndex(0)
        self.picker.blockSignals(False)
        self._offer(customer_id)

    def _offer(self, customer_id: int | None) -> None:
        """The open invoices of this customer, the proposal's ticked with its amounts."""
        waiting = self.selected()
        proposal = waiting.credit.proposal if waiting else None
        proposed = {a.invoice_id: a.amount for a in proposal.allocations} if proposal else {}
        self.offered = customer_id
        offered = self._open_items(customer_id) if customer_id is not None else []
        self.split.set_candidates(offered, {c.invoice_id: proposed[c.invoice_id] for c in offered
                                            if c.invoice_id in proposed})
        name = "" if self.picker.isVisibleTo(self) else self.loaded.names.get(customer_id, "")
        self.invoices_title.setText(f"Factures ouvertes de {name}".strip() if waiting else "")
        self.split_view.setEnabled(bool(offered))
        self._show_left()

    def _open_items(self, customer_id: int) -> list[Candidate]:
        """The customer's open items: read with the list for the customers the credits name, read now (one
        customer's, a short read) for one the owner picks."""
        if customer_id not in self.loaded.open_items:
            self.loaded.open_items[customer_id] = read(self.context.db, candidates, [customer_id])[customer_id]
        return self.loaded.open_items[customer_id]

    def _picked(self) -> None:
        self._offer(self.picker.currentData())

    def _edited(self) -> None:
        self.editing = True
        self._show_left()

    def _show_left(self) -> None:
        """What the ticked amounts leave of the credit."""
        waiting = self.selected()
        if waiting is None:
            self.left_label.setText("")
            return
        left = left_after(waiting.credit.left, self.split.amounts.values())
        colour = f' style="color: {LATE.name()}"' if left < 0 else ""
        self.left_label.setText(f"Reste à imputer : <b{colour}>{format_eur(left)}</b>")

    # decisions -------------------------------------------------------------------------------------------------
    def validate(self) -> None:
        """Apply the proposal, or the split the owner edited, then go on to the next credit."""
        waiting = self.selected()
        if waiting is None:
            return
        proposal, report = waiting.credit.proposal, waiting.credit.reported
        if report is not None and not self.editing:
            confirm = partial(confirm_by_owner, expected_left=waiting.credit.left)
            self._apply(confirm, waiting.credit.payment_id, report.payment_id, next_row=True, undoable=False)
            return
        if self.editing or proposal is None:
            wanted = self.split.allocations()
        else:
            wanted = [(a.invoice_id, a.amount) for a in proposal.allocations]
        allocate_left = partial(allocate, expected_left=waiting.credit.left)  # another user may take it first
        if self._apply(allocate_left, waiting.credit.payment_id, wanted, next_row=True):
            self.last_allocated = waiting.credit.payment_id

    def start_split(self) -> None:
        """Put the keyboard on the first invoice offered: Space ticks it, typing gives its amount."""
        if not self.split.rows:
            self.picker.setFocus()
            return
        self.editing = True
        self.split_view.setFocus()
        self.split_view.setCurrentIndex(self.split.index(0, COL_CHECK))

    def skip(self) -> None:
        self._select(self.table.currentIndex().row() + 1)

    def choose_customer(self) -> None:
        waiting = self.selected()
        if waiting is None:
            return
        dialog = PayerDialog(self.context, waiting, self.offered, self.loaded.customers, self)
        if dialog.exec():
            self.outcome.setText(dialog.said)
            self.refresh()
            self.changed.emit()

    def undo(self, payment_id: int | None) -> None:
        if payment_id is not None and take_back_confirmed(self):
            self._apply(unallocate, payment_id)

    def _apply(self, use_case, *args, next_row: bool = False, undoable: bool = True) -> bool:
        """Run a decision in one transaction and say what it did, or why the service refused it; then reload,
        selecting the next credit (``next_row``) or the same one. While the list is being reloaded, the row
        on screen may be already decided: a second Enter then does nothing. ``undoable``: the outcome offers
        « Annuler » (a confirmation of a reported settlement is undone with its statement's import)."""
        if self.running is not None:
            return False
        try:
            said = commit(self.context.db, use_case, *args)
        except TakenMeanwhile as taken:
            self._refused(str(taken))
            self.refresh()  # what the other user did shows
            self.changed.emit()
            return False
        except ValueError as refused:
            self._refused(str(refused))
            return False
        undo = ' <a href="annuler">Annuler</a>' if undoable and use_case is not unallocate else ""
        self.outcome.setText(escape(said) + undo)
        visible = self.table.visible_rows()
        row = self.table.currentIndex().row() + (1 if next_row else 0)
        self.follow = visible[row].credit.payment_id if 0 <= row < len(visible) else None
        self.refresh()
        self.changed.emit()
        return True

    def _refused(self, message: str) -> None:
        QMessageBox.warning(self, "À rapprocher", message)


def take_back_confirmed(parent: QWidget) -> bool:
    """Ask before taking back a payment's allocations (this screen's "Annuler", or an invoice's card)."""
    return QMessageBox.question(parent, "Annuler l'imputation",
                                "Reprendre tout ce qui est imputé de ce règlement ? Ses factures seront de nouveau "
                                "dues et le règlement reviendra dans « À rapprocher ».") == QMessageBox.StandardButton.Yes


def _haystack(waiting: Waiting) -> str:
    credit = waiting.credit
    return f"{credit.label} {credit.customer_name} {format_eur(credit.amount)} {waiting.proposed}"


def _detail(waiting: Waiting, names: dict[int, str]) -> str:
    """The selected credit in words: its label in full, what is left of it, whose it is, the proposal."""
    credit, proposal = waiting.credit, waiting.credit.proposal
    allocated = credit.amount - credit.left
    parts = [f"<p><b>{escape(credit.label) or 'Sans libellé'}</b></p>",
             f"<p>Reçu le {fr_date(credit.received_on)} : {format_eur(credit.amount)}"
             + (f", dont {format_eur(allocated)} déjà imputés" if allocated else "") + "</p>"]
    if credit.customer_id is not None:
        parts.append(f"<p>Client : {escape(credit.customer_name)}</p>")
    elif proposal is not None and proposal.customer_id is not None:
        parts.append(f"<p>Client proposé : {escape(names.get(proposal.customer_id, ''))}</p>")
    else:
        parts.append("<p>Client : non identifié</p>")
    if credit.reported is not None:
        parts.append(_reported_detail(credit))
        return "".join(parts)
    if proposal is None:
        parts.append("<p>Aucune facture ne correspond : choisissez le client puis les factures.</p>")
        return "".join(parts)
    colour = f' style="color: {AT_RISK.name()}"' if proposal.confidence == "possible" else ""
    parts.append(f"<p>Proposition <b{colour}>{escape(waiting.confidence.lower())}</b> : {escape(proposal.reason)}</p>")
    rows = "".join(f"<tr><td>{escape(number)}</td><td align='right'>{format_eur(a.amount)}</td></tr>"
                   for number, a in zip(waiting.numbers, proposal.allocations))
    if rows:
        parts.append(f"<table cellspacing='3'>{rows}</table>")
    return "".join(parts)


def _reported_detail(credit: Pending) -> str:
    """The reported settlement the credit may confirm, and what confirming it does."""
    report = credit.reported
    said = (f"<p>Proposition : <b>confirme le règlement déclaré</b> de {format_eur(report.amount)} sur "
            f"{escape(report.number)} ({escape(report.reference)}), en attente du relevé bancaire.</p>")
    if credit.report_left:
        return said + (f"<p>Ce virement n'en apporte que {format_eur(credit.left)} : Valider confirme cette part ; "
                       f"le reste ({format_eur(credit.report_left)}) reste en attente du relevé.</p>")
    return said + (f"<p>Valider le confirme ; les {format_eur(credit.beyond_report)} de plus restent à imputer.</p>"
                   if credit.beyond_report
                   else f"<p>Valider le confirme : ces {format_eur(report.amount)} de {escape(report.number)} sont "
                        "alors réglés par ce virement.</p>")


class PayerDialog(QDialog):
    """Say whose a credit is without allocating it yet: it becomes that customer's unallocated cash,
    deducted from what the letters claim."""

    def __init__(self, context, waiting: Waiting, customer_id: int | None, customers: list[tuple[int, str]],
                 parent=None) -> None:
        super().__init__(parent)
        self.context, self.waiting = context, waiting
        self.said = ""
        self.setWindowTitle("Client du règlement")
        self.setMinimumWidth(480)
        form = QFormLayout()
        form.addRow("Règlement", QLabel(f"{fr_date(waiting.credit.received_on)} — {format_eur(waiting.credit.amount)}"))
        self.messages = FieldMessages(form)
        self.customer = self.messages.add("customer", "Client", customer_picker())
        fill_customers(self.customer, customers, "Non identifié")
        combo_select(self.customer, customer_id)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.messages.general)
        layout.addWidget(dialog_buttons(self, self.save))

    def save(self) -> None:
        customer_id = self.customer.currentData()
        try:
            commit(self.context.db, set_customer, self.waiting.credit.payment_id, customer_id)
        except ValueError as refused:
            self.messages.show({"customer": str(refused)})
            return
        self.said = (f"Règlement attribué à {self.customer.currentText()}." if customer_id is not None
                     else "Règlement sans client.")
        self.accept()
