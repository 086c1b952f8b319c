"""The declaration of claim (déclaration de créance) of a customer in collective proceedings, read from the
database (DOMAIN.md, "Insolvency proceedings"; L622-24, L622-25, R622-23): who declares to whom, the figures
of app.domain.insolvency.claim at the judgment date, the guarantees held and the documents to attach. The
letter is laid out by app.reports.claim_letter; ``encours claim`` and the customer's card print it.

The invoices are the customer's, with the payments and credit notes that settled them and their dates (the
ones the penalties read, app.services.penalties.settlements): the domain keeps those dated before the
judgment. The rates are the penalties' (a half-year missing refuses with ``MissingRate``, as the letters)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.insolvency import InvoiceFacts, ProceedingKind, claim
from app.domain.money import format_eur, from_cents
from app.domain.penalties import half_year_start
from app.domain.vocabulary import DUNNING_STEP_LABELS, GUARANTEE_LABELS, DunningStep, GuaranteeKind, InvoiceKind, Segment
from app.jobs import Refused
from app.models import Customer, DunningLetter, Guarantee, Invoice
from app.reports.claim_letter import ClaimLetter, Held
from app.reports.letter_text import Debtor, enumeration, unbroken
from app.services.company import get_company
from app.services.letter_data import creditor, debtor
from app.services.penalties import settlements
from app.services.proceedings import NO_PROCEEDING, ProceedingRefused, open_proceeding, record_claim_sent
from app.services.rates import rate_table
from app.services.written_files import kept_if_committed

NO_COMPANY = "créez d'abord votre société (Paramètres) : la déclaration de créance dit qui la fait."
# what a guarantee's deed is called among the documents attached
DEEDS = {GuaranteeKind.BANK_GUARANTEE: "Acte de caution", GuaranteeKind.CREDIT_INSURANCE: "Police d'assurance-crédit",
         GuaranteeKind.PAYMENT_DELEGATION: "Acte de délégation de paiement"}


def claim_letter(session: Session, customer_id: int, at: date) -> ClaimLetter:
    """The declaration of claim of the customer's open proceedings, dated ``at``. Refuses (in French) when
    the company or the proceedings are not recorded, or when a half-year's rates are missing."""
    company = get_company(session)
    if company is None:
        raise Refused(NO_COMPANY)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise ProceedingRefused("ce client n'existe plus.")
    row = open_proceeding(session, customer_id)
    if row is None:
        raise ProceedingRefused(NO_PROCEEDING)
    proceeding = row.facts()
    consumer = customer.segment == Segment.CONSUMER.value
    public_body = customer.segment == Segment.PUBLIC.value
    held = claim(_invoices(session, customer_id, row.judgment_on), proceeding, rate_table(session),
                 consumer=consumer, public_body=public_body)
    periods = sorted((period.start, period.rate) for line in held.invoices if line.penalties
                     for period in line.penalties.periods)
    rates = tuple(dict.fromkeys((half_year_start(start), rate) for start, rate in periods))
    guarantees = _guarantees(session, customer_id, row.judgment_on)
    mandataire = Debtor(row.mandataire_name or _mandataire_title(proceeding.kind).capitalize(),
                        tuple(line.strip() for line in row.mandataire_address.splitlines() if line.strip()))
    return ClaimLetter(
        on=at, creditor=creditor(company), debtor=debtor(customer), mandataire=mandataire,
        mandataire_title=_mandataire_title(proceeding.kind), proceeding=proceeding, court=row.court,
        reference=row.reference, claim=held, rates=rates, public_body=public_body,
        guarantees=tuple(guarantees), retention_of_title=company.retention_of_title,
        documents=tuple(_documents(session, customer_id, held, guarantees, company.retention_of_title)),
        sent_on=row.claim_sent_on, registered_number=row.claim_registered_number)


def _mandataire_title(kind: ProceedingKind) -> str:
    """To whom the claim is declared: the liquidator in a liquidation, else the mandataire judiciaire."""
    return "liquidateur judiciaire" if kind is ProceedingKind.LIQUIDATION else "mandataire judiciaire"


def _invoices(session: Session, customer_id: int, judgment: date) -> list[InvoiceFacts]:
    """The customer's invoices dated before the judgment and not settled in full before it, with what
    settled them and when (a written-off invoice is still owed: it is declared)."""
    rows = session.scalars(select(Invoice).where(
        Invoice.customer_id == customer_id, Invoice.kind == InvoiceKind.INVOICE.value, Invoice.issue_date < judgment,
        or_(Invoice.settled_on.is_(None), Invoice.settled_on >= judgment)))
    return [InvoiceFacts(invoice.number, invoice.issue_date, invoice.due_date, from_cents(invoice.total_cents),
                         tuple(settlements(session, invoice))) for invoice in rows]


def _guarantees(session: Session, customer_id: int, judgment: date) -> list[Held]:
    """The guarantees in force at the judgment: a caution, a credit insurance, a delegation of payment (a
    deposit is money received, already deducted, not a guarantee to declare)."""
    rows = session.scalars(select(Guarantee).where(
        Guarantee.customer_id == customer_id, Guarantee.kind != GuaranteeKind.DEPOSIT.value,
        or_(Guarantee.valid_to.is_(None), Guarantee.valid_to >= judgment),
        or_(Guarantee.valid_from.is_(None), Guarantee.valid_from <= judgment)).order_by(Guarantee.id))
    held = []
    for guarantee in rows:
        kind = GuaranteeKind(guarantee.kind)
        details = [guarantee.guarantor]
        if guarantee.amount_cents is not None:
            details.append(f"à hauteur de {format_eur(guarantee.amount)}")
        if guarantee.percentage is not None:
            details.append(f"quotité garantie {guarantee.percentage} %")
        held.append(Held(kind.value, GUARANTEE_LABELS[kind], ", ".join(part for part in details if part),
                         f"{DEEDS[kind]}{f' ({guarantee.guarantor})' if guarantee.guarantor else ''}"))
    return held


def _documents(session: Session, customer_id: int, held, guarantees: list[Held], retention: bool) -> list[str]:
    """The supporting documents (R622-23): the invoices declared, the terms of sale that give the penalties
    (and the retention of title), the statement of account at the judgment, the reminders and the formal
    notice on record, the guarantees' deeds."""
    numbers = [line.number for line in held.invoices]
    documents = [("Copie des factures" if len(numbers) > 1 else "Copie de la facture")
                 + f" n° {enumeration(numbers)}"] if numbers else []
    documents.append("Conditions générales de vente acceptées par le débiteur (clause de pénalités de retard"
                     + (" et clause de réserve de propriété)" if retention else ")"))
    documents.append(f"Relevé de compte du débiteur au {held.judgment_on:%d/%m/%Y}")
    letters = session.execute(select(DunningLetter.sent_on, DunningLetter.step, DunningLetter.registered_mail_number)
                              .where(DunningLetter.customer_id == customer_id,
                                     DunningLetter.sent_on < held.judgment_on,
                                     DunningLetter.step.in_([DunningStep.FIRST_REMINDER.value,
                                                             DunningStep.SECOND_REMINDER.value,
                                                             DunningStep.FORMAL_NOTICE.value]))
                              .order_by(DunningLetter.sent_on, DunningLetter.id))
    for sent_on, step, registered in letters:
        documents.append(f"{DUNNING_STEP_LABELS[DunningStep(step)]} du {sent_on:%d/%m/%Y}"
                         + (f" (lettre recommandée avec AR n° {unbroken(registered)})" if registered else ""))
    return documents + [guarantee.deed for guarantee in guarantees]


def write_claim(session: Session, customer_id: int, at: date, path: Path, sent_on: date | None = None,
                registered_number: str = "") -> tuple[ClaimLetter, str]:
    """Write the declaration's PDF at ``path`` and, given ``sent_on``, record it as sent (then its deadline
    no longer shows): the letter written, and what was recorded in French ("" when nothing was)."""
    from app.reports.claim_letter import write_claim_letter

    letter = claim_letter(session, customer_id, at)
    recorded = record_claim_sent(session, customer_id, sent_on, registered_number) if sent_on else ""
    write_claim_letter(path, letter)  # refused above, nothing is written
    if sent_on:  # recorded as sent: on disk only if the record commits
        kept_if_committed(session, path)
    return letter, recorded
