"""Reading a Factur-X / ZUGFeRD invoice: a PDF that carries its invoice as embedded CII XML, or that XML alone.

Why this reader: with the French e-invoicing reform (2026-2027) every company's invoices become electronic,
and Factur-X (the Franco-German standard, the same as ZUGFeRD 2) is the form small businesses get from their
invoicing program: a readable PDF with the machine-readable invoice inside. Reading the XML rather than the
printed page gives the exact number, dates and amounts, with nothing to re-type.

What is read: one invoice (or credit note) per file, from the UN/CEFACT Cross Industry Invoice (CII D16B,
root ``rsm:CrossIndustryInvoice``) used by every Factur-X profile (MINIMUM, BASIC WL, BASIC, EN 16931,
EXTENDED), and from ZUGFeRD 1.0 (root ``rsm:CrossIndustryDocument``, same data under older element names)
that German programs still send. The embedded XML is taken out of the PDF with the ``factur-x`` library,
without the XSD check: a file that breaks the schema somewhere we do not read is still worth reading, and
what we do read is checked here, each problem located by its XML path.

- The invoice: number (BT-1), type (BT-3: 380 invoice; 381, 261, 262, 396... credit notes, whose positive
  amounts are turned negative, as ``records`` signs them), issue date (BT-2), due date (BT-9; MINIMUM and
  BASIC WL may have none: the customer's terms then apply), net / VAT / total / amount still due (BT-109,
  BT-110, BT-112, BT-115), as ``Decimal`` from the XML text, never through a float.
- The customer is the buyer (BG-7): name, SIREN (legal registration with scheme 0002, or the SIREN inside a
  SIRET or a French VAT number), VAT number, address, e-mail, and the number the seller gives it (BT-46).
- The seller (BG-4) is read the same way into ``LedgerRead.issuer``: it should be the user's own company
  (these are the invoices it issued); the import refuses a supplier's invoice (``services.ownership``).

Only euros are handled; an invoice in another currency is reported, not converted. Missing mandatory data
(number, type, issue date, total, buyer name) is a ``Problem`` and the invoice is then not handed over: the
file holds only that one invoice, half of it would be wrong in the ledger. A PDF without an embedded invoice
is an ``UnreadableFile``. No database access here (see DESIGN.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from app.importers.records import (ZERO_TOTAL, CustomerRecord, InvoiceRecord, Problem, LedgerRead, UnreadableFile,
                                   due_error, row_hash)
from app.importers.values import YEARS, exact_amount, parse_date, plausible
from app.jobs import NULL_JOB, Job

KIND = "facturx"
LABEL = "Facture Factur-X / ZUGFeRD (PDF ou XML)"

# UNTDID 1001 document types that are credit notes (EN 16931 list and the French CIUS additions 502/503):
# their amounts are written positive and mean money owed back to the customer.
CREDIT_NOTE_TYPES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "502", "503", "532"})


@dataclass(frozen=True)
class _Dialect:
    """Where a CII flavour keeps what we read: Factur-X / ZUGFeRD 2 (D16B) and ZUGFeRD 1 name the same
    header blocks differently."""

    rsm: str
    ram: str
    udt: str
    root: str
    document: str
    transaction: str
    agreement: str
    settlement: str
    summation: str

    @property
    def namespaces(self) -> dict[str, str]:
        return {"rsm": self.rsm, "ram": self.ram, "udt": self.udt}


CII = _Dialect(rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
               ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
               udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
               root="rsm:CrossIndustryInvoice", document="rsm:ExchangedDocument",
               transaction="rsm:SupplyChainTradeTransaction", agreement="ram:ApplicableHeaderTradeAgreement",
               settlement="ram:ApplicableHeaderTradeSettlement",
               summation="ram:SpecifiedTradeSettlementHeaderMonetarySummation")
ZUGFERD1 = _Dialect(rsm="urn:ferd:CrossIndustryDocument:invoice:1p0",
                    ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
                    udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
                    root="rsm:CrossIndustryDocument", document="rsm:HeaderExchangedDocument",
                    transaction="rsm:SpecifiedSupplyChainTradeTransaction",
                    agreement="ram:ApplicableSupplyChainTradeAgreement",
                    settlement="ram:ApplicableSupplyChainTradeSettlement",
                    summation="ram:SpecifiedTradeSettlementMonetarySummation")
_DIALECTS = {f"{{{CII.rsm}}}CrossIndustryInvoice": CII, f"{{{ZUGFERD1.rsm}}}CrossIndustryDocument": ZUGFERD1}

# The XML comes from outside: no DTD, no external or expanded entities, no network, no huge documents.
_PARSER_OPTIONS = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
_DECIMAL = re.compile(r"[+-]?([0-9]{1,15}(\.[0-9]{0,10})?|\.[0-9]{1,10})")  # xsd:decimal, ASCII digits
_SIREN_SCHEMES = ("0002", "0009")  # ISO 6523: 0002 SIRENE (SIREN or SIRET), 0009 SIRET
_FRENCH_VAT = re.compile(r"FR[0-9A-Z]{2}([0-9]{9})")
_SEPARATORS = re.compile(r"[\s.\-]")


def identify(path: Path) -> bool:
    """A PDF that carries a CII invoice, or an XML file whose root element is a CII invoice. For an XML file
    only the first element is parsed; a PDF has to be opened (a few milliseconds) because its attachments
    are listed inside compressed structures."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            head = file.read(1024)
            if not _is_pdf(head):
                file.seek(0)
                for _event, element in etree.iterparse(file, events=("start",), **_PARSER_OPTIONS):
                    return element.tag in _DIALECTS
                return False
        return _parse(_xml_from_pdf(path.read_bytes(), path.name), path.name).tag in _DIALECTS
    except Exception:  # a probe: whatever is wrong with the file, it is not one of ours
        return False


def read(path: Path, job: Job = NULL_JOB, **options: object) -> LedgerRead:
    """The invoice of ``path`` (PDF or XML) with its customer, or the problems that kept it out. Takes no
    option; ``options`` is there because every reader accepts the same call."""
    path = Path(path)
    job.check()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path.name} : fichier illisible ({error.strerror or error}).") from None
    if not data.strip():
        raise UnreadableFile(f"{path.name} : le fichier est vide.")
    from_pdf = _is_pdf(data[:1024])
    root = _parse(_xml_from_pdf(data, path.name) if from_pdf else data, path.name)
    dialect = _DIALECTS.get(root.tag)
    if dialect is None:
        raise UnreadableFile(f"{path.name} ne contient pas de facture Factur-X / ZUGFeRD : son XML n'est "
                             "pas une facture CII (CrossIndustryInvoice).")
    result = LedgerRead(kind=KIND, rows=1)
    _Invoice(root, dialect, located=not from_pdf).read_into(result)
    job.advance()
    return result


def _is_pdf(head: bytes) -> bool:
    """PDF readers accept the ``%PDF-`` header anywhere in the first 1024 bytes; an XML file starts with
    ``<`` (after a byte-order mark or blanks)."""
    return b"%PDF-" in head and not head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")


def _xml_from_pdf(data: bytes, name: str) -> bytes:
    """The CII XML embedded in a PDF (factur-x.xml, zugferd-invoice.xml, ZUGFeRD-invoice.xml...)."""
    from facturx import get_xml_from_pdf  # loaded on first use: it brings pypdf and requests (0.2 s)

    try:
        _filename, xml = get_xml_from_pdf(data, check_xsd=False)
    except Exception:  # pypdf raises many kinds of errors on a damaged file, all mean the same to the user
        raise UnreadableFile(f"{name} : ce PDF est endommagé ou protégé, il ne peut pas être lu. Demandez "
                             "au fournisseur du fichier de le renvoyer.") from None
    if not xml:
        raise UnreadableFile(f"{name} ne contient pas de facture Factur-X (aucun fichier XML de facture "
                             "n'est joint au PDF) : c'est une facture à saisir à la main, ou demandez "
                             "sa version Factur-X.")
    return xml


def _parse(xml: bytes, name: str) -> etree._Element:
    try:
        root = etree.fromstring(xml, etree.XMLParser(**_PARSER_OPTIONS))
    except (etree.Error, ValueError):
        raise UnreadableFile(f"{name} n'est pas un fichier XML lisible (balises mal formées ou fichier "
                             "tronqué) : ce n'est pas une facture Factur-X.") from None
    if root is None:
        raise UnreadableFile(f"{name} ne contient pas de facture Factur-X.")
    return root


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _compact(text: str) -> str:
    """An identifier without its spaces, dots and dashes: "FR 05 987 654 321" -> "FR05987654321"."""
    return _SEPARATORS.sub("", text).upper()


class _Invoice:
    """One CII document being read; collects problems, each with the XML path of what was missing or wrong
    (and its line when the file is the XML itself, not a PDF around it)."""

    def __init__(self, root: etree._Element, dialect: _Dialect, located: bool) -> None:
        self.root, self.dialect, self.located = root, dialect, located
        self.ns = dialect.namespaces
        self.problems: list[Problem] = []

    # -- finding things -------------------------------------------------------------------------------------
    def path(self, *steps: str) -> str:
        return "/" + "/".join((self.dialect.root, *steps))

    def find(self, *steps: str) -> etree._Element | None:
        return self.root.find("/".join(steps), self.ns)

    def findall(self, *steps: str) -> list[etree._Element]:
        return self.root.findall("/".join(steps), self.ns)

    def problem(self, column: str, value: str, message: str, element: etree._Element | None = None) -> None:
        line = element.sourceline if self.located and element is not None else None
        self.problems.append(Problem(line=line, column=column, value=value[:80], message=message))

    # -- values -----------------------------------------------------------------------------------------------
    def read_amount(self, element: etree._Element | None, column: str) -> Decimal | None:
        """An xsd:decimal amount in cents exactly (more decimals or an implausible size are refused, never
        rounded: app.importers.values)."""
        if element is None:
            return None
        text = _text(element)
        if not _DECIMAL.fullmatch(text):
            self.problem(column, text, "n'est pas un montant (attendu par exemple 1234.56).", element)
            return None
        try:
            return exact_amount(Decimal(text))
        except (ValueError, InvalidOperation) as exc:
            self.problem(column, text, f"{exc} ; attendu par exemple 1234.56." if isinstance(exc, ValueError)
                         else "n'est pas un montant (attendu par exemple 1234.56).", element)
            return None

    def read_date(self, holder: etree._Element | None, column: str) -> date | None:
        """The date of a ``...DateTime`` element: ``udt:DateTimeString`` with format 102 (AAAAMMJJ)."""
        string = holder.find("udt:DateTimeString", self.ns) if holder is not None else None
        if string is None:
            return None
        text, fmt = _text(string), (string.get("format") or "").strip()
        column = f"{column}/udt:DateTimeString"
        if fmt not in ("", "102"):
            self.problem(column, text, f"format de date {fmt[:10]} non géré (attendu 102 : AAAAMMJJ).", string)
            return None
        try:
            if fmt == "102" and not re.fullmatch(r"[0-9]{8}", text):
                raise ValueError
            value = datetime.strptime(text, "%Y%m%d").date() if fmt == "102" else parse_date(text)
        except (ValueError, OverflowError):
            self.problem(column, text, "n'est pas une date (attendu AAAAMMJJ).", string)
            return None
        try:
            return plausible(value)
        except ValueError:
            self.problem(column, text, f"n'est pas une date plausible : l'année va de {YEARS[0]} à {YEARS[1]} "
                         "(attendu AAAAMMJJ).", string)
            return None

    # -- the invoice --------------------------------------------------------------------------------------------
    def read_into(self, result: LedgerRead) -> None:
        d = self.dialect
        doc, agreement = d.document, f"{d.transaction}/{d.agreement}"
        settlement, summation = f"{d.transaction}/{d.settlement}", f"{d.transaction}/{d.settlement}/{d.summation}"

        number_element = self.find(doc, "ram:ID")
        number = _text(number_element)
        if not number:
            self.problem(self.path(doc, "ram:ID"), "", "numéro de facture absent.", number_element)

        type_element = self.find(doc, "ram:TypeCode")
        type_code = _text(type_element)
        if not type_code:
            self.problem(self.path(doc, "ram:TypeCode"), "",
                         "type de document absent (380 pour une facture, 381 pour un avoir).", type_element)
        sign = -1 if type_code in CREDIT_NOTE_TYPES else 1

        issue_column, issue_holder = self.path(doc, "ram:IssueDateTime"), self.find(doc, "ram:IssueDateTime")
        if issue_holder is None or issue_holder.find("udt:DateTimeString", self.ns) is None:
            self.problem(f"{issue_column}/udt:DateTimeString", "", "date de facture absente.", issue_holder)
        issue_date = self.read_date(issue_holder, issue_column)

        terms_column = self.path(settlement, "ram:SpecifiedTradePaymentTerms", "ram:DueDateDateTime")
        due_dates = [due for terms in self.findall(settlement, "ram:SpecifiedTradePaymentTerms")
                     if (due := self.read_date(terms.find("ram:DueDateDateTime", self.ns), terms_column))]
        due_date = min(due_dates) if due_dates else None  # instalments: the debt is late from the first one

        def money(tag: str, element: etree._Element | None = None) -> Decimal | None:
            element = self.find(summation, f"ram:{tag}") if element is None else element
            return self.read_amount(element, self.path(summation, f"ram:{tag}"))

        currency = self.currency(settlement, summation)
        net, vat = money("TaxBasisTotalAmount"), money("TaxTotalAmount", self.tax_total(summation, currency))
        total, still_due = money("GrandTotalAmount"), money("DuePayableAmount")
        if self.find(summation, "ram:GrandTotalAmount") is None:
            self.problem(self.path(summation, "ram:GrandTotalAmount"), "", "montant total TTC absent.")

        if total is not None and not total:
            self.problem(self.path(summation, "ram:GrandTotalAmount"), "0.00", ZERO_TOTAL,
                         self.find(summation, "ram:GrandTotalAmount"))
        if issue_date is not None and due_date is not None and (why := due_error(issue_date, due_date)):
            self.problem(terms_column, due_date.strftime("%Y%m%d"), why)
        customer = self.buyer(agreement)
        result.issuer = self.seller(agreement)
        result.problems.extend(self.problems)
        if self.problems or customer is None or total is None or issue_date is None:
            return
        def signed(value: Decimal | None) -> Decimal | None:
            return None if value is None else sign * value

        total = sign * total
        result.customers.append(customer)
        result.invoices.append(InvoiceRecord(
            number=number, customer_key=customer.key, issue_date=issue_date, total=total, due_date=due_date,
            net=signed(net), vat=signed(vat), still_due=signed(still_due), line=None,
            row_hash=row_hash(number, issue_date, total, customer.key)))

    def currency(self, settlement: str, summation: str) -> str:
        """The invoice currency (BT-5); only euros are accepted. When the code is missing, the total's
        ``currencyID`` says it, else the invoice is taken as in euros (a French invoice)."""
        element = self.find(settlement, "ram:InvoiceCurrencyCode")
        code = _text(element).upper()
        column = self.path(settlement, "ram:InvoiceCurrencyCode")
        if not code:
            total = self.find(summation, "ram:GrandTotalAmount")
            code = (total.get("currencyID") or "").strip().upper() if total is not None else ""
            column = self.path(summation, "ram:GrandTotalAmount") + "/@currencyID"
        code = code or "EUR"
        if code != "EUR":
            self.problem(column, code, f"facture en devise {code[:10]} : seules les factures en euros sont "
                         "gérées.", element)
        return code

    def tax_total(self, summation: str, currency: str) -> etree._Element | None:
        """BT-110, the VAT in the invoice currency: a document may add a second TaxTotalAmount in the VAT
        accounting currency (BT-111), told apart by its currencyID."""
        totals = self.findall(summation, "ram:TaxTotalAmount")
        for wanted in (currency, None):
            for element in totals:
                if element.get("currencyID") == wanted:
                    return element
        return totals[0] if totals else None

    def buyer(self, agreement: str) -> CustomerRecord | None:
        """The customer: keyed by SIREN, else VAT number, else name."""
        party_path = f"{agreement}/ram:BuyerTradeParty"
        party = self.find(party_path)
        if party is None or not _text(party.find("ram:Name", self.ns)):
            self.problem(self.path(party_path, "ram:Name"), "", "nom du client (acheteur) absent.", party)
            return None
        return self.party(party)

    def seller(self, agreement: str) -> CustomerRecord | None:
        """Who issued the invoice (BG-4), read as the buyer is: the import checks it is the user's company."""
        party = self.find(f"{agreement}/ram:SellerTradeParty")
        seller = self.party(party) if party is not None else None
        return seller if seller is not None and (seller.name or seller.siren or seller.vat_number) else None

    def party(self, party: etree._Element) -> CustomerRecord:
        """A trade party: keyed by SIREN, else VAT number, else name."""
        name = _text(party.find("ram:Name", self.ns))
        siren = ""
        for element in (party.findall("ram:SpecifiedLegalOrganization/ram:ID", self.ns)
                        + party.findall("ram:GlobalID", self.ns)):
            digits = _compact(_text(element))
            if element.get("schemeID") in _SIREN_SCHEMES and re.fullmatch(r"[0-9]{9}|[0-9]{14}", digits):
                siren = digits[:9]  # a SIRET is the SIREN followed by the establishment's 5 digits
                break
        vat_number = next((_compact(_text(element))
                           for element in party.findall("ram:SpecifiedTaxRegistration/ram:ID", self.ns)
                           if element.get("schemeID") == "VA" and _text(element)), "")
        if not siren and (match := _FRENCH_VAT.fullmatch(vat_number)):
            siren = match.group(1)  # a French VAT number is FR, a 2-character key, then the SIREN
        address = party.find("ram:PostalTradeAddress", self.ns)
        lines = [_text(address.find(f"ram:{tag}", self.ns)) for tag in ("LineOne", "LineTwo", "LineThree")
                 ] if address is not None else []
        email = (_text(party.find("ram:URIUniversalCommunication/ram:URIID", self.ns))
                 or _text(party.find("ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID",
                                     self.ns)))
        return CustomerRecord(
            key=siren or vat_number or name, name=name, code=_text(party.find("ram:ID", self.ns)), siren=siren,
            vat_number=vat_number, address="\n".join(line for line in lines if line),
            postcode=_text(address.find("ram:PostcodeCode", self.ns)) if address is not None else "",
            city=_text(address.find("ram:CityName", self.ns)) if address is not None else "", email=email)
