"""The demo company: a joinery SME, about 150 customers and three years of invoices and payments.

Why: a first-time user should see every screen (aging balance, dunning, risk, forecast) filled with
believable figures before importing their own files, and tests and benchmarks need a realistic volume.
Each customer is simulated from a payment behaviour (prompt, late, partial, a public body, a consumer, a
key account paying by monthly statement, one customer going bankrupt), so the indicators computed from
the data tell a coherent story. The data is deterministic for a seed and a date: the only chance is
``random.Random(seed)`` and ``today`` is passed in, never read from the clock.

Rows are bulk-inserted with ids assigned here (the database is empty), which keeps generation fast.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.domain.money import from_cents, to_cents
from app.domain.terms import PaymentTerms, TermsKind
from app.jobs import NULL_JOB, Job
from app.models import (
    Activity, ActivityKind, Allocation, Company, Customer, Dispute, DunningLetter, Guarantee, GuaranteeKind,
    Invoice, InvoiceKind, InvoiceStatus, Payment, Segment,
)
from app.services import demo_names as names

HISTORY_DAYS = 3 * 365
SEGMENT_COUNTS = ((Segment.PRIVATE, 104), (Segment.PUBLIC, 18), (Segment.CONSUMER, 22), (Segment.KEY_ACCOUNT, 6))
N_CUSTOMERS = sum(count for _, count in SEGMENT_COUNTS)
BANKRUPTCY_DAYS = 240  # the bankrupt customer's last payment, before today
CREDIT_STOP_DAYS = 205  # deliveries (and invoices) to it stopped then, at the court's judgment
# Days between two invoices and typical invoice (HT, cents), drawn per customer from these ranges.
VOLUMES = {
    Segment.PRIVATE: ((8, 30), (30_000, 250_000)),
    Segment.PUBLIC: ((20, 45), (100_000, 600_000)),
    Segment.KEY_ACCOUNT: ((2, 4), (150_000, 600_000)),
    Segment.CONSUMER: ((10, 25), (300_000, 1_500_000)),
}
VAT_STANDARD, VAT_RENOVATION, VAT_ENERGY = Decimal("0.20"), Decimal("0.10"), Decimal("0.055")
STEP_REMINDER_1, STEP_REMINDER_2, STEP_FORMAL_NOTICE = "reminder_1", "reminder_2", "formal_notice"
RECOVERY_INDEMNITY_CENTS = 4_000  # art. D441-5, per late invoice, business debtors only


class Behaviour(StrEnum):
    PROMPT = "prompt"  # pays around the due date
    REGULAR = "regular"  # up to four weeks late
    LATE = "late"  # chronically one to four months late
    PARTIAL = "partial"  # pays each invoice in two or three instalments
    PUBLIC = "public"  # late-ish (approval circuits) but surely
    CONSUMER = "consumer"  # pays on receipt, often by cheque
    STATEMENT = "statement"  # key account: one transfer a month for what fell due the month before
    BANKRUPT = "bankrupt"  # pays until it stops, about eight months before today


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    invoices: int
    credit_notes: int
    payments: int


@dataclass
class DemoCustomer:
    """A customer's row and how it buys and pays."""

    row: dict
    segment: Segment
    behaviour: Behaviour
    method: str
    iban: str
    first_invoice: date
    last_invoice: date
    mean_gap: int
    typical_cents: int

    @property
    def id(self) -> int:
        return self.row["id"]

    @property
    def name(self) -> str:
        return self.row["name"]

    @property
    def terms(self) -> PaymentTerms:
        return PaymentTerms(TermsKind(self.row["terms_kind"]), self.row["terms_days"])


@dataclass
class DemoInvoice:
    """An invoice or credit note being simulated; ``settled`` holds (date, cents) of its allocations, with
    the item's sign, so that what was still due at any date can be told."""

    customer: DemoCustomer
    issue: date
    due: date
    net: int
    vat: int
    vat_rate: Decimal
    kind: str = InvoiceKind.INVOICE.value
    id: int = 0
    number: str = ""
    status: str = InvoiceStatus.OPEN.value
    settled: list[tuple[date, int]] = field(default_factory=list)
    disputed: bool = False
    not_paid_before: date | None = None

    @property
    def total(self) -> int:
        return self.net + self.vat

    def still_due(self, at: date | None = None) -> int:
        return self.total - sum(cents for day, cents in self.settled if at is None or day <= at)

    def row(self) -> dict:
        return {"id": self.id, "number": self.number, "kind": self.kind, "customer_id": self.customer.id,
                "issue_date": self.issue, "due_date": self.due, "net_cents": self.net, "vat_cents": self.vat,
                "total_cents": self.total, "status": self.status}


def create_demo_company(session: Session, *, today: date, seed: int = 1, job: Job = NULL_JOB) -> DemoSummary:
    """Fill an empty database with the demo company and three years of history ending at ``today``.

    The caller owns the transaction: on ``JobCancelled`` (from ``job.advance``) or any error, its rollback
    leaves nothing behind. Raises ``ValueError`` when the database already holds a company or data."""
    _refuse_unless_empty(session)
    sim = Simulation(random.Random(seed), today)
    job.start(N_CUSTOMERS + 3, "Création de la société de démonstration")
    session.execute(insert(Company), [names.company()])
    sim.create_customers()
    session.execute(insert(Customer), [customer.row for customer in sim.customers])
    for customer in sim.customers:
        sim.plan_invoices(customer)
        job.advance()
    sim.number_invoices()
    sim.add_credit_notes()
    sim.add_disputes()
    sim.add_payments()
    sim.set_statuses()
    job.advance(label="Enregistrement des factures et des règlements")
    _insert(session, Invoice, [invoice.row() for invoice in sim.invoices + sim.credit_notes])
    _insert(session, Payment, sim.payments)
    _insert(session, Allocation, sim.allocations)
    job.advance(label="Garanties, litiges et relances")
    _insert(session, Guarantee, sim.guarantees())
    _insert(session, Dispute, sim.disputes)
    _insert(session, Activity, sim.activities())
    _insert(session, DunningLetter, sim.letters())
    _move_id_sequences(session, (Company, Customer, Invoice, Payment, Allocation, Guarantee, Dispute, Activity,
                                 DunningLetter))
    job.advance()
    return DemoSummary(customers=len(sim.customers), invoices=len(sim.invoices),
                       credit_notes=len(sim.credit_notes), payments=len(sim.payments))


def _refuse_unless_empty(session: Session) -> None:
    """Ids are assigned here, so the demo goes only into an empty database."""
    if session.scalar(select(func.count()).select_from(Company)):
        raise ValueError("La base contient déjà une société : "
                         "la démonstration ne se crée que dans une base vide.")
    for model in (Customer, Invoice, Payment):
        if session.scalar(select(func.count()).select_from(model)):
            raise ValueError("La base contient déjà des clients, des factures ou des règlements : "
                             "la démonstration ne se crée que dans une base vide.")


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(model), rows)


def _move_id_sequences(session: Session, models: tuple[type, ...]) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids leave behind: move them past the demo's
    rows so the next row the user creates gets a free id (SQLite needs nothing: it takes max(id) + 1)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT max(id) FROM {table}))"))


def business_day(day: date) -> date:
    """The day itself, or the next Monday: nobody invoices or credits a bank account on a week-end."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def working_day_before(day: date) -> date:
    """The day itself, or the Friday before."""
    return day - timedelta(days=day.weekday() - 4) if day.weekday() >= 5 else day


class Simulation:
    """The company's history, built customer by customer; rows are plain dicts ready to insert."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.start = today - timedelta(days=HISTORY_DAYS)
        self.customers: list[DemoCustomer] = []
        self.invoices: list[DemoInvoice] = []
        self.credit_notes: list[DemoInvoice] = []
        self.payments: list[dict] = []
        self.allocations: list[dict] = []
        self.disputes: list[dict] = []
        self.bankrupt: DemoCustomer | None = None

    def pick(self, items: list, count: int) -> list:
        """``count`` items drawn without replacement, or all of them when there are fewer."""
        return self.rng.sample(items, min(count, len(items)))

    # Customers ------------------------------------------------------------------------------------------

    def create_customers(self) -> None:
        segments = [segment for segment, count in SEGMENT_COUNTS for _ in range(count)]
        self.rng.shuffle(segments)
        used: set[str] = set()
        for index, segment in enumerate(segments, start=1):
            self.customers.append(self._customer(index, segment, used))
        self._choose_bankrupt()

    def _customer(self, index: int, segment: Segment, used: set[str]) -> DemoCustomer:
        rng = self.rng
        row = names.customer_identity(rng, segment, used)
        terms = self._terms(segment)
        behaviour = self._behaviour(segment)
        method = self._method(behaviour)
        first, last = self._active_window(segment)
        gaps, amounts = VOLUMES[segment]
        mean_gap, typical = rng.randint(*gaps), rng.randint(*amounts)
        known_for = rng.randint(30, 1500) if first <= self.start + timedelta(days=60) else rng.randint(3, 60)
        row.update(id=index, code=f"C{index:04d}", segment=segment.value, terms_kind=terms.kind.value,
                   terms_days=terms.days, salesperson=rng.choice(names.SALESPEOPLE), external_rating="", notes="",
                   credit_limit_cents=self._credit_limit(segment, mean_gap, typical),
                   created_on=first - timedelta(days=known_for))
        iban = "" if method == "chèque" else names.iban(rng)[0]
        return DemoCustomer(row, segment, behaviour, method, iban, first, last, mean_gap, typical)

    def _terms(self, segment: Segment) -> PaymentTerms:
        if segment is Segment.CONSUMER:
            return PaymentTerms(TermsKind.ON_RECEIPT, 0)
        if segment is Segment.PUBLIC:
            return PaymentTerms(TermsKind.NET, 30)  # the legal payment period of public buyers
        choices = [PaymentTerms(TermsKind.NET, 30), PaymentTerms(TermsKind.NET, 45), PaymentTerms(TermsKind.NET, 60),
                   PaymentTerms(TermsKind.DAYS_END_OF_MONTH, 45), PaymentTerms(TermsKind.END_OF_MONTH_DAYS, 45),
                   PaymentTerms(TermsKind.ON_RECEIPT, 0)]
        weights = (0, 0, 3, 4, 4, 0) if segment is Segment.KEY_ACCOUNT else (60, 12, 10, 9, 6, 3)
        return self.rng.choices(choices, weights)[0]

    def _behaviour(self, segment: Segment) -> Behaviour:
        fixed = {Segment.CONSUMER: Behaviour.CONSUMER, Segment.PUBLIC: Behaviour.PUBLIC,
                 Segment.KEY_ACCOUNT: Behaviour.STATEMENT}
        if segment in fixed:
            return fixed[segment]
        kinds = (Behaviour.PROMPT, Behaviour.REGULAR, Behaviour.LATE, Behaviour.PARTIAL)
        return self.rng.choices(kinds, (33, 34, 25, 8))[0]

    def _method(self, behaviour: Behaviour) -> str:
        if behaviour is Behaviour.CONSUMER:
            return self.rng.choices(("chèque", "virement", "carte"), (45, 35, 20))[0]
        if behaviour in (Behaviour.PUBLIC, Behaviour.STATEMENT, Behaviour.PARTIAL):
            return "virement"
        return self.rng.choices(("virement", "chèque", "prélèvement"), (75, 15, 10))[0]

    def _active_window(self, segment: Segment) -> tuple[date, date]:
        """When the customer ordered: most throughout, some joined later, a few left; a consumer orders
        one job (deposit, interim and final invoices) within a couple of months."""
        rng, start = self.rng, self.start
        if segment is Segment.CONSUMER:
            first = start + timedelta(days=rng.randint(0, HISTORY_DAYS - 5))
            return first, min(self.today, first + timedelta(days=rng.randint(0, 60)))
        if segment is not Segment.PRIVATE or rng.random() < 0.75:
            first = start + timedelta(days=rng.randint(0, 20))
        else:
            first = start + timedelta(days=rng.randint(30, HISTORY_DAYS - 90))
        if segment is Segment.PRIVATE and rng.random() < 0.12:
            return first, first + timedelta(days=rng.randint(60, (self.today - first).days))
        return first, self.today

    def _credit_limit(self, segment: Segment, mean_gap: int, typical: int) -> int | None:
        """About two months of sales TTC, in whole thousands; none for public bodies and consumers, nor
        for one business in ten."""
        if segment in (Segment.PUBLIC, Segment.CONSUMER) or self.rng.random() < 0.1:
            return None
        monthly_ttc = typical * 6 // 5 * 30 // mean_gap
        limit = monthly_ttc * self.rng.choice((1, 2, 2, 3))
        return max(200_000, -(-limit // 100_000) * 100_000)

    def _choose_bankrupt(self) -> None:
        """The long-standing private customer buying the most goes bankrupt."""
        candidates = [c for c in self.customers if c.segment is Segment.PRIVATE and c.last_invoice == self.today
                      and c.first_invoice <= self.start + timedelta(days=60)]
        customer = max(candidates, key=lambda c: (c.typical_cents // c.mean_gap, -c.id))
        customer.behaviour = Behaviour.BANKRUPT
        customer.last_invoice = self.today - timedelta(days=CREDIT_STOP_DAYS)
        customer.row["notes"] = "Redressement judiciaire : ne plus livrer sans paiement à la commande."
        self.bankrupt = customer

    # Invoices -------------------------------------------------------------------------------------------

    def plan_invoices(self, customer: DemoCustomer) -> None:
        """Invoices at irregular intervals around the customer's mean gap, on working days."""
        rng, gap = self.rng, customer.mean_gap
        day = customer.first_invoice
        while (issue := business_day(day)) <= min(customer.last_invoice, self.today):
            net = rng.randint(customer.typical_cents // 4, customer.typical_cents * 7 // 4)
            rate = self._vat_rate(customer.segment)
            self.invoices.append(DemoInvoice(customer, issue, customer.terms.due_date(issue), net,
                                             vat_of(net, rate), rate))
            day = issue + timedelta(days=rng.randint(max(1, gap // 2), gap * 3 // 2))

    def _vat_rate(self, segment: Segment) -> Decimal:
        """20 %; renovation of homes over two years old 10 %, energy-saving work (insulating windows) 5.5 %."""
        if segment is Segment.CONSUMER:
            return self.rng.choices((VAT_RENOVATION, VAT_ENERGY), (70, 30))[0]
        if segment is Segment.PRIVATE and self.rng.random() < 0.08:
            return VAT_RENOVATION
        return VAT_STANDARD

    def number_invoices(self) -> None:
        """Ids in date order, and numbers F2025-00001... restarting each year."""
        self.invoices.sort(key=lambda invoice: (invoice.issue, invoice.customer.id))
        per_year: Counter[int] = Counter()
        for index, invoice in enumerate(self.invoices, start=1):
            per_year[invoice.issue.year] += 1
            invoice.id, invoice.number = index, f"F{invoice.issue.year}-{per_year[invoice.issue.year]:05d}"

    def add_credit_notes(self) -> None:
        """About one credit note a month, for a return, a price correction or a cancelled invoice. Most are
        allocated to the invoice they correct; recent ones mostly still wait on the account."""
        rng, today = self.rng, self.today
        candidates = [invoice for invoice in self.invoices if invoice.customer.behaviour is not Behaviour.BANKRUPT
                      and invoice.issue <= today - timedelta(days=10)]
        corrected = sorted(self.pick(candidates, HISTORY_DAYS // 30), key=lambda invoice: invoice.id)
        notes = []
        for invoice in corrected:
            issue = min(today, business_day(invoice.issue + timedelta(days=rng.randint(3, 30))))
            whole = rng.random() < 0.3
            net = invoice.net if whole else max(100, invoice.net * rng.randint(5, 40) // 100)
            vat = invoice.vat if whole else vat_of(net, invoice.vat_rate)
            note = DemoInvoice(invoice.customer, issue, issue, -net, -vat, invoice.vat_rate,
                               kind=InvoiceKind.CREDIT_NOTE.value)
            notes.append((note, invoice))
        notes.sort(key=lambda pair: (pair[0].issue, pair[1].id))
        per_year: Counter[int] = Counter()
        for index, (note, invoice) in enumerate(notes, start=len(self.invoices) + 1):
            per_year[note.issue.year] += 1
            note.id, note.number = index, f"AV{note.issue.year}-{per_year[note.issue.year]:04d}"
            self.credit_notes.append(note)
            recent = note.issue > today - timedelta(days=60)
            if rng.random() < (0.3 if recent else 0.8):
                self.allocate(invoice, note.issue, -note.total, credit_note=note)
                invoice.not_paid_before = note.issue

    def add_disputes(self) -> None:
        """A few invoices contested now (unpaid while open) and a few disputes closed in the past: by a
        credit note, or rejected and the invoice then paid."""
        rng, today = self.rng, self.today
        candidates = [invoice for invoice in self.invoices if invoice.customer.behaviour in
                      (Behaviour.PROMPT, Behaviour.REGULAR, Behaviour.STATEMENT) and not invoice.settled
                      and today - timedelta(days=80) <= invoice.due <= today - timedelta(days=5)]
        for invoice, reason in zip(self.pick(candidates, 4), self.pick(list(names.DISPUTE_REASONS), 4)):
            invoice.disputed = True
            opened = min(today, business_day(invoice.issue + timedelta(days=rng.randint(5, 25))))
            self._dispute(invoice, reason, opened, None, "")
        for allocation in [a for a in self.allocations if a["credit_note_id"]][:3]:
            invoice = self.invoices[allocation["invoice_id"] - 1]
            opened = max(invoice.issue, allocation["allocated_on"] - timedelta(days=rng.randint(3, 15)))
            reason = rng.choice(names.DISPUTE_REASONS)
            self._dispute(invoice, reason, opened, allocation["allocated_on"], "credit_note")
        old = [invoice for invoice in self.invoices if invoice.customer.behaviour is Behaviour.REGULAR
               and not invoice.settled and invoice.due < today - timedelta(days=200)]
        for invoice in self.pick(old, 2):
            opened = invoice.issue + timedelta(days=rng.randint(5, 15))
            closed = opened + timedelta(days=rng.randint(10, 30))
            self._dispute(invoice, "Livraison incomplète", opened, closed, "rejected")
            invoice.not_paid_before = closed

    def _dispute(self, invoice: DemoInvoice, reason: str, opened: date, closed: date | None,
                 resolution: str) -> None:
        note = {"credit_note": "Avoir émis, litige clos.",
                "rejected": "Bon de livraison signé transmis, réclamation rejetée."}.get(
            resolution, "Vérification en cours avec le chef de chantier.")
        self.disputes.append({"id": len(self.disputes) + 1, "invoice_id": invoice.id, "reason": reason,
                              "assignee": invoice.customer.row["salesperson"], "note": note, "opened_on": opened,
                              "closed_on": closed, "resolution": resolution})

    # Payments -------------------------------------------------------------------------------------------

    def add_payments(self) -> None:
        by_customer: dict[int, list[DemoInvoice]] = defaultdict(list)
        for invoice in self.invoices:
            if not invoice.disputed:
                by_customer[invoice.customer.id].append(invoice)
        for customer in self.customers:
            if customer.behaviour is Behaviour.STATEMENT:
                self._pay_by_statement(customer, by_customer[customer.id])
            else:
                for invoice in by_customer[customer.id]:
                    self._pay_invoice(customer, invoice)
        self._add_payments_on_account()

    def _delay(self, behaviour: Behaviour) -> int:
        """Days between due date and payment, for one invoice."""
        rng = self.rng
        if behaviour is Behaviour.PROMPT:
            return rng.randint(-6, 4) if rng.random() < 0.9 else rng.randint(5, 20)
        if behaviour is Behaviour.LATE:  # and now and then an invoice forgotten for months
            return rng.randint(30, 110) if rng.random() < 0.92 else rng.randint(120, 240)
        if behaviour is Behaviour.PUBLIC:
            return rng.randint(5, 45)
        if behaviour is Behaviour.CONSUMER:
            return rng.randint(0, 8) if rng.random() < 0.88 else rng.randint(15, 60)
        return rng.randint(0, 28)  # regular, partial (first instalment), bankrupt (while it still pays)

    def _pay_invoice(self, customer: DemoCustomer, invoice: DemoInvoice) -> None:
        """One payment, or two or three instalments for partial payers; none after today, nor after the
        bankrupt customer's last payment."""
        remaining = invoice.still_due()
        if remaining <= 0:
            return
        day = max(invoice.due + timedelta(days=self._delay(customer.behaviour)), invoice.issue,
                  invoice.not_paid_before or invoice.issue)
        last_day = self.today
        if customer.behaviour is Behaviour.BANKRUPT:
            last_day = self.today - timedelta(days=BANKRUPTCY_DAYS)
        for amount in self._instalments(customer, remaining):
            day = business_day(day)
            if day > last_day:
                return
            self._record_payment(customer, day, [(invoice, amount)])
            day += timedelta(days=self.rng.randint(15, 35))

    def _instalments(self, customer: DemoCustomer, remaining: int) -> list[int]:
        if customer.behaviour is not Behaviour.PARTIAL or remaining < 20_000:
            return [remaining]
        parts = []
        for _ in range(self.rng.randint(1, 2)):
            part = remaining * self.rng.randint(30, 50) // 100 // 100 * 100  # whole euros
            parts.append(part)
            remaining -= part
        return parts + [remaining]

    def _pay_by_statement(self, customer: DemoCustomer, invoices: list[DemoInvoice]) -> None:
        """A key account pays once a month, between the 5th and the 15th, everything due the month before."""
        by_month: dict[tuple[int, int], list[DemoInvoice]] = defaultdict(list)
        for invoice in invoices:
            by_month[invoice.due.year, invoice.due.month].append(invoice)
        for (year, month), due in sorted(by_month.items()):
            first_of_next = date(year + month // 12, month % 12 + 1, 1)
            day = business_day(first_of_next + timedelta(days=self.rng.randint(4, 14)))
            lines = [(invoice, invoice.still_due()) for invoice in due if invoice.still_due() > 0]
            if day <= self.today and lines:
                self._record_payment(customer, day, lines, statement=f"{year}-{month:02d}")

    def _record_payment(self, customer: DemoCustomer, day: date, lines: list[tuple[DemoInvoice, int]],
                        statement: str = "") -> None:
        payment_id = len(self.payments) + 1
        numbers = [invoice.number for invoice, _ in lines]
        self.payments.append({"id": payment_id, "customer_id": customer.id, "received_on": day,
                              "amount_cents": sum(amount for _, amount in lines), "method": customer.method,
                              "reference": self._reference(customer, day, numbers, statement),
                              "payer_iban": customer.iban if customer.method != "chèque" else ""})
        for invoice, amount in lines:
            self.allocate(invoice, day, amount, payment_id=payment_id)

    def allocate(self, invoice: DemoInvoice, day: date, amount: int, *, payment_id: int | None = None,
                 credit_note: DemoInvoice | None = None) -> None:
        """Lettrage of ``amount`` to ``invoice`` on ``day``, from a payment or a credit note."""
        self.allocations.append({"id": len(self.allocations) + 1, "invoice_id": invoice.id, "payment_id": payment_id,
                                 "credit_note_id": credit_note.id if credit_note else None,
                                 "allocated_on": day, "amount_cents": amount})
        invoice.settled.append((day, amount))
        if credit_note is not None:
            credit_note.settled.append((day, -amount))

    def _reference(self, customer: DemoCustomer, day: date, numbers: list[str], statement: str) -> str:
        """The bank line's wording; one transfer in seven forgets the invoice number, as in real life."""
        rng, payer = self.rng, names.bank_label(customer.name)
        if statement:
            return f"VIR SEPA {payer} RELEVE {statement} {len(numbers)} FACTURES"
        if customer.method == "chèque":
            return f"REMISE CHQ N° {rng.randint(1_000_000, 9_999_999)} {numbers[0]}"
        if customer.method == "carte":
            return f"CB REMISE TPE {day:%d%m%y}"
        if customer.method == "prélèvement":
            return f"PRLV SEPA {numbers[0]} RUM ATD{customer.id:06d}"
        if customer.segment is Segment.PUBLIC:
            return f"VIR DRFIP AUVERGNE RHONE ALPES MANDAT {day.year}-{rng.randint(1, 99_999):05d} {numbers[0]}"
        if rng.random() < 1 / 7:
            return f"VIR SEPA {payer}"
        return f"VIR SEPA {payer} FACT {numbers[0]}"

    def _add_payments_on_account(self) -> None:
        """A few recent transfers nobody has lettered yet: deposits on orders, round amounts."""
        payers = [c for c in self.customers if c.behaviour in (Behaviour.PROMPT, Behaviour.REGULAR) and c.iban]
        for customer in self.pick(payers, 5):
            day = business_day(self.today - timedelta(days=self.rng.randint(3, 45)))
            if day > self.today:
                continue
            self.payments.append({"id": len(self.payments) + 1, "customer_id": customer.id, "received_on": day,
                                  "amount_cents": self.rng.randint(5, 40) * 10_000, "method": "virement",
                                  "reference": f"VIR SEPA {names.bank_label(customer.name)} ACOMPTE COMMANDE",
                                  "payer_iban": customer.iban})

    def set_statuses(self) -> None:
        """Paid when fully allocated; else disputed, doubtful (the bankrupt customer) or open."""
        for invoice in self.invoices:
            if invoice.still_due() == 0:
                invoice.status = InvoiceStatus.PAID.value
            elif invoice.disputed:
                invoice.status = InvoiceStatus.DISPUTED.value
            elif invoice.customer.behaviour is Behaviour.BANKRUPT:
                invoice.status = InvoiceStatus.DOUBTFUL.value
        for note in self.credit_notes:
            if note.still_due() == 0:
                note.status = InvoiceStatus.PAID.value

    # Follow-up: guarantees, timeline, letters -----------------------------------------------------------

    def guarantees(self) -> list[dict]:
        """Credit insurance on twenty customers (two expiring within the month, some covering less than
        the limit, the bankrupt's withdrawn), two bank guarantees, a deposit and a payment delegation."""
        rng, today, rows = self.rng, self.today, []

        def add(customer: DemoCustomer, kind: GuaranteeKind, **values) -> None:
            rows.append({"id": len(rows) + 1, "customer_id": customer.id, "kind": kind.value, "guarantor": "",
                         "amount_cents": None, "percentage": None, "grade": "", "valid_from": None,
                         "valid_to": None} | values)

        limited = [c for c in self.customers if c.row["credit_limit_cents"] and c is not self.bankrupt]
        insured = [self.bankrupt, *self.pick(limited, 19)]
        for index, customer in enumerate(insured):
            insurer, grade = rng.choice(names.INSURERS)
            cover = customer.row["credit_limit_cents"] or 2_000_000
            if index % 5 == 4:
                cover = max(100_000, cover // 200_000 * 100_000)
            valid_to = today + timedelta(days=rng.randint(5, 25) if index in (1, 2) else rng.randint(40, 330))
            if customer is self.bankrupt:
                valid_to = today - timedelta(days=BANKRUPTCY_DAYS - 30)
            add(customer, GuaranteeKind.CREDIT_INSURANCE, guarantor=insurer, amount_cents=cover, percentage=90,
                grade=grade.format(10 if customer is self.bankrupt else rng.randint(2, 7)),
                valid_from=valid_to - timedelta(days=365), valid_to=valid_to)
        insured_ids = {customer.id for customer in insured}
        others = [c for c in self.customers if c.id not in insured_ids and c.segment is not Segment.CONSUMER
                  and c.segment is not Segment.PUBLIC]
        for customer in self.pick(others, 2):
            valid_from = today - timedelta(days=rng.randint(60, 400))
            add(customer, GuaranteeKind.BANK_GUARANTEE, guarantor=rng.choice(names.GUARANTOR_BANKS),
                amount_cents=rng.randint(10, 40) * 100_000, valid_from=valid_from,
                valid_to=valid_from + timedelta(days=730))
        for customer in self.pick([c for c in others if c.behaviour is Behaviour.LATE], 1):
            add(customer, GuaranteeKind.DEPOSIT, percentage=30, valid_from=today - timedelta(days=rng.randint(30, 200)))
        public = rng.choice([c for c in self.customers if c.segment is Segment.PUBLIC])
        add(rng.choice(others), GuaranteeKind.PAYMENT_DELEGATION, guarantor=public.name,
            amount_cents=rng.randint(20, 80) * 100_000, valid_from=today - timedelta(days=rng.randint(30, 300)))
        return rows

    def activities(self) -> list[dict]:
        """The bankrupt customer's story, promises to pay in the coming days, past calls and a few notes."""
        rng, today, rows = self.rng, self.today, []

        def add(customer: DemoCustomer, kind: ActivityKind, day: date, note: str, **promise) -> None:
            rows.append({"id": len(rows) + 1, "customer_id": customer.id, "kind": kind.value,
                         "happened_at": at_time(day, rng), "text": note, "promised_on": None,
                         "promised_cents": None} | promise)

        stop = self.today - timedelta(days=BANKRUPTCY_DAYS)
        for days, kind, note in (
                (20, ActivityKind.CALL, "Appel au gérant : difficultés de trésorerie, promet un règlement sous "
                                        "quinze jours."),
                (35, ActivityKind.STATUS, "Jugement d'ouverture de redressement judiciaire publié au BODACC ; "
                                          "factures ouvertes classées douteuses."),
                (45, ActivityKind.NOTE, "Créance déclarée au mandataire judiciaire (lettre recommandée)."),
                (50, ActivityKind.NOTE, "Sinistre déclaré à l'assureur-crédit.")):
            add(self.bankrupt, kind, business_day(stop + timedelta(days=days)), note)
        for customer, invoice in self.pick(self._overdue_now(), 4):
            promised_on = today + timedelta(days=rng.randint(3, 20))
            add(customer, ActivityKind.PROMISE, working_day_before(today - timedelta(days=rng.randint(0, 5))),
                f"{customer.row['contact_name']} promet un virement pour la facture {invoice.number} "
                f"d'ici au {promised_on:%d/%m/%Y}.", promised_on=promised_on, promised_cents=invoice.still_due())
        paid_late = [i for i in self.invoices if i.settled and i.settled[-1][0] > i.due + timedelta(days=30)
                     and i.customer.segment is not Segment.CONSUMER]
        for invoice in self.pick(paid_late, 10):
            add(invoice.customer, ActivityKind.CALL, business_day(invoice.due + timedelta(days=25)),
                rng.choice(names.CALLS).format(invoice.number))
        for customer, note in zip(self.pick(self.customers, len(names.NOTES)), names.NOTES):
            add(customer, ActivityKind.NOTE, working_day_before(today - timedelta(days=rng.randint(10, 300))), note)
        return rows

    def _overdue_now(self) -> list[tuple[DemoCustomer, DemoInvoice]]:
        """Each late payer's oldest invoice overdue today (not disputed), with its customer."""
        oldest: dict[int, tuple[DemoCustomer, DemoInvoice]] = {}
        for invoice in self.invoices:
            if invoice.customer.behaviour is Behaviour.LATE and invoice.due < self.today \
                    and not invoice.disputed and invoice.still_due() > 0:
                oldest.setdefault(invoice.customer.id, (invoice.customer, invoice))
        return list(oldest.values())

    def letters(self) -> list[dict]:
        """Reminders sent in the past to late payers and to the customer that went bankrupt: first
        reminder at +7 days, second at +15, formal notice at +35, while the invoice was still unpaid."""
        rng, rows = self.rng, []
        late = [c for c in self.customers if c.behaviour is Behaviour.LATE]
        for customer in [self.bankrupt, *self.pick(late, 8)]:
            invoices = [i for i in self.invoices if i.customer.id == customer.id and not i.disputed]
            if customer is self.bankrupt:  # the first invoice it never paid
                triggers = [i for i in invoices if i.still_due() > 0][:1]
            else:  # any invoice still unpaid a week after its due date
                triggers = [i for i in invoices if i.still_due(i.due + timedelta(days=7)) > 0]
            if not triggers:
                continue
            trigger = rng.choice(triggers)
            for step, days in ((STEP_REMINDER_1, 7), (STEP_REMINDER_2, 15), (STEP_FORMAL_NOTICE, 35)):
                sent = business_day(trigger.due + timedelta(days=days))
                lines = [(i, i.still_due(sent)) for i in invoices if i.due < sent <= self.today
                         and i.still_due(sent) > 0]
                letter = self._letter(customer, step, sent, lines, len(rows) + 1)
                if letter is None or not trigger.still_due(sent):
                    break
                rows.append(letter)
        return rows

    def _letter(self, customer: DemoCustomer, step: str, sent: date, lines: list[tuple[DemoInvoice, int]],
                letter_id: int) -> dict | None:
        """The record of a letter; None when nothing was due then. Late-payment interest is left out: it is
        computed by the dunning rules from the rate table, not by the demo."""
        if not lines:
            return None
        indemnities = 0
        if step != STEP_REMINDER_1 and customer.segment is not Segment.CONSUMER:
            indemnities = RECOVERY_INDEMNITY_CENTS * len(lines)
        mail = ""
        if step == STEP_FORMAL_NOTICE:
            digits = f"{self.rng.randint(0, 10**11 - 1):011d}"
            mail = f"1A {digits[:3]} {digits[3:6]} {digits[6:10]} {digits[10]}"  # a La Poste registered letter
        return {"id": letter_id, "customer_id": customer.id, "step": step, "sent_on": sent,
                "lines": [{"invoice_id": i.id, "number": i.number, "amount_due": due} for i, due in lines],
                "amount_due_cents": sum(due for _, due in lines), "penalties_cents": 0,
                "indemnities_cents": indemnities, "rate_used": "", "registered_mail_number": mail}


def vat_of(net_cents: int, rate: Decimal) -> int:
    """VAT on a net amount, rounded half-up to the cent."""
    return to_cents(from_cents(net_cents) * rate)


def at_time(day: date, rng: random.Random) -> datetime:
    """A working-hours moment of ``day``, for timeline entries."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 10, 15, 30, 45, 50))))
