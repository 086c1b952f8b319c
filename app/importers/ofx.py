"""Reading an OFX bank statement (Open Financial Exchange: the "Money / Quicken" download of French online
banking), version 1 (SGML, tags often left unclosed) and 2 (XML), with the ``ofxparse`` library.

What is read: each account's statement (``STMTRS``, or ``CCSTMTRS`` for a card account; a file may hold
several, each line then says its ``ACCTID``, and its ``BANKID`` and ``BRANCHID`` as its ``bank``), each transaction (``STMTTRN``) as a line: ``TRNAMT`` signed
as the bank signs it (positive for money received), booked on ``DTPOSTED``, labelled by ``NAME`` (or the
``NAME`` of ``PAYEE``) and ``MEMO``, the name as counterparty, ``FITID`` as reference; and ``LEDGERBAL``
as the closing balance (``BALAMT`` on ``DTASOF``; a ``BALAMT`` left empty, the statement is read without
it, with a warning). Amounts stay ``Decimal`` as ofxparse reads them.

What is cleaned before ofxparse sees the file, because it trips on it:
- the encoding: OFX 1 headers say USASCII or CHARSET:1252 whatever the bytes are, and ofxparse decodes
  strictly by that header; the text is decoded here (``values.text_of``) and handed over as ASCII with
  character references, which its HTML parser turns back into the same characters;
- the header lines before ``<OFX>`` (leading blank lines break ofxparse's header reader): they are
  replaced by as many line breaks, so that line numbers stay those of the file;
- empty elements (``<NAME></NAME>``, ``<FITID/>``): ofxparse fails on them, on the whole file for some;
  they are given one space, which it reads as an empty value;
- time zones (``20240131120000[-5:EST]``): ofxparse moves the time to UTC, which can change the day; the
  zone is dropped so that the day stays the one the bank wrote.
Transactions ofxparse rejects (an amount or a date it cannot read) are located ``Problem``s, by the line of
their ``STMTTRN``; anything else ofxparse cannot read makes the file an ``UnreadableFile`` telling the user
to ask the bank for another format. Investment accounts are not bank statements: left out, with a warning.
No database access (DESIGN.md).
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path


from app.importers.bank_files import (ASK_THE_BANK, StatementReader, amount_problem, date_problem,
                                      file_bytes, joined, paced, plausible)
from app.importers.records import BankLineRecord, Problem, StatementRead, StatementBalance, UnreadableFile
from app.importers.values import text_of
from app.jobs import NULL_JOB, Job

KIND = "ofx"
LABEL = "Relevé bancaire OFX (Money, Quicken)"

_OFX = re.compile(r"<OFX>", re.IGNORECASE)
_EMPTY = re.compile(r"<([A-Za-z0-9_.]+)>(\s*)</\1>|<([A-Za-z0-9_.]+)\s*/>")
_ZONE = re.compile(r"(<DT[A-Za-z]+>\s*[0-9]{8}[0-9.:]*)\s*\[[^\]<]*\]", re.IGNORECASE)
_AMOUNT_LIMIT = Decimal(10) ** 13
AMOUNT_FORMAT = "un nombre signé comme -34.56"
DATE_FORMAT = "AAAAMMJJ, par exemple 20240131"


def identify(path: Path) -> bool:
    """An OFX header (``OFXHEADER``, SGML or XML) or an ``<OFX>`` element in the first 4 KB."""
    try:
        with Path(path).open("rb") as file:
            head = file.read(4096).upper()
    except OSError:
        return False
    return b"OFXHEADER" in head or b"<OFX>" in head


def read(path: Path, job: Job = NULL_JOB, **options: object) -> StatementRead:
    """The transactions and closing balances of ``path``; takes no option (``options``: every reader
    accepts them)."""
    path = Path(path)
    text = text_of(file_bytes(path))
    start = _OFX.search(text)
    if start is None:
        raise UnreadableFile(f"{path.name} n'est pas un relevé OFX : la balise <OFX> est introuvable. "
                             f"{ASK_THE_BANK}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bs4 warns that XML is parsed as HTML: what ofxparse wants
            ofx = _parser().parse(io.BytesIO(_cleaned(text, start.start())), fail_fast=False)
    except Exception:  # ofxparse raises whatever its parsing meets (IndexError, ValueError, AttributeError...)
        raise UnreadableFile(f"{path.name} : ce fichier OFX est mal formé et ne peut pas être lu. Demandez à "
                             "votre banque un autre format d'export du relevé : CFONB 120, camt.053 ou CSV."
                             ) from None
    if not ofx.accounts:
        raise UnreadableFile(f"{path.name} ne contient aucun relevé de compte (pas de bloc STMTRS). "
                             f"{ASK_THE_BANK}")
    return _Reader().read(ofx.accounts, job)


def _cleaned(text: str, start: int) -> bytes:
    """What ofxparse is given (see the module docstring): no header, no empty element, no time zone, ASCII."""
    body = "\n" * text.count("\n", 0, start) + text[start:]
    body = _EMPTY.sub(_filled, _ZONE.sub(r"\1", body))
    return body.encode("ascii", "xmlcharrefreplace")


def _filled(match: re.Match) -> str:
    name = match.group(1) or match.group(3)
    return f"<{name}> {chr(10) * (match.group(2) or '').count(chr(10))}</{name}>"


INVESTMENT = 3  # ofxparse.AccountType.Investment: a securities account (imported with ofxparse, on first use)


@lru_cache(maxsize=1)
def _parser() -> type:
    """ofxparse's parser, imported on first use: ofxparse and BeautifulSoup take a tenth of a second to load,
    and every file imported is first shown to each reader's ``identify``."""
    from ofxparse import OfxParser

    class Parser(OfxParser):
        """ofxparse (its method names), keeping where each transaction and ledger balance starts and the
        text of what we check, for the problems to quote."""

        @classmethod
        def parseTransaction(cls, txn_ofx):
            transaction = super().parseTransaction(txn_ofx)
            transaction.line = txn_ofx.sourceline
            transaction.written = {name: _tag_text(txn_ofx, name) for name in ("trnamt", "dtposted")}
            return transaction

        @classmethod
        def parseStatement(cls, stmt_ofx):
            statement = super().parseStatement(stmt_ofx)
            ledger = stmt_ofx.find("ledgerbal")
            statement.ledger = None if ledger is None else (
                ledger.sourceline, *(_tag_text(ledger, name) for name in ("balamt", "dtasof")))
            return statement

    return Parser


def _decimal(value: object) -> Decimal | None:
    """ofxparse's amount as a money amount: a finite ``Decimal`` of sensible size (it gives the int 0 for a
    "null" amount), without a negative zero; None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= _AMOUNT_LIMIT:
        return None
    return value + 0 if not value else value


def _readable(parse) -> bool:
    """Whether ofxparse's ``parse()`` gives a value (it raises, or gives None, on what it cannot read)."""
    try:
        return parse() is not None
    except Exception:  # ofxparse raises whatever its parsing meets
        return False


def _tag_text(parent, name: str) -> str:
    tag = parent.find(name)
    return tag.get_text().strip() if tag is not None else ""


class _Reader(StatementReader):
    """The accounts ofxparse found, turned into lines, balances and problems."""

    def read(self, accounts: list, job: Job) -> StatementRead:
        transactions, rejected = [], 0
        for account in accounts:
            number = account.account_id or ""
            bank = " ".join(filter(None, (" ".join((getattr(account, name, None) or "").split())
                                          for name in ("routing_number", "branch_id"))))
            if account.type == INVESTMENT:
                self.warnings.append(Problem(None, "INVSTMTRS", number, "compte-titres : ce n'est pas un relevé "
                                             "bancaire, il n'est pas repris."))
                continue
            statement = getattr(account, "statement", None)
            if statement is None:  # an account listed without its statement: nothing to read
                continue
            self.currencies.check(getattr(statement, "currency", None) or "", number, None, "CURDEF")
            self.ledger_balance(statement, number, bank)
            transactions += [(transaction, number, bank) for transaction in statement.transactions]
            self.problems += [self.rejected(entry["content"], entry["error"])
                              for entry in statement.discarded_entries]
            rejected += len(statement.discarded_entries)
        for transaction, number, bank in paced(job, transactions):
            self.transaction(transaction, number, bank)
        self.problems.sort(key=lambda problem: problem.line or 0)
        return self.result(KIND, len(transactions) + rejected)

    def transaction(self, transaction, account: str, bank: str) -> None:
        line, amount, posted = transaction.line, _decimal(transaction.amount), transaction.date
        if amount is None:
            self.problems.append(amount_problem(line, "TRNAMT", transaction.written["trnamt"], AMOUNT_FORMAT))
        elif not isinstance(posted, datetime) or not plausible(posted.date()):
            self.problems.append(date_problem(line, "DTPOSTED", transaction.written["dtposted"], DATE_FORMAT))
        else:
            name = transaction.payee or ""
            self.lines.append(BankLineRecord(
                booked_on=posted.date(), amount=amount, label=joined([name, transaction.memo or ""]),
                counterparty=" ".join(name.split()), reference=transaction.id or "", account=account, line=line,
                bank=bank))

    def rejected(self, tag, error: str) -> Problem:
        """The problem of a transaction ofxparse would not read: its amount, else its date, else what
        ofxparse said."""
        line, amount, posted = tag.sourceline, _tag_text(tag, "trnamt"), _tag_text(tag, "dtposted")
        if not amount:
            return Problem(line, "TRNAMT", "", "montant de l'opération absent.")
        if not _readable(lambda: _decimal(_parser().toDecimal(tag.find("trnamt")))):
            return amount_problem(line, "TRNAMT", amount, AMOUNT_FORMAT)
        if not posted:
            return Problem(line, "DTPOSTED", "", "date de l'opération absente.")
        if not _readable(lambda: _parser().parseOfxDateTime(posted)):
            return date_problem(line, "DTPOSTED", posted, DATE_FORMAT)
        return Problem(line, "STMTTRN", "", f"opération illisible ({error[:80]}).")

    def ledger_balance(self, statement, account: str, bank: str) -> None:
        """``LEDGERBAL`` as the closing balance; left empty by the bank, nothing; its amount alone left empty,
        a warning (the statement is read without it); unreadable, a problem."""
        if statement.ledger is None or not any(statement.ledger[1:]):
            return
        line, amount_text, date_text = statement.ledger
        if not amount_text:
            self.warnings.append(Problem(line, "LEDGERBAL/BALAMT", "", f"solde de clôture du compte {account} "
                                         "laissé vide par la banque : le relevé est repris sans ce solde."))
            return
        amount, on = _decimal(getattr(statement, "balance", None)), getattr(statement, "balance_date", None)
        if amount is None:
            self.problems.append(amount_problem(line, "LEDGERBAL/BALAMT", amount_text, AMOUNT_FORMAT))
        elif not isinstance(on, datetime) or not plausible(on.date()):
            self.problems.append(date_problem(line, "LEDGERBAL/DTASOF", date_text, DATE_FORMAT))
        else:
            self.balances.append(StatementBalance(account, on.date(), amount, closing=True, line=line, bank=bank))
