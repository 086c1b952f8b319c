"""« Exporter… » and Ctrl+E on the hand-made ledger (tests/conftest.py), plus a customer whose name and city a
spreadsheet would run as formulas: the file holds what the screen shows, as numbers and dates."""

import csv
from datetime import datetime

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from app.models import Customer
from app.ui import export
from app.ui.customers import COL_EXPOSURE
from app.ui.export import VIEWS, chosen, export_view
from app.ui.invoices import COL_TOTAL
from tests.conftest import chase_history
from tests.ui.conftest import loaded

HYPERLINK = '=HYPERLINK("http://exemple.fr";"Cliquez")'
PHONE = "+33 6 12 34 56 78"
EURO = '#,##0.00 "€"'


@pytest.fixture
def ledger(ledger):
    chase_history(ledger)
    with ledger.transaction() as s:
        s.add(Customer(name=HYPERLINK, code="C0003", city=PHONE))
    return ledger


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """The file dialog answers with the file name given; it keeps the name it proposed."""
    asked = {}

    def answer(name):
        def dialog(parent, title, proposed, kinds):
            asked.update(title=title, proposed=proposed, kinds=kinds)
            return str(tmp_path / name), ""
        monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
        return tmp_path / name

    answer.asked = asked
    return answer


def values(path):
    return [[cell.value for cell in row] for row in openpyxl.load_workbook(path).active.iter_rows()]


def test_customers_export_as_shown_with_numbers_totals_and_formulas_as_text(ledger, make_window, save_as, settings):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.table.sortByColumn(COL_EXPOSURE, Qt.SortOrder.DescendingOrder)
    path = save_as("clients.xlsx")
    button = next(b for b in screen.findChildren(type(screen.new_button)) if b.text() == "Exporter…")
    button.click()
    assert save_as.asked["proposed"].endswith("Clients 2026-11-23.xlsx")
    assert save_as.asked["kinds"] == "Classeur Excel (*.xlsx);;CSV, séparateur point-virgule (*.csv)"
    assert settings.value("folders/export") == str(path.parent)
    assert window.statusBar().currentMessage() == f"3 lignes exportées dans {path}"
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Clients"
    assert values(path) == [
        ["Code", "Client", "SIREN", "Segment", "Ville", "Encours", "Dont échu", "Limite de crédit"],
        ["C0002", "Boulangerie Martin", None, "Entreprise privée", None, 1880, 1880, None],
        ["C0001", "Garage Petit", "732829320", "Entreprise privée", None, 1550, 550, 1500],
        ["C0003", HYPERLINK, None, "Entreprise privée", PHONE, 0, 0, None],
        ["Total", None, None, None, None, 3430, 2430, 1500],
    ]
    assert (sheet["B4"].data_type, sheet["B4"].quotePrefix, sheet["E4"].quotePrefix) == ("s", True, True)
    assert all(sheet[f"F{row}"].number_format == EURO for row in range(2, 6))


def test_ctrl_e_writes_the_filtered_invoices_as_csv(ledger, make_window, save_as, qtbot):
    window = make_window(ledger)
    window.show_screen("invoices")
    screen = window.screens["invoices"]
    screen.overdue_only.setChecked(True)
    screen.table.sortByColumn(COL_TOTAL, Qt.SortOrder.AscendingOrder)
    path = save_as("factures.csv")
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(path.is_file)  # the button's shortcut clicks it as a click shows: after a blink
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows == [
        ["N°", "Type", "Client", "Date", "Échéance", "Montant TTC", "Reste dû", "Retard", "Statut"],
        ["F3", "Facture", "Garage Petit", "05/07/2026", "04/08/2026", "300,00", "300,00", "111", "Ouverte"],
        ["F2", "Facture", "Garage Petit", "14/10/2026", "13/11/2026", "500,00", "300,00", "10", "Ouverte"],
        ["F4", "Facture", "Boulangerie Martin", "08/09/2026", "08/10/2026", "2000,00", "2000,00", "46", "Ouverte"],
        ["Total", "", "", "", "", "2800,00", "2600,00", "", ""],
    ]
    assert [r[0] for r in rows[1:-1]] == [r.number for r in screen.table.visible_rows()]


def test_csv_customers_put_an_apostrophe_before_formulas(ledger, make_window, save_as):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.search.setText("exemple")
    path = save_as("clients.csv")
    export.export_screen(screen)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == ('C0003;"\'=HYPERLINK(""http://exemple.fr"";""Cliquez"")";;Entreprise privée;'
                                    "'+33 6 12 34 56 78;0,00;0,00;")


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_exports_what_its_screen_shows(ledger, make_window, tmp_path, view, capsys):
    window = make_window(ledger)
    out = tmp_path / f"{view}.xlsx"
    assert export_view(window, view, str(out)) == 0
    key, number = VIEWS[view]
    screen = window.screens[key]
    exportable = screen.exportables()[number]
    columns, rows = exportable.content()
    written = values(out)
    assert written[0] == [c.title for c in columns]
    assert len(rows) > 0 or view in ("held", "imports", "disputes", "reconcile")  # none in the ledger
    body = written[1:1 + len(rows)]
    assert [r[0] for r in body] == [_cell(columns[0].value(row), columns[0]) for row in rows]
    assert capsys.readouterr().out.strip().endswith(f"dans {out}")


def _cell(value, column):
    return value if isinstance(value, datetime) or not isinstance(value, str) else column.text(value)


def test_kpi_export_is_indicator_and_value(ledger, make_window, tmp_path):
    window = make_window(ledger)
    assert export_view(window, "kpi", str(tmp_path / "kpi.xlsx")) == 0
    written = values(tmp_path / "kpi.xlsx")
    assert written[0] == ["Indicateur", "Valeur"]
    assert written[1] == ["Encours clients", "3\u202f430,00\u00a0€"]
    assert ["Part échue de l'encours", written[-1][1]] != written[-1]  # the last one is the sales to recover


def test_aging_export_sums_each_bucket(ledger, make_window, tmp_path):
    window = make_window(ledger)
    assert export_view(window, "aging", str(tmp_path / "aging.xlsx")) == 0
    assert values(tmp_path / "aging.xlsx") == [
        ["Client", "Non échu", "1 à 30 j", "31 à 60 j", "61 à 90 j", "Plus de 90 j", "Total"],
        ["Boulangerie Martin", 0, -120, 2000, 0, 0, 1880],
        ["Garage Petit", 1000, 300, -50, 0, 300, 1550],
        ["Total", 1000, 180, 1950, 0, 300, 3430],
    ]


def test_the_list_with_the_focus_is_exported(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("reminders")
    screen = window.screens["reminders"]
    assert chosen(screen.exportables(), screen.held).name == "Relances en attente"
    assert chosen(screen.exportables(), None).name == "Relances"


def test_many_rows_are_written_in_the_worker(ledger, make_window, save_as, monkeypatch, qtbot):
    monkeypatch.setattr(export, "IN_WORKER", 1)
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    path = save_as("clients.xlsx")
    export.export_screen(window.screens["customers"])
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"3 lignes exportées dans {path}")
    assert len(values(path)) == 5


def test_a_file_that_cannot_be_written_is_said_in_french(ledger, make_window, save_as, monkeypatch, tmp_path):
    warnings = []
    monkeypatch.setattr(export.QMessageBox, "warning", lambda parent, title, text: warnings.append((title, text)))
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    save_as("absent/clients.xlsx")
    export.export_screen(window.screens["customers"])
    assert warnings == [("Exporter le tableau", f"Impossible d'écrire « {tmp_path / 'absent/clients.xlsx'} » (No "
                         "such file or directory) : le fichier est peut-être ouvert dans un tableur.")]


def test_a_click_on_the_aging_chart_exports_every_customer_aging(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("dashboard")
    screen = window.screens["dashboard"]
    qtbot.waitUntil(lambda: screen.figures is not None)
    qtbot.mouseClick(screen.charts[1], Qt.MouseButton.LeftButton)
    assert chosen(screen.exportables(), QApplication.focusWidget()).name == "Balance âgée par client"
