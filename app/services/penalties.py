"""What a late invoice owes on top of its amount: the domain's penalties (app.domain.penalties) applied to
what the database knows of it (its allocations, its customer's segment, the formal notice sent) with the
rates of app.services.rates, counted to the eve of the judgment on an invoice its customer's collective
proceedings hold. No agreed rate is recorded yet: a business owes the legal default, ECB + 10
points, the rate of the company's default penalty clause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.domain.penalties import Penalties, penalties
from app.domain.vocabulary import DunningStep, InvoiceKind, Segment
from app.domain.wording import rate
from app.models import Allocation, Customer, DunningLetter, Invoice, Payment
from app.models.payment import UNDATED
from app.services.proceedings import proceedings_at
from app.services.rates import rate_table


class UnknownInvoice(LookupError):
    """No invoice has that number (the message says so in French)."""


@dataclass(frozen=True)
class InvoicePenalties:
    number: str
    customer: str
    due_date: date
    total: Decimal
    consumer: bool
    penalties: Penalties

    def as_json(self) -> dict:
        """``encours penalties --json``: amounts and rates (percent a year) as decimal strings."""
        owed = self.penalties
        return {"invoice": self.number, "customer": self.customer, "due_date": self.due_date.isoformat(),
                "principal": str(owed.principal), "days_late": owed.days_late,
                "periods": [{"from": p.start.isoformat(), "to": p.end.isoformat(), "days": p.days,
                             "amount": str(p.amount), "rate": str(p.rate), "interest": str(p.interest)}
                            for p in owed.periods],
                "interest": str(owed.interest), "indemnity": str(owed.indemnity), "total": str(owed.total)}


def invoice_penalties(session: Session, number: str, at: date) -> InvoicePenalties:
    """The penalties of invoice ``number`` at ``at``: ``UnknownInvoice`` when there is no such invoice,
    ``MissingRate`` when a half-year's rates are not known yet."""
    invoice = session.scalar(select(Invoice).where(Invoice.number == number.strip()))
    if invoice is None or invoice.kind != InvoiceKind.INVOICE.value:
        raise UnknownInvoice(f"aucune facture n'a le numéro « {number} »"
                             + (" (c'est un avoir)." if invoice is not None else "."))
    customer = session.get(Customer, invoice.customer_id)
    consumer = customer.segment == Segment.CONSUMER.value
    owed = penalties(from_cents(invoice.total_cents), invoice.due_date, counted_until(session, invoice, at),
                     rate_table(session), consumer=consumer,
                     public_body=customer.segment == Segment.PUBLIC.value,
                     payments=settlements(session, invoice),
                     formal_notice=formal_notice_of(session, invoice, at) if consumer else None)
    return InvoicePenalties(invoice.number, customer.name, invoice.due_date, from_cents(invoice.total_cents),
                            consumer, owed)


def counted_until(session: Session, invoice: Invoice, at: date) -> date:
    """The day the invoice's penalties are counted to at ``at``: the eve of the judgment when its customer's
    collective proceedings hold it (their interest stops, L622-28), else ``at``."""
    proceeding = proceedings_at(session, at, [invoice.customer_id]).get(invoice.customer_id)
    return proceeding.penalties_until(invoice.issue_date, at) if proceeding else at


def settlements(session: Session, invoice: Invoice) -> list[tuple[date, Decimal]]:
    """(date, amount) of what paid part of the invoice: payments and credit notes allocated to it. A part an
    export only said was paid, without saying when (an "inconnu" payment), counts as paid on the due date:
    no interest is claimed on money the customer may well have paid on time."""
    rows = session.execute(select(Allocation.allocated_on, Allocation.amount_cents, Payment.method)
                           .outerjoin(Payment, Payment.id == Allocation.payment_id)
                           .where(Allocation.invoice_id == invoice.id))
    return [(invoice.due_date if method == UNDATED else on, from_cents(cents)) for on, cents, method in rows]


def formal_notice_of(session: Session, invoice: Invoice, at: date) -> date | None:
    """The day the first formal notice claiming this invoice was sent, by ``at``."""
    letters = session.execute(select(DunningLetter.sent_on, DunningLetter.lines).where(
        DunningLetter.customer_id == invoice.customer_id, DunningLetter.step == DunningStep.FORMAL_NOTICE.value,
        DunningLetter.sent_on <= at).order_by(DunningLetter.sent_on))
    return next((sent_on for sent_on, lines in letters
                 if any(line.get("invoice_id") == invoice.id for line in lines or [])), None)


def penalty_lines(result: InvoicePenalties) -> list[str]:
    """``encours penalties``: the computation in French, period by period."""
    owed = result.penalties
    lines = [f"Facture {result.number} — {result.customer}, échue le {result.due_date:%d/%m/%Y}, "
             f"{format_eur(result.total)} dont {format_eur(owed.principal)} restant dus"]
    if not owed.days_late:
        return lines + ["Pas de retard : aucune pénalité."]
    lines.append(f"Retard : {owed.days_late} jour{'s' if owed.days_late > 1 else ''}")
    if result.consumer and not owed.periods:
        lines.append("Client particulier : les intérêts courent à partir de la mise en demeure (aucune envoyée).")
    for p in owed.periods:
        lines.append(f"  du {p.start:%d/%m/%Y} au {p.end:%d/%m/%Y} : {format_eur(p.amount)} à {rate(p.rate)} "
                     f"pendant {p.days} j = {format_eur(p.interest)}")
    lines.append(f"Intérêts de retard : {format_eur(owed.interest)}")
    lines.append(f"Indemnité forfaitaire de recouvrement : {format_eur(owed.indemnity)}"
                 + (" (pas d'indemnité pour un particulier)" if result.consumer else ""))
    lines.append(f"Total (intérêts et indemnité) : {format_eur(owed.total)}")
    return lines
