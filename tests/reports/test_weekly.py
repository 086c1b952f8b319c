"""The weekly report prints on two pages what it was given, names with any characters and French amounts
included, with the company and "page N / M" on every page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from app.domain.aging import BUCKETS, Buckets
from app.domain.money import format_eur
from app.reports.charts import aging_chart, dso_chart
from app.reports.weekly import CallRow, Headline, week_start, weekly_report

COMPANY = "Dupont & Fils <SARL>"
AT = date(2026, 11, 26)  # a Thursday: the week is the one of Monday 23/11/2026
NNBSP, NBSP = "\u202f", "\u00a0"


def plain(text: str) -> str:
    """Text with both kinds of no-break space read as ordinary spaces, and line breaks as spaces (a
    paragraph may wrap anywhere but inside an amount)."""
    return " ".join(text.split())  # str.split() splits on U+202F and U+00A0 too


HEADLINES = [
    Headline("Encours", format_eur(Decimal("412380")), f"+{format_eur(Decimal('3210'))} depuis la semaine dernière"),
    Headline("dont échu", format_eur(Decimal("96210")), "23 % de l'encours"),
    Headline("DSO", "52\u00a0j", "+3 j"),
    Headline("Trésorerie S+13", format_eur(Decimal("48900")), "solde prévu"),
]
ALERTS = ["Boulangerie Martin dépasse sa limite de " + format_eur(Decimal("2300")),
          "Garage Petit : retard moyen +12 j"]
CALLS = [
    CallRow("Garage Petit", Decimal("8420"), 47, "2e relance", "D", "+14", True, "01 23 45 67 89"),
    CallRow("Martin & Fils <Boulangerie>", Decimal("1234.56"), 12, "Mise en demeure", "C", "\u22123", False,
            "+33 6 12 34 56 78"),
]


def charts():
    return [
        ("Balance âgée", aging_chart([("Total", Buckets({**dict.fromkeys(BUCKETS, Decimal(0)),
                                                          "not_due": Decimal("100"), "over_90": Decimal("50")}))])),
        ("DSO sur 24 mois", dso_chart([(date(2026, 10, 1), Decimal("50")), (date(2026, 11, 1), Decimal("52"))],
                                      Decimal("45"))),
    ]


def make(tmp_path, **changes):
    arguments = dict(company=COMPANY, at=AT, headlines=HEADLINES, alerts=ALERTS, to_call=CALLS, charts=charts())
    arguments.update(changes)
    path = tmp_path / "hebdo.pdf"
    weekly_report(path, **arguments)
    return PdfReader(path)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def report(tmp_path):
    return make(tmp_path)


def test_two_pages_each_with_company_week_and_page_number(report):
    pages = page_texts(report)
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert COMPANY in text
        assert "23/11/2026" in text
        assert f"page {number} / 2" in text


def test_first_page_has_title_week_and_headline_figures(report):
    first = plain(page_texts(report)[0])
    assert f"Rapport hebdomadaire — {COMPANY}" in first
    assert "Semaine du 23/11/2026" in first
    for headline in HEADLINES:
        assert headline.label in first
        assert plain(headline.value) in first
        assert plain(headline.change) in first


def test_first_page_lists_the_alerts(report):
    first = plain(page_texts(report)[0])
    assert "Alertes (2)" in first
    for alert in ALERTS:
        assert plain(alert) in first
    assert "Aucune alerte" not in first


def test_customers_to_call_one_row_each_with_french_amount(report):
    lines = [plain(line) for line in page_texts(report)[0].splitlines()]  # one line per cell
    start = lines.index("Martin & Fils")  # a long name wraps in its column
    assert lines[start:start + 7] == ["Martin & Fils", "<Boulangerie>", "1 234,56 €", "12 j", "Mise en demeure",
                                      "C \u22123", "+33 6 12 34 56 78"]
    garage = lines.index("Garage Petit")
    assert lines[garage + 1:garage + 5] == ["8 420,00 €", "47 j", "2e relance", "D +14"]


def test_amounts_in_the_table_keep_their_narrow_no_break_space(report):
    """The embedded font has the glyph, so the character itself is in the file, not a plain space."""
    assert f"1{NNBSP}234,56" in page_texts(report)[0]
    assert f"412{NNBSP}380,00" in page_texts(report)[0]


def test_every_text_is_drawn_in_embedded_dejavu_sans(report):
    used = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            used[str(font["/BaseFont"])] = font

    for page in report.pages:
        page.extract_text(visitor_text=visit)
    assert {name.split("+")[-1] for name in used} == {"DejaVuSans", "DejaVuSans-Bold"}
    for font in used.values():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not merely named


def test_second_page_holds_the_charts_under_their_titles(report):
    second = page_texts(report)[1]
    assert "Balance âgée" in second
    assert "DSO sur 24 mois" in second
    assert len(report.pages[1].images) == 2
    assert len(report.pages[0].images) == 0


def test_no_alert_says_so(tmp_path):
    first = page_texts(make(tmp_path, alerts=[]))[0]
    assert "Aucune alerte" in first
    assert "Alertes (" not in first


def test_nobody_to_call_says_so(tmp_path):
    first = page_texts(make(tmp_path, to_call=[]))[0]
    assert "Personne à appeler cette semaine." in first


def test_long_lists_still_fit_on_two_pages(tmp_path):
    alerts = [f"Alerte numéro {i} : un client dépasse sa limite de {format_eur(Decimal(1000 + i))}"
              for i in range(30)]
    calls = [CallRow(f"Client {i:02d} " + "très long nom " * 6, Decimal("999999.99"), i, "Dossier contentieux", "E",
                     "+20", True, "01 02 03 04 05")
             for i in range(14)]
    many = [(f"Graphique {i}", aging_chart([])) for i in range(5)]
    reader = make(tmp_path, alerts=alerts, to_call=calls, charts=many,
                  company="Société Coopérative & Ouvrière de Production des Menuisiers de la Vallée <SCOP>")
    pages = page_texts(reader)
    assert len(pages) == 2
    assert "… et 18 autres alertes" in pages[0]
    assert "Alerte numéro 11 :" in pages[0] and "Alerte numéro 12 :" not in pages[0]  # the first twelve
    assert "Client 09" in pages[0] and "Client 10" not in pages[0]  # the ten to call, not more
    assert "page 2 / 2" in pages[1]
    assert "Graphique 4" in pages[1]


def test_the_charts_get_back_their_screen_size(tmp_path):
    figures = charts()
    for _, figure in figures:
        figure.set_size_inches(4.2, 2.6)
    make(tmp_path, charts=figures)
    assert [tuple(figure.get_size_inches()) for _, figure in figures] == [(4.2, 2.6), (4.2, 2.6)]


def test_no_headline_no_chart_still_prints(tmp_path):
    pages = page_texts(make(tmp_path, headlines=[], charts=[]))
    assert len(pages) == 2
    assert "Pas encore de graphique" in pages[1]


def test_week_starts_on_monday():
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)
