"""The declaration of claim as a PDF letter to the mandataire judiciaire (the liquidator in a liquidation),
sent by registered mail with acknowledgement of receipt: what R622-23 asks of it (the amount due at the
judgment, the amounts to fall due with their dates, the nature of the claim and its guarantees, how interest
was computed, the documents attached), on the dunning letters' pages (app.reports.letter_pages: letterhead,
window address, footer) with their styles and signature (app.reports.letters).

``ClaimLetter`` is the data the service (app.services.claims) reads from the database; nothing here computes
a figure: they are app.domain.insolvency's ``Claim``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.domain.insolvency import PROCEEDING_LABELS, Claim, Proceeding
from app.domain.money import format_eur, json_amount
from app.domain.penalties import INDEMNITY, half_year_label
from app.domain.wording import rate
from app.reports.letter_pages import WIDTH, Pages
from app.reports.letters import letter_styles, render, signature
from app.reports.letter_text import Creditor, Debtor, Letter, city
from app.reports.pdf import FONT, FONT_BOLD, INK, MUTED, PANEL, RULE, fr_date, markup

KIND = "claim"  # the envelope letter's kind: no dunning step, no template


@dataclass(frozen=True)
class Held:
    """A guarantee held on the debtor's debt: its kind (a ``GuaranteeKind`` value), its label, what it
    covers, and the deed to attach."""

    kind: str
    label: str
    detail: str
    deed: str


@dataclass(frozen=True)
class ClaimLetter:
    """One declaration of claim: who declares to whom, the proceedings, the claim's figures at the judgment,
    the rates they ran at (half-year start, percent a year), the guarantees and the documents attached."""

    on: date
    creditor: Creditor
    debtor: Debtor
    mandataire: Debtor                  # the addressee, as the envelope's window shows it
    mandataire_title: str               # « mandataire judiciaire », « liquidateur judiciaire »
    proceeding: Proceeding
    court: str
    reference: str
    claim: Claim
    rates: tuple[tuple[date, Decimal], ...]
    public_body: bool
    guarantees: tuple[Held, ...]
    retention_of_title: bool
    documents: tuple[str, ...]
    sent_on: date | None = None
    registered_number: str = ""

    @property
    def revendication_deadline(self) -> date | None:
        """The last day to claim the goods sold with retention of title (none without the clause)."""
        return self.proceeding.revendication_deadline if self.retention_of_title else None

    @property
    def eve(self) -> date:
        """The last day interest ran: the judgment stops it."""
        return self.claim.judgment_on - timedelta(days=1)

    def as_json(self) -> dict:
        """``encours claim --json``: the figures (amounts as decimal strings) and the deadlines."""
        proceeding, claim = self.proceeding, self.claim
        day = lambda value: value.isoformat() if value else None  # noqa: E731
        return {
            "customer": self.debtor.name, "code": self.debtor.code,
            "proceeding": {"kind": proceeding.kind.value, "judgment_on": day(proceeding.judgment_on),
                           "published_on": day(proceeding.published_on), "court": self.court,
                           "reference": self.reference, "mandataire": self.mandataire.name},
            "invoices": [{"number": line.number, "issued": day(line.issued), "due": day(line.due),
                          "amount": json_amount(line.amount), "still_due": json_amount(line.still_due),
                          "interest": json_amount(line.penalties.interest) if line.penalties else "0.00",
                          "indemnity": json_amount(line.penalties.indemnity) if line.penalties else "0.00",
                          "to_fall_due": line.to_fall_due} for line in claim.invoices],
            "due": json_amount(claim.due), "interest": json_amount(claim.interest),
            "indemnities": json_amount(claim.indemnities), "to_fall_due": json_amount(claim.to_fall_due),
            "total": json_amount(claim.total),
            "rates": [{"half_year": day(start), "rate": str(value)} for start, value in self.rates],
            "guarantees": [{"kind": held.kind, "label": held.label, "detail": held.detail}
                           for held in self.guarantees],
            "retention_of_title": self.retention_of_title,
            "deadlines": {"declaration": day(proceeding.declaration_deadline),
                          "revendication": day(self.revendication_deadline)},
            "documents": list(self.documents),
            "sent_on": day(self.sent_on), "registered_number": self.registered_number,
        }


class _ClaimPages(Pages):
    """The letters' pages, the running header naming the declaration and its debtor."""

    def __init__(self, envelope: Letter, debtor: str) -> None:
        super().__init__([envelope])
        self.debtor = debtor

    def title(self, letter: Letter) -> str:
        return f"Déclaration de créance · {self.debtor} · {fr_date(letter.on)}"


def write_claim_letter(path: Path, letter: ClaimLetter) -> Path:
    """Write the declaration of claim as an A4 PDF at ``path`` and return ``path``."""
    style = letter_styles()
    # the letters' pages read the addressee as a debtor: here the mandataire, in the envelope's window
    envelope = Letter(KIND, letter.on, letter.creditor, letter.mandataire, ())
    story = (_heading(letter, style) + _parties(letter, style) + _judgment(letter, style)
             + _invoices(letter, style) + _totals(letter, style) + _nature(letter, style)
             + _interest(letter, style) + _attached(letter, style) + _closing(letter, envelope, style))
    return render(path, _ClaimPages(envelope, letter.debtor.name), story, "Déclaration de créance")


def _heading(letter: ClaimLetter, style: dict) -> list:

    proceeding = letter.proceeding
    kind = PROCEEDING_LABELS[proceeding.kind]
    opening = kind if kind.startswith("procédure") else f"procédure de {kind}"
    court = f" du {markup(letter.court)}" if letter.court else ""
    published = (f", publié au BODACC le {fr_date(proceeding.published_on)}" if proceeding.published_on else "")
    reference = f"<br/><b>Vos références :</b> {markup(letter.reference)}" if letter.reference else ""
    return [
        Paragraph("LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION", style["small"].clone("registered", textColor=INK,
                                                                                     fontName=FONT_BOLD)),
        Paragraph("Déclaration de créance", style["title"].clone("claim_title", fontSize=15, leading=19,
                                                                 spaceBefore=4)),
        Paragraph(f"<b>Objet :</b> déclaration de créance au passif de {markup(letter.debtor.name)}, {kind} "
                  f"(articles L622-24 et suivants du Code de commerce){reference}", style["letter"]),
        Paragraph("Maître,", style["letter"]),
        Paragraph(f"Par jugement du {fr_date(proceeding.judgment_on)}{court}{published}, l'ouverture d'une "
                  f"{opening} a été prononcée à l'égard de {markup(letter.debtor.name)}, et vous avez été "
                  "désigné(e) en qualité de "
                  f"{letter.mandataire_title}. Nous avons l'honneur de déclarer entre vos mains notre créance "
                  f"sur ce débiteur, arrêtée à la date du jugement d'ouverture, telle qu'elle est détaillée "
                  "ci-après.", style["letter"]),
    ]


def _identity(who: Creditor | Debtor, role: str, style: dict) -> list:

    lines = [f"<b>{markup(who.name)}</b>", *(markup(line) for line in who.address_lines)]
    if who.siren:
        lines.append(f"SIREN {markup(who.siren)}")
    if isinstance(who, Creditor):
        lines += [markup(part) for part in (f"Tél. {who.phone}" if who.phone else "", who.email) if part]
    elif who.code:
        lines.append(f"Notre code client : {markup(who.code)}")
    return [Paragraph(role, style["cell_head"]), Paragraph("<br/>".join(lines), style["cell"])]


def _parties(letter: ClaimLetter, style: dict) -> list:

    half = WIDTH / 2 - 4
    table = Table([[_identity(letter.creditor, "CRÉANCIER", style), _identity(letter.debtor, "DÉBITEUR", style)]],
                  colWidths=[half, half], spaceBefore=4, hAlign="LEFT")
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PANEL), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEAFTER", (0, 0), (0, -1), 0.6, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [table, Spacer(1, 4)]


def _judgment(letter: ClaimLetter, style: dict) -> list:

    proceeding = letter.proceeding
    rows = [("Procédure", PROCEEDING_LABELS[proceeding.kind].capitalize()),
            ("Jugement d'ouverture", fr_date(proceeding.judgment_on)), ("Tribunal", letter.court),
            ("Référence de la procédure", letter.reference),
            ("Publication au BODACC", fr_date(proceeding.published_on) if proceeding.published_on else ""),
            (letter.mandataire_title.capitalize(), letter.mandataire.name)]
    data = [[label, Paragraph(markup(value), style["cell"])] for label, value in rows if value]
    table = Table(data, colWidths=[130.0, WIDTH - 130.0], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), FONT), ("FONTSIZE", (0, 0), (0, -1), 8.5),
                               ("TEXTCOLOR", (0, 0), (0, -1), MUTED), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]))
    return [Paragraph("Jugement d'ouverture", style["letter_heading"]), table]


def _invoices(letter: ClaimLetter, style: dict) -> list:
    """Each invoice declared: the late ones with their interest to the eve of the judgment and indemnity,
    then, apart, those to fall due with their due dates."""

    head = ["N° facture", "Date", "Échéance", "Montant TTC", "Reste dû au jugement",
            f"Intérêts au {fr_date(letter.eve)}", "Indemnité"]
    widths = [WIDTH - 6 * 66.0 + 24, 52.0, 52.0, 66.0, 70.0, 70.0, 56.0]
    cell_head = style["cell_head"].clone("claim_head", fontSize=7.5, leading=9)
    data = [[Paragraph(text, cell_head) for text in head]]
    commands = [("FONTNAME", (0, 1), (-1, -1), FONT), ("FONTSIZE", (0, 1), (-1, -1), 8.5),
                ("TEXTCOLOR", (0, 1), (-1, -1), INK), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 1), (2, -1), "CENTER"), ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED), ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE)]
    claim = letter.claim
    for falling in (False, True):
        lines = [line for line in claim.invoices if line.to_fall_due is falling]
        if not lines:
            continue
        title = "À échoir (non échues au jugement)" if falling else "Échues au jugement"
        data.append([title] + [""] * 6)
        row = len(data) - 1
        commands += [("SPAN", (0, row), (-1, row)), ("ALIGN", (0, row), (-1, row), "LEFT"),
                     ("FONTNAME", (0, row), (-1, row), FONT_BOLD), ("TEXTCOLOR", (0, row), (-1, row), MUTED),
                     ("FONTSIZE", (0, row), (-1, row), 8)]
        for line in lines:
            owed = line.penalties
            data.append([line.number, fr_date(line.issued), fr_date(line.due), format_eur(line.amount),
                         format_eur(line.still_due), format_eur(owed.interest) if owed else "—",
                         format_eur(owed.indemnity) if owed and owed.indemnity else "—"])
    data.append(["Total", "", "", "", format_eur(claim.due + claim.to_fall_due), format_eur(claim.interest),
                 format_eur(claim.indemnities)])
    commands += [("SPAN", (0, -1), (3, -1)), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
                 ("LINEABOVE", (0, -1), (-1, -1), 0.8, MUTED), ("BACKGROUND", (0, -1), (-1, -1), PANEL)]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return [Paragraph("Détail de la créance", style["letter_heading"]), table, Spacer(1, 8)]


def _totals(letter: ClaimLetter, style: dict) -> list:
    """What is declared, on the right: due, interest, indemnities, to fall due (with their dates), total."""

    claim = letter.claim
    count = sum(1 for line in claim.invoices if line.penalties and line.penalties.indemnity)
    rows = [(f"Principal échu au {fr_date(claim.judgment_on)}", claim.due),
            (f"Intérêts de retard arrêtés au {fr_date(letter.eve)}", claim.interest),
            (f"Indemnités forfaitaires de recouvrement ({count} × {format_eur(INDEMNITY)})", claim.indemnities)]
    falling = [line for line in claim.invoices if line.to_fall_due]
    if falling:
        dates = ", ".join(f"{format_eur(line.still_due)} le {fr_date(line.due)}" for line in falling)
        rows.append((f"Principal à échoir ({dates})", claim.to_fall_due))
    rows.append(("Total de la créance déclarée", claim.total))
    data = [[Paragraph(markup(text) if n < len(rows) else f"<b>{markup(text)}</b>", style["cell"]), format_eur(amount)]
            for n, (text, amount) in enumerate(rows, 1)]
    table = Table(data, colWidths=[WIDTH * 0.62, 90.0], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTNAME", (1, -1), (1, -1), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE), ("LINEABOVE", (0, -1), (-1, -1), 0.8, MUTED),
        ("BACKGROUND", (0, -1), (-1, -1), PANEL)]))
    return [KeepTogether([table]), Spacer(1, 4)]


def _nature(letter: ClaimLetter, style: dict) -> list:
    """The claim's nature (chirographaire: the creditor holds no privilege on the debtor's assets) and the
    guarantees held, the retention of title with its revendication deadline."""

    claim = letter.claim
    parts = [f"à titre échu pour {format_eur(claim.due + claim.interest + claim.indemnities)}"]
    if claim.to_fall_due:
        parts.append(f"à titre à échoir pour {format_eur(claim.to_fall_due)}")
    said = [Paragraph("Nature de la créance et garanties", style["letter_heading"]),
            Paragraph(f"Créance chirographaire, déclarée {' et '.join(parts)}.", style["letter"])]
    bullet = style["letter"].clone("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3)
    if letter.retention_of_title:
        deadline = letter.revendication_deadline
        until = (f" au plus tard le <b>{fr_date(deadline)}</b> (trois mois après la publication du jugement, "
                 "article L624-9 du Code de commerce)" if deadline else
                 " dans les trois mois de la publication du jugement (article L624-9 du Code de commerce)")
        said.append(Paragraph("<b>Clause de réserve de propriété</b> (conditions générales de vente) : les "
                              "marchandises livrées et impayées restent notre propriété ; nous en exercerons la "
                              f"revendication{until}.", bullet, bulletText="•"))
    for held in letter.guarantees:
        detail = f" : {markup(held.detail)}" if held.detail else ""
        said.append(Paragraph(f"<b>{markup(held.label)}</b>{detail}.", bullet, bulletText="•"))
    if not letter.retention_of_title and not letter.guarantees:
        said.append(Paragraph("Nous ne détenons ni sûreté ni garantie sur cette créance.", style["letter"]))
    return said


def _interest(letter: ClaimLetter, style: dict) -> list:
    """How interest was computed (R622-23): the rate and its basis, half-year by half-year, from the day
    after each due date to the eve of the judgment."""

    said = [Paragraph("Mode de calcul des intérêts", style["letter_heading"])]
    if not letter.claim.interest:
        return said + [Paragraph("Aucune facture n'était échue au jugement : aucun intérêt n'est déclaré.",
                                 style["letter"])]
    basis = ("le taux de refinancement de la BCE majoré de 8 points (commande publique, article L2192-13 du Code "
             "de la commande publique)" if letter.public_body else
             "le taux de refinancement de la BCE majoré de 10 points (article L441-10 du Code de commerce)")
    rates = " ; ".join(f"{half_year_label(start)} : {rate(value)}" for start, value in letter.rates)
    return said + [Paragraph(
        f"Intérêts de retard au taux légal des pénalités, {basis}, appliqué semestre par semestre ({rates}), "
        "sur le reste dû de chaque facture, du lendemain de son échéance jusqu'à la veille du jugement "
        f"d'ouverture ({fr_date(letter.eve)}) : le jugement arrête le cours des intérêts (article L622-28 du "
        f"Code de commerce). Indemnité forfaitaire de recouvrement de {format_eur(INDEMNITY)} par facture "
        "échue (articles L441-10 et D441-5 du Code de commerce).", style["letter"])]


def _attached(letter: ClaimLetter, style: dict) -> list:

    item = style["letter"].clone("attached", leftIndent=16, bulletIndent=2, spaceAfter=2)
    return [Paragraph("Pièces jointes", style["letter_heading"])] + [
        Paragraph(markup(document), item, bulletText=f"{number}.")
        for number, document in enumerate(letter.documents, 1)]


def _closing(letter: ClaimLetter, envelope: Letter, style: dict) -> list:
    """The notice the declaration stands for, the certification, the salutation, « Fait à … » and the
    signature block."""


    place = city(letter.creditor.address_lines)
    done = f"Fait à {markup(place)}, le {fr_date(letter.on)}" if place else f"Fait le {fr_date(letter.on)}"
    return [Spacer(1, 6),
            Paragraph("La présente déclaration vaut mise en demeure du débiteur et interrompt la prescription "
                      "jusqu'à la clôture de la procédure. Nous certifions sincère et véritable la créance "
                      "ci-dessus déclarée et restons à votre disposition pour tout justificatif complémentaire.",
                      style["letter"]),
            Paragraph("Nous vous prions d'agréer, Maître, l'expression de nos salutations distinguées.",
                      style["letter"]),
            Spacer(1, 4), Paragraph(done, style["signature"].clone("done", keepWithNext=1)),
            *signature(envelope, style)]
