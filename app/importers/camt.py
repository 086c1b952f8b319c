"""Reading an ISO 20022 bank statement: camt.053 (the end-of-day statement banks send under SEPA, any
version from 001.02 to 001.08) and camt.054 (debit and credit notifications, read the same way).

Why the XML and not the PDF statement: it gives each movement's amount, dates, the payer's name and IBAN
and the remittance information the payer typed (invoice numbers), each in its own element.

What is read, by local name whatever the version's namespace (some banks even leave it out):
- each statement (``Stmt``, or ``Ntfctn`` in a camt.054): its account (``Acct/Id/IBAN``, else
  ``Acct/Id/Othr/Id`` with the servicer's BIC as its bank), its balances (``Bal``: OPBD, else PRCD, the opening one; CLBD the closing one,
  signed by ``CdtDbtInd``, dated by ``Dt/Dt`` or ``Dt/DtTm``) and its entries;
- each entry (``Ntry``) gives a line: ``Amt`` signed by ``CdtDbtInd`` (CRDT money received, > 0; DBIT
  money paid out, < 0; a reversal, ``RvslInd``, is booked in the direction its indicator gives), booked on
  ``BookgDt`` (else ``ValDt``), value date ``ValDt``; a date-time keeps its own calendar day (no time zone
  arithmetic: the bank's day is the one written). Its label joins every text the bank gives:
  ``AddtlNtryInf``, the remittance information (``RmtInf/Ustrd``, the structured creditor reference
  ``Strd/CdtrRefInf/Ref``, referred document numbers, ``Strd/AddtlRmtInf``), ``AddtlTxInf`` and the
  counterparty's name. The counterparty is the debtor of a credit (``RltdPties/Dbtr/Nm``, or
  ``Dbtr/Pty/Nm`` from version 08) with the IBAN of ``DbtrAcct``, the creditor of a debit; the reference
  is the end-to-end id (``Refs/EndToEndId``, unless NOTPROVIDED), else the bank's own reference.
- a batched entry (several ``TxDtls``: a remittance of cheques, a bundle of transfers) gives one line per
  transaction, each with its own amount (``TxDtls/Amt``, or ``AmtDtls/TxAmt/Amt`` in version 02), so that
  each payment can meet its invoice. When the details do not add up to the entry (an amount missing, in
  another currency, or fees taken off the total) the entry stays one line, as booked, with a warning: the
  balance must still follow from the lines.
- an entry not booked (``Sts`` PDNG or INFO) is not a movement of the account: a warning, no line.

A statement without entries is valid (its balances only). An entry whose amount, direction or dates cannot
be read is a ``Problem`` located by its XML line and gives nothing. Any other XML (a camt.052 report, pain
orders, an invoice) or a damaged file is an ``UnreadableFile`` that says what it is. The XML comes from
outside: no DTD, no entities, no network. No database access (DESIGN.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from app.importers.bank_files import (ASK_THE_BANK, StatementReader, amount_problem, date_problem,
                                      file_bytes, joined, paced, plausible)
from app.importers.records import BankLineRecord, Problem, StatementRead, StatementBalance, UnreadableFile
from app.jobs import NULL_JOB, Job

KIND = "camt"
LABEL = "Relevé bancaire camt.053 (ISO 20022, XML)"

_PARSER_OPTIONS = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
_CONTAINERS = {"BkToCstmrStmt": "Stmt", "BkToCstmrDbtCdtNtfctn": "Ntfctn"}  # camt.053, camt.054
_OTHERS = {"BkToCstmrAcctRpt": "un relevé intrajournalier camt.052",
           "CstmrCdtTrfInitn": "des ordres de virement pain.001",
           "CstmrDrctDbtInitn": "des ordres de prélèvement pain.008",
           "CstmrPmtStsRpt": "un compte rendu d'ordres pain.002"}
_AMOUNT = re.compile(r"[0-9]{1,13}(\.[0-9]{1,5})?")  # ActiveOrHistoricCurrencyAndAmount: 18 digits, 5 decimals
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SIGNS = {"CRDT": 1, "DBIT": -1}
_OPENING, _CLOSING = ("OPBD", "PRCD"), "CLBD"
AMOUNT_FORMAT = "un nombre positif comme 1234.56"
DATE_FORMAT = "AAAA-MM-JJ, par exemple 2024-01-31"


def identify(path: Path) -> bool:
    """An ISO 20022 ``Document`` whose namespace is a camt message (053, 054, or another camt, to be refused
    with an explanation), or without namespace around a statement or notification. Only the first two
    elements are parsed."""
    try:
        with Path(path).open("rb") as file:
            tags = []
            for _event, element in etree.iterparse(file, events=("start",), **_PARSER_OPTIONS):
                tags.append(element.tag)
                if len(tags) == 2:
                    break
    except Exception:  # a probe: whatever is wrong with the file, it is not one of ours
        return False
    if len(tags) < 2 or _name(tags[0]) != "Document":
        return False
    return ":camt." in tags[0].rpartition("}")[0] or _name(tags[1]) in _CONTAINERS


def read(path: Path, job: Job = NULL_JOB, **options: object) -> StatementRead:
    """The entries and balances of ``path``; takes no option (``options``: every reader accepts them)."""
    path = Path(path)
    data = file_bytes(path)
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except (etree.Error, ValueError):
        raise UnreadableFile(f"{path.name} n'est pas un fichier XML lisible (balises mal formées ou fichier "
                             f"tronqué) : ce n'est pas un relevé camt.053 utilisable. {ASK_THE_BANK}") from None
    message = root  # the message is the Document's first element (comments aside); some banks leave it bare
    if _name(root.tag) == "Document":
        message = next((child for child in root if isinstance(child.tag, str)), None)
    name = _name(message.tag) if message is not None else ""
    if name not in _CONTAINERS:
        what = _OTHERS.get(name, f"un document XML « {name[:40]} »" if name else "un document ISO 20022 vide")
        raise UnreadableFile(f"{path.name} n'est pas un relevé bancaire camt.053 ou camt.054 : il contient "
                             f"{what}. {ASK_THE_BANK}")
    return _Reader().read(message, _CONTAINERS[name], job)


def _name(tag: str) -> str:
    """The local name of a tag as lxml spells it ("{namespace}name")."""
    return tag.rpartition("}")[2]


def _local(path: str) -> str:
    """An ElementPath in local names, any namespace: "Acct/Id/IBAN" -> "{*}Acct/{*}Id/{*}IBAN"."""
    return "/".join(f"{{*}}{step}" if step[0].isalpha() else step for step in path.split("/"))


def _find(element: etree._Element, path: str) -> etree._Element | None:
    return element.find(_local(path))


def _text(element: etree._Element, path: str) -> str:
    found = element.find(_local(path))
    return " ".join((found.text or "").split()) if found is not None else ""


def _balance_currency(statement: etree._Element) -> str:
    """The currency of the statement's first balance: the account's own when ``Acct/Ccy`` does not say it."""
    amount = _find(statement, "Bal/Amt")
    return amount.get("Ccy", "") if amount is not None else ""


def _texts(element: etree._Element, path: str) -> list[str]:
    return [" ".join(found.text.split()) for found in element.iterfind(_local(path)) if found.text]


def _only(values: list[str]) -> str:
    """The value all the transactions of a line share, else nothing (a batch of several payers)."""
    return values[0] if len(set(values)) == 1 else ""


@dataclass
class _Amount:
    """A signed amount being read, or why it could not be."""

    value: Decimal | None
    problem: Problem | None = None


class _Reader(StatementReader):
    """One camt message being read: its statements, their balances and entries."""

    def read(self, message: etree._Element, container: str, job: Job) -> StatementRead:
        entries = []
        for statement in message.iterfind(_local(container)):
            account, bank = _text(statement, "Acct/Id/IBAN"), ""
            if not account:  # an account known by another number: of its bank
                account = _text(statement, "Acct/Id/Othr/Id")
                bank = _text(statement, "Acct/Svcr/FinInstnId/BIC") or _text(statement, "Acct/Svcr/FinInstnId/BICFI")
            self.currencies.check(_text(statement, "Acct/Ccy"), account, statement.sourceline, "Acct/Ccy")
            kept_in = _text(statement, "Acct/Ccy") or _balance_currency(statement)  # the account's own
            self.statement_balances(statement, account, bank, kept_in)
            entries += [(entry, account, bank, kept_in) for entry in statement.iterfind(_local("Ntry"))]
        for entry, account, bank, kept_in in paced(job, entries):
            self.entry(entry, account, bank, kept_in)
        return self.result(KIND, len(entries))

    def statement_balances(self, statement: etree._Element, account: str, bank: str, kept_in: str) -> None:
        by_code = {}
        for balance in statement.iterfind(_local("Bal")):
            code = _text(balance, "Tp/CdOrPrtry/Cd")
            if code in (*_OPENING, _CLOSING):
                by_code.setdefault(code, balance)
        opening = next((by_code[code] for code in _OPENING if code in by_code), None)
        for balance, closing in ((opening, False), (by_code.get(_CLOSING), True)):
            if balance is None:
                continue
            known = len(self.problems)
            amount = self.amount(balance, "Bal")
            on = self.date(balance, "Dt", "Bal/Dt")
            if amount.problem:
                self.problems.append(amount.problem)
            if on is None and len(self.problems) == known:
                self.problems.append(Problem(balance.sourceline, "Bal/Dt", "", "date du solde absente."))
            if len(self.problems) == known:
                self.currencies.check(_find(balance, "Amt").get("Ccy", ""), account, balance.sourceline,
                                      "Bal/Amt/@Ccy", kept_in)
                self.balances.append(StatementBalance(account, on, amount.value, closing=closing,
                                                      line=balance.sourceline, bank=bank))

    def entry(self, entry: etree._Element, account: str, bank: str, kept_in: str) -> None:
        status = _text(entry, "Sts") or _text(entry, "Sts/Cd")
        if status and status != "BOOK":
            self.warnings.append(Problem(entry.sourceline, "Ntry/Sts", status[:10], "écriture non comptabilisée "
                                         "(attendu BOOK) : elle n'est pas reprise comme mouvement du compte."))
            return
        known = len(self.problems)
        amount = self.amount(entry, "Ntry")
        booked_on = self.date(entry, "BookgDt", "Ntry/BookgDt")
        value_on = self.date(entry, "ValDt", "Ntry/ValDt")
        if amount.problem:
            self.problems.append(amount.problem)
        if booked_on is None and value_on is None and len(self.problems) == known:
            self.problems.append(Problem(entry.sourceline, "Ntry/BookgDt", "", "date de l'écriture absente "
                                         "(attendu BookgDt/Dt ou ValDt/Dt)."))
        if len(self.problems) > known:
            return
        self.currencies.check(_find(entry, "Amt").get("Ccy", ""), account, entry.sourceline, "Ntry/Amt/@Ccy",
                              kept_in)
        line = BankLineRecord(booked_on=booked_on or value_on, amount=amount.value, label="", value_on=value_on,
                              account=account, line=entry.sourceline, bank=bank)
        details = entry.findall(_local("NtryDtls/TxDtls"))
        amounts = [self.detail_amount(detail, amount.value) for detail in details]
        if len(details) > 1 and (None in amounts or sum(amounts) != amount.value):
            self.warnings.append(Problem(entry.sourceline, "Ntry/NtryDtls", f"{len(details)} opérations",
                                         "le détail du lot ne fait pas le montant de l'écriture : l'écriture est "
                                         "reprise en une seule ligne, comme la banque l'a passée."))
            self.lines.append(self.described(line, entry, details))
        elif len(details) > 1:
            self.lines += [self.described(line._replace(amount=value, line=detail.sourceline), entry, [detail])
                           for detail, value in zip(details, amounts)]
        else:
            self.lines.append(self.described(line, entry, details))

    def described(self, line: BankLineRecord, entry: etree._Element,
                  details: list[etree._Element]) -> BankLineRecord:
        """The line with its label, counterparty, IBAN and reference from the entry and its details."""
        side = "Dbtr" if line.amount > 0 else "Cdtr"
        texts, names, ibans, references = [_text(entry, "AddtlNtryInf")], [], [], []
        for detail in details:
            name = _text(detail, f"RltdPties/{side}/Nm") or _text(detail, f"RltdPties/{side}/Pty/Nm")
            texts += [*_texts(detail, "RmtInf/Ustrd"), *_texts(detail, "RmtInf/Strd/CdtrRefInf/Ref"),
                      *_texts(detail, "RmtInf/Strd/RfrdDocInf/Nb"), *_texts(detail, "RmtInf/Strd/AddtlRmtInf"),
                      _text(detail, "AddtlTxInf"), name]
            names.append(name)
            ibans.append(_text(detail, f"RltdPties/{side}Acct/Id/IBAN"))
            end_to_end = _text(detail, "Refs/EndToEndId")
            references.append(end_to_end if end_to_end.upper() != "NOTPROVIDED" else "")
        reference = _only(references) or _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
        return line._replace(label=joined(texts), counterparty=_only(names), iban=_only(ibans), reference=reference)

    def detail_amount(self, detail: etree._Element, entry_amount: Decimal) -> Decimal | None:
        """A transaction's own signed amount (in the direction of the entry unless it says otherwise), or
        None when it gives none that can be read."""
        element = _find(detail, "Amt")
        element = element if element is not None else _find(detail, "AmtDtls/TxAmt/Amt")
        if element is None or not _AMOUNT.fullmatch((element.text or "").strip()):
            return None
        sign = _SIGNS.get(_text(detail, "CdtDbtInd"), 1 if entry_amount >= 0 else -1)
        return sign * Decimal(element.text.strip())

    def amount(self, holder: etree._Element, where: str) -> _Amount:
        """``Amt`` signed by ``CdtDbtInd`` in ``holder`` (an entry or a balance)."""
        element = _find(holder, "Amt")
        text = (element.text or "").strip() if element is not None else ""
        line = (element if element is not None else holder).sourceline
        if not _AMOUNT.fullmatch(text):
            return _Amount(None, amount_problem(line, f"{where}/Amt", text, AMOUNT_FORMAT) if text else
                           Problem(line, f"{where}/Amt", "", "montant absent."))
        indicator = _text(holder, "CdtDbtInd")
        if indicator not in _SIGNS:
            return _Amount(None, Problem(line, f"{where}/CdtDbtInd", indicator[:10],
                                         "sens de l'opération illisible (attendu CRDT ou DBIT)."))
        value = Decimal(text)
        return _Amount(-value if indicator == "DBIT" and value else value)

    def date(self, holder: etree._Element, tag: str, column: str) -> date | None:
        """The day of ``tag/Dt`` or ``tag/DtTm`` (its date part); None when absent, None and a problem when
        unreadable."""
        element = _find(holder, f"{tag}/Dt")
        element = element if element is not None else _find(holder, f"{tag}/DtTm")
        if element is None:
            return None
        text = (element.text or "").strip()
        match = _DATE.match(text)
        try:
            day = date(*map(int, match.groups())) if match else None
        except ValueError:
            day = None
        if day is None or not plausible(day):
            self.problems.append(date_problem(element.sourceline, column, text, DATE_FORMAT))
            return None
        return day
