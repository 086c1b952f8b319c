"""Dunning letters as PDF: what a letter says, given as plain data (the services fill it, this module only
lays it out), in words the user can edit.

Each kind of letter (``KINDS``) has a text in ``resources/letters/<kind>.txt`` (described in the README
beside them): French paragraphs with ``{placeholders}`` filled from the letter, ``[blocks]`` where the
tables go, and ``[pro]``/``[particulier]``/``[si …]``/``[sans …]`` conditions. The rest is laid out here:
the letterhead, the address in the window of a French envelope, the table of invoices, the footer.

``write_letters`` puts any number of letters in one PDF (one print job); each letter starts on a new page
and numbers its own pages, "page 2 / 3" counting that letter's pages only.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.money import format_eur
from app.domain.penalties import INDEMNITY, PENALTY_CLAUSE, PENALTY_STEPS, claims_penalties
from app.domain.vocabulary import LETTER_LABELS, STATEMENT, DunningStep
from app.reports.pdf import (
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    PANEL,
    RULE,
    fit,
    fr_date,
    markup,
    numbered_canvas,
    register_fonts,
    styles,
)

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
    deadline_days: int = 8               # a formal notice's time to pay
    history: tuple[tuple[date, str], ...] = field(default=())  # letters sent and calls, for the litigation file
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

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT = 20 * mm, PAGE_WIDTH - 20 * mm
WIDTH = RIGHT - LEFT
# The address shows through the window of a French envelope (window on the right): its block, measured
# from the page's left and top edges.
WINDOW_X, WINDOW_TOP, WINDOW_WIDTH, WINDOW_HEIGHT = 110 * mm, 46 * mm, 85 * mm, 35 * mm
LETTERHEAD_WIDTH = WINDOW_X - LEFT - 6 * mm
FIRST_TOP = 94 * mm   # the body of a letter's first page starts under the window and the date
NEXT_TOP = 22 * mm    # and under a one-line header on the following pages
BOTTOM = 22 * mm      # above the footer
LOGO_WIDTH, LOGO_HEIGHT = 45 * mm, 16 * mm
NUMBER_WIDTH = 110.0  # the invoice number's column, at most


# --- the words ------------------------------------------------------------------------------------------


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
        "factures": _enumeration([line.number for line in letter.lines]),
        "nb_factures": str(len(letter.lines)),
        "principal": format_eur(letter.principal),
        "penalites": format_eur(interest),
        "indemnites": format_eur(indemnities),
        "total": format_eur(total),
        "taux": letter.rate_text or default_rate,
        "clause": creditor.penalty_clause or PENALTY_CLAUSE,
        "delai": str(letter.deadline_days),
        "date_limite": fr_date(letter.on + timedelta(days=letter.deadline_days)),
        "tribunal": "tribunal judiciaire" if debtor.consumer else "tribunal de commerce",
        "recommande": letter.registered_mail_number,
    }


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


def _enumeration(items: Sequence[str]) -> str:
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


def _paragraphs(template: str, letter: Letter, values: Mapping[str, str]) -> list[tuple[str, str]]:
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
        if not keep or not text:
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


# --- the layout -----------------------------------------------------------------------------------------


def write_letters(path: Path, letters: Sequence[Letter], templates: Mapping[str, str] | None = None,
                  on_letter: Callable[[int], None] | None = None) -> Path:
    """Write ``letters`` into one A4 PDF at ``path``, each starting on a new page, and return ``path``.

    ``templates`` replaces the shipped text of the kinds it names. ``on_letter(i)`` is called once letter
    ``letters[i]`` is laid out, so that a caller shows progress, and cancels by raising: the exception comes
    out of this function and no file is written (the PDF is built in memory and written at the end)."""
    if not letters:
        raise ValueError("aucune lettre à imprimer")
    texts = {**letter_templates(), **(templates or {})}
    unknown = sorted({letter.kind for letter in letters} - texts.keys())
    if unknown:
        raise ValueError(f"type de lettre inconnu : {', '.join(unknown)}")
    register_fonts()
    style = _styles()
    buffer = io.BytesIO()
    pages = _Pages(letters)
    document = BaseDocTemplate(
        buffer, pagesize=A4, title="Lettres de relance", author=letters[0].creditor.name, creator="Encours",
        pageTemplates=[
            PageTemplate("first", [_frame(FIRST_TOP)], onPage=pages.first, autoNextPageTemplate="next"),
            PageTemplate("next", [_frame(NEXT_TOP)], onPage=pages.next),
        ],
    )
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        story += _body(letter, texts[letter.kind], style)
        story.append(_Hook(index, pages, on_letter))
        story += [NextPageTemplate("first"), PageBreak()] if index + 1 < len(letters) else []
    document.build(story, canvasmaker=numbered_canvas(pages.footer))
    Path(path).write_bytes(buffer.getvalue())
    return Path(path)


def _frame(top: float) -> Frame:
    return Frame(LEFT, BOTTOM, WIDTH, PAGE_HEIGHT - top - BOTTOM, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0)


class _Hook(Flowable):
    """A flowable of no size at the end of letter ``index``: when the layout reaches it, the pages to come
    belong to the next letter, and the caller hears that this one is done."""

    def __init__(self, index: int, pages: _Pages, on_letter: Callable[[int], None] | None) -> None:
        super().__init__()
        self.width = self.height = 0
        self.index, self.pages, self.on_letter = index, pages, on_letter

    def draw(self) -> None:
        self.pages.current = self.index + 1
        if self.on_letter is not None:
            self.on_letter(self.index)


def _styles() -> dict:
    """The program's paragraph styles, with a letter's body a little larger and spaced."""
    style = styles()
    body = style["body"].clone("letter", fontSize=9.5, leading=13, spaceAfter=6)
    return {**style, "letter": body,
            "letter_heading": style["heading"].clone("letter_heading", fontSize=11, spaceBefore=8, keepWithNext=1),
            "signature": body.clone("signature", leftIndent=WINDOW_X - LEFT, spaceAfter=0)}


def _body(letter: Letter, template: str, style: dict) -> list[Flowable]:
    """What flows on a letter's pages: the template's paragraphs and blocks, in their order."""
    values = placeholders(letter)
    flowables: list[Flowable] = []
    blocks = {"tableau": _invoices, "synthese": _summary, "historique": _history, "reglement": _payment,
              "signature": _signature}
    for kind, content in _paragraphs(template, letter, values):
        if kind == "block":
            flowables += blocks[content](letter, style)
        else:
            flowables.append(Paragraph(content, style["letter" if kind == "text" else "letter_heading"]))
    return flowables


def _money(amount: Decimal) -> str:
    """An amount for a table cell, a dash for nothing."""
    return format_eur(amount) if amount else "—"


def _invoices(letter: Letter, style: dict) -> list[Flowable]:
    """The invoices claimed, then the credits deducted, then the totals: number, date, due date, amount,
    still due, days late, and the penalties and indemnity of each invoice when the letter claims them.
    Amounts are plain strings (they keep their no-break spaces), right-aligned; the header row repeats on
    every page the table runs onto."""
    penalties = shows_penalties(letter)
    indemnity = penalties and not letter.debtor.consumer
    late = letter.kind != DunningStep.PRE_DUE
    columns = [("N° facture", 0.0), ("Date", 58.0), ("Échéance", 58.0), ("Montant TTC", 64.0), ("Reste dû", 64.0)]
    columns += [("Retard", 40.0)] if late else []
    columns += [("Intérêts" if letter.debtor.consumer else "Pénalités", 58.0)] if penalties else []
    columns += [("Indemnité", 54.0)] if indemnity else []
    widths = [width for _head, width in columns]
    spare = WIDTH - sum(widths) - NUMBER_WIDTH  # with fewer columns, each gets more room, not just the first
    widths = [NUMBER_WIDTH] + [width + spare * width / sum(widths) for width in widths[1:]] if spare > 0 \
        else [WIDTH - sum(widths)] + widths[1:]
    data: list[list] = [[head for head, _width in columns]]
    number_style = style["cell"].clone("number", fontSize=8.5, leading=10)

    def number(text: str):
        """An invoice number is never cut: one too long for its cell wraps."""
        return text if stringWidth(text, FONT, 8.5) <= widths[0] - 6 else Paragraph(markup(text), number_style)

    for line in letter.lines:
        row = [number(line.number), fr_date(line.issue_date), fr_date(line.due_date), format_eur(line.amount),
               format_eur(line.still_due)]
        if late:
            row.append(f"{line.days_late}\u00a0j" if line.days_late > 0 else "—")
        if penalties:
            row.append(_money(line.interest))
        if indemnity:
            row.append(_money(line.indemnity))
        data.append(row)
    commands = [
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD), ("FONTSIZE", (0, 0), (-1, 0), 8), ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
        ("FONTNAME", (0, 1), (-1, -1), FONT), ("FONTSIZE", (0, 1), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (2, -1), "CENTER"), ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED), ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
    ]
    if letter.credits:
        data.append(["À déduire : avoirs et règlements non lettrés"] + [""] * (len(columns) - 1))
        row = len(data) - 1
        commands += [("SPAN", (0, row), (-1, row)), ("ALIGN", (0, row), (-1, row), "LEFT"),
                     ("TEXTCOLOR", (0, row), (-1, row), MUTED), ("FONTSIZE", (0, row), (-1, row), 8)]
        for credit in letter.credits:
            data.append([number(credit.number), fr_date(credit.issue_date), "", format_eur(credit.amount),
                         format_eur(credit.still_due)] + [""] * (len(columns) - 5))
    interest, indemnities, _total = claimed(letter)
    label = "Solde" if letter.kind == STATEMENT else "Total restant dû"
    data.append([label, "", "", "", format_eur(letter.principal)] + ([""] if late else [])
                + ([format_eur(interest)] if penalties else []) + ([format_eur(indemnities)] if indemnity else []))
    commands += [("SPAN", (0, -1), (3, -1)), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
                 ("LINEABOVE", (0, -1), (-1, -1), 0.8, MUTED), ("BACKGROUND", (0, -1), (-1, -1), PANEL)]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return [Spacer(1, 2), table, Spacer(1, 10)]


def _summary(letter: Letter, style: dict) -> list[Flowable]:
    """What is claimed, in one small table on the right: the principal, the penalties (with their rate),
    the recovery indemnities (businesses only) and the total."""
    interest, indemnities, total = claimed(letter)
    rows = [("Principal restant dû (avoirs déduits)", letter.principal)]
    if shows_penalties(letter):
        kind = "Intérêts" if letter.debtor.consumer else "Pénalités"
        rate = f", taux {letter.rate_text}" if letter.rate_text else ""
        rows.append((f"{kind} au {fr_date(letter.on)}{rate}", interest))
        if not letter.debtor.consumer:
            count = sum(1 for line in letter.lines if line.indemnity)
            rows.append((f"Indemnités forfaitaires de recouvrement ({count} × {format_eur(INDEMNITY)})",
                         indemnities))
    rows.append(("Total réclamé", total))
    room = WIDTH * 0.7 - 8
    data = [[text if stringWidth(text, FONT, 9) <= room else Paragraph(markup(text), style["cell"]),
             format_eur(amount)] for text, amount in rows]
    table = Table(data, colWidths=[WIDTH * 0.7, 84.0], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 9), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE), ("LINEABOVE", (0, -1), (-1, -1), 0.8, MUTED),
        ("BACKGROUND", (0, -1), (-1, -1), PANEL),
    ]))
    return [KeepTogether([table]), Spacer(1, 10)]


def _history(letter: Letter, style: dict) -> list[Flowable]:
    """The letters sent and calls made, oldest first, for the litigation file."""
    if not letter.history:
        return [Paragraph("Aucune relance enregistrée.", style["letter"])]
    data = [[Paragraph("Date", style["cell_head"]), Paragraph("Démarche", style["cell_head"])]]
    data += [[fr_date(day), Paragraph(markup(text), style["cell"])] for day, text in sorted(letter.history)]
    table = Table(data, colWidths=[62.0, WIDTH - 62.0], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 1), (0, -1), FONT), ("FONTSIZE", (0, 1), (0, -1), 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED), ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
    ]))
    return [table, Spacer(1, 10)]


def _payment(letter: Letter, style: dict) -> list[Flowable]:
    """How to pay, in a shaded box: the bank details when known, and the reference to quote."""
    creditor = letter.creditor
    bank = " · ".join(part for part in (f"IBAN <b>{markup(creditor.iban)}</b>" if creditor.iban else "",
                                       f"BIC <b>{markup(creditor.bic)}</b>" if creditor.bic else "") if part)
    how = f"par virement : {bank}" if bank else f"par virement ou par chèque à l'ordre de {markup(creditor.name)}"
    quote = (f", en indiquant votre code client {markup(letter.debtor.code)}" if letter.debtor.code
             else ", en indiquant les numéros de facture")
    box = Table([[Paragraph(f"<b>Règlement</b> {how}{quote}.", style["letter"].clone("pay", spaceAfter=0))]],
                colWidths=[WIDTH])
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PANEL), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [box, Spacer(1, 10)]


def _signature(letter: Letter, style: dict) -> list[Flowable]:
    """The signature, on the right under the text: the company, who signs, and room for the hand."""
    creditor = letter.creditor
    lines = [Paragraph(f"<b>{markup(creditor.name)}</b>", style["signature"])]
    if creditor.signatory:
        lines.append(Paragraph(markup(creditor.signatory), style["signature"]))
    return [KeepTogether([Spacer(1, 6), *lines, Spacer(1, 42)])]


# --- what every page carries ----------------------------------------------------------------------------


@dataclass
class _Pages:
    """What the canvas draws around the text: the letterhead and the window address on a letter's first
    page, a one-line header on the next ones (both as each page begins, so that they come first in the
    page's text), and the footer with "page N / M", once the whole file is laid out and each letter's page
    count is known."""

    letters: Sequence[Letter]
    current: int = 0                                 # the letter being laid out
    starts: list[int] = field(default_factory=list)  # the first page of each letter
    logos: dict[str, ImageReader | None] = field(default_factory=dict)

    def first(self, canvas, document) -> None:
        self.starts.append(document.page)
        letter = self.letters[self.current]
        canvas.saveState()
        self.letterhead(canvas, letter.creditor)
        _address(canvas, letter)
        _date_line(canvas, letter)
        canvas.restoreState()

    def next(self, canvas, _document) -> None:
        canvas.saveState()
        _running_header(canvas, self.letters[self.current])
        canvas.restoreState()

    def footer(self, canvas, page: int, pages: int) -> None:
        index = bisect_right(self.starts, page) - 1
        first = self.starts[index]
        last = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else pages
        canvas.saveState()
        _footer(canvas, self.letters[index].creditor, page - first + 1, last - first + 1)
        canvas.restoreState()

    def logo(self, path: str) -> ImageReader | None:
        """The company's logo, read once per file; ``None`` when there is none or it cannot be read (a
        missing logo must not stop the letters)."""
        if path not in self.logos:
            try:
                reader = ImageReader(path)
                reader.getSize()
                reader.getRGBData()  # decodes it all: a truncated file fails here, not while drawing
            except Exception:  # noqa: BLE001 - PIL raises many kinds for a bad image
                reader = None
            self.logos[path] = reader
        return self.logos[path]

    def letterhead(self, canvas, creditor: Creditor) -> None:
        """Top left: the logo when readable, the company's name, address and identifiers."""
        top = PAGE_HEIGHT - 14 * mm
        logo = self.logo(creditor.logo_path) if creditor.logo_path else None
        if logo is not None:
            width, height = logo.getSize()
            scale = min(LOGO_WIDTH / width, LOGO_HEIGHT / height)
            try:
                canvas.drawImage(logo, LEFT, top - height * scale, width * scale, height * scale, mask="auto")
                top -= height * scale + 4 * mm
            except Exception:  # noqa: BLE001 - an image PIL read but reportlab cannot embed
                pass
        lines = [(FONT_BOLD, 12, 14.5, INK, text)
                 for text in simpleSplit(creditor.name, FONT_BOLD, 12, LETTERHEAD_WIDTH)[:2]]
        lines += [(FONT, 8.5, 11, INK, text) for text in creditor.address_lines[:4]]
        ids = [f"SIREN {creditor.siren}" if creditor.siren else "", f"TVA {creditor.vat_number}"
               if creditor.vat_number else ""]
        contact = [f"Tél. {creditor.phone}" if creditor.phone else "", creditor.email]
        lines += [(FONT, 8, 10.5, MUTED, " · ".join(part for part in group if part))
                  for group in (ids, contact) if any(group)]
        for font, size, leading, colour, text in lines:
            top -= leading
            canvas.setFont(font, size)
            canvas.setFillColor(colour)
            canvas.drawString(LEFT, top, fit(text, font, size, LETTERHEAD_WIDTH))


def _address(canvas, letter: Letter) -> None:
    """The debtor's name and address where the envelope's window shows them, in a smaller size when they
    would not fit its height (never cut a name the post needs). The litigation file, which is not mailed
    to the debtor, names it "Débiteur" and gives its SIREN."""
    debtor = letter.debtor
    for size in (10, 9, 8, 7):
        width = WINDOW_WIDTH - 2 * mm
        lines = [(FONT, size - 1.5, MUTED, "Débiteur")] if letter.kind == DunningStep.LITIGATION else []
        lines += [(FONT_BOLD, size, INK, text) for text in simpleSplit(debtor.name, FONT_BOLD, size, width)]
        if debtor.contact_name:
            lines += [(FONT, size, INK, text)
                      for text in simpleSplit(f"À l'attention de {debtor.contact_name}", FONT, size, width)]
        for address_line in debtor.address_lines:
            lines += [(FONT, size, INK, text) for text in simpleSplit(address_line, FONT, size, width)]
        if letter.kind == DunningStep.LITIGATION and debtor.siren:
            lines.append((FONT, size - 1, MUTED, f"SIREN {debtor.siren}"))
        if len(lines) * size * 1.25 <= WINDOW_HEIGHT:
            break
    y = PAGE_HEIGHT - WINDOW_TOP - 2 * mm
    for font, font_size, colour, text in lines[:int(WINDOW_HEIGHT / (size * 1.25))]:
        y -= size * 1.25
        canvas.setFont(font, font_size)
        canvas.setFillColor(colour)
        canvas.drawString(WINDOW_X + 2 * mm, y + size * 0.25, fit(text, font, font_size, width))


def _date_line(canvas, letter: Letter) -> None:
    """Under the window, on one line: our references on the left (the customer code, the invoices), and
    "Paris, le 23/11/2026" on the right, in line with the address."""
    references = [f"Code client : {letter.debtor.code}"] if letter.debtor.code else []
    if letter.lines:
        numbers = _enumeration([line.number for line in letter.lines[:4]]) + (" …" if len(letter.lines) > 4 else "")
        references.append(f"Facture{'s' if len(letter.lines) > 1 else ''} : {numbers}")
    place = city(letter.creditor.address_lines)
    y = PAGE_HEIGHT - FIRST_TOP + 14
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    for row, text in enumerate(references):
        canvas.drawString(LEFT, y + 4 - 9.5 * row, fit(text, FONT, 7.5, WINDOW_X - LEFT - 8 * mm))
    canvas.setFont(FONT, 9.5)
    canvas.setFillColor(INK)
    canvas.drawString(WINDOW_X + 2 * mm, y, fit(f"{place}, le {fr_date(letter.on)}" if place
                                                else f"Le {fr_date(letter.on)}", FONT, 9.5, RIGHT - WINDOW_X))


def _running_header(canvas, letter: Letter) -> None:
    """The pages after the first: the company on the left, the letter and its customer on the right."""
    y = PAGE_HEIGHT - 13 * mm
    right = f"{LETTER_LABELS.get(letter.kind, '')} · {letter.debtor.name} · {fr_date(letter.on)}"
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    right = fit(right, FONT, 8, WIDTH * 0.62)
    canvas.drawRightString(RIGHT, y, right)
    canvas.setFont(FONT_BOLD, 8.5)
    canvas.setFillColor(INK)
    canvas.drawString(LEFT, y, fit(letter.creditor.name, FONT_BOLD, 8.5, WIDTH * 0.36))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, y - 6, RIGHT, y - 6)


def _footer(canvas, creditor: Creditor, page: int, pages: int) -> None:
    """The company's identity, as the law wants it on its letters, and the letter's own page count."""
    y = 12 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, y + 10, RIGHT, y + 10)
    number = f"page {page} / {pages}"
    place = " · ".join(part for part in (creditor.name, ", ".join(creditor.address_lines)) if part)
    ids = " · ".join(part for part in (f"SIREN {creditor.siren}" if creditor.siren else "",
                                       f"TVA {creditor.vat_number}" if creditor.vat_number else "") if part)
    room = WIDTH - canvas.stringWidth(number, FONT, 7) - 16
    identity = " · ".join(part for part in (place, ids) if part)
    canvas.setFont(FONT, 7)
    canvas.setFillColor(MUTED)
    if canvas.stringWidth(identity, FONT, 7) <= room:
        canvas.drawString(LEFT, y, identity)
    else:  # a long address: the identifiers on a line of their own rather than cut off
        canvas.drawString(LEFT, y, fit(place, FONT, 7, room))
        canvas.drawString(LEFT, y - 8.5, fit(ids, FONT, 7, room))
    canvas.drawRightString(RIGHT, y, number)
