"""Dunning letters as PDF: the letters (``app.reports.letter_text``: what each says, given as plain data
by the services, in words the user can edit) laid out, with the tables the templates' blocks stand for:
the invoices, what is claimed, the history on record, how to pay, the signature. What every page carries
around them is ``app.reports.letter_pages``'.

``write_letters`` puts any number of letters in one PDF (one print job); each letter starts on a new page
and numbers its own pages, "page 2 / 3" counting that letter's pages only.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
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
from app.domain.vocabulary import DUNNING_STEP_LABELS, STATEMENT, DunningStep
from app.reports.letter_pages import (BOTTOM, FIRST_TOP, LEFT, NEXT_TOP, NUMBER_WIDTH, PAGE_HEIGHT, WIDTH,
                                      WINDOW_X, Pages)
from app.domain.penalties import INDEMNITY
from app.reports.letter_text import (Letter, claimed, letter_templates, paragraphs, placeholders,
                                     shows_penalties, unbroken)
from app.reports.pdf import (FONT, FONT_BOLD, INK, MUTED, PANEL, RULE, fr_date, markup, numbered_canvas, register_fonts,
                             styles)


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
    style = letter_styles()
    pages = Pages(letters)
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        story += _body(letter, texts[letter.kind], style)
        story.append(_Hook(index, pages, on_letter))
        story += [NextPageTemplate("first"), PageBreak()] if index + 1 < len(letters) else []
    return render(path, pages, story, "Lettres de relance")


def render(path: Path, pages: Pages, story: list[Flowable], title: str) -> Path:
    """Lay ``story`` out on the letters' pages (``pages`` draws what surrounds the text) and write the PDF at
    ``path``, built in memory first so that a failure leaves no half file."""
    register_fonts()
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=A4, title=title, author=pages.letters[0].creditor.name, creator="Encours",
        pageTemplates=[
            PageTemplate("first", [_frame(FIRST_TOP)], onPage=pages.first, autoNextPageTemplate="next"),
            PageTemplate("next", [_frame(NEXT_TOP)], onPage=pages.next),
        ],
    )
    document.build(story, canvasmaker=numbered_canvas(pages.footer))
    Path(path).write_bytes(buffer.getvalue())
    return Path(path)


def _frame(top: float) -> Frame:
    return Frame(LEFT, BOTTOM, WIDTH, PAGE_HEIGHT - top - BOTTOM, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0)


class _Hook(Flowable):
    """A flowable of no size at the end of letter ``index``: when the layout reaches it, the pages to come
    belong to the next letter, and the caller hears that this one is done."""

    def __init__(self, index: int, pages: Pages, on_letter: Callable[[int], None] | None) -> None:
        super().__init__()
        self.width = self.height = 0
        self.index, self.pages, self.on_letter = index, pages, on_letter

    def draw(self) -> None:
        self.pages.current = self.index + 1
        if self.on_letter is not None:
            self.on_letter(self.index)


def letter_styles() -> dict:
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
              "signature": signature}
    for kind, content in paragraphs(template, letter, values):
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
    """The steps on record, oldest first (letters sent, calls made, the formal notice with its registered-mail
    number), for the litigation file: nothing but what the record holds."""
    if not letter.history:
        return [Paragraph("Aucune relance ni mise en demeure enregistrée.", style["letter"])]
    data = [[Paragraph("Date", style["cell_head"]), Paragraph("Démarche", style["cell_head"])]]
    for sent in sorted(letter.history, key=lambda sent: sent.on):
        what = DUNNING_STEP_LABELS[DunningStep(sent.step)]
        if sent.outside:  # recorded afterwards: its copy is the owner's, not one Encours printed
            what += ", passé hors Encours" if sent.step == DunningStep.PHONE_CALL else ", envoyée hors Encours"
        if sent.registered_mail_number:
            what += f", lettre recommandée avec AR n° {unbroken(sent.registered_mail_number)}"
        data.append([fr_date(sent.on), Paragraph(markup(what), style["cell"])])
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


def signature(letter: Letter, style: dict) -> list[Flowable]:
    """The signature, on the right under the text: the company, who signs, and room for the hand."""
    creditor = letter.creditor
    lines = [Paragraph(f"<b>{markup(creditor.name)}</b>", style["signature"])]
    if creditor.signatory:
        lines.append(Paragraph(markup(creditor.signatory), style["signature"]))
    return [KeepTogether([Spacer(1, 6), *lines, Spacer(1, 42)])]


