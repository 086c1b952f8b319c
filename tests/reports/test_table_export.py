"""The table writer on its own: numbers, dates, totals and formula-looking text in XLSX and CSV."""

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from app.jobs import Job, JobCancelled
from app.reports.table_export import AMOUNT, DATE, NUMBER, TEXT, kind_of, totals, write_table

HEADERS = ["Client", "Date", "Montant", "Retard"]
KINDS = [TEXT, DATE, AMOUNT, NUMBER]
ROWS = [
    ['=HYPERLINK("http://x";"Cliquez")', date(2026, 11, 23), Decimal("1234.56"), 12],
    ["+33 6 12 34 56 78", date(2026, 1, 2), Decimal("-50.00"), 0],
    ["Garage Petit", None, None, None],
]


def test_kinds_follow_the_first_value_present():
    assert [kind_of(values) for values in ([None, Decimal("1")], [date(2026, 1, 1)], [datetime(2026, 1, 1, 8)],
                                           [3], ["x"], [None], [True])] == [AMOUNT, DATE, DATE, NUMBER, TEXT, TEXT,
                                                                           TEXT]


def test_totals_sum_the_amounts_only():
    assert totals(ROWS, KINDS) == ["Total", None, Decimal("1184.56"), None]
    assert totals(ROWS, [TEXT, DATE, TEXT, NUMBER]) is None


def test_xlsx_has_numbers_dates_totals_and_formulas_as_text(tmp_path):
    path = write_table(tmp_path / "t.xlsx", "Clients: [test]", HEADERS, ROWS, KINDS)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Clients   test"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADERS and sheet["A1"].font.b
    name, day, amount, late = sheet[2]
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("http://x";"Cliquez")', "s", True)
    assert day.value == datetime(2026, 11, 23) and day.number_format == "DD/MM/YYYY"
    assert amount.value == 1234.56 and amount.number_format == '#,##0.00 "€"'
    assert late.value == 12 and late.data_type == "n"
    assert sheet["A3"].value == "+33 6 12 34 56 78" and sheet["A3"].quotePrefix
    assert not sheet["A4"].quotePrefix
    assert [c.value for c in sheet[5]] == ["Total", None, 1184.56, None]
    assert sheet["C5"].number_format == '#,##0.00 "€"' and sheet["C5"].font.b
    assert sheet.column_dimensions["A"].width > len("+33 6 12 34 56 78")


def test_csv_is_french_with_apostrophes(tmp_path):
    path = write_table(tmp_path / "t.csv", "Clients", HEADERS, ROWS, KINDS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").split("\r\n") == [
        "Client;Date;Montant;Retard",
        '"\'=HYPERLINK(""http://x"";""Cliquez"")";23/11/2026;1234,56;12',
        "'+33 6 12 34 56 78;02/01/2026;-50,00;0",
        "Garage Petit;;;",
        "Total;;1184,56;",
        "",
    ]


def test_an_unknown_extension_is_refused_in_french(tmp_path):
    with pytest.raises(ValueError, match="« t.ods » : choisissez un fichier .xlsx \\(classeur\\) ou .csv."):
        write_table(tmp_path / "t.ods", "Clients", HEADERS, ROWS, KINDS)


def test_many_rows_stream_out_with_progress(tmp_path):
    rows = [[f"Client {i}", date(2026, 1, 1), Decimal(i) / 100, i] for i in range(30_000)]
    reports = []
    path = write_table(tmp_path / "big.xlsx", "Clients", HEADERS, rows, KINDS,
                       Job(lambda done, total, label: reports.append((done, total, label))))
    assert reports[0] == (0, 30_000, "Export de 30000 lignes…") and reports[-1][0] == 30_000
    written = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(written) == 30_002
    assert written[-1] == ("Total", None, 4_499_850, None)  # the sum of 0,00 € … 299,99 €


def test_a_cancelled_export_leaves_no_file(tmp_path):
    job = Job()
    rows = [["Client", date(2026, 1, 1), Decimal("1.00"), 1]] * 5000
    job.cancel()
    with pytest.raises(JobCancelled):
        write_table(tmp_path / "t.xlsx", "Clients", HEADERS, rows, KINDS, job)
    assert not (tmp_path / "t.xlsx").exists()
