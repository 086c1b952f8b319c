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
its letters and fewer than 6 digits ("10234" for FA10234: "2025" may be a year, "75011" a postcode);
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

import heapq
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.domain.money import format_eur, from_cents, to_cents
from app.domain.text import company_key, fold, without_accents

CERTAIN, PROBABLE, POSSIBLE = "certain", "probable", "possible"
_RANK = {POSSIBLE: 0, PROBABLE: 1, CERTAIN: 2}
SHORT_DIGITS = 4      # a number written with fewer digits counts only for a customer recognised otherwise
BARE_DIGITS = 6       # so does a number of one group written without its letters and with fewer digits than
                      # this: "2025" may be a year, "75011" a postcode, "10234" any reference
MIN_CODE = 3          # shorter customer codes are found by chance in any label
MIN_NUMERIC_CODE = 6  # a code of digits only is found by chance in amounts and references when shorter
# words of a name that say nothing of who it is (the legal forms are dropped by company_key already)
SMALL_WORDS = frozenset({"ets", "etablissements", "ste", "societe", "cie", "et", "de", "du", "des", "la", "le",
                         "les", "l", "d", "a", "au", "aux", "en"})
# words (folded) that name another kind of document than an invoice: a number right after one of them, unless
# they are its own letters, is weak ("CDE 2026-0142", "BC2026-0142": the customer's order of the same digits)
OTHER_DOCUMENTS = frozenset({"cde", "cmd", "commande", "bc", "bon", "po", "order", "devis", "dev", "contrat",
                             "ctr", "bl", "livraison", "dossier", "mandat", "rum", "client", "cli", "compte",
                             "cpt", "chq", "cheque", "ordre", "lot", "chantier", "affaire", "marche", "engagement"})
# IBAN lengths (ISO 13616) of the countries French customers pay from; an IBAN of another country in a
# label is not recognised, and its digits are still scanned for numbers
IBAN_LENGTHS = {"fr": 27, "mc": 27, "de": 22, "be": 16, "lu": 20, "ch": 21, "it": 27, "es": 24, "nl": 18,
                "pt": 25, "gb": 22, "at": 20, "ie": 22}

_BREAK = "\x00"  # what stands in the label for an amount, a date or an IBAN set aside: it parts digit groups
_TOKEN = re.compile(r"[a-z]+|[0-9]+|\x00")
_DIGITS, _LETTERS = re.compile(r"[0-9]+"), re.compile(r"[a-z]+")
_IBAN_START = re.compile(r"(?<![a-z0-9])[a-z]{2}[0-9]{2}(?=(?: ?[a-z0-9]){11})")
_SIREN = re.compile(r"(?<![0-9])([0-9]{3})[ .]?([0-9]{3})[ .]?([0-9]{3})(?:[ .]?[0-9]{5})?(?![0-9])")
_DATE_OR_AMOUNT = re.compile(
    r"(?<![a-z0-9])(?P<day>[0-9]{1,2})[/.-](?P<month>[0-9]{1,2})[/.-](?:[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|(?<![a-z0-9.,])(?:[0-9]{1,3}(?:[ .][0-9]{3})+|[0-9]+)[.,][0-9]{2}(?![0-9])")


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


class _Found(NamedTuple):
    """A customer recognised, and how, in French ("client reconnu par son IBAN")."""

    customer_id: int
    how: str


class _Look(NamedTuple):
    """What a credit's bank line says, whatever is still open: the customer it names and the numbers it
    quotes (each the ids of the open items it may be: one, unless shared; and whether it is weak: too few
    digits, or next to digits that quote nothing)."""

    found: _Found | None
    quotes: tuple[tuple[tuple[int, ...], bool], ...]
    named: frozenset[int] = frozenset()  # every customer any rule named, even among several


class Book:
    """Customers and open items indexed for the matcher: built once, then queried for thousands of credits.
    Read only: a run of ``match_all`` keeps what it pays in its own ledgers."""

    def __init__(self, parties: Iterable[Party], items: Iterable[OpenItem]) -> None:
        self._names: dict[int, str] = {}
        self._by_iban: dict[str, set[int]] = {}
        self._by_siren: dict[str, set[int]] = {}
        self._by_code: dict[str, set[int]] = {}
        self._code_words = 1
        words_of: dict[int, frozenset[str]] = {}
        for party in parties:
            self._names[party.customer_id] = party.name
            for iban in party.ibans:
                self._by_iban.setdefault(_compact(iban), set()).add(party.customer_id)
            siren = "".join(ch for ch in party.siren if ch.isdigit())[:9]
            if len(siren) == 9:
                self._by_siren.setdefault(siren, set()).add(party.customer_id)
            code_words = fold(party.code).split()
            code = "".join(code_words)
            if len(code) >= MIN_CODE and (not code.isdigit() or len(code) >= MIN_NUMERIC_CODE):
                self._by_code.setdefault(code, set()).add(party.customer_id)
                self._code_words = max(self._code_words, len(code_words))
            words = frozenset(w for w in company_key(party.name).split() if w not in SMALL_WORDS)
            if any(len(w) >= 3 for w in words):
                words_of[party.customer_id] = words
        # each name is indexed under its rarest pair of words (its word, when it has one): a label holding
        # the whole name holds that pair, and common words ("garage", "martin") make long lists only alone
        self._vocabulary = frozenset(word for words in words_of.values() for word in words)
        frequency: dict[tuple[str, ...], int] = {}
        for words in words_of.values():
            for key in _keys(words):
                frequency[key] = frequency.get(key, 0) + 1
        self._by_words: dict[tuple[str, ...], list[tuple[int, frozenset[str]]]] = {}
        for customer_id, words in words_of.items():
            anchor = min(_keys(words), key=lambda key: (frequency[key], key))
            self._by_words.setdefault(anchor, []).append((customer_id, words))

        self._items: dict[int, OpenItem] = {}
        self._prefix: dict[int, str] = {}
        self._numbers: dict[str, list[int]] = {}
        self._groups = 1
        accounts: dict[int, list[OpenItem]] = {}
        for item in items:
            if not item.due:
                continue
            self._items[item.invoice_id] = item
            accounts.setdefault(item.customer_id, []).append(item)
            plain = item.number.lower() if item.number.isascii() else without_accents(item.number)
            groups = _DIGITS.findall(plain)
            if not groups:
                continue
            self._prefix[item.invoice_id] = "".join(_LETTERS.findall(plain[:plain.index(groups[0])]))
            self._groups = max(self._groups, len(groups))
            # all its digits in one run ("F20250142") quote any number; a number of one group only may
            # also have spaces put inside ("F 2025 0142" for F20250142)
            joined = "".join(groups)
            keys = [_grouped(groups), "j" + joined, *(["s" + joined] if len(groups) == 1 else [])]
            for key in keys:
                self._numbers.setdefault(key, []).append(item.invoice_id)
        # each customer's items as they stand, never changed: a run copies those it allocates from
        self._ledgers = {customer_id: _Ledger(sorted(own, key=_age)) for customer_id, own in accounts.items()}

    def name(self, customer_id: int) -> str:
        """The customer's name as the reasons say it."""
        return self._names.get(customer_id, f"client n° {customer_id}")

    def _look(self, credit: Credit) -> _Look:
        """Read the bank line once: the customer it names and the numbers it quotes."""
        plain = credit.label.lower() if credit.label.isascii() else without_accents(credit.label)
        ibans = [_compact(credit.iban)] if credit.iban else []
        plain = self._set_aside_ibans(plain, ibans)
        sirens: list[str] = []

        def siren(match: re.Match[str]) -> str:
            digits = "".join(match.groups())
            if digits in self._by_siren:
                sirens.append(digits)
                return _BREAK
            return match.group()

        plain = _SIREN.sub(siren, plain)
        plain = _DATE_OR_AMOUNT.sub(_set_aside_date_or_amount, plain)
        found, named = self._identify(credit, ibans, sirens, plain)
        return _Look(found, self._quotes(_TOKEN.findall(plain)), named)

    @staticmethod
    def _set_aside_ibans(plain: str, ibans: list[str]) -> str:
        """IBANs written in the label (any valid one, spaced or not) join ``ibans`` and leave the text."""
        for match in reversed(list(_IBAN_START.finditer(plain))):
            length = IBAN_LENGTHS.get(match.group()[:2])
            if length is None:
                continue
            chars, end = [], match.start()
            while end < len(plain) and len(chars) < length:
                if plain[end].isascii() and plain[end].isalnum():
                    chars.append(plain[end])
                elif plain[end] != " ":
                    break
                end += 1
            iban = "".join(chars).upper()
            if len(iban) == length and not plain[end:end + 1].isalnum() and _iban_valid(iban):
                ibans.append(iban)
                plain = f"{plain[:match.start()]}{_BREAK}{plain[end:]}"
        return plain

    def _identify(self, credit: Credit, ibans: list[str], sirens: list[str],
                  plain: str) -> tuple[_Found | None, frozenset[int]]:
        """The customer, by the first rule that names exactly one; and every customer any rule names, so
        that a number quoted in a line that names someone else (or several others) is never taken as
        certain. Of names found in the label, one contained in another ("Martin" in "Boulangerie Martin")
        gives way to the longer."""
        by_iban = [set(self._by_iban.get(iban, ())) for iban in ibans]
        by_siren = [set(self._by_siren[siren]) for siren in sirens]
        words = fold(plain).split()
        coded: set[int] = set()
        for size in range(1, self._code_words + 2):  # one word more: "C-00002" for C00002
            for start in range(len(words) - size + 1):
                coded.update(self._by_code.get("".join(words[start:start + size]), ()))
        present = self._vocabulary.intersection(words)
        names = {customer_id: name for key in _keys(present, alone=True)
                 for customer_id, name in self._by_words.get(key, ()) if name <= present}
        named = {customer_id for customer_id, name in names.items()
                 if not any(name < other for other in names.values())}
        every = frozenset().union(*by_iban, *by_siren, coded, named)
        if credit.customer_id is not None:
            return _Found(credit.customer_id, "client indiqué"), every
        for candidates, how in [*((c, "client reconnu par son IBAN") for c in by_iban),
                                *((c, "client reconnu par son SIREN") for c in by_siren),
                                (coded, "client reconnu par son code"), (named, "client reconnu par son nom")]:
            if (one := _only(candidates)) is not None:
                return _Found(one, how), every
        return None, every

    def _quotes(self, tokens: list[str]) -> tuple[tuple[tuple[int, ...], bool], ...]:
        """The numbers the label's tokens quote: each as the ids it may be, and whether it is weak. Digit
        groups with no letter between form a run; a number is tried at every start and length in it, and
        one lying inside a longer one found ("0142" in "2025 0142") is that one's part. A number is weak
        (it counts only for a customer recognised otherwise) when it has fewer than 4 digits; when it is one
        group written without its letters and fewer than 6 digits ("2025", "75011"); or when digits of its
        run next to it quote nothing: "01420" in "F2025-01420" may be F-1420, or a number of another
        series."""
        found: list[tuple[int, int, tuple[int, ...], bool]] = []
        widest, numbers = self._groups + 1, self._numbers
        start, count = 0, len(tokens)
        while start < count:
            if not tokens[start][0].isdigit():
                start += 1
                continue
            stop = start
            while stop < count and tokens[stop][0].isdigit():
                stop += 1
            letters = tokens[start - 1] if start and tokens[start - 1][0].isalpha() else ""
            stripped = [group.lstrip("0") or "0" for group in tokens[start:stop]]
            in_run = []
            for first in range(start, stop):
                for last in range(first + 1, min(stop, first + widest) + 1):
                    groups = tokens[first:last]
                    grouped = numbers.get("g" + ".".join(stripped[first - start:last - start]), ())
                    joined = numbers.get(("j" if len(groups) == 1 else "s") + "".join(groups), ())
                    if not (grouped or joined):
                        continue
                    ids = _either(grouped, joined)
                    if len(ids) > 1 and first == start and letters:
                        ids = [i for i in ids if self._prefix[i] == letters] or ids
                    digits = sum(map(len, groups))
                    bare = len(groups) == 1 and not (first == start and all(self._prefix[i] == letters for i in ids))
                    # after a word naming another document ("CDE 2026-0142", "BC2026-0142"), the same digits
                    # may be the customer's own reference
                    foreign = (first == start and letters in OTHER_DOCUMENTS
                               and not any(self._prefix[i] == letters for i in ids))
                    in_run.append((first, last, tuple(ids),
                                   digits < SHORT_DIGITS or bare and digits < BARE_DIGITS or foreign))
            in_run = [(first, last, ids, short) for first, last, ids, short in in_run
                      if not any(a <= first and last <= b and (a, b) != (first, last) for a, b, _, _ in in_run)]
            covered = {run for first, last, _, _ in in_run for run in range(first, last)}
            found += [(first, last, ids, short or (first > start and first - 1 not in covered)
                       or (last < stop and last not in covered)) for first, last, ids, short in in_run]
            start = stop
        return tuple((ids, weak) for _, _, ids, weak in found)


class _Column:
    """One kind of open item of one customer (invoices, or credit notes), oldest first, as a run pays
    them: what each still owes in cents (positive), their prefix sums in a Fenwick tree, and skip links
    past the settled ones (path-compressed), so that neither sums nor walks slow down as items are paid."""

    __slots__ = ("items", "owed", "tree", "skip", "top")

    def __init__(self, items: list[OpenItem], owed: list[int]) -> None:
        self.items, self.owed = items, owed
        size = len(owed)
        tree = [0] * (size + 1)
        for i, value in enumerate(owed, 1):
            tree[i] += value
            if (parent := i + (i & -i)) <= size:
                tree[parent] += tree[i]
        self.tree, self.skip, self.top = tree, list(range(size + 1)), 1 << size.bit_length()

    def copy(self) -> _Column:
        twin = _Column.__new__(_Column)
        twin.items, twin.top = self.items, self.top
        twin.owed, twin.tree, twin.skip = self.owed.copy(), self.tree.copy(), self.skip.copy()
        return twin

    def first(self, start: int = 0) -> int:
        """The first open position from ``start`` (the number of items when none is left)."""
        root, skip = start, self.skip
        while skip[root] != root:
            root = skip[root]
        while skip[start] != root:
            skip[start], start = root, skip[start]
        return root

    def open_until(self, last: int) -> list[int]:
        positions, position = [], self.first()
        while position <= last:
            positions.append(position)
            position = self.first(position + 1)
        return positions

    def take(self, position: int, cents: int) -> None:
        self.owed[position] -= cents
        if not self.owed[position]:
            self.skip[position] = position + 1
        i, tree = position + 1, self.tree
        while i < len(tree):
            tree[i] -= cents
            i += i & -i

    def reach(self, target: int) -> int | None:
        """The position whose prefix sum (every open item up to it) is exactly ``target``, or None."""
        if target <= 0:
            return None
        position, rest, step, tree = 0, target, self.top, self.tree
        while step:
            if (ahead := position + step) < len(tree) and tree[ahead] < rest:
                position, rest = ahead, rest - tree[ahead]
            step >>= 1
        return position if position < len(self.owed) and self.owed[position] == rest else None


class _Ledger:
    """One customer's open items: the Book's as they stand (never changed), or a run's copy of them as it
    allocates: what each still owes, and the invoices by amount (a heap of positions per amount, oldest
    first, stale entries dropped lazily; a copy copies a heap only when it changes it)."""

    __slots__ = ("invoices", "notes", "where", "by_amount", "counts", "own")

    def __init__(self, items: Iterable[OpenItem]) -> None:
        invoices, notes, where = [], [], {}
        for item in items:
            column = invoices if item.due > 0 else notes
            where[item.invoice_id] = (column is invoices, len(column))
            column.append(item)
        self.invoices = _Column(invoices, [to_cents(i.due) for i in invoices])
        self.notes = _Column(notes, [-to_cents(n.due) for n in notes])
        self.where = where
        self.by_amount: dict[int, list[int]] = {}
        self.counts: dict[int, int] = {}
        self.own: set[int] = set()
        for position, cents in enumerate(self.invoices.owed):
            self.by_amount.setdefault(cents, []).append(position)  # ascending: already a heap
            self.counts[cents] = self.counts.get(cents, 0) + 1

    def copy(self) -> _Ledger:
        twin = _Ledger.__new__(_Ledger)
        twin.invoices, twin.notes, twin.where = self.invoices.copy(), self.notes.copy(), self.where
        twin.by_amount, twin.counts, twin.own = self.by_amount.copy(), self.counts.copy(), set()
        return twin

    def _heap(self, cents: int) -> list[int]:
        """The heap of ``cents``, this ledger's own before it is changed."""
        if cents not in self.own:
            self.by_amount[cents] = self.by_amount.get(cents, []).copy()
            self.own.add(cents)
        return self.by_amount[cents]

    def due(self, invoice_id: int) -> int:
        """What the item still owes in cents: negative for a credit note, 0 once settled."""
        is_invoice, position = self.where[invoice_id]
        return self.invoices.owed[position] if is_invoice else -self.notes.owed[position]

    def take(self, invoice_id: int, cents: int) -> None:
        """Book an allocation (negative for a credit note used)."""
        is_invoice, position = self.where[invoice_id]
        if not is_invoice:
            self.notes.take(position, -cents)
            return
        before = self.invoices.owed[position]
        self.counts[before] -= 1
        self.invoices.take(position, cents)
        if after := before - cents:
            self.counts[after] = self.counts.get(after, 0) + 1
            heapq.heappush(self._heap(after), position)

    def exact(self, cents: int) -> tuple[OpenItem, int] | None:
        """The oldest open invoice owing exactly ``cents``, and how many do."""
        if not self.counts.get(cents):
            return None
        heap, owed = self.by_amount[cents], self.invoices.owed
        if owed[heap[0]] != cents:
            heap = self._heap(cents)
            while owed[heap[0]] != cents:
                heapq.heappop(heap)
        return self.invoices.items[heap[0]], self.counts[cents]

    def oldest_sum(self, cents: int) -> tuple[list[OpenItem], list[OpenItem]] | None:
        """The oldest invoices whose dues, less those of the oldest credit notes, make ``cents`` exactly:
        two invoices or more, or credit notes deducted (one invoice alone is ``exact``). Fewest credit
        notes first."""
        invoices, notes = self.invoices, self.notes
        deducted, given_back, position = [], 0, notes.first()
        while True:
            last = invoices.reach(cents + given_back)
            if last is not None and (deducted or last != invoices.first()):
                return ([invoices.items[p] for p in invoices.open_until(last)],
                        [notes.items[p] for p in deducted])
            if position >= len(notes.owed):
                return None
            deducted.append(position)
            given_back += notes.owed[position]
            position = notes.first(position + 1)

    def has_open(self) -> bool:
        return self.invoices.first() < len(self.invoices.owed) or self.notes.first() < len(self.notes.owed)


def propose(credit: Credit, book: Book) -> Proposal | None:
    """The proposal for one credit against the book as it stands; None when neither a customer nor an
    invoice is found (or the amount is not a credit)."""
    return _decide(credit, book._look(credit), book, {})


def quoted(credit: Credit, book: Book) -> frozenset[int]:
    """The items whose number the credit's label quotes, each alone and whole (not weak)."""
    return frozenset(ids[0] for ids, weak in book._look(credit).quotes if len(ids) == 1 and not weak)


def match_all(credits: Iterable[Credit], book: Book) -> list[Proposal]:
    """One proposal per credit that gets one, in date order (then the caller's order). What a proposal
    allocates is taken off the items it uses, so two credits never allocate the same euro twice. The
    certain proposals are booked first, the credits taken in date order; then the others, in date order,
    against what is left: a guess from an amount never takes an invoice that a later credit quotes."""
    ordered = sorted(credits, key=lambda credit: credit.on)
    ledgers: dict[int, _Ledger] = {}
    proposals: list[Proposal | None] = [None] * len(ordered)
    waiting: list[tuple[int, _Look]] = []
    for index, credit in enumerate(ordered):
        look = book._look(credit)
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


def _book(proposal: Proposal, book: Book, ledgers: dict[int, _Ledger]) -> Proposal:
    """Take what the proposal allocates off the run's copy of its customer's items."""
    for allocation in proposal.allocations:
        customer_id = book._items[allocation.invoice_id].customer_id
        ledger = ledgers.get(customer_id)
        if ledger is None:
            ledger = ledgers[customer_id] = book._ledgers[customer_id].copy()
        ledger.take(allocation.invoice_id, to_cents(allocation.amount))
    return proposal


def _ledger(customer_id: int, book: Book, ledgers: dict[int, _Ledger]) -> _Ledger:
    """The customer's items as the run left them (the Book's, until the run allocates some)."""
    return ledgers.get(customer_id) or book._ledgers.get(customer_id) or _NOTHING


def _decide(credit: Credit, look: _Look, book: Book, ledgers: dict[int, _Ledger]) -> Proposal | None:
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
            item = book._items[ids[0]]
            (quoted if due(item) else unusable).append(item)
        else:
            shared.append(ids)
    quoted = list(dict.fromkeys(quoted))
    cap, before, after = CERTAIN, "", ""
    if found is not None:
        mine = [item for item in quoted if item.customer_id == found.customer_id]
        others = [item for item in quoted if item.customer_id != found.customer_id]
        for ids in shared:  # weak or shared numbers, told apart by the customer recognised
            own = [book._items[i] for i in ids if book._items[i].customer_id == found.customer_id]
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
            found = _Found(customer_id, f"{found.how}, {note}" if found else note)
            cap = POSSIBLE
    if found is None:
        return None
    proposal = _from_amount(credit.key, amount, found, book, _ledger(found.customer_id, book, ledgers))
    return proposal._replace(confidence=_lower(proposal.confidence, cap), reason=proposal.reason + after)


def _quoted(key: int, amount: int, invoices: list[OpenItem], notes: list[OpenItem], ledger: _Ledger) -> Proposal:
    """The quoted invoices (and the credit notes quoted beside them, when they leave something to pay):
    the exact sum, a partial payment allocated oldest first, or an overpayment (what is due, and the rest
    left). A partial payment of exactly what another, unquoted invoice owes may be a wrong number typed:
    only probable."""
    def due(item: OpenItem) -> int:
        return ledger.due(item.invoice_id)

    invoices.sort(key=_age)
    notes.sort(key=_age)
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


def _from_amount(key: int, amount: int, found: _Found, book: Book, ledger: _Ledger) -> Proposal:
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


_NOTHING = _Ledger(())


def _set_aside_date_or_amount(match: re.Match[str]) -> str:
    """A date (a real day and month) or an amount with its cents becomes a break; anything else stays."""
    if match.group("day") is not None and not (1 <= int(match.group("day")) <= 31
                                               and 1 <= int(match.group("month")) <= 12):
        return match.group()
    return _BREAK


def _keys(words: Iterable[str], alone: bool = False) -> list[tuple[str, ...]]:
    """What a name is indexed under: its word when it has one, else its pairs of words (in order); with
    ``alone``, what a label's words may hold: every word and every pair."""
    ordered = sorted(words)
    pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]
    return [(word,) for word in ordered] + pairs if alone or len(ordered) == 1 else pairs


def _grouped(groups: list[str]) -> str:
    """A number's key by its digit groups, leading zeros dropped: "F2025-0142" and "2025/142" → "g2025.142"
    (``Book._quotes`` builds the same key from the groups it has stripped once for all its windows)."""
    return "g" + ".".join([group.lstrip("0") or "0" for group in groups])


def _either(grouped: Iterable[int], joined: Iterable[int]) -> list[int]:
    """The items a digit run may be, read both ways: those both readings agree on ("F0142" is F0142 rather
    than F142, "2025-0142" is F2025-0142 rather than F20250142), else any of them."""
    both = [i for i in grouped if i in joined]
    return both or list(dict.fromkeys([*grouped, *joined]))


def _age(item: OpenItem) -> tuple[date, date, int]:
    """Oldest first: due date, then issue date (then id, so that the order is always the same)."""
    return item.due_date, item.issue_date, item.invoice_id


def _compact(iban: str) -> str:
    return "".join(iban.split()).upper()


def _iban_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97)."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _only(customers: Iterable[int]) -> int | None:
    """The customer when exactly one is named; none when several are."""
    found = set(customers)
    return found.pop() if len(found) == 1 else None


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
