"""The charts of the dashboard and of the weekly report, as matplotlib figures built without Qt.

Each function returns a ``matplotlib.figure.Figure`` made directly (never pyplot, never a Qt backend): the
dashboard wraps it in a ``FigureCanvasQTAgg``, the weekly PDF takes it as PNG bytes (``png_bytes``). The
layout is "constrained", so a figure stays readable when the window resizes it, from about 420×260 px up.

Amounts arrive as ``Decimal`` and are turned into floats only to be drawn. Colour only signals: greys and
blue-greys for normal series, a muted red for what is late, amber for what is uncertain or at risk. A chart
with nothing to show says so ("Pas encore de données") instead of drawing empty axes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, Locator, MaxNLocator

from app.domain.aging import BUCKET_LABELS, BUCKETS, Buckets
from app.domain.money import format_eur
from app.domain.scoring import GRADES, RISKY_GRADES, grade_of

# The palette, the same as the screens (app/ui/format.py) and the PDFs (app/reports/pdf.py).
INK = "#22272e"          # text, the balance line
MUTED = "#6b7280"        # tick labels, secondary text
AXIS = "#b6bcc4"         # axis lines
GRID = "#e6e8eb"         # grid lines
NEUTRAL = "#5b6b7b"      # a normal series (blue-grey)
NEUTRAL_DARK = "#4a5663"
NEUTRAL_LIGHT = "#b4bcc5"
LATE = "#b03a2e"         # muted red: late
AT_RISK = "#b9770e"      # amber: at risk, uncertain

BUCKET_COLOURS = {      # not due in neutral grey, then darker and redder with age
    "not_due": "#c5cbd2",
    "1_30": "#dfb9b3",
    "31_60": "#cf8f86",
    "61_90": "#bf6459",
    "over_90": LATE,
}
SURE, PROBABLE, UNCERTAIN = NEUTRAL_DARK, NEUTRAL_LIGHT, AT_RISK
OUTFLOW_FACE, OUTFLOW_EDGE = "#eceef1", "#8d96a0"

NO_DATA = "Pas encore de données"
NAME_WIDTH = 24
FONT_SIZE = 8.0
SMALL_SIZE = 7.5
FIGSIZE = (6.0, 3.6)  # inches; the canvas on screen and the PDF both resize it

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


# --- text --------------------------------------------------------------------------------------------------

def format_eur_short(value: Decimal | float | int) -> str:
    """An amount as an axis reads it: "0 €", "850 €", "2,5 k€", "120 k€", "1,2 M€" (for ticks and labels
    beside bars, never for an amount the owner acts on: that is ``format_eur``)."""
    number = float(value)
    if not math.isfinite(number):
        return ""
    size = abs(number)
    for scale, unit in ((1e6, "M€"), (1e3, "k€"), (1.0, "€")):
        if round(size / scale, 1) >= 1 or scale == 1.0:
            break
    scaled = round(size / scale, 1)
    if unit == "k€" and scaled >= 1000:       # 999 960 € is "1 M€", not "1000 k€"
        scaled, unit = round(size / 1e6, 1), "M€"
    if scaled >= 10 or scaled == int(scaled):
        text = f"{round(scaled):d}"
    else:
        text = f"{scaled:.1f}".replace(".", ",")
    sign = "-" if number < 0 and text != "0" else ""
    return f"{sign}{text}\u00a0{unit}"


def format_days(value: Decimal | float | int) -> str:
    """A number of days: "45", "45,5" (one decimal at most, none when whole)."""
    number = round(float(value), 1)
    if number == int(number):
        return f"{int(number):d}"
    return f"{number:.1f}".replace(".", ",")


def ellipsize(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when something was cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def month_label(day: date) -> str:
    """An axis label for a month: "nov." over "2026"."""
    return f"{MONTHS[day.month - 1]}\n{day.year}"


def week_label(day: date) -> str:
    """An axis label for a week: its ISO number over its first day, "S48" over "23/11"."""
    return f"S{day.isocalendar().week:02d}\n{day:%d/%m}"


# --- figure helpers ----------------------------------------------------------------------------------------

def _figure() -> Figure:
    return Figure(figsize=FIGSIZE, dpi=100, layout="constrained", facecolor="white")


def empty_message(figure: Figure, text: str = NO_DATA) -> None:
    """Draw ``text`` in the middle of ``figure``, in grey, for a chart that has nothing to show."""
    figure.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, fontsize=10)


def _style(ax, value_axis: str = "y") -> None:
    """Quiet axes: no box, grey ticks, a light grid along the value axis, drawn behind the data."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS)
    ax.tick_params(colors=MUTED, labelsize=FONT_SIZE, length=3, width=0.8)
    ax.grid(axis=value_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.yaxis.label.set_color(MUTED)
    ax.yaxis.label.set_size(FONT_SIZE)


def _legend(figure: Figure, handles: list, labels: list[str], columns: int | None = None) -> None:
    """The legend above the plot, outside the axes (the constrained layout makes room for it), in one row
    unless ``columns`` asks for more rows (the five aging buckets do not fit one row of a narrow chart)."""
    figure.legend(
        handles, labels, loc="outside upper center", ncol=columns or len(labels), frameon=False,
        fontsize=SMALL_SIZE, handlelength=1.0, handleheight=0.9, handletextpad=0.4, columnspacing=1.0,
        labelcolor=INK,
    )


class _IndexLocator(Locator):
    """Ticks on the whole positions 0…count-1 of a category axis (months, weeks): as many as the axis's
    current width leaves room for, every 1, 2, 3… positions, always including the last (the most recent)."""

    STEPS = (1, 2, 3, 4, 6, 12, 24, 52)

    def __init__(self, count: int, label_width_pt: float) -> None:
        self.count = count
        self.label_width_pt = label_width_pt

    def __call__(self):
        axes = self.axis.axes
        width_pt = axes.bbox.width * 72 / axes.get_figure(root=True).dpi
        room = max(1, int(width_pt // self.label_width_pt))
        step = next((s for s in self.STEPS if math.ceil(self.count / s) <= room), self.count)
        return list(range(self.count - 1, -1, -step))[::-1]

    def tick_values(self, vmin, vmax):
        return self()


class _RoomyLocator(MaxNLocator):
    """Round ticks along a horizontal value axis (0, 20 k€, 40 k€…), no more than fit side by side with
    their labels (about ``label_width_pt`` each) at the axis's current width."""

    def __init__(self, label_width_pt: float) -> None:
        super().__init__(nbins=5, steps=[1, 2, 2.5, 5, 10])
        self.label_width_pt = label_width_pt

    def __call__(self):
        axes = self.axis.axes
        width_pt = axes.bbox.width * 72 / axes.get_figure(root=True).dpi
        self.set_params(nbins=max(2, min(8, int(width_pt // self.label_width_pt) - 1)))
        return super().__call__()


def _category_axis(ax, labels: list[str], label_width_pt: float) -> None:
    """Label the x positions 0…n-1 with ``labels``, thinned to what fits."""
    ax.xaxis.set_major_locator(_IndexLocator(len(labels), label_width_pt))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, pos: labels[round(x)] if 0 <= round(x) < len(labels) else "")
    )
    ax.set_xlim(-0.6, len(labels) - 0.4)


def _eur_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda x, pos: format_eur_short(x)))


def _days_axis(axis) -> None:
    """Days with a decimal comma should a tick fall between two whole days ("2,5")."""
    axis.set_major_formatter(FuncFormatter(lambda y, pos: format_days(y)))


def _label_last(ax, values: list[float], text: Callable[[float], str]) -> None:
    """The last known value of a line written above its point, in bold: the figure the eye looks for."""
    last = max(i for i, v in enumerate(values) if not math.isnan(v))
    ax.annotate(text(values[last]), (last, values[last]), xytext=(0, 6), textcoords="offset points",
                ha="center", va="bottom", fontsize=FONT_SIZE, color=INK, fontweight="bold")


def _value(amount: Decimal | int | None) -> float:
    """A Decimal as drawn: a float, NaN (a gap in a line) for None."""
    return math.nan if amount is None else float(amount)


# --- the charts --------------------------------------------------------------------------------------------

def aging_chart(rows: Sequence[tuple[str, Buckets]]) -> Figure:
    """The aging balance (balance âgée): one horizontal bar per row ("Garage Petit", "Autres", "Total"), top
    to bottom in the given order, its segments the buckets of ``BUCKETS`` from not due (grey) to over 90
    days (muted red). Negative amounts (credits, unallocated payments) are drawn as zero, but the figure
    after each bar is the row's total still due, negative items included (``Buckets.total``): the amount
    the customer list and the customer's card say, never the length of what is drawn."""
    figure = _figure()
    values = [[max(float(buckets[bucket]), 0.0) for bucket in BUCKETS] for _, buckets in rows]
    if not rows or not any(v > 0 for row in values for v in row):
        empty_message(figure)
        return figure

    ax = figure.add_subplot()
    _style(ax, value_axis="x")
    positions = list(range(len(rows)))
    lefts = [0.0] * len(rows)
    for index, bucket in enumerate(BUCKETS):
        widths = [row[index] for row in values]
        ax.barh(positions, widths, left=lefts, height=0.68, color=BUCKET_COLOURS[bucket],
                label=BUCKET_LABELS[bucket], edgecolor="white", linewidth=0.6)
        lefts = [left + width for left, width in zip(lefts, widths)]

    ax.set_xlim(0, max(lefts) * 1.05)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first row on top
    # the totals as the right-hand axis's labels: a column the layout makes room for at any width
    totals = ax.secondary_yaxis("right")
    totals.set_yticks(positions, [format_eur(buckets.total) for _, buckets in rows])
    totals.tick_params(length=0, labelsize=SMALL_SIZE, labelcolor=INK)
    totals.spines["right"].set_visible(False)
    ax.set_yticks(positions, [ellipsize(label) for label, _ in rows])
    for tick, (label, _) in zip(ax.get_yticklabels(), rows):
        tick.set_color(INK)
        if label == "Total":
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    _eur_axis(ax.xaxis)
    ax.xaxis.set_major_locator(_RoomyLocator(label_width_pt=44))
    handles = [Patch(facecolor=BUCKET_COLOURS[b], edgecolor="none") for b in BUCKETS]
    _legend(figure, handles, [BUCKET_LABELS[b] for b in BUCKETS], columns=3)
    return figure


def dso_chart(points: Sequence[tuple[date, Decimal | None]], target: Decimal | None) -> Figure:
    """The DSO (délai moyen de paiement, in days) month by month as a line, a gap where a month has no
    figure, the target as a dashed line labelled "Objectif 45 j" (in the legend above the plot), and the
    last known value written above its point."""
    figure = _figure()
    values = [_value(dso) for _, dso in points]
    known = [v for v in values if not math.isnan(v)]
    if not known:
        empty_message(figure)
        return figure

    ax = figure.add_subplot()
    _style(ax)
    positions = list(range(len(points)))
    (line,) = ax.plot(positions, values, color=NEUTRAL, linewidth=1.8, marker="o", markersize=3.2,
                      label="DSO (jours)", solid_capstyle="round")
    handles, labels = [line], ["DSO (jours)"]
    top = max(known)
    if target is not None:
        goal = float(target)
        top = max(top, goal)
        label = f"Objectif {format_days(target)} j"
        handles.append(ax.axhline(goal, color=MUTED, linestyle="--", linewidth=1.0, label=label))
        labels.append(label)
    _label_last(ax, values, lambda v: f"{format_days(v)} j")
    ax.set_ylim(0, max(top * 1.22, 1))
    ax.set_ylabel("jours")
    _days_axis(ax.yaxis)
    _category_axis(ax, [month_label(day) for day, _ in points], label_width_pt=34)
    _legend(figure, handles, labels)  # the target's label there never sits on the curve
    return figure


def forecast_chart(weeks: Sequence, doubtful: str = "") -> Figure:
    """The cash forecast week by week: what comes in as stacked bars by confidence (Sûr dark, Probable
    light, Incertain amber), what goes out (``outflows``) as light bars below zero when there is any, and
    the expected bank balance as a line on the same € axis where it is known. ``doubtful``, the « Douteux »
    line (what is in litigation or time-barred, expected in no week), is written under the plot."""
    figure = _figure()
    if not weeks:
        empty_message(figure)
        return figure

    ax = figure.add_subplot()
    _style(ax)
    positions = list(range(len(weeks)))
    bottoms = [0.0] * len(weeks)
    handles, labels = [], []
    for key, label, colour in (("sure", "Sûr", SURE), ("probable", "Probable", PROBABLE),
                               ("uncertain", "Incertain", UNCERTAIN)):
        heights = [max(float(week.by_confidence.get(key) or 0), 0.0) for week in weeks]
        handles.append(ax.bar(positions, heights, bottom=bottoms, width=0.66, color=colour, label=label,
                              edgecolor="white", linewidth=0.5))
        labels.append(label)
        bottoms = [b + h for b, h in zip(bottoms, heights)]

    outflows = [abs(float(week.outflows or 0)) for week in weeks]
    if any(outflows):
        handles.append(ax.bar(positions, [-v for v in outflows], width=0.66, color=OUTFLOW_FACE,
                              edgecolor=OUTFLOW_EDGE, linewidth=0.6, label="Décaissements"))
        labels.append("Décaissements")

    balances = [_value(week.balance) for week in weeks]
    if any(not math.isnan(b) for b in balances):
        (line,) = ax.plot(positions, balances, color=INK, linewidth=1.6, marker="o", markersize=3,
                          label="Solde prévu", zorder=3)
        below = [(p, b) for p, b in zip(positions, balances) if b < 0]
        if below:  # a balance below zero is the one thing to see on this chart
            ax.plot([p for p, _ in below], [b for _, b in below], linestyle="none", marker="o",
                    markersize=4.5, color=LATE, zorder=4)
        handles.append(line)
        labels.append("Solde prévu")

    ax.axhline(0, color=AXIS, linewidth=0.9)
    ax.margins(y=0.08)
    _eur_axis(ax.yaxis)
    _category_axis(ax, [week_label(week.week_start) for week in weeks], label_width_pt=30)
    _legend(figure, handles, labels)
    if doubtful:
        figure.supxlabel(doubtful, fontsize=SMALL_SIZE, color=LATE)  # constrained layout makes room for it
    return figure


def delay_chart(points: Sequence[tuple[date, Decimal | None]]) -> Figure:
    """A customer's average payment delay (days after the due date) month by month: bars, in muted red
    when paid late, neutral when paid on time or early; nothing where a month has no payment."""
    figure = _figure()
    known = [(i, float(delay)) for i, (_, delay) in enumerate(points) if delay is not None]
    if not known:
        empty_message(figure)
        return figure

    ax = figure.add_subplot()
    _style(ax)
    ax.bar([i for i, _ in known], [d for _, d in known], width=0.66,
           color=[LATE if d > 0 else NEUTRAL_LIGHT for _, d in known], label="Retard moyen")
    ax.axhline(0, color=MUTED, linewidth=0.9)
    low = min(0.0, min(d for _, d in known))
    high = max(0.0, max(d for _, d in known))
    span = max(high - low, 1.0)
    ax.set_ylim(low - span * 0.08 if low < 0 else 0, high + span * 0.12)
    ax.set_ylabel("jours de retard")
    _days_axis(ax.yaxis)
    _category_axis(ax, [month_label(day) for day, _ in points], label_width_pt=34)
    return figure


def score_chart(points: Sequence[tuple[date, int | None]]) -> Figure:
    """A customer's risk score (0–100) month by month as a line, a gap where it was not yet a customer; the
    class bands (A below 20 … E from 80) as faint lines with their letter at the right, the points of the
    riskier classes (D, E) in amber, the last score written above its point."""
    figure = _figure()
    values = [_value(value) for _, value in points]
    if all(math.isnan(v) for v in values):
        empty_message(figure)
        return figure

    ax = figure.add_subplot()
    _style(ax)
    ax.grid(False)
    for bound in (20, 40, 60, 80):
        ax.axhline(bound, color=GRID, linewidth=0.8, zorder=0)
    for index, letter in enumerate(GRADES):
        ax.text(1.01, (index * 20 + 10) / 100, letter, transform=ax.transAxes, ha="left", va="center",
                fontsize=SMALL_SIZE, color=MUTED)
    positions = list(range(len(points)))
    ax.plot(positions, values, color=NEUTRAL, linewidth=1.8, solid_capstyle="round", zorder=2)
    ax.scatter(positions, values, s=14, zorder=3,
               color=[AT_RISK if not math.isnan(v) and grade_of(round(v)) in RISKY_GRADES else NEUTRAL
                      for v in values])
    _label_last(ax, values, lambda v: f"{v:.0f}")
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("points de risque")
    _category_axis(ax, [month_label(day) for day, _ in points], label_width_pt=34)
    return figure


def png_bytes(figure: Figure, dpi: int = 150) -> bytes:
    """The figure as a PNG in memory, on a white background (Agg renders it, whatever canvas shows it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
