"""Tableau de bord: the Monday-morning screen. Four headline cards, the alerts (a click opens the customer),
the customers to call, and three charts (13-week forecast, aging, DSO trend).

Every figure comes from ``services.cockpit`` through ``services.cockpit_view``, computed in a worker so the
window never waits; the charts are ``app.reports.charts`` figures, the same ones the weekly PDF prints.
"""

from __future__ import annotations

import importlib
import threading
from datetime import timedelta

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from app.domain.aging import BUCKET_LABELS, BUCKETS
from app.domain.scoring import RISKY_GRADES
from app.services.cockpit import Cockpit, cockpit
from app.services.cockpit_view import aging_rows, charts, headlines, indicators
from app.ui.alerts_list import AlertsList
from app.ui.format import AT_RISK, LATE, fr_amount, fr_count
from app.ui.chart_view import ChartView
from app.ui.export import Exportable, add_export
from app.ui.forms import ask_save_path
from app.ui.icons import icon
from app.ui.screen import RowTable, Screen
from app.ui.table_model import Column
from app.ui.worker import run_op

CALL_COLUMNS = (
    Column("Client", lambda r: r.name, stretch=True),
    Column("Dû net", lambda r: r.overdue, fr_amount, numeric=True, width=100, colour=lambda r: LATE),
    Column("Retard", lambda r: r.days_late, lambda d: f"{d} j", numeric=True, width=54),
    # the class, and how the score moved in four weeks ("D +12"): amber when risky or getting worse
    Column("Classe", lambda r: f"{r.grade} {r.score_change}".strip(), width=60,
           colour=lambda r: AT_RISK if r.grade in RISKY_GRADES or r.worsening else None),
    Column("Téléphone", lambda r: r.phone, width=104),
)
# what Ctrl+E writes beside the table of customers to call: the figures of the week, the aging by customer
INDICATOR_COLUMNS = (Column("Indicateur", lambda r: r[0]), Column("Valeur", lambda r: r[1]))
AGING_COLUMNS = (Column("Client", lambda r: r[0]),
                 *(Column(BUCKET_LABELS[b], lambda r, b=b: r[1][b]) for b in BUCKETS),
                 Column("Total", lambda r: r[1].total))


class Card(QFrame):
    """A headline figure: its name, its value, and how it moved in a week."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.label, self.value, self.change = QLabel(), QLabel(), QLabel()
        self.label.setObjectName("card_label")
        self.value.setObjectName("card_value")
        self.change.setObjectName("card_change")
        self.change.setWordWrap(True)
        for widget in (self.label, self.value, self.change):
            layout.addWidget(widget)

    def show_figure(self, label: str, value: str, change: str) -> None:
        self.label.setText(label)
        self.value.setText(value)
        self.change.setText(change)


def _load_charts() -> None:
    for module in ("matplotlib.backends.backend_qtagg", "app.reports.charts"):
        importlib.import_module(module)


class DashboardScreen(Screen):
    def __init__(self, context, title: str, parent=None) -> None:
        super().__init__(context, title, parent)
        self.figures: Cockpit | None = None
        self.week = QLabel()
        self.week.setObjectName("muted")
        self.actions_bar.insertWidget(1, self.week)
        self.print_button = QPushButton(icon("printer"), "Imprimer le rapport hebdo")
        self.print_button.setToolTip("Le rapport de la semaine en PDF, deux pages (Ctrl+P)")
        self.print_button.clicked.connect(self.print_report)
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.actions_bar.addWidget(self.print_button)
        add_export(self)

        cards = QHBoxLayout()
        self.cards = [Card() for _ in range(4)]
        for card in self.cards:
            cards.addWidget(card, 1)
        self.layout_.addLayout(cards)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.alerts = AlertsList()
        self.indicators = QTableWidget(0, 2)  # the other figures of the week, beside the alerts
        self.indicators.setHorizontalHeaderLabels(["Indicateur", "Valeur"])
        self.indicators.verticalHeader().hide()
        self.indicators.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.indicators.setWordWrap(True)
        self.indicators.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.indicators.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(self.alerts, icon("triangle-alert"), "Alertes")
        self.left_tabs.addTab(self.indicators, "Indicateurs")
        self.alerts.customer_chosen.connect(self.open_customer)
        calls = QLabel("Clients à appeler cette semaine")
        calls.setObjectName("section")
        self.to_call = RowTable(CALL_COLUMNS, sort_column=1, descending=True)
        self.to_call.activated_row.connect(lambda row: self.open_customer(row.customer_id))
        for widget, stretch in ((self.left_tabs, 3), (calls, 0), (self.to_call, 2)):
            left_layout.addWidget(widget, stretch)

        right = QWidget()
        grid = QGridLayout(right)
        grid.setContentsMargins(0, 0, 0, 0)
        self.charts = [ChartView(context) for _ in range(3)]  # forecast across the top, aging and DSO below
        grid.addWidget(self.charts[0], 0, 0, 1, 2)
        grid.addWidget(self.charts[1], 1, 0)
        self.charts[1].setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click on the aging, then Ctrl+E: every customer's
        grid.addWidget(self.charts[2], 1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        body.setSizes([470, 580])
        self.layout_.addWidget(body, 1)

    def exportables(self) -> list[Exportable]:
        """The week's indicators (the cards' figures first), the customers to call, and the aging of every
        customer (the chart shows the first eight), each when its widget has the focus."""
        figures = self.figures
        return [
            Exportable("Indicateurs", self.left_tabs, lambda: (INDICATOR_COLUMNS, [] if figures is None else [
                (label, value) for label, value, _change in headlines(figures)] + indicators(figures))),
            self.to_call.exportable("Clients à appeler"),
            Exportable("Balance âgée par client", self.charts[1],
                       lambda: (AGING_COLUMNS, [] if figures is None else aging_rows(figures, None))),
        ]

    def refresh(self) -> None:
        """Recompute the week's figures in a worker; the screen keeps the previous ones meanwhile."""
        at = self.context.today()
        db = self.context.db

        def compute(job):
            from app.services.store import read

            # the charts' modules are loaded here rather than on the window's thread when the charts come, and
            # beside the computation, which leaves the interpreter to them while the database reads
            charts = threading.Thread(target=_load_charts, name="chargement des graphiques")
            charts.start()
            try:
                return read(db, cockpit, at, job)
            finally:
                charts.join()

        self.recompute(compute, self.show_cockpit, self._failed, self._cancelled, "Calcul des indicateurs…")

    def _failed(self, message: str) -> str:
        return (f"Les indicateurs n'ont pas pu être calculés ({message}). Ils le seront de nouveau à la prochaine "
                "ouverture de cet écran, ou en appuyant sur F5.")

    def _cancelled(self) -> str:
        shown = ("les chiffres affichés sont ceux du calcul précédent" if self.figures is not None
                 else "aucun chiffre n'est affiché")
        return f"Calcul des indicateurs annulé : {shown}. Appuyez sur F5 pour le relancer."

    def show_cockpit(self, figures: Cockpit) -> None:
        self.figures = figures
        monday = figures.at - timedelta(days=figures.at.weekday())
        self.week.setText(f"semaine du {monday:%d/%m/%Y}")
        for card, (label, value, change) in zip(self.cards, headlines(figures)):
            card.show_figure(label, value, change)
        self.alerts.set_alerts(figures.alerts)
        self.left_tabs.setTabText(0, f"Alertes ({fr_count(len(figures.alerts))})" if figures.alerts else "Aucune alerte")
        rows = indicators(figures)
        self.indicators.setRowCount(len(rows))
        for row, (label, value) in enumerate(rows):
            self.indicators.setItem(row, 0, QTableWidgetItem(label))
            figure = QTableWidgetItem(value)
            figure.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.indicators.setItem(row, 1, figure)
        self.indicators.resizeRowsToContents()
        self.to_call.set_rows(figures.to_call)
        for view, (title, figure) in zip(self.charts, charts(figures)):
            view.show_figure(title, figure)

    def print_report(self) -> None:
        """The weekly PDF, written in a worker, then opened in the system's viewer."""
        at = self.context.today()
        name = ask_save_path(self, self.context.settings, "reports", "Rapport hebdomadaire",
                             f"rapport-{at:%Y-%m-%d}.pdf", "PDF (*.pdf)")
        if name is None:
            return
        db = self.context.db

        def write(job):
            from app.services.store import read
            from app.services.weekly import write_weekly_report

            return read(db, write_weekly_report, at, name)

        run_op(self, write, lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))),
               label="Rapport hebdomadaire en cours…")
