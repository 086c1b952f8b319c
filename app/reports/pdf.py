"""What every PDF of the program shares: the embedded font, the palette, the paragraph styles, escaping
for reportlab's paragraph markup, and a canvas that can write "page N / M" on every page.

The font is DejaVu Sans, shipped in ``resources/fonts`` (licence beside it): reportlab's built-in Helvetica
has no glyph for the narrow no-break space (U+202F) that French amounts use ("1 234,56 €").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

# The palette, the same as the screens (app/ui/format.py) and the charts (app/reports/charts.py).
INK = colors.HexColor("#22272e")
MUTED = colors.HexColor("#6b7280")
RULE = colors.HexColor("#d9dde3")
PANEL = colors.HexColor("#f3f4f6")
LATE = colors.HexColor("#b03a2e")
AT_RISK = colors.HexColor("#b9770e")


def register_fonts() -> None:
    """Make DejaVu Sans (regular and bold) known to reportlab, once; ``<b>`` in a paragraph then picks the
    bold face."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


_JOINED = re.compile("[^\\s\u00a0\u202f]+(?:[\u00a0\u202f]+[^\\s\u00a0\u202f]+)+")


def markup(text: object) -> str:
    """Any text made safe inside a ``Paragraph``: "Dupont & Fils <SARL>" prints as written, and what
    no-break spaces join ("1 234,56 €", "45 j") stays on one line.

    (A paragraph breaks lines at a narrow no-break space U+202F like at any space, and prints both kinds
    of no-break space as an ordinary space: ``<nobr>`` keeps the pieces together. Table cells given as
    plain strings, and canvas strings, print U+202F itself.)"""
    return _JOINED.sub(lambda match: f"<nobr>{match.group(0)}</nobr>", escape(str(text)))


def fr_date(day: date) -> str:
    """A date as the French read it: "23/11/2026"."""
    return day.strftime("%d/%m/%Y")


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it takes no more than ``width`` points (for canvas strings,
    which do not wrap)."""
    text = " ".join(str(text).split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the program's PDFs, all in DejaVu Sans."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14, textColor=MUTED,
                                   spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                                  spaceBefore=12, spaceAfter=5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=9, leading=11.5, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5,
                                    textColor=MUTED),
        "cell_head_right": ParagraphStyle("cell_head_right", parent=body, fontName=FONT_BOLD, fontSize=8.5,
                                          leading=10.5, textColor=MUTED, alignment=TA_RIGHT),
    }


def numbered_canvas(decorate: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas class for ``doc.build(story, canvasmaker=...)`` that calls ``decorate(canvas, page, pages)``
    on every page once the whole document is laid out, so headers and footers can say "page 2 / 3"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
