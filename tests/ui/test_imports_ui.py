"""The Imports screen and its wizard: a spreadsheet's columns, the preview, the import in a worker, the
summary, the history and undo."""

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from app.domain.money import format_eur
from app.models import Customer, ImportMapping, Invoice
from app.ui.imports import COLUMNS

CSV = """Export des factures;;;;
Atelier Test SARL;;;;
N° facture;Date;Échéance;Client;Montant TTC
F-100;15/10/2026;14/11/2026;Garage Petit;1 200,00 €
F-101;20/10/2026;19/11/2026;Menuiserie Roux;(50,00)
F-102;31/10/2026;30/11/2026;Menuiserie Roux;2 500,50 €
Total;;;;3 650,50 €
"""


def write(tmp_path, text, name="factures.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def open_wizard(window, path):
    window.show_screen("imports")
    screen = window.screens["imports"]
    screen.open_wizard(path)
    return screen, screen.wizard


def to_preview(wizard, qtbot) -> None:
    """Ask for the preview (a table's, once its columns are chosen; other files have theirs from the start) and
    wait for it, or for the question the import asks first."""
    if not wizard.preview_button.isHidden():
        qtbot.mouseClick(wizard.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stage in ("preview", "question"), timeout=10_000)


def import_through(wizard, qtbot, button=None) -> None:
    """From the preview, « Importer » (or ``button``), then wait for the summary."""
    to_preview(wizard, qtbot)
    button = button or wizard.import_button
    assert not button.isHidden()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.summary_page, timeout=10_000)


def test_wizard_proposes_columns_previews_imports_and_undo(ledger, make_window, qtbot, tmp_path, monkeypatch):
    window = make_window(ledger)
    screen, wizard = open_wizard(window, write(tmp_path, CSV))
    assert wizard.combos["number"].currentText() == "N° facture"
    assert wizard.combos["total"].currentText() == "Montant TTC"
    assert "en-têtes à la ligne 3" in wizard.detected.text()
    assert [(r.number, name) for r, name in wizard.preview.visible_rows()] == [
        ("F-100", "Garage Petit"), ("F-101", "Menuiserie Roux"), ("F-102", "Menuiserie Roux")]
    assert wizard.import_button.isHidden()  # the preview first
    to_preview(wizard, qtbot)
    said = wizard.preview_page.text.text()
    assert "rien n'est encore enregistré" in said
    assert f"Factures : 2, {format_eur(Decimal('3700.50'))}" in said and "Nouveaux clients : 1" in said
    assert f"Avoirs : 1, {format_eur(Decimal('-50'))}" in said
    invoices = wizard.preview_page.tables["Factures"].visible_rows()
    assert [(i.line, i.number, i.customer, i.total) for i in invoices] == [
        (4, "F-100", "Garage Petit", Decimal("1200.00")), (6, "F-102", "Menuiserie Roux", Decimal("2500.50"))]
    with ledger.sessions() as s:  # nothing written by the preview
        assert s.scalar(select(Invoice.id).where(Invoice.number == "F-100")) is None
    import_through(wizard, qtbot)
    assert "Import terminé" in wizard.summary_text.text() and "3 facture(s)" in wizard.summary_text.text()
    with ledger.sessions() as s:
        assert s.scalar(select(Invoice.total_cents).where(Invoice.number == "F-101")) == -5000
        assert s.scalar(select(ImportMapping.name)) == "factures"    # the columns are kept for next time
    wizard.close_button.click()
    rows = screen.table.visible_rows()
    assert len(rows) == 1 and rows[0].created == 4                 # 1 new customer (Roux) + 3 invoices
    screen.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    assert screen.table.visible_rows() == []
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number.like("F-1%"))) == 0


def test_a_file_with_errors_can_import_its_valid_rows(ledger, make_window, qtbot, tmp_path):
    bad = CSV.replace("20/10/2026", "32/10/2026")
    window = make_window(ledger)
    _, wizard = open_wizard(window, write(tmp_path, bad))
    to_preview(wizard, qtbot)
    assert "1 ligne(s) refusée(s)" in wizard.preview_page.text.text()
    assert wizard.import_button.isHidden() and not wizard.valid_rows_button.isHidden()
    problem = wizard.preview_page.tables["Lignes refusées"].visible_rows()[0]
    assert (problem.line, problem.column, problem.value) == (5, "Date", "32/10/2026")
    assert [i.number for i in wizard.preview_page.tables["Factures"].visible_rows()] == ["F-100", "F-102"]
    with ledger.sessions() as s:
        assert s.scalar(select(Invoice.id).where(Invoice.number == "F-100")) is None
    import_through(wizard, qtbot, wizard.valid_rows_button)
    assert "Import terminé" in wizard.summary_text.text()
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number.like("F-1%"))) == 2


def test_an_unknown_file_says_so_without_importing(ledger, make_window, tmp_path):
    junk = tmp_path / "photo.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    _, wizard = open_wizard(make_window(ledger), junk)
    assert "format non reconnu" in wizard.detected.text()
    assert wizard.close_button.text() == "Fermer" and not wizard.import_button.isVisible()


BANK_CSV = """Date;Date de valeur;Débit;Crédit;Libellé;Solde
20/11/2026;20/11/2026;;1 000,00;VIR SEPA GARAGE PETIT FACTURE F1;5 000,00
21/11/2026;21/11/2026;-240,00;;PRLV SEPA LOYER;4 760,00
"""


def import_saying_the_account(wizard, qtbot) -> None:
    """Import a statement that names no account: asked which, answer with an IBAN, and wait for the summary."""
    to_preview(wizard, qtbot)
    assert wizard.pages.currentWidget() is wizard.account_page
    wizard.account_page.typed.setText("FR76 3000 4000 1200 0123 4567 859")
    qtbot.mouseClick(wizard.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stage == "preview", timeout=10_000)
    assert "Aperçu du relevé" in wizard.preview_page.text.text()
    import_through(wizard, qtbot)


def test_a_bank_statement_goes_through_the_wizard_and_waits_to_be_matched(ledger, make_window, qtbot, tmp_path):
    """A Crédit Mutuel export: the bank's columns proposed, its two lines previewed with their signs; it names no
    account, so the wizard asks which, the first time. Its credit names Garage Petit and F1, its exact amount,
    but "F1" is too short a number to be sure of: it is proposed, not applied, and the 1 000 € are Garage
    Petit's unallocated cash meanwhile."""
    from app.models import Allocation, BankLine, Customer, Payment

    window = make_window(ledger)
    _screen, wizard = open_wizard(window, write(tmp_path, BANK_CSV, "releve.csv"))
    assert (wizard.combos["booked_on"].currentText(), wizard.combos["credit"].currentText()) == ("Date", "Crédit")
    assert [(line.label, str(line.amount)) for line, _ in wizard.preview.visible_rows()] == [
        ("VIR SEPA GARAGE PETIT FACTURE F1", "1000.00"), ("PRLV SEPA LOYER", "-240.00")]
    import_saying_the_account(wizard, qtbot)
    assert "Relevé importé" in wizard.summary_text.text()
    assert "dont 1 encaissement(s) : 0 rapproché(s) automatiquement, 1 à confirmer" in wizard.summary_text.text()
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(BankLine)) == 2
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F1")) == "open"
        payment = s.scalar(select(Payment).join(BankLine, BankLine.payment_id == Payment.id))
        assert (payment.amount_cents, s.get(Customer, payment.customer_id).name) == (100000, "Garage Petit")
        assert s.scalar(select(func.count()).select_from(Allocation).where(Allocation.payment_id == payment.id)) == 0
    wizard.close_button.click()
    screen = window.screens["imports"]
    type_column = next(i for i, column in enumerate(COLUMNS) if column.title == "Type")
    assert screen.table.model().index(0, type_column).data() == "Relevé (tableur)"  # not the program's "bank"


def test_a_cfonb_statement_is_previewed_line_by_line_before_its_import(ledger, make_window, qtbot, tmp_path):
    """A CFONB file has no columns to choose: the wizard lists its movements, signed, as they will be
    recorded, and speaks of matching, not of customers and invoices."""
    from tests.importers.test_cfonb import STATEMENT, write as write_cfonb

    from app.importers import cfonb

    window = make_window(ledger)
    path = write_cfonb(tmp_path / "releve.txt", STATEMENT)
    _screen, wizard = open_wizard(window, path)
    to_preview(wizard, qtbot)
    assert "CFONB 120" in wizard.detected.text() and "rapproché(s) automatiquement" in wizard.preview_page.text.text()
    shown = [(line.booked, line.amount) for line in wizard.preview_page.tables["Lignes de relevé"].visible_rows()]
    assert shown == [(line.booked_on, line.amount) for line in cfonb.read(path).bank_lines]
    assert len(shown) >= 2 and min(amount for _day, amount in shown) < 0 < max(amount for _day, amount in shown)
    import_through(wizard, qtbot)
    assert "Relevé importé" in wizard.summary_text.text()


def test_many_remarks_are_listed_in_a_table_that_scrolls_not_in_the_summary(ledger, make_window, qtbot, tmp_path):
    """Forty lines of 0,00 € are forty remarks: the summary stays a few lines, the remarks go to the table
    under it, and the window keeps to a 1280×800 screen."""
    zeros = "".join(f"{day:02d}/11/2026;{day:02d}/11/2026;0,00;;FRAIS OFFERTS {day};\n" for day in range(1, 21)) * 2
    window = make_window(ledger)
    _screen, wizard = open_wizard(window, write(tmp_path, BANK_CSV + zeros, "releve.csv"))
    import_saying_the_account(wizard, qtbot)
    assert "Relevé importé" in wizard.summary_text.text() and "montant nul" not in wizard.summary_text.text()
    remarks = wizard.problems.visible_rows()
    assert len(remarks) == 40 and all("montant nul" in r.message for r in remarks)
    assert wizard.sizeHint().height() < 760


EXPORT = """N° facture;Date;Échéance;Client;Montant TTC;Reste dû
F-200;01/10/2026;31/10/2026;Garage Petit;12 000,00 €;6 000,00 €
"""


def test_an_export_s_paid_amounts_are_taken_as_of_the_date_the_owner_confirms(ledger, make_window, qtbot, tmp_path):
    """The wizard proposes the file's date for what it says is paid; the summary says which date was used and
    that the 6 000 € wait for the bank's statement."""
    from datetime import date

    from app.models import Payment

    window = make_window(ledger)
    _screen, wizard = open_wizard(window, write(tmp_path, EXPORT, "export.csv"))
    assert wizard.as_of.isVisibleTo(wizard) and wizard.as_of.value() <= date.today()
    to_preview(wizard, qtbot)
    reported = wizard.preview_page.tables["Règlements déclarés (en attente du relevé)"].visible_rows()
    assert [(p.customer, p.amount) for p in reported] == [("Garage Petit", Decimal("6000.00"))]
    wizard.as_of.set_date(date(2026, 11, 20))  # the preview is made again for that date before importing
    assert wizard.stage == "stale" and wizard.import_button.isHidden()
    to_preview(wizard, qtbot)
    assert wizard.preview_page.tables["Règlements déclarés (en attente du relevé)"].visible_rows()[0].received == date(
        2026, 11, 20)
    import_through(wizard, qtbot)
    text = wizard.summary_text.text()
    assert "Règlements selon le fichier au 20/11/2026 (date indiquée)" in text
    assert "1 facture(s) réglée(s) selon le fichier, en attente du relevé bancaire" in text
    assert not wizard.as_of.isVisibleTo(wizard)
    with ledger.sessions() as s:
        reported = s.scalar(select(Payment).where(Payment.reference.like("Réglé selon export.csv%")))
        assert (reported.received_on, reported.amount_cents) == (date(2026, 11, 20), 600000)


def test_a_bank_statement_asks_no_as_of_date(ledger, make_window, tmp_path):
    _screen, wizard = open_wizard(make_window(ledger), write(tmp_path, BANK_CSV, "releve.csv"))
    assert not wizard.as_of.isVisibleTo(wizard)


def test_an_error_found_while_importing_leaves_nothing_imported(ledger, make_window, qtbot, tmp_path):
    """F4 is Boulangerie Martin's: a file giving it to Garage Petit has that row refused, found only while
    applying the file; the preview shows it, nothing is written, and the wizard offers the valid rows."""
    clash = CSV.replace("F-101;20/10/2026", "F4;20/10/2026")
    _, wizard = open_wizard(make_window(ledger), write(tmp_path, clash))
    to_preview(wizard, qtbot)
    assert wizard.import_button.isHidden() and not wizard.valid_rows_button.isHidden()
    problem = wizard.preview_page.tables["Lignes refusées"].visible_rows()[0]
    assert (problem.line, problem.value) == (5, "F4") and "autre client" in problem.message
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number.like("F-1%"))) == 0
        assert s.scalar(select(func.count()).select_from(Customer)) == 2  # Menuiserie Roux not created
    import_through(wizard, qtbot, wizard.valid_rows_button)
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number.like("F-1%"))) == 2
        assert s.scalar(select(ImportMapping.name)) == "factures"  # the columns confirmed are kept


def test_the_file_dialog_shows_every_importable_file_first_then_each_kind(ledger, make_window, tmp_path,
                                                                          monkeypatch):
    """The default filter takes every extension a reader's files come with (.cfo and .ofx statements
    included, and every sample file), then one filter per kind; Qt's own words are French."""
    import fnmatch
    import re

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QFileDialog

    from app.importers import REGISTRY

    window = make_window(ledger)
    window.show_screen("imports")
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: asked.append(args) or ("", ""))
    window.screens["imports"].choose_file()
    filters = asked[0][3].split(";;")
    assert filters[0] == ("Fichiers importables (*.txt *.csv *.pdf *.xml *.cfo *.ofx *.qfx *.tsv *.tab *.xlsx *.xlsm "
                          "*.xls *.ods)")
    assert filters[1:] == [f"{kind.title} ({' '.join('*' + s for s in kind.suffixes)})" for kind in REGISTRY
                           ] + ["Tous les fichiers (*)"]
    assert "Relevé CFONB (*.cfo *.txt)" in filters and "Relevé OFX (*.ofx *.qfx)" in filters
    patterns = re.search(r"\((.*)\)", filters[0]).group(1).split()
    samples = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
    if samples.is_dir():  # every sample file of the banks and accounting programs is offered (absent: skipped)
        found = [p for p in samples.rglob("*") if p.is_file() and p.name not in ("README.md", "SOURCE.txt")]
        assert found
        for sample in found:
            assert any(fnmatch.fnmatch(sample.name.lower(), pattern) for pattern in patterns), sample.name
    assert QCoreApplication.translate("QFileDialog", "Open") == "Ouvrir"


def test_a_workbook_too_large_to_load_is_refused_in_the_wizard(ledger, make_window, tmp_path):
    from tests.importers.test_sizes import BOMB_ROWS, workbook

    path = workbook(tmp_path / "balance.xlsx", BOMB_ROWS)
    _, wizard = open_wizard(make_window(ledger), path)
    assert ("<b>balance.xlsx</b> — <span style='color:#b03a2e'>la feuille « Factures » annonce 10\u00a0000\u00a0000 lignes (plage A1:C10000000), "
            "plus que les 1\u00a0000\u00a0000 qu'Encours peut lire en mémoire ; exportez moins de lignes (une "
            "période plus courte) ou en CSV.") in wizard.detected.text()
    assert wizard.import_button.isHidden() and wizard.preview_button.isHidden()


FEC_HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
              "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise")


def small_fec(tmp_path, name="512345679FEC20261231.txt"):
    path = tmp_path / name
    path.write_text("\n".join([
        FEC_HEADER,
        "VE\tVentes\t1\t20261015\t411MAIRIE\tMairie de Saint-Rémy\t\t\tF-900\t20261015\tFacture\t1200,00\t0,00\t\t\t\t\t",
        "VE\tVentes\t1\t20261015\t706000\tPrestations\t\t\tF-900\t20261015\tFacture\t0,00\t1200,00\t\t\t\t\t"]) + "\n",
        encoding="utf-8")
    return path


def test_another_firm_s_fec_is_refused_until_imported_anyway(ledger, make_window, qtbot, tmp_path):
    window = make_window(ledger)
    _screen, wizard = open_wizard(window, small_fec(tmp_path))
    qtbot.waitUntil(lambda: wizard.force_company.isVisible(), timeout=10_000)
    assert wizard.import_button.isHidden()
    assert ("ce FEC est celui de la société de SIREN 512345679 (d'après le nom du fichier), pas de la vôtre, Atelier "
            "Test SARL (SIREN 732829320). Rien n'a été importé ; cochez « Importer quand même » si ce fichier est "
            "bien le vôtre.") in wizard.detected.text().replace("&#x27;", "'")
    with ledger.sessions() as s:
        assert s.scalar(select(Invoice).where(Invoice.number == "F-900")) is None
    wizard.force_company.setChecked(True)
    qtbot.mouseClick(wizard.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stage == "preview", timeout=10_000)
    assert [c.name for c in wizard.preview_page.tables["Nouveaux clients"].visible_rows()] == ["Mairie de Saint-Rémy"]
    import_through(wizard, qtbot)
    assert "Import terminé" in wizard.summary_text.text()
    assert "Rien n'a été importé" not in wizard.detected.text().replace("&#x27;", "'")  # no longer true
    assert "Mairie de Saint-Rémy : organisme public (d'après son nom)" in wizard.problems.visible_rows()[0].message
    with ledger.sessions() as s:
        assert s.scalar(select(Customer.segment).where(Customer.name == "Mairie de Saint-Rémy")) == "public"


def test_the_wizard_asks_before_giving_the_company_the_file_s_siren(ledger, make_window, qtbot, tmp_path, monkeypatch):
    from app.models import Company

    with ledger.transaction() as s:
        s.scalar(select(Company)).siren = ""
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    window = make_window(ledger)
    _screen, wizard = open_wizard(window, small_fec(tmp_path))
    import_through(wizard, qtbot)
    assert asked == ["Encours ne connaît pas encore le SIREN de votre société. D'après ce fichier, c'est : SIREN "
                     "512345679.\n\nVoulez-vous compléter votre société avec ces informations ? (Modifiables ensuite "
                     "dans Paramètres.)"]
    assert "Votre société a été complétée d'après le fichier : SIREN 512345679." in wizard.summary_text.text().replace(
        "&#x27;", "'")
    with ledger.sessions() as s:
        assert s.scalar(select(Company.siren)) == "512345679"
