"""The dunning letters print what they were given, with the words each kind needs: names with any
characters, French amounts, every legal mention of the formal notice, never the 40 € indemnity to a
consumer, and "page N / M" counted per letter. Expected values are written by hand."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.reports.letter_text import (KINDS, Creditor, Debtor, Letter, LetterLine, Sent, city, letter_templates,
                                     placeholders)
from app.reports.letters import write_letters

ON = date(2026, 11, 23)
NAME = "Boulangerie Hélène & Fils <Lyon>"
CREDITOR = Creditor(
    "Atelier Dubois SARL", ("12 rue des Artisans", "75011 Paris"), siren="812 345 678",
    vat_number="FR45812345678", phone="01 43 55 12 34", email="compta@atelier-dubois.fr",
    iban="FR76 3000 4000 0312 3456 7890 143", bic="BNPAFRPPXXX", signatory="Jean Dubois, gérant",
    penalty_clause="Pénalités au taux BCE majoré de 10 points et indemnité forfaitaire de 40 €.",
)
BUSINESS = Debtor(NAME, ("4 place du Marché", "69002 Lyon"), contact_name="Mme Claire Martin", code="C0042",
                  siren="501 234 567")
CONSUMER = Debtor("Éloïse Durand-L'Hôte", ("8 allée des Tilleuls", "33000 Bordeaux"), code="P0007",
                  consumer=True)
INVOICES = (
    LetterLine("F-2026-0412", date(2026, 8, 14), date(2026, 9, 13), D("1840.00"), D("1840.00"), 71, D("43.47"),
               D("40.00")),
    LetterLine("F-2026-0467", date(2026, 9, 2), date(2026, 10, 2), D("12360.50"), D("10360.50"), 52, D("179.34"),
               D("40.00")),
    LetterLine("F-2026-0501", date(2026, 9, 20), date(2026, 10, 20), D("645.80"), D("645.80"), 34, D("7.31"),
               D("40.00")),
)
CREDIT = LetterLine("AV-2026-0031", date(2026, 10, 5), date(2026, 10, 5), D("-120.00"), D("-120.00"))
# By hand: 1 840 + 10 360,50 + 645,80 − 120 = 12 726,30; penalties 43,47 + 179,34 + 7,31 = 230,12;
# indemnities 3 × 40 = 120; total 12 726,30 + 230,12 + 120 = 13 076,42.
# The consumer's invoices avoid any "40" so that the absence of the indemnity can be read.
CONSUMER_INVOICES = (
    LetterLine("F-2026-0515", date(2026, 9, 1), date(2026, 10, 1), D("1250.00"), D("1250.00"), 53, D("9.65"),
               D("40.00")),  # an indemnity given by mistake: a consumer never owes it
    LetterLine("F-2026-0530", date(2026, 9, 10), date(2026, 10, 10), D("980.50"), D("980.50"), 44, D("6.28"),
               D("40.00")),
)
HISTORY = (Sent(date(2026, 10, 9), "first_reminder"), Sent(date(2026, 10, 27), "phone_call"),
           Sent(date(2026, 11, 6), "formal_notice", "1A 123 456 7890 1"))


def plain(text: str) -> str:
    """Both kinds of no-break space and line breaks read as ordinary spaces (a paragraph may wrap anywhere
    but inside an amount)."""
    return " ".join(text.split())


def letter(kind: str, debtor: Debtor = BUSINESS, **changes) -> Letter:
    lines = CONSUMER_INVOICES if debtor.consumer else INVOICES
    arguments = dict(kind=kind, on=ON, creditor=CREDITOR, debtor=debtor, lines=lines,
                     credits=() if debtor.consumer else (CREDIT,), rate_text="12,15 % (taux BCE + 10 points)",
                     history=HISTORY)
    arguments.update(changes)
    return Letter(**arguments)


def texts(tmp_path: Path, letters, **keywords) -> list[str]:
    path = write_letters(tmp_path / "lettres.pdf", letters, **keywords)
    return [page.extract_text() for page in PdfReader(path).pages]


def whole(tmp_path: Path, *letters, **keywords) -> str:
    return plain("\n".join(texts(tmp_path, letters, **keywords)))


def flowing(tmp_path: Path, *letters) -> str:
    """The letters' text without what each page repeats (the footer's two lines, and on a page after the
    first the running header's two), so that a sentence cut by a page break reads whole again."""
    kept = []
    for page in texts(tmp_path, letters):
        lines = page.splitlines()[:-2]
        kept += lines[2:] if " · 23/11/2026" in lines[0] else lines
    return plain("\n".join(kept))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_prints_the_debtor_the_invoices_and_french_amounts(tmp_path, kind):
    pages = texts(tmp_path, [letter(kind)])
    raw = "\n".join(pages)
    text = plain(raw)
    assert NAME in text  # accents, "&" and "<" as written
    assert "Atelier Dubois SARL" in text and "SIREN 812 345 678" in text
    for number in ("F-2026-0412", "F-2026-0467", "F-2026-0501"):
        assert number in text
    assert "12\u202f360,50 €" in raw  # a table cell prints the narrow no-break space of "12 360,50 €"
    assert "10 360,50 €" in text and "645,80 €" in text
    assert "Paris, le 23/11/2026" in text
    assert "page 1 / " in pages[0]
    assert "AV-2026-0031" in text and "-120,00 €" in text  # the credit is deducted
    assert "12 726,30 €" in text  # 1 840 + 10 360,50 + 645,80 − 120


@pytest.mark.parametrize("kind", ["first_reminder", "statement"])
def test_the_friendly_letters_claim_the_principal_without_penalties(tmp_path, kind):
    text = whole(tmp_path, letter(kind))
    assert "12 726,30 €" in text
    assert "13 076,42 €" not in text and "Pénalités" not in text and "Indemnité" not in text


def test_the_first_reminder_is_friendly_and_the_statement_gives_the_balance(tmp_path):
    assert "Sauf erreur de notre part" in whole(tmp_path, letter("first_reminder"))
    statement = whole(tmp_path, letter("statement"))
    assert "Relevé de compte au 23/11/2026" in statement and "Solde 12 726,30 €" in statement


def test_the_pre_due_reminder_gives_the_next_due_date(tmp_path):
    lines = tuple(LetterLine(line.number, line.issue_date, date(2026, 11, 28 + index), line.amount, line.still_due)
                  for index, line in enumerate(INVOICES))
    text = whole(tmp_path, letter("pre_due", lines=lines, credits=()))
    assert "échéance du 28/11/2026" in text
    assert "12 846,30 €" in text  # 1 840 + 10 360,50 + 645,80
    assert "Retard" not in text


def test_the_second_reminder_quotes_the_clause_the_penalties_and_the_indemnity(tmp_path):
    text = whole(tmp_path, letter("second_reminder"))
    assert "« Pénalités au taux BCE majoré de 10 points et indemnité forfaitaire de 40 €. »" in text
    assert "12,15 % (taux BCE + 10 points)" in text
    assert "40 €" in text and "D441-5" in text
    assert "43,47 €" in text and "179,34 €" in text and "7,31 €" in text
    assert "230,12 €" in text and "120,00 €" in text and "13 076,42 €" in text


FORMAL_NOTICE_MENTIONS = [
    "Mise en demeure",
    "mettons en demeure",
    # the creditor's identity, the debtor's
    "Créancier : Atelier Dubois SARL, SIREN 812 345 678, 12 rue des Artisans, 75011 Paris.",
    f"Débiteur : {NAME}, SIREN 501 234 567, 4 place du Marché, 69002 Lyon.",
    # each invoice: number, date, due date, amount, still due, penalties and indemnity
    "F-2026-0412 14/08/2026 13/09/2026 1 840,00 € 1 840,00 € 71 j 43,47 € 40,00 €",
    "F-2026-0467 02/09/2026 02/10/2026 12 360,50 € 10 360,50 € 52 j 179,34 € 40,00 €",
    "F-2026-0501 20/09/2026 20/10/2026 645,80 € 645,80 € 34 j 7,31 € 40,00 €",
    "AV-2026-0031 05/10/2026 -120,00 € -120,00 €",
    # penalties and indemnities computed to the letter's date, the total claimed
    "Pénalités au 23/11/2026, taux 12,15 % (taux BCE + 10 points) 230,12 €",
    "Indemnités forfaitaires de recouvrement (3 × 40,00 €) 120,00 €",
    "Total réclamé 13 076,42 €",
    "la somme totale de 13 076,42 €",
    "indemnité forfaitaire pour frais de recouvrement de 40 € par facture",
    # the deadline
    "dans un délai de 8 jours",
    "au plus tard le 01/12/2026",
    # what follows without payment
    "injonction de payer",
    "président du tribunal de commerce",
    "procédure simplifiée de recouvrement des petites créances",
    "5 000 €",
    "commissaire de justice",
    # moratory interest
    "fait courir les intérêts moratoires",
    "article 1344-1 du Code civil",
    # date and signature
    "Paris, le 23/11/2026",
    "Jean Dubois, gérant",
    # registered mail
    "Lettre recommandée avec accusé de réception n° 1A 234 567 8901 2",
]


@pytest.mark.parametrize("mention", FORMAL_NOTICE_MENTIONS)
def test_the_formal_notice_carries_every_legal_mention(tmp_path, mention):
    text = flowing(tmp_path, letter("formal_notice", registered_mail_number="1A 234 567 8901 2"))
    assert mention in text


def test_the_formal_notice_deadline_follows_the_letter(tmp_path):
    text = whole(tmp_path, letter("formal_notice", deadline_days=15))
    assert "dans un délai de 15 jours" in text and "au plus tard le 08/12/2026" in text
    assert "Lettre recommandée avec accusé de réception" in text
    assert "Lettre recommandée avec accusé de réception n°" not in text  # no number known yet


@pytest.mark.parametrize("kind", KINDS)
def test_a_consumer_never_reads_of_the_indemnity(tmp_path, kind):
    text = whole(tmp_path, letter(kind, debtor=CONSUMER))
    assert "Éloïse Durand-L'Hôte" in text
    assert "indemnit" not in text.lower()
    assert "40,00" not in text and "40 €" not in text and "D441-5" not in text
    if kind in ("formal_notice", "litigation"):
        # 1 250 + 980,50 = 2 230,50; interest 9,65 + 6,28 = 15,93; total 2 246,43, no 2 × 40 €
        assert "2 246,43 €" in text and "15,93 €" in text


def test_a_consumer_is_summoned_before_the_tribunal_judiciaire(tmp_path):
    text = whole(tmp_path, letter("formal_notice", debtor=CONSUMER))
    assert "président du tribunal judiciaire" in text and "tribunal de commerce" not in text


def test_the_litigation_file_gathers_the_claim_the_invoices_the_history_and_the_rate(tmp_path):
    text = whole(tmp_path, letter("litigation"))
    assert "injonction de payer" in text and "1405" in text
    assert "Principal restant dû (avoirs déduits) 12 726,30 €" in text
    assert "Total réclamé 13 076,42 €" in text
    assert "09/10/2026 1re relance" in text and "27/10/2026 Appel téléphonique" in text
    assert "06/11/2026 Mise en demeure, lettre recommandée avec AR n° 1A 123 456 7890 1" in text
    assert "au taux de 12,15 % (taux BCE + 10 points)" in text
    assert "Débiteur" in text and "SIREN 501 234 567" in text


def test_pages_are_numbered_per_letter_and_a_long_letter_repeats_its_table_header(tmp_path):
    many = tuple(LetterLine(f"F-2026-{1000 + n}", date(2026, 8, 1), date(2026, 9, 1), D("100.00") + n,
                            D("100.00") + n, 83, D("2.00"), D("40.00")) for n in range(40))
    short = letter("first_reminder", lines=INVOICES[:1], credits=())
    pages = texts(tmp_path, [short, letter("formal_notice", lines=many, credits=()), short])
    assert len(pages) >= 5
    assert "page 1 / 1" in pages[0] and "page 1 / 1" in pages[-1]
    middle = pages[1:-1]
    assert len(middle) >= 3  # 40 invoices cannot fit on the first page of a letter
    for number, page in enumerate(middle, start=1):
        assert f"page {number} / {len(middle)}" in page
    printed = [number for page in middle for number in re.findall(r"(F-2026-1\d{3})\s+01/08/2026", page)]
    assert printed == [f"F-2026-{1000 + n}" for n in range(40)]  # each once, in order
    rows = [page for page in middle if re.search(r"F-2026-1\d{3}\s+01/08/2026", page)]
    assert len(rows) >= 2 and all("N° facture" in page for page in rows)  # the header repeats
    assert NAME in plain(middle[1])  # the following pages say whose letter it is
    # 40 × 100 + (0 + … + 39) = 4 780,00 €; 40 × 2 = 80,00 €; 40 × 40 = 1 600,00 €; total 6 460,00 €
    assert "6 460,00 €" in plain("\n".join(middle))


def test_the_address_sits_in_the_window_of_the_envelope(tmp_path):
    path = write_letters(tmp_path / "lettre.pdf", [letter("first_reminder")])
    page = PdfReader(path).pages[0]
    height = float(page.mediabox.height)
    found = []

    def visit(text, _matrix, text_matrix, _fonts, _size):
        if text.startswith("Boulangerie"):
            found.append((text_matrix[4], height - text_matrix[5]))

    page.extract_text(visitor_text=visit)
    assert len(found) == 1
    x, y = found[0]
    mm = 72 / 25.4
    assert 108 * mm <= x <= 115 * mm
    assert 45 * mm <= y <= 55 * mm


def test_fonts_are_embedded_dejavu(tmp_path):
    path = write_letters(tmp_path / "lettre.pdf", [letter("formal_notice")])
    fonts = PdfReader(path).pages[0]["/Resources"]["/Font"]
    embedded = {str(font.get_object()["/BaseFont"]).split("+")[-1]
                for font in fonts.values() if "/DescendantFonts" in font.get_object() or
                "/FontFile2" in font.get_object().get("/FontDescriptor", {})}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= embedded


def test_progress_is_reported_per_letter_and_raising_cancels_without_a_file(tmp_path):
    seen: list[int] = []
    write_letters(tmp_path / "ok.pdf", [letter("pre_due"), letter("statement")], on_letter=seen.append)
    assert seen == [0, 1]

    def cancel(index: int) -> None:
        if index == 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_letters(tmp_path / "annule.pdf", [letter("pre_due"), letter("statement")], on_letter=cancel)
    assert not (tmp_path / "annule.pdf").exists()


def test_long_names_and_a_bad_logo_do_not_stop_the_print(tmp_path):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"\x89PNG not really")
    name = "Établissements " + "Très-Longue-Raison-Sociale & Associés <Holding> " * 8
    creditor = Creditor(name, ("1 rue A", "13008 Marseille CEDEX 08"), logo_path=str(broken))
    debtor = Debtor(name, ("Bâtiment B " * 10, "69002 Lyon"), contact_name="M. " + "X" * 200)
    text = whole(tmp_path, letter("formal_notice", creditor=creditor, debtor=debtor),
                 letter("statement", creditor=Creditor("A", (), logo_path=str(tmp_path / "absent.png"))))
    assert "Marseille, le 23/11/2026" in text and "Le 23/11/2026" in text
    assert "Établissements Très-Longue-Raison-Sociale & Associés <Holding>" in text


def test_a_readable_logo_is_drawn(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (20, 60, 140)).save(logo)
    creditor = Creditor("Atelier Dubois SARL", ("75011 Paris",), logo_path=str(logo))
    path = write_letters(tmp_path / "lettre.pdf", [letter("pre_due", creditor=creditor)])
    assert "/XObject" in PdfReader(path).pages[0]["/Resources"]


def test_an_edited_template_is_used_and_a_slip_shows_instead_of_failing(tmp_path):
    template = "Bonjour {client}, vous devez {total} ({inconnu}) { [pro] **réf. {code_client}**\n\n[tableau]"
    text = whole(tmp_path, letter("first_reminder"), templates={"first_reminder": template})
    assert f"Bonjour {NAME}, vous devez 12 726,30 € ({{inconnu}})" in text
    assert "F-2026-0467" in text and "Jean Dubois" in text  # the table kept, the forgotten signature added


def test_the_shipped_templates_use_only_documented_placeholders():
    values = placeholders(letter("formal_notice"))
    readme = (Path(__file__).resolve().parents[2] / "resources" / "letters" / "README.md").read_text("utf-8")
    documented = set(re.findall(r"`\{(\w+)\}`", readme))
    assert documented == set(values)
    for kind, template in letter_templates().items():
        template.format_map(values)  # no unknown placeholder, no lone brace
        assert set(re.findall(r"\{(\w+)\}", template)) <= documented, kind


@pytest.mark.parametrize(("lines", "expected"), [
    (("12 rue des Artisans", "75011 Paris"), "Paris"),
    (("BP 12", "13008 Marseille CEDEX 08"), "Marseille"),
    (("2 rue du Port", "29200 Brest", "France"), "Brest"),
    (("Quelque part",), ""),
    ((), ""),
])
def test_the_city_of_the_date_line(lines, expected):
    assert city(lines) == expected


def test_a_letter_with_nothing_known_still_prints(tmp_path):
    bare = [Letter(kind, ON, Creditor("", ()), Debtor("", ()), ()) for kind in KINDS]
    pages = texts(tmp_path, bare)
    assert len(pages) >= len(KINDS)
    assert "Le 23/11/2026" in pages[0] and "page 1 / 1" in pages[0]


def test_the_greeting_follows_the_contact():

    def greeting(contact):
        letter = Letter("first_reminder", date(2026, 11, 23), Creditor("A", ()), Debtor("B", (), contact), ())
        return placeholders(letter)["madame_monsieur"]

    assert [greeting("Mme Claire Martin"), greeting("M. Lucas Blanc"), greeting("Service comptable"),
            greeting("")] == ["Madame", "Monsieur", "Madame, Monsieur", "Madame, Monsieur"]


# --- a letter says only what happened (DOMAIN.md, Dunning progression) ------------------------------------

SECOND = Sent(date(2026, 11, 3), "second_reminder")
NEVER_CLAIMED = ("Malgré", "malgré", "relances", "précédente relance", "mise en demeure du", "mis en demeure de payer")


@pytest.mark.parametrize("kind", ["pre_due", "first_reminder", "statement"])
def test_the_friendly_letters_never_quote_a_history_whether_there_is_one_or_not(tmp_path, kind):
    for history in (HISTORY, ()):
        text = whole(tmp_path, letter(kind, history=history))
        assert not any(claim in text for claim in NEVER_CLAIMED), (kind, history)


def test_the_second_reminder_quotes_the_reminder_on_record_and_nothing_when_there_is_none(tmp_path):
    one = whole(tmp_path, letter("second_reminder", history=HISTORY[:1]))
    assert "Malgré notre 1re relance du 09/10/2026, les factures ci-dessous restent impayées à ce jour." in one
    none = whole(tmp_path, letter("second_reminder", history=()))
    assert "Les factures ci-dessous restent impayées à ce jour. Nous vous demandons" in none
    assert "algré" not in none and "relance du" not in none


def test_the_formal_notice_lists_the_reminders_with_their_dates_only_when_on_record(tmp_path):
    text = flowing(tmp_path, letter("formal_notice", history=(*HISTORY[:2], SECOND)))
    assert ("Malgré nos relances du 09/10/2026 (1re relance), du 27/10/2026 (relance téléphonique) et du "
            "03/11/2026 (2e relance), les factures ci-dessous restent impayées.") in text
    # a formal notice sent later than the letter's date (a list printed again) is not quoted as past
    bare = flowing(tmp_path, letter("formal_notice", history=(Sent(date(2026, 12, 1), "first_reminder"),)))
    assert "Les factures ci-dessous restent impayées à ce jour. Par la présente, nous vous mettons en demeure" in bare
    assert "algré" not in bare and "relance" not in bare.replace("Relance", "")


def test_the_litigation_file_quotes_the_formal_notice_on_record_or_says_there_is_none(tmp_path):
    registered = flowing(tmp_path, letter("litigation"))
    assert ("Le débiteur a été mis en demeure de payer par lettre recommandée avec accusé de réception n° 1A 123 "
            "456 7890 1 du 06/11/2026, restée sans effet.") in registered
    assert "Copies des lettres de relance." in registered
    assert "Copie de la mise en demeure du 06/11/2026 et de son avis de réception." in registered
    unnumbered = flowing(tmp_path, letter("litigation", history=(*HISTORY[:2], Sent(date(2026, 11, 6), "formal_notice"))))
    assert "mis en demeure de payer par lettre du 06/11/2026, restée sans effet. Le numéro de la lettre " \
           "recommandée n'est pas enregistré" in unnumbered
    none = flowing(tmp_path, letter("litigation", history=()))
    assert "Aucune mise en demeure n'est enregistrée pour ce débiteur." in none
    assert "Aucune relance ni mise en demeure enregistrée." in none
    assert "restées impayées à ce jour." in none
    for claim in ("mis en demeure de payer", "Copies des lettres de relance", "Copie de la mise en demeure",
                  "malgré"):
        assert claim not in none


def test_an_edited_text_cannot_claim_reminders_or_a_formal_notice_that_are_not_on_record(tmp_path):
    edited = {"formal_notice": "Malgré nos relances, les factures ci-dessous restent impayées.\n\n"
                               "Suite à notre mise en demeure, rien n'est venu. Nous saisirons le tribunal huit "
                               "jours après la présente mise en demeure, malgré la présente mise en demeure.",
              "litigation": "Factures restées impayées malgré relances et mise en demeure.\n\n[signature]"}
    bare = whole(tmp_path, letter("formal_notice", history=()), templates=edited)
    assert ("Les factures ci-dessous restent impayées. Rien n'est venu. Nous saisirons le tribunal huit jours "
            "après la présente mise en demeure, malgré la présente mise en demeure.") in bare  # this very letter
    assert "Malgré nos relances" not in bare and "Suite à" not in bare
    reminded = whole(tmp_path, letter("formal_notice", history=HISTORY[:1]), templates=edited)
    assert "Malgré nos relances, les factures ci-dessous restent impayées. Rien n'est venu." in reminded
    assert "Factures restées impayées." in whole(tmp_path, letter("litigation", history=HISTORY[:1]), templates=edited)
    assert "Factures restées impayées malgré relances et mise en demeure." in whole(
        tmp_path, letter("litigation"), templates=edited)
