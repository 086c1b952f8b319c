"""Whose file it is (issue 17): another firm's FEC or a supplier's Factur-X invoice is refused with both firms
named, nothing written; the first file of a database with no company gives it its name and SIREN; public
buyers get the public segment when an import creates them, with the reason said."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Company, Customer, ImportBatch, Invoice
from app.services.imports import import_file
from app.services.ownership import CompanyProposed, OtherCompany

FIXTURES = Path("/work/shared/fixtures")
AGRIGEST = FIXTURES / "fec" / "ekylibre_agrigest_123456789FEC20230331.txt"
BASIC = FIXTURES / "facturx" / "akretion_factur-x-basic.xml"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="fixtures absent")

HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t"
          "PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise")


def small_fec(tmp_path, name="512345679FEC20261231.txt", customer="Mairie de Saint-Rémy"):
    lines = [HEADER,
             f"VE\tVentes\t1\t20261015\t411MAIRIE\t{customer}\t\t\tF-1\t20261015\tFacture F-1\t1200,00\t0,00\t\t\t\t\t",
             "VE\tVentes\t1\t20261015\t706000\tPrestations\t\t\tF-1\t20261015\tFacture F-1\t0,00\t1200,00\t\t\t\t\t"]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(db):
    with db.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(model)) for model in (Customer, Invoice, ImportBatch))


@needs_fixtures
def test_a_fec_of_another_siren_is_refused_naming_both_and_nothing_is_written(db):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    with pytest.raises(OtherCompany) as refused, db.transaction() as s:
        import_file(s, AGRIGEST, today=date(2023, 3, 31), kind="fec")
    assert str(refused.value) == (
        "ekylibre_agrigest_123456789FEC20230331.txt : ce FEC est celui de la société de SIREN 123456789 (d'après le "
        "nom du fichier), pas de la vôtre, Atelier Test SARL (SIREN 512345679). Rien n'a été importé ; importez-le "
        "quand même si ce fichier est bien le vôtre.")
    assert counts(db) == (0, 0, 0)


@needs_fixtures
def test_another_siren_s_fec_imported_anyway_when_the_owner_says_so(db):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    with db.transaction() as s:
        summary = import_file(s, AGRIGEST, today=date(2023, 3, 31), kind="fec", force_company=True)
    assert summary.created["customers"] == 7 and summary.company == ""
    with db.sessions() as s:
        assert s.scalar(select(Company.siren)) == "512345679"  # the company is left as it is


def test_a_fec_of_the_company_s_siren_imports(db, tmp_path):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    with db.transaction() as s:
        summary = import_file(s, small_fec(tmp_path), today=date(2026, 12, 31))
    assert summary.created["invoices"] == 1 and summary.company == ""


def test_the_first_fec_creates_the_company_from_its_siren(db, tmp_path):
    with db.transaction() as s:
        summary = import_file(s, small_fec(tmp_path), today=date(2026, 12, 31), create_company=True)
    assert summary.company == ("Votre société a été créée d'après le fichier : Société SIREN 512345679, SIREN "
                               "512345679 ; indiquez sa raison sociale dans Paramètres.")
    assert summary.as_json()["company_created"] == summary.company
    with db.sessions() as s:
        assert s.execute(select(Company.name, Company.siren)).one() == ("Société SIREN 512345679", "512345679")


def test_a_company_without_siren_is_completed_not_renamed(db, tmp_path):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL"))
    with db.transaction() as s:
        summary = import_file(s, small_fec(tmp_path), today=date(2026, 12, 31), create_company=True)
    assert summary.company == "Votre société a été complétée d'après le fichier : SIREN 512345679."
    with db.sessions() as s:
        assert s.execute(select(Company.name, Company.siren)).one() == ("Atelier Test SARL", "512345679")


def test_the_wizard_is_asked_before_the_company_is_created_and_nothing_is_written(db, tmp_path):
    with pytest.raises(CompanyProposed) as proposed, db.transaction() as s:
        import_file(s, small_fec(tmp_path), today=date(2026, 12, 31), create_company=None)
    assert proposed.value.question == (
        "Encours ne connaît pas encore votre société. D'après ce fichier, c'est : Société SIREN 512345679, SIREN "
        "512345679.\n\nVoulez-vous créer votre société avec ces informations ? (Modifiables ensuite dans "
        "Paramètres.)")
    assert counts(db) == (0, 0, 0)
    with db.sessions() as s:
        assert s.scalar(select(Company)) is None


@needs_fixtures
def test_an_invalid_siren_in_a_fec_s_name_creates_no_company(db):
    with db.transaction() as s:
        summary = import_file(s, AGRIGEST, today=date(2023, 3, 31), kind="fec", create_company=True)
    assert summary.company == "" and summary.created["customers"] == 7  # 123456789 fails the Luhn check
    with db.sessions() as s:
        assert s.scalar(select(Company)) is None


@needs_fixtures
def test_a_supplier_s_factur_x_invoice_is_refused_with_its_seller_named(db):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    with pytest.raises(OtherCompany) as refused, db.transaction() as s:
        import_file(s, BASIC, today=date(2017, 11, 30))
    assert str(refused.value) == (
        "akretion_factur-x-basic.xml : cette facture est émise par LE FOURNISSEUR (SIREN 123456782), pas par votre "
        "société Atelier Test SARL (SIREN 512345679) : une facture fournisseur n'a pas sa place dans Encours, qui "
        "suit les factures que vous émettez. Rien n'a été importé ; importez-le quand même si ce fichier est bien "
        "le vôtre.")
    assert counts(db) == (0, 0, 0)


@needs_fixtures
def test_a_factur_x_seller_is_compared_by_name_when_the_company_has_no_siren(db):
    with db.transaction() as s:
        s.add(Company(name="Ma société"))
    with pytest.raises(OtherCompany, match="émise par LE FOURNISSEUR .SIREN 123456782., pas par votre société Ma "
                                           "société :"), db.transaction() as s:
        import_file(s, BASIC, today=date(2017, 11, 30))
    with db.transaction() as s:
        s.get(Company, 1).name = "Le Fournisseur SARL"  # the same firm, its legal form aside
    with db.transaction() as s:
        summary = import_file(s, BASIC, today=date(2017, 11, 30), create_company=True)
    assert summary.created["invoices"] == 1
    assert summary.company == ("Votre société a été complétée d'après le fichier : SIREN 123456782, TVA "
                               "FR11123456782, 35 rue d'ici, Seller line 2, Seller line 3, 75018, PARIS.")


@needs_fixtures
def test_the_first_factur_x_creates_the_company_from_its_seller(db):
    with db.transaction() as s:
        summary = import_file(s, BASIC, today=date(2017, 11, 30), create_company=True)
    assert summary.company == ("Votre société a été créée d'après le fichier : LE FOURNISSEUR, SIREN 123456782, TVA "
                               "FR11123456782, 35 rue d'ici, Seller line 2, Seller line 3, 75018, PARIS.")
    with db.sessions() as s:
        company = s.scalar(select(Company))
        assert (company.name, company.siren, company.city) == ("LE FOURNISSEUR", "123456782", "PARIS")
        assert s.scalar(select(Customer.name)) == "LE CLIENT"


def test_a_public_buyer_gets_the_public_segment_with_the_reason_said(db, tmp_path):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    with db.transaction() as s:
        summary = import_file(s, small_fec(tmp_path), today=date(2026, 12, 31))
    assert [str(w) for w in summary.warnings] == [
        "Mairie de Saint-Rémy : organisme public (d'après son nom) ; créé dans le segment « Organisme public » "
        "(délai de paiement légal de 30 jours, relances adaptées), modifiable sur sa fiche."]
    with db.sessions() as s:
        assert s.execute(select(Customer.name, Customer.segment)).one() == ("Mairie de Saint-Rémy", "public")


def test_an_existing_customer_s_segment_is_never_changed_by_an_import(db, tmp_path):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
        s.add(Customer(name="Mairie de Saint-Rémy", code="411MAIRIE", segment="private"))
    with db.transaction() as s:
        summary = import_file(s, small_fec(tmp_path), today=date(2026, 12, 31))
    assert summary.created["customers"] == 0 and summary.warnings == []
    with db.sessions() as s:
        assert s.scalar(select(Customer.segment)) == "private"


def test_a_private_customer_is_created_private(db, tmp_path):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    with db.transaction() as s:
        summary = import_file(s, small_fec(tmp_path, customer="Garage Petit"), today=date(2026, 12, 31))
    assert summary.warnings == []
    with db.sessions() as s:
        assert s.scalar(select(Customer.segment)) == "private"
