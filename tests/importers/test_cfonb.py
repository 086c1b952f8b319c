"""The CFONB 120 reader against real statements and hand-made variants.

Every file of ../shared/fixtures/cfonb120 is read, and what the reader hands over is compared with what
this test reads itself from the raw records (its own slices and sign table): movements, their dates,
amounts, signs, accounts and complement texts, balances; opening balance + movements = closing balance
wherever the file's figures agree (two test files have anonymised balances that do not). The CFONB 240
file is refused with its explanation. Variants are written here: no line breaks, blank lines and CRLF,
over-long lines, a bad amount character, bad dates, a complement without its movement, another currency;
a property test feeds garbage and mutated statements: ``UnreadableFile`` or located problems, nothing else.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import cfonb
from app.importers.records import Problem, StatementRead, UnreadableFile
from app.jobs import Job, JobCancelled
from tests.importers.garbling import garbled, mutations

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
CFONB_DIR = FIXTURES / "cfonb120"
ORDERS = CFONB_DIR / "not-a-statement_cfonb240_transfers.txt"
STATEMENTS = sorted(p for p in CFONB_DIR.glob("*") if p.name not in ("SOURCE.txt", ORDERS.name)
                    ) if CFONB_DIR.is_dir() else []
needs_fixtures = pytest.mark.skipif(not CFONB_DIR.is_dir(),
                                    reason="../shared/fixtures/cfonb120 absent (CI has it beside the checkout)")
# Test files whose balances were anonymised apart from their movements: opening + movements != closing.
UNBALANCED = {"akretion_python-cfonb_bank_statement.cfo", "ekylibre_import_cfonb.csv"}


# an independent reading of the raw records -------------------------------------------------------------------

POSITIVE, NEGATIVE = "{ABCDEFGHI", "}JKLMNOPQR"


def money(field: str, decimals: str) -> D:
    last = field[-1]
    digit = (POSITIVE + NEGATIVE).index(last) % 10
    cents = int(field[:-1] + str(digit))
    value = D(cents) / D(10) ** int(decimals.strip() or 2)
    return value if last in POSITIVE else -value


def day(text: str) -> date:
    return datetime.strptime(text, "%d%m%y").date()


def raw_records(path: Path) -> list[tuple[int, str]]:
    """(line number, first 120 characters) of each non-blank line."""
    lines = path.read_bytes().decode("latin-1").replace("\r\n", "\n").split("\n")
    return [(n, line[:120]) for n, line in enumerate(lines, start=1) if line.strip()]


class Expected:
    """Movements (with their complement texts) and balances as the raw records say."""

    def __init__(self, path: Path) -> None:
        self.records = raw_records(path)
        self.movements: list[dict] = []
        self.balances: list[tuple] = []
        banks = {}  # movements and closing balances are of the account (bank, branch, number) its 01 names
        for n, r in self.records:
            bank = " ".join(r[2:7].split() + r[11:16].split())
            if r[:2] == "04":
                self.movements.append(dict(line=n, booked_on=day(r[34:40]), value_on=day(r[42:48]),
                                           amount=money(r[90:104], r[19]), account=r[21:32].strip(),
                                           bank=banks.get(r[21:32].strip(), bank), label=r[48:79].split(), texts=[]))
            elif r[:2] == "05":
                self.movements[-1]["texts"].append((r[45:48], r[48:118].split()))
            else:
                # a 01 is dated the day of the balance it brings forward: it opens the day after
                opens = day(r[34:40]) + timedelta(days=0 if r[:2] == "07" else 1)
                if r[:2] == "01":
                    banks[r[21:32].strip()] = bank
                self.balances.append((r[21:32].strip(), opens, money(r[90:104], r[19]), r[:2] == "07", n,
                                      banks.get(r[21:32].strip(), bank)))


def segments(path: Path) -> list[tuple[str, D, D, D]]:
    """(account, opening, sum of movements, closing) of each 01 ... 07 run of the raw file."""
    runs, current = [], None
    for _n, r in raw_records(path):
        if r[:2] == "01":
            current = [r[21:32].strip(), money(r[90:104], r[19]), D(0)]
        elif r[:2] == "04" and current:
            current[2] += money(r[90:104], r[19])
        elif r[:2] == "07" and current:
            runs.append((*current, money(r[90:104], r[19])))
            current = None
    return runs


# every real file ---------------------------------------------------------------------------------------------

@needs_fixtures
def test_the_fixture_folder_holds_the_files_described():
    assert len(STATEMENTS) == 8 and ORDERS.exists()
    assert not cfonb.identify(CFONB_DIR / "SOURCE.txt")


@needs_fixtures
@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_each_real_statement_is_read_as_its_records_say(path):
    assert cfonb.identify(path)
    result = cfonb.read(path)
    expected = Expected(path)
    assert result.kind == "cfonb"
    assert result.problems == [] and result.warnings == []
    assert result.rows == len(expected.records)

    got = [(b.line, b.booked_on, b.value_on, b.amount, b.account, b.bank) for b in result.bank_lines]
    assert got == [(m["line"], m["booked_on"], m["value_on"], m["amount"], m["account"], m["bank"])
                   for m in expected.movements]
    assert all(isinstance(b.amount, D) and b.amount.as_tuple().exponent == -2 for b in result.bank_lines)
    credits = [m for m in expected.movements if m["amount"] > 0]
    assert len([b for b in result.bank_lines if b.amount > 0]) == len(credits)
    assert len([b for b in result.bank_lines if b.amount < 0]) == len(expected.movements) - len(credits)

    # the label holds the 04 label and every complement's text, words in order
    for line, movement in zip(result.bank_lines, expected.movements):
        words = line.label.split()
        for text in [movement["label"]] + [t for _q, t in movement["texts"]]:
            assert " ".join(text) in " ".join(words), (line.line, text)
        payer = next((t for q, t in movement["texts"] if q == ("NPY" if movement["amount"] > 0 else "NBE")), [])
        assert line.counterparty == " ".join(payer)

    assert [(b.account, b.on, b.amount, b.closing, b.line, b.bank) for b in result.statement_balances] == \
        expected.balances
    assert len({b.row_hash for b in result.bank_lines}) == len(result.bank_lines)


@needs_fixtures
@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_opening_balance_plus_movements_is_the_closing_balance(path):
    result = cfonb.read(path)
    runs = segments(path)
    read_runs = []
    opening = None
    for balance in result.statement_balances:
        if not balance.closing:
            opening = balance
        elif opening is not None:
            moved = sum((b.amount for b in result.bank_lines
                         if b.account == balance.account and opening.line < b.line < balance.line), D(0))
            read_runs.append((balance.account, opening.amount, moved, balance.amount))
            opening = None
    assert read_runs == runs
    agree = all(start + moved == end for _a, start, moved, end in read_runs)
    assert agree == (path.name not in UNBALANCED)


@needs_fixtures
def test_oca_customer_transfers_with_their_complements():
    result = cfonb.read(CFONB_DIR / "oca_l10n-france_cfonb_classic.cfo")
    lines = result.bank_lines
    assert len(lines) == 13 and len([b for b in lines if b.amount > 0]) == 9
    assert [(b.on, b.amount, b.closing) for b in result.statement_balances] == [
        (date(2024, 1, 13), D("1017311.89"), False), (date(2024, 1, 13), D("1031585.79"), True)]
    first = lines[0]
    assert (first.booked_on, first.amount, first.counterparty, first.account) == (
        date(2024, 1, 13), D("1040.17"), "MA JOLIE BOUTIQUE", "01234567890")
    assert first.label == "VIR INST MA JOLIE BOUTIQUE facture F230875 AKRETION FRANCE"
    assert lines[1].reference == "0018937" and "F230866 F230765 F238765" in lines[1].label
    # a direct debit: the payer is us (NPY), the counterparty the beneficiary (NBE), when the bank gives it
    free = [b for b in lines if "FREE MOBILE" in b.label]
    assert [(b.amount, b.counterparty) for b in free] == [(D("-19.99"), ""), (D("-19.99"), "FREE MOBILE")]
    orange = [b for b in lines if b.counterparty == "Orange"]
    assert [b.amount for b in orange] == [D("-617.14"), D("-3037.55")]
    assert orange[0].reference == ")30008765 76662391 45 3"


@needs_fixtures
def test_ekylibre_csv_name_is_a_cfonb_statement_with_padded_lines():
    path = CFONB_DIR / "ekylibre_import_cfonb.csv"
    assert {len(line) for line in path.read_bytes().split(b"\r\n") if line} >= {121, 130, 134}
    result = cfonb.read(path)
    assert [(b.booked_on, b.amount) for b in result.bank_lines] == [
        (date(2020, 8, 3), D("50000.00")), (date(2020, 8, 5), D("-54.96")), (date(2020, 8, 6), D("200.00"))]
    assert result.bank_lines[0].label == "VER.PRETAGILOR N.10002047556"
    assert "CYBERDINE SYSTEMS" in result.bank_lines[1].label and "/INV/ FOU-62390" in result.bank_lines[1].label
    assert [b.amount for b in result.statement_balances] == [D("-3956576.31"), D("-3926135.89")]


@needs_fixtures
def test_pennylane_two_accounts_blank_lines_and_reference_zone():
    result = cfonb.read(CFONB_DIR / "pennylane_example.txt")
    assert {b.account for b in result.bank_lines} == {"98765432100", "00123456789"}
    # its first statement is closed with bank code 15489 where it opened with 15589: the statement's account
    assert {(b.bank, b.account) for b in result.statement_balances} == {("15589 00000", "98765432100"),
                                                                        ("18706 00000", "00123456789")}
    assert [b.line for b in result.bank_lines] == [3, 16, 19, 26, 29, 31]  # numbered as the file, blanks too
    demo = result.bank_lines[1]
    assert (demo.amount, demo.reference, demo.label) == (D("-10.70"), "REFERENCE", "VIR SEPA DEMONSTRATION ELEC ERDF")
    assert result.bank_lines[3].amount == D("97.49")  # "I": +9
    operation = cfonb.read(CFONB_DIR / "pennylane_operation.txt")  # a movement alone, no balance records
    assert [(b.amount, b.reference) for b in operation.bank_lines] == [(D("-32.21"), "OTHER REFERENCE PURPOSE")]
    assert operation.statement_balances == []


@needs_fixtures
def test_silarhi_days_without_movement_and_entry_number_as_reference():
    result = cfonb.read(CFONB_DIR / "silarhi_complex-test.txt")
    assert len(result.statement_balances) == 16
    # a day without movement: the 01 of 23/04 opens the 24th, which closes at the same balance
    assert result.statement_balances[-2:] == [
        ("00020427603", date(2020, 4, 24), D("584353.02"), False, 25, "10278 02204"),
        ("00020427603", date(2020, 4, 24), D("584353.02"), True, 26, "10278 02204")]
    # its direct debits write bank 10556 where its balances say 10278: they are of the statement's account
    assert {line.bank for line in result.bank_lines} == {"10278 02204"}
    invoice = next(b for b in result.bank_lines if "FACTURE" in b.label)
    assert (invoice.amount, invoice.reference, invoice.value_on) == (D("-117.75"), "0001692", date(2020, 4, 1))
    assert cfonb.read(CFONB_DIR / "silarhi_simple-test.txt").bank_lines == []


@needs_fixtures
def test_akretion_old_layout_without_currency_nor_decimals():
    result = cfonb.read(CFONB_DIR / "akretion_python-cfonb_bank_statement.cfo")
    assert [b.amount for b in result.statement_balances] == [D("0.08"), D("11871.14")]
    assert [b.amount for b in result.bank_lines] == [D("-2000.00"), D("-1000.00"), D("4000.00"), D("-3000.00")]


@needs_fixtures
def test_a_cfonb_240_transfer_file_is_refused_with_its_explanation():
    assert cfonb.identify(ORDERS)  # claimed, so that the user learns what the file is
    with pytest.raises(UnreadableFile, match="n'est pas un relevé CFONB 120 : c'est un fichier CFONB 240"):
        cfonb.read(ORDERS)


# hand-made variants ------------------------------------------------------------------------------------------

def record(code: str, account: str = "01234567890", on: str = "130124", amount: str = "0000000010000{",
           label: str = "", value_on: str = "130124", currency: str = "EUR", decimals: str = "2",
           qualifier: str = "LIB", text: str = "") -> str:
    """One 120-character record, written by the norm's positions."""
    r = [" "] * 120
    def put(at: int, value: str) -> None:
        r[at:at + len(value)] = value
    put(0, code), put(2, "30003"), put(11, "01234"), put(16, currency), put(19, decimals), put(21, account)
    put(34, on)
    if code == "05":
        put(45, qualifier), put(48, text[:70])
    else:
        put(90, amount)
        if code == "04":
            put(32, "18"), put(42, value_on), put(48, label[:31].ljust(31)), put(81, "0000000")
    return "".join(r)


STATEMENT = [record("01", on="120124", amount="0000000100000{"),
             record("04", label="VIR CLIENT UN", amount="0000000012345E"),
             record("05", text="FACTURE F2024-001"),
             record("05", qualifier="NPY", text="CLIENT UN SARL"),
             record("04", label="PRLV EDF", amount="0000000004510}"),
             record("05", qualifier="NBE", text="EDF"),
             record("07", amount="0000000107835E")]


def write(path: Path, records: list[str], end: str = "\n", encoding: str = "latin-1") -> Path:
    path.write_bytes((end.join(records) + end).encode(encoding))
    return path


def test_a_small_statement_reads_its_movements_and_balances(tmp_path):
    result = cfonb.read(write(tmp_path / "releve.txt", STATEMENT))
    assert [(b.amount, b.label, b.counterparty, b.line) for b in result.bank_lines] == [
        (D("1234.55"), "VIR CLIENT UN FACTURE F2024-001 CLIENT UN SARL", "CLIENT UN SARL", 2),
        (D("-451.00"), "PRLV EDF", "EDF", 5)]
    assert [(b.amount, b.closing) for b in result.statement_balances] == [(D("10000.00"), False),
                                                                          (D("10783.55"), True)]
    opening, closing = result.statement_balances
    assert opening.amount + sum(b.amount for b in result.bank_lines) == closing.amount


def test_without_line_breaks_each_record_is_numbered_by_its_rank(tmp_path):
    lines = cfonb.read(write(tmp_path / "a.txt", STATEMENT))
    flat = cfonb.read(write(tmp_path / "b.txt", STATEMENT, end=""))
    assert flat.bank_lines == lines.bank_lines and flat.statement_balances == lines.statement_balances
    broken = STATEMENT[:4] + [STATEMENT[4][:90] + "00000000045X0}" + STATEMENT[4][104:]] + STATEMENT[5:]
    result = cfonb.read(write(tmp_path / "c.txt", broken, end=""))
    assert [(p.line, p.column) for p in result.problems] == [(5, "montant")]


@needs_fixtures
def test_the_oca_file_without_line_breaks_reads_the_same(tmp_path):
    original = CFONB_DIR / "oca_l10n-france_cfonb_classic.cfo"
    flat = tmp_path / "flat.cfo"
    flat.write_bytes(original.read_bytes().replace(b"\n", b""))
    assert cfonb.identify(flat)
    assert cfonb.read(flat) == cfonb.read(original)  # no blank line there: ranks are line numbers


def test_blank_lines_crlf_padding_and_stripped_trailing_spaces(tmp_path):
    plain = cfonb.read(write(tmp_path / "a.txt", STATEMENT))
    messy = [STATEMENT[0] + "      ", "", "   ", STATEMENT[1].rstrip(), *STATEMENT[2:], "\x1a"]
    result = cfonb.read(write(tmp_path / "b.txt", messy, end="\r\n"))
    assert result.problems == []
    assert [b._replace(line=None) for b in result.bank_lines] == [b._replace(line=None) for b in plain.bank_lines]
    assert [b.line for b in result.bank_lines] == [4, 7]


def test_latin1_and_windows_1252_labels(tmp_path):
    records = [record("04", label="VIR SOCIÉTÉ GÉNÉRALE"), record("05", text="REMISE CHÈQUE N° 12")]
    for encoding in ("latin-1", "cp1252"):
        result = cfonb.read(write(tmp_path / f"{encoding}.txt", records, encoding=encoding))
        assert result.bank_lines[0].label == "VIR SOCIÉTÉ GÉNÉRALE REMISE CHÈQUE N° 12"


def test_a_bad_amount_character_is_a_located_problem_and_keeps_its_complements_out(tmp_path):
    records = list(STATEMENT)
    records[1] = records[1][:103] + "X" + records[1][104:]
    result = cfonb.read(write(tmp_path / "releve.txt", records))
    assert result.problems == [Problem(2, "montant", "0000000012345X", result.problems[0].message)]
    assert "n'est pas un montant" in result.problems[0].message and "{ A-I" in result.problems[0].message
    assert [b.label for b in result.bank_lines] == ["PRLV EDF"]  # its 05s went with it, no other problem
    assert len(result.statement_balances) == 2


def test_bad_dates_decimals_types_and_a_lonely_complement_are_located(tmp_path):
    records = [record("01", on="310224"),                           # 31 February
               record("05", text="ORPHELIN"),                       # after a balance, not a movement
               record("04", label="A", value_on="1301AB"),
               record("04", label="B", decimals="x"),
               record("09"),
               record("04", label="C", value_on="000000"),          # no value date: accepted
               record("07", amount="00000000100001")]                # a digit where the sign goes
    result = cfonb.read(write(tmp_path / "releve.txt", records))
    assert [(p.line, p.column) for p in result.problems] == [
        (1, "date"), (2, "type d'enregistrement"), (3, "date de valeur"), (4, "nombre de décimales"),
        (5, "type d'enregistrement"), (7, "montant")]
    assert all(p.message for p in result.problems)
    assert [(b.label, b.value_on) for b in result.bank_lines] == [("C", None)]
    assert result.statement_balances == []


def test_another_currency_is_read_with_one_warning_per_account(tmp_path):
    records = [record("01", currency="USD"), record("04", currency="USD"), record("04", currency="USD"),
               record("04", account="99999999999", currency="GBP")]
    result = cfonb.read(write(tmp_path / "releve.txt", records))
    assert len(result.bank_lines) == 3 and result.problems == []
    assert [(w.line, w.value) for w in result.warnings] == [(1, "USD"), (4, "GBP")]
    assert "sans conversion en euros" in result.warnings[0].message


def test_two_identical_movements_on_one_day_get_two_hashes_and_reading_again_the_same(tmp_path):
    path = write(tmp_path / "releve.txt", [record("04", label="CB"), record("04", label="CB")])
    result = cfonb.read(path)
    assert len({b.row_hash for b in result.bank_lines}) == 2
    assert cfonb.read(path).bank_lines == result.bank_lines


@needs_fixtures
def test_other_files_are_not_cfonb_statements(tmp_path):
    csv = tmp_path / "banque.csv"
    csv.write_text("01/02/2024;VIR CLIENT;;120,00\n" * 3)
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    pdf = tmp_path / "releve.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 300)
    xlsx = tmp_path / "releve.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 2)
    others = [csv, empty, pdf, xlsx, tmp_path / "absent.txt",
              *sorted((FIXTURES / "camt053").glob("*.xml")), *sorted((FIXTURES / "ofx").glob("*.ofx")),
              *sorted((FIXTURES / "fec").glob("*"))]
    for path in others:
        assert not cfonb.identify(path), path.name
    for path in (csv, empty, pdf, tmp_path / "absent.txt"):
        with pytest.raises(UnreadableFile, match=path.name):
            cfonb.read(path)


def test_progress_every_thousand_records_and_cancel(tmp_path):
    path = write(tmp_path / "releve.txt", [record("04", label=f"VIR {n}") for n in range(2500)])
    seen = []
    job = Job(lambda done, total, label: seen.append((done, total)))
    assert len(cfonb.read(path, job).bank_lines) == 2500
    assert seen[0] == (0, 2500) and [done for done, _ in seen[1:]] == [1000, 2000, 2500]
    job.cancel()
    with pytest.raises(JobCancelled):
        cfonb.read(path, job)


# never anything but UnreadableFile or located problems -------------------------------------------------------

def check_outcome(path: Path) -> None:
    cfonb.identify(path)
    try:
        result = cfonb.read(path)
    except UnreadableFile as error:
        assert str(error)
        return
    assert isinstance(result, StatementRead)
    lines = max(1, len(path.read_bytes().splitlines()), len(path.read_bytes()) // 120 + 1)
    for problem in result.problems:
        assert isinstance(problem, Problem) and problem.message and problem.column
        assert 1 <= problem.line <= lines
    assert all(isinstance(b.amount, D) and b.amount.is_finite() and b.line for b in result.bank_lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=1500))
def test_garbage_bytes_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "garbage.txt"
    path.write_bytes(data)
    check_outcome(path)


EDITS = mutations(2000, [b"\n", b"\r\n", b" ", b"{", b"}", b"J", b"Z", b"9" * 14, b"05", b"04", b"\xe9", b"\x00"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS, st.booleans())
def test_mutated_statement_never_raises_anything_else(tmp_path, edits, flat):
    data = garbled(("" if flat else "\n").join(STATEMENT).encode("latin-1"), edits)
    path = tmp_path / "mutated.txt"
    path.write_bytes(data)
    check_outcome(path)
