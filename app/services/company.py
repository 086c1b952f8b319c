"""The user's own firm: read it, create it on first use, save its settings."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.history import Happened, record
from app.services.identifiers import clean_siren, format_iban, iban_error, siren_error
from app.domain.terms import PaymentTerms
from app.domain.vocabulary import EventKind
from app.models import Company
from app.models.company import DEFAULT_PENALTY_CLAUSE


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
    penalty_clause: str = DEFAULT_PENALTY_CLAUSE
    tolerance: Decimal = Decimal("5.00")


def get_company(session: Session) -> Company | None:
    """The user's company: the one row of its table, or None in a new database."""
    return session.scalars(select(Company).order_by(Company.id).limit(1)).first()


def company_name(session: Session) -> str | None:
    """The company's name, or None when the database holds none yet (the first screen then offers the
    demo company or a new one)."""
    company = get_company(session)
    return company.name if company else None


def default_terms(session: Session) -> PaymentTerms:
    """The company's default payment terms, given to new customers (30 days when there is no company)."""
    company = get_company(session)
    return company.terms if company else PaymentTerms()


def company_input(session: Session) -> CompanyInput | None:
    """The company as the settings form edits it."""
    company = get_company(session)
    if company is None:
        return None
    return CompanyInput(**{f.name: getattr(company, f.name) for f in fields(CompanyInput)})


def validate_company(data: CompanyInput) -> dict[str, str]:
    """Errors by field name, in French; empty when the company can be saved."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Indiquez la raison sociale de votre société."
    if message := siren_error(data.siren):
        errors["siren"] = message
    if message := iban_error(data.iban):
        errors["iban"] = message
    if not data.penalty_clause.strip():
        errors["penalty_clause"] = "La clause de pénalités figure sur vos lettres : elle ne peut pas être vide."
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
        if field.name == "iban":
            value = format_iban(value)
        setattr(company, field.name, value.strip() if isinstance(value, str) else value)
    session.flush()
    return company, {}


# the company's identity and contact, as ``encours company`` shows and sets them
IDENTITY_LABELS = {"name": "Raison sociale", "siren": "SIREN", "address": "Adresse", "postcode": "Code postal",
                   "city": "Ville", "email": "E-mail", "phone": "Téléphone", "iban": "IBAN"}


def set_company_identity(session: Session, changes: dict[str, str]) -> dict[str, str]:
    """``encours company --siren …``: these fields of the company changed (the company created when there is
    none yet), checked as the settings form checks them, the change recorded in the history (an event of no
    customer). Returns the errors by field, in French; nothing is written when there are any."""
    before = company_input(session)
    old = before or CompanyInput(name="")
    _company, errors = save_company(session, replace(old, **changes))
    if errors:
        return errors
    new = company_input(session)
    said = [f"{IDENTITY_LABELS[name]} : {getattr(old, name) or '—'} → {getattr(new, name) or '—'}"
            for name in IDENTITY_LABELS if name in changes and getattr(old, name) != getattr(new, name)]
    if said:
        record(session, Happened(EventKind.EDIT, ("Société créée" if before is None else "Société modifiée")
                                 + " — " + " ; ".join(said)))
    return {}


def identity_json(company: CompanyInput) -> dict[str, str]:
    """``encours company --json``: the company's identity and contact, as stored (SIREN digits, IBAN grouped)."""
    return {name: getattr(company, name) for name in IDENTITY_LABELS}


def identity_lines(company: CompanyInput) -> list[str]:
    """``encours company``: the company's identity and contact in French, one field a line."""
    return [f"{label} : {', '.join(getattr(company, name).splitlines()) or '—'}"  # an address on one line
            for name, label in IDENTITY_LABELS.items()]
