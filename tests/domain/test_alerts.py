from datetime import date
from decimal import Decimal as D

from app.domain.alerts import (CustomerFigures, DueInvoice, Thresholds, alerts, customer_alerts, invoice_alerts,
                               ledger_alerts, prescription_date)

AT = date(2026, 11, 23)
LIMITS = Thresholds()


def test_prescription_five_years_between_merchants_two_on_a_consumer():
    assert prescription_date(date(2021, 12, 31), consumer=False) == date(2026, 12, 31)
    assert prescription_date(date(2024, 12, 31), consumer=True) == date(2026, 12, 31)
    assert prescription_date(date(2024, 2, 29), consumer=False) == date(2029, 2, 28)


def test_an_invoice_nearing_prescription():
    # due 31/12/2021 -> time-barred 31/12/2026, 38 days after 23/11/2026: within the 90-day warning
    near = DueInvoice(1, "Garage Petit", "F12", date(2021, 12, 31), D("800.00"))
    found = invoice_alerts(near, AT, LIMITS)
    assert [a.kind for a in found] == ["prescription"]
    assert found[0].text == "Facture F12 de Garage Petit (800,00\u00a0€) sera prescrite le 31/12/2026."
    # due 31/03/2022 -> 31/03/2027, 128 days away: not yet
    assert invoice_alerts(near._replace(due=date(2022, 3, 31)), AT, LIMITS) == []


def test_an_insured_invoice_nearing_the_declaration_deadline():
    # due 01/07/2026 + 150 days = 28/11/2026, 5 days away (warned 15 days before)
    invoice = DueInvoice(1, "Garage Petit", "F13", date(2026, 7, 1), D("1200.00"), insured=True)
    found = invoice_alerts(invoice, AT, LIMITS)
    assert [a.kind for a in found] == ["declaration"]
    assert "avant le 28/11/2026" in found[0].text
    assert invoice_alerts(invoice._replace(insured=False), AT, LIMITS) == []
    # due 20/07/2026 -> 17/12/2026, 24 days away: not yet
    assert invoice_alerts(invoice._replace(due=date(2026, 7, 20)), AT, LIMITS) == []


def test_customer_over_limit_over_cover_cover_expiring_and_paying_later():
    # 9 000 € insured at 90 %: 12 000 − 9 000 × 90 % = 3 900 € uncovered (guarantees.uncovered)
    customer = CustomerFigures(7, "Garage Petit", D("12000.00"), credit_limit=D("10000.00"), cover=D("9000.00"),
                               uncovered=D("3900.00"), cover_ends=date(2026, 12, 10), delay_trend=D("12.5"))
    found = {a.kind: a for a in customer_alerts(customer, AT, LIMITS)}
    assert set(found) == {"limit", "cover", "cover_expiry", "delay"}
    assert found["limit"].weight == D("2000.00") and found["cover"].weight == D("3900.00")
    assert found["cover"].text == ("Garage Petit : l'encours de 12\u202f000,00\u00a0€ dépasse la couverture de "
                                   "9\u202f000,00\u00a0€ ; 3\u202f900,00\u00a0€ non couverts.")
    assert "12,5 j plus tard" in found["delay"].text
    calm = customer._replace(exposure=D("5000.00"), cover_ends=date(2027, 1, 31), delay_trend=D("10"))
    assert customer_alerts(calm, AT, LIMITS) == []  # 10 days is the threshold itself, not more


def test_ledger_alerts_and_their_order():
    assert [a.kind for a in ledger_alerts(D("45.0"), D("0.50"), D("1000"), LIMITS)] == []  # at the thresholds
    assert [a.kind for a in ledger_alerts(D("45.1"), D("0.51"), D("1000"), LIMITS)] == ["dso", "concentration"]
    customer = CustomerFigures(7, "Garage Petit", D("1500.00"), credit_limit=D("1000.00"))
    found = alerts(AT, LIMITS, [customer], [], D("60"), None, D("1500.00"))
    assert [a.kind for a in found] == ["dso", "limit"]  # 1 500 at stake before 500


def test_paying_later_needs_enough_paid_invoices_in_each_quarter():
    customer = CustomerFigures(7, "Garage Petit", D("1000.00"), delay_trend=D("25"), trend_invoices=2)
    assert customer_alerts(customer, AT, LIMITS) == []  # two invoices: one late payment would be the trend
    assert [a.kind for a in customer_alerts(customer._replace(trend_invoices=3), AT, LIMITS)] == ["delay"]
