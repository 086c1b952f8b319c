"""The weekly report: the cockpit of the week printed on two A4 pages, to keep or send to the accountant."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep
from app.services.cockpit import cockpit
from app.services.cockpit_view import charts, headlines, indicators


def write_weekly_report(session: Session, at: date, path: Path) -> Path:
    """Compute the week's figures at ``at`` and write them to ``path`` (PDF); returns the path."""
    from app.reports.weekly import CallRow, Headline, weekly_report

    figures = cockpit(session, at)
    weekly_report(
        path, company=figures.company, at=at,
        headlines=[Headline(label, value, change) for label, value, change in headlines(figures)],
        alerts=[alert.text for alert in figures.alerts],
        to_call=[CallRow(entry.name, entry.overdue, entry.days_late, DUNNING_STEP_LABELS[DunningStep(entry.step)],
                         entry.grade, entry.score_change, entry.worsening, entry.phone)
                 for entry in figures.to_call],
        charts=charts(figures),
        indicators=indicators(figures))
    return path
