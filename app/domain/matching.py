"""Payment matching (lettrage): which customer a bank credit comes from, and which invoices it pays.

Once a week the owner imports the bank statement; for each credit the matcher proposes a customer and the
invoices it settles, with a confidence and the reason in French, so that nobody who has paid receives a
reminder. The service applies the "certain" proposals itself and shows the others in "À rapprocher".

The customer, first rule that names exactly one (a rule naming several names none, and the next is tried):
the customer the caller already knows (``Credit.customer_id``); the payer's IBAN, given by the bank or
written in the label, when one customer has paid from it before; a SIREN in the label (9 digits, or a
14-digit SIRET's first 9, spaced or not); the customer code as a whole word; the name, folded as
``text.company_key`` does (accents, case, punctuation, legal forms and small words like "ets", "de"
ignored), every significant word of it in the label (of two names found, one inside the other, the longer:
"Boulangerie Martin", not "Martin"). Every customer any rule names is kept too: a number quoted in a line
that names others, and not its own customer, is never certain.

The invoices. A number is quoted when a run of digit groups of the label (separated by nothing but spaces
or punctuation) has the number's digit groups, letters ignored and leading zeros of a group optional:
"F2025-0142", "F 2025 0142", "2025/142" and "FACT 2025.0142" quote F2025-0142, and so does "F20250142"
(all its digits, as written, in one run). Every group must be there ("0142" alone is not F2025-0142), and
a number inside other digits is not quoted ("VIR 1202501427"). Before looking, the label's amounts
("1 420,00", "142.00"), dates ("15/11/2025") and IBANs are set aside, so that none of them reads as a
number. A number is weak when it has fewer than 4 digits ("142"); when it is one group written without
its letters and fewer than 6 digits, its leading zeros aside ("10234" for FA10234: "2025" may be a year,
"75011" a postcode; "000038" a bank's counter rather than F00000038);
when digits of its run beside it quote nothing ("01420" in "F2025-01420": F-1420, or a number of another
series?); or when several open items share it and the letters before it do not tell them apart ("F" from
"AV"); or when it follows a word naming another document ("CDE", "BC", "COMMANDE", "DEVIS": the customer's
own reference may have the same digits). A weak number counts only among the items of a customer recognised
otherwise.
Then, for the customer's open items, oldest first (due date, then issue date): the quoted invoices (with
the credit notes quoted beside them): exact, partial (allocated oldest first) or overpaid; else the exact
amount of one invoice; else the exact sum of its oldest invoices, less none, then one, then two... of its
oldest credit notes.

Confidence. "certain" only when the quoted numbers name open invoices of one customer, none of them weak,
no other rule names another customer, and the amount is at most what they still owe: the payer wrote the
number, the number is whole (all its digit groups, next to no stray digits, not an amount or a date), it
names one invoice, and the money fits what that invoice owes; it can then be booked unseen. A doubt lowers
it: "probable" for an overpayment of quoted invoices, a partial payment of exactly what another, unquoted
invoice owes (a number mistyped?), a weak number confirmed by the customer, the only invoice of that
amount of a recognised customer, the oldest invoices summing to the amount; "possible" for several
invoices of that amount, quoted numbers against the customer otherwise recognised, a quoted invoice
already settled; or a proposal with the customer and no invoice, saying why. ``match_all`` books the
certain proposals first, so that a guess from an amount never takes an invoice another credit names.

Speed: the Book indexes numbers, IBANs, SIRENs, codes and names (by their rarest pair of words) in dicts
once; a credit looks up only the groups and words of its label. Each customer's invoices keep their prefix
sums in a Fenwick tree, so the oldest-first sums are a search (log n, once per credit note deducted),
never an enumeration of subsets; a run copies a customer's items the first time it allocates from them,
and paying an invoice updates the sums in log n: a run stays linear in credits and invoices.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.domain.match_book import Book, Found, Look
from app.domain.match_ledger import NOTHING, Ledger, age
from app.domain.money import format_eur, from_cents, to_cents

CERTAIN, PROBABLE, POSSIBLE = "certain", "probable", "possible"
_RANK = {POSSIBLE: 0, PROBABLE: 1, CERTAIN: 2}


class Party(NamedTuple):
    """A customer as the matcher sees it."""

    customer_id: int
    name: str
    code: str = ""
    siren: str = ""
    ibans: tuple[str, ...] = ()   # IBANs this customer has paid from before


class OpenItem(NamedTuple):
    """An open invoice (due > 0) or an unallocated credit note (due < 0)."""

    invoice_id: int
    number: str
    customer_id: int
    due: Decimal                  # what is still due (negative: what a credit note still gives back)
    issue_date: date
    due_date: date


class Credit(NamedTuple):
    """One bank credit."""

    key: int                      # the caller's id of the credit
    amount: Decimal               # > 0
    on: date
    label: str                    # every text of the bank line (label, remittance info, counterparty)
    iban: str = ""                # the payer's IBAN when the bank gives it
    customer_id: int | None = None  # when the caller already knows the customer


class ProposedShare(NamedTuple):
    """What of a credit goes to one open item."""

    invoice_id: int
    amount: Decimal               # > 0 for an invoice settled; a credit note used: negative


class Proposal(NamedTuple):
    """What the matcher proposes for one credit, and why."""

    credit_key: int
    customer_id: int | None               # None only when quoted numbers name several customers, nothing else
    allocations: tuple[ProposedShare, ...]   # may be empty: customer found, invoices not
    confidence: str                        # "certain" | "probable" | "possible"
    reason: str                            # French, e.g. "n° F2025-0142 cité, montant exact"
    left: Decimal                          # what of the credit stays unallocated (overpayment, no invoice)


def propose(credit: Credit, book: Book) -> Proposal | None:
    """The proposal for one credit against the book as it stands; None when neither a customer nor an
    invoice is found (or the amount is not a credit)."""
    return _decide(credit, book.look(credit), book, {})


def quoted(credit: Credit, book: Book) -> frozenset[int]:
    """The items whose number the credit's label quotes, each alone and whole (not weak)."""
    return frozenset(ids[0] for ids, weak in book.look(credit).quotes if len(ids) == 1 and not weak)


def match_all(credits: Iterable[Credit], book: Book) -> list[Proposal]:
    """One proposal per credit that gets one, in date order (then the caller's order). What a proposal
    allocates is taken off the items it uses, so two credits never allocate the same euro twice. The
    certain proposals are booked first, the credits taken in date order; then the others, in date order,
    against what is left: a guess from an amount never takes an invoice that a later credit quotes."""
    ordered = sorted(credits, key=lambda credit: credit.on)
    ledgers: dict[int, Ledger] = {}
    proposals: list[Proposal | None] = [None] * len(ordered)
    waiting: list[tuple[int, Look]] = []
    for index, credit in enumerate(ordered):
        look = book.look(credit)
        proposal = _decide(credit, look, book, ledgers)
        if proposal is None:
            continue  # nothing paid by other credits can make a customer or a number appear
        if proposal.confidence == CERTAIN:
            proposals[index] = _book(proposal, book, ledgers)
        else:
            waiting.append((index, look))
    for index, look in waiting:
        proposal = _decide(ordered[index], look, book, ledgers)
        proposals[index] = proposal and _book(proposal, book, ledgers)
    return [proposal for proposal in proposals if proposal is not None]


def _book(proposal: Proposal, book: Book, ledgers: dict[int, Ledger]) -> Proposal:
    """Take what the proposal allocates off the run's copy of its customer's items."""
    for allocation in proposal.allocations:
        customer_id = book.items[allocation.invoice_id].customer_id
        ledger = ledgers.get(customer_id)
        if ledger is None:
            ledger = ledgers[customer_id] = book.ledgers[customer_id].copy()
        ledger.take(allocation.invoice_id, to_cents(allocation.amount))
    return proposal


def _ledger(customer_id: int, book: Book, ledgers: dict[int, Ledger]) -> Ledger:
    """The customer's items as the run left them (the Book's, until the run allocates some)."""
    return ledgers.get(customer_id) or book.ledgers.get(customer_id) or NOTHING


def _decide(credit: Credit, look: Look, book: Book, ledgers: dict[int, Ledger]) -> Proposal | None:
    """The proposal from what the line says (``look``) and what is still open (``ledgers``)."""
    amount = to_cents(credit.amount)
    if amount <= 0:
        return None
    found = look.found

    def due(item: OpenItem) -> int:
        return _ledger(item.customer_id, book, ledgers).due(item.invoice_id)

    quoted, unusable, shared = [], [], []
    for ids, weak in look.quotes:
        if len(ids) == 1 and not weak:
            item = book.items[ids[0]]
            (quoted if due(item) else unusable).append(item)
        else:
            shared.append(ids)
    quoted = list(dict.fromkeys(quoted))
    cap, before, after = CERTAIN, "", ""
    if found is not None:
        mine = [item for item in quoted if item.customer_id == found.customer_id]
        others = [item for item in quoted if item.customer_id != found.customer_id]
        for ids in shared:  # weak or shared numbers, told apart by the customer recognised
            own = [book.items[i] for i in ids if book.items[i].customer_id == found.customer_id]
            if len(own) == 1 and due(own[0]) and own[0] not in mine:
                mine.append(own[0])
                cap, before = PROBABLE, f"{found.how}, "
        if others and (mine or credit.customer_id is not None):  # the caller's customer is not questioned
            cap, after = PROBABLE, f" ; {_numbers(others)} d'un autre client, ignoré{_s(others)}"
        elif others and len({item.customer_id for item in others}) == 1:
            cap = POSSIBLE
            after = f" ; mais {found.how} : {book.name(found.customer_id)}"
            mine = others
        quoted = mine
    elif len(customers := {item.customer_id for item in quoted}) > 1:
        return Proposal(credit.key, None, (), POSSIBLE, f"{_numbers(quoted)} de clients différents",
                        from_cents(amount))
    elif customers and look.named and not customers <= look.named:  # the line names others, not this one
        cap, after = POSSIBLE, " ; mais le libellé nomme un autre client"

    invoices = [item for item in quoted if due(item) > 0]
    if invoices:
        notes = [item for item in quoted if due(item) < 0]
        proposal = _quoted(credit.key, amount, invoices, notes, _ledger(invoices[0].customer_id, book, ledgers))
        return proposal._replace(confidence=_lower(proposal.confidence, cap),
                                 reason=f"{before}{proposal.reason}{after}")

    # nothing quoted can be allocated: a number quoted that names one customer still says who paid
    unusable += quoted
    if unusable and len(customers := {item.customer_id for item in unusable}) == 1:
        customer_id = customers.pop()
        if found is None or found.customer_id == customer_id:
            item = unusable[0]
            note = f"avoir {item.number} cité" if item.due < 0 else f"n° {item.number} cité, facture déjà soldée"
            found = Found(customer_id, f"{found.how}, {note}" if found else note)
            cap = POSSIBLE
    if found is None:
        return None
    proposal = _from_amount(credit.key, amount, found, book, _ledger(found.customer_id, book, ledgers))
    return proposal._replace(confidence=_lower(proposal.confidence, cap), reason=proposal.reason + after)


def _quoted(key: int, amount: int, invoices: list[OpenItem], notes: list[OpenItem], ledger: Ledger) -> Proposal:
    """The quoted invoices (and the credit notes quoted beside them, when they leave something to pay):
    the exact sum, a partial payment allocated oldest first, or an overpayment (what is due, and the rest
    left). A partial payment of exactly what another, unquoted invoice owes may be a wrong number typed:
    only probable."""
    def due(item: OpenItem) -> int:
        return ledger.due(item.invoice_id)

    invoices.sort(key=age)
    notes.sort(key=age)
    owed = sum(due(item) for item in invoices)
    if owed + sum(due(item) for item in notes) <= 0:
        notes = []
    total = owed + sum(due(item) for item in notes)
    head = f"{_numbers(invoices + notes)} cité{_s(invoices + notes)}"
    allocations = [(item, due(item)) for item in notes]
    if amount >= total:
        allocations += [(item, due(item)) for item in invoices]
        if amount == total:
            reason, confidence = f"{head}, {'somme exacte' if len(allocations) > 1 else 'montant exact'}", CERTAIN
        else:
            reason, confidence = f"{head}, trop-perçu de {format_eur(from_cents(amount - total))}", PROBABLE
    else:
        budget = amount - sum(cents for _, cents in allocations)
        for item in invoices:
            if budget <= 0:
                break
            allocations.append((item, min(budget, due(item))))
            budget -= due(item)
        reason = (f"{head}, règlement partiel ({format_eur(from_cents(amount))} sur "
                  f"{format_eur(from_cents(total))})")
        confidence = CERTAIN
        exact = ledger.exact(amount)
        if exact is not None and exact[0] not in invoices:
            reason += f" ; mais {exact[0].number}, non citée, doit exactement ce montant"
            confidence = PROBABLE
    return _proposal(key, invoices[0].customer_id, amount, allocations, confidence, reason)


def _from_amount(key: int, amount: int, found: Found, book: Book, ledger: Ledger) -> Proposal:
    """No number to go by: the exact amount of one invoice of the customer, else the exact sum of its
    oldest invoices (less its oldest credit notes), else the customer alone."""
    name = book.name(found.customer_id)
    exact = ledger.exact(amount)
    if exact is not None:
        item, count = exact
        if count == 1:
            return _proposal(key, found.customer_id, amount, [(item, amount)], PROBABLE,
                             f"{found.how}, montant exact de {item.number}")
        return _proposal(key, found.customer_id, amount, [(item, amount)], POSSIBLE,
                         f"{found.how}, montant exact de {item.number}, la plus ancienne des {count} factures "
                         f"de ce montant")
    oldest = ledger.oldest_sum(amount)
    if oldest is not None:
        invoices, notes = oldest
        what = (f"des {len(invoices)} factures les plus anciennes" if len(invoices) > 1
                else "de la facture la plus ancienne")
        article = "les avoirs" if len(notes) > 1 else "l'avoir"
        less = f", moins {article} {_list(notes)}" if notes else ""
        allocations = [(item, ledger.due(item.invoice_id)) for item in notes + invoices]
        return _proposal(key, found.customer_id, amount, allocations, PROBABLE,
                         f"{found.how}, somme exacte {what} de {name}{less}")
    why = "aucune facture ne correspond au montant" if ledger.has_open() else "aucune facture ouverte"
    return _proposal(key, found.customer_id, amount, [], POSSIBLE, f"{found.how} ; {why}")


def _proposal(key: int, customer_id: int, amount: int, allocations: list[tuple[OpenItem, int]],
              confidence: str, reason: str) -> Proposal:
    return Proposal(key, customer_id, tuple(ProposedShare(item.invoice_id, from_cents(cents))
                                            for item, cents in allocations),
                    confidence, reason, from_cents(amount - sum(cents for _, cents in allocations)))


def _lower(confidence: str, cap: str) -> str:
    return confidence if _RANK[confidence] <= _RANK[cap] else cap


def _list(items: list[OpenItem]) -> str:
    """Numbers the French way: "A", "A et B", "A, B et C"."""
    numbers = [item.number for item in items]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} et {numbers[-1]}"


def _numbers(items: list[OpenItem]) -> str:
    return f"n° {_list(items)}"


def _s(items: list[OpenItem]) -> str:
    return "s" if len(items) > 1 else ""
