"""Paramètres says what the proceedings' deadlines need: whether the terms of sale keep the title of the goods
(the revendication's three months) and the days the credit insurer gives to be told of proceedings."""

from datetime import date

from sqlalchemy import select

from app.models import Company, Customer
from app.services.proceeding_deadlines import proceeding_deadlines
from app.services.proceedings import ProceedingInput, record_proceeding


def test_the_retention_clause_and_the_insurer_s_days_are_set_in_the_settings(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("settings")
    screen = window.screens["settings"]
    assert not screen.form.retention_of_title.isChecked()
    assert screen.thresholds.boxes["insolvency_days"].value() == 15
    screen.form.retention_of_title.setChecked(True)
    screen.thresholds.boxes["insolvency_days"].setValue(30)
    screen.save()
    assert screen.saved.text() == "Enregistré."
    with ledger.transaction() as s:
        company = s.scalar(select(Company))
        assert (company.retention_of_title, company.insurer_insolvency_days) == (True, 30)
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
        record_proceeding(s, martin, ProceedingInput("redressement", date(2026, 10, 5), date(2026, 10, 16)),
                          date(2026, 11, 23))
    with ledger.sessions() as s:
        (found,) = proceeding_deadlines(s, date(2026, 11, 23))
    assert [(d.what, d.on) for d in found.deadlines] == [
        ("déclaration de créance", date(2026, 12, 16)),
        ("revendication des marchandises (clause de réserve de propriété)", date(2027, 1, 16))]
