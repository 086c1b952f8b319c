"""Customers: the list with what each owes, the customer card, and saving the form with its checks."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from app.domain.aging import Buckets
from app.domain.changes import added_removed, changed
from app.services.identifiers import clean_siren, siren_error
from app.domain.money import ZERO, format_eur, from_cents
from app.domain.terms import PaymentTerms
from app.domain.vocabulary import GUARANTEE_LABELS, EventKind
from app.jobs import collector_paused
from app.models import SEGMENT_LABELS, Customer, Event, Guarantee, GuaranteeKind, Segment
from app.models.db import plain_rows
from app.services.aging import Owed, aging_summary, owed_by_customer
from app.services.edits import Subject, claim, record_edit
from app.services.lengths import length_errors

CUSTOMER = Subject("Ce client a été modifié", "Ce client a été supprimé", "depuis que vous l'avez ouvert",
                   "Rechargez la fiche.", lambda customer_id: (
                       Event.customer_id == customer_id,
                       Event.kind.in_([EventKind.EDIT.value, EventKind.POSTPONEMENT.value])))
# what the history names each field of the card, the terms and the limit first
LABELS = {"terms": "délai de paiement", "credit_limit": "limite de crédit", "segment": "segment",
          "dunning_plan": "plan de relance", "name": "raison sociale", "code": "code client", "siren": "SIREN",
          "vat_number": "n° TVA", "naf_code": "code NAF", "address": "adresse", "postcode": "code postal",
          "city": "ville", "contact_name": "contact", "email": "e-mail", "phone": "téléphone",
          "external_rating": "note externe", "salesperson": "commercial", "notes": "notes"}


# the texts of the card, saved without their surrounding spaces
_TEXTS = ("name", "code", "vat_number", "address", "postcode", "city", "contact_name", "email", "phone", "naf_code",
          "external_rating", "salesperson", "notes")
_GUARANTEE_LABELS = {"guarantor": "garant", "grade": "cote"}


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customers table."""

    id: int
    code: str
    name: str
    siren: str
    segment: str
    city: str
    exposure: Decimal
    overdue: Decimal
    credit_limit: Decimal | None
    over_limit: bool


@dataclass(frozen=True)
class GuaranteeInput:
    kind: GuaranteeKind
    guarantor: str = ""
    amount: Decimal | None = None
    percentage: int | None = None
    grade: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass
class CustomerInput:
    """What the customer form edits."""

    name: str
    code: str = ""
    siren: str = ""
    vat_number: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    segment: Segment = Segment.PRIVATE
    naf_code: str = ""
    terms: PaymentTerms = PaymentTerms()
    credit_limit: Decimal | None = None
    external_rating: str = ""
    salesperson: str = ""
    notes: str = ""
    dunning_plan: str = ""  # another segment's dunning plan, "" for its own segment's
    guarantees: list[GuaranteeInput] = field(default_factory=list)
    version: int | None = None  # the customer's as the card loaded it: a save over a newer one is refused


@dataclass(frozen=True)
class Validation:
    """Errors block saving; warnings are shown next to their field but the user may go on."""

    errors: dict[str, str]
    warnings: dict[str, str]


def exposure_by_customer(session: Session, at: date, ids: list[int] | None = None) -> dict[int, Buckets]:
    """What each customer (or those of ``ids``) owes at ``at``, by aging bucket."""
    return aging_summary(session, at, ids).by_customer


@collector_paused()  # twenty thousand rows made at once on a large ledger
def list_customers(session: Session, at: date) -> list[CustomerRow]:
    """Every customer with its exposure and overdue amount at ``at``, by name (summed by the database by
    customer, not item by item: the list of a ledger of a million invoices comes at once)."""
    owed_by = owed_by_customer(session, at)
    nothing = Owed(ZERO, ZERO)
    segments = {segment.value: label for segment, label in SEGMENT_LABELS.items()}  # by the stored value
    rows = []
    for id_, code, name, siren, segment, city, limit_cents in plain_rows(session, select(
            Customer.id, Customer.code, Customer.name, Customer.siren, Customer.segment, Customer.city,
            Customer.credit_limit_cents).order_by(Customer.name)):
        owed = owed_by.get(id_, nothing)
        limit = None if limit_cents is None else from_cents(limit_cents)
        rows.append(CustomerRow(id_, code, name, siren, segments[segment], city, owed.total, owed.overdue, limit,
                                limit is not None and owed.total > limit))
    return rows


def customer_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every customer by name, for pickers."""
    return [(c.id, c.name) for c in session.execute(select(Customer.id, Customer.name).order_by(Customer.name))]


def get_customer(session: Session, customer_id: int) -> Customer:
    """A customer with its guarantees."""
    return session.scalars(select(Customer).options(selectinload(Customer.guarantees))
                           .where(Customer.id == customer_id)).one()


def customer_input(session: Session, customer_id: int) -> CustomerInput:
    """The customer as its card edits it, guarantees included."""
    customer = get_customer(session, customer_id)
    simple = {f.name: getattr(customer, f.name) for f in fields(CustomerInput) if f.name != "guarantees"}
    simple["segment"] = Segment(customer.segment)
    return CustomerInput(**simple, guarantees=[
        GuaranteeInput(GuaranteeKind(g.kind), g.guarantor, g.amount, g.percentage, g.grade, g.valid_from,
                       g.valid_to) for g in customer.guarantees])


def customer_exposure(session: Session, customer_id: int, at: date) -> Buckets:
    """What one customer owes at ``at``, by aging bucket."""
    return exposure_by_customer(session, at, [customer_id]).get(customer_id, Buckets())


def validate_customer(session: Session, data: CustomerInput, customer_id: int | None, at: date) -> Validation:
    """The form's checks: name, SIREN/SIRET checksum, B2B terms within the legal caps (L441-10, a public
    buyer's shorter ones: a warning), a credit limit that is not negative and not already exceeded (a warning)."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Le nom du client est obligatoire."
    if message := siren_error(data.siren):
        errors["siren"] = message
    if data.segment == Segment.PUBLIC:  # a public buyer's own, shorter caps (Code de la commande publique)
        message = data.terms.public_warning(data.naf_code)
    else:
        message = None if data.segment == Segment.CONSUMER else data.terms.legal_warning()
    if message:
        warnings["terms"] = message
    if data.credit_limit is not None:
        if data.credit_limit < 0:
            errors["credit_limit"] = "La limite de crédit ne peut pas être négative."
        elif customer_id is not None:
            exposure = customer_exposure(session, customer_id, at).total
            if exposure > data.credit_limit:
                warnings["credit_limit"] = (f"L'encours actuel ({format_eur(exposure)}) dépasse déjà "
                                            "cette limite.")
    errors.update(length_errors(Customer, {name: getattr(data, name).strip() for name in _TEXTS}, LABELS))
    if data.dunning_plan and data.dunning_plan not in set(Segment):
        errors["dunning_plan"] = "Plan de relance inconnu."
    for i, guarantee in enumerate(data.guarantees):
        if guarantee.percentage is not None and not 0 <= guarantee.percentage <= 100:
            errors["guarantees"] = f"Garantie {i + 1} : le pourcentage doit être entre 0 et 100."
        if guarantee.valid_from and guarantee.valid_to and guarantee.valid_to < guarantee.valid_from:
            errors["guarantees"] = f"Garantie {i + 1} : la date de fin précède la date de début."
        if too_long := length_errors(Guarantee, {"guarantor": guarantee.guarantor.strip(), "grade": guarantee.grade},
                                     _GUARANTEE_LABELS):
            errors["guarantees"] = f"Garantie {i + 1} : " + " ".join(too_long.values())
    return Validation(errors, warnings)


def save_customer(session: Session, data: CustomerInput, customer_id: int | None = None,
                  at: date | None = None) -> tuple[Customer | None, Validation]:
    """Create or update a customer and its guarantees; nothing is written when there are errors. Refused
    (``edits.Conflict``) when ``data.version`` is not the customer's any more: someone saved it since the card
    was opened. What changed is recorded in the customer's history (« Délai de paiement : 30 jours date de
    facture → 45 jours date de facture ; limite de crédit : … »)."""
    validation = validate_customer(session, data, customer_id, at or date.today())
    if validation.errors:
        return None, validation
    if customer_id is None:
        customer, before = Customer(name=data.name), None
        session.add(customer)
    else:
        claim(session, Customer, customer_id, data.version, CUSTOMER)
        customer = get_customer(session, customer_id)
        before = _shown(customer)
    for name in _TEXTS:
        setattr(customer, name, getattr(data, name).strip())
    customer.siren = clean_siren(data.siren)
    customer.segment = Segment(data.segment).value
    customer.dunning_plan = data.dunning_plan
    customer.terms = data.terms
    customer.credit_limit = data.credit_limit
    guarantees = [_guarantee_words(g) for g in data.guarantees]
    if before is None or guarantees != before["guarantees"]:
        customer.guarantees = [
            Guarantee(kind=GuaranteeKind(g.kind).value, guarantor=g.guarantor.strip(), amount=g.amount,
                      percentage=g.percentage, grade=g.grade, valid_from=g.valid_from, valid_to=g.valid_to)
            for g in data.guarantees]
    parts = (["client créé"] if before is None else
             changed(LABELS, before, _shown(customer))
             + added_removed("garantie", before["guarantees"], guarantees))
    if parts and before is not None:
        flag_modified(customer, "name")  # a change of its guarantees alone is a new version of the customer too
    session.flush()
    if not customer.code:
        customer.code = f"C{customer.id:04d}"
    record_edit(session, EventKind.EDIT, parts, customer_id=customer.id)
    return customer, validation


def _shown(customer: Customer) -> dict:
    """The customer's fields as its history quotes them (amounts, terms and labels in words), and its
    guarantees described one by one."""
    shown = {name: getattr(customer, name) for name in LABELS if name not in ("terms", "credit_limit")}
    shown.update(terms=customer.terms.label, segment=SEGMENT_LABELS[Segment(customer.segment)],
                 dunning_plan=SEGMENT_LABELS[Segment(customer.dunning_plan)] if customer.dunning_plan
                 else "celui de son segment",
                 credit_limit="" if customer.credit_limit is None else format_eur(customer.credit_limit),
                 guarantees=[_guarantee_words(g) for g in customer.guarantees])
    return shown


def _guarantee_words(g: Guarantee | GuaranteeInput) -> str:
    """« Assurance-crédit Atradius, 50 000,00 €, 90 %, du 01/01/2026 au 31/12/2026 »."""
    parts = [f"{GUARANTEE_LABELS[GuaranteeKind(g.kind)]} {g.guarantor.strip()}".strip()]
    parts += [format_eur(g.amount)] if g.amount is not None else []
    parts += [f"{g.percentage} %"] if g.percentage else []
    parts += [f"note {g.grade}"] if g.grade else []
    validity = " ".join(([f"du {g.valid_from:%d/%m/%Y}"] if g.valid_from else [])
                        + ([f"au {g.valid_to:%d/%m/%Y}"] if g.valid_to else []))
    return ", ".join(parts + ([validity] if validity else []))
