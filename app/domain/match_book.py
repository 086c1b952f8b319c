"""The matcher's Book (``app.domain.matching``): the customers and open items indexed once, and a bank line
read against them: the customer it names (IBAN, SIREN, code, name) and the invoice numbers it quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import copy
from typing import TYPE_CHECKING, NamedTuple

from app.domain.match_ledger import Ledger, age
from app.domain.text import company_key, fold, without_accents

if TYPE_CHECKING:
    from app.domain.matching import Credit, OpenItem, Party

SHORT_DIGITS = 4      # a number written with fewer digits counts only for a customer recognised otherwise
BARE_DIGITS = 6       # so does a number of one group written without its letters and with fewer digits (its
                      # leading zeros aside: a bank's « REF 000038 » is a counter, not F00000038) than
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


class Found(NamedTuple):
    """A customer recognised, and how, in French ("client reconnu par son IBAN")."""

    customer_id: int
    how: str


class Look(NamedTuple):
    """What a credit's bank line says, whatever is still open: the customer it names and the numbers it
    quotes (each the ids of the open items it may be: one, unless shared; and whether it is weak: too few
    digits, or next to digits that quote nothing)."""

    found: Found | None
    quotes: tuple[tuple[tuple[int, ...], bool], ...]
    named: frozenset[int] = frozenset()  # every customer any rule named, even among several


class Book:
    """Customers and open items indexed for the matcher: built once, then queried for thousands of credits.
    Read only: a run of ``match_all`` keeps what it pays in its own ledgers."""

    def __init__(self, parties: Iterable[Party], items: Iterable[OpenItem], *, widest: int = 1) -> None:
        self._index_parties(parties)
        self._index_items(items, widest)

    def with_items(self, items: Iterable[OpenItem], widest: int = 1) -> Book:
        """The same customers (indexed once) with these open items (``narrowed``: those some credits may
        concern, for which it proposes what the whole book would).
        ``widest``: the most digit groups of a number among every open item, so that their lines are read
        with the windows the whole book reads them with."""
        book = copy(self)  # the customers' indexes are shared: neither book changes them
        book._index_items(items, widest)
        return book

    def narrowed(self, items: Iterable[OpenItem], credits: Iterable[Credit]) -> Book:
        """The same customers with only those of ``items`` (every open item) these credits may concern: every
        item of a customer their lines name or are given, or of a number they may quote (``Quotable``); for
        them, the proposals of the whole book, without indexing a large ledger's every item."""
        credits = list(credits)
        quotable, wanted, widest = Quotable(credits), self.customers_named(credits), 1
        items = [item for item in items if item.due]  # as the whole book indexes them
        for item in items:
            groups = number_groups(item.number)
            widest = max(widest, len(groups))
            if item.customer_id not in wanted and quotable(groups):
                wanted.add(item.customer_id)
        return self.with_items([item for item in items if item.customer_id in wanted], widest)

    def customers_named(self, credits: Iterable[Credit]) -> set[int]:
        """Every customer the credits' lines name, by any rule, or that they are given: those whose open
        items their proposals may use, besides the customers of the numbers they quote."""
        named: set[int] = set()
        for credit in credits:
            look = self.look(credit)
            named.update(look.named)
            if look.found is not None:
                named.add(look.found.customer_id)
        return named

    def _index_parties(self, parties: Iterable[Party]) -> None:
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

    def _index_items(self, items: Iterable[OpenItem], widest: int) -> None:
        self.items: dict[int, OpenItem] = {}
        self._prefix: dict[int, str] = {}
        self._numbers: dict[str, list[int]] = {}
        self._groups = widest
        accounts: dict[int, list[OpenItem]] = {}
        for item in items:
            if not item.due:
                continue
            self.items[item.invoice_id] = item
            accounts.setdefault(item.customer_id, []).append(item)
            plain = _plain(item.number)
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
        self.ledgers = {customer_id: Ledger(sorted(own, key=age)) for customer_id, own in accounts.items()}

    def name(self, customer_id: int) -> str:
        """The customer's name as the reasons say it."""
        return self._names.get(customer_id, f"client n° {customer_id}")

    def look(self, credit: Credit) -> Look:
        """Read the bank line once: the customer it names and the numbers it quotes."""
        plain = _plain(credit.label)
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
        return Look(found, self._quotes(_TOKEN.findall(plain)), named)

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
                  plain: str) -> tuple[Found | None, frozenset[int]]:
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
            return Found(credit.customer_id, "client indiqué"), every
        for candidates, how in [*((c, "client reconnu par son IBAN") for c in by_iban),
                                *((c, "client reconnu par son SIREN") for c in by_siren),
                                (coded, "client reconnu par son code"), (named, "client reconnu par son nom")]:
            if (one := _only(candidates)) is not None:
                return Found(one, how), every
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
                                   digits < SHORT_DIGITS or bare and len(stripped[first - start]) < BARE_DIGITS
                                   or foreign))
            in_run = [(first, last, ids, short) for first, last, ids, short in in_run
                      if not any(a <= first and last <= b and (a, b) != (first, last) for a, b, _, _ in in_run)]
            covered = {run for first, last, _, _ in in_run for run in range(first, last)}
            found += [(first, last, ids, short or (first > start and first - 1 not in covered)
                       or (last < stop and last not in covered)) for first, last, ids, short in in_run]
            start = stop
        return tuple((ids, weak) for _, _, ids, weak in found)


PIECE = 12  # the digits of a bank line ``Quotable`` keeps every run of, up to this length


def number_groups(number: str) -> list[str]:
    """A number's digit groups as the Book reads them: "F2025-0142" → ["2025", "0142"]."""
    return _DIGITS.findall(_plain(number))


class Quotable:
    """Whether a number could be quoted by one of some credits' lines: each of its digit groups, leading
    zeros dropped, is among the digits of one of them. The Book finds a number quoted only when a run of a
    line's digit groups is its groups (or all its digits): every number the Book would find passes, and
    more; so a large ledger's items are read for a few credits only when their number passes (``Book.
    with_items``)."""

    def __init__(self, credits: Iterable[Credit]) -> None:
        self.lines = ["".join(_DIGITS.findall(_plain(credit.label))) for credit in credits]
        self.pieces = {line[start:end] for line in self.lines for start in range(len(line))
                       for end in range(start + 1, min(len(line), start + PIECE) + 1)}

    def __call__(self, groups: list[str]) -> bool:
        return bool(groups) and all(self._held(group.lstrip("0") or "0") for group in groups)

    def _held(self, digits: str) -> bool:
        return digits in self.pieces if len(digits) <= PIECE else any(digits in line for line in self.lines)


def _plain(text: str) -> str:
    """A label or a number as the Book reads it: lower case, accents off."""
    return text.lower() if text.isascii() else without_accents(text)


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
