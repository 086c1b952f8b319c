"""The charts hold the data they were given, in the colours that signal, and say so when there is none."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from pathlib import Path
from decimal import Decimal
from types import SimpleNamespace

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from app.domain.aging import BUCKET_LABELS, BUCKETS, Buckets
from app.domain.money import format_eur
from app.reports import charts
from app.reports.charts import (
    NO_DATA,
    aging_chart,
    delay_chart,
    dso_chart,
    ellipsize,
    empty_message,
    forecast_chart,
    format_eur_short,
    png_bytes,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def amounts(*values: str) -> Buckets:
    return Buckets({bucket: Decimal(value) for bucket, value in zip(BUCKETS, values)})


def months(count: int, first: date = date(2024, 12, 1)) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def week(start: date, sure: str, probable: str, uncertain: str, outflows: str, balance: str | None):
    return SimpleNamespace(
        week_start=start,
        by_confidence={"sure": Decimal(sure), "probable": Decimal(probable), "uncertain": Decimal(uncertain)},
        outflows=Decimal(outflows),
        balance=None if balance is None else Decimal(balance),
    )


def texts(figure: Figure) -> list[str]:
    return [text.get_text() for text in figure.texts]


def row_totals(ax) -> list[str]:
    """The figures beside the aging's bars, top down: the labels of its right-hand axis."""
    (totals,) = ax.child_axes
    return [label.get_text() for label in totals.get_yticklabels()]


def legend_texts(figure: Figure) -> list[str]:
    assert len(figure.legends) == 1
    return [text.get_text() for text in figure.legends[0].get_texts()]


def tick_labels(ax) -> list[str]:
    """The x labels as drawn at the figure's current size."""
    formatter = ax.xaxis.get_major_formatter()
    return [formatter(position) for position in ax.xaxis.get_major_locator()()]


def same(values, expected) -> bool:
    return len(values) == len(expected) and all(
        (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b) for a, b in zip(values, expected)
    )


# --- the aging balance -------------------------------------------------------------------------------------

ROWS = [
    ("Garage Petit", amounts("3200", "2100", "4200.50", "0", "8420")),
    ("Boulangerie Martin & Fils — Établissements réunis", amounts("12500", "1300", "0", "900", "0")),
    ("Électricité Dubois", amounts("22000", "-500", "0", "0", "0")),
    ("Total", amounts("37700", "2900", "4200.50", "900", "8420")),
]


def test_aging_segments_are_the_bucket_amounts_stacked_left_to_right():
    figure = aging_chart(ROWS)
    (ax,) = figure.axes
    assert len(ax.containers) == len(BUCKETS)
    lefts = [0.0] * len(ROWS)
    for index, (bucket, container) in enumerate(zip(BUCKETS, ax.containers)):
        expected = [max(float(row[bucket]), 0.0) for _, row in ROWS]
        assert [bar.get_width() for bar in container] == pytest.approx(expected), bucket
        assert [bar.get_x() for bar in container] == pytest.approx(lefts), bucket
        lefts = [left + width for left, width in zip(lefts, expected)]
    assert ax.containers[1][2].get_width() == 0  # a negative amount is drawn as nothing


def test_aging_legend_is_the_french_bucket_labels_in_order_and_colours_go_from_grey_to_red():
    figure = aging_chart(ROWS)
    assert legend_texts(figure) == [BUCKET_LABELS[bucket] for bucket in BUCKETS]
    (ax,) = figure.axes
    colours = [to_hex(container[0].get_facecolor()) for container in ax.containers]
    assert colours[0] == charts.BUCKET_COLOURS["not_due"]
    assert colours[-1] == charts.LATE
    assert len(set(colours)) == len(BUCKETS)


def test_aging_rows_read_top_down_with_long_names_cut():
    figure = aging_chart(ROWS)
    (ax,) = figure.axes
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels == ["Garage Petit", "Boulangerie Martin & Fi…", "Électricité Dubois", "Total"]
    bottom, top = ax.get_ylim()
    assert bottom > top  # the first row is at the top


def test_aging_writes_each_row_total_still_due_beside_its_bar_negative_items_included():
    figure = aging_chart(ROWS)
    (ax,) = figure.axes
    # Électricité Dubois: 22 000 not due drawn, its -500 credit drawn as nothing but deducted from its figure
    assert row_totals(ax) == [
        "17\u202f920,50\u00a0€", "14\u202f700,00\u00a0€", "21\u202f500,00\u00a0€", "54\u202f120,50\u00a0€"]


def test_aging_label_of_a_customer_owed_money_back_says_so():
    """Unallocated cash above the invoices: the bar draws the invoices, its figure the negative total."""
    figure = aging_chart([("Masson Habitat", amounts("1000", "0", "0", "0", "-1500"))])
    (ax,) = figure.axes
    assert row_totals(ax) == [format_eur(Decimal("-500"))]


@pytest.mark.parametrize("rows", [[], [("Garage Petit", amounts("0", "0", "0", "0", "0"))],
                                  [("Avoir seul", amounts("-120", "0", "0", "0", "0"))]])
def test_aging_with_nothing_to_show_says_so(rows):
    figure = aging_chart(rows)
    assert figure.axes == []
    assert texts(figure) == [NO_DATA]


# --- DSO ---------------------------------------------------------------------------------------------------

def dso_points():
    values = [Decimal(40 + i % 7) for i in range(24)]
    values[3] = values[4] = None
    return list(zip(months(24), values))


def test_dso_line_holds_the_months_with_gaps_for_missing_ones():
    points = dso_points()
    figure = dso_chart(points, Decimal("45"))
    (ax,) = figure.axes
    line = ax.lines[0]
    assert same(list(line.get_ydata()), [math.nan if v is None else float(v) for _, v in points])
    assert list(line.get_xdata()) == list(range(24))
    assert ax.get_ylabel() == "jours"


def test_dso_target_is_a_dashed_line_labelled_objectif():
    figure = dso_chart(dso_points(), Decimal("45"))
    (ax,) = figure.axes
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    assert list(dashed[0].get_ydata()) == [45.0, 45.0]
    assert "Objectif 45 j" in legend_texts(figure)


def test_dso_target_with_decimals_reads_french_and_no_target_draws_no_line():
    assert "Objectif 45,5 j" in legend_texts(dso_chart(dso_points(), Decimal("45.5")))
    figure = dso_chart(dso_points(), None)
    (ax,) = figure.axes
    assert [line for line in ax.lines if line.get_linestyle() == "--"] == []
    assert not any(text.startswith("Objectif") for text in legend_texts(figure))


def test_dso_writes_the_last_known_value():
    points = dso_points()
    points[-1] = (points[-1][0], None)
    figure = dso_chart(points, Decimal("45"))
    (ax,) = figure.axes
    assert [text.get_text() for text in ax.texts] == [f"{points[-2][1]} j"]


def test_dso_month_labels_fit_the_width_and_keep_the_latest_month():
    figure = dso_chart(dso_points(), Decimal("45"))
    (ax,) = figure.axes
    figure.set_size_inches(4.2, 2.6)
    png_bytes(figure, dpi=100)
    small = tick_labels(ax)
    figure.set_size_inches(12, 4)
    png_bytes(figure, dpi=100)
    large = tick_labels(ax)
    assert small[-1] == large[-1] == "nov.\n2026"
    assert 3 <= len(small) < len(large) <= 24


@pytest.mark.parametrize("points", [[], [(date(2026, 1, 1), None), (date(2026, 2, 1), None)]])
def test_dso_with_nothing_to_show_says_so(points):
    figure = dso_chart(points, Decimal("45"))
    assert figure.axes == []
    assert texts(figure) == [NO_DATA]


# --- forecast ----------------------------------------------------------------------------------------------

WEEKS = [
    week(date(2026, 11, 23), "9000", "4000", "2500", "14000", "48900"),
    week(date(2026, 11, 30), "8600", "4200.50", "0", "17000", None),
    week(date(2026, 12, 7), "8200", "4400", "1250", "20000", "-1200"),
]


def test_forecast_stacks_sure_probable_uncertain_per_week():
    figure = forecast_chart(WEEKS)
    (ax,) = figure.axes
    sure, probable, uncertain = ax.containers[:3]
    assert [bar.get_height() for bar in sure] == [9000.0, 8600.0, 8200.0]
    assert [bar.get_height() for bar in probable] == [4000.0, 4200.5, 4400.0]
    assert [bar.get_y() for bar in probable] == [9000.0, 8600.0, 8200.0]
    assert [bar.get_height() for bar in uncertain] == [2500.0, 0.0, 1250.0]
    assert [bar.get_y() for bar in uncertain] == [13000.0, 12800.5, 12600.0]
    assert to_hex(uncertain[0].get_facecolor()) == charts.AT_RISK
    assert to_hex(sure[0].get_facecolor()) != to_hex(probable[0].get_facecolor())


def test_forecast_outflows_go_below_zero_and_the_balance_is_a_line_with_gaps():
    figure = forecast_chart(WEEKS)
    (ax,) = figure.axes
    outflows = ax.containers[3]
    assert [bar.get_height() for bar in outflows] == [-14000.0, -17000.0, -20000.0]
    balance = ax.lines[0]
    assert same(list(balance.get_ydata()), [48900.0, math.nan, -1200.0])
    negative = ax.lines[1]  # a balance below zero is marked in red
    assert list(negative.get_ydata()) == [-1200.0]
    assert to_hex(negative.get_color()) == charts.LATE
    assert legend_texts(figure) == ["Sûr", "Probable", "Incertain", "Décaissements", "Solde prévu"]


def test_forecast_without_balance_or_outflows_draws_neither():
    weeks = [week(w.week_start, "100", "0", "0", "0", None) for w in WEEKS]
    figure = forecast_chart(weeks)
    (ax,) = figure.axes
    assert len(ax.containers) == 3
    assert ax.lines == [] or all(list(line.get_ydata()) == [0, 0] for line in ax.lines)
    assert legend_texts(figure) == ["Sûr", "Probable", "Incertain"]


def test_forecast_weeks_are_labelled_with_number_and_monday():
    figure = forecast_chart(WEEKS)
    (ax,) = figure.axes
    png_bytes(figure, dpi=100)
    assert tick_labels(ax) == ["S48\n23/11", "S49\n30/11", "S50\n07/12"]


def test_forecast_with_no_week_says_so():
    figure = forecast_chart([])
    assert figure.axes == []
    assert texts(figure) == [NO_DATA]


# --- a customer's payment delay ----------------------------------------------------------------------------

def test_delay_bars_are_the_known_months_red_when_late():
    points = list(zip(months(4, date(2026, 8, 1)), [Decimal("12.5"), None, Decimal("-3"), Decimal("0")]))
    figure = delay_chart(points)
    (ax,) = figure.axes
    (bars,) = ax.containers
    assert [bar.get_height() for bar in bars] == [12.5, -3.0, 0.0]
    assert [bar.get_x() + bar.get_width() / 2 for bar in bars] == pytest.approx([0, 2, 3])
    assert [to_hex(bar.get_facecolor()) for bar in bars] == [charts.LATE, charts.NEUTRAL_LIGHT,
                                                             charts.NEUTRAL_LIGHT]
    zero = [line for line in ax.lines if list(line.get_ydata()) == [0, 0]]
    assert len(zero) == 1
    assert ax.get_ylim()[0] < -3  # the early month is in view


def test_day_ticks_use_a_decimal_comma():
    points = list(zip(months(3, date(2026, 9, 1)), [Decimal("1.5"), Decimal("2"), Decimal("0.5")]))
    for figure in (delay_chart(points), dso_chart(points, None)):
        (ax,) = figure.axes
        png_bytes(figure, dpi=50)
        formatter = ax.yaxis.get_major_formatter()
        labels = [formatter(y) for y in ax.yaxis.get_major_locator()()]
        assert any("," in label for label in labels), labels
        assert not any("." in label for label in labels), labels


@pytest.mark.parametrize("points", [[], [(date(2026, 1, 1), None)]])
def test_delay_with_nothing_to_show_says_so(points):
    figure = delay_chart(points)
    assert figure.axes == []
    assert texts(figure) == [NO_DATA]


def test_forecast_writes_its_doubtful_line_under_the_weeks():
    line = "Douteux (litige, prescrit), attendu dans aucune semaine : 710,00\u00a0€"
    figure = forecast_chart(WEEKS, line)
    assert figure.get_supxlabel() == line
    assert forecast_chart(WEEKS).get_supxlabel() == ""


# --- helpers -----------------------------------------------------------------------------------------------

def test_png_bytes_is_a_png_of_the_requested_resolution():
    figure = aging_chart(ROWS)
    figure.set_size_inches(4, 2)
    data = png_bytes(figure, dpi=50)
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (200, 100)


def test_empty_message_writes_the_text_in_the_middle():
    figure = Figure()
    empty_message(figure, "Rien à montrer")
    (text,) = figure.texts
    assert text.get_text() == "Rien à montrer"
    assert text.get_position() == (0.5, 0.5)
    assert (text.get_ha(), text.get_va()) == ("center", "center")


@pytest.mark.parametrize("value, expected", [
    (0, "0 €"), (850, "850 €"), (Decimal("2500"), "2,5 k€"), (20000.0, "20 k€"), (120000, "120 k€"),
    (-40000, "-40 k€"), (1_250_000, "1,2 M€"), (999_960, "1 M€"), (Decimal("12.4"), "12 €"), (7.5, "7,5 €"),
])
def test_short_amounts_for_axes(value, expected):
    assert format_eur_short(value) == expected.replace(" ", "\u00a0")


def test_ellipsize_cuts_long_names_only():
    assert ellipsize("Garage Petit") == "Garage Petit"
    cut = ellipsize("Boulangerie Martin & Fils — Établissements réunis")
    assert len(cut) == 24 and cut.endswith("…")


def test_charts_need_neither_pyplot_nor_qt_and_the_report_module_loads_matplotlib_only_when_drawing():
    code = """
import sys
from decimal import Decimal
import app.reports.weekly
assert "matplotlib" not in sys.modules, "weekly imports matplotlib at load"
from app.reports.charts import aging_chart, png_bytes
from app.domain.aging import Buckets
png_bytes(aging_chart([("A", Buckets())]))
bad = [m for m in sys.modules if m.startswith(("matplotlib.pyplot", "PySide6", "matplotlib.backends.backend_qt",
                                              "sqlalchemy", "app.services", "app.models", "app.ui"))]
assert not bad, bad
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
