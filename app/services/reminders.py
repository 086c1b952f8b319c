"""Dunning letters: today's actions (app.services.dunning) written as PDF (app.reports.letters) with their
penalties computed to the letter's date, and recorded as sent: one file per letter for ``encours remind``,
one PDF for a batch from the Relances screen."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dunning import Action, Hold
from app.domain.money import ZERO, format_eur, from_cents
from app.domain.penalties import PENALTY_STEPS, MissingRate, penalties
from app.domain.vocabulary import DUNNING_STEP_LABELS, LETTER_LABELS, DunningStep, Segment
from app.domain.wording import lateness, rate
from app.jobs import NULL_JOB, Job, collector_paused
from app.models import Customer, DunningLetter, Invoice, Payment
from app.services.company import get_company
from app.services.dunning import due_actions, record_sent
from app.services.penalties import counted_until, formal_notice_of, settlements
from app.services.edits import record_settings, settings_subject
from app.services.preferences import keep_preferences, preference
from app.services.rates import rate_table
from app.services.written_files import kept_if_committed
from app.models.db import chunks

TEXT_KEY = "letter:"
TEXTS_SECTION = "Textes des lettres"
TEXTS_SUBJECT = settings_subject("Les textes des lettres ont été modifiés", TEXTS_SECTION)
NO_COMPANY = "créez d'abord votre société (Paramètres) : une lettre dit qui l'envoie."
LETTER_STEPS = frozenset({DunningStep.PRE_DUE, DunningStep.FIRST_REMINDER, DunningStep.SECOND_REMINDER,
                          DunningStep.FORMAL_NOTICE, DunningStep.LITIGATION})
FILE_STEPS = {DunningStep.PRE_DUE: "rappel", DunningStep.FIRST_REMINDER: "relance-1",
              DunningStep.SECOND_REMINDER: "relance-2", DunningStep.FORMAL_NOTICE: "mise-en-demeure",
              DunningStep.LITIGATION: "dossier-contentieux"}
NOT_AN_EMAIL = ("un dossier contentieux est pour vous, le tribunal ou le commissaire de justice, jamais envoyé "
                "au débiteur")


@dataclass(frozen=True)
class Reminder:
    """One action of ``remind``: what it claims and the letter written (``file``), or why none was."""

    action: Action
    interest: Decimal = ZERO
    indemnities: Decimal = ZERO
    file: Path | None = None
    error: str = ""
    rate_used: str = ""
    no_email: bool = False   # a litigation file written without the e-mail asked for (NOT_AN_EMAIL)

    @property
    def total(self) -> Decimal:
        """What the letter claims in all: the amount due (credits deducted), penalties and indemnities."""
        return self.action.amount_due + self.interest + self.indemnities

    def as_json(self) -> dict:
        return {"customer": self.action.name, "step": self.action.step,
                "invoices": [i.number for i in self.action.invoices], "amount_due": str(self.action.amount_due),
                "penalties": str(self.interest), "indemnities": str(self.indemnities),
                "file": str(self.file) if self.file else None,
                "history": [{"step": step, "on": on.isoformat()} for step, on in self.action.history],
                **({"warning": self.action.warning} if self.action.warning else {}),
                **({"error": self.error} if self.error else {}),
                **({"no_email": NOT_AN_EMAIL} if self.no_email else {})}


def remind(session: Session, at: date, out: Path | None, *, dry_run: bool = False, emails: bool = False,
           job: Job = NULL_JOB) -> tuple[list[Reminder], list[Hold]]:
    """Today's actions; for each letter step, the letter written to ``out`` (one PDF each, and with
    ``emails`` an .eml beside it) and recorded as sent, unless ``dry_run``. A call is a task, not a letter:
    listed, never written. A letter whose penalties need a half-year's rates that are missing is not
    written and says so."""
    actions, holds = due_actions(session, at)
    if dry_run:  # what each letter would claim; no letter laid out
        return list(claims(session, at, actions).values()), holds
    return letters_apart(session, at, actions, out, emails=emails, job=job), holds


def letters_apart(session: Session, at: date, actions: list[Action], folder: Path | None, *, emails: bool = False,
                  job: Job = NULL_JOB) -> list[Reminder]:
    """One PDF per letter in ``folder`` (and an e-mail ready to send, .eml with the PDF attached, when
    ``emails``, except for a litigation file: it is never sent to the debtor), each recorded as sent; the
    files are removed if the transaction does not commit (``written_files``)."""
    from app.reports.letters import write_letters  # reportlab, only when letters are written

    company, texts = get_company(session), letter_texts(session)
    job.start(len(actions), "Préparation des lettres…")
    results = []
    for action, (reminder, letter) in zip(actions, _prepared(session, at, actions)):
        if letter is not None:
            customer = session.get(Customer, action.customer_id)
            path = kept_if_committed(session, write_letters(_letter_path(folder, at, action, customer.code),
                                                            [letter], texts))
            if emails and action.step != DunningStep.LITIGATION:
                _write_email(kept_if_committed(session, path.with_suffix(".eml")), path, letter, company, customer)
            reminder = replace(reminder, file=path, no_email=emails and action.step == DunningStep.LITIGATION)
            _record(session, reminder, at)
        results.append(reminder)
        job.advance()
    return results


def _write_email(path: Path, pdf: Path, letter, company, customer) -> None:
    """An e-mail at ``path``, beside the letter, the PDF attached, for the user's mail program to send (an
    .eml opens there as a draft)."""
    from app.reports.letter_text import placeholders

    words = placeholders(letter)  # the letter's own greeting and list of invoices
    message = EmailMessage()
    message["From"] = company.email
    message["To"] = customer.email or ""
    message["Subject"] = f"{DUNNING_STEP_LABELS[DunningStep(letter.kind)]} — {company.name}"
    message["X-Unsent"] = "1"  # Outlook and Thunderbird open it as a message to send
    message.set_content(f"{words['madame_monsieur']},\n\nVeuillez trouver ci-joint notre courrier du {words['date']} "
                        f"concernant {'la facture' if len(letter.lines) == 1 else 'les factures'} {words['factures']} "
                        f"({words['principal']} restant dus).\n\n"
                        f"Cordialement,\n{company.name}\n")
    message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name)
    path.write_bytes(bytes(message))


def print_letters(session: Session, at: date, actions: list[Action], path: Path, *, record: bool = True,
                  job: Job = NULL_JOB) -> list[Reminder]:
    """The letters of ``actions`` in one PDF at ``path``, each recorded as sent unless ``record`` is False
    (a preview): the Relances screen's "Imprimer", "Tout imprimer" and "Aperçu". A call is not a letter; a
    letter that lacks a half-year's rates is left out with its error."""
    from app.reports.letters import write_letters

    prepared = list(_prepared(session, at, actions))
    letters = [letter for _reminder, letter in prepared if letter is not None]
    job.start(len(letters), "Impression des lettres…")
    if letters:
        write_letters(path, letters, letter_texts(session), on_letter=lambda _i: job.advance())
        if record:  # letters on paper only if the history records them as sent
            kept_if_committed(session, path)
    results = []
    for reminder, letter in prepared:
        if letter is not None:
            reminder = replace(reminder, file=path)
            if record:
                _record(session, reminder, at)
        results.append(reminder)
    return results


def _record(session: Session, reminder: Reminder, at: date) -> None:
    """The letter of ``reminder`` sent: in the customer's history, with what it claimed and the rate used."""
    record_sent(session, reminder.action, at, reminder.interest, reminder.indemnities, reminder.rate_used)


def _rates_in_order(owed) -> list[Decimal]:
    """The rates the penalties ran at, in the order they applied (half-year after half-year), each once."""
    periods = sorted((period.start, period.rate) for p in owed if p for period in p.periods)
    return list(dict.fromkeys(rate for _start, rate in periods))


def letter_texts(session: Session) -> dict[str, str]:
    """The text of each kind of letter: the user's (Paramètres › Textes des lettres) over the shipped one."""
    from app.reports.letter_text import letter_templates

    return {kind: preference(session, TEXT_KEY + kind, text) for kind, text in letter_templates().items()}


def save_letter_texts(session: Session, texts: dict[str, str], seen: dict[str, int] | None = None
                      ) -> dict[str, str]:
    """Keep the user's texts of the letters, by kind; a text equal to the shipped one (or emptied) brings the
    shipped one back. Errors by kind, in French (a brace left open, an unknown kind), nothing saved when any.
    ``seen``: the versions the settings screen loaded (a save over another user's newer one is refused); the
    texts changed are recorded in the history."""
    from app.reports.letter_text import Creditor, Debtor, Letter, letter_templates, placeholders

    shipped, errors = letter_templates(), {}
    known = placeholders(Letter(DunningStep.FIRST_REMINDER, date.today(), Creditor("", ()), Debtor("", ()), ()))
    for kind, text in texts.items():
        if kind not in shipped:
            errors[kind] = f"type de lettre inconnu : {kind}."
            continue
        try:
            names = {name for _text, name, _spec, _conversion in string.Formatter().parse(text) if name}
        except ValueError:
            errors[kind] = "une accolade { ou } est mal fermée : écrivez les champs comme {client} ou {total}."
            continue
        unknown = sorted(names - known.keys())
        if unknown:
            errors[kind] = (f"champ inconnu : {', '.join('{' + n + '}' for n in unknown)} ; les champs possibles "
                            f"sont {', '.join('{' + n + '}' for n in sorted(known))}.")
    if errors:
        return errors
    mine = {TEXT_KEY + kind: None if not text.strip() or text.strip() == shipped[kind].strip() else text
            for kind, text in texts.items()}
    written = keep_preferences(session, mine, TEXTS_SUBJECT, seen)
    record_settings(session, TEXTS_SECTION, [
        f"{LETTER_LABELS[key.removeprefix(TEXT_KEY)].lower()} : " + ("texte d'origine rétabli" if mine[key] is None
                                                           else "texte modifié") for key in written])
    return {}


@collector_paused()  # thousands of actions on a large ledger: the collector would walk them again and again
def claims(session: Session, at: date, actions: list[Action]) -> dict[int, Reminder]:
    """By customer, what its action's letter would claim today (penalties, indemnities), or why it could not
    be written: the Relances screen shows it before anything is printed."""
    return {reminder.action.customer_id: reminder
            for reminder, _letter in _prepared(session, at, actions, with_letters=False)}


def _prepared(session: Session, at: date, actions: list[Action], with_letters: bool = True):
    """(reminder, letter or None) of each action: its penalties, and its letter when the step is one (and
    ``with_letters``)."""
    table, company = rate_table(session), get_company(session)
    # a list computed earlier (another screen, another workstation) may hold a letter sent since
    sent_today = set(session.execute(select(DunningLetter.customer_id, DunningLetter.step)
                                     .where(DunningLetter.sent_on == at)).all())
    segments = _segments(session, [a.customer_id for a in actions])  # one read, not one per action
    records = _invoices(session, [i.invoice_id for a in actions if a.step in PENALTY_STEPS for i in a.invoices])
    for action in actions:
        if company is None and action.step in LETTER_STEPS:
            yield Reminder(action, error=NO_COMPANY), None
            continue
        if (action.customer_id, action.step) in sent_today:
            yield Reminder(action, error=f"{action.name} : lettre déjà envoyée aujourd'hui."), None
            continue
        consumer = segments[action.customer_id] == Segment.CONSUMER.value
        public_body = segments[action.customer_id] == Segment.PUBLIC.value
        try:
            owed = {i.invoice_id: _penalties(session, records.get(i.invoice_id), at, table, consumer, public_body,
                                             action.step)
                    for i in action.invoices}
        except MissingRate as missing:
            yield Reminder(action, error=str(missing)), None
            continue
        rates = _rates_in_order(owed.values())
        reminder = Reminder(action, sum((p.interest for p in owed.values() if p), ZERO),
                            sum((p.indemnity for p in owed.values() if p), ZERO),
                            rate_used=str(rates[-1]) if rates else "")  # the rate in force at the letter's date
        writes = with_letters and action.step in LETTER_STEPS
        yield reminder, (_letter(session, action, at, company, session.get(Customer, action.customer_id), owed, rates)
                         if writes else None)


def _segments(session: Session, customer_ids: list[int]) -> dict[int, str]:
    """The segment of each of ``customer_ids`` (consumer and public body claim differently), in chunked reads."""
    found = {}
    for chunk in chunks(customer_ids):
        found.update(session.execute(select(Customer.id, Customer.segment)
                                     .where(Customer.id.in_(chunk))).all())
    return found


def _invoices(session: Session, invoice_ids: list[int]) -> dict[int, Invoice]:
    """The invoices the penalties are computed on, by id, in chunked reads rather than one query each."""
    found = {}
    for chunk in chunks(invoice_ids):
        found.update((i.id, i) for i in session.scalars(
            select(Invoice).where(Invoice.id.in_(chunk))))
    return found


def _penalties(session: Session, record: Invoice | None, at: date, table, consumer: bool, public_body: bool,
               step: str):
    """The penalties quoted by the firmer letters (None for the others)."""
    if step not in PENALTY_STEPS:
        return None
    return penalties(from_cents(record.total_cents), record.due_date, counted_until(session, record, at), table,
                     consumer=consumer,
                     public_body=public_body,
                     payments=settlements(session, record),
                     formal_notice=formal_notice_of(session, record, at) if consumer else None)


def _letter(session: Session, action: Action, at: date, company, customer, owed, rates):
    from app.reports.letter_text import Letter, LetterLine, Sent
    from app.services.letter_data import creditor, credit_lines, debtor

    totals = dict(session.execute(select(Invoice.id, Invoice.total_cents)
                                  .where(Invoice.id.in_([i.invoice_id for i in action.invoices]))).all())
    lines = tuple(LetterLine(i.number, i.issue_date, i.due_date, from_cents(totals[i.invoice_id]), i.still_due,
                             max((at - i.due_date).days, 0),
                             owed[i.invoice_id].interest if owed[i.invoice_id] else ZERO,
                             owed[i.invoice_id].indemnity if owed[i.invoice_id] else ZERO)
                  for i in action.invoices)
    credits = tuple(credit_lines(session, action.customer_id, at)) if action.credits else ()
    # the steps on record about these invoices (or naming none), those taken outside Encours and recorded
    # afterwards included, in date order: what the letter may say happened
    claimed = {i.invoice_id for i in action.invoices}
    letters = [letter for letter in session.scalars(select(DunningLetter).where(
        DunningLetter.customer_id == action.customer_id, DunningLetter.sent_on <= at))
        if not letter.lines or claimed & {line["invoice_id"] for line in letter.lines}]
    letters.sort(key=lambda letter: (letter.sent_on, list(DunningStep).index(DunningStep(letter.step))))
    history = tuple(Sent(letter.sent_on, letter.step, letter.registered_mail_number or "", letter.outside)
                    for letter in letters)
    to = debtor(customer)
    basis = "" if to.consumer or not rates else (" (taux BCE + 8 points, commande publique)"
                                                     if customer.segment == Segment.PUBLIC.value
                                                     else " (taux BCE + 10 points)")
    rate_text = " puis ".join(rate(r) for r in rates) + basis
    return Letter(action.step, at, creditor(company), to, lines, credits, rate_text, history=history)


def _letter_path(out: Path | None, at: date, action: Action, code: str) -> Path:
    """"2026-11-23_mise-en-demeure_Garage-Petit_C0001.pdf": the customer's code tells apart two namesakes."""
    folder = Path(out or ".")
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"-{2,}", "-", re.sub(r"[^\w\- ]+", "", action.name).strip().replace(" ", "-"))[:60]
    tag = re.sub(r"[^\w\-]+", "", code) or str(action.customer_id)
    return folder / f"{at:%Y-%m-%d}_{FILE_STEPS[action.step]}_{name}_{tag}.pdf"


def emails_left_out(reminders: list[Reminder]) -> str:
    """What « E-mails… » (``remind --eml``) did not write as an e-mail, and why; "" when it wrote them all."""
    count = sum(1 for r in reminders if r.no_email)
    plural = "s" if count > 1 else ""
    return (f"{count} dossier{plural} contentieux écrit{plural} en PDF sans e-mail : {NOT_AN_EMAIL}."
            if count else "")


def unmatched_receipts(session: Session) -> tuple[int, Decimal]:
    """The money received that no customer has been found for yet (bank lines still to match), how many
    and how much: a customer who has paid must not get a reminder, so the owner is warned before printing."""
    count, cents = session.execute(select(func.count(), func.coalesce(func.sum(Payment.amount_cents
                                                                             - Payment.settled_cents), 0))
                                   .where(Payment.customer_id.is_(None),
                                          Payment.amount_cents > Payment.settled_cents)).one()
    return count, from_cents(cents)


def unmatched_warning(count: int, amount: Decimal) -> str:
    return (f"{count} encaissement{'s' if count > 1 else ''} ({format_eur(amount)}) "
            f"{'ne sont rattachés' if count > 1 else 'n’est rattaché'} à aucun client : un client qui a payé "
            "pourrait recevoir une relance. Rapprochez d'abord le relevé bancaire.") if count else ""


def remind_json(reminders: list[Reminder], holds: list[Hold]) -> dict:
    """``encours remind --json``: the actions (each with its history) and the customers held, with why and
    until when."""
    return {"actions": [r.as_json() for r in reminders],
            "held": [{"customer_id": h.customer_id, "customer": h.name, "net_overdue": str(h.net_overdue),
                      "reason": h.reason, "until": h.until.isoformat() if h.until else None} for h in holds]}


def remind_lines(reminders: list[Reminder], holds: list[Hold], dry_run: bool) -> list[str]:
    """``encours remind``: each action in French, then the customers held back."""
    if not reminders and not holds:
        return ["Aucune relance à faire aujourd'hui."]
    lines = []
    for r in reminders:
        a = r.action
        count = len(a.invoices)
        text = (f"{DUNNING_STEP_LABELS[DunningStep(a.step)]} — {a.name} : {count} facture{'s' if count > 1 else ''}, "
                f"{format_eur(a.amount_due)} dus, {lateness(a.days_late)}")
        if r.interest or r.indemnities:
            text += f", pénalités {format_eur(r.interest)} et indemnités {format_eur(r.indemnities)}"
        if a.warning:
            text += f" ({a.warning})"
        if r.error:
            text += " — lettre non écrite (voir ci-dessous)"
        elif r.file:
            text += f" → {r.file}"
        elif a.step in LETTER_STEPS and dry_run:
            text += " (essai : rien n'est écrit)"
        lines.append(text)
    lines += [f"En attente — {h.name} : {h.reason}" for h in holds]
    lines += [left_out] if (left_out := emails_left_out(reminders)) else []
    errors = list(dict.fromkeys(r.error for r in reminders if r.error))
    return lines + [f"Lettres non écrites : {error}" for error in errors]
