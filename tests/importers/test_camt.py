"""The camt.053 / camt.054 reader against real statements and hand-made variants.

Every file of ../shared/fixtures/camt053 is read, and what the reader hands over is compared with what this
test reads itself with the standard library's ElementTree (not lxml): entries, their batched transaction
details, dates, amounts, signs, account, balances; opening balance + movements = closing balance where the
file's figures agree (the ABN AMRO sample's do not: an anonymised test file). A few facts read by eye are
pinned. Variants are written here: date-times, version 08 with its ``Pty`` and ``Sts/Cd``, no namespace, a
batch that does not add up, bad amounts, directions and dates, a pending entry, other XML messages; a
property test feeds garbage, broken XML and random element texts: ``UnreadableFile`` or located problems.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import camt
from app.importers.records import Problem, StatementRead, UnreadableFile
from app.jobs import Job, JobCancelled

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
CAMT_DIR = FIXTURES / "camt053"
CAMT_FILES = sorted(CAMT_DIR.glob("*.xml")) if CAMT_DIR.is_dir() else []
needs_fixtures = pytest.mark.skipif(not CAMT_DIR.is_dir(),
                                    reason="../shared/fixtures/camt053 absent (CI has it beside the checkout)")
UNBALANCED = {"test-camt053.xml"}  # its balances were anonymised apart from its entries


# an independent reading with ElementTree ---------------------------------------------------------------------

def local(element: ET.Element) -> str:
    return element.tag.split("}")[-1]


def child(element: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        element = next((c for c in element if local(c) == name), None) if element is not None else None
    return element


def signed(holder: ET.Element) -> D:
    value = D(child(holder, "Amt").text)
    return value if child(holder, "CdtDbtInd").text == "CRDT" else -value


class Expected:
    """Lines and balances as the XML says: one line per entry, or per transaction detail when a batch's
    details give amounts that add up to the entry."""

    def __init__(self, path: Path) -> None:
        root = ET.parse(path).getroot()
        self.lines: list[tuple] = []
        self.balances: list[tuple] = []
        self.entries = 0
        for statement in root.iter():
            if local(statement) not in ("Stmt", "Ntfctn"):
                continue
            iban = child(statement, "Acct", "Id", "IBAN").text
            for balance in (b for b in statement if local(b) == "Bal"):
                code = child(balance, "Tp", "CdOrPrtry", "Cd").text
                on = date.fromisoformat(child(balance, "Dt", "Dt").text)
                self.balances.append((iban, on, signed(balance), code == "CLBD"))
            for entry in (e for e in statement if local(e) == "Ntry"):
                self.entries += 1
                booked = date.fromisoformat(child(entry, "BookgDt", "Dt").text)
                batch = child(entry, "NtryDtls")
                details = [d for d in batch if local(d) == "TxDtls"] if batch is not None else []
                amounts = []
                for detail in details:
                    own = child(detail, "Amt") if child(detail, "Amt") is not None else child(
                        detail, "AmtDtls", "TxAmt", "Amt")
                    amounts.append(D(own.text) * (1 if signed(entry) > 0 else -1))
                if len(details) > 1 and sum(amounts) == signed(entry):
                    self.lines += [(booked, amount, iban) for amount in amounts]
                else:
                    self.lines.append((booked, signed(entry), iban))


# every real file ---------------------------------------------------------------------------------------------

@needs_fixtures
def test_the_fixture_folder_holds_the_files_described():
    assert [p.name for p in CAMT_FILES] == ["test-camt053-no-ntry.xml", "test-camt053-txdtls.xml",
                                            "test-camt053.xml", "test-camt054.xml"]
    assert not camt.identify(CAMT_DIR / "SOURCE.txt")


@needs_fixtures
@pytest.mark.parametrize("path", CAMT_FILES, ids=lambda p: p.name)
def test_each_real_file_is_read_as_its_xml_says(path):
    assert camt.identify(path)
    result = camt.read(path)
    expected = Expected(path)
    assert result.kind == "camt" and result.problems == []
    assert result.rows == expected.entries
    assert [(b.booked_on, b.amount, b.account) for b in result.bank_lines] == expected.lines
    assert [(b.account, b.on, b.amount, b.closing) for b in result.statement_balances] == expected.balances
    assert all(b.line and b.label and b.reference for b in result.bank_lines)
    assert len({b.row_hash for b in result.bank_lines}) == len(result.bank_lines)


@needs_fixtures
@pytest.mark.parametrize("path", CAMT_FILES, ids=lambda p: p.name)
def test_opening_balance_plus_movements_is_the_closing_balance(path):
    result = camt.read(path)
    by_kind = {b.closing: b.amount for b in result.statement_balances}
    if len(by_kind) < 2:
        assert path.name == "test-camt054.xml"  # a notification has no balance
        return
    agree = by_kind[False] + sum(b.amount for b in result.bank_lines) == by_kind[True]
    assert agree == (path.name not in UNBALANCED)


@needs_fixtures
def test_abn_amro_statement_debits_batch_and_credit():
    result = camt.read(CAMT_DIR / "test-camt053.xml")
    insurance, first, second, media = result.bank_lines
    assert (insurance.amount, insurance.counterparty, insurance.iban, insurance.reference) == (
        D("-754.25"), "INSURANCE COMPANY TESTX", "NL46ABNA0499998748", "435005714488-ABNO33052620")
    assert "Insurance policy 857239PERIOD" in insurance.label and insurance.value_on == date(2014, 1, 5)
    # a batched reversal of two direct debits: one line per transaction, each with its own end-to-end id
    assert [(b.amount, b.reference) for b in (first, second)] == [
        (D("-564.05"), "TESTBANK/NL/20141229/01206408"), (D("-100.00"), "TESTBANK/NL/20141229/01206407")]
    assert first.line != second.line and first.row_hash != second.row_hash
    assert (media.amount, media.counterparty, media.iban, media.reference) == (
        D("1405.31"), "3rd party Media", "NL69ABNA0522123643", "115")
    assert media.label == "#RD PARTY MEDIA CUSNO 90782 4210773 3rd party Media"
    assert [(b.amount, b.closing) for b in result.statement_balances] == [(D("15568.27"), False),
                                                                          (D("15121.12"), True)]
    assert {b.account for b in result.bank_lines} == {"NL77ABNA0574908765"}


@needs_fixtures
def test_swiss_batch_of_two_credits_with_structured_references():
    result = camt.read(CAMT_DIR / "test-camt053-txdtls.xml")
    assert [(b.amount, b.iban, b.booked_on, b.value_on) for b in result.bank_lines] == [
        (D("2187.00"), "CH2222000000123456789", date(2017, 3, 22), date(2017, 3, 23)),
        (D("1296.00"), "CH3333000000123456789", date(2017, 3, 22), date(2017, 3, 23))]
    assert "302388292000011111111111111" in result.bank_lines[0].label
    assert "CRÉDIT GROUPÉ BVR" in result.bank_lines[1].label
    assert [w.value for w in result.warnings] == ["CHF"]  # an account kept in francs: read, with a warning


@needs_fixtures
def test_a_statement_without_entries_and_a_notification():
    empty = camt.read(CAMT_DIR / "test-camt053-no-ntry.xml")
    assert empty.bank_lines == [] and empty.rows == 0
    assert [(b.amount, b.closing) for b in empty.statement_balances] == [(D("1520.76"), False), (D("1520.76"), True)]
    notification = camt.read(CAMT_DIR / "test-camt054.xml")
    (line,) = notification.bank_lines
    assert (line.amount, line.counterparty, line.reference, line.account) == (
        D("5.00"), "Test Customer", "ENDTOENDID-01", "NL77ABNA0574908765")
    assert notification.statement_balances == []


# hand-made variants ------------------------------------------------------------------------------------------

def entry(amount: str = "100.00", sign: str = "CRDT", booked: str = "<Dt>2024-01-31</Dt>",
          value: str = "<Dt>2024-02-01</Dt>", details: str = "", extra: str = "") -> str:
    return (f"<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd>{extra}"
            f"<BookgDt>{booked}</BookgDt><ValDt>{value}</ValDt><AcctSvcrRef>BANKREF</AcctSvcrRef>"
            f"<NtryDtls>{details}</NtryDtls></Ntry>")


def detail(amount: str | None = None, name: str = "CLIENT UN", text: str = "F2024-001",
           end_to_end: str = "E2E-1", party: bool = False) -> str:
    own = f"<Amt Ccy=\"EUR\">{amount}</Amt>" if amount else ""
    debtor = f"<Dbtr><Pty><Nm>{name}</Nm></Pty></Dbtr>" if party else f"<Dbtr><Nm>{name}</Nm></Dbtr>"
    return (f"<TxDtls><Refs><EndToEndId>{end_to_end}</EndToEndId></Refs>{own}<RltdPties>{debtor}"
            f"<DbtrAcct><Id><IBAN>FR7630003000000000000000001</IBAN></Id></DbtrAcct></RltdPties>"
            f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls>")


def balance(code: str, amount: str, sign: str = "CRDT", on: str = "<Dt>2024-01-31</Dt>") -> str:
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{amount}</Amt>"
            f"<CdtDbtInd>{sign}</CdtDbtInd><Dt>{on}</Dt></Bal>")


def statement(*entries: str, balances: str = "", version: str = "camt.053.001.02",
              message: str = "BkToCstmrStmt", container: str = "Stmt",
              account: str = "<Id><IBAN>FR7611111111111111111111111</IBAN></Id>") -> str:
    namespace = f' xmlns="urn:iso:std:iso:20022:tech:xsd:{version}"' if version else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Document{namespace}>\n<{message}><GrpHdr><MsgId>1</MsgId>'
            f"</GrpHdr>\n<{container}><Id>S1</Id><Acct>{account}</Acct>\n"
            + balances + "\n" + "\n".join(entries) + f"\n</{container}></{message}></Document>\n")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_date_times_keep_the_day_the_bank_wrote(tmp_path):
    xml = statement(entry(booked="<DtTm>2024-01-31T23:30:00-05:00</DtTm>", value="<DtTm>2024-02-01T00:10:00Z</DtTm>",
                          details=detail()),
                    balances=balance("CLBD", "50.00", "DBIT", on="<DtTm>2024-01-31T18:00:00.000+01:00</DtTm>"))
    result = camt.read(write(tmp_path / "camt.xml", xml))
    (line,) = result.bank_lines
    assert (line.booked_on, line.value_on, line.amount) == (date(2024, 1, 31), date(2024, 2, 1), D("100.00"))
    assert result.statement_balances == [("FR7611111111111111111111111", date(2024, 1, 31), D("-50.00"), True, 5, "")]


def test_an_account_without_iban_is_its_number_at_its_bank(tmp_path):
    """An account named by another number than an IBAN: its servicer's BIC is its bank, so that one number
    at two banks makes two accounts."""
    xml = statement(entry(details=detail()), balances=balance("CLBD", "100.00"), account=(
        "<Id><Othr><Id>0012345</Id></Othr></Id><Svcr><FinInstnId><BIC>BNPAFRPPXXX</BIC></FinInstnId></Svcr>"))
    result = camt.read(write(tmp_path / "camt.xml", xml))
    assert {(record.account, record.bank) for record in [*result.bank_lines, *result.statement_balances]} == {
        ("0012345", "BNPAFRPPXXX")}


def test_a_batch_gives_one_line_per_transaction_with_its_own_texts(tmp_path):
    batch = entry("350.00", details=detail("100.00", "CLIENT UN", "F1", "E2E-1")
                  + detail("250.00", "CLIENT DEUX", "F2", "E2E-2"))
    result = camt.read(write(tmp_path / "camt.xml", statement(batch)))
    assert [(b.amount, b.counterparty, b.label, b.reference) for b in result.bank_lines] == [
        (D("100.00"), "CLIENT UN", "F1 CLIENT UN", "E2E-1"), (D("250.00"), "CLIENT DEUX", "F2 CLIENT DEUX", "E2E-2")]
    assert result.warnings == [] and [b.line for b in result.bank_lines] == [6, 6]  # all on one line here


def test_a_batch_that_does_not_add_up_stays_one_line_with_a_warning(tmp_path):
    fees = entry("345.00", details=detail("100.00", "CLIENT UN", "F1", "E2E-1")
                 + detail("250.00", "CLIENT DEUX", "F2", "E2E-2"))
    unknown = entry("80.00", "DBIT", details=detail(None, "A", "X", "E2E-3") + detail(None, "B", "Y", "E2E-4"))
    result = camt.read(write(tmp_path / "camt.xml", statement(fees, unknown)))
    assert [(b.amount, b.counterparty, b.reference) for b in result.bank_lines] == [
        (D("345.00"), "", "BANKREF"), (D("-80.00"), "", "BANKREF")]
    assert "F1" in result.bank_lines[0].label and "CLIENT DEUX" in result.bank_lines[0].label
    assert [(w.line, w.column) for w in result.warnings] == [(6, "Ntry/NtryDtls"), (7, "Ntry/NtryDtls")]


def test_version_08_without_namespace_pending_entries_and_notprovided(tmp_path):
    booked = entry(details=detail(party=True, end_to_end="NOTPROVIDED"), extra="<Sts><Cd>BOOK</Cd></Sts>")
    pending = entry("5.00", extra="<Sts><Cd>PDNG</Cd></Sts>")
    for version in ("camt.053.001.08", ""):
        result = camt.read(write(tmp_path / "camt.xml", statement(booked, pending, version=version)))
        assert [(b.amount, b.counterparty, b.reference) for b in result.bank_lines] == [
            (D("100.00"), "CLIENT UN", "BANKREF")]
        assert [(w.line, w.value) for w in result.warnings] == [(7, "PDNG")]


def test_bad_amounts_directions_and_dates_are_located_problems(tmp_path):
    entries = [entry("12,50"), entry(sign="CREDIT"), entry(booked="<Dt>2024-02-30</Dt>"),
               entry(booked="<Dt>0001-01-01</Dt>"), entry(booked="", value=""), entry("-5.00"), entry("", "DBIT"),
               entry("7.00", "DBIT")]
    xml = statement(*entries, balances=balance("OPBD", "1e3") + balance("CLBD", "10.00", on=""))
    result = camt.read(write(tmp_path / "camt.xml", xml))
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (5, "Bal/Amt", "1e3"), (5, "Bal/Dt", ""), (6, "Ntry/Amt", "12,50"), (7, "Ntry/CdtDbtInd", "CREDIT"),
        (8, "Ntry/BookgDt", "2024-02-30"), (9, "Ntry/BookgDt", "0001-01-01"), (10, "Ntry/BookgDt", ""),
        (11, "Ntry/Amt", "-5.00"), (12, "Ntry/Amt", "")]
    assert all(p.message for p in result.problems)
    assert "n'est pas un montant" in result.problems[2].message
    assert "n'est pas une date" in result.problems[4].message
    assert [b.amount for b in result.bank_lines] == [D("-7.00")]
    assert result.statement_balances == []


def test_other_xml_messages_are_refused_saying_what_they_are(tmp_path):
    report = write(tmp_path / "c52.xml", statement(entry(), version="camt.052.001.02",
                                                    message="BkToCstmrAcctRpt", container="Rpt"))
    assert camt.identify(report)  # a camt message: claimed, so that the user learns what it is
    with pytest.raises(UnreadableFile, match="c52.xml n'est pas un relevé bancaire camt.053.*camt.052"):
        camt.read(report)
    orders = write(tmp_path / "pain.xml", statement(version="pain.001.001.03", message="CstmrCdtTrfInitn",
                                                    container="PmtInf"))
    assert not camt.identify(orders)
    with pytest.raises(UnreadableFile, match="ordres de virement pain.001"):
        camt.read(orders)
    broken = write(tmp_path / "broken.xml", statement(entry())[:-40])
    with pytest.raises(UnreadableFile, match="broken.xml n'est pas un fichier XML lisible"):
        camt.read(broken)


@needs_fixtures
def test_other_files_are_not_camt(tmp_path):
    pdf = tmp_path / "releve.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 300)
    xlsx = tmp_path / "releve.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    others = [pdf, xlsx, tmp_path / "absent.xml", *sorted((FIXTURES / "cfonb120").glob("*")),
              *sorted((FIXTURES / "ofx").glob("*.ofx")), *sorted((FIXTURES / "fec").glob("*")),
              *sorted((FIXTURES / "facturx").glob("*"))]
    for path in others:
        assert not camt.identify(path), path.name
    for path in (pdf, FIXTURES / "ofx" / "oca_test_ofx.ofx", FIXTURES / "facturx" / "akretion_factur-x-basic.xml"):
        with pytest.raises(UnreadableFile, match=re.escape(path.name)):
            camt.read(path)


def test_progress_every_thousand_entries_and_cancel(tmp_path):
    path = write(tmp_path / "camt.xml", statement(*[entry(f"{n}.00") for n in range(1, 2501)]))
    seen = []
    job = Job(lambda done, total, label: seen.append((done, total)))
    assert len(camt.read(path, job).bank_lines) == 2500
    assert seen[0] == (0, 2500) and [done for done, _ in seen[1:]] == [1000, 2000, 2500]
    job.cancel()
    with pytest.raises(JobCancelled):
        camt.read(path, job)


# never anything but UnreadableFile or located problems -------------------------------------------------------

SAMPLE = statement(entry(details=detail()), entry("350.00", details=detail("100.00") + detail("250.00")),
                   entry("7.00", "DBIT", booked="<DtTm>2024-01-31T10:00:00</DtTm>"),
                   balances=balance("OPBD", "10.00") + balance("CLBD", "453.00"))


def check_outcome(path: Path) -> None:
    camt.identify(path)
    try:
        result = camt.read(path)
    except UnreadableFile as error:
        assert str(error)
        return
    assert isinstance(result, StatementRead)
    lines = path.read_bytes().count(b"\n") + 1
    for problem in (*result.problems, *result.warnings):
        assert isinstance(problem, Problem) and problem.message and problem.column
        assert problem.line is None or 1 <= problem.line <= lines
    assert all(isinstance(b.amount, D) and b.amount.is_finite() for b in result.bank_lines)


def test_the_sample_of_the_property_tests_reads_whole_and_balances(tmp_path):
    result = camt.read(write(tmp_path / "sample.xml", SAMPLE))
    assert result.problems == [] and len(result.bank_lines) == 4
    opening, closing = (b.amount for b in result.statement_balances)
    assert opening + sum(b.amount for b in result.bank_lines) == closing


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=1500) | st.builds(lambda cut, junk: SAMPLE.encode()[:cut] + junk,
                                             st.integers(0, len(SAMPLE)), st.binary(max_size=20)))
def test_garbage_and_broken_xml_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "garbage.xml"
    path.write_bytes(data)
    check_outcome(path)


TEXT = re.compile(r">([^<>\n]+)<")


VALUE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "-1", "1e9", "NaN", "9" * 30, "2024-13-01", "CRDT", "DBIT", "BOOK", "PDNG", "0.001", "31/01/2024"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.integers(0, 200), VALUE, min_size=1, max_size=6))
def test_random_element_texts_give_located_problems(tmp_path, changes):
    spans = [m.span(1) for m in TEXT.finditer(SAMPLE)]
    text = SAMPLE
    for start, end, value in sorted(((*spans[i % len(spans)], v) for i, v in changes.items()), reverse=True):
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")
        text = text[:start] + escaped + text[end:]
    path = tmp_path / "fields.xml"
    path.write_text(text, encoding="utf-8")
    check_outcome(path)


def test_the_currency_warning_names_the_account_s_own_currency(tmp_path):
    """An account kept in dollars says so; an entry in dollars on an account kept in euros says both."""
    iban = "<Id><IBAN>FR7611111111111111111111111</IBAN></Id>"
    dollars = camt.read(write(tmp_path / "usd.xml", statement(entry().replace('Ccy="EUR"', 'Ccy="USD"'),
                                                               account=iban + "<Ccy>USD</Ccy>")))
    assert [str(w) for w in dollars.warnings] == [
        "ligne 4, colonne Acct/Ccy : « USD » compte FR7611111111111111111111111 tenu en USD : les montants sont "
        "repris tels quels, sans conversion en euros."]
    euros = camt.read(write(tmp_path / "eur.xml", statement(entry().replace('Ccy="EUR"', 'Ccy="USD"'),
                                                             account=iban + "<Ccy>EUR</Ccy>")))
    assert [str(w) for w in euros.warnings] == [
        "ligne 6, colonne Ntry/Amt/@Ccy : « USD » montant en USD sur le compte FR7611111111111111111111111 tenu "
        "en EUR : repris tel quel, sans conversion en euros."]
    by_balance = camt.read(write(tmp_path / "bal.xml", statement(
        entry().replace('Ccy="EUR"', 'Ccy="USD"'), balances=balance("CLBD", "10.00"), account=iban)))
    assert [w.message for w in by_balance.warnings] == [  # no Acct/Ccy: the balance's currency is the account's
        "montant en USD sur le compte FR7611111111111111111111111 tenu en EUR : repris tel quel, sans conversion "
        "en euros."]
