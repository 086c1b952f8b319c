import json

from app.__main__ import main
from tests.cli.test_cli import location


def test_kpi_json(ledger, capsys):
    assert main(["--db", location(ledger), "kpi", "--at", "2026-11-23", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["at"] == "2026-11-23"
    # the arithmetic is in tests/services/test_cockpit.py: countback 23 + 31 + 29.7 days, 3 430 / 3 850 × 365
    assert out["dso_countback"] == 83.7 and out["dso_simple"] == 325.2
    assert out["overdue_rate"] == "0.7085" and out["top5_share"] == "1.0000"
    assert out["doubtful_rate"] == "0.0000"
    assert out["average_delay_days"] == 1.0  # F0 due 01/07, paid 02/07
    assert {alert["kind"] for alert in out["alerts"]} == {"dso", "concentration", "limit"}
    assert set(out) >= {"at", "dso_countback", "dso_simple", "overdue_rate", "doubtful_rate", "cei", "top5_share",
                        "average_delay_days", "alerts"}


def test_kpi_text_in_french(ledger, capsys):
    assert main(["--db", location(ledger), "kpi", "--at", "23/11/2026"]) == 0
    out = capsys.readouterr().out
    assert "Indicateurs au 23/11/2026 — Atelier Test SARL" in out
    assert "DSO : 83,7 j" in out
    assert "Garage Petit dépasse sa limite de crédit de 50,00\u00a0€" in out


def test_forecast_json_has_13_weeks(ledger, capsys):
    assert main(["--db", location(ledger), "forecast", "--at", "2026-11-23", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    weeks = out["weeks"]
    assert len(weeks) == 13 and out["doubtful"] == "0.00"  # nothing in litigation, proceedings or time-barred
    assert weeks[0]["week_start"] == "2026-11-23" and weeks[0]["expected"] == "2430.00"  # credits deducted (see test_cockpit)
    assert weeks[1]["week_start"] == "2026-11-30" and weeks[1]["expected"] == "1000.00"
    assert set(weeks[0]["by_confidence"]) == {"sure", "probable", "uncertain"}
    assert weeks[0]["balance"] is None


def test_weekly_report_pdf(ledger, capsys, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "hebdo.pdf"
    assert main(["--db", location(ledger), "report", "weekly", "--at", "2026-11-23", "--out", str(out)]) == 0
    pages = PdfReader(out).pages
    assert len(pages) == 2
    first = pages[0].extract_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert "Atelier Test SARL" in first and "3 430,00 €" in first
    assert "Boulangerie Martin" in first and "1 880,00 €" in first
    second = pages[1].extract_text()
    assert "Indicateurs de la semaine" in second and "325,2 j" in second  # the simple DSO of the ledger
