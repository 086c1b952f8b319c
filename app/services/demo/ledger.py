"""The demo company's ledger: its customers, their invoices and credit notes, payments and lettrage.

Why: the figures every screen computes (aging balance, DSO, risk, forecast) come from who buys what and
who pays when, so this is the heart of the demo. Each customer is simulated from a payment behaviour
(prompt, late, partial, a public body, a consumer, a key account paying by monthly statement, one
customer going bankrupt, one placed in redressement judiciaire five weeks ago), so the indicators computed
from the data tell a coherent story. The ``Simulation`` holds the state the other demo modules read (``followup`` adds disputes, guarantees, the
timeline and dunning letters around the unpaid invoices) and the one ``random.Random`` all of them draw
from, in the order ``create_demo_company`` calls them.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.insolvency import Proceeding, ProceedingKind
from app.domain.money import from_cents, to_cents
from app.domain.terms import PaymentTerms, TermsKind
from app.models import InvoiceKind, InvoiceStatus, Segment
from app.services.demo import names

HISTORY_DAYS = 3 * 365
SEGMENT_COUNTS = ((Segment.PRIVATE, 104), (Segment.PUBLIC, 18), (Segment.CONSUMER, 22), (Segment.KEY_ACCOUNT, 6))
N_CUSTOMERS = sum(count for _, count in SEGMENT_COUNTS)
BANKRUPTCY_DAYS = 240  # the bankrupt customer's last payment, before today
CREDIT_STOP_DAYS = 205  # deliveries (and invoices) to it stopped then, at the court's judgment
RECOVERY_DAYS = 35  # the customer in redressement: its opening judgment, before today
PUBLICATION_DAYS = 10  # that judgment's BODACC publication, after it: the declaration's deadline runs
# Days between two invoices and typical invoice (HT, cents), drawn per customer from these ranges.
VOLUMES = {
    Segment.PRIVATE: ((8, 30), (30_000, 250_000)),
    Segment.PUBLIC: ((20, 45), (100_000, 600_000)),
    Segment.KEY_ACCOUNT: ((2, 4), (150_000, 600_000)),
    Segment.CONSUMER: ((10, 25), (300_000, 1_500_000)),
}
VAT_STANDARD, VAT_RENOVATION, VAT_ENERGY = Decimal("0.20"), Decimal("0.10"), Decimal("0.055")


class Behaviour(StrEnum):
    PROMPT = "prompt"  # pays around the due date
    REGULAR = "regular"  # up to four weeks late
    LATE = "late"  # chronically one to four months late
    PARTIAL = "partial"  # pays each invoice in two or three instalments
    PUBLIC = "public"  # late-ish (approval circuits) but surely
    CONSUMER = "consumer"  # pays on receipt, often by cheque
    STATEMENT = "statement"  # key account: one transfer a month for what fell due the month before
    BANKRUPT = "bankrupt"  # pays until it stops, about eight months before today


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
        self.bankrupt: DemoCustomer | None = None
        self.recovery: tuple[DemoCustomer, Proceeding] | None = None  # the customer in redressement

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
        self._choose_recovery()

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

    def _choose_recovery(self) -> None:
        """The long-standing late payer invoiced most often is placed in redressement judiciaire five weeks
        before today, published ten days later: its deadline to declare the claim runs, and its short gap
        between invoices leaves late invoices before the judgment and at least one after it."""
        candidates = [c for c in self.customers if c.behaviour is Behaviour.LATE and c.segment is Segment.PRIVATE
                      and c.last_invoice == self.today and c.first_invoice <= self.start + timedelta(days=60)]
        customer = min(candidates, key=lambda c: (c.mean_gap, c.id))
        judgment = working_day_before(self.today - timedelta(days=RECOVERY_DAYS))
        published = business_day(judgment + timedelta(days=PUBLICATION_DAYS))
        self.recovery = customer, Proceeding(ProceedingKind.RECOVERY, judgment, published)

    def held(self, invoice: DemoInvoice, day: date) -> bool:
        """Does the redressement hold ``invoice`` on ``day`` (issued before the judgment, judged by then)? From
        then on nothing is paid on it nor chased (L622-7, L622-21)."""
        if self.recovery is None or invoice.customer is not self.recovery[0]:
            return False
        proceeding = self.recovery[1]
        return proceeding.holds(invoice.issue) and proceeding.judgment_on <= day

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
        bankrupt customer's last payment, nor on an invoice the redressement holds."""
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
            if day > last_day or self.held(invoice, day):
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


def vat_of(net_cents: int, rate: Decimal) -> int:
    """VAT on a net amount, rounded half-up to the cent."""
    return to_cents(from_cents(net_cents) * rate)
