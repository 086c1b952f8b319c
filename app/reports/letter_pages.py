"""What every page of a letter carries, drawn on the canvas around the text: the letterhead and the
address in the window of a French envelope on a letter's first page, a one-line header on the next ones,
the footer with the company's identity and "page N / M" counted per letter; and the page's geometry."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit

from app.domain.vocabulary import LETTER_LABELS, DunningStep
from app.reports.letter_text import Creditor, Letter, city, enumeration
from app.reports.pdf import FONT, FONT_BOLD, INK, MUTED, RULE, fit, fr_date

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


@dataclass
class Pages:
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
        _running_header(canvas, self.letters[self.current], self.title(self.letters[self.current]))
        canvas.restoreState()

    def title(self, letter: Letter) -> str:
        """The running header's right part: which letter, to whom, of what day."""
        return f"{LETTER_LABELS.get(letter.kind, '')} · {letter.debtor.name} · {fr_date(letter.on)}"

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
        numbers = enumeration([line.number for line in letter.lines[:4]]) + (" …" if len(letter.lines) > 4 else "")
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


def _running_header(canvas, letter: Letter, right: str) -> None:
    """The pages after the first: the company on the left, the letter and its customer (``right``) on the
    right."""
    y = PAGE_HEIGHT - 13 * mm
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
