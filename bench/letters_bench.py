"""Dunning letters speed: 500 letters of 1 to 10 invoices each (random, seeded) into one PDF, beside a plain
reportlab baseline drawing the same content in the same run.

* ours: ``app.reports.letters.write_letters``: the editable templates read, conditions and placeholders
  filled, letterhead, window address, tables, payment box, signature, footer with "page N / M" per letter;
* baseline: the same text, tables and page furniture written straight with platypus and the canvas: the
  paragraphs are Python f-strings (no template, no conditions, no typography pass), one page template
  drawing the letterhead and the address with ``drawString``, and the classic two-pass "page N / M" canvas.

Times are the best of 3. Prints both and the ratio. Target: ratio ≤ 1.5. Usage:
``python bench/letters_bench.py [LETTERS]``.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.money import format_eur  # noqa: E402
from app.reports.letters import KINDS, Creditor, Debtor, Letter, LetterLine, write_letters  # noqa: E402
from app.reports.pdf import FONT, FONT_BOLD, MUTED, PANEL, RULE, fr_date, register_fonts, styles  # noqa: E402

RUNS = 3
AT = date(2026, 11, 23)
PENALTIES = {"second_reminder", "formal_notice", "litigation"}


def sample(count: int) -> list[Letter]:
    """``count`` letters to as many customers, of every kind, one in five to a consumer."""
    rng = random.Random(20261123)
    creditor = Creditor("Atelier Dubois SARL", ("12 rue des Artisans", "75011 Paris"), siren="812 345 678",
                        vat_number="FR45812345678", phone="01 43 55 12 34", email="compta@atelier-dubois.fr",
                        iban="FR76 3000 4000 0312 3456 7890 143", bic="BNPAFRPPXXX", signatory="Jean Dubois, gérant")
    letters = []
    for number in range(count):
        kind = rng.choice(KINDS)
        consumer = rng.random() < 0.2
        debtor = Debtor(f"Client {number:04d} & Fils", (f"{rng.randint(1, 99)} rue de la Paix", "69002 Lyon"),
                        code=f"C{number:05d}", siren="" if consumer else "501 234 567", consumer=consumer)
        lines = []
        for index in range(rng.randint(1, 10)):
            issued = AT - timedelta(days=rng.randint(40, 200))
            due = issued + timedelta(days=30)
            amount = Decimal(rng.randint(5_000, 2_000_000)).scaleb(-2)
            late = (AT - due).days
            lines.append(LetterLine(f"F-2026-{number:04d}-{index}", issued, due, amount, amount, late,
                                    (amount * Decimal("0.1215") * late / 365).quantize(Decimal("0.01")),
                                    Decimal("0") if consumer else Decimal("40.00")))
        letters.append(Letter(kind, AT, creditor, debtor, tuple(lines), rate_text="12,15 % (taux BCE + 10 points)",
                              history=((AT - timedelta(days=30), "Relance envoyée"),),
                              registered_mail_number="1A 234 567 8901 2" if kind == "formal_notice" else ""))
    return letters


def ours(letters: list[Letter], path: Path) -> None:
    write_letters(path, letters)


# --- the baseline: the same content, written straight -------------------------------------------------


def baseline(letters: list[Letter], path: Path) -> None:
    register_fonts()
    style = styles()
    body = style["body"].clone("b", fontSize=9.5, leading=13, spaceAfter=6)
    width = A4[0] - 40 * mm
    starts: list[int] = []
    state = {"letter": 0}

    def first_page(canvas, document):
        starts.append(document.page)
        letter = letters[state["letter"]]
        creditor, debtor = letter.creditor, letter.debtor
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawString(20 * mm, A4[1] - 19 * mm, creditor.name)
        canvas.setFont(FONT, 8.5)
        for row, text in enumerate((*creditor.address_lines, f"SIREN {creditor.siren} · TVA {creditor.vat_number}",
                                    f"Tél. {creditor.phone} · {creditor.email}")):
            canvas.drawString(20 * mm, A4[1] - 24 * mm - row * 11, text)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(20 * mm, A4[1] - 94 * mm + 18, f"Code client : {debtor.code}")
        canvas.drawString(20 * mm, A4[1] - 94 * mm + 8.5, "Factures : " + ", ".join(line.number
                                                                                    for line in letter.lines[:4]))
        canvas.setFont(FONT, 9.5)
        canvas.drawString(112 * mm, A4[1] - 94 * mm + 14, f"Paris, le {fr_date(letter.on)}")
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(112 * mm, A4[1] - 52 * mm, debtor.name)
        canvas.setFont(FONT, 10)
        for row, text in enumerate(debtor.address_lines):
            canvas.drawString(112 * mm, A4[1] - 57 * mm - row * 12.5, text)

    def next_page(canvas, _document):
        letter = letters[state["letter"]]
        canvas.setFont(FONT, 8)
        canvas.drawRightString(A4[0] - 20 * mm, A4[1] - 13 * mm, f"{letter.kind} · {letter.debtor.name} · "
                                                                  f"{fr_date(letter.on)}")
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(20 * mm, A4[1] - 13 * mm, letter.creditor.name)
        canvas.line(20 * mm, A4[1] - 13 * mm - 6, A4[0] - 20 * mm, A4[1] - 13 * mm - 6)

    class Numbered(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.pages = []

        def showPage(self):  # noqa: N802
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self.pages)
            for number, saved in enumerate(self.pages, start=1):
                self.__dict__.update(saved)
                index = max(i for i, start in enumerate(starts) if start <= number)
                last = starts[index + 1] - 1 if index + 1 < len(starts) else total
                self.setFont(FONT, 7)
                self.drawString(20 * mm, 12 * mm, "Atelier Dubois SARL · 12 rue des Artisans, 75011 Paris · "
                                                  "SIREN 812 345 678 · TVA FR45812345678")
                self.drawRightString(A4[0] - 20 * mm, 12 * mm, f"page {number - starts[index] + 1} / "
                                                                 f"{last - starts[index] + 1}")
                super().showPage()
            super().save()

    class Next(Spacer):
        def __init__(self, index):
            super().__init__(0, 0)
            self.index = index

        def draw(self):
            state["letter"] = self.index + 1

    buffer = io.BytesIO()
    frame = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document = BaseDocTemplate(buffer, pagesize=A4, pageTemplates=[
        PageTemplate("first", [Frame(20 * mm, 22 * mm, width, A4[1] - 116 * mm, **frame)], onPage=first_page,
                     autoNextPageTemplate="next"),
        PageTemplate("next", [Frame(20 * mm, 22 * mm, width, A4[1] - 44 * mm, **frame)], onPage=next_page)])
    story = []
    for index, letter in enumerate(letters):
        story += baseline_letter(letter, body, style, width)
        story.append(Next(index))
        if index + 1 < len(letters):
            story += [NextPageTemplate("first"), PageBreak()]
    document.build(story, canvasmaker=Numbered)
    path.write_bytes(buffer.getvalue())


def baseline_letter(letter: Letter, body, style, width) -> list:
    """The words of the shipped templates, as f-strings, paragraph for paragraph."""
    d, c = letter.debtor, letter.creditor
    pro = not d.consumer
    penalties = letter.kind in PENALTIES and not (d.consumer and letter.kind == "second_reminder")
    indemnities = letter.indemnities if penalties and pro else Decimal("0")
    interest = letter.interest if penalties else Decimal("0")
    total, principal = format_eur(letter.principal + interest + indemnities), format_eur(letter.principal)
    when, rate, tribunal = fr_date(letter.on), escape(letter.rate_text), "tribunal judiciaire" if d.consumer else \
        "tribunal de commerce"
    first_due = fr_date(min(line.due_date for line in letter.lines))
    creditor = escape(f"{c.name}, SIREN {c.siren}, {', '.join(c.address_lines)}")
    debtor = escape(", ".join(part for part in (d.name, f"SIREN {d.siren}" if d.siren else "", *d.address_lines)
                              if part))
    hello, regards = "Madame, Monsieur,", "Veuillez agréer, Madame, Monsieur, nos salutations distinguées."
    texts = {
        "pre_due": [f"<b>Objet : Rappel de l'échéance du {first_due}</b>", hello,
                    f"Nous nous permettons de vous rappeler que les factures ci-dessous arrivent prochainement à "
                    f"échéance, la première le {first_due}, pour un montant total de {total}.", "TABLE",
                    "Si leur règlement est déjà programmé, nous vous en remercions et vous prions de ne pas tenir "
                    "compte de ce courrier. Pour le faciliter, voici nos coordonnées bancaires :", "PAY",
                    "Nous restons à votre disposition pour toute question et vous prions d'agréer, Madame, "
                    "Monsieur, nos salutations distinguées."],
        "first_reminder": ["<b>Objet : Relance — factures échues</b>", hello,
                           f"Sauf erreur de notre part, nous n'avons pas reçu à ce jour le règlement des factures "
                           f"ci-dessous, arrivées à échéance. Voici le relevé de votre compte au {when}, avoirs et "
                           f"règlements non lettrés déduits.", "TABLE",
                           f"Nous vous remercions de bien vouloir nous faire parvenir le règlement de {total} dans "
                           f"les meilleurs délais. Si votre paiement nous a été adressé entre-temps, nous vous prions "
                           f"de ne pas tenir compte de ce courrier.", "PAY",
                           "Si l'une de ces factures appelle une remarque de votre part, n'hésitez pas à nous "
                           "contacter : nous l'examinerons sans tarder.",
                           "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées."],
        "second_reminder": ["<b>Objet : Second rappel — factures impayées</b>", hello,
                            "Malgré notre précédente relance, les factures ci-dessous restent impayées à ce jour. "
                            "Nous vous demandons d'en effectuer le règlement sans délai.",
                            *([f"Nous vous rappelons que nos conditions générales de vente stipulent : « "
                               f"{CLAUSE} »",
                               f"En application de l'article L441-10 du Code de commerce, des pénalités de retard au "
                               f"taux de {rate} courent de plein droit depuis le lendemain de chaque échéance ; s'y "
                               f"ajoute, pour chaque facture payée en retard, l'indemnité forfaitaire pour frais de "
                               f"recouvrement de 40 € (article D441-5 du Code de commerce). Au {when}, les pénalités "
                               f"s'élèvent à {format_eur(interest)} et les indemnités à {format_eur(indemnities)}."]
                              if pro else
                              [f"À défaut de règlement, des intérêts au taux de {rate} pourront vous être réclamés "
                               f"à compter d'une mise en demeure (article 1344-1 du Code civil)."]),
                            "TABLE", "SUMMARY",
                            f"Nous vous demandons de nous régler la somme de {total} sous huit jours. À défaut, "
                            f"nous serons contraints de vous adresser une mise en demeure.", "PAY", regards],
        "formal_notice": [f"<b>Lettre recommandée avec accusé de réception n° {letter.registered_mail_number}</b>",
                          "<b>Objet : Mise en demeure de payer</b>", hello, f"Créancier : {creditor}.",
                          f"Débiteur : {debtor}.",
                          f"Malgré nos relances, les factures ci-dessous restent impayées. Par la présente, nous "
                          f"vous mettons en demeure de nous régler la somme totale de {total} dans un délai de "
                          f"{letter.deadline_days} jours à compter de la date de cette lettre, soit au plus tard le "
                          f"{fr_date(letter.on + timedelta(days=letter.deadline_days))}.", "TABLE", "SUMMARY",
                          f"Ce montant comprend les pénalités de retard calculées au {when} au taux de {rate} depuis "
                          f"le lendemain de chaque échéance (article L441-10 du Code de commerce), ainsi que "
                          f"l'indemnité forfaitaire pour frais de recouvrement de 40 € par facture (article D441-5 "
                          f"du Code de commerce)." if pro else
                          f"Ce montant comprend les intérêts de retard calculés au {when} au taux de {rate}.",
                          "La présente mise en demeure fait courir les intérêts moratoires sur les sommes dues "
                          "(article 1344-1 du Code civil).",
                          f"À défaut de règlement dans ce délai, nous saisirons sans autre avis le président du "
                          f"{tribunal} d'une requête en injonction de payer (articles 1405 et suivants du Code de "
                          f"procédure civile) ou, pour une créance n'excédant pas 5 000 €, engagerons la procédure "
                          f"simplifiée de recouvrement des petites créances par l'intermédiaire d'un commissaire de "
                          f"justice (article L125-1 du Code des procédures civiles d'exécution). Les frais de ces "
                          f"procédures s'ajouteront aux sommes dues.", "PAY", regards],
        "statement": [f"<b>Objet : Relevé de compte au {when}</b>", hello,
                      f"Veuillez trouver ci-dessous le relevé de votre compte client au {when} : les factures non "
                      f"réglées, puis les avoirs et règlements non encore lettrés qui viennent en déduction.", "TABLE",
                      f"Le solde de votre compte s'élève à {principal}. Si vous constatez une différence avec votre "
                      f"propre comptabilité, merci de nous la signaler afin que nous puissions la rapprocher.", "PAY",
                      "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées."],
        "litigation": ["HEAD Dossier de recouvrement — requête en injonction de payer",
                       f"Articles 1405 et suivants du Code de procédure civile. Dossier établi le {when}.",
                       f"Créancier : {creditor}.", f"Débiteur : {debtor}.", "HEAD 1. Montant de la créance",
                       f"Créance contractuelle d'un montant déterminé, née de la vente de biens ou de services, "
                       f"résultant des factures ci-dessous (nombre : {len(letter.lines)}) restées impayées malgré "
                       f"relances et mise en demeure.", "SUMMARY", "HEAD 2. Factures", "TABLE",
                       "HEAD 3. Pénalités et indemnités" if pro else "HEAD 3. Intérêts",
                       f"Pénalités de retard calculées au {when} au taux de {rate}, du lendemain de chaque échéance "
                       f"jusqu'à cette date (article L441-10 II du Code de commerce) : {format_eur(interest)}. "
                       f"Indemnité forfaitaire pour frais de recouvrement de 40 € par facture payée en retard "
                       f"(article D441-5 du Code de commerce) : {format_eur(indemnities)}." if pro else
                       f"Intérêts au taux de {rate} à compter de la mise en demeure (article 1344-1 du Code civil) "
                       f": {format_eur(interest)}.",
                       "HEAD 4. Historique des relances", "HISTORY", "HEAD 5. Pièces à joindre",
                       "Copies des factures, des conditions générales de vente acceptées par le débiteur, des "
                       "lettres de relance, de la mise en demeure et de son avis de réception."],
    }[letter.kind]
    heading = style["heading"].clone("h", fontSize=11, spaceBefore=8, keepWithNext=1)
    flowables: list = []
    for text in texts:
        if text == "TABLE":
            flowables += [baseline_table(letter, penalties, pro, width), Spacer(1, 10)]
        elif text == "SUMMARY":
            rows = [["Principal restant dû (avoirs déduits)", principal]]
            if penalties:
                rows.append([f"Pénalités au {when}, taux {letter.rate_text}", format_eur(interest)])
                if pro:
                    rows.append([f"Indemnités forfaitaires de recouvrement ({len(letter.lines)} × 40,00 €)",
                                 format_eur(indemnities)])
            rows.append(["Total réclamé", total])
            summary = Table(rows, colWidths=[width * 0.7, 84], hAlign="RIGHT")
            summary.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                                         ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                                         ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE), ("BACKGROUND", (0, -1), (-1, -1), PANEL)]))
            flowables += [summary, Spacer(1, 10)]
        elif text == "HISTORY":
            history = Table([["Date", "Démarche"]] + [[fr_date(day), Paragraph(escape(event), style["cell"])]
                                                      for day, event in letter.history], colWidths=[62, width - 62])
            history.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]))
            flowables += [history, Spacer(1, 10)]
        elif text == "PAY":
            box = Table([[Paragraph(f"<b>Règlement</b> par virement : IBAN <b>{c.iban}</b> · BIC <b>{c.bic}</b>, en "
                                    f"indiquant votre code client {escape(d.code)}.", body)]], colWidths=[width])
            box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PANEL)]))
            flowables += [box, Spacer(1, 10)]
        elif text.startswith("HEAD "):
            flowables.append(Paragraph(text[5:], heading))
        else:
            flowables.append(Paragraph(text, body))
    signature = body.clone("s", leftIndent=90 * mm, spaceAfter=0)
    flowables += [Spacer(1, 6), Paragraph(f"<b>{escape(c.name)}</b>", signature),
                  Paragraph(escape(c.signatory), signature), Spacer(1, 42)]
    return flowables


CLAUSE = ("Tout retard de paiement entraîne de plein droit des pénalités de retard au taux directeur de la BCE majoré "
          "de 10 points, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € (articles L441-10 et "
          "D441-5 du Code de commerce).")


def baseline_table(letter: Letter, penalties: bool, pro: bool, width: float) -> Table:
    late = letter.kind != "pre_due"
    heads = ["N° facture", "Date", "Échéance", "Montant TTC", "Reste dû"] + (["Retard"] if late else [])
    heads += ["Pénalités"] if penalties else []
    heads += ["Indemnité"] if penalties and pro else []
    rows = [heads]
    for line in letter.lines:
        row = [line.number, fr_date(line.issue_date), fr_date(line.due_date), format_eur(line.amount),
               format_eur(line.still_due)] + ([f"{line.days_late} j"] if late else [])
        row += [format_eur(line.interest)] if penalties else []
        row += [format_eur(line.indemnity)] if penalties and pro else []
        rows.append(row)
    rows.append(["Total restant dû", "", "", "", format_eur(letter.principal)] + [""] * (len(heads) - 5))
    fixed = ([58, 58, 64, 64] + ([40] if late else []) + [58, 54])[:len(heads) - 1]
    table = Table(rows, colWidths=[width - sum(fixed), *fixed], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                               ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD), ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
                               ("ALIGN", (3, 0), (-1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                               ("SPAN", (0, -1), (3, -1)), ("BACKGROUND", (0, -1), (-1, -1), PANEL)]))
    return table


def best_of(function, letters: list[Letter], path: Path) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function(letters, path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    letters = sample(count)
    register_fonts()
    with tempfile.TemporaryDirectory() as folder:
        ours_time = best_of(ours, letters, Path(folder) / "ours.pdf")
        base_time = best_of(baseline, letters, Path(folder) / "baseline.pdf")
        sizes = [(Path(folder) / name).stat().st_size // 1024 for name in ("ours.pdf", "baseline.pdf")]
        from pypdf import PdfReader

        pages = [len(PdfReader(Path(folder) / name).pages) for name in ("ours.pdf", "baseline.pdf")]
    invoices = sum(len(letter.lines) for letter in letters)
    print(f"{count} letters, {invoices} invoices; ours {pages[0]} pages {sizes[0]} KiB, "
          f"baseline {pages[1]} pages {sizes[1]} KiB")
    print(f"ours     (write_letters)     : {ours_time:6.2f} s")
    print(f"baseline (plain reportlab)   : {base_time:6.2f} s")
    print(f"ratio                        : {ours_time / base_time:6.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()
