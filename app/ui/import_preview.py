"""The import wizard's last page before « Importer »: what the import would do (``services.import_preview``),
its counts and totals, the first rows of each kind in a tab each, and every refused row and remark."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.ui.format import LATE, fr_amount, fr_date
from app.ui.screen import RowTable
from app.ui.table_model import Column

NOTES = 20  # changes, disagreements and look-alike customers listed; the count of the rest

LINE = Column("Ligne", lambda r: r.line, numeric=True, width=58)
COLUMNS = {  # per kind of the preview's samples (``Preview.samples``), the columns of its first rows
    "Nouveaux clients": [Column("Nom", lambda c: c.name, stretch=True), Column("Code", lambda c: c.code, width=110),
                         Column("SIREN", lambda c: c.siren, width=110),
                         Column("Organisme public", lambda c: "oui" if c.public else "", width=130)],
    "Factures": [LINE, Column("N°", lambda i: i.number, width=120), Column("Client", lambda i: i.customer, stretch=True),
                 Column("Date", lambda i: i.issued, fr_date, width=82),
                 Column("Échéance", lambda i: i.due, fr_date, width=82),
                 Column("Montant TTC", lambda i: i.total, fr_amount, numeric=True, width=110),
                 Column("Reste dû", lambda i: i.still_due, fr_amount, numeric=True, width=110)],
    "Règlements": [LINE, Column("Client", lambda p: p.customer, stretch=True),
                   Column("Date", lambda p: p.received, fr_date, width=82),
                   Column("Référence", lambda p: p.reference, width=260),
                   Column("Montant", lambda p: p.amount, fr_amount, numeric=True, width=110)],
    "Lignes de relevé": [LINE, Column("Compte", lambda b: b.account, width=200),
                         Column("Date", lambda b: b.booked, fr_date, width=82),
                         Column("Libellé", lambda b: b.label, stretch=True),
                         Column("Montant", lambda b: b.amount, fr_amount, numeric=True, width=110)],
}
COLUMNS["Avoirs"] = COLUMNS["Factures"]
COLUMNS["Règlements déclarés (en attente du relevé)"] = COLUMNS["Règlements"]
PROBLEM_COLUMNS = [
    Column("Ligne", lambda p: p.line, numeric=True, width=60),
    Column("Colonne", lambda p: p.column, width=140),
    Column("Valeur trouvée", lambda p: p.value, width=160),
    Column("Ce qui ne va pas", lambda p: p.message, stretch=True),
]
REFUSED = "Lignes refusées"
REMARKS = "Remarques"


def notes_html(summary) -> str:
    """The import's notes as a list (the preview's and the summary's): disagreements with an export, changes,
    look-alike customers, then the customers whose balance in the accountant's FEC differs from Encours';
    each kind at most ``NOTES`` lines and the count of the rest."""
    notes = [f"Désaccord : {text}" for text in summary.disagreements] + summary.changes + summary.possible_duplicates
    items = [*notes[:NOTES], *(f"… et {len(notes) - NOTES} autre(s)." for _ in notes[NOTES:NOTES + 1])]
    gaps = [gap.text() for gap in summary.ledger_check]
    items += [*gaps[:NOTES], *(f"… et {len(gaps) - NOTES} autre(s)." for _ in gaps[NOTES:NOTES + 1])]
    return f"<ul>{''.join(f'<li>{escape(str(item))}</li>' for item in items)}</ul>" if items else ""


class PreviewPage(QWidget):
    """``show(preview)`` lays out one preview; the tabs are built again for each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel()
        self.text.setObjectName("preview")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tables: dict[str, RowTable] = {}

    def show_preview(self, preview) -> None:
        summary = preview.summary
        counts = "".join(f"<li>{escape(line)}</li>" for line in preview.lines())
        if summary.matching is not None:
            head = f"<p><b>Aperçu du relevé</b> — rien n'est encore enregistré. {escape(summary.statement_text())} "
        else:
            head = (f"<p><b>Aperçu</b> — rien n'est encore enregistré. {len(summary.changes)} facture(s) mise(s) à "
                    f"jour, {summary.duplicates} ligne(s) déjà connue(s). ")
        head += ("L'import créera :" if counts else "L'import ne créera rien de nouveau.") + "</p>"
        head += f"<ul>{counts}</ul>" if counts else ""
        for said in (summary.reported_text(), summary.company):
            head += f"<p>{escape(said)}</p>" if said else ""
        if summary.errors:
            head += (f"<p style='color:{LATE.name()}'><b>{len({p.line for p in summary.errors})} ligne(s) refusée(s)"
                     "</b> (onglet « Lignes refusées ») : corrigez le fichier et importez-le à nouveau, ou importez "
                     "seulement les lignes valides.</p>")
        self.text.setText(head + notes_html(summary))
        self.tabs.clear()
        self.tables = {}
        if summary.errors:
            self._tab(REFUSED, PROBLEM_COLUMNS, summary.errors, len(summary.errors))
        for name, sample in preview.samples().items():
            self._tab(name, COLUMNS[name], sample.first, sample.count)
        if summary.warnings:
            self._tab(REMARKS, PROBLEM_COLUMNS, summary.warnings, len(summary.warnings))
        self.tabs.setVisible(self.tabs.count() > 0)

    def _tab(self, name: str, columns: list[Column], rows: list, count: int) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        if len(rows) < count:
            layout.addWidget(QLabel(f"Les {len(rows)} premières lignes sur {count} :"))
        table = RowTable(columns, sort_column=0)
        table.set_rows(rows)
        layout.addWidget(table)
        self.tables[name] = table
        self.tabs.addTab(page, f"{name} ({count})")
