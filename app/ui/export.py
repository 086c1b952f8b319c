"""« Exporter… » and Ctrl+E: the table a screen shows, written as XLSX or CSV, and ``encours export VIEW``.

What is written is what the table displays: its rows in their order with the filters applied, its visible
columns in their order, but each value taken raw from its column (amounts as Decimal, dates as date) so the
file holds numbers and dates. A screen with several tables (Relances, the dashboard) exports the one that
has the focus, else its first. The command line opens the same screen offscreen and goes through the same
functions, so the file is the one the button writes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from app.jobs import NULL_JOB, Job, Refused
from app.reports.table_export import TEXT, kind_of, unknown_suffix, write_table
from app.ui.forms import ask_save_path
from app.ui.icons import icon
from app.ui.table_model import Column
from app.ui.worker import run_op

FILE_KINDS = "Classeur Excel (*.xlsx);;CSV, séparateur point-virgule (*.csv)"
IN_WORKER = 20_000  # rows past which the file is written in a worker, behind a progress dialog
SHORTCUT = "Ctrl+E"

# ``encours export VIEW``: the screen and which of its tables (see each screen's ``exportables``)
VIEWS = {"customers": ("customers", 0), "invoices": ("invoices", 0), "reminders": ("reminders", 0),
         "held": ("reminders", 1), "reconcile": ("reconcile", 0), "disputes": ("disputes", 0),
         "imports": ("imports", 0), "kpi": ("dashboard", 0), "dashboard": ("dashboard", 0),
         "calls": ("dashboard", 1), "aging": ("dashboard", 2)}


@dataclass(frozen=True)
class Exportable:
    """A table a screen offers to export: its name (the file's and the sheet's), the widget that has the
    focus when it is the one meant, and what it shows now (columns, rows in display order)."""

    name: str
    widget: QWidget
    content: Callable[[], tuple[Sequence[Column], Sequence[Any]]]


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    kinds: list[str]


def prepared(exportable: Exportable) -> Table:
    """The raw values of what the table shows, read on the window's thread (the rows belong to its model);
    a text column keeps the screen's wording ("Avoir", "en cours")."""
    columns, rows = exportable.content()
    values = [[column.value(row) for column in columns] for row in rows]
    kinds = [kind_of([row[i] for row in values]) for i in range(len(columns))]
    for i, (column, kind) in enumerate(zip(columns, kinds)):
        if kind == TEXT:
            for row in values:
                row[i] = None if row[i] is None else column.text(row[i])
    return Table(exportable.name, [column.title for column in columns], values, kinds)


def write(table: Table, path: Path, job: Job = NULL_JOB) -> str:
    """Write the file and say what was written; a file that cannot be written (open in Excel, a folder
    without rights) is refused in French."""
    try:
        write_table(path, table.title, table.headers, table.rows, table.kinds, job)
    except OSError as exc:
        raise Refused(f"impossible d'écrire « {path} » ({exc.strerror or exc.__class__.__name__}) : "
                      "le fichier est peut-être ouvert dans un tableur.") from None
    count = len(table.rows)
    return f"{count} ligne{'s' if count > 1 else ''} exportée{'s' if count > 1 else ''} dans {path}"


def chosen(exportables: Sequence[Exportable], focus: QWidget | None) -> Exportable | None:
    """The table that has the focus (or holds the widget that has it), else the first one."""
    for exportable in exportables:
        if focus is not None and (focus is exportable.widget or exportable.widget.isAncestorOf(focus)):
            return exportable
    return exportables[0] if exportables else None


def add_export(screen) -> QPushButton:
    """The screen's « Exporter… » button and its Ctrl+E (a shortcut of the screen: only the one shown
    answers). The button takes no focus, so a click leaves it on the table meant."""
    button = QPushButton(icon("download"), "Exporter…")
    button.setToolTip(f"Le tableau affiché, filtres et tri compris, en XLSX ou CSV ({SHORTCUT})")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(lambda: export_screen(screen))
    button.setShortcut(QKeySequence(SHORTCUT))  # the screen shown answers: the others' buttons are hidden
    screen.actions_bar.addWidget(button)
    return button


def export_screen(screen) -> None:
    exportable = chosen(screen.exportables(), QApplication.focusWidget())
    if exportable is None:
        return
    name = f"{exportable.name} {screen.context.today():%Y-%m-%d}.xlsx"
    path = ask_save_path(screen, screen.context.settings, "export", "Exporter le tableau", name, FILE_KINDS)
    if path is None:
        return
    if unknown_suffix(path):
        path = path.with_name(f"{path.name}.xlsx")
    table = prepared(exportable)

    def done(message: str) -> None:
        screen.window().statusBar().showMessage(message, 10_000)

    if len(table.rows) > IN_WORKER:
        run_op(screen, lambda job: write(table, path, job), done, label="Export en cours…")
        return
    try:
        done(write(table, path))
    except Refused as refused:
        QMessageBox.warning(screen, "Exporter le tableau", str(refused)[:1].upper() + str(refused)[1:])


def refusal(view: str, out: str) -> str:
    """Why ``encours export VIEW --out FILE`` cannot run, in French, or ""."""
    if view not in VIEWS:
        return f"vue inconnue « {view} » ; choisissez parmi : {', '.join(VIEWS)}"
    return unknown_suffix(out)


def export_view(window, view: str, out: str) -> int:
    """The command line's export: the view's screen opened offscreen as the owner would see it, then its
    table written by the functions the button uses."""
    from app.ui.screenshot import unfinished, wait_for

    problem = refusal(view, out)
    if problem:
        print(f"encours : {problem}", file=sys.stderr)
        return 1
    key, number = VIEWS[view]
    screen = window.screens[key]
    window.show_screen(key)
    if window.current_screen() is not screen:  # an empty database stays on the welcome page
        screen.refresh()
    if not wait_for(screen):
        print(unfinished(key), file=sys.stderr)
        return 1
    try:
        print(write(prepared(screen.exportables()[number]), Path(out)))
    except Refused as refused:
        print(f"encours : {refused}", file=sys.stderr)
        return 1
    return 0
