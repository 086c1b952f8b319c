from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.importers import fec
from app.models import Company
from app.services.cockpit import cockpit
from app.services.imports import import_file
from app.services.ledger_history import ledger_history
from app.services.working_capital import TypedFigures, save_typed_figures, working_capital_lines
from tests.conftest import TODAY

QUADRA = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "fec" / \
    "ekylibre_quadra_123456789FEC20190731.txt"


def test_typed_figures_give_todays_working_capital(ledger):
    with ledger.transaction() as s:
        assert save_typed_figures(s, TypedFigures(D("1000"), D("500"), D("6000"))) == {}
    with ledger.sessions() as s:
        [line] = working_capital_lines(s, ledger_history(s), TODAY)
    assert line.source == "saisie" and line.label == "chiffres saisis"
    # BFR = stock 1 000 + receivables 3 430 - payables 500 = 3 930; sales HT = 3 850 TTC / 1.2
    assert line.figures.bfr == D("3930.00")
    assert line.figures.bfr_days == D("447.1")  # 3 930 / (3 850 / 1.2) × 365 = 447.10
    assert line.figures.dso == D("325.2")       # 3 430 / 3 850 × 365
    assert line.figures.dpo == D("25.3")        # 500 / (6 000 × 1.2) × 365 = 25.35
    assert line.figures.dio == D("60.8")        # 1 000 / 6 000 × 365 = 60.83


def test_negative_typed_figures_are_refused(ledger):
    with ledger.transaction() as s:
        assert "stock" in save_typed_figures(s, TypedFigures(D("-1"), None, None))
    with ledger.sessions() as s:
        assert working_capital_lines(s, ledger_history(s), TODAY) == []


@pytest.mark.skipif(not QUADRA.is_file(), reason="fixtures absent")
def test_a_fec_gives_the_working_capital_of_its_year(db):
    with db.transaction() as s:
        s.add(Company(name="Cabinet test"))
    balances = fec.read(QUADRA).balances[0]
    with db.transaction() as s:
        import_file(s, QUADRA, today=balances.end, kind="fec")
    with db.sessions() as s:
        figures = cockpit(s, balances.end)
    [line] = figures.working_capital
    assert (line.source, line.end) == ("fec", balances.end)
    receivables = D("283113.83")  # the file's 411 balance at its end (test_import_files)
    assert line.figures.bfr == balances.stocks + receivables - balances.suppliers
    year = (balances.end - balances.start).days + 1
    assert line.figures.dso == (receivables / (balances.sales * D("1.2")) * year).quantize(D("0.1"), ROUND_HALF_UP)
    assert figures.as_kpi_json()["working_capital"][0]["end"] == balances.end.isoformat()
