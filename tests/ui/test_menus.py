"""The menu bar: the screens and their shortcuts, the current screen's actions, another company's file opened
in a window that replaces this one (named in the title, remembered among the recent files), and a file
already open in another window refused at once."""

from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from app.models import Company
from app.services.store import open_database


def menu(window, title):
    return next(action.menu() for action in window.menuBar().actions() if action.text().replace("&", "") == title)


def texts(qmenu):
    return [(action.text().replace("&", ""), action.shortcut().toString()) for action in qmenu.actions()
            if not action.isSeparator()]


def test_the_menus_name_the_screens_and_their_shortcuts(ledger, make_window):
    window = make_window(ledger)
    assert [action.text().replace("&", "") for action in window.menuBar().actions()] == [
        "Fichier", "Écrans", "Actions", "Aide"]
    assert texts(menu(window, "Écrans")) == [
        ("Tableau de bord", "Ctrl+1"), ("Relances", "Ctrl+2"), ("Clients", "Ctrl+3"), ("Factures", "Ctrl+4"),
        ("À rapprocher", "Ctrl+5"), ("Imports", "Ctrl+6"), ("Litiges", "Ctrl+7"), ("Paramètres", "Ctrl+8"), ("Actualiser", "F5")]
    assert texts(menu(window, "Fichier")) == [
        ("Nouvelle société…", "Ctrl+Shift+N"), ("Ouvrir…", "Ctrl+O"), ("Fichiers récents", ""),
        ("Enregistrer une copie…", ""), ("Sauvegardes…", ""), ("Importer un fichier…", "Ctrl+I"), ("Quitter", "Ctrl+Q")]
    next(a for a in menu(window, "Écrans").actions() if a.text() == "Clients").trigger()
    assert window.current_screen() is window.screens["customers"]


def test_the_actions_menu_is_the_screen_s_buttons(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("customers")
    actions = menu(window, "Actions")
    actions.aboutToShow.emit()
    assert [action.text() for action in actions.actions()] == ["Nouveau client\tCtrl+N", "Exporter…\tCtrl+E"]
    opened = []
    window.screens["customers"].open = opened.append
    actions.actions()[0].trigger()
    assert opened == [None]  # the button's own action: a new customer's card


def company_file(tmp_path, name):
    path = tmp_path / f"{name}.sqlite"
    other = open_database(str(path))
    with other.transaction() as s:
        s.add(Company(name=name, siren=""))
    other.dispose()
    return path


def test_another_company_s_file_opens_in_a_window_that_takes_this_one_s_place(ledger, make_window, tmp_path,
                                                                            monkeypatch, qtbot):
    window = make_window(ledger, location=ledger.name)
    other = company_file(tmp_path, "Boulangerie Dupain")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    next(a for a in menu(window, "Fichier").actions() if a.text() == "Ouvrir…").trigger()
    opened = [w for w in __import__("app.ui.app", fromlist=["_windows"])._windows if w is not window]
    assert len(opened) == 1 and not window.isVisible()
    new = opened[0]  # deleted once closed: closed by the test, not by qtbot
    assert new.windowTitle() == "Boulangerie Dupain — Boulangerie Dupain.sqlite"
    recent = menu(new, "Fichier").actions()[2].menu()
    recent.aboutToShow.emit()
    left = ledger.name.rsplit("/", 1)[-1] if "://" not in ledger.name else ledger.name  # a file, or a server
    assert [a.text() for a in recent.actions()] == [f"&1 {left}"]  # the data left; the one shown is not listed
    refused = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: refused.append(text))
    from app.ui.app import start_window

    assert start_window(str(other), new.settings, replacing=new) is None  # held by the new window
    assert refused == ["Boulangerie Dupain.sqlite est déjà ouvert dans une autre fenêtre d'Encours (processus "
                       f"{__import__('os').getpid()} sur {__import__('socket').gethostname()}). Deux fenêtres sur le "
                       "même fichier se gêneraient : passez à la fenêtre déjà ouverte, ou fermez-la avant d'ouvrir "
                       "ce fichier ici."]
    new.close()  # the file is free again
    again = start_window(str(other), window.settings)
    assert again is not None
    again.close()


def test_a_new_company_file_opens_on_the_welcome_screen_and_an_existing_one_is_not_overwritten(
        ledger, make_window, tmp_path, monkeypatch, qtbot):
    window = make_window(ledger)
    existing = company_file(tmp_path, "Garage Existant")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(existing), ""))
    new_company = next(a for a in menu(window, "Fichier").actions() if a.text() == "Nouvelle société…")
    new_company.trigger()
    assert said == [f"{existing} existe déjà : choisissez un autre nom, ou ouvrez-le avec Fichier > Ouvrir."]
    assert window.isVisible()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "neuve"), ""))
    new_company.trigger()
    from app.ui.app import _windows

    new = next(w for w in _windows if w is not window)
    assert (tmp_path / "neuve.sqlite").is_file() and new.pages.currentWidget() is new.welcome
    assert not next(a for a in menu(new, "Écrans").actions()).isEnabled()  # no company yet: no screens
    new.close()


def test_f1_opens_the_help_of_the_screen_shown_and_about_names_the_data(ledger, make_window, monkeypatch):
    window = make_window(ledger, location=ledger.name)
    assert texts(menu(window, "Aide")) == [("Aide sur cet écran", "F1"), ("Premiers pas", ""),
                                           ("À propos d'Encours", "")]
    window.show_screen("reminders")
    menu(window, "Aide").actions()[0].trigger()
    assert window.menus.help_window.current_page() == "relances.html"
    window.show_screen("customers")
    menu(window, "Aide").actions()[0].trigger()
    assert window.menus.help_window.current_page() == "clients.html"
    from app.ui.help import AboutDialog

    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: shown.append(dialog))
    menu(window, "Aide").actions()[-1].trigger()
    assert ledger.name in " ".join(label.text() for label in shown[0].findChildren(QLabel))
