"""Which bank account the lines and balances of a statement are of.

One key per account, whatever the file (``account_key``). An account is its bank, branch and number (the
RIB) or its IBAN, never its number alone: two accounts of one number at two banks are two. A French or Monaco
IBAN, a RIB (with or without its key) and a file that gives the bank and branch codes apart from the number
(CFONB, OFX) all give the 21 characters bank (5) + branch (5) + number (11): the RIB key and the IBAN's
check digits are computed from these and add nothing. Any other IBAN is itself; another bank code (an
American routing number in OFX, a servicer's BIC in camt) goes before the number.

A number alone. Until this version the key was the account number alone (the 11 characters CFONB and most
CSV exports give), and ``bank_line.account`` and ``bank_balance.account`` hold such keys; some exports still
give only the number ("Compte n° 04106119371", Boursorama's accountNum). No migration can complete them: the
bank and branch are in no column, only in files that may be gone. So a number alone stands for the one known
account whose key ends with it: the first statement that names that account in full renames the rows kept
under its number (in the import's transaction), and a statement that names only the number is recorded
under the full key. When two known accounts end with the number (one number at two banks), nothing tells
which one it is, and the number stays a key of its own. Lines recorded with no account at all (an export
naming none, before the user was asked) stay so: the same file is still recognised by its lines' hashes.

No account at all. Some exports (Crédit Mutuel or Caisse d'Épargne CSV, an OFX without BANKACCTFROM) name
none: the user says which (the import wizard, ``encours import --account``), a known account or an IBAN or
RIB typed and checked, and the answer is remembered for the file's layout (``StatementRead.layout``, in a
preference), so that the next file laid out alike is not asked about. Without an answer the import is
refused (``AccountNeeded``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from string import ascii_uppercase

from sqlalchemy import delete, func, select, union, update
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.importers.records import Problem, StatementRead
from app.jobs import Refused
from app.models import BankBalance, BankLine
from app.services.identifiers import format_iban, iban_error
from app.services.edits import settings_subject
from app.services.preferences import keep_preferences, preference

FRENCH_IBANS = ("FR", "MC")  # IBANs whose account part is a RIB
RIB_LENGTH = 21  # bank 5 + branch 5 + number 11, without the key
LAYOUT_ACCOUNT = "statement_account:"  # + a file's layout: the preference naming the account of its statements
# another import saving the account of the same layout at the same moment: refused, said so
LAYOUT_SUBJECT = settings_subject("Le compte retenu pour ces relevés vient d'être choisi sur un autre poste",
                                  "Relevés bancaires")
# The letters of an account number read as digits for its RIB key: A-I 1-9, J-R 1-9, S-Z 2-9.
_DIGIT_OF = {letter: str(index % 9 + 1 + (index >= 18)) for index, letter in enumerate(ascii_uppercase)}


def _plain(text: str) -> str:
    return "".join(text.split()).upper()


def _french(key: str) -> bool:
    """The key of a French (or Monaco) account: bank, branch and number."""
    return len(key) == RIB_LENGTH and key[:10].isdigit() and key[10:].isalnum()


def account_key(account: str, bank: str = "") -> str:
    """One name for one bank account whatever the file: a French or Monaco IBAN (27 characters), a RIB
    (bank, branch, number and key: 23) and a number given with its bank and branch codes (``bank``) are
    bank + branch + number (21); a number followed by its RIB key (13 digits, as some OFX write it) is the
    number; another bank code goes before the number; any other IBAN or number is itself. "" when the file
    names no account."""
    number, bank = _plain(account), _plain(bank)
    if len(number) == 27 and number[:2] in FRENCH_IBANS:
        return number[4:25]
    if len(number) == 23 and _french(number[:21]) and number[21:].isdigit():
        return number[:21]
    if len(number) == 13 and number.isdigit():
        number = number[:11]
    return bank + number if number else ""


def rib_key(key: str) -> str:
    """The two digits of the RIB key of a French account (bank, branch, number): 97 − (89 × bank + 15 ×
    branch + 3 × number) mod 97, the letters of the number read as digits (the CFONB's rule)."""
    digits = "".join(_DIGIT_OF.get(char, char) for char in key)
    return f"{97 - (89 * int(digits[:5]) + 15 * int(digits[5:10]) + 3 * int(digits[10:21])) % 97:02d}"


def account_label(key: str) -> str:
    """An account as its owner reads it: a French one as its RIB ("30004 00012 00012345678 90"), another
    IBAN in groups of four, anything else as it is."""
    if _french(key):
        return f"{key[:5]} {key[5:10]} {key[10:]} {rib_key(key)}"
    if key[:2].isalpha() and iban_error(key) is None:
        return format_iban(key)
    return key


def typed_account_error(text: str, known: Collection[str] = ()) -> str | None:
    """Why ``text``, typed by the user, names no account, in French; None when it is a valid IBAN, a RIB
    whose key is right, or the key of an account already ``known``."""
    plain = _plain(text)
    if not plain:
        return "Indiquez l'IBAN ou le RIB du compte (il figure sur le RIB remis par la banque)."
    if plain in known:
        return None
    if plain[:2].isalpha() and plain[2:4].isdigit():
        return iban_error(plain)
    if len(plain) == 23 and _french(plain[:21]) and plain[21:].isdigit():
        right = rib_key(plain[:21])
        return None if plain[21:] == right else (
            f"La clé de ce RIB devrait être {right}, pas {plain[21:]} : recopiez-le depuis le RIB de la banque.")
    return (f"« {text.strip()[:40]} » n'est ni un IBAN (FR76 3000 4000 …) ni un RIB (code banque 5 chiffres, "
            "code guichet 5, numéro de compte 11, clé 2).")


@dataclass(frozen=True)
class KnownAccount:
    """An account a statement named, with its latest stated balance (None when no statement stated one)."""

    key: str
    balance: Decimal | None
    balance_on: date | None

    @property
    def label(self) -> str:
        return account_label(self.key)

    def text(self) -> str:
        """"30004 00012 00012345678 90 (solde 1 234,56 € au 30/11/2026)"."""
        if self.balance is None:
            return f"{self.label} (aucun solde relevé)"
        return f"{self.label} (solde {format_eur(self.balance)} au {self.balance_on:%d/%m/%Y})"


def latest_balances(session: Session, at: date | None = None) -> dict[str, tuple[int, date]]:
    """Per account, its latest stated balance (cents, day) on or before ``at`` (ever, when None)."""
    stated = select(BankBalance.account, func.max(BankBalance.stated_on).label("stated_on")).group_by(
        BankBalance.account)
    if at is not None:
        stated = stated.where(BankBalance.stated_on <= at)
    latest = stated.subquery()
    return {row.account: (row.amount_cents, row.stated_on) for row in session.execute(
        select(BankBalance.account, BankBalance.amount_cents, BankBalance.stated_on).join(
            latest, (BankBalance.account == latest.c.account) & (BankBalance.stated_on == latest.c.stated_on)))}


def known_accounts(session: Session) -> list[KnownAccount]:
    """Every account a statement named, with its latest balance: the most recently stated first."""
    balances = latest_balances(session)
    accounts = []
    for key in _stored(session):
        cents, on = balances.get(key, (None, None))
        accounts.append(KnownAccount(key, None if cents is None else from_cents(cents), on))
    return sorted(accounts, key=lambda account: (-(account.balance_on or date.min).toordinal(), account.key))


class AccountNeeded(Refused):
    """A statement that names no account, of a layout whose account nobody said: refused before anything is
    written. ``known`` are the accounts to choose from."""

    def __init__(self, known: list[KnownAccount]) -> None:
        self.known = known
        super().__init__(self.said("indiquez son IBAN ou son RIB"))

    def said(self, how: str) -> str:
        """The refusal in French, with ``how`` to answer it and the accounts known."""
        accounts = " ; ".join(account.text() for account in self.known) or "aucun pour l'instant"
        return f"ce relevé ne dit pas de quel compte bancaire il est : {how}. Comptes connus : {accounts}."


def keyed(session: Session, result: StatementRead, account: str | None, remarks: list[Problem]) -> StatementRead:
    """The statement with each line and balance under its account's key (see the module docstring): those
    of no account under ``account`` (typed by the user, then remembered for the file's layout), else under
    the account remembered for its layout (said in ``remarks``), else ``AccountNeeded``; a number alone under
    the one known account that ends with it; the rows kept under the number of an account it names in full
    renamed to its key. ``Refused`` when ``account`` is not an IBAN, a RIB or a known account."""
    records = [*result.bank_lines, *result.statement_balances]
    keys = {(record.account, record.bank): account_key(record.account, record.bank) for record in records}
    stored = _stored(session)
    if not all(keys.values()):
        said = _said_account(session, result, account, stored, remarks)
        keys = {pair: key or said for pair, key in keys.items()}
    numbers = {pair: _number(*pair, key) for pair, key in keys.items()}
    full = {key: numbers[pair] for pair, key in keys.items() if key != numbers[pair]}
    for pair, number in numbers.items():
        ending = _ending_with(number, stored | set(full)) if keys[pair] == number else set()
        if len(ending) == 1:
            keys[pair] = ending.pop()
            full[keys[pair]] = number
    for key, number in full.items():
        if number in stored and _ending_with(number, stored | set(full)) == {key}:
            _rename(session, number, key)
    return replace(result, bank_lines=[line._replace(account=keys[line.account, line.bank])
                                       for line in result.bank_lines],
                   statement_balances=[balance._replace(account=keys[balance.account, balance.bank])
                                       for balance in result.statement_balances])


def _stored(session: Session) -> set[str]:
    """The accounts of the lines and balances recorded."""
    return set(session.scalars(union(select(BankLine.account), select(BankBalance.account)))) - {""}


def _number(account: str, bank: str, key: str) -> str:
    """The key an account had when the number alone was kept, as a file naming only the number gives it."""
    if _french(key):
        return key[10:]
    return account_key(account) if bank else key


def _ending_with(number: str, keys: set[str]) -> set[str]:
    return {key for key in keys if key != number and key.endswith(number)}


def _rename(session: Session, number: str, key: str) -> None:
    """The lines and balances kept under an account's number, under its key: a balance of a day the key
    states already gives way to it."""
    restated = select(BankBalance.stated_on).where(BankBalance.account == key)
    session.execute(delete(BankBalance).where(BankBalance.account == number, BankBalance.stated_on.in_(restated))
                    .execution_options(synchronize_session=False))
    for model in (BankLine, BankBalance):
        session.execute(update(model).where(model.account == number).values(account=key)
                        .execution_options(synchronize_session=False))


def _said_account(session: Session, result: StatementRead, account: str | None, stored: set[str],
                  remarks: list[Problem]) -> str:
    """The key of the account the user says (remembered for the layout), else of the one remembered."""
    layout = LAYOUT_ACCOUNT + (result.layout or result.kind)
    if account is not None:
        error = typed_account_error(account, stored)
        if error:
            raise Refused(error)
        key = account_key(account)
        keep_preferences(session, {layout: key}, LAYOUT_SUBJECT)
        return key
    remembered = preference(session, layout)
    if remembered is None:
        raise AccountNeeded(known_accounts(session))
    remarks.append(Problem(None, None, account_label(remembered), "le relevé ne nomme pas son compte : ses "
                           "opérations sont enregistrées sur celui indiqué pour les relevés présentés de même."))
    return remembered
