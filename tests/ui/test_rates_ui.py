"""Paramètres › Taux d'intérêt: the missing half-year is offered first; entering it fills the table and the
penalties can then be computed."""

from datetime import date

from app.services.penalties import invoice_penalties
from app.services.rates import rate_rows


def test_the_missing_half_year_is_offered_and_once_entered_the_penalties_compute(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("settings")
    settings = window.screens["settings"]
    rates = settings.rates
    assert rates.half_year.currentText() == "2e semestre 2026 — manquant"  # the tests' day is 23/11/2026
    offered = [rates.half_year.itemText(i) for i in range(rates.half_year.count())]
    assert offered[0] == "1er semestre 2027 — manquant"  # the next one, and back five years (L110-4)
    assert offered[-1] == "2e semestre 2021 — manquant" and "2e semestre 2024" in offered
    assert rates.table.model().rowCount() == 4  # the shipped half-years
    assert [rates.table.model().index(row, 2).data() for row in range(4)] == [
        "14,25 %", "13,15 %", "12,15 %", "12,15 %"]  # ECB + 10 points
    rates.fields["ecb"].setText("deux")
    settings.save()
    assert settings.saved.text() == ""
    assert rates.messages.labels["ecb"].text() == "« deux » n'est pas un taux en pourcentage (par exemple 2,15)."
    for name, text in (("ecb", "2,15"), ("legal_other", "3,00"), ("legal_private", "7,00")):
        rates.fields[name].setText(text)
    rates.source.setText("communiqué BCE, arrêté du Journal officiel")
    settings.save()
    assert settings.saved.text() == "Enregistré."
    assert rates.table.model().rowCount() == 5 and rates.half_year.currentText() == "2e semestre 2026"
    with ledger.sessions() as s:
        assert rate_rows(s)[-1].rates.source == "communiqué BCE, arrêté du Journal officiel"
        assert str(invoice_penalties(s, "F3", date(2026, 11, 23)).penalties.interest) == "11.08"
