"""The customer card's "Risque" tab: the score and class with the points of every factor and how it moved
over the quarter, what the customer owes beside its credit limit and its cover, and its score and payment
delay month by month."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.scoring import RISKY_GRADES, change_text, rising
from app.domain.wording import days
from app.services.risk import CustomerRisk
from app.ui.chart_view import ChartView
from app.ui.format import AT_RISK, LATE, fr_amount, fr_date
from app.ui.screen import RowTable
from app.ui.table_model import Column

FACTOR_COLUMNS = (
    Column("Critère", lambda f: f.label, width=200),
    Column("Constat", lambda f: f.detail, stretch=True),
    Column("Points", lambda f: f.points, lambda p: str(p), numeric=True, width=60,
           colour=lambda f: AT_RISK if f.points * 2 > f.maximum else None),
    Column("Sur", lambda f: f.maximum, lambda m: str(m), numeric=True, width=44),
)


class RiskTab(QWidget):
    def __init__(self, context) -> None:
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        self.headline = QLabel()
        self.headline.setObjectName("section")
        self.exposure = QLabel()
        self.exposure.setWordWrap(True)
        self.factors = RowTable(FACTOR_COLUMNS, sort_column=-1)  # in the score's own order
        self.factors.setSortingEnabled(False)
        self.scores = ChartView(context, minimum_height=150)
        self.delays = ChartView(context, minimum_height=150)
        for widget in (self.headline, self.exposure, self.factors):
            layout.addWidget(widget)
        charts = QHBoxLayout()
        charts.addWidget(self.scores, 1)
        charts.addWidget(self.delays, 1)
        layout.addLayout(charts, 1)

    @property
    def chart(self):
        """The delay chart's canvas, None until the risk was shown (it is computed when first looked at)."""
        return self.delays.canvas

    def show_risk(self, risk: CustomerRisk | None) -> None:
        from app.reports.charts import delay_chart, score_chart

        if risk is None:
            self.headline.setText("Pas encore de score pour ce nouveau client.")
            return
        score = risk.score
        self.headline.setText(f"Classe {score.grade} — {score.points} points de risque sur 100"
                              + self._trend_text(risk))
        if score.grade in RISKY_GRADES or rising(score.points, risk.score_months_ago[1]):
            self.headline.setStyleSheet(f"color: {AT_RISK.name()};")
        self.exposure.setText(self._exposure_text(risk))
        self.factors.set_rows(list(score.factors))
        table = self.factors  # every factor in view, at the header and row heights the style gave them
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                               + sum(table.rowHeight(row) for row in range(len(score.factors))))
        self.scores.show_figure("Score de risque, fin de mois", score_chart(risk.score_history))
        self.delays.show_figure("Retard moyen de paiement, mois par mois", delay_chart(risk.monthly_delays))

    @staticmethod
    def _trend_text(risk: CustomerRisk) -> str:
        """" · +12 points depuis le 31/08/2026": the score's change over the quarter, when it was known then."""
        since, before = risk.score_months_ago
        change = change_text(risk.score.points, before)
        if not change:
            return ""
        return f" · {'inchangé' if change == '=' else change + ' points'} depuis le {fr_date(since)}"

    @staticmethod
    def _exposure_text(risk: CustomerRisk) -> str:
        parts = [f"Encours {fr_amount(risk.exposure)}, dont {fr_amount(risk.overdue)} échus"]
        parts.append(f"limite de crédit {fr_amount(risk.credit_limit)}" if risk.credit_limit is not None
                     else "pas de limite de crédit")
        if risk.cover is not None:
            ends = f" jusqu'au {fr_date(risk.cover_ends)}" if risk.cover_ends else ""
            parts.append(f"couverture {fr_amount(risk.cover)}{ends} ({fr_amount(risk.uncovered)} non couverts)")
        else:
            parts.append("aucune garantie")
        text = " · ".join(parts)
        delay = f"Retard moyen sur 6 mois : {days(risk.average_delay)}"
        if risk.delay_trend is not None:
            delay += f" ({'+' if risk.delay_trend > 0 else ''}{days(risk.delay_trend)} sur le dernier trimestre)"
        colour = f' style="color: {LATE.name()}"' if risk.over_limit else ""
        return f"<span{colour}>{text}</span><br>{delay}"
