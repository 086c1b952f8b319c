"""What a reader hands over: plain records of what a file says, and the problems found, each located.

Readers never touch the database. A record keeps where it came from (``line``) and a hash of its source row
(``row_hash``) so that re-importing the same file, or a later export that overlaps it, is recognised; the
import service turns records into customers, invoices, payments and allocations in one transaction.
Amounts are ``Decimal`` in euros, signed as the business reads them: invoices positive, credit notes
negative, payments positive (money received). Records are named tuples, like Beancount's directives: plain,
immutable, and cheap to make by the hundred thousand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.jobs import Refused


@dataclass(frozen=True)
class Problem:
    """Something the reader could not accept, in French, with where it is: "ligne 12, colonne Échéance :
    « 31/02/2026 » n'est pas une date (attendu JJ/MM/AAAA)". ``line`` is the 1-based line of the file."""

    line: int | None
    column: str | None
    value: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"ligne {self.line}" if self.line else "",
                                            f"colonne {self.column}" if self.column else "") if part)
        found = f" « {self.value} »" if self.value else ""
        return f"{where} :{found} {self.message}" if where else f"{found.strip()} {self.message}".strip()


class CustomerRecord(NamedTuple):
    """A customer as a file names it. ``key`` identifies it within the file (account number, customer code,
    SIREN or name); invoices and payments refer to it by that key."""

    key: str
    name: str
    code: str = ""
    siren: str = ""
    vat_number: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    line: int | None = None
    legal_category: str = ""  # INSEE catégorie juridique, when the file gives it (7xxx: a public body)


class InvoiceRecord(NamedTuple):
    """An invoice (``total`` > 0) or a credit note (``total`` < 0). ``due_date`` None means "from the
    customer's terms" (a FEC has no due date). ``paid`` True means the file says it is settled (lettered)
    without saying by which payment; ``still_due`` is the open amount when the file gives one."""

    number: str
    customer_key: str
    issue_date: date
    total: Decimal
    due_date: date | None = None
    net: Decimal | None = None
    vat: Decimal | None = None
    still_due: Decimal | None = None
    paid: bool = False
    line: int | None = None
    row_hash: str = ""


def remaining_error(total: Decimal, still_due: Decimal) -> str | None:
    """Why the remaining amount a file states for an invoice cannot be (DOMAIN.md, "Money received from
    several sources": refused when below zero or above the total, which would settle the invoice beyond its
    amount); a credit note's, mirrored, lies between its negative amount and zero. None when it can be."""
    if min(total, 0) <= still_due <= max(total, 0):
        return None
    from app.domain.money import format_eur  # here: the start of the window does not wait for it

    if total < 0:
        return f"n'est pas possible : le reste dû d'un avoir va de son montant ({format_eur(total)}) à zéro"
    return ("n'est pas possible : le reste dû ne peut être ni négatif ni supérieur au montant de la facture "
            f"({format_eur(total)})")


ZERO_TOTAL = ("n'est pas accepté : une facture de 0,00 € n'a rien à recouvrer (attendu son montant TTC, "
              "négatif pour un avoir)")


def due_error(issued: date, due: date) -> str | None:
    """Why a due date cannot be (before its invoice's date: a typo, or the two columns swapped; Encours never
    replaces it by a date of its own); None when it can be."""
    if due >= issued:
        return None
    return f"n'est pas possible : l'échéance précède la date de la facture ({issued:%d/%m/%Y})"


class PaymentRecord(NamedTuple):
    """Money received from a customer (``amount`` > 0), with its reference. ``letter`` is the lettering code
    tying it to invoices in the same file (FEC EcritureLet), if any."""

    customer_key: str
    received_on: date
    amount: Decimal
    reference: str = ""
    letter: str = ""
    line: int | None = None
    row_hash: str = ""


@dataclass(frozen=True)
class LetteredGroup:
    """Invoices and payments a file declares settled together (the same lettering code): the import
    allocates the payments to the invoices, oldest first."""

    letter: str
    customer_key: str
    invoice_numbers: tuple[str, ...]
    payment_hashes: tuple[str, ...]


@dataclass(frozen=True)
class PeriodBalances:
    """Per fiscal period, the balances the working-capital indicators need (FEC classes 70, 60, 3, 401)."""

    start: date
    end: date
    sales: Decimal
    purchases: Decimal
    stocks: Decimal
    suppliers: Decimal


class LedgerBalance(NamedTuple):
    """What the accountant's books say a customer owes on ``on`` (a FEC's closing date): debit − credit of
    every 411 line of the customer ``customer_key`` (negative: the customer is in credit). The import
    compares it with Encours' aging at that date (``services.ledger_check``)."""

    customer_key: str
    on: date
    amount: Decimal


class BankLineRecord(NamedTuple):
    """One line of a bank statement: a credit (money received, ``amount`` > 0) or a debit (money paid out,
    ``amount`` < 0). ``label`` is every text the bank gives about it (label, remittance information,
    complementary records), joined by spaces: the matching looks for invoice numbers and names in it.
    ``value_on`` is the value date when the bank gives one; ``account`` the account's IBAN, RIB or number
    when the file says it (a file may hold several accounts), and ``bank`` its bank and branch codes when
    the file gives them apart from the number (CFONB, OFX's BANKID and BRANCHID, camt's servicer BIC): an
    account is its bank, branch and number, never its number alone (``services.bank_accounts``)."""

    booked_on: date
    amount: Decimal
    label: str
    value_on: date | None = None
    counterparty: str = ""
    iban: str = ""            # the counterparty's IBAN, when the bank gives it
    reference: str = ""       # end-to-end or bank reference, when given apart from the label
    account: str = ""
    line: int | None = None
    row_hash: str = ""
    bank: str = ""


class StatementBalance(NamedTuple):
    """A balance the statement states: the closing one starts the cash forecast. ``on`` is the day whose end
    a closing balance is, or the day an opening balance opens (so, the balance at the end of the day
    before: the day before the statement's first day). ``account`` and ``bank`` as for a bank line."""

    account: str
    on: date
    amount: Decimal
    closing: bool = True
    line: int | None = None
    bank: str = ""


@dataclass
class ReadResult:
    """What every reader found in one file, whatever the family: ``problems`` empty means the whole file was
    understood (a problem keeps its row out); ``warnings`` are remarks that keep nothing out (a SIREN ignored).
    ``rows`` is how many data rows the file had (for the summary). ``layout`` tells files laid out alike (a
    table's header signature; "" for the other formats, whose files all look alike): what a file does not say
    and the user does (the account of a statement that names none) is remembered for its layout. A reader
    returns one of the two families below, never this base."""

    kind: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: int = 0
    layout: str = ""


@dataclass
class LedgerRead(ReadResult):
    """A ledger read (FEC, Factur-X, a billing export): customers, invoices and credit notes, the payments and
    lettered groups the file names, the fiscal periods' balances and each customer's balance (FEC)."""

    customers: list[CustomerRecord] = field(default_factory=list)
    invoices: list[InvoiceRecord] = field(default_factory=list)
    payments: list[PaymentRecord] = field(default_factory=list)
    lettered: list[LetteredGroup] = field(default_factory=list)
    balances: list[PeriodBalances] = field(default_factory=list)
    # per customer key, its 411 balance at the FEC's closing date: compared with Encours' aging after the import
    ledger_balances: list[LedgerBalance] = field(default_factory=list)
    # whose file it is: the firm whose books a FEC holds (its SIREN, from the file name), the seller of a
    # Factur-X invoice; the import compares it with the user's company (``services.ownership``)
    issuer: CustomerRecord | None = None


@dataclass
class StatementRead(ReadResult):
    """A bank statement read (CFONB, camt, OFX, a bank's table): its lines and the balances it states, each
    naming its account when the file does."""

    bank_lines: list[BankLineRecord] = field(default_factory=list)
    statement_balances: list[StatementBalance] = field(default_factory=list)


class UnreadableFile(Refused):
    """The file as a whole cannot be read (not this format, empty, no header found); the message says what
    to do, in French."""


def row_hash(*parts: object) -> str:
    """A stable fingerprint of a source row, so that the same row imported again is recognised."""
    return text_hash("\x1f".join(map(str, parts)))


def text_hash(text: str) -> str:
    """``row_hash`` of a row already joined into one text (readers hashing 100 000 rows skip the join)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def with_bank_hashes(lines: list[BankLineRecord]) -> list[BankLineRecord]:
    """The lines with their ``row_hash``: account, booking date, amount and label, plus the line's rank among
    lines alike in all of these (two identical card payments on one day are two lines). Not the position in
    the file, so that the next statement, which overlaps this one, finds the same lines again. Not the bank
    either: the hash says which line of the account it is, and the import compares it with the lines of the
    same account only (two banks' accounts of one number stay two); so the files read before the bank was
    read keep their hashes."""
    seen: dict[tuple, int] = {}
    hashed = []
    for line in lines:
        identity = (line.account, line.booked_on, line.amount, " ".join(line.label.split()))
        rank = seen[identity] = seen.get(identity, 0) + 1
        hashed.append(line._replace(row_hash=row_hash("bank", *identity, rank)))
    return hashed
