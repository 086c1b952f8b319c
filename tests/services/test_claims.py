"""The declaration of claim of a customer in redressement judiciaire (judgment 05/10/2026, published in the
BODACC on 16/10/2026), its figures computed by hand, its PDF read back, and the VAT of the unpaid invoices
listed once the customer is in liquidation.

Menuiserie Bois (C0100), penalties at 12,15 % (ECB 2,15 + 10) in the second half of 2026:
- FB1 1 200,00 € (VAT 200,00) issued 01/07, due 31/07, 200,00 € paid on 10/09: late at the judgment, 1 000,00 €
  still due; interest 1 200 × 12,15 % × 41/365 (01/08–10/09) + 1 000 × 12,15 % × 24/365 (11/09–04/10)
  = 16,3775 + 7,9890 = 24,37 €; indemnity 40 €.
- FB2 600,00 € (VAT 100,00) issued 15/09, due 15/10: to fall due at the judgment; 100,00 € paid on 20/10,
  after it, still declared in full.
- FB3 900,00 € issued 06/10, after the judgment: outside the proceedings.
- FB0 300,00 € issued 01/06, paid in full on 20/07: nothing to declare.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, select

from app.domain.penalties import MissingRate
from app.models import Allocation, Company, Customer, DunningLetter, Guarantee, InterestRate, Invoice, Payment, Segment
from app.services.claims import claim_letter, write_claim
from app.services.proceedings import ProceedingInput, ProceedingRefused, open_proceeding, record_proceeding
from app.services.rates import save_rates
from app.services.vat_recovery import vat_recoverable, write_vat_recoverable

TODAY = date(2026, 11, 23)
JUDGMENT, PUBLISHED = date(2026, 10, 5), date(2026, 10, 16)
MANDATAIRE = ProceedingInput("redressement", JUDGMENT, PUBLISHED, court="Tribunal de commerce de Lyon",
                             reference="RG 2026J00123", mandataire_name="Maître Claire Dubois",
                             mandataire_address="SELARL Dubois & Associés\n8 quai Jules Courmont\n69002 Lyon")


def bill(number, customer, issued, due, cents, vat_cents=0):
    return Invoice(number=number, customer=customer, issue_date=issued, due_date=due, net_cents=cents - vat_cents,
                   vat_cents=vat_cents, total_cents=cents)


def paid(invoice, customer, on, cents):
    payment = Payment(customer=customer, received_on=on, amount_cents=cents, reference=f"VIR {invoice.number}")
    return [payment, Allocation(invoice=invoice, payment=payment, allocated_on=on, amount_cents=cents)]


def customer_id(s, code="C0100"):
    return s.scalar(select(Customer.id).where(Customer.code == code))


def in_redressement(db):
    """The ledger above, in ``db`` (the command line's tests use it too)."""
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="732829320", address="12 rue des Lilas", postcode="69003",
                      city="Lyon", retention_of_title=True))
        bois = Customer(name="Menuiserie Bois", code="C0100", siren="552100554", address="3 rue du Chêne",
                        postcode="69100", city="Villeurbanne", segment=Segment.PRIVATE.value)
        fb1 = bill("FB1", bois, date(2026, 7, 1), date(2026, 7, 31), 120000, 20000)
        fb2 = bill("FB2", bois, date(2026, 9, 15), date(2026, 10, 15), 60000, 10000)
        fb0 = bill("FB0", bois, date(2026, 6, 1), date(2026, 7, 1), 30000, 5000)
        s.add_all([fb1, fb2, fb0, bill("FB3", bois, date(2026, 10, 6), date(2026, 11, 5), 90000, 15000),
                   *paid(fb1, bois, date(2026, 9, 10), 20000), *paid(fb2, bois, date(2026, 10, 20), 10000),
                   *paid(fb0, bois, date(2026, 7, 20), 30000),
                   Guarantee(customer=bois, kind="bank_guarantee", guarantor="Banque Rhône", amount_cents=50000),
                   Guarantee(customer=bois, kind="deposit", guarantor="", amount_cents=10000),
                   DunningLetter(customer=bois, step="formal_notice", sent_on=date(2026, 9, 20),
                                 registered_mail_number="1A 111 222 3334 4")])
        s.flush()
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
        record_proceeding(s, bois.id, MANDATAIRE, TODAY)
    return db


@pytest.fixture
def insolvent(db):
    return in_redressement(db)


def test_the_claim_at_the_judgment_by_hand(insolvent):
    with insolvent.sessions() as s:
        letter = claim_letter(s, customer_id(s), TODAY)
    claim = letter.claim
    assert [(i.number, i.still_due, i.to_fall_due) for i in claim.invoices] == [
        ("FB1", Decimal("1000.00"), False), ("FB2", Decimal("600.00"), True)]
    assert (claim.due, claim.interest, claim.indemnities, claim.to_fall_due, claim.total) == (
        Decimal("1000.00"), Decimal("24.37"), Decimal("40.00"), Decimal("600.00"), Decimal("1664.37"))
    assert letter.rates == ((date(2026, 7, 1), Decimal("12.15")),)
    assert letter.mandataire.address_lines == ("SELARL Dubois & Associés", "8 quai Jules Courmont", "69002 Lyon")
    assert letter.revendication_deadline == date(2027, 1, 16)
    assert [(g.label, g.detail) for g in letter.guarantees] == [
        ("Caution bancaire / garantie de tiers", "Banque Rhône, à hauteur de 500,00\u00a0€")]  # no deposit
    assert letter.documents == (
        "Copie des factures n° FB1 et FB2",
        "Conditions générales de vente acceptées par le débiteur (clause de pénalités de retard et clause de "
        "réserve de propriété)",
        "Relevé de compte du débiteur au 05/10/2026",
        "Mise en demeure du 20/09/2026 (lettre recommandée avec AR n° 1A\u00a0111\u00a0222\u00a03334\u00a04)",
        "Acte de caution (Banque Rhône)")


def test_the_pdf_says_it_to_the_mandataire(insolvent, tmp_path):
    with insolvent.sessions() as s:
        letter, recorded = write_claim(s, customer_id(s), TODAY, tmp_path / "creance.pdf")
    assert recorded == ""
    pages = PdfReader(tmp_path / "creance.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages).replace("\u202f", " ")
    for said in ("Maître Claire Dubois", "SELARL Dubois & Associés", "69002 Lyon", "Lyon, le 23/11/2026",
                 "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION", "Déclaration de créance",
                 "FB1 01/07/2026 31/07/2026 1 200,00 € 1 000,00 € 24,37 € 40,00 €",
                 "FB2 15/09/2026 15/10/2026 600,00 € 600,00 € — —",
                 "Principal échu au 05/10/2026 1 000,00 €", "Intérêts de retard arrêtés au 04/10/2026 24,37 €",
                 "Principal à échoir (600,00 € le 15/10/2026) 600,00 €", "Total de la créance déclarée 1 664,37 €",
                 "Créance chirographaire", "Clause de réserve de propriété",
                 "revendication au plus tard le 16/01/2027", "2e semestre 2026 : 12,15 %",
                 "Copie des factures n° FB1 et FB2", "Mise en demeure du 20/09/2026",
                 "vaut mise en demeure du débiteur et interrompt la prescription", "Fait à Lyon, le 23/11/2026",
                 "l'ouverture d'une procédure de redressement judiciaire a été prononcée à l'égard de Menuiserie "
                 "Bois, et vous avez été désigné(e) en qualité de mandataire judiciaire",
                 "Tribunal de commerce de Lyon", "RG 2026J00123", "SIREN 552100554"):
        assert said in text, said
    assert "FB3" not in text and "FB0" not in text


def test_a_claim_recorded_as_sent_is_on_disk_only_if_the_record_commits(insolvent, tmp_path):
    with pytest.raises(RuntimeError), insolvent.transaction() as s:
        write_claim(s, customer_id(s), TODAY, tmp_path / "refusee.pdf", date(2026, 11, 24), "1A 9")
        raise RuntimeError("enregistrement refusé")  # as a commit another workstation got ahead of
    assert not (tmp_path / "refusee.pdf").exists()
    with insolvent.sessions() as s:
        assert open_proceeding(s, customer_id(s)).claim_sent_on is None
    with pytest.raises(RuntimeError), insolvent.transaction() as s:  # not recorded: a draft, kept
        write_claim(s, customer_id(s), TODAY, tmp_path / "brouillon.pdf")
        raise RuntimeError("autre chose")
    assert (tmp_path / "brouillon.pdf").exists()


def test_sent_records_it_and_refusals_in_french(insolvent, tmp_path):
    with insolvent.transaction() as s:
        _letter, recorded = write_claim(s, customer_id(s), TODAY, tmp_path / "c.pdf", date(2026, 11, 24), "1A 9")
    assert recorded == "Déclaration de créance enregistrée comme envoyée le 24/11/2026 (recommandé n° 1A 9)."
    with insolvent.sessions() as s:
        assert open_proceeding(s, customer_id(s)).claim_sent_on == date(2026, 11, 24)
        s.add(Customer(name="Sans Procédure", code="C0200"))
        s.flush()
        with pytest.raises(ProceedingRefused, match="^aucune procédure collective n'est enregistrée pour ce client.$"):
            claim_letter(s, customer_id(s, "C0200"), TODAY)
    with insolvent.transaction() as s:
        s.execute(delete(InterestRate).where(InterestRate.half_year == date(2026, 7, 1)))
    with insolvent.sessions() as s, pytest.raises(MissingRate) as missing:
        claim_letter(s, customer_id(s), TODAY)
    assert str(missing.value).startswith("taux d'intérêt manquant pour le 2e semestre 2026 : saisissez-le dans "
                                         "Paramètres › Taux d'intérêt")


def test_the_vat_of_a_liquidation_for_the_accountant(insolvent, tmp_path):
    with insolvent.sessions() as s:
        assert vat_recoverable(s, TODAY) == []  # a redressement: the debt is not lost yet
    with insolvent.transaction() as s:
        record_proceeding(s, customer_id(s), replace(MANDATAIRE, kind="liquidation"),
                          TODAY)
    with insolvent.sessions() as s:
        rows = vat_recoverable(s, TODAY)
        # FB1: 200 × 1 000 / 1 200 = 166,67; FB2: 100 × 500 / 600 = 83,33 (the payment of 20/10 counts now)
        assert [(r.number, r.still_due, r.vat_due, r.liquidation_on, r.court) for r in rows] == [
            ("FB1", Decimal("1000.00"), Decimal("166.67"), TODAY, "Tribunal de commerce de Lyon"),
            ("FB2", Decimal("500.00"), Decimal("83.33"), TODAY, "Tribunal de commerce de Lyon")]
        written = write_vat_recoverable(s, TODAY, tmp_path / "tva.csv")
    assert written.text() == ("TVA récupérable écrite dans " + str(tmp_path / "tva.csv") + " : 2 factures impayées, "
                              "250,00\u202f€ de TVA (CGI art. 272).".replace("\u202f", "\u00a0"))
    lines = (tmp_path / "tva.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("Client;Code client;Facture;Date;Montant TTC;TVA facturée;Reste dû TTC;TVA à récupérer;"
                        "Jugement de liquidation;Tribunal")
    assert lines[1] == ("Menuiserie Bois;C0100;FB1;01/07/2026;1200,00;200,00;1000,00;166,67;23/11/2026;"
                        "Tribunal de commerce de Lyon")
