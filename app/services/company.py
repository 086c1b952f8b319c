"""The user's own firm: read it, create it on first use, save its settings."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.identifiers import clean_siren, siren_error
from app.domain.terms import PaymentTerms
from app.models import Company


@dataclass
class CompanyInput:
    """What the company settings form edits."""

    name: str
    siren: str = ""
    vat_number: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    logo_path: str = ""
    terms: PaymentTerms = PaymentTerms()
    penalty_clause: str | None = None
    tolerance: Decimal = Decimal("5.00")


def get_company(session: Session) -> Company | None:
    return session.scalars(select(Company).order_by(Company.id).limit(1)).first()


def has_data(session: Session) -> bool:
    """Whether the database already holds a company: the first screen offers the demo or a new company."""
    return get_company(session) is not None


def validate_company(data: CompanyInput) -> dict[str, str]:
    """Errors by field name, in French; empty when the company can be saved."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Indiquez la raison sociale de votre société."
    if message := siren_error(data.siren):
        errors["siren"] = message
    if data.tolerance < 0:
        errors["tolerance"] = "Le seuil de tolérance ne peut pas être négatif."
    return errors


def save_company(session: Session, data: CompanyInput) -> tuple[Company | None, dict[str, str]]:
    """Create the company on first use or update it; returns it and no errors, or None and the errors."""
    errors = validate_company(data)
    if errors:
        return None, errors
    company = get_company(session) or Company(name=data.name)
    session.add(company)
    for field in fields(CompanyInput):
        value = getattr(data, field.name)
        if field.name == "siren":
            value = clean_siren(value)
        if value is not None:
            setattr(company, field.name, value.strip() if isinstance(value, str) else value)
    session.flush()
    return company, {}
