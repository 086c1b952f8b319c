"""The import wizard: what was detected in the file, the columns of a spreadsheet (proposed, corrected by the
user, saved under a name), a preview of the first rows as they will be read, then the import itself in a
worker with progress and Annuler, and its summary (created, updated, already known, rejected rows). A bank
statement that names no account, of a layout whose account nobody said yet, stops the import before it
writes anything: the wizard asks which account it is (``account_page``), then imports again."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from app.importers import detect
from app.importers.records import UnreadableFile
from app.services.bank_accounts import AccountNeeded
from app.services.imports import ImportRefused, ImportSummary, file_date, import_file, save_mapping, saved_mapping
from app.services.ownership import CompanyProposed, OtherCompany
from app.services.statements import STATEMENT_KINDS
from app.services.store import commit, read
from app.ui.account_page import AccountPage
from app.ui.format import LATE, fr_amount, fr_date
from app.ui.forms import DateEdit
from app.ui.screen import RowTable
from app.ui.table_model import Column
from app.ui.worker import run_op

NO_COLUMN = "— aucune —"
PREVIEW_BYTES = 1_000_000  # a statement file previewed in full up to this size (8 000 CFONB lines)
SUMMARY_NOTES = 20  # changes and look-alike customers listed in the summary; the count of the rest
PREVIEW_COLUMNS = [  # rows are (invoice record, customer name)
    Column("Ligne", lambda r: r[0].line, numeric=True, width=58),
    Column("N°", lambda r: r[0].number, width=105),
    Column("Client", lambda r: r[1], stretch=True),
    Column("Date", lambda r: r[0].issue_date, fr_date, width=82),
    Column("Échéance", lambda r: r[0].due_date, fr_date, width=82),
    Column("Montant TTC", lambda r: r[0].total, fr_amount, numeric=True, width=100),
    Column("Reste dû", lambda r: r[0].still_due, fr_amount, numeric=True, width=100),
]
BANK_PREVIEW_COLUMNS = [  # rows are (bank line record, "")
    Column("Ligne", lambda r: r[0].line, numeric=True, width=58),
    Column("Compte", lambda r: " ".join(filter(None, (r[0].bank, r[0].account))), width=205),
    Column("Date", lambda r: r[0].booked_on, fr_date, width=82),
    Column("Valeur", lambda r: r[0].value_on, fr_date, width=82),
    Column("Libellé", lambda r: r[0].label, stretch=True),
    Column("Montant", lambda r: r[0].amount, fr_amount, numeric=True, width=110),
]
PROBLEM_COLUMNS = [
    Column("Ligne", lambda p: p.line, numeric=True, width=60),
    Column("Colonne", lambda p: p.column, width=140),
    Column("Valeur trouvée", lambda p: p.value, width=160),
    Column("Ce qui ne va pas", lambda p: p.message, stretch=True),
]


class ImportWizard(QDialog):
    def __init__(self, context, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.path = context, path
        self.setWindowTitle(f"Importer {path.name}")
        self.resize(1180, 660)
        self.combos: dict[str, QComboBox] = {}
        self.sheet = None
        self.failed = False
        self.account_page: AccountPage | None = None  # when the statement names no account
        self.accept_valid_rows = False
        self.create_company: bool | None = None  # asked when the file would give the company its name or SIREN
        self.said_before = ""  # what the wizard said of the file before a refusal replaced it
        # another firm's file is refused; the owner may tick this and import it anyway
        self.force_company = QCheckBox("Importer quand même")
        self.force_company.hide()
        self.pages = QStackedWidget()
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.import_button = QPushButton("Importer")
        self.import_button.setDefault(True)
        self.valid_rows_button = QPushButton("Importer les lignes valides")
        self.valid_rows_button.hide()
        self.close_button = QPushButton("Annuler")
        # what an export says is paid is a state as of a date: proposed, the file's own date
        self.as_of = DateEdit(min(file_date(path), context.today()))
        self.as_of.setToolTip("Ce que le fichier dit réglé ou restant dû l'est à cette date : un virement reçu "
                              "jusqu'à quelques jours après est le même argent, il ne sera pas compté deux fois.")
        self.as_of_label = QLabel("Montants réglés et restant dus au :")
        buttons = QHBoxLayout()
        buttons.addWidget(self.as_of_label)
        buttons.addWidget(self.as_of)
        buttons.addStretch(1)
        buttons.addWidget(self.force_company)
        for button in (self.valid_rows_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(lambda: self.start(accept_valid_rows=False))
        self.valid_rows_button.clicked.connect(lambda: self.start(accept_valid_rows=True))
        self.close_button.clicked.connect(self.reject)
        self.summary_page = self._summary_page()
        try:
            self.reader = detect(path)
        except UnreadableFile as exc:
            self.show_failure(str(exc))
            return
        # a reader of tables (invoices, bank statements) has a schema: its fields are mapped to columns
        first = self._mapping_page() if hasattr(self.reader, "SCHEMA") else self._plain_page()
        self._show_as_of(self.reader.KIND not in STATEMENT_KINDS)
        self.pages.insertWidget(0, first)
        if not self.failed:  # inspecting the spreadsheet may have failed already
            self.pages.setCurrentWidget(first)

    # what was detected ----------------------------------------------------------------------------------------
    def _plain_page(self) -> QWidget:
        self.detected.setText(f"<b>{self.path.name}</b> — format reconnu : {self.reader.LABEL}.")
        if self.reader.KIND in STATEMENT_KINDS:
            return self._statement_page()
        return _note("Les clients, factures, avoirs et règlements du fichier seront ajoutés ; ceux qui sont déjà "
                     "connus sont reconnus et ne sont pas dupliqués. L'import pourra être annulé depuis l'écran "
                     "Imports.")

    def _statement_page(self) -> QWidget:
        """A statement file (CFONB, camt, OFX) has no columns to choose: its lines as they read, and the lines
        it could not read. Read here, in the window's thread, when the file is a statement's usual size (a
        few thousand lines, a few hundredths of a second); a larger one is read by the import only, in its
        worker."""
        if self.path.stat().st_size > PREVIEW_BYTES:
            return _note("Fichier volumineux : pas d'aperçu ligne à ligne. Les encaissements seront rapprochés des "
                         "factures ; les opérations déjà relevées ne seront pas enregistrées deux fois. L'import "
                         "pourra être annulé depuis l'écran Imports.")
        try:
            result = self.reader.read(self.path)
        except UnreadableFile as exc:
            self.show_failure(str(exc))
            return QWidget()
        page = QWidget()
        layout = QVBoxLayout(page)
        text = QLabel(f"{len(result.bank_lines)} opération(s) lue(s) dans le fichier. Les encaissements seront "
                      "rapprochés des factures ; les opérations déjà relevées, depuis ce fichier ou un autre, ne "
                      "seront pas enregistrées deux fois. L'import pourra être annulé depuis l'écran Imports.")
        text.setWordWrap(True)
        layout.addWidget(text)
        self._add_previews(layout, BANK_PREVIEW_COLUMNS)
        self._show_preview(result)
        return page

    def _mapping_page(self) -> QWidget:
        try:
            self.sheet = self.reader.inspect(self.path)
        except UnreadableFile as exc:
            self.show_failure(str(exc))
            return QWidget()
        sheet = self.sheet
        where = (f"encodage {sheet.encoding}, séparateur « {sheet.separator} »" if sheet.encoding
                 else f"feuille « {sheet.sheet_name} »")
        self.detected.setText(f"<b>{self.path.name}</b> — {self.reader.LABEL} : {where}, en-têtes à la ligne "
                              f"{sheet.header_line}. Vérifiez quelle colonne contient quoi.")
        mapping = read(self.context.db, saved_mapping, sheet.signature) or sheet.mapping
        page = QWidget()
        row = QHBoxLayout(page)
        form = QFormLayout()
        for name, label in self.reader.SCHEMA.fields.items():
            combo = QComboBox()
            combo.addItem(NO_COLUMN, None)
            for header in sheet.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(name))))
            combo.currentIndexChanged.connect(self.update_preview)
            self.combos[name] = combo
            form.addRow(label, combo)
        self.mapping_name = QLineEdit(self.path.stem)
        self.save_mapping = QCheckBox("Enregistrer ces colonnes sous le nom :")
        self.save_mapping.setChecked(True)
        form.addRow(self.save_mapping, self.mapping_name)
        left = QWidget()
        left.setLayout(form)
        left.setMaximumWidth(430)
        right = QVBoxLayout()
        right.addWidget(QLabel("Les premières lignes, telles qu'elles seront lues :"))
        self._add_previews(right, BANK_PREVIEW_COLUMNS if self.reader.KIND == "bank" else PREVIEW_COLUMNS)
        self.mapping_message = QLabel()
        self.mapping_message.setWordWrap(True)
        self.mapping_message.setStyleSheet(f"color: {LATE.name()};")
        right.addWidget(self.mapping_message)
        row.addWidget(left)
        row.addLayout(right, 1)
        self.update_preview()
        return page

    def mapping(self) -> dict[str, str] | None:
        if not self.combos:
            return None
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def update_preview(self) -> None:
        """Read the first rows with the columns as chosen now; say what is missing."""
        try:
            result = self.reader.read(self.path, mapping=self.mapping(), max_rows=10)
        except UnreadableFile as exc:
            self.preview.set_rows([])
            self.preview_problems.set_rows([])
            self.mapping_message.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        self._show_preview(result)
        self.mapping_message.setText("")
        self.import_button.setEnabled(True)

    def _add_previews(self, layout, columns: list[Column]) -> None:
        """The table of the rows as they will be read, and below it the table of the rows that cannot be."""
        self.preview = RowTable(columns, sort_column=0)
        layout.addWidget(self.preview, 2)
        self.preview_problems = RowTable(PROBLEM_COLUMNS, sort_column=0)
        layout.addWidget(self.preview_problems, 1)

    def _show_preview(self, result) -> None:
        names = {customer.key: customer.name for customer in result.customers}
        self.preview.set_rows([(invoice, names.get(invoice.customer_key, "")) for invoice in result.invoices]
                              + [(line, "") for line in result.bank_lines])
        self.preview_problems.set_rows(result.problems + result.warnings)  # what will be refused, or remarked
        self.preview_problems.setVisible(bool(result.problems or result.warnings))

    # the import ---------------------------------------------------------------------------------------------------
    def start(self, accept_valid_rows: bool) -> None:
        account = None
        if self.account_page is not None:
            account = self.account_page.chosen()
            if account is None:
                return
            accept_valid_rows = accept_valid_rows or self.accept_valid_rows  # as chosen before the question
        self.accept_valid_rows = accept_valid_rows
        db, path, kind, mapping = self.context.db, self.path, self.reader.KIND, self.mapping()
        today, as_of = self.context.today(), self.as_of.value()
        keep = (self.mapping_name.text().strip(), self.sheet.signature, mapping) \
            if mapping and self.save_mapping.isChecked() and self.mapping_name.text().strip() else None
        self.import_button.setEnabled(False)
        self.valid_rows_button.hide()
        owner = (self.force_company.isChecked(), self.create_company)
        self.op = run_op(self, lambda job: run_import(db, path, kind, mapping, keep, accept_valid_rows, today,
                                                      as_of, job, account, owner),
                         on_success=self.finished, on_failure=self.show_failure,
                         label=f"Import de {path.name}…")
        self.op.signals.cancelled.connect(lambda: self.import_button.setEnabled(True))

    def _summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_text = QLabel()
        self.summary_text.setObjectName("summary")
        self.summary_text.setWordWrap(True)
        self.summary_text.setTextFormat(Qt.TextFormat.RichText)
        self.summary_text.setAlignment(Qt.AlignmentFlag.AlignTop)  # at the top, whether remarks follow or not
        self.summary_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_text)
        self.problems = RowTable(PROBLEM_COLUMNS, sort_column=0)
        layout.addWidget(self.problems, 1)
        self.pages.addWidget(page)
        return page

    def finished(self, result: ImportSummary | AccountNeeded | OtherCompany | CompanyProposed) -> None:
        if isinstance(result, AccountNeeded):
            self.ask_account(result)
        elif isinstance(result, OtherCompany):
            self.ask_force(result)
        elif isinstance(result, CompanyProposed):
            answer = QMessageBox.question(self, "Votre société", result.question)
            self.create_company = answer == QMessageBox.StandardButton.Yes
            self.start(self.accept_valid_rows)
        else:
            self.show_summary(result)

    def ask_force(self, refused: OtherCompany) -> None:
        """Nothing was written: the file names another firm than the user's. Said, and « Importer quand même »
        offered: the import button imports it once ticked."""
        self.said_before = self.detected.text()  # what was detected: shown again once imported anyway
        self.detected.setText(f"<b>{escape(self.path.name)}</b> — <span style='color:{LATE.name()}'>"
                              f"{escape(refused.said('cochez « Importer quand même » si ce fichier est bien le vôtre'))}"
                              "</span>")
        self.force_company.show()
        self.import_button.setEnabled(True)

    def ask_account(self, needed: AccountNeeded) -> None:
        """Nothing was written: the statement names no account. Which is it?"""
        self.detected.setText(f"<b>{self.path.name}</b> — {self.reader.LABEL} : le relevé ne nomme pas son compte.")
        self.account_page = AccountPage(needed.known)
        self.pages.addWidget(self.account_page)
        self.pages.setCurrentWidget(self.account_page)
        self.valid_rows_button.hide()
        self.import_button.setEnabled(True)

    def show_summary(self, summary: ImportSummary) -> None:
        created = summary.created
        if summary.rejected:
            head = (f"<p style='color:{LATE.name()}'><b>Rien n'a été importé :</b> {len(summary.errors)} erreur(s) "
                    "dans le fichier, listées ci-dessous. Corrigez le fichier et recommencez, ou importez "
                    "seulement les lignes valides.</p>")
            self.valid_rows_button.show()
        elif summary.matching is not None:
            head = f"<p><b>Relevé importé.</b> {summary.statement_text()}</p>"
        else:
            head = (f"<p><b>Import terminé.</b> Créés : {created['customers']} client(s), {created['invoices']} "
                    f"facture(s) ou avoir(s), {created['payments']} règlement(s), {created['allocations']} "
                    f"lettrage(s). Mis à jour : {len(summary.changes)}. Déjà connus : {summary.duplicates}. "
                    f"Lignes rejetées : {len({p.line for p in summary.errors})}.</p>")
            if summary.reported_text():
                head += f"<p>{escape(summary.reported_text())}</p>"
            if summary.company:
                head += f"<p>{escape(summary.company)}</p>"
        notes = [f"Désaccord : {text}" for text in summary.disagreements] + summary.changes \
            + summary.possible_duplicates
        details = "".join(f"<li>{escape(str(text))}</li>" for text in notes[:SUMMARY_NOTES])
        if len(notes) > SUMMARY_NOTES:
            details += f"<li>… et {len(notes) - SUMMARY_NOTES} autre(s).</li>"
        gaps = summary.ledger_check  # the customers the accountant's FEC and Encours disagree on
        if gaps:
            details += "".join(f"<li>{escape(gap.text())}</li>"
                               for gap in gaps[:SUMMARY_NOTES])
            details += f"<li>… et {len(gaps) - SUMMARY_NOTES} autre(s)</li>" if len(gaps) > SUMMARY_NOTES else ""
        self.summary_text.setText(head + (f"<ul>{details}</ul>" if details else ""))
        # the rejected rows and the remarks, however many, in a table that scrolls, under the summary
        self.problems.set_rows(summary.errors + summary.warnings)
        self.problems.setVisible(bool(summary.errors or summary.warnings))
        self.pages.setCurrentWidget(self.summary_page)
        self.import_button.hide()
        if self.force_company.isVisible():  # imported anyway: the refusal said above is no longer true
            self.detected.setText(self.said_before)
        self.force_company.hide()
        self._show_as_of(False)
        self.close_button.setText("Fermer")

    def _show_as_of(self, shown: bool) -> None:
        """The as-of date is asked for files that say what is paid (not for bank statements)."""
        self.as_of.setVisible(shown)
        self.as_of_label.setVisible(shown)

    def show_failure(self, message: str) -> None:
        self.failed = True
        self._show_as_of(False)
        self.detected.setText(f"<b>{self.path.name}</b> — <span style='color:{LATE.name()}'>{message}</span>")
        self.summary_text.setText("Ce fichier n'a pas pu être importé ; rien n'a été modifié.")
        self.problems.hide()
        self.pages.setCurrentWidget(self.summary_page)
        self.import_button.hide()
        self.close_button.setText("Fermer")


def _note(text: str) -> QLabel:
    """A page that is only a few lines of explanation, at the top."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop)
    return label


def run_import(db, path: Path, kind: str, mapping, keep, accept_valid_rows: bool, today: date, as_of: date, job,
               account: str | None = None, owner: tuple[bool, bool | None] = (False, None)):
    """In the worker: save the confirmed columns, then import, each in one transaction (a refused file's
    rolled back, its summary shown); the refusal of a statement that names no account is handed back as the
    question to ask (its transaction rolled back), as are another firm's file (``OtherCompany``) and the
    company the file would create (``CompanyProposed``); ``owner``: (import another firm's file anyway,
    create the company from the file: None to ask)."""
    if keep is not None:
        commit(db, save_mapping, *keep)
    try:
        return commit(db, import_file, path, today=today, kind=kind, mapping=mapping,
                      accept_valid_rows=accept_valid_rows, as_of=None if kind in STATEMENT_KINDS else as_of,
                      account=account, force_company=owner[0], create_company=owner[1], job=job)
    except ImportRefused as refused:
        return refused.summary
    except (AccountNeeded, OtherCompany, CompanyProposed) as needed:
        return needed
