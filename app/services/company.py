"""The user's own firm: read it, create it on first use, save its settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.changes import changed
from app.domain.money import format_eur
from app.domain.penalties import PENALTY_CLAUSE
from app.services.edits import COMPANY_KEY, claim, record_settings, settings_subject
from app.services.identifiers import clean_siren, format_iban, iban_error, siren_error
from app.services.lengths import length_errors
from app.domain.terms import PaymentTerms
from app.models import Company

# the parts of the settings screen that write the company, as its history names them
COMPANY_SECTION, THRESHOLDS_SECTION = "Votre société", "Objectifs et alertes"
FIGURES_SECTION = "Stocks et fournisseurs"
COMPANY = settings_subject("Les paramètres de votre société ont été modifiés",
                           COMPANY_SECTION, THRESHOLDS_SECTION, FIGURES_SECTION)
LABELS = {"name": "raison sociale", "siren": "SIREN", "vat_number": "n° TVA", "address": "adresse",
          "postcode": "code postal", "city": "ville", "email": "e-mail", "phone": "téléphone", "iban": "IBAN",
          "bic": "BIC", "logo_path": "logo", "terms": "conditions de paiement par défaut",
          "tolerance": "seuil de relance", "penalty_clause": "clause de pénalités",
          "retention_of_title": "clause de réserve de propriété"}


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
    penalty_clause: str = PENALTY_CLAUSE
    tolerance: Decimal = Decimal("5.00")
    retention_of_title: bool = False  # the terms of sale keep the goods' title until paid (revendication, L624-9)


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
    texts = {f.name: value for f in fields(CompanyInput) if isinstance(value := _stored(f.name, getattr(data, f.name)), str)}
    return {**length_errors(Company, texts, LABELS), **errors}


def _stored(name: str, value):
    """A field of the form as the company keeps it: the SIREN's digits, the IBAN in groups of four, a text
    without its surrounding spaces."""
    if name == "siren":
        value = clean_siren(value)
    if name == "iban":
        value = format_iban(value)
    return value.strip() if isinstance(value, str) else value


def save_company(session: Session, data: CompanyInput, seen: dict[str, int] | None = None
                 ) -> tuple[Company | None, dict[str, str]]:
    """Create the company on first use or update it; returns it and no errors, or None and the errors.
    ``seen``: the versions the settings screen loaded (see ``editing_company``)."""
    errors = validate_company(data)
    if errors:
        return None, errors
    with editing_company(session, seen, COMPANY_SECTION, LABELS, _shown) as company:
        for field in fields(CompanyInput):
            setattr(company, field.name, _stored(field.name, getattr(data, field.name)))
    return company, {}


# the company's identity and contact, as ``encours company`` shows and sets them
IDENTITY_LABELS = {"name": "Raison sociale", "siren": "SIREN", "address": "Adresse", "postcode": "Code postal",
                   "city": "Ville", "email": "E-mail", "phone": "Téléphone", "iban": "IBAN"}


def set_company_identity(session: Session, changes: dict[str, str]) -> dict[str, str]:
    """``encours company --siren …``: these fields of the company changed (the company created when there is
    none yet), checked as the settings form checks them, the change recorded in the history (an event of no
    customer, as the settings screen's). Returns the errors by field, in French; nothing is written when there
    are any."""
    _company, errors = save_company(session, replace(company_input(session) or CompanyInput(name=""), **changes))
    return errors


def identity_json(company: CompanyInput) -> dict[str, str]:
    """``encours company --json``: the company's identity and contact, as stored (SIREN digits, IBAN grouped)."""
    return {name: getattr(company, name) for name in IDENTITY_LABELS}


def identity_lines(company: CompanyInput) -> list[str]:
    """``encours company``: the company's identity and contact in French, one field a line."""
    return [f"{label} : {', '.join(getattr(company, name).splitlines()) or '—'}"  # an address on one line
            for name, label in IDENTITY_LABELS.items()]


def _shown(company: Company) -> dict[str, str]:
    """The company's settings as the history quotes them: the SIREN and IBAN as saved (an IBAN an older
    version kept ungrouped, regrouped on the next save, is not a change)."""
    return {**{name: getattr(company, name) for name in LABELS if name not in ("terms", "tolerance")},
            "siren": clean_siren(company.siren), "iban": format_iban(company.iban),
            "terms": company.terms.label, "tolerance": format_eur(company.tolerance),
            "retention_of_title": "oui" if company.retention_of_title else "non"}


@contextmanager
def editing_company(session: Session, seen: dict[str, int] | None, section: str, labels: dict[str, str],
                    shown: Callable[[Company], dict[str, str]]) -> Iterator[Company]:
    """The company for the block to change (created on the first save), held and checked against the version
    the settings screen loaded in ``seen`` (a save over another user's newer one is refused, ``Conflict``);
    what the block changed in the fields of ``labels`` (as ``shown`` words them) recorded in the history under
    ``section``; ``seen`` then takes the version written, for the screen's next save."""
    company_id = session.scalar(select(Company.id).order_by(Company.id).limit(1))
    if company_id is None:
        if seen and seen.get(COMPANY_KEY):
            raise COMPANY.conflict(session, gone=True)
        company, before = Company(name=""), None
        session.add(company)
    else:
        claim(session, Company, company_id, None if seen is None else seen.get(COMPANY_KEY, 0), COMPANY)
        company = session.get(Company, company_id, populate_existing=True)
        before = shown(company)
    yield company
    session.flush()
    after = shown(company)
    record_settings(session, section, changed(labels, before, after) if before is not None else
                    ["société créée", *changed(labels, dict.fromkeys(labels, ""), after)])
    if seen is not None:
        seen[COMPANY_KEY] = company.version
