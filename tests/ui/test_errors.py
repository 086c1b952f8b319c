"""The window's safety net: what no screen caught is said in French in a message box."""

from PySide6.QtWidgets import QMessageBox

from app.services.edits import Conflict
from app.services.store import DatabaseBusy
from app.ui import errors


def test_a_refusal_no_screen_caught_is_said_in_its_own_words(qtbot, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    for refusal in (Conflict("Ce client a été modifié par alice le 05/12/2026 à 10:02."),
                    DatabaseBusy("Une autre fenêtre ou commande Encours est en train d'écrire.")):
        errors.said(None, refusal)
    assert said == ["Ce client a été modifié par alice le 05/12/2026 à 10:02.",
                    "Une autre fenêtre ou commande Encours est en train d'écrire."]


def test_an_unexpected_error_is_said_with_its_detail(qtbot, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or 0)
    try:
        {}["manquant"]
    except KeyError as error:
        errors.said(None, error, error.__traceback__)
    ((text, detail),) = shown
    assert text == errors.UNEXPECTED and "KeyError: 'manquant'" in detail
    assert "KeyError" in capsys.readouterr().err
