from decimal import Decimal as D

from sqlalchemy import select

from app.domain.terms import PaymentTerms, TermsKind
from app.models import Customer, Guarantee, GuaranteeKind, Segment
from app.services.customers import CustomerInput, GuaranteeInput, list_customers, save_customer, validate_customer
from tests.conftest import TODAY


def test_list_customers_with_exposure(ledger):
    with ledger.sessions() as s:
        rows = {r.name: r for r in list_customers(s, TODAY)}
    assert rows["Garage Petit"].exposure == D("1550.00")
    assert rows["Garage Petit"].overdue == D("550.00")          # 300 + 300 - 50
    assert rows["Garage Petit"].credit_limit == D("1500.00")
    assert rows["Garage Petit"].over_limit is True              # 1 550 > 1 500
    assert rows["Boulangerie Martin"].overdue == D("1880.00")
    assert rows["Boulangerie Martin"].over_limit is False       # no limit set


def test_invalid_siren_is_refused_and_nothing_written(ledger):
    with ledger.transaction() as s:
        customer, validation = save_customer(s, CustomerInput(name="Menuiserie Roux", siren="732829321"), at=TODAY)
    assert customer is None
    assert "invalide" in validation.errors["siren"]
    with ledger.sessions() as s:
        assert s.scalar(select(Customer).where(Customer.name == "Menuiserie Roux")) is None


def test_new_customer_gets_a_code_and_guarantees(ledger):
    data = CustomerInput(name="Menuiserie Roux", siren="732 829 320", segment=Segment.PUBLIC,
                         terms=PaymentTerms(TermsKind.NET, 90), credit_limit=D("5000"),
                         guarantees=[GuaranteeInput(GuaranteeKind.CREDIT_INSURANCE, "Coface", D("4000"), 90)])
    with ledger.transaction() as s:
        customer, validation = save_customer(s, data, at=TODAY)
    assert "90 jours dépassent le délai de paiement maximal d'un acheteur public, 30 jours" in \
        validation.warnings["terms"]                           # saved all the same: a warning
    with ledger.sessions() as s:
        saved = s.scalar(select(Customer).where(Customer.name == "Menuiserie Roux"))
        assert saved.siren == "732829320"
        assert saved.code == f"C{saved.id:04d}"
        assert saved.terms == PaymentTerms(TermsKind.NET, 90)
        assert saved.credit_limit_cents == 500000
        guarantee = s.scalars(select(Guarantee).where(Guarantee.customer_id == saved.id)).one()
        assert (guarantee.guarantor, guarantee.amount_cents, guarantee.percentage) == ("Coface", 400000, 90)


def test_a_public_buyer_is_warned_above_30_days_and_a_public_hospital_above_50(ledger):
    """Code de la commande publique R2192-10 and R2192-11 1°: within L441-10's 60 days, still too long."""
    def warned(segment, days, naf=""):
        data = CustomerInput(name="Centre hospitalier de Tarare", segment=segment, naf_code=naf,
                             terms=PaymentTerms(TermsKind.NET, days))
        with ledger.sessions() as s:
            return validate_customer(s, data, None, TODAY).warnings.get("terms")

    assert warned(Segment.PRIVATE, 45) is None and warned(Segment.PUBLIC, 30) is None
    assert "délai de paiement maximal d'un acheteur public, 30 jours (art. R2192-10" in warned(Segment.PUBLIC, 45)
    assert warned(Segment.PUBLIC, 45, "86.10Z") is None
    assert "d'un établissement public de santé, 50 jours (art. R2192-11" in warned(Segment.PUBLIC, 55, "86.10Z")
    assert "plafond légal de 60 jours" in warned(Segment.PRIVATE, 75)  # L441-10 as before


def test_consumers_are_not_held_to_b2b_caps(ledger):
    data = CustomerInput(name="M. Durand", segment=Segment.CONSUMER, terms=PaymentTerms(TermsKind.NET, 90))
    with ledger.transaction() as s:
        _, validation = save_customer(s, data, at=TODAY)
    assert "terms" not in validation.warnings


def test_limit_below_current_exposure_warns(ledger):
    with ledger.sessions() as s:
        petit = s.scalar(select(Customer).where(Customer.name == "Garage Petit"))
    with ledger.transaction() as s:
        _, validation = save_customer(s, CustomerInput(name="Garage Petit", credit_limit=D("1000")), petit.id,
                                      at=TODAY)
    assert "1\u202f550,00\u00a0€" in validation.warnings["credit_limit"]
    with ledger.transaction() as s:
        customer, validation = save_customer(s, CustomerInput(name="Garage Petit", credit_limit=D("-1")), petit.id)
    assert customer is None and "négative" in validation.errors["credit_limit"]
