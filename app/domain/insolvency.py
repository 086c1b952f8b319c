"""Insolvency proceedings (DOMAIN.md, "Insolvency proceedings"; Code de commerce, livre VI): which invoices a
customer's proceedings hold, the deadlines that must never pass in silence, and the claim to declare.

- The opening judgment takes effect at the first hour of its day: a claim is in the proceedings when its
  invoice is dated before the judgment; an invoice dated that day or after is outside them and chased as any
  other (L622-21, L622-24).
- From the judgment, the invoices in the proceedings leave the dunning (no reminder, formal notice or
  injonction de payer: L622-21) and their interest stops (L622-28): penalties are counted up to the eve of
  the judgment, and the 40 € indemnity is owed by the invoices already late then.
- Deadlines run from the BODACC publication of the opening judgment: the declaration of claim within two
  months (four for a creditor abroad or overseas: L622-24, R622-24), relief from forclusion within six months
  (L622-26), the claim of goods sold with retention of title within three months (L624-9). A period in months
  ends on the day of the last month that bears the publication's number, or on that month's last day when it
  has none (Code de procédure civile art. 641): 31 December + 2 months is the last day of February. Encours
  shows that day and never a later one (no carrying over to the next working day: declare before).
- The claim (L622-25, R622-23): each invoice's amount still due at the judgment date (payments dated before
  it), its penalties to the eve of the judgment and its indemnity, and the amounts not yet due at the
  judgment with their due dates.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.money import ZERO
from app.domain.penalties import Penalties, RateTable, penalties

DECLARATION_MONTHS = 2  # L622-24, R622-24
DECLARATION_MONTHS_ABROAD = 4  # a creditor abroad or overseas: the delay doubled
RELIEF_MONTHS = 6  # L622-26: relief from forclusion
REVENDICATION_MONTHS = 3  # L624-9: goods sold with retention of title


class ProceedingKind(StrEnum):
    SAFEGUARD = "sauvegarde"
    RECOVERY = "redressement"
    LIQUIDATION = "liquidation"


PROCEEDING_LABELS = {ProceedingKind.SAFEGUARD: "procédure de sauvegarde",
                     ProceedingKind.RECOVERY: "redressement judiciaire",
                     ProceedingKind.LIQUIDATION: "liquidation judiciaire"}


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` months, as a period in months ends (CPC art. 641): the same day number, or the
    last day of the month when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class Proceeding:
    """A customer's collective proceedings as the owner learnt them (the mandataire's letter, BODACC)."""

    kind: ProceedingKind
    judgment_on: date  # the opening judgment
    published_on: date | None  # its publication in the BODACC: the deadlines run from it
    abroad: bool = False  # the creditor is abroad or overseas: the declaration's delay doubled
    closed_on: date | None = None  # clôture: the proceedings are over
    claimed_on: date | None = None  # the declaration of claim sent to the mandataire

    @property
    def eve(self) -> date:
        """The eve of the judgment: the last day the claims it holds bear penalties (L622-28)."""
        return self.judgment_on - timedelta(days=1)

    def penalties_until(self, issued: date, at: date) -> date:
        """The last day penalties are counted to, at ``at``, on an invoice issued on ``issued``: the eve of the
        judgment at most for a claim the proceedings hold, ``at`` for an invoice outside them. Every letter,
        statement and claim counts to this day."""
        return min(at, self.eve) if self.holds(issued) else at

    def declared_by(self, at: date) -> bool:
        """Was the declaration of claim sent by ``at``?"""
        return self.claimed_on is not None and self.claimed_on <= at

    def holds(self, issued: date) -> bool:
        """Is a claim born on ``issued`` in the proceedings (dated before the judgment)?"""
        return issued < self.judgment_on

    def open_on(self, at: date) -> bool:
        """Have the proceedings been opened, and not closed, at ``at``?"""
        return self.judgment_on <= at and (self.closed_on is None or at < self.closed_on)

    @property
    def declaration_deadline(self) -> date | None:
        """The last day to declare the claim; None while the publication is not known."""
        if self.published_on is None:
            return None
        return add_months(self.published_on, DECLARATION_MONTHS_ABROAD if self.abroad else DECLARATION_MONTHS)

    @property
    def relief_deadline(self) -> date | None:
        """The last day to ask the juge-commissaire for relief from forclusion, the declaration missed."""
        return add_months(self.published_on, RELIEF_MONTHS) if self.published_on else None

    @property
    def revendication_deadline(self) -> date | None:
        """The last day to claim the goods sold with retention of title."""
        return add_months(self.published_on, REVENDICATION_MONTHS) if self.published_on else None


@dataclass(frozen=True)
class ClaimedInvoice:
    """An invoice as the claim states it: still due at the judgment date; penalties to the eve of the
    judgment when it was late then, else the date it falls due (``to_fall_due``)."""

    number: str
    issued: date
    due: date
    amount: Decimal
    still_due: Decimal
    penalties: Penalties | None  # None: not yet due at the judgment

    @property
    def to_fall_due(self) -> bool:
        return self.penalties is None


@dataclass(frozen=True)
class Claim:
    """The declaration of claim's figures, at the judgment date."""

    judgment_on: date
    invoices: tuple[ClaimedInvoice, ...]

    @property
    def due(self) -> Decimal:
        """Principal due at the judgment (the invoices late then or due that day)."""
        return sum((i.still_due for i in self.invoices if not i.to_fall_due), ZERO)

    @property
    def to_fall_due(self) -> Decimal:
        return sum((i.still_due for i in self.invoices if i.to_fall_due), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((i.penalties.interest for i in self.invoices if i.penalties), ZERO)

    @property
    def indemnities(self) -> Decimal:
        return sum((i.penalties.indemnity for i in self.invoices if i.penalties), ZERO)

    @property
    def total(self) -> Decimal:
        """Everything declared: due, penalties, indemnities and the amounts to fall due."""
        return self.due + self.interest + self.indemnities + self.to_fall_due


@dataclass(frozen=True)
class InvoiceFacts:
    """What the claim needs of an invoice: its amount, dates and the payments (and credit notes) that settled
    part of it, with their dates."""

    number: str
    issued: date
    due: date
    amount: Decimal
    payments: tuple[tuple[date, Decimal], ...] = ()


def claim(invoices: list[InvoiceFacts], proceeding: Proceeding, table: RateTable, *, consumer: bool = False,
          public_body: bool = False, agreed_rate: Decimal | None = None) -> Claim:
    """The claim at the judgment date: the invoices the proceedings hold that were still (partly) due then,
    oldest first. Penalties stop at the judgment (counted to its eve); an invoice due on or after the
    judgment day is declared as to fall due, with no penalty."""
    judgment = proceeding.judgment_on
    lines = []
    for invoice in sorted(invoices, key=lambda i: (i.due, i.number)):
        if not proceeding.holds(invoice.issued) or invoice.amount <= 0:
            continue
        before = [(day, value) for day, value in invoice.payments if day < judgment]
        still_due = max(invoice.amount - sum((value for _day, value in before), ZERO), ZERO)
        if still_due <= 0:
            continue
        late = invoice.due < judgment
        owed = penalties(invoice.amount, invoice.due, proceeding.eve, table, consumer=consumer,
                         public_body=public_body, agreed_rate=agreed_rate, payments=before) if late else None
        lines.append(ClaimedInvoice(invoice.number, invoice.issued, invoice.due, invoice.amount, still_due, owed))
    return Claim(judgment, tuple(lines))


@dataclass(frozen=True)
class Deadline:
    """A deadline of a customer's proceedings to show until it is met: which, its date, days left."""

    what: str  # French: « déclaration de créance », « relevé de forclusion », « revendication »
    on: date
    days_left: int


def deadlines(proceeding: Proceeding, at: date, *, declared: bool, retention_of_title: bool) -> list[Deadline]:
    """The deadlines to show at ``at``: the declaration until it is recorded; once its day has passed without
    it, the relief from forclusion until its own day; the revendication of goods under retention of title
    until its day. Nothing while the publication is unknown (the deadlines do not run yet) or once closed."""
    if proceeding.published_on is None or not proceeding.open_on(at):
        return []
    shown = []
    declaration = proceeding.declaration_deadline
    if not declared:
        if at <= declaration:
            shown.append(Deadline("déclaration de créance", declaration, (declaration - at).days))
        elif at <= proceeding.relief_deadline:
            shown.append(Deadline("relevé de forclusion", proceeding.relief_deadline,
                                  (proceeding.relief_deadline - at).days))
    if retention_of_title and at <= proceeding.revendication_deadline:
        shown.append(Deadline("revendication des marchandises (clause de réserve de propriété)",
                              proceeding.revendication_deadline, (proceeding.revendication_deadline - at).days))
    return shown


@dataclass(frozen=True)
class CustomerDeadlines:
    """A customer's proceedings with the deadlines to show (``deadlines``), and, for an insured customer, the
    day its credit insurer must be told of them (the publication + the insurer's days), shown beside."""

    customer_id: int
    customer: str
    kind: ProceedingKind
    deadlines: tuple[Deadline, ...]
    insurer: Deadline | None = None


def vat_still_due(vat: Decimal, amount: Decimal, still_due: Decimal) -> Decimal:
    """The VAT an invoice's unpaid part carries: its VAT in proportion of what is still due of its amount TTC,
    to the cent (half up). After a liquidation judgment the seller recovers it (CGI art. 272): a part paid
    keeps its VAT, collected and owed."""
    if amount <= 0 or still_due <= 0:
        return ZERO
    return (vat * min(still_due, amount) / amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
