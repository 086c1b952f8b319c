"""The import wizard: what was detected in the file; for a table, its columns (proposed, corrected by the user,
saved under a name) with the first rows as they will be read; then the preview of what the import would do
(``services.import_preview``: counts, totals, the first rows of each kind, refused rows and remarks), read in
a worker with progress and Annuler; then the import itself, in a worker too, and its summary. The questions
an import may ask before it writes anything (which account a statement that names none is, whether a file
of another firm is to be imported anyway, whether the company is to be created from the file) are asked
while previewing. The wizard never reads a file itself: the services do."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from app.jobs import Refused
from app.services.backups import back_up
from app.services.bank_accounts import AccountNeeded
from app.services.import_preview import first_rows, inspect_table, preview_file, recognise
from app.services.import_mappings import save_mapping
from app.services.import_summary import ImportRefused, ImportSummary
from app.services.imports import file_date, import_file
from app.services.ownership import CompanyProposed, OtherCompany
from app.services.store import commit, read, rehearse
from app.ui.account_page import AccountPage
from app.ui.format import LATE, fr_amount, fr_date
from app.ui.forms import DateEdit
from app.ui.import_preview import PROBLEM_COLUMNS, PreviewPage, notes_html
from app.ui.screen import RowTable
from app.ui.table_model import Column
from app.ui.worker import run_op

NO_COLUMN = "— aucune —"
FIRST_COLUMNS = [  # a table's first rows while its columns are chosen: (invoice record, customer name)
    Column("Ligne", lambda r: r[0].line, numeric=True, width=58),
    Column("N°", lambda r: r[0].number, width=105),
    Column("Client", lambda r: r[1], stretch=True),
    Column("Date", lambda r: r[0].issue_date, fr_date, width=82),
    Column("Échéance", lambda r: r[0].due_date, fr_date, width=82),
    Column("Montant TTC", lambda r: r[0].total, fr_amount, numeric=True, width=100),
    Column("Reste dû", lambda r: r[0].still_due, fr_amount, numeric=True, width=100),
]
FIRST_BANK_COLUMNS = [  # (bank line record, "")
    Column("Ligne", lambda r: r[0].line, numeric=True, width=58),
    Column("Compte", lambda r: " ".join(filter(None, (r[0].bank, r[0].account))), width=205),
    Column("Date", lambda r: r[0].booked_on, fr_date, width=82),
    Column("Valeur", lambda r: r[0].value_on, fr_date, width=82),
    Column("Libellé", lambda r: r[0].label, stretch=True),
    Column("Montant", lambda r: r[0].amount, fr_amount, numeric=True, width=110),
]
QUESTIONS = (AccountNeeded, OtherCompany, CompanyProposed)  # what an import asks before it writes anything


class ImportWizard(QDialog):
    def __init__(self, context, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.path = context, path
        self.setWindowTitle(f"Importer {path.name}")
        self.resize(1180, 660)
        self.combos: dict[str, QComboBox] = {}
        self.sheet = None
        self.file = None  # what ``recognise`` said of the file
        self.last_preview = None  # what ``preview_file`` said the import would do
        self.failed = False
        self.account_page: AccountPage | None = None  # when the statement names no account
        self.create_company: bool | None = None  # asked when the file would give the company its name or SIREN
        self.said_before = ""  # what the wizard said of the file before a refusal replaced it
        # another firm's file is refused; the owner may tick this and import it anyway
        self.force_company = QCheckBox("Importer quand même")
        self.force_company.hide()
        self.pages = QStackedWidget()
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.back_button = QPushButton("◂ Colonnes")
        self.preview_button = QPushButton("Aperçu ▸")
        self.import_button = QPushButton("Importer")
        self.valid_rows_button = QPushButton("Importer les lignes valides")
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
        for button in (self.back_button, self.valid_rows_button, self.preview_button, self.import_button,
                       self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(lambda: self.show_stage("columns"))
        self.preview_button.clicked.connect(self.start_preview)
        self.import_button.clicked.connect(lambda: self.start(accept_valid_rows=False))
        self.valid_rows_button.clicked.connect(lambda: self.start(accept_valid_rows=True))
        self.close_button.clicked.connect(self.reject)
        self.as_of.dateChanged.connect(self._as_of_changed)
        self.preview_page = PreviewPage()
        self.pages.addWidget(self.preview_page)
        self.note_page = QLabel()  # what a question asked before the preview means, and what to do
        self.note_page.setWordWrap(True)
        self.note_page.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.pages.addWidget(self.note_page)
        self.summary_page = self._summary_page()
        try:
            self.file = recognise(path)
        except Refused as exc:
            self.show_failure(str(exc))
            return
        if self.file.fields is None:  # nothing to choose: straight to the preview
            self.detected.setText(f"<b>{escape(path.name)}</b> — format reconnu : {escape(self.file.label)}.")
            self.start_preview()
            return
        # a table (invoices, bank lines): its fields are mapped to columns first
        self.columns_page = self._mapping_page()
        self.pages.insertWidget(0, self.columns_page)
        if not self.failed:  # inspecting the table may have failed already
            self.show_stage("columns")

    def show_stage(self, stage: str) -> None:
        """The page and the buttons of one stage: « columns » (a table's), « question » (asked before the
        preview), « preview », « stale » (the preview, an input changed since), « running » (a worker)."""
        if stage == "columns":
            self.pages.setCurrentWidget(self.columns_page)
        elif stage == "question":
            self.pages.setCurrentWidget(self.account_page or self.note_page)
        elif stage == "preview":
            self.pages.setCurrentWidget(self.preview_page)
        errors = stage == "preview" and bool(self.last_preview.summary.errors)
        self.back_button.setVisible(self.combos != {} and stage in ("preview", "stale"))
        self.preview_button.setVisible(stage in ("columns", "question", "stale"))
        self.preview_button.setText("Actualiser l'aperçu" if stage == "stale" else "Aperçu ▸")
        self.preview_button.setDefault(stage != "preview")
        self.import_button.setVisible(stage == "preview" and not errors)
        self.import_button.setDefault(stage == "preview")
        self.valid_rows_button.setVisible(errors)
        for button in (self.preview_button, self.import_button, self.valid_rows_button):
            button.setEnabled(stage != "running")
        self.stage = stage
        self._show_as_of(not self.file.statement)

    def _as_of_changed(self) -> None:
        """The preview was made for another as-of date: to be made again before importing."""
        if getattr(self, "stage", "") == "preview":
            self.show_stage("stale")

    # a table's columns ----------------------------------------------------------------------------------------
    def _mapping_page(self) -> QWidget:
        try:
            self.sheet, mapping = read(self.context.db, inspect_table, self.path, self.file.kind)
        except Refused as exc:
            self.show_failure(str(exc))
            return QWidget()
        sheet = self.sheet
        where = (f"encodage {sheet.encoding}, séparateur « {sheet.separator} »" if sheet.encoding
                 else f"feuille « {sheet.sheet_name} »")
        self.detected.setText(f"<b>{escape(self.path.name)}</b> — {escape(self.file.label)} : {escape(where)}, "
                              f"en-têtes à la ligne {sheet.header_line}. Vérifiez quelle colonne contient quoi.")
        page = QWidget()
        row = QHBoxLayout(page)
        form = QFormLayout()
        for name, label in self.file.fields.items():
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
        self.preview = RowTable(FIRST_BANK_COLUMNS if self.file.statement else FIRST_COLUMNS, sort_column=0)
        right.addWidget(self.preview, 2)
        self.preview_problems = RowTable(PROBLEM_COLUMNS, sort_column=0)
        right.addWidget(self.preview_problems, 1)
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
            result = first_rows(self.path, self.file.kind, self.mapping())
        except Refused as exc:
            self.preview.set_rows([])
            self.preview_problems.set_rows([])
            self.mapping_message.setText(str(exc))
            self.preview_button.setEnabled(False)
            return
        if self.file.statement:
            self.preview.set_rows([(line, "") for line in result.bank_lines])
        else:
            names = {customer.key: customer.name for customer in result.customers}
            self.preview.set_rows([(invoice, names.get(invoice.customer_key, "")) for invoice in result.invoices])
        self.preview_problems.set_rows(result.problems + result.warnings)  # what will be refused, or remarked
        self.preview_problems.setVisible(bool(result.problems or result.warnings))
        self.mapping_message.setText("")
        self.preview_button.setEnabled(True)

    # the preview, then the import --------------------------------------------------------------------------------
    def options(self) -> dict | None:
        """What the preview and the import are given, as chosen in the wizard; None while the account asked is
        not valid yet."""
        account = None
        if self.account_page is not None:
            account = self.account_page.chosen()
            if account is None:
                return None
        return dict(today=self.context.today(), kind=self.file.kind, mapping=self.mapping(),
                    as_of=None if self.file.statement else self.as_of.value(), account=account,
                    force_company=self.force_company.isChecked(), create_company=self.create_company)

    def start_preview(self) -> None:
        """What the import would do, read in a worker (the whole file: as long as the import itself), its
        rows that cannot be imported shown rather than refusing the file."""
        options = self.options()
        if options is None:
            return
        db, path = self.context.db, self.path
        self.show_stage("running")
        self.op = run_op(self, lambda job: asked(rehearse, db, preview_file, path, job=job, accept_valid_rows=True,
                                                 **options),
                         on_success=self.previewed, on_failure=self.show_failure, label=f"Lecture de {path.name}…")
        self.op.signals.cancelled.connect(self.reject)

    def previewed(self, result) -> None:
        if self.answered(result):
            return
        self.last_preview = result
        if self.said_before:  # the file is imported anyway: the refusal said above is no longer the last word
            self.detected.setText(self.said_before)
            self.said_before = ""
        self.force_company.hide()
        self.preview_page.show_preview(result)
        self.show_stage("preview")

    def answered(self, result) -> bool:
        """A question the import asked (nothing written): put to the user; True when it was one."""
        if isinstance(result, AccountNeeded):
            self.ask_account(result)
        elif isinstance(result, OtherCompany):
            self.ask_force(result)
        elif isinstance(result, CompanyProposed):
            answer = QMessageBox.question(self, "Votre société", result.question)
            self.create_company = answer == QMessageBox.StandardButton.Yes
            self.start_preview()
        else:
            return False
        return True

    def start(self, accept_valid_rows: bool) -> None:
        options = self.options()
        if options is None:
            return
        mapping = options["mapping"]
        keep = (self.mapping_name.text().strip(), self.sheet.signature, mapping) \
            if mapping and self.save_mapping.isChecked() and self.mapping_name.text().strip() else None
        db, path = self.context.db, self.path
        self.show_stage("running")
        self.op = run_op(self, lambda job: run_import(db, path, keep, job=job, accept_valid_rows=accept_valid_rows,
                                                      **options),
                         on_success=self.finished, on_failure=self.show_failure, label=f"Import de {path.name}…")
        self.op.signals.cancelled.connect(lambda: self.show_stage("preview"))

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
        if not self.answered(result):  # asked again only when the data changed since the preview
            self.show_summary(result)

    def ask_force(self, refused: OtherCompany) -> None:
        """Nothing was written: the file names another firm than the user's. Said, and « Importer quand même »
        offered: the preview goes on once ticked."""
        self.said_before = self.detected.text()  # what was detected: shown again once imported anyway
        said = refused.said("cochez « Importer quand même » si ce fichier est bien le vôtre")
        self.detected.setText(f"<b>{escape(self.path.name)}</b> — <span style='color:{LATE.name()}'>"
                              f"{escape(said.removeprefix(f'{self.path.name} : '), quote=False)}</span>")
        self.note_page.setText("Vérifiez que c'est bien le fichier de votre société (un fichier reçu d'un client ou "
                               "d'un fournisseur n'a pas sa place ici). S'il est bien le vôtre (SIREN changé, autre "
                               "établissement…), cochez « Importer quand même » puis « Aperçu » : rien n'est encore "
                               "enregistré.")
        self.force_company.show()
        self.show_stage("question")

    def ask_account(self, needed: AccountNeeded) -> None:
        """Nothing was written: the statement names no account. Which is it?"""
        self.detected.setText(f"<b>{escape(self.path.name)}</b> — {escape(self.file.label)} : le relevé ne nomme "
                              "pas son compte.")
        self.account_page = AccountPage(needed.known)
        self.pages.addWidget(self.account_page)
        self.show_stage("question")

    def show_summary(self, summary: ImportSummary) -> None:
        created = summary.created
        if summary.rejected:  # the data changed since the preview: an error found only now
            head = (f"<p style='color:{LATE.name()}'><b>Rien n'a été importé :</b> {len(summary.errors)} erreur(s) "
                    "dans le fichier, listées ci-dessous. Corrigez le fichier et recommencez, ou importez "
                    "seulement les lignes valides.</p>")
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
        self.summary_text.setText(head + notes_html(summary))
        # the rejected rows and the remarks, however many, in a table that scrolls, under the summary
        self.problems.set_rows(summary.errors + summary.warnings)
        self.problems.setVisible(bool(summary.errors or summary.warnings))
        self.pages.setCurrentWidget(self.summary_page)
        self._finish()
        self.valid_rows_button.setVisible(summary.rejected)
        self.valid_rows_button.setEnabled(True)

    def _finish(self) -> None:
        """Nothing left to do but close."""
        for button in (self.back_button, self.preview_button, self.import_button, self.valid_rows_button,
                       self.force_company):
            button.hide()
        self._show_as_of(False)
        self.close_button.setText("Fermer")

    def _show_as_of(self, shown: bool) -> None:
        """The as-of date is asked for files that say what is paid (not for bank statements)."""
        self.as_of.setVisible(shown)
        self.as_of_label.setVisible(shown)

    def show_failure(self, message: str) -> None:
        self.failed = True
        message = message.removeprefix(f"{self.path.name} : ")  # the file is named once, in bold
        self.detected.setText(f"<b>{escape(self.path.name)}</b> — <span style='color:{LATE.name()}'>"
                              f"{escape(message, quote=False)}</span>")
        self.summary_text.setText("Ce fichier n'a pas pu être importé ; rien n'a été modifié.")
        self.problems.hide()
        self.pages.setCurrentWidget(self.summary_page)
        self._finish()


def asked(run, db, *args, **kwargs):
    """``run(db, *args, **kwargs)`` (``commit`` or ``rehearse``), a question the import asks before writing
    anything returned rather than raised (its transaction rolled back): the wizard puts it to the user."""
    try:
        return run(db, *args, **kwargs)
    except QUESTIONS as question:
        return question


def run_import(db, path: Path, keep, **options):
    """In the worker: save the confirmed columns, then import, each in one transaction (a refused file's
    rolled back, its summary shown); ``options`` are ``import_file``'s."""
    if keep is not None:
        commit(db, save_mapping, *keep)
    back_up(db, "import", path.name)
    try:
        return asked(commit, db, import_file, path, **options)
    except ImportRefused as refused:
        return refused.summary
