"""What a dunning letter says, as plain data and words the user can edit: the letter (who writes to whom,
the invoices, the credits, the history on record), the text of each kind (``resources/letters/<kind>.txt``,
described in the README beside them) and how a template becomes paragraphs: ``{placeholders}`` filled from
the letter, ``[blocks]`` where the tables go, ``[pro]``/``[particulier]``/``[si …]``/``[sans …]``
conditions. A letter states only what happened (DOMAIN.md, Dunning progression): the reminders and the
formal notice it quotes come from its ``history``, and a sentence that claims one the history lacks is
not printed (``truthful``). The layout is ``app.reports.letters``'.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from app.domain.dunning import FORMAL_NOTICE_DEADLINE_DAYS
from app.domain.money import format_eur
from app.domain.penalties import INDEMNITY, PENALTY_CLAUSE, PENALTY_STEPS, claims_penalties
from app.domain.vocabulary import LETTER_LABELS, DunningStep
from app.reports.pdf import fr_date, markup

@dataclass(frozen=True)
class Creditor:
    """The user's company, as its letterhead prints it."""

    name: str
    address_lines: tuple[str, ...]       # street, "75001 Paris"
    siren: str = ""
    vat_number: str = ""
    phone: str = ""
    email: str = ""
    iban: str = ""
    bic: str = ""
    logo_path: str = ""                  # an image file, or "" for none
    penalty_clause: str = ""             # the terms' penalty clause, quoted by the second reminder
    signatory: str = ""                  # who signs, under the signature: "Jean Dubois, gérant"


@dataclass(frozen=True)
class Debtor:
    """The customer, as the window envelope shows it."""

    name: str
    address_lines: tuple[str, ...]
    contact_name: str = ""
    code: str = ""                       # the customer code, quoted as a reference
    siren: str = ""
    consumer: bool = False               # no 40 € indemnity, the consumer's legal rate from the formal notice


@dataclass(frozen=True)
class LetterLine:
    """An invoice claimed (``amount`` > 0), or a credit deducted (a credit note or an unallocated payment,
    ``amount`` < 0, with ``due_date`` its date)."""

    number: str
    issue_date: date
    due_date: date
    amount: Decimal                      # the invoice's total (negative for a credit)
    still_due: Decimal                   # what remains of it (negative for a credit)
    days_late: int = 0
    interest: Decimal = Decimal("0.00")  # the penalties of this invoice at the letter's date
    indemnity: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class Sent:
    """A step on the customer's record (a letter sent, a call made), as the letters quote it: its day, its
    step (a ``DunningStep`` value), for a formal notice the registered-mail number noted for it, and whether it
    was taken outside Encours and recorded afterwards (``outside``: no copy of it was printed here)."""

    on: date
    step: str
    registered_mail_number: str = ""
    outside: bool = False


@dataclass(frozen=True)
class Letter:
    """One letter to one customer. ``kind`` is a ``DunningStep`` value ("pre_due", "first_reminder",
    "second_reminder", "formal_notice", "litigation") or "statement" (a statement of account)."""

    kind: str
    on: date                             # the letter's date
    creditor: Creditor
    debtor: Debtor
    lines: tuple[LetterLine, ...]        # the invoices claimed, oldest due first
    credits: tuple[LetterLine, ...] = ()
    rate_text: str = ""                  # "12,15 % (taux BCE + 10 points)", printed with the penalties
    deadline_days: int = FORMAL_NOTICE_DEADLINE_DAYS  # a formal notice's time to pay
    history: tuple[Sent, ...] = field(default=())  # the steps on record for these invoices, oldest first
    registered_mail_number: str = ""

    @property
    def principal(self) -> Decimal:
        """What is claimed: the invoices still due less the credits."""
        return sum((line.still_due for line in (*self.lines, *self.credits)), Decimal("0.00"))

    @property
    def interest(self) -> Decimal:
        return sum((line.interest for line in self.lines), Decimal("0.00"))

    @property
    def indemnities(self) -> Decimal:
        return sum((line.indemnity for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.indemnities


LETTERS_DIR = Path(__file__).resolve().parents[2] / "resources" / "letters"
KINDS = tuple(LETTER_LABELS)
BLOCKS = ("synthese", "tableau", "historique", "reglement", "signature")


def letter_templates() -> dict[str, str]:
    """The shipped text of each kind of letter (``resources/letters/<kind>.txt``), the starting point the
    user edits in the settings."""
    return {kind: (LETTERS_DIR / f"{kind}.txt").read_text(encoding="utf-8") for kind in KINDS}


def shows_penalties(letter: Letter) -> bool:
    """Whether the letter claims penalties (``penalties.claims_penalties``: its step and its debtor)."""
    return claims_penalties(letter.kind, letter.debtor.consumer)


def claimed(letter: Letter) -> tuple[Decimal, Decimal, Decimal]:
    """The penalties, the recovery indemnities and the total this letter asks for. A consumer never owes
    the 40 € indemnity, whatever the lines say; a letter that claims no penalties asks for the principal."""
    if not shows_penalties(letter):
        return Decimal("0.00"), Decimal("0.00"), letter.principal
    indemnities = Decimal("0.00") if letter.debtor.consumer else letter.indemnities
    return letter.interest, indemnities, letter.principal + letter.interest + indemnities


def placeholders(letter: Letter) -> dict[str, str]:
    """The values of the ``{placeholders}`` of the templates (listed in ``resources/letters/README.md``),
    all as text: ``template.format_map(placeholders(letter))`` gives the letter's words."""
    creditor, debtor = letter.creditor, letter.debtor
    interest, indemnities, total = claimed(letter)
    due_dates = [line.due_date for line in letter.lines]
    default_rate = "l'intérêt légal" if debtor.consumer else "taux directeur de la BCE majoré de 10 points"
    return {
        "entreprise": creditor.name,
        "siren": creditor.siren,
        "adresse_entreprise": ", ".join(creditor.address_lines),
        "identite_entreprise": _identity(creditor.name, creditor.siren, creditor.address_lines),
        "ville": city(creditor.address_lines),
        "signataire": creditor.signatory,
        "client": debtor.name,
        "contact": debtor.contact_name,
        "madame_monsieur": _addressed(debtor.contact_name),
        "code_client": debtor.code,
        "siren_client": debtor.siren,
        "adresse_client": ", ".join(debtor.address_lines),
        "identite_client": _identity(debtor.name, debtor.siren, debtor.address_lines),
        "date": fr_date(letter.on),
        "echeance": fr_date(min(due_dates)) if due_dates else "",
        "factures": enumeration([line.number for line in letter.lines]),
        "nb_factures": str(len(letter.lines)),
        "principal": format_eur(letter.principal),
        "penalites": format_eur(interest),
        "indemnites": format_eur(indemnities),
        "total": format_eur(total),
        "taux": letter.rate_text or default_rate,
        "clause": creditor.penalty_clause or PENALTY_CLAUSE,
        "indemnite_forfaitaire": f"{INDEMNITY:.0f}\u00a0€",  # D441-5's « 40 € », as the law writes it
        "delai": str(letter.deadline_days),
        "date_limite": fr_date(letter.on + timedelta(days=letter.deadline_days)),
        "tribunal": "tribunal judiciaire" if debtor.consumer else "tribunal de commerce",
        "recommande": letter.registered_mail_number,
        **_history_values(letter),
    }


REMINDER_STEPS = {DunningStep.FIRST_REMINDER: "1re relance", DunningStep.SECOND_REMINDER: "2e relance",
                  DunningStep.PHONE_CALL: "relance téléphonique"}


def reminders(letter: Letter) -> list[Sent]:
    """The reminders on record before the letter (letters and calls), oldest first: what « malgré nos
    relances » may quote. A courtesy reminder sent before the due date is not one."""
    return [sent for sent in letter.history if sent.step in REMINDER_STEPS and sent.on <= letter.on]


def formal_notice(letter: Letter) -> Sent | None:
    """The latest formal notice on record before the letter, the one a litigation file quotes."""
    notices = [sent for sent in letter.history if sent.step == DunningStep.FORMAL_NOTICE and sent.on <= letter.on]
    return max(notices, key=lambda sent: sent.on) if notices else None


def _history_values(letter: Letter) -> dict[str, str]:
    """The placeholders that say what happened before the letter, empty when nothing did (so that ``[si …]``
    and ``[sans …]`` choose the sentences): "notre 1re relance du 09/10/2026", or "nos relances du 09/10/2026
    (1re relance) et du 03/11/2026 (2e relance)"; the formal notice's date and registered-mail number."""
    done = reminders(letter)
    if len(done) == 1:
        said = f"notre {REMINDER_STEPS[DunningStep(done[0].step)]} du {fr_date(done[0].on)}"
    else:
        said = "nos relances " + enumeration([f"du {fr_date(sent.on)} ({REMINDER_STEPS[DunningStep(sent.step)]})"
                                              for sent in done]) if done else ""
    notice = formal_notice(letter)
    return {"relances": said, "date_mise_en_demeure": fr_date(notice.on) if notice else "",
            "recommande_mise_en_demeure": unbroken(notice.registered_mail_number) if notice else ""}


def unbroken(number: str) -> str:
    """A registered-mail number never cut across two lines ("1A 218 250 5892 7")."""
    return number.replace(" ", "\u00a0")


# A clause that claims a history: « Malgré nos relances », « suite à notre mise en demeure »…
_CLAIM = re.compile(r"(\s*)\b((?:malgré|en dépit de|suite à)\b[^,.;:!?]*)(,\s*)?", re.IGNORECASE)


def truthful(text: str, values: Mapping[str, str]) -> str:
    """``text`` without the clauses that claim reminders or a formal notice the letter's history lacks (an
    edited template written « Malgré nos relances, les … » prints « Les … » for a customer never reminded):
    a letter only says what happened (DOMAIN.md, Dunning progression). Placeholders are still unfilled here:
    « Malgré {relances} » claims reminders."""
    def check(claim: re.Match) -> str:
        clause = claim[2].casefold()
        if "présente" in clause:  # « suite à la présente mise en demeure »: this letter, not a past one
            return claim[0]
        lacks = (bool(re.search(r"relance|rappel", clause)) and not values.get("relances")) or (
            bool(re.search(r"mise[ _]en[ _]demeure", clause)) and not values.get("date_mise_en_demeure"))
        if not lacks:
            return claim[0]
        before = text[:claim.start()].rstrip()
        if not before or before[-1] in ".!?":  # a sentence's opening clause goes with its comma
            return claim[1] + "\0"  # the next word opens the sentence now
        return " " if claim[3] else ""  # « restées impayées malgré relances. » → « restées impayées. »

    kept = re.sub(r"\0(\w)", lambda m: m[1].upper(), _CLAIM.sub(check, text)).replace("\0", "")
    return re.sub(r" {2,}", " ", kept)


def _addressed(contact: str) -> str:
    """How the letter greets its reader: "Madame" or "Monsieur" when the contact says which, else both."""
    first = contact.strip().split(" ", 1)[0].rstrip(".").casefold() if contact.strip() else ""
    if first in ("mme", "madame", "mlle"):
        return "Madame"
    if first in ("m", "monsieur", "mr"):
        return "Monsieur"
    return "Madame, Monsieur"


_POSTCODE = re.compile(r"^\s*(?:F-)?\d{2}\s?\d{3}\s+")
_CONDITION = re.compile(r"^\[(pro|particulier|si \w+|sans \w+)\]\s*")
_BLOCK = re.compile(r"^\[(\w+)\]$")
_FIELD = re.compile(r"\{\{|\}\}|\{(\w+)\}")  # "{{" and "}}" print a brace, as with str.format



def city(address_lines: Sequence[str]) -> str:
    """The town of an address, for "Paris, le …": its last line without the postcode or "CEDEX"
    ("75011 Paris" → "Paris"); "" when the address has no postcode line."""
    for line in reversed(address_lines):
        if _POSTCODE.match(line):
            town = _POSTCODE.sub("", line)
            return re.sub(r"\s+cedex\b.*$", "", town, flags=re.IGNORECASE).strip()
    return ""


def _identity(name: str, siren: str, address_lines: Sequence[str]) -> str:
    """"Atelier Dubois SARL, SIREN 123 456 789, 12 rue …, 75011 Paris", leaving out what is unknown."""
    return ", ".join(part for part in (name, f"SIREN {siren}" if siren else "", *address_lines) if part)


def enumeration(items: Sequence[str]) -> str:
    """"F-1, F-2 et F-3"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _french(text: str) -> str:
    """French typography, so that "40 €", "5 000 €", "12,15 %" or "Objet :" never break across lines
    however the user typed them."""
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", "\u202f", text)
    return re.sub(r" (?=[€%:;!?»])|(?<=«) ", "\u00a0", text)


def _fill(text: str, values: Mapping[str, str]) -> str:
    """Paragraph markup of a template paragraph: its words and its values escaped separately (a customer
    named "Dupont & <Fils>" prints as written), ``**bold**`` honoured, and an unknown ``{name}`` or a lone
    brace printed as typed, so that a slip in an edited template shows instead of failing the print."""
    out = []
    for index, segment in enumerate(text.split("**")):
        pieces, at = [], 0
        for field_ in _FIELD.finditer(segment):
            value = field_.group(0)[0] if field_.group(1) is None else values.get(field_.group(1), field_.group(0))
            pieces += [markup(_french(segment[at:field_.start()])), markup(_french(value))]
            at = field_.end()
        html = "".join(pieces) + markup(_french(segment[at:]))
        out.append(f"<b>{html}</b>" if index % 2 and html else html)
    return "".join(out)


def paragraphs(template: str, letter: Letter, values: Mapping[str, str]) -> list[tuple[str, str]]:
    """The template cut into paragraphs (a blank line between two), those whose condition fails left out:
    a list of ("block", name) and ("text" or "heading", markup). The blocks a kind needs and the template
    forgot are added at the end: a letter never loses its invoices or its signature to an edit."""
    items: list[tuple[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", template.strip()):
        text = re.sub(r"[ \t\r\n]+", " ", chunk).strip()
        keep = True
        while (condition := _CONDITION.match(text)) is not None:
            keep = keep and _holds(condition.group(1), letter, values)
            text = text[condition.end():]
        text = truthful(text, values) if keep else ""
        if not text:
            continue
        if (block := _BLOCK.match(text)) is not None and block.group(1) in BLOCKS:
            items.append(("block", block.group(1)))
        elif text.startswith("## "):
            items.append(("heading", _fill(text[3:], values)))
        else:
            items.append(("text", _fill(text, values)))
    used = {name for kind, name in items if kind == "block"}
    return items + [("block", name) for name in _required_blocks(letter.kind) if name not in used]


def _holds(condition: str, letter: Letter, values: Mapping[str, str]) -> bool:
    if condition in ("pro", "particulier"):
        return letter.debtor.consumer == (condition == "particulier")
    word, name = condition.split()
    return bool(values.get(name)) == (word == "si")


def _required_blocks(kind: str) -> tuple[str, ...]:
    if kind == DunningStep.LITIGATION:
        return ("synthese", "tableau", "historique", "signature")
    return ("tableau", "synthese", "signature") if kind in PENALTY_STEPS else ("tableau", "signature")

