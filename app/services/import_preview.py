"""What an import would do, shown before it does it: the wizard's pages and ``import --dry-run`` ask here, and
the wizard never touches a reader itself.

The preview *is* the import, run to its end in a transaction that the caller rolls back
(``store.rehearse``): what it says would be created, changed and refused is what the import then writes, by
construction, for every format; the first rows of each kind are read back from that transaction before it is
rolled back. It costs one more reading of the file, which the wizard does in its worker with progress.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.domain.vocabulary import Segment
from app.importers import BY_NAME, REGISTRY, detect, reader
from app.importers.records import ReadResult
from app.jobs import NULL_JOB, Job
from app.models import BankLine, Customer, Invoice, InvoiceKind, Payment
from app.services.bank_accounts import account_label
from app.services.import_mappings import saved_mapping
from app.services.import_summary import ImportRefused, ImportSummary
from app.services.imports import import_file
from app.services.reported import REPORTED

FIRST_ROWS = 10  # the rows of each kind the preview shows


@dataclass(frozen=True)
class FileKind:
    """What the wizard needs to know of a recognised file: its kind, how to name it, whether it is a bank
    statement, and, for a table, the fields whose columns the user confirms ({field: French label})."""

    kind: str
    label: str
    statement: bool
    fields: dict[str, str] | None


def recognise(path: Path) -> FileKind:
    """The kind of ``path``, from its content; ``UnreadableFile`` (a French message) when no reader takes it."""
    module = detect(path)
    schema = getattr(module, "SCHEMA", None)
    return FileKind(module.KIND, module.LABEL, BY_NAME[module.KIND].statement,
                    dict(schema.fields) if schema is not None else None)


def kind_titles() -> dict[str, str]:
    """Each kind's short French name (the history of imports)."""
    return {kind.name: kind.title for kind in REGISTRY}


def file_filters() -> list[tuple[str, tuple[str, ...]]]:
    """The file dialog's filters: (French name, extensions), every importable file first."""
    every = tuple(dict.fromkeys(suffix for kind in REGISTRY for suffix in kind.suffixes))
    return [("Fichiers importables", every), *((kind.title, kind.suffixes) for kind in REGISTRY)]


def inspect_table(session: Session, path: Path, kind: str):
    """How a table (invoices, bank lines) would be read: its ``Sheet`` (encoding, headers, header line), and
    the columns to propose: those the user confirmed last time for these headers, else the guessed ones."""
    sheet = reader(kind).inspect(path)
    return sheet, saved_mapping(session, sheet.signature) or sheet.mapping


def first_rows(path: Path, kind: str, mapping: dict[str, str] | None, count: int = FIRST_ROWS) -> ReadResult:
    """The first rows of a table as they will be read with ``mapping``, while the user chooses the columns
    (instant: only these rows are read); ``UnreadableFile`` when the mapping misses a required column."""
    return reader(kind).read(path, mapping=mapping, max_rows=count)


@dataclass(frozen=True)
class NewCustomer:
    name: str
    code: str
    siren: str
    public: bool


@dataclass(frozen=True)
class NewInvoice:
    """An invoice or credit note the import creates; ``still_due`` after what the same file settles."""

    line: int | None
    number: str
    customer: str
    issued: date
    due: date
    total: Decimal
    still_due: Decimal


@dataclass(frozen=True)
class NewPayment:
    """A payment the import creates: money a file says was received (FEC, lettering), or a reported
    settlement (what an export says is paid, awaiting the bank), or a bank credit."""

    line: int | None
    customer: str
    received: date
    amount: Decimal
    reference: str


@dataclass(frozen=True)
class NewLine:
    line: int | None
    account: str
    booked: date
    label: str
    amount: Decimal


@dataclass
class Sample:
    """How many of one kind, their total when they have amounts, and the first ones in the file's order."""

    count: int = 0
    total: Decimal | None = None
    first: list = field(default_factory=list)


@dataclass
class Preview:
    """What importing a file would do: the import's own summary (counts, changes, reported settlements,
    disagreements, refused rows and warnings) and the first rows of each kind it would create."""

    summary: ImportSummary
    customers: Sample = field(default_factory=Sample)
    invoices: Sample = field(default_factory=Sample)
    credit_notes: Sample = field(default_factory=Sample)
    payments: Sample = field(default_factory=Sample)
    reported: Sample = field(default_factory=Sample)
    statement_lines: Sample = field(default_factory=Sample)

    def samples(self) -> dict[str, Sample]:
        """The kinds that have rows, by French name, in the order the wizard shows them."""
        named = {"Nouveaux clients": self.customers, "Factures": self.invoices, "Avoirs": self.credit_notes,
                 "Règlements": self.payments, "Règlements déclarés (en attente du relevé)": self.reported,
                 "Lignes de relevé": self.statement_lines}
        return {name: sample for name, sample in named.items() if sample.count}

    def lines(self) -> list[str]:
        """Each kind's count and total in French (« Factures : 138, 123 456,78 € »): the wizard and
        ``import --dry-run`` say the same."""
        return [f"{name} : {sample.count}" + ("" if sample.total is None else f", {format_eur(sample.total)}")
                for name, sample in self.samples().items()]

    def as_json(self) -> dict:
        """The import's summary as ``import --json`` gives it, with ``preview``: per kind, its count, total
        and first rows."""
        return {**self.summary.as_json(), "preview": {key: {
            "count": sample.count, **({} if sample.total is None else {"total": str(sample.total)}),
            "first": [_json(row) for row in sample.first]} for key, sample in (
            ("customers", self.customers), ("invoices", self.invoices), ("credit_notes", self.credit_notes),
            ("payments", self.payments), ("reported", self.reported), ("statement_lines", self.statement_lines))}}


def _json(row) -> dict:
    return {name: value.isoformat() if isinstance(value, date) else str(value) if isinstance(value, Decimal)
            else value for name, value in asdict(row).items()}


def preview_file(session: Session, path: Path, *, today: date, job: Job = NULL_JOB, **options) -> Preview:
    """Import ``path`` in the caller's transaction, which the caller rolls back (``store.rehearse``), and say
    what it did. ``options`` are ``import_file``'s; its questions (``AccountNeeded``, ``OtherCompany``,
    ``CompanyProposed``) and ``UnreadableFile`` are raised as by the import itself."""
    try:
        summary = import_file(session, path, today=today, job=job, **options)
    except ImportRefused as refused:
        return Preview(refused.summary)
    return written(session, summary)


def written(session: Session, summary: ImportSummary) -> Preview:
    """What an import wrote (the one ``summary`` reports), read back from the database: the preview's rows,
    and, once the import is committed, what it really wrote (the tests compare both)."""
    preview = Preview(summary)
    if summary.batch_id is None:  # refused: nothing written
        return preview
    batch_id = summary.batch_id
    names = select(Customer.id, Customer.name).subquery()
    preview.customers = Sample(
        session.scalar(select(func.count()).where(Customer.import_batch_id == batch_id)), None,
        [NewCustomer(c.name, c.code, c.siren, c.segment == Segment.PUBLIC.value) for c in session.execute(
            select(Customer).where(Customer.import_batch_id == batch_id).order_by(Customer.id).limit(FIRST_ROWS))
         .scalars()])
    for kind, attribute in ((InvoiceKind.INVOICE, "invoices"), (InvoiceKind.CREDIT_NOTE, "credit_notes")):
        where = (Invoice.import_batch_id == batch_id, Invoice.kind == kind.value)
        count, total = session.execute(select(func.count(), func.sum(Invoice.total_cents)).where(*where)).one()
        rows = session.execute(select(Invoice, names.c.name).join(names, names.c.id == Invoice.customer_id)
                               .where(*where).order_by(Invoice.source_line, Invoice.id).limit(FIRST_ROWS))
        setattr(preview, attribute, Sample(count, from_cents(total or 0), [
            NewInvoice(i.source_line, i.number, name, i.issue_date, i.due_date, from_cents(i.total_cents),
                       from_cents(i.total_cents - (i.settled_cents if i.total_cents > 0 else -i.settled_cents)))
            for i, name in rows]))
    for reported, attribute in ((False, "payments"), (True, "reported")):
        where = (Payment.import_batch_id == batch_id,
                 (Payment.method == REPORTED) if reported else (Payment.method != REPORTED))
        count, total = session.execute(select(func.count(), func.sum(Payment.amount_cents)).where(*where)).one()
        rows = session.execute(select(Payment, names.c.name).outerjoin(names, names.c.id == Payment.customer_id)
                               .where(*where).order_by(Payment.source_line, Payment.id).limit(FIRST_ROWS))
        setattr(preview, attribute, Sample(count, from_cents(total or 0), [
            NewPayment(p.source_line, name or "", p.received_on, from_cents(p.amount_cents), p.reference)
            for p, name in rows]))
    where = (BankLine.import_batch_id == batch_id,)
    count, total = session.execute(select(func.count(), func.sum(BankLine.amount_cents)).where(*where)).one()
    preview.statement_lines = Sample(count, from_cents(total or 0), [
        NewLine(b.source_line, account_label(b.account), b.booked_on, b.label, from_cents(b.amount_cents))
        for b in session.scalars(select(BankLine).where(*where).order_by(BankLine.source_line, BankLine.id)
                                 .limit(FIRST_ROWS))])
    return preview
