"""The Factur-X / ZUGFeRD reader.

Every sample of ../shared/fixtures/facturx is read and compared with what its XML says (the expected values
below were read by hand from each file's XML, the PDFs' embedded factur-x.xml included); hand-made files
cover what goes wrong: a PDF without invoice, a foreign currency, missing data, hostile or damaged input.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.importers import facturx
from app.importers.records import UnreadableFile, row_hash
from app.jobs import Job, JobCancelled

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
FACTURX = FIXTURES / "facturx"
needs_fixtures = pytest.mark.skipif(not FACTURX.is_dir(),
                                    reason="../shared/fixtures absent (CI has it beside the checkout)")

# akretion's samples: one invoice F20260023 written in each profile (SIREN and VAT of the buyer are
# fictitious: 987654321 fails the Luhn check, the file keeps them as they are).
LE_CLIENT = dict(name="LE CLIENT", siren="987654321", vat_number="FR05987654321", code="",
                 address="MON ADRESSE LIGNE 1\nBuyer line 2\nBuyer line 3", postcode="06000", city="MA VILLE",
                 email="me@buyer.com", key="987654321")
F20260023 = dict(number="F20260023", issue_date=date(2026, 1, 31), due_date=date(2026, 3, 2),
                 net=Decimal("100.00"), vat=Decimal("4.90"), total=Decimal("104.90"), still_due=Decimal("104.90"))
# FNFE-MPE's samples: the buyer is given by its SIRET 78787878400035 and VAT number FR19787878784.
JOLIE_BOUTIQUE = dict(name="Ma jolie boutique", siren="787878784", vat_number="FR19787878784", code="",
                      address="35 rue de la République", postcode="69001", city="Lyon", email="",
                      key="787878784")
FA_2017_0010 = dict(number="FA-2017-0010", issue_date=date(2017, 11, 13), net=Decimal("624.90"),
                    vat=Decimal("46.25"), total=Decimal("671.15"), still_due=Decimal("470.15"))

EXPECTED = {
    "akretion_factur-x-minimum.xml": dict(
        F20260023, due_date=None,  # MINIMUM has no payment terms
        customer=dict(LE_CLIENT, vat_number="", address="", postcode="", city="", email="")),
    "akretion_factur-x-basic.xml": dict(F20260023, customer=LE_CLIENT),
    "akretion_factur-x-en16931.xml": dict(F20260023, customer=LE_CLIENT),
    "akretion_factur-x-extended.xml": dict(F20260023, customer=LE_CLIENT),
    "akretion_invoice_EN16931.pdf": dict(F20260023, customer=LE_CLIENT),
    "akretion_zugferd-comfort.xml": dict(  # ZUGFeRD 1.0, a German invoice: no SIREN, no buyer VAT number
        number="471102", issue_date=date(2013, 3, 5), due_date=date(2013, 4, 4), net=Decimal("473.00"),
        vat=Decimal("56.87"), total=Decimal("529.87"), still_due=Decimal("529.87"),
        customer=dict(name="Kunden AG Mitte", siren="", vat_number="", code="GE2020211",
                      address="Kundenstraße 15", postcode="69876", city="Frankfurt", email="",
                      key="Kunden AG Mitte")),
    "zugferd-corpus_FNFE_Facture_FR_MINIMUM.pdf": dict(
        FA_2017_0010, due_date=None, customer=dict(JOLIE_BOUTIQUE, address="", postcode="", city="")),
    "zugferd-corpus_FNFE_Facture_FR_BASICWL.pdf": dict(  # 201,00 € already paid: 470,15 € still due
        FA_2017_0010, due_date=date(2017, 12, 13), customer=JOLIE_BOUTIQUE),
    "zugferd-corpus_FNFE_Avoir_FR_type381_BASIC.pdf": dict(  # type 381: positive in the XML, negative here
        number="AV-2017-0005", issue_date=date(2017, 11, 16), due_date=date(2017, 11, 16),
        net=Decimal("-218.48"), vat=Decimal("-14.99"), total=Decimal("-233.47"), still_due=Decimal("-233.47"),
        customer=JOLIE_BOUTIQUE),
}


@needs_fixtures
def test_every_sample_has_its_expected_values():
    samples = {path.name for path in FACTURX.iterdir() if path.name != "SOURCE.txt"}
    assert samples == set(EXPECTED)  # a new sample needs its values written here


@needs_fixtures
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_read_as_its_xml_says(name):
    path, expected = FACTURX / name, dict(EXPECTED[name])
    assert facturx.identify(path)
    result = facturx.read(path)
    assert result.kind == "facturx"
    assert result.problems == []
    assert result.rows == 1
    customer_expected = expected.pop("customer")
    [customer] = result.customers
    [invoice] = result.invoices
    for field, value in customer_expected.items():
        assert getattr(customer, field) == value, field
    for field, value in expected.items():
        assert getattr(invoice, field) == value, field
        assert type(getattr(invoice, field)) is type(value), field
    assert invoice.customer_key == customer.key
    assert invoice.line is None and not invoice.paid
    assert invoice.row_hash == row_hash(invoice.number, invoice.issue_date, invoice.total, customer.key)


@needs_fixtures
def test_credit_note_is_negative_and_minimum_has_no_due_date():
    [credit] = facturx.read(FACTURX / "zugferd-corpus_FNFE_Avoir_FR_type381_BASIC.pdf").invoices
    assert credit.number == "AV-2017-0005"
    assert credit.total == Decimal("-233.47") and credit.net < 0 and credit.vat < 0 and credit.still_due < 0
    for name in ("akretion_factur-x-minimum.xml", "zugferd-corpus_FNFE_Facture_FR_MINIMUM.pdf"):
        [invoice] = facturx.read(FACTURX / name).invoices
        assert invoice.due_date is None


@needs_fixtures
def test_one_invoice_in_several_profiles_is_recognised_as_the_same():
    akretion = {facturx.read(FACTURX / name).invoices[0].row_hash for name in EXPECTED if name.startswith(
        ("akretion_factur-x", "akretion_invoice"))}
    fnfe = {facturx.read(FACTURX / name).invoices[0].row_hash for name in (
        "zugferd-corpus_FNFE_Facture_FR_MINIMUM.pdf", "zugferd-corpus_FNFE_Facture_FR_BASICWL.pdf")}
    assert len(akretion) == 1 and len(fnfe) == 1


def test_the_job_is_advanced_and_can_cancel(tmp_path):
    path, seen = write(tmp_path, cii(), "ok.xml"), []
    job = Job(on_progress=lambda done, total, label: seen.append(done))
    facturx.read(path, job)
    assert seen == [1]
    job.cancel()
    with pytest.raises(JobCancelled):
        facturx.read(path, job)


def test_the_embedded_xml_is_the_one_read_and_its_pdf_is_not_located(tmp_path):
    """A problem inside a PDF's XML names the XML path but no line: the PDF has no lines to point at."""
    from facturx import generate_from_binary

    xml = cii(currency="CHF", tax_totals='<ram:TaxTotalAmount currencyID="CHF">20.00</ram:TaxTotalAmount>')
    pdf = generate_from_binary(plain_pdf(), xml.encode(), check_xsd=False)
    path = write(tmp_path, pdf, "chf.pdf")
    assert facturx.identify(path)
    [problem] = facturx.read(path).problems
    assert problem.line is None
    assert problem.value == "CHF" and problem.column.endswith("/ram:InvoiceCurrencyCode")


# -- hand-made files ------------------------------------------------------------------------------------------

def write(folder: Path, data: bytes | str, name: str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A folder for the property tests (hypothesis reruns a test body without new function fixtures)."""
    return tmp_path_factory.mktemp("facturx")


def plain_pdf(text: str = "Facture F-1 : 120,00 €") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


BUYER = """<ram:BuyerTradeParty>
        <ram:ID>C042</ram:ID>
        <ram:Name>Garage Petit</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">73282932000074</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:PostcodeCode>33000</ram:PostcodeCode><ram:LineOne>3 rue Sainte-Catherine</ram:LineOne><ram:CityName>Bordeaux</ram:CityName><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:URIUniversalCommunication><ram:URIID schemeID="EM">compta@garage-petit.fr</ram:URIID></ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR44732829320</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>"""


def cii(number: str | None = "F-2026-001", type_code: str | None = "380", issued: str | None = "20260115",
        due: str | None = "20260214", currency: str | None = "EUR", total: str | None = "120.00",
        tax_totals: str = '<ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount>',
        buyer: str = BUYER, terms: str | None = None) -> str:
    """A small BASIC-like CII invoice; None leaves an element out."""
    def element(tag: str, value: str | None) -> str:
        return "" if value is None else f"<ram:{tag}>{value}</ram:{tag}>"

    issue = "" if issued is None else (
        f'<ram:IssueDateTime><udt:DateTimeString format="102">{issued}</udt:DateTimeString></ram:IssueDateTime>')
    if terms is None:
        terms = "" if due is None else (
            "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>"
            f'<udt:DateTimeString format="102">{due}</udt:DateTimeString>'
            "</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    {element("ID", number)}
    {element("TypeCode", type_code)}
    {issue}
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Atelier Test SARL</ram:Name><ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">552100554</ram:ID></ram:SpecifiedLegalOrganization></ram:SellerTradeParty>
      {buyer}
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      {element("InvoiceCurrencyCode", currency)}
      {terms}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
        {tax_totals}
        {element("GrandTotalAmount", total)}
        <ram:DuePayableAmount>120.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def line_of(xml: str, fragment: str) -> int:
    return next(number for number, line in enumerate(xml.splitlines(), 1) if fragment in line)


def test_hand_made_invoice_is_read_whole(tmp_path):
    path = write(tmp_path, cii(), "ok.xml")
    assert facturx.identify(path)
    result = facturx.read(path)
    assert result.problems == []
    [customer], [invoice] = result.customers, result.invoices
    assert customer.key == customer.siren == "732829320"  # the SIREN of the SIRET 73282932000074
    assert (customer.name, customer.code, customer.vat_number) == ("Garage Petit", "C042", "FR44732829320")
    assert (customer.address, customer.postcode, customer.city) == ("3 rue Sainte-Catherine", "33000", "Bordeaux")
    assert customer.email == "compta@garage-petit.fr"
    assert (invoice.number, invoice.issue_date, invoice.due_date) == ("F-2026-001", date(2026, 1, 15),
                                                                      date(2026, 2, 14))
    assert (invoice.net, invoice.vat, invoice.total, invoice.still_due) == (
        Decimal("100.00"), Decimal("20.00"), Decimal("120.00"), Decimal("120.00"))


def test_pdf_without_xml_is_unreadable(tmp_path):
    path = write(tmp_path, plain_pdf(), "scan.pdf")
    assert not facturx.identify(path)
    with pytest.raises(UnreadableFile, match="ne contient pas de facture Factur-X"):
        facturx.read(path)


def test_hand_made_factur_x_pdf_is_read(tmp_path):
    from facturx import generate_from_binary

    path = write(tmp_path, generate_from_binary(plain_pdf(), cii().encode(), check_xsd=False), "facture.pdf")
    assert facturx.identify(path)
    [invoice] = facturx.read(path).invoices
    assert (invoice.number, invoice.total) == ("F-2026-001", Decimal("120.00"))


def test_foreign_currency_is_a_problem_and_no_invoice(tmp_path):
    xml = cii(currency="USD", tax_totals='<ram:TaxTotalAmount currencyID="USD">20.00</ram:TaxTotalAmount>')
    result = facturx.read(write(tmp_path, xml, "usd.xml"))
    [problem] = result.problems
    assert problem.column == ("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
                              "ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode")
    assert problem.value == "USD" and "euros" in problem.message
    assert problem.line == line_of(xml, "<ram:InvoiceCurrencyCode>")
    assert result.invoices == [] and result.customers == [] and result.rows == 1


def test_missing_number_is_located(tmp_path):
    result = facturx.read(write(tmp_path, cii(number=None), "no-id.xml"))
    [problem] = result.problems
    assert problem.column == "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"
    assert "numéro de facture absent" in problem.message
    assert result.invoices == []


def test_empty_number_points_at_its_line(tmp_path):
    xml = cii(number="  ")
    [problem] = facturx.read(write(tmp_path, xml, "empty-id.xml")).problems
    assert problem.line == line_of(xml, "<ram:ID>  </ram:ID>")
    assert problem.column.endswith("rsm:ExchangedDocument/ram:ID")


@pytest.mark.parametrize("change, column_end, message", [
    (dict(issued=None), "ram:IssueDateTime/udt:DateTimeString", "date de facture absente"),
    (dict(issued="20260230"), "ram:IssueDateTime/udt:DateTimeString", "n'est pas une date"),
    (dict(issued="2026-01-15"), "ram:IssueDateTime/udt:DateTimeString", "n'est pas une date"),
    (dict(total=None), "ram:GrandTotalAmount", "total TTC absent"),
    (dict(total="1 234,56"), "ram:GrandTotalAmount", "n'est pas un montant"),
    (dict(total="1e3"), "ram:GrandTotalAmount", "n'est pas un montant"),
    (dict(type_code=None), "rsm:ExchangedDocument/ram:TypeCode", "type de document absent"),
    (dict(due="2026"), "ram:DueDateDateTime/udt:DateTimeString", "n'est pas une date"),
    (dict(buyer="<ram:BuyerTradeParty><ram:ID>X</ram:ID></ram:BuyerTradeParty>"),
     "ram:BuyerTradeParty/ram:Name", "nom du client"),
    (dict(buyer=""), "ram:BuyerTradeParty/ram:Name", "nom du client"),
])
def test_missing_or_wrong_mandatory_data_is_a_located_problem(tmp_path, change, column_end, message):
    result = facturx.read(write(tmp_path, cii(**change), "bad.xml"))
    assert [(p.column.endswith(column_end), message in p.message) for p in result.problems] == [(True, True)]
    assert result.invoices == [] and result.customers == []


@pytest.mark.parametrize("change, column_end, value, message", [
    (dict(total="120.005"), "ram:GrandTotalAmount", "120.005",
     "n'est pas accepté : un montant a au plus deux décimales (attendu par exemple 1 234,56) ; attendu par exemple "
     "1234.56."),
    (dict(total="1000000000000.00"), "ram:GrandTotalAmount", "1000000000000.00",
     "n'est pas un montant plausible (attendu moins de 1 000 milliards d'euros) ; attendu par exemple 1234.56."),
    (dict(total="0.00"), "ram:GrandTotalAmount", "0.00",
     "n'est pas accepté : une facture de 0,00 € n'a rien à recouvrer (attendu son montant TTC, négatif pour un "
     "avoir)"),
    (dict(due="20260110"), "ram:DueDateDateTime", "20260110",
     "n'est pas possible : l'échéance précède la date de la facture (15/01/2026)"),
    (dict(issued="22260115"), "ram:IssueDateTime/udt:DateTimeString", "22260115",
     "n'est pas une date plausible : l'année va de 1990 à 2100 (attendu AAAAMMJJ)."),
])
def test_a_value_is_read_exactly_or_refused(tmp_path, change, column_end, value, message):
    """As in every reader (app.importers.values): never rounded, never a date moved, never a 0,00 € invoice."""
    result = facturx.read(write(tmp_path, cii(**change), "bad.xml"))
    assert [(p.column.endswith(column_end), p.value, p.message) for p in result.problems] == [
        (True, value, message)]
    assert result.invoices == []
    assert facturx.read(write(tmp_path, cii(total="120.000"), "exact.xml")).invoices[0].total == Decimal("120.00")


@pytest.mark.parametrize("type_code", ["381", "261", "262", "396"])
def test_credit_note_types_are_negative(tmp_path, type_code):
    [invoice] = facturx.read(write(tmp_path, cii(type_code=type_code), f"avoir-{type_code}.xml")).invoices
    assert (invoice.total, invoice.net, invoice.vat, invoice.still_due) == (
        Decimal("-120.00"), Decimal("-100.00"), Decimal("-20.00"), Decimal("-120.00"))


@pytest.mark.parametrize("type_code", ["380", "384", "386", "389"])
def test_invoice_types_are_positive(tmp_path, type_code):
    [invoice] = facturx.read(write(tmp_path, cii(type_code=type_code), f"facture-{type_code}.xml")).invoices
    assert invoice.total == Decimal("120.00")


def test_vat_is_the_one_in_the_invoice_currency(tmp_path):
    taxes = ('<ram:TaxTotalAmount currencyID="CHF">19.37</ram:TaxTotalAmount>'
             '<ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount>')
    [invoice] = facturx.read(write(tmp_path, cii(tax_totals=taxes), "two-taxes.xml")).invoices
    assert invoice.vat == Decimal("20.00")


def test_no_vat_total_and_no_due_date_are_none(tmp_path):
    [invoice] = facturx.read(write(tmp_path, cii(tax_totals="", due=None), "bare.xml")).invoices
    assert invoice.vat is None and invoice.due_date is None


def test_instalments_give_the_first_due_date(tmp_path):
    terms = "".join("<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>"
                    f'<udt:DateTimeString format="102">{day}</udt:DateTimeString>'
                    "</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>" for day in ("20260315", "20260215"))
    [invoice] = facturx.read(write(tmp_path, cii(terms=terms), "instalments.xml")).invoices
    assert invoice.due_date == date(2026, 2, 15)


@pytest.mark.parametrize("buyer, key, siren, vat_number", [
    ('<ram:BuyerTradeParty><ram:Name>Martin</ram:Name><ram:SpecifiedTaxRegistration>'
     '<ram:ID schemeID="VA">FR 44 732 829 320</ram:ID></ram:SpecifiedTaxRegistration></ram:BuyerTradeParty>',
     "732829320", "732829320", "FR44732829320"),  # the SIREN inside a French VAT number
    ('<ram:BuyerTradeParty><ram:Name>Rossi Srl</ram:Name><ram:SpecifiedTaxRegistration>'
     '<ram:ID schemeID="VA">IT12345678901</ram:ID></ram:SpecifiedTaxRegistration></ram:BuyerTradeParty>',
     "IT12345678901", "", "IT12345678901"),
    ('<ram:BuyerTradeParty><ram:Name>Boulangerie Martin</ram:Name><ram:SpecifiedLegalOrganization>'
     '<ram:ID schemeID="0224">12345</ram:ID></ram:SpecifiedLegalOrganization></ram:BuyerTradeParty>',
     "Boulangerie Martin", "", ""),  # another identification scheme: not a SIREN
])
def test_customer_key_is_siren_then_vat_then_name(tmp_path, buyer, key, siren, vat_number):
    [customer] = facturx.read(write(tmp_path, cii(buyer=buyer), "buyer.xml")).customers
    assert (customer.key, customer.siren, customer.vat_number) == (key, siren, vat_number)


def test_utf16_and_bom_are_read(tmp_path):
    xml = cii().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert facturx.read(write(tmp_path, xml.encode("utf-16"), "utf16.xml")).invoices[0].number == "F-2026-001"
    with_bom = write(tmp_path, b"\xef\xbb\xbf" + cii().encode(), "bom.xml")
    assert facturx.read(with_bom).invoices[0].number == "F-2026-001"


def test_external_entities_are_not_followed(tmp_path):
    secret = write(tmp_path, "mot de passe", "secret.txt")
    xml = cii().replace('<?xml version="1.0" encoding="UTF-8"?>',
                        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>')
    xml = xml.replace("<ram:Name>Garage Petit</ram:Name>", "<ram:Name>&e;</ram:Name>")
    result = facturx.read(write(tmp_path, xml, "xxe.xml"))
    assert "mot de passe" not in repr(result)


@pytest.mark.parametrize("data, name", [
    (b"", "empty.xml"), (b"Date;Montant\n01/01/2026;12,50\n", "bank.csv"), (b"<html><body/></html>", "page.xml"),
    (b"<?xml version='1.0'?><Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", "ubl.xml"),
    (b"%PDF-1.4\n garbage", "broken.pdf"),
])
def test_other_files_are_not_identified_and_unreadable(tmp_path, data, name):
    path = write(tmp_path, data, name)
    assert not facturx.identify(path)
    with pytest.raises(UnreadableFile):
        facturx.read(path)


def test_missing_file():
    assert not facturx.identify(Path("/nonexistent/facture.pdf"))
    with pytest.raises(UnreadableFile):
        facturx.read(Path("/nonexistent/facture.pdf"))


# -- nothing but UnreadableFile, whatever the bytes ------------------------------------------------------------

def read_or_refuse(folder: Path, data: bytes, name: str) -> None:
    """``read`` either hands over a result or raises ``UnreadableFile``; ``identify`` answers a bool."""
    path = write(folder, data, name)
    assert facturx.identify(path) in (True, False)
    try:
        result = facturx.read(path)
    except UnreadableFile:
        return
    assert result.rows == 1
    assert len(result.invoices) == len(result.customers) <= 1
    assert not (result.invoices and result.problems)
    for invoice in result.invoices:
        assert isinstance(invoice.total, Decimal) and isinstance(invoice.issue_date, date)


def sample_xml() -> bytes:
    path = FACTURX / "akretion_factur-x-basic.xml"
    return path.read_bytes() if path.exists() else cii().encode()


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """Truncations, deletions, overwrites and insertions of random bytes."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "delete", "overwrite", "insert"]))
        if kind == "cut":
            del data[at:]
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        else:
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at:at + (len(chunk) if kind == "overwrite" else 0)] = chunk
    return bytes(data)


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
TAGS = ["ID", "TypeCode", "DateTimeString", "InvoiceCurrencyCode", "TaxBasisTotalAmount", "TaxTotalAmount",
        "GrandTotalAmount", "DuePayableAmount", "Name", "PostcodeCode", "CityName", "URIID", "LineOne"]


@st.composite
def edited_trees(draw: st.DrawFn) -> bytes:
    """The sample XML, well formed, with some texts and attributes replaced and some elements removed."""
    root = etree.fromstring(sample_xml())
    elements = [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname in TAGS]
    for _ in range(draw(st.integers(1, 6))):
        element = draw(st.sampled_from(elements))
        action = draw(st.sampled_from(["text", "remove", "attribute"]))
        if action == "text":
            element.text = draw(XML_TEXT)
        elif action == "attribute":
            element.set(draw(st.sampled_from(["format", "currencyID", "schemeID"])), draw(XML_TEXT))
        elif element.getparent() is not None:
            element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=2048))
def test_random_bytes(scratch, data):
    read_or_refuse(scratch, data, "random.bin")
    read_or_refuse(scratch, b"%PDF-1.7\n" + data, "random.pdf")


@SETTINGS
@given(mutations(sample_xml()))
def test_mutated_xml(scratch, data):
    read_or_refuse(scratch, data, "mutated.xml")


@SETTINGS
@given(edited_trees())
def test_edited_xml(scratch, data):
    read_or_refuse(scratch, data, "edited.xml")


@needs_fixtures
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations((FACTURX / "zugferd-corpus_FNFE_Facture_FR_MINIMUM.pdf").read_bytes()
                 if FACTURX.is_dir() else b"%PDF-1.4"))
def test_mutated_pdf(scratch, data):
    read_or_refuse(scratch, data, "mutated.pdf")
