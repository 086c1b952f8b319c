"""What the bank-statement readers (CFONB 120, camt.053, OFX) share: getting the file's bytes and text, the
pace of progress, the French words of their problems, and the result they hand over.

Text. Banks rarely declare their encoding truthfully (OFX headers say USASCII over Windows-1252 bytes, CFONB
is "latin-1" by custom and ASCII in practice), so the declaration is not trusted: the text is UTF-8 when the
bytes decode as such (Windows-1252 accents almost never form valid UTF-8), else Windows-1252, else latin-1,
which decodes any byte. camt is XML and says its own encoding to the XML parser.

Currency. The program counts in euros; a statement of an account kept in another currency is read as it is
(its amounts are not converted) with a warning, once per account and currency, rather than refused: the
user may still want to see its lines. The warning names the account's own currency (« compte … tenu en USD »),
and an amount in another currency than the account's says both (« montant en USD sur le compte … tenu en
EUR »).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from app.importers.records import (BankLineRecord, Problem, StatementRead, StatementBalance, UnreadableFile,
                                   with_bank_hashes)
from app.importers.sizes import check_file
from app.jobs import Job

PROGRESS_EVERY = 1000
LABEL_PROGRESS = "Lecture du relevé…"
ASK_THE_BANK = ("Téléchargez le relevé depuis l'espace en ligne de votre banque au format CFONB 120, camt.053 "
                "ou OFX, ou en CSV.")
_T = TypeVar("_T")


def file_bytes(path: Path) -> bytes:
    """The file's bytes; ``UnreadableFile`` when it cannot be opened, is empty or too large."""
    check_file(path, "téléchargez le relevé d'une période plus courte")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{Path(path).name} : lecture impossible ({error.strerror or error}).") from None
    if not data.strip():
        raise UnreadableFile(f"{Path(path).name} : le fichier est vide. {ASK_THE_BANK}")
    return data


def paced(job: Job, items: Sequence[_T]) -> Iterator[_T]:
    """The items, with ``job`` told of the progress every ``PROGRESS_EVERY`` of them (and so given the
    chance to cancel: ``advance`` raises ``JobCancelled``)."""
    job.start(len(items), LABEL_PROGRESS)
    for done, item in enumerate(items, start=1):
        yield item
        if done % PROGRESS_EVERY == 0:
            job.advance(PROGRESS_EVERY)
    job.advance(len(items) % PROGRESS_EVERY)


def plausible(day: date) -> bool:
    """A date a bank statement can carry: a garbled year (0001, 9999) is not one."""
    return 1950 <= day.year <= 2150


def joined(texts: Iterable[str]) -> str:
    """The texts a bank gives about one line, as one label: spaces collapsed, a text left out when its words
    already stand together in the label, and taking the label's place when it holds it whole (banks repeat
    the label in the remittance information, the payer's name in the label, the name in the memo)."""
    label = ""
    for text in texts:
        text = " ".join(text.split())
        if not label or f" {label} " in f" {text} ":
            label = text or label
        elif text and f" {text} " not in f" {label} ":
            label = f"{label} {text}"
    return label


def date_problem(line: int | None, column: str, value: str, expected: str) -> Problem:
    return Problem(line, column, value.strip()[:40], f"n'est pas une date (attendu {expected}).")


def amount_problem(line: int | None, column: str, value: str, expected: str) -> Problem:
    return Problem(line, column, value.strip()[:40], f"n'est pas un montant (attendu {expected}).")


class Currencies:
    """The warnings for accounts kept in a currency other than the euro, one per account and currency."""

    def __init__(self) -> None:
        self.warnings: list[Problem] = []
        self._seen: set[tuple[str, str]] = set()

    def check(self, code: str, account: str, line: int | None, column: str, kept_in: str = "") -> None:
        """Warn of ``code`` met for ``account``; ``kept_in``, when known, is the account's own currency: an
        amount in another one is said to be so (« montant en USD sur le compte … tenu en EUR »)."""
        code, kept_in = code.strip().upper()[:10], kept_in.strip().upper()[:10]
        if code and code != "EUR" and (account, code) not in self._seen:
            self._seen.add((account, code))
            if kept_in and kept_in != code:
                where = f"compte {account}" if account else "relevé"
                message = (f"montant en {code} sur le {where} tenu en {kept_in} : repris tel quel, sans conversion "
                           "en euros.")
            else:
                where = f"compte {account} tenu" if account else "relevé"
                message = f"{where} en {code} : les montants sont repris tels quels, sans conversion en euros."
            self.warnings.append(Problem(line, column, code, message))


class StatementReader:
    """What a statement reader collects as it goes (lines, balances, problems, warnings and the currencies
    met), and the result it hands over: its lines with their ``row_hash``, the currency warnings first."""

    def __init__(self) -> None:
        self.lines: list[BankLineRecord] = []
        self.balances: list[StatementBalance] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.currencies = Currencies()

    def result(self, kind: str, rows: int) -> StatementRead:
        return StatementRead(kind=kind, rows=rows, bank_lines=with_bank_hashes(self.lines),
                          statement_balances=self.balances, problems=self.problems,
                          warnings=self.currencies.warnings + self.warnings)
