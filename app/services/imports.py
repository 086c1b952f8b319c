"""Importing a file: what a reader found becomes customers, invoices, payments and allocations in one
transaction (the caller's), recognised again when the same file or an overlapping export comes back, and
undoable as a whole.

- A file with problems imports nothing unless the user chose to import its valid rows; the rejected rows are
  then listed in the summary.
- Customers are matched by SIREN, then customer code, then normalised name; a new customer whose name looks
  like an existing one's is created and shown as a possible duplicate, never merged silently.
- An invoice already known by its number is left alone when its source row is the same; when the amount, the
  due date or what remains due changed, it is updated, the summary says so, and the batch keeps the previous
  values so that undoing the import restores them.
- Lettered groups (FEC) become allocations by the settlement rule (``app.domain.settlement.allocate``: credit
  notes first, then payments, oldest first). When a file says what remains due (or that an invoice is settled)
  without saying by which payment, it *reports* a state as of its date: only what neither the bank nor an
  earlier file explained is booked, as a reported settlement awaiting the bank's evidence
  (``services.reported``); a file saying more is due than Encours knows is a disagreement listed to the owner.
  Every allocation is written by ``services.settlement``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import settlement as rule
from app.domain.money import format_eur, from_cents, to_cents
from app.domain.settlement import CREDIT_NOTE, PAYMENT, Debt, ImpossibleRemaining, Source
from app.domain.public_buyers import public_note, public_reason
from app.domain.text import company_key, number_key
from app.domain.vocabulary import Segment
from app.domain.terms import PaymentTerms
from app.importers import detect, reader
from app.importers.records import LedgerRead, Problem, ReadResult, due_error
from app.jobs import NULL_JOB, Job, collector_paused
from app.models.db import chunks, insert_values, reserve_ids
from app.models import Customer, FiscalPeriod, ImportBatch, Invoice, InvoiceKind, InvoiceStatus, Payment
from app.services.company import default_terms
from app.services.ownership import adopt_company, check_owner
from app.services import reported, settlement
from app.services.import_mappings import saved_mapping
from app.services.import_summary import ImportRefused, ImportSummary
from app.services.ledger_check import ledger_check
from app.services.lengths import checked, file_name_error
from app.services.statements import record_statement


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_file(session: Session, path: Path, kind: str | None, mapping: dict[str, str] | None,
              job: Job) -> ReadResult:
    """Read ``path`` with the reader of ``kind`` (detected when None). A spreadsheet (of invoices or of bank
    lines: a reader with a ``SCHEMA`` of columns) without an explicit mapping uses the one saved for its
    headers, else the proposed one."""
    module = reader(kind) if kind else detect(path)
    if not hasattr(module, "SCHEMA"):
        return module.read(path, job)
    return module.read(path, job, mapping=mapping, saved=partial(saved_mapping, session))


def import_file(session: Session, path: Path, *, today: date, kind: str | None = None,
                mapping: dict[str, str] | None = None, accept_valid_rows: bool = False,
                as_of: date | None = None, account: str | None = None, force_company: bool = False,
                create_company: bool | None = False, job: Job = NULL_JOB) -> ImportSummary:
    """Import one file in the caller's transaction; ``UnreadableFile`` when it cannot be read at all,
    ``ImportRefused`` when its errors show only while it is applied (the caller's transaction then rolls
    back: nothing of the file is written); ``account``: of a bank statement that names none
    (``statements.record_statement``); ``force_company``, ``create_company``: see ``services.ownership``
    (``OtherCompany`` for another firm's file, ``CompanyProposed`` when ``create_company`` is None)."""
    return import_records(session, path, read_file(session, path, kind, mapping, job), today=today,
                          accept_valid_rows=accept_valid_rows, as_of=as_of, account=account,
                          force_company=force_company, create_company=create_company, job=job)


def file_date(path: Path) -> date:
    """The day the file was written (its modification time): proposed as the date its paid and remaining
    amounts are stated at, when the user gives none."""
    return date.fromtimestamp(path.stat().st_mtime)


def import_records(session: Session, path: Path, result: ReadResult, *, today: date,
                   accept_valid_rows: bool = False, as_of: date | None = None, account: str | None = None,
                   force_company: bool = False, create_company: bool | None = False,
                   job: Job = NULL_JOB) -> ImportSummary:
    """Apply what a reader found in ``path``: nothing when it has problems, unless ``accept_valid_rows``
    (``ImportRefused`` when they are found while applying). ``as_of``: the date the file states its paid and
    remaining amounts at (else the file's own date)."""
    if why := file_name_error(path):
        raise ImportRefused(ImportSummary(file=path.name, kind=result.kind, rows=result.rows,
                                          errors=[Problem(None, None, "", why)]))
    result = checked(result)  # a text too long for its column: refused at its line, on SQLite as on PostgreSQL
    summary = ImportSummary(file=path.name, kind=result.kind, rows=result.rows, errors=list(result.problems),
                            warnings=list(result.warnings))
    ledger = isinstance(result, LedgerRead)
    if ledger:
        summary.as_of = as_of or min(file_date(path), today)
        summary.as_of_said = "date indiquée" if as_of else "date du fichier"
        check_owner(session, result, path.name, force=force_company)  # another firm's file: nothing imported
    if result.problems and not accept_valid_rows:
        return summary
    if ledger:
        summary.company = adopt_company(session, result, create=create_company)
    batch = ImportBatch(file_name=str(path), file_hash=file_hash(path), kind=result.kind, undo=[])
    session.add(batch)
    session.flush()
    summary.batch_id = batch.id
    with collector_paused():
        if ledger:
            _Import(session, batch, result, summary, job).run()
        else:
            record_statement(session, batch, result, summary, job, account)
    batch.created_count = sum(summary.created.values())
    batch.updated_count = len(summary.changes)
    batch.skipped_count = summary.duplicates
    batch.rejected_count = len({p.line for p in summary.errors})
    if summary.errors and not accept_valid_rows:
        raise ImportRefused(ImportSummary(file=summary.file, kind=summary.kind, rows=summary.rows,
                                          errors=summary.errors, warnings=summary.warnings))
    return summary


class _Import:
    """One file's records applied to the database; each step reads what it needs in bulk (no query per row)."""

    def __init__(self, session: Session, batch: ImportBatch, result: LedgerRead, summary: ImportSummary,
                 job: Job) -> None:
        self.session, self.batch, self.result, self.summary = session, batch, result, summary
        self.as_of, self.job = summary.as_of, job
        self.conn = session.connection()
        rejected = {p.line for p in result.problems if p.line is not None}
        self.invoices = [r for r in result.invoices if r.line not in rejected]
        self.payments = [r for r in result.payments if r.line not in rejected]
        self.customer_ids: dict[str, int] = {}
        self.terms: dict[int, PaymentTerms] = {}
        self.invoice_ids: dict[str, int] = {}
        self.payment_ids: dict[str, int] = {}
        self.reports: list[reported.ToReport] = []  # what the file says is paid beyond what is settled here
        self.lettered_numbers = {n for group in result.lettered for n in group.invoice_numbers}
        self.undo: list[dict] = []      # the previous values of the invoices this import changes
        self.allocated: dict[tuple[str, int], int] = {}
        self.changed_totals: set[int] = set()  # known invoices whose total this import changes

    def run(self) -> None:
        steps = (self.customers, self.new_invoices, self.new_payments, self.lettering, self.settle_from_file,
                 self.balances)
        self.job.start(len(steps), "Enregistrement dans la base…")
        for step in steps:
            step()
            self.job.advance()
        if self.result.ledger_balances:  # a FEC, everything written: its 411 balances against the aging
            self.summary.ledger_check = ledger_check(self.session, self.customer_ids, self.result.ledger_balances)

    # customers ---------------------------------------------------------------------------------------------
    def customers(self) -> None:
        by_siren, by_code, by_name = {}, {}, {}
        for c in self.session.execute(select(Customer.id, Customer.siren, Customer.code, Customer.name,
                                             Customer.terms_kind, Customer.terms_days)):
            self.terms[c.id] = PaymentTerms(c.terms_kind, c.terms_days)
            if c.siren:
                by_siren.setdefault(c.siren[:9], c.id)
            if c.code:
                by_code.setdefault(c.code.casefold(), c.id)
            by_name.setdefault(company_key(c.name), (c.id, c.name, c.siren))
        default = default_terms(self.session)
        used = {r.customer_key for r in self.invoices} | {r.customer_key for r in self.payments}
        new = []
        for record in (r for r in self.result.customers if r.key in used):
            siren = record.siren[:9]
            found = (by_siren.get(siren) if siren else None) or by_code.get(record.code.casefold() or "\0")
            same_name = by_name.get(company_key(record.name))
            if found is None and same_name and not (siren and same_name[2] and same_name[2][:9] != siren):
                found = same_name[0]
            if found is not None:
                self.customer_ids[record.key] = found
                continue
            if same_name:
                self.summary.possible_duplicates.append(
                    f"« {record.name} » (SIREN {record.siren}) ressemble à « {same_name[1]} » (SIREN "
                    f"{same_name[2]}) : créé à part, vérifiez qu'il ne s'agit pas du même client.")
            new.append(record)
        if not new:
            return
        from app.models.db import insert_new

        # a public body's name or legal category: the public segment, and the owner told why
        public = {r.key: why for r in new if (why := public_reason(r.name, r.legal_category))}

        def row(r) -> tuple:
            return (r.name, r.code, r.siren, r.vat_number, r.address, r.postcode, r.city, r.email,
                    default.kind.value, default.days, self.batch.id,
                    (Segment.PUBLIC if r.key in public else Segment.PRIVATE).value)

        uncoded = [r for r in new if not r.code]
        for record, customer_id in zip(uncoded, self._insert_with_ids(Customer, _CUSTOMER, list(map(row, uncoded)))):
            self.customer_ids[record.key] = customer_id
            self.terms[customer_id] = default
        created, mine = len(uncoded), {r.key for r in uncoded}
        # A code is one customer, even when another import brings the same new code at the same moment: each
        # chunk is one INSERT … ON CONFLICT DO NOTHING (the database waits for the other import, then leaves
        # its codes out), and the ids are read back by code. Codes go in one order, so two imports never wait
        # on each other in a cycle.
        for chunk in chunks(sorted((r for r in new if r.code), key=lambda r: r.code)):
            insert_new(self.conn, Customer.__table__, [dict(zip(_CUSTOMER, row(r))) for r in chunk],
                       "uq_customer_code")
            found = {c.code: c for c in self.conn.execute(
                select(Customer.id, Customer.code, Customer.terms_kind, Customer.terms_days, Customer.import_batch_id)
                .where(Customer.code.in_({r.code for r in chunk})))}
            for record in chunk:
                customer = found[record.code]
                self.customer_ids[record.key] = customer.id
                self.terms[customer.id] = PaymentTerms(customer.terms_kind, customer.terms_days)
            created += sum(c.import_batch_id == self.batch.id for c in found.values())
            mine.update(r.key for r in chunk if found[r.code].import_batch_id == self.batch.id)
        self.summary.created["customers"] = created
        self.summary.warnings += [Problem(None, None, "", public_note(r.name, public[r.key]))
                                  for r in new if r.key in public and r.key in mine]  # another import's: as it is

    # invoices ----------------------------------------------------------------------------------------------
    def new_invoices(self) -> None:
        # every known invoice in one read: cheaper than asking for the file's numbers by chunks of IN (...)
        known = {number_key(row.number): row for row in self.session.execute(select(
            Invoice.id, Invoice.number, Invoice.row_hash, Invoice.total_cents, Invoice.due_date,
            Invoice.issue_date, Invoice.customer_id, Invoice.status))} if self.invoices else {}
        # the rows to insert are not held: a first pass marks the new invoices (``fresh``) and what their file
        # says remains due (``remains``), then their rows are made as they are written (``_fresh``)
        fresh, remains, seen = bytearray(len(self.invoices)), [], set()
        lettered = self.lettered_numbers  # the numbers whose id ``lettering`` needs
        changed = [known[k].id for r in self.invoices if (k := number_key(r.number)) in known
                   and known[k].row_hash != r.row_hash] if known else []
        self.allocated = settlement.settled_sums(self.session, changed)
        customer_ids, due_dates = self.customer_ids, self._due_dates()
        for position, record in enumerate(self.invoices):
            key = number_key(record.number)  # "F 1" and "f1" are one number
            customer_id = customer_ids[record.customer_key]
            due = record.due_date or due_dates[customer_id][record.issue_date]
            total = to_cents(record.total)
            existing = known.get(key)
            if existing is not None:
                if existing.customer_id != customer_id:
                    self.summary.errors.append(Problem(record.line, "N° facture", record.number,
                                                       "ce numéro est déjà celui d'une facture d'un autre client ; "
                                                       "ligne ignorée."))
                    continue
                if record.number in lettered:
                    self.invoice_ids[record.number] = existing.id
                if existing.row_hash == record.row_hash:
                    self.summary.duplicates += 1
                else:
                    self._update(existing, record, total, due, customer_id)
                continue
            if key in seen:
                self.summary.duplicates += 1
                continue
            remaining = self._stated_remaining(record, total)
            if remaining is not None and not self._possible(record, total, remaining):
                continue
            seen.add(key)
            fresh[position] = 1
            remains.append(remaining)
        ids = self._insert_with_ids(Invoice, _FRESH_INVOICE, map(self._fresh_row, self._fresh(fresh, due_dates)),
                                    count=len(remains))
        for (record, customer_id, _due, total), remaining, invoice_id in zip(self._fresh(fresh, due_dates), remains,
                                                                             ids):
            if record.number in lettered:
                self.invoice_ids[record.number] = invoice_id
            if remaining is not None and total - remaining > 0:
                self.reports.append(reported.ToReport(invoice_id, customer_id, total - remaining))
        self.summary.created["invoices"] = len(remains)
        # the invoices' records are done with: let go before the settlement, which needs as much again (the
        # result is the import's own copy, ``lengths.checked``'s)
        self.invoices = self.result.invoices = []
        if self.undo:
            self.batch.undo = self.undo

    def _fresh(self, fresh: bytearray, due_dates: dict[int, dict[date, date]]):
        """(record, customer id, due date, total in cents) of each new invoice, as ``new_invoices`` found them."""
        customer_ids = self.customer_ids
        for record, new in zip(self.invoices, fresh):
            if new:
                customer_id = customer_ids[record.customer_key]
                yield (record, customer_id, record.due_date or due_dates[customer_id][record.issue_date],
                       to_cents(record.total))

    def _fresh_row(self, found: tuple) -> tuple:
        """A new invoice's row, in the order of ``_FRESH_INVOICE``: settled from the start only when there is
        nothing to pay (the settlement service writes the rest)."""
        record, customer_id, due, total = found
        net = total if record.net is None else to_cents(record.net)
        vat = total - net if record.vat is None else to_cents(record.vat)
        return (record.number, customer_id, record.issue_date, due, net, vat, total, _OPEN,
                _CREDIT_NOTE if total < 0 else _INVOICE, self.batch.id, record.line, record.row_hash, 0,
                None if total else record.issue_date)

    def _due_dates(self) -> dict[int, dict[date, date]]:
        """Per customer, the due date of an invoice issued on a day, from its terms: computed once per terms
        and day (a FEC gives no due date, and most customers share the default terms)."""
        by_terms: dict[PaymentTerms, _DueDates] = {}
        for terms in self.terms.values():
            by_terms.setdefault(terms, _DueDates(terms))
        return {customer_id: by_terms[terms] for customer_id, terms in self.terms.items()}

    def _update(self, existing, record, total: int, due: date, customer_id: int) -> None:
        """A known invoice whose row changed: amount, due date, what remains due. Its status follows the
        amounts; an invoice cannot become a credit note (or the reverse) by an update."""
        if (total < 0) != (existing.total_cents < 0):
            self.summary.errors.append(Problem(record.line, "Montant", format_eur(record.total),
                                               f"la facture {record.number} est connue avec un montant de signe "
                                               "contraire : ligne ignorée (corrigez par un avoir)."))
            return
        paid_before = self.allocated.get(("invoice", existing.id), 0)
        if abs(total) < paid_before:
            self.summary.errors.append(Problem(record.line, "Montant", format_eur(record.total),
                                               f"{format_eur(from_cents(paid_before))} sont déjà imputés sur la "
                                               f"facture {record.number} : son montant ne peut pas devenir inférieur ; "
                                               "ligne ignorée (annulez d'abord ces imputations, ou faites un avoir)."))
            return
        changes, values = [], {}
        if existing.total_cents != total:
            changes.append(f"montant {format_eur(from_cents(existing.total_cents))} → {format_eur(record.total)}")
            values["total_cents"] = total
        if why := due_error(existing.issue_date, due):  # never moved silently: said at its line
            self.summary.errors.append(Problem(record.line, "Échéance", f"{due:%d/%m/%Y}", why))
            return
        if record.due_date is not None and existing.due_date != due:
            changes.append(f"échéance {existing.due_date:%d/%m/%Y} → {due:%d/%m/%Y}")
            values["due_date"] = due
        remaining = self._stated_remaining(record, total)
        if remaining is not None and not self._possible(record, total, remaining):
            return
        state = rule.reported(total, remaining, paid_before) if remaining is not None else rule.Reported()
        if state.to_book:
            self.reports.append(reported.ToReport(existing.id, customer_id, state.to_book))
            changes.append("réglée" if not remaining else f"reste dû → {format_eur(from_cents(remaining))}")
        elif state.disagreement:
            self.summary.disagreements.append(
                f"{record.number} : le fichier dit {format_eur(from_cents(remaining))} restant dû, Encours "
                f"{format_eur(from_cents(total - paid_before))} (des règlements reçus après la date du fichier, un règlement rejeté, ou imputé à tort ?) : "
                "vérifiez ses imputations sur la fiche de la facture.")
        if not changes:
            self.summary.duplicates += 1
            return
        self.undo.append({"invoice_id": existing.id, "number": record.number,
                          "before": {"total_cents": existing.total_cents, "due_date": existing.due_date.isoformat(),
                                     "status": existing.status, "row_hash": existing.row_hash}})
        values["row_hash"] = record.row_hash
        self.session.execute(update(Invoice).where(Invoice.id == existing.id).values(**values))
        if "total_cents" in values:  # settled in full, or no longer: the settlement service says (settle_from_file)
            self.changed_totals.add(existing.id)
        self.summary.changes.append(f"{record.number} : " + ", ".join(changes))

    def _stated_remaining(self, record, total: int) -> int | None:
        """What the file says remains due on an invoice, in cents, without naming the payments: 0 when it
        says "paid"; None when it says nothing, for a credit note, and for a lettered invoice (its lettering
        names the payments)."""
        if total <= 0 or record.number in self.lettered_numbers:
            return None
        if record.paid:
            return 0
        return None if record.still_due is None else to_cents(record.still_due)

    def _possible(self, record, total: int, remaining: int) -> bool:
        """A stated remaining amount below zero or above the total is refused at its line (DOMAIN.md)."""
        try:
            rule.reported(total, remaining, 0)
        except ImpossibleRemaining:
            self.summary.errors.append(Problem(
                record.line, "Reste dû", format_eur(from_cents(remaining)),
                f"le reste dû de {record.number} ne peut être ni négatif ni supérieur au montant de la facture "
                f"({format_eur(from_cents(total))}) : ligne ignorée."))
            return False
        return True

    # payments ----------------------------------------------------------------------------------------------
    def new_payments(self) -> None:
        known = {}
        for chunk in chunks([r.row_hash for r in self.payments]):
            known.update((h, i) for h, i in self.session.execute(select(Payment.row_hash, Payment.id)
                                                                 .where(Payment.row_hash.in_(chunk))))
        fresh, hashes = [], []
        for record in self.payments:
            if record.row_hash in known:
                self.payment_ids[record.row_hash] = known[record.row_hash]
                self.summary.duplicates += 1
                continue
            known[record.row_hash] = None
            fresh.append((self.customer_ids[record.customer_key], record.received_on, to_cents(record.amount),
                          record.reference, "virement", self.batch.id, record.line, record.row_hash))
            hashes.append(record.row_hash)
        self.payment_ids.update(zip(hashes, self._insert_with_ids(Payment, _PAYMENT, fresh)))
        self.summary.created["payments"] = len(fresh)

    # allocations -------------------------------------------------------------------------------------------
    def lettering(self) -> None:
        """Allocate each lettered group by the settlement rule: its credit notes, then its payments oldest
        first, on its invoices oldest first."""
        if not self.result.lettered:
            return
        invoice_ids = [self.invoice_ids[n] for g in self.result.lettered for n in g.invoice_numbers
                       if n in self.invoice_ids]
        payment_ids = [self.payment_ids[h] for g in self.result.lettered for h in g.payment_hashes
                       if h in self.payment_ids]
        invoices = {}
        for chunk in chunks(invoice_ids):
            for row in self.session.execute(select(Invoice.id, Invoice.issue_date, Invoice.total_cents)
                                            .where(Invoice.id.in_(chunk))):
                invoices[row.id] = row
        payments = {}
        for chunk in chunks(payment_ids):
            for row in self.session.execute(select(Payment.id, Payment.received_on, Payment.amount_cents)
                                            .where(Payment.id.in_(chunk))):
                payments[row.id] = row
        used = settlement.settled_sums(self.session, invoice_ids, payment_ids)
        shares = []
        for group in self.result.lettered:
            group_invoices = sorted({self.invoice_ids[n] for n in group.invoice_numbers if n in self.invoice_ids},
                                    key=lambda i: (invoices[i].issue_date, i))
            debts = [Debt(i, invoices[i].total_cents - used["invoice", i], invoices[i].issue_date)
                     for i in group_invoices if invoices[i].total_cents > 0]
            sources = [Source(CREDIT_NOTE, i, -invoices[i].total_cents - used["credit_note", i], invoices[i].issue_date)
                       for i in group_invoices if invoices[i].total_cents < 0]
            sources += [Source(PAYMENT, p, payments[p].amount_cents - used["payment", p], payments[p].received_on)
                        for p in {self.payment_ids[h] for h in group.payment_hashes if h in self.payment_ids}]
            shares += rule.allocate(debts, sources)[0]
        written = settlement.write(self.session, shares, batch_id=self.batch.id, why=self._file_name())
        self.summary.created["allocations"] += written.allocations

    def settle_from_file(self) -> None:
        """What the file says is paid without naming the payments, beyond what is settled here: explained by
        bank credits already imported, else booked as reported settlements as of the file's date."""
        settlement.refresh(self.session, self.changed_totals)  # a total changed: paid, or open again
        booked = reported.book(self.session, self.reports, as_of=self.as_of, batch_id=self.batch.id,
                               source=self._file_name())
        self.summary.reported, self.summary.by_bank = booked.reported, booked.by_bank
        self.summary.created["payments"] += booked.reported
        self.summary.created["allocations"] += booked.reported + booked.by_bank

    def _file_name(self) -> str:
        return Path(self.batch.file_name).name

    def balances(self) -> None:
        for period in self.result.balances:
            values = {"sales_cents": to_cents(period.sales), "purchases_cents": to_cents(period.purchases),
                      "stocks_cents": to_cents(period.stocks), "suppliers_cents": to_cents(period.suppliers),
                      "import_batch_id": self.batch.id}
            existing = self.session.scalar(select(FiscalPeriod).where(FiscalPeriod.start == period.start,
                                                                      FiscalPeriod.end == period.end))
            if existing is None:
                self.session.add(FiscalPeriod(start=period.start, end=period.end, **values))
            else:  # kept by the import that brought it; a later export only refreshes the figures
                for name, value in values.items():
                    if name != "import_batch_id":
                        setattr(existing, name, value)

    def _insert_with_ids(self, model, columns: tuple[str, ...], values: Iterable[tuple],
                         count: int | None = None) -> list[int]:
        """Insert rows (tuples in the order of ``columns``; ``count`` of them when ``values`` is no list) in
        bulk, with ids reserved beforehand, and return those ids in order."""
        count = len(values) if count is None else count  # type: ignore[arg-type]
        if not count:
            return []
        ids = reserve_ids(self.conn, model.__table__, count)
        insert_values(self.conn, model.__table__, ["id", *columns],
                      ((new_id, *row) for new_id, row in zip(ids, values)), count=count)
        return ids


class _DueDates(dict):
    """Issue date -> due date under one customer's terms, each computed on first sight."""

    def __init__(self, terms: PaymentTerms) -> None:
        super().__init__()
        self.terms = terms

    def __missing__(self, issued: date) -> date:
        due = self[issued] = self.terms.due_date(issued)
        return due


_OPEN, _INVOICE, _CREDIT_NOTE = InvoiceStatus.OPEN.value, InvoiceKind.INVOICE.value, InvoiceKind.CREDIT_NOTE.value
_FRESH_INVOICE = ("number", "customer_id", "issue_date", "due_date", "net_cents", "vat_cents", "total_cents",
                  "status", "kind", "import_batch_id", "source_line", "row_hash", "settled_cents", "settled_on")
_CUSTOMER = ("name", "code", "siren", "vat_number", "address", "postcode", "city", "email", "terms_kind",
             "terms_days", "import_batch_id", "segment")
_PAYMENT = ("customer_id", "received_on", "amount_cents", "reference", "method", "import_batch_id",
            "source_line", "row_hash")
