"""The weekly report: two A4 pages the owner prints on Monday morning.

Page 1 says where things stand (the headline figures with their change since last week), what needs
attention (the alerts) and whom to call (the ten customers, with amount due, days late, grade and phone).
Page 2 holds the charts. Every page carries the company, the week and "page N / M".

The caller hands over what to print, already computed and (for the headlines and alerts) already worded;
this module only lays it out.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Image,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.money import format_eur
from app.domain.scoring import RISKY_GRADES
from app.reports.pdf import (
    AT_RISK,
    FONT,
    FONT_BOLD,
    INK,
    LATE,
    MUTED,
    PANEL,
    RULE,
    fit,
    fr_date,
    markup,
    numbered_canvas,
    register_fonts,
    styles,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 48.0
MARGIN_TOP = 64.0
MARGIN_BOTTOM = 52.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
FRAME_PADDING = 6.0  # reportlab's frames keep 6 pt inside each edge

CARDS_PER_ROW = 4
VALUE_SIZE = 15.0
MAX_ALERTS = 12
MAX_CALLS = 10
CHART_DPI = 200
CHART_MAX_HEIGHT = 250.0


class Headline(NamedTuple):
    """A headline figure, all three texts already formatted: ("Encours", "412 380,00 €",
    "+3 210,00 € depuis la semaine dernière")."""

    label: str
    value: str
    change: str


class CallRow(NamedTuple):
    """A customer to call this week."""

    name: str
    amount: Decimal    # net overdue
    days_late: int
    step: str          # the dunning step due, in French (« 2e relance »)
    grade: str
    score_change: str  # the score's change in four weeks: "+12", "−5", "=" or ""
    worsening: bool
    phone: str


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weekly_report(
    path: Path,
    *,
    company: str,
    at: date,
    headlines: list[Headline],
    alerts: list[str],
    to_call: list[CallRow],
    charts: list[tuple[str, Figure]],
    indicators: list[tuple[str, str]] = (),
) -> None:
    """Write the weekly report for the week of ``at`` to ``path`` (a PDF of two A4 pages).

    At most ``MAX_ALERTS`` alerts are listed (then "… et N autres alertes") and ``MAX_CALLS`` customers;
    the charts share page 2, each at the full width. The file is written only once the whole document is
    built, so a failure leaves no half-written PDF behind."""
    register_fonts()
    style = styles()
    monday = week_start(at)
    inner_width = FRAME_WIDTH - 2 * FRAME_PADDING
    inner_height = FRAME_HEIGHT - 2 * FRAME_PADDING

    first = [
        Paragraph(f"Rapport hebdomadaire — {markup(company)}", style["title"]),
        Paragraph(f"Semaine du {fr_date(monday)}", style["subtitle"]),
    ]
    if headlines:
        first.append(_cards(headlines, inner_width, style))
    first += _alerts(alerts, style)
    first += _calls(to_call, inner_width, style)

    second = _indicators(list(indicators), inner_width, style) if indicators else []
    second.append(Paragraph("Graphiques", style["heading"]))
    second += _charts(charts, inner_width, inner_height - 40 - (18 * len(indicators) + 30 if indicators else 0), style)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"Rapport hebdomadaire — {company}", author="Encours",
        subject=f"Semaine du {fr_date(monday)}", creator="Encours",
    )
    story = [
        KeepInFrame(inner_width, inner_height, first, mode="shrink"),  # two pages, whatever the lengths
        PageBreak(),
        KeepInFrame(inner_width, inner_height, second, mode="shrink"),
    ]
    document.build(story, canvasmaker=numbered_canvas(_decorate(company, at, monday)))
    Path(path).write_bytes(buffer.getvalue())


def _decorate(company: str, at: date, monday: date):
    """Header (company, week) and footer (edition date, page N / M) of every page."""
    week = f"Rapport hebdomadaire · semaine du {fr_date(monday)}"
    printed = f"Encours · édité le {fr_date(at)}"

    left, right = MARGIN_X + FRAME_PADDING, PAGE_WIDTH - MARGIN_X - FRAME_PADDING  # flush with the text

    def draw(canvas, page: int, pages: int) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - 34
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, top, week)
        room = right - left - canvas.stringWidth(week, FONT, 8) - 24
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawString(left, top, fit(company, FONT_BOLD, 9, room))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 8, right, top - 8)
        bottom = 28
        canvas.line(left, bottom + 12, right, bottom + 12)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 8)
        canvas.drawString(left, bottom, printed)
        canvas.drawRightString(right, bottom, f"page {page} / {pages}")
        canvas.restoreState()

    return draw


def _cards(headlines: list[Headline], width: float, style) -> Table:
    """The headline figures as cards, four to a row: label, value in large, change since last week.

    The value is a plain string, not a paragraph, so it never wraps inside an amount and prints its narrow
    no-break spaces; a value too long for its card gets a smaller size."""
    gap = 8.0
    padding = 9.0
    columns = min(CARDS_PER_ROW, len(headlines))
    card_width = (width - gap * (columns - 1)) / columns
    cards = []
    for headline in headlines:
        value = " ".join(headline.value.split("\n"))
        size = min(VALUE_SIZE, (card_width - 2 * padding) / max(stringWidth(value, FONT_BOLD, 1), 1))
        content = [[Paragraph(markup(headline.label), style["small"])], [value]]
        if headline.change:
            content.append([Paragraph(markup(headline.change), style["small"])])
        card = Table(content, colWidths=[card_width])
        card.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ("FONTNAME", (0, 1), (0, 1), FONT_BOLD), ("FONTSIZE", (0, 1), (0, 1), size),
            ("LEADING", (0, 1), (0, 1), VALUE_SIZE * 1.25), ("TEXTCOLOR", (0, 1), (0, 1), INK),
            ("VALIGN", (0, 1), (0, 1), "MIDDLE"),
            ("LINEABOVE", (0, 0), (-1, 0), 1.5, MUTED),
        ]))
        cards.append(card)
    rows = [cards[i:i + columns] for i in range(0, len(cards), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    grid: list[list] = []
    widths: list[float] = []
    for column in range(columns):  # a narrow empty column between two cards
        widths += [card_width] if column == 0 else [gap, card_width]
    for row in rows:
        cells: list = []
        for index, card in enumerate(row):
            cells += [card] if index == 0 else ["", card]
        grid.append(cells)
    table = Table(grid, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), gap),
    ]))
    return table


def _alerts(alerts: list[str], style) -> list:
    """The alerts as a list, each behind an amber sign; "Aucune alerte" when there is none."""
    title = f"Alertes ({len(alerts)})" if alerts else "Alertes"
    flowables: list = [Paragraph(title, style["heading"])]
    if not alerts:
        return flowables + [Paragraph("Aucune alerte", style["body"])]
    item = style["body"].clone("alert", leftIndent=14, bulletIndent=0, bulletFontName=FONT,
                               bulletColor=AT_RISK, spaceAfter=2)
    for alert in alerts[:MAX_ALERTS]:
        flowables.append(Paragraph(markup(alert), item, bulletText="⚠"))
    if len(alerts) > MAX_ALERTS:
        more = len(alerts) - MAX_ALERTS
        flowables.append(Paragraph(f"… et {more} autre{'s' if more > 1 else ''} alerte{'s' if more > 1 else ''}"
                                   " (voir le tableau de bord)", style["small"]))
    return flowables


def _calls(rows: list[CallRow], width: float, style) -> list:
    """The customers to call: name, net overdue (right-aligned), days late (in red when late), the dunning
    step due, grade with the score's change in four weeks ("D +12", in amber when risky or rising sharply),
    phone."""
    flowables: list = [Paragraph("Clients à appeler cette semaine", style["heading"])]
    if not rows:
        return flowables + [Paragraph("Personne à appeler cette semaine.", style["body"])]
    fixed = [72.0, 48.0, 100.0, 44.0, 96.0]  # the name wraps, never the figures
    widths = [width - sum(fixed), *fixed]
    head = [Paragraph("Client", style["cell_head"]), Paragraph("Dû net", style["cell_head_right"]),
            Paragraph("Retard", style["cell_head_right"]), Paragraph("Étape", style["cell_head"]),
            Paragraph("Classe", style["cell_head"].clone("cell_head_centre", alignment=1)),
            Paragraph("Téléphone", style["cell_head"])]
    data = [head]
    commands = [
        ("FONTNAME", (0, 1), (-1, -1), FONT), ("FONTSIZE", (0, 1), (-1, -1), 9),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (2, -1), "RIGHT"), ("ALIGN", (4, 1), (4, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (2, 0), (2, -1), 8),  # a little air between the days and the step
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    for number, row in enumerate(rows[:MAX_CALLS], start=1):
        data.append([Paragraph(markup(row.name), style["cell"]), format_eur(row.amount), f"{row.days_late} j",
                     Paragraph(markup(row.step), style["cell"]), f"{row.grade} {row.score_change}".strip(),
                     Paragraph(markup(row.phone or "—"), style["cell"])])
        if row.days_late > 0:
            commands.append(("TEXTCOLOR", (2, number), (2, number), LATE))
        if row.grade in RISKY_GRADES or row.worsening:
            commands.append(("TEXTCOLOR", (4, number), (4, number), AT_RISK))
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return flowables + [table]


def _indicators(rows: list[tuple[str, str]], width: float, style) -> list:
    """The week's other figures (DSO by the simple method, delays, rates, working capital): name and value,
    the value right-aligned."""
    data = [[Paragraph(markup(label), style["cell"]), Paragraph(markup(value), style["cell_right"])]
            for label, value in rows]
    table = Table(data, colWidths=[width * 0.45, width * 0.55], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Paragraph("Indicateurs de la semaine", style["heading"]), table]


def _charts(charts: list[tuple[str, Figure]], width: float, height: float, style) -> list:
    """Each chart under its title, at the full width, sharing ``height`` (and no taller than
    ``CHART_MAX_HEIGHT``). The figure is drawn at the very size it takes on paper, so its text prints at
    its own point size; its on-screen size is put back afterwards."""
    from app.reports.charts import png_bytes

    if not charts:
        return [Paragraph("Pas encore de graphique à montrer.", style["body"])]
    title_style = style["heading"].clone("chart_title", fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
    per_chart = height / len(charts) - (title_style.leading + title_style.spaceBefore + title_style.spaceAfter)
    image_height = max(80.0, min(CHART_MAX_HEIGHT, per_chart - 4))
    flowables: list = []
    for title, figure in charts:
        size = tuple(figure.get_size_inches())
        figure.set_size_inches(width / 72, image_height / 72, forward=False)
        try:
            png = png_bytes(figure, dpi=CHART_DPI)
        finally:
            figure.set_size_inches(*size, forward=False)
        flowables += [Paragraph(markup(title), title_style),
                      Image(io.BytesIO(png), width=width, height=image_height), Spacer(1, 4)]
    return flowables
