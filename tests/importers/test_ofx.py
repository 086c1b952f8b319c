"""The OFX reader against real files and hand-made variants.

Every file of ../shared/fixtures/ofx is read, and what the reader hands over is compared with what this test
reads itself with regular expressions on the raw text: each ``<STMTTRN>`` (its line, ``TRNAMT``, the day of
``DTPOSTED``, ``FITID``, ``NAME``, ``MEMO``), the ``ACCTID`` of its statement, each ``LEDGERBAL``. OFX gives a
closing balance only, so there is no opening + movements = closing check here. A few facts read by eye are
pinned. Variants are written here: OFX 1 without line breaks, Windows-1252 and UTF-8 accents, time zones,
bad amounts and dates, a bad balance, files ofxparse cannot read; a property test feeds garbage and mutated
files: ``UnreadableFile`` or located problems, nothing else.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ofxparse import OfxParser

from app.importers import ofx
from app.importers.records import Problem, StatementRead, UnreadableFile
from app.jobs import Job, JobCancelled
from tests.importers.garbling import garbled, mutations

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
OFX_DIR = FIXTURES / "ofx"
OFX_FILES = sorted(OFX_DIR.glob("*.ofx")) if OFX_DIR.is_dir() else []
needs_fixtures = pytest.mark.skipif(not OFX_DIR.is_dir(),
                                    reason="../shared/fixtures/ofx absent (CI has it beside the checkout)")


# an independent reading with regular expressions -------------------------------------------------------------

def value(block: str, tag: str) -> str:
    """The text after ``<TAG>`` up to the next tag or line end, CDATA unwrapped."""
    match = re.search(rf"<{tag}>\s*(?:<!\[CDATA\[(.*?)\]\]>|([^<\r\n]*))", block, re.IGNORECASE)
    return (match.group(1) if match and match.group(1) is not None else match.group(2) if match else "").strip()


class Expected:
    """Transactions and ledger balances as the raw text says, each with its line."""

    def __init__(self, text: str) -> None:
        self.transactions: list[tuple] = []
        self.balances: list[tuple] = []
        for statement in re.finditer(r"<(CC)?STMTRS>.*?</(CC)?STMTRS>", text, re.DOTALL | re.IGNORECASE):
            block, offset = statement.group(), statement.start()
            account = value(block, "ACCTID")
            bank = " ".join(filter(None, (value(block, "BANKID"), value(block, "BRANCHID"))))
            for trn in re.finditer(r"<STMTTRN>.*?</STMTTRN>", block, re.DOTALL | re.IGNORECASE):
                line = text.count("\n", 0, offset + trn.start()) + 1
                posted = datetime.strptime(value(trn.group(), "DTPOSTED")[:8], "%Y%m%d").date()
                amount = D(value(trn.group(), "TRNAMT").replace("+", ""))
                self.transactions.append((line, posted, amount, value(trn.group(), "FITID"), account, bank,
                                          value(trn.group(), "NAME"), value(trn.group(), "MEMO")))
            ledger = re.search(r"<LEDGERBAL>.*?</LEDGERBAL>", block, re.DOTALL | re.IGNORECASE)
            if ledger and value(ledger.group(), "BALAMT"):
                self.balances.append((account, datetime.strptime(value(ledger.group(), "DTASOF")[:8], "%Y%m%d").date(),
                                      D(value(ledger.group(), "BALAMT")), True,
                                      text.count("\n", 0, offset + ledger.start()) + 1, bank))


def text_of(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


# every real file ---------------------------------------------------------------------------------------------

@needs_fixtures
def test_the_fixture_folder_holds_the_files_described():
    assert len(OFX_FILES) == 11
    assert not ofx.identify(OFX_DIR / "SOURCE.txt")


@needs_fixtures
@pytest.mark.parametrize("path", OFX_FILES, ids=lambda p: p.name)
def test_each_real_file_is_read_as_its_tags_say(path):
    assert ofx.identify(path)
    result = ofx.read(path)
    expected = Expected(text_of(path))
    assert result.kind == "ofx" and result.problems == []
    assert result.rows == len(expected.transactions)
    got = sorted((b.line, b.booked_on, b.amount, b.reference, b.account, b.bank) for b in result.bank_lines)
    assert got == sorted(t[:6] for t in expected.transactions)
    by_line = {t[0]: t for t in expected.transactions}
    for line in result.bank_lines:
        *_, name, memo = by_line[line.line]
        assert line.counterparty == " ".join(name.split())
        assert " ".join(name.split()) in line.label and " ".join(memo.split()) in line.label
        assert isinstance(line.amount, D)
    credits = [t for t in expected.transactions if t[2] > 0]
    assert len([b for b in result.bank_lines if b.amount > 0]) == len(credits)
    assert sorted(result.statement_balances) == sorted(expected.balances)
    assert len({b.row_hash for b in result.bank_lines}) == len(result.bank_lines)


@needs_fixtures
def test_french_files_several_accounts_and_windows_1252():
    result = ofx.read(OFX_DIR / "ekylibre_ofx_multiple_bank_accounts.ofx")
    assert [(b.account, b.booked_on, b.amount, b.counterparty) for b in result.bank_lines] == [
        ("12312312345", date(2016, 5, 9), D("-34.56"), "PRLV SEPA MUTUELLE 123"),
        ("12312312346", date(2016, 4, 15), D("-297.00"), "VIREMENT M DUPOND DUPONT"),
        ("12312312346", date(2016, 4, 7), D("123.00"), "VIREMENT DURAND")]
    assert result.bank_lines[2].label == "VIREMENT DURAND VIR DURAND 0407"
    assert [(b.account, b.amount, b.on) for b in result.statement_balances] == [
        ("12312312345", D("987.65"), date(2016, 5, 9)), ("12312312346", D("1234.56"), date(2016, 5, 9))]
    assert {b.bank for b in [*result.bank_lines, *result.statement_balances]} == {"98765 00111"}  # BANKID BRANCHID
    accented = ofx.read(OFX_DIR / "ekylibre_ofx_non_utf8.ofx").bank_lines[0]
    assert accented.label == "PRLV SEPA MUTUELLE N°123 ECHEANCE MAI 2016 00100001122234A"
    flat = ofx.read(OFX_DIR / "ekylibre_ofx_without_newlines.ofx")
    assert [(b.amount, b.account, b.line) for b in flat.bank_lines] == [(D("-34.56"), "", 1)]


@needs_fixtures
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # ofxparse calls bs4's findAll
def test_the_file_with_empty_tags_is_read_after_cleaning():
    path = OFX_DIR / "ofxparse_ofx-v102-empty-tags.ofx"
    with pytest.raises(IndexError), path.open("rb") as file:  # what ofxparse alone does with it
        OfxParser.parse(file)
    result = ofx.read(path)
    assert [(b.booked_on, b.amount, b.label, b.counterparty, b.reference, b.account) for b in result.bank_lines] == [
        (date(2018, 5, 7), D("12.34"), "CBA:Transfer", "", "", "12345678")]
    assert result.statement_balances == [] and result.problems == []  # its LEDGERBAL is empty


@needs_fixtures
def test_us_files_card_account_and_time_zones():
    result = ofx.read(OFX_DIR / "oca_test_ofx.ofx")
    assert [b.amount for b in result.bank_lines] == [D("-80"), D("-90"), D("-100"), D("-90")]
    assert [(b.account, b.amount) for b in result.statement_balances] == [("123456", D("2156.56")),
                                                                          ("123412341234", D("-562.00"))]
    assert {w.value for w in result.warnings} == {"USD"}
    medium = ofx.read(OFX_DIR / "ofxparse_bank_medium.ofx")
    assert [b.booked_on for b in medium.bank_lines] == [date(2009, 4, 1), date(2009, 4, 2), date(2009, 4, 3)]
    assert medium.bank_lines[1].label == "Joe's Bald Hairstyles MISCELLANEOUS PAYMENTS;Joe's Bald Hairstyles"
    checking = ofx.read(OFX_DIR / "ofxparse_checking.ofx")
    assert checking.bank_lines[0].amount == D("0.01") and checking.bank_lines[0].account == "1452687~7"
    suncorp = ofx.read(OFX_DIR / "ofxparse_suncorp.ofx").bank_lines[0]
    assert suncorp.label == "EFTPOS WDL HANDYWAY ALDI STORE GEELONG WEST VICAU"  # the memo holds the name


# hand-made variants ------------------------------------------------------------------------------------------

HEADER = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
          "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
LEDGER = "<LEDGERBAL>\n<BALAMT>1500.00\n<DTASOF>20240131\n</LEDGERBAL>"


def trn(amount: str = "100.00", posted: str = "20240131", fitid: str = "1", name: str = "VIR CLIENT UN",
        memo: str = "FACTURE F2024-001") -> str:
    return (f"<STMTTRN>\n<TRNTYPE>OTHER\n<DTPOSTED>{posted}\n<TRNAMT>{amount}\n<FITID>{fitid}\n<NAME>{name}\n"
            f"<MEMO>{memo}\n</STMTTRN>")


def sgml(*transactions: str, ledger: str = LEDGER, status: str = "0") -> str:
    return (HEADER + f"<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>{status}\n<SEVERITY>INFO\n"
            "</STATUS>\n<STMTRS>\n<CURDEF>EUR\n<BANKACCTFROM>\n<BANKID>30003\n<BRANCHID>01234\n"
            "<ACCTID>00012345678\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n<BANKTRANLIST>\n<DTSTART>20240101\n"
            "<DTEND>20240131\n" + "\n".join(transactions) + "\n</BANKTRANLIST>\n" + ledger
            + "\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n")


def write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_small_sgml_file_read_as_written(tmp_path):
    text = sgml(trn(), trn("-45.10", "20240115", "2", "PRLV EDF", "CONTRAT 123"))
    result = ofx.read(write(tmp_path / "releve.ofx", text))
    expected = Expected(text)
    assert [(b.line, b.booked_on, b.amount, b.reference, b.account, b.bank) for b in result.bank_lines] == [
        t[:6] for t in expected.transactions]
    assert [b.line for b in result.bank_lines] == [30, 38]
    assert result.statement_balances == expected.balances == [
        ("00012345678", date(2024, 1, 31), D("1500.00"), True, 47, "30003 01234")]


def test_ofx1_without_line_breaks(tmp_path):
    text = sgml(trn(), trn("-45.10", fitid="2"))
    lines = ofx.read(write(tmp_path / "a.ofx", text))
    flat = ofx.read(write(tmp_path / "b.ofx", text.replace("\n", "")))
    assert [b._replace(line=1) for b in lines.bank_lines] == flat.bank_lines
    assert [b._replace(line=1) for b in lines.statement_balances] == flat.statement_balances


def test_windows_1252_and_utf8_accents(tmp_path):
    text = sgml(trn(name="VIR SOCIÉTÉ GÉNÉRALE", memo="REMBOURSEMENT 12€ « F1 »"))
    for encoding in ("cp1252", "utf-8"):
        (line,) = ofx.read(write(tmp_path / f"{encoding}.ofx", text, encoding)).bank_lines
        assert line.label == "VIR SOCIÉTÉ GÉNÉRALE REMBOURSEMENT 12€ « F1 »"
        assert line.counterparty == "VIR SOCIÉTÉ GÉNÉRALE"


def test_time_zones_keep_the_day_the_bank_wrote(tmp_path):
    posted = "20240131000000.000[+1:CET]"
    assert OfxParser.parseOfxDateTime(posted).date() == date(2024, 1, 30)  # ofxparse alone: the day before
    text = sgml(trn(posted=posted), ledger="<LEDGERBAL>\n<BALAMT>1.00\n<DTASOF>20240201003000[+2:EET]\n</LEDGERBAL>")
    result = ofx.read(write(tmp_path / "releve.ofx", text))
    assert [b.booked_on for b in result.bank_lines] == [date(2024, 1, 31)]
    assert [b.on for b in result.statement_balances] == [date(2024, 2, 1)]


def test_bad_amounts_and_dates_are_located_problems(tmp_path):
    text = sgml(trn("12x", fitid="1"), trn(posted="20241345", fitid="2"), trn(posted="00000000", fitid="3"),
                trn("NaN", fitid="4"), trn("1E+30", fitid="5"), trn("-7,50", fitid="6"),
                ledger="<LEDGERBAL>\n<BALAMT>abc\n<DTASOF>20240131\n</LEDGERBAL>")
    result = ofx.read(write(tmp_path / "releve.ofx", text))
    stmttrn = [n for n, line in enumerate(text.split("\n"), start=1) if line == "<STMTTRN>"]
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (stmttrn[0], "TRNAMT", "12x"), (stmttrn[1], "DTPOSTED", "20241345"), (stmttrn[2], "DTPOSTED", "00000000"),
        (stmttrn[3], "TRNAMT", "NaN"), (stmttrn[4], "TRNAMT", "1E+30"), (stmttrn[-1] + 9, "LEDGERBAL/BALAMT", "abc")]
    assert "n'est pas un montant" in result.problems[0].message
    assert "n'est pas une date" in result.problems[1].message
    assert [(b.amount, b.reference) for b in result.bank_lines] == [(D("-7.50"), "6")]  # a decimal comma
    assert result.rows == 6 and result.statement_balances == []


def test_what_ofxparse_cannot_read_is_an_unreadable_file_saying_what_to_do(tmp_path):
    broken = write(tmp_path / "casse.ofx", sgml(trn(), status="abc"))
    with pytest.raises(UnreadableFile, match="casse.ofx : ce fichier OFX est mal formé.*CFONB 120, camt.053 ou CSV"):
        ofx.read(broken)
    no_statement = write(tmp_path / "vide.ofx", HEADER + "<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>")
    with pytest.raises(UnreadableFile, match="vide.ofx ne contient aucun relevé de compte"):
        ofx.read(no_statement)
    header_only = write(tmp_path / "entete.ofx", HEADER)
    assert ofx.identify(header_only)
    with pytest.raises(UnreadableFile, match="entete.ofx n'est pas un relevé OFX"):
        ofx.read(header_only)


@needs_fixtures
def test_other_files_are_not_ofx(tmp_path):
    pdf = tmp_path / "releve.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 300)
    xlsx = tmp_path / "releve.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    csv = tmp_path / "releve.csv"
    csv.write_text("Date;Libellé;Montant\n31/01/2024;VIR;12,00\n")
    others = [pdf, xlsx, csv, tmp_path / "absent.ofx", *sorted((FIXTURES / "cfonb120").glob("*")),
              *sorted((FIXTURES / "camt053").glob("*")), *sorted((FIXTURES / "fec").glob("*")),
              *sorted((FIXTURES / "facturx").glob("*"))]
    for path in others:
        assert not ofx.identify(path), path.name
    for path in (pdf, csv, tmp_path / "absent.ofx"):
        with pytest.raises(UnreadableFile, match=re.escape(path.name)):
            ofx.read(path)


def test_progress_every_thousand_transactions_and_cancel(tmp_path):
    path = write(tmp_path / "releve.ofx", sgml(*[trn(f"{n}.00", fitid=str(n)) for n in range(1, 2501)]))
    seen = []
    job = Job(lambda done, total, label: seen.append((done, total)))
    assert len(ofx.read(path, job).bank_lines) == 2500
    assert seen[0] == (0, 2500) and [done for done, _ in seen[1:]] == [1000, 2000, 2500]
    job.cancel()
    with pytest.raises(JobCancelled):
        ofx.read(path, job)


# never anything but UnreadableFile or located problems -------------------------------------------------------

SAMPLE = sgml(trn(), trn("-45.10", "20240115", "2", "PRLV EDF", "CONTRAT 123"))


def check_outcome(path: Path) -> None:
    ofx.identify(path)
    try:
        result = ofx.read(path)
    except UnreadableFile as error:
        assert str(error)
        return
    assert isinstance(result, StatementRead)
    lines = path.read_bytes().count(b"\n") + 1
    for problem in result.problems:
        assert isinstance(problem, Problem) and problem.message and problem.column
        assert 1 <= problem.line <= lines
    assert all(isinstance(b.amount, D) and b.amount.is_finite() for b in result.bank_lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=1500) | st.builds(lambda junk: b"<OFX>" + junk, st.binary(max_size=300)))
def test_garbage_bytes_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "garbage.ofx"
    path.write_bytes(data)
    check_outcome(path)


EDITS = mutations(1500, [b"<", b">", b"</", b"\n", b"<STMTTRN>", b"</STMTTRN>", b"<TRNAMT>", b"NaN", b"[", b"]",
                         b"\xe9", b"\x00", b"/>", b"<![CDATA[", b"00000000", b"9" * 30, b"&"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_mutated_file_never_raises_anything_else(tmp_path, edits):
    data = garbled(SAMPLE.encode("cp1252"), edits)
    path = tmp_path / "mutated.ofx"
    path.write_bytes(data)
    check_outcome(path)


def test_an_empty_closing_balance_and_no_movement_is_read_with_a_warning(tmp_path):
    """Some banks leave BALAMT empty (here, with a date, and no transaction at all): the statement is read,
    without a balance, and the user is told; not refused as a problem."""
    text = sgml(ledger="<LEDGERBAL>\n<BALAMT>\n<DTASOF>20240131\n</LEDGERBAL>")
    result = ofx.read(write(tmp_path / "releve.ofx", text))
    assert (result.rows, result.bank_lines, result.statement_balances, result.problems) == (0, [], [], [])
    assert [str(w) for w in result.warnings] == [
        "ligne 32, colonne LEDGERBAL/BALAMT : solde de clôture du compte 00012345678 laissé vide par la banque : "
        "le relevé est repris sans ce solde."]
    closed = sgml(trn(), ledger="<LEDGERBAL><BALAMT></BALAMT><DTASOF>20240131</DTASOF></LEDGERBAL>")
    result = ofx.read(write(tmp_path / "ferme.ofx", closed))
    assert [b.amount for b in result.bank_lines] == [D("100.00")] and result.problems == []
    assert [w.column for w in result.warnings] == ["LEDGERBAL/BALAMT"]
