from datetime import date

import pytest

from app.domain.terms import PaymentTerms, TermsKind, end_of_month


@pytest.mark.parametrize("kind, days, issued, due", [
    # à réception: due the day of the invoice
    (TermsKind.ON_RECEIPT, 0, date(2026, 3, 15), date(2026, 3, 15)),
    # 30 jours date de facture: 15/01 + 30 = 14/02
    (TermsKind.NET, 30, date(2026, 1, 15), date(2026, 2, 14)),
    # 60 jours across a leap February: 31/12/2027 + 60 = 29/02/2028
    (TermsKind.NET, 60, date(2027, 12, 31), date(2028, 2, 29)),
    # 45 jours fin de mois (date + 45 then end of month): 10/01/2026 + 45 = 24/02 -> 28/02/2026
    (TermsKind.DAYS_END_OF_MONTH, 45, date(2026, 1, 10), date(2026, 2, 28)),
    # same in a leap year: 10/01/2028 + 45 = 24/02 -> 29/02/2028
    (TermsKind.DAYS_END_OF_MONTH, 45, date(2028, 1, 10), date(2028, 2, 29)),
    # 31/01 + 45 = 17/03 -> 31/03
    (TermsKind.DAYS_END_OF_MONTH, 45, date(2026, 1, 31), date(2026, 3, 31)),
    # fin de mois 45 jours (end of month then + 45): 10/01/2026 -> 31/01 + 45 = 17/03/2026
    (TermsKind.END_OF_MONTH_DAYS, 45, date(2026, 1, 10), date(2026, 3, 17)),
    # leap year: 15/01/2028 -> 31/01 + 45 = 16/03/2028 (February has 29 days)
    (TermsKind.END_OF_MONTH_DAYS, 45, date(2028, 1, 15), date(2028, 3, 16)),
    # December into next year: 20/12/2026 -> 31/12 + 30 = 30/01/2027
    (TermsKind.END_OF_MONTH_DAYS, 30, date(2026, 12, 20), date(2027, 1, 30)),
])
def test_due_dates(kind, days, issued, due):
    assert PaymentTerms(kind, days).due_date(issued) == due


def test_end_of_month_of_february():
    assert end_of_month(date(2028, 2, 3)) == date(2028, 2, 29)
    assert end_of_month(date(2026, 2, 3)) == date(2026, 2, 28)


def test_legal_caps():
    assert PaymentTerms(TermsKind.NET, 60).legal_warning() is None
    assert "60 jours" in PaymentTerms(TermsKind.NET, 61).legal_warning()
    assert PaymentTerms(TermsKind.DAYS_END_OF_MONTH, 45).legal_warning() is None
    assert "45 jours fin de mois" in PaymentTerms(TermsKind.END_OF_MONTH_DAYS, 50).legal_warning()
    assert PaymentTerms(TermsKind.ON_RECEIPT).legal_warning() is None


def test_a_public_buyers_caps():
    # 30 days for a public buyer (CCP R2192-10), 50 for a public health establishment (R2192-11 1°)
    assert PaymentTerms(TermsKind.NET, 30).public_warning() is None
    assert PaymentTerms(TermsKind.NET, 45).public_warning() == (
        "45 jours dépassent le délai de paiement maximal d'un acheteur public, 30 jours (art. R2192-10 du Code de "
        "la commande publique) ; 50 jours pour un établissement public de santé (code NAF 86.10Z).")
    assert PaymentTerms(TermsKind.NET, 50).public_warning("86.10Z") is None
    assert PaymentTerms(TermsKind.NET, 51).public_warning("8610z") == (
        "51 jours dépassent le délai de paiement maximal d'un établissement public de santé, 50 jours "
        "(art. R2192-11 du Code de la commande publique).")
    # an end-of-month kind on its longest wait: « 20 jours fin de mois » from 11/04/2026: + 20 = 01/05, due 31/05
    assert PaymentTerms(TermsKind.DAYS_END_OF_MONTH, 0).public_warning() is None  # « fin de mois »: 30 at most
    twenty = PaymentTerms(TermsKind.DAYS_END_OF_MONTH, 20)
    assert twenty.longest_days == (twenty.due_date(date(2026, 4, 11)) - date(2026, 4, 11)).days == 50
    assert PaymentTerms(TermsKind.DAYS_END_OF_MONTH, 20).public_warning("86.10Z") is None
    assert PaymentTerms(TermsKind.END_OF_MONTH_DAYS, 30).public_warning().startswith(
        "« Fin de mois 30 jours » peuvent aller jusqu'à 60 jours et dépassent le délai de paiement maximal d'un "
        "acheteur public, 30 jours")
    assert PaymentTerms(TermsKind.ON_RECEIPT).public_warning() is None


def test_terms_values():
    assert PaymentTerms("net", 45) == PaymentTerms(TermsKind.NET, 45)
    assert PaymentTerms(TermsKind.ON_RECEIPT, 30).days == 0
    assert PaymentTerms(TermsKind.DAYS_END_OF_MONTH, 45).label == "45 jours fin de mois"
    with pytest.raises(ValueError):
        PaymentTerms(TermsKind.NET, -1)
