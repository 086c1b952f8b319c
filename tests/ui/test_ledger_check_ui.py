"""The import wizard's summary lists the customers a FEC and Encours disagree on (issue 17): at most 20, then
the count of the others."""

from datetime import date
from decimal import Decimal as D

from app.services.import_summary import ImportSummary
from app.services.ledger_check import LedgerDisagreement
from tests.services.test_ledger_check import fec_text


def test_the_summary_lists_the_disagreements_then_counts_the_rest(db, make_window, tmp_path):
    path = tmp_path / "FEC20251231.txt"
    path.write_text(fec_text(), encoding="utf-8")
    window = make_window(db)
    window.show_screen("imports")
    screen = window.screens["imports"]
    screen.open_wizard(path)
    summary = ImportSummary(file=path.name, kind="fec", batch_id=1)
    summary.ledger_check = [LedgerDisagreement(i, D("1200.00"), D("950.00"), date(2025, 12, 31), f"Client {i:02}",
                                               f"C{i:03}") for i in range(23)]
    screen.wizard.show_summary(summary)
    text = screen.wizard.summary_text.text().replace("\u202f", " ").replace("\u00a0", " ")
    assert "écart FEC / Encours au 31/12/2025 : Client 00 (C000) : FEC 1 200,00 €, Encours 950,00 €" in text
    assert "Client 19 (C019)" in text and "Client 20" not in text
    assert "… et 3 autre(s)" in text
