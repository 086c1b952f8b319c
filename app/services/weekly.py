"""The weekly report: the cockpit of the week printed on two A4 pages, to keep or send to the accountant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from app.services.cockpit import cockpit
from app.services.cockpit_view import aging_rows, headlines, indicators


def write_weekly_report(session: Session, at: date, path: Path) -> Path:
    """Compute the week's figures at ``at`` and write them to ``path`` (PDF); returns the path."""
    from app.reports.charts import aging_chart, dso_chart, forecast_chart
    from app.reports.weekly import CallRow, Headline, weekly_report

    figures = cockpit(session, at)
    weekly_report(
        path, company=figures.company, at=at,
        headlines=[Headline(label, value, change) for label, value, change in headlines(figures)],
        alerts=[alert.text for alert in figures.alerts],
        to_call=[CallRow(entry.name, entry.overdue, entry.days_late, entry.grade, entry.phone)
                 for entry in figures.to_call],
        charts=[("Prévision d'encaissements sur 13 semaines", forecast_chart(figures.forecast)),
                ("Balance âgée des premiers clients", aging_chart(aging_rows(figures))),
                ("DSO sur 24 mois", dso_chart(figures.dso_history, Decimal(figures.thresholds.dso_target_days)))],
        indicators=indicators(figures))
    return path
