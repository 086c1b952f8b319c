"""The offline help (F1) and Aide > À propos: every screen has its page, every page its pictures and working
links, and the About dialog says the version, where the data is and the licences."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import metadata

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from app.ui.help import HELP_DIR, INDEX, PAGES, AboutDialog, HelpWindow, show_help
from app.ui.main_window import SCREENS


class _Refs(HTMLParser):
    """The links and pictures of a page, and its title."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs["src"])


def refs(page: str) -> _Refs:
    parser = _Refs()
    parser.feed((HELP_DIR / page).read_text(encoding="utf-8"))
    return parser


ALL_PAGES = sorted(path.name for path in HELP_DIR.glob("*.html"))


def test_every_screen_has_a_page_with_its_picture():
    for key in (*SCREENS, "customer"):
        page = PAGES[key]
        assert (HELP_DIR / page).is_file(), key
        images = refs(page).images
        assert images, f"{page} sans capture d'écran"
        for image in images:
            assert (HELP_DIR / image).is_file(), f"{page} : {image}"
            assert (HELP_DIR / image).stat().st_size < 160_000, f"{image} trop lourde"
    assert set(PAGES.values()) == set(ALL_PAGES)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_links_resolve_and_lead_back_to_the_contents(page):
    links = refs(page).links
    internal = [link for link in links if not re.match(r"[a-z]+:", link)]
    for link in internal:
        assert (HELP_DIR / link.split("#")[0]).is_file(), f"{page} : lien mort {link}"
    if page != INDEX:
        assert INDEX in internal, f"{page} sans lien vers le Sommaire"


# The keys the window and its screens answer to (main_window, screen, the screens' buttons).
SHORTCUTS = {*(f"Ctrl+{n}" for n in range(1, 9)), "Ctrl+I", "Ctrl+F", "Ctrl+N", "Ctrl+P", "Ctrl+E", "Ctrl+S", "F1", "F5",
             "Entrée"}


@pytest.mark.parametrize("page", ALL_PAGES)
def test_pages_are_french_and_name_real_shortcuts(page):
    text = (HELP_DIR / page).read_text(encoding="utf-8")
    assert '<html lang="fr">' in text
    assert set(re.findall(r"<kbd>(.*?)</kbd>", text)) <= SHORTCUTS
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "dates JJ/MM/AAAA"


def test_the_contents_list_every_screen():
    links = refs(INDEX).links
    for key in SCREENS:
        assert PAGES[key] in links


def test_show_help_opens_the_screen_page_in_one_window(qtbot, settings):
    parent = QWidget()
    qtbot.addWidget(parent)
    window = show_help(parent, "reminders", settings)
    assert window.current_page() == "relances.html"
    assert window.isVisible() and not window.isModal()
    assert "Relances" in window.windowTitle()
    assert "mise en demeure" in window.browser.toPlainText()
    assert show_help(parent, "reconcile", settings) is window
    assert window.current_page() == "a-rapprocher.html"
    window.browser.setSource(window.browser.source().resolved("litiges.html"))
    assert window.current_page() == "litiges.html"
    window.back_button.click()
    assert window.current_page() == "a-rapprocher.html"
    show_help(parent, "nowhere", settings)
    assert window.current_page() == INDEX


def test_help_window_remembers_its_size(qtbot, settings):
    window = HelpWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    window.resize(QSize(700, 500))
    window.close()
    again = HelpWindow(None, settings)
    qtbot.addWidget(again)
    assert again.size() == QSize(700, 500)


def test_about_says_version_data_and_licences(qtbot):
    dialog = AboutDialog(None, "/home/marie/.local/share/Encours/encours.sqlite")
    qtbot.addWidget(dialog)
    text = "\n".join([dialog.heading.text(), dialog.facts.text(), dialog.licences.toPlainText()])
    assert f"Encours {metadata.version('encours')}" in text
    assert "/home/marie/.local/share/Encours/encours.sqlite" in text
    assert "Lucide" in text and "ISC" in text
    cells = dialog.licences.toPlainText().splitlines()  # the table's cells: name, version, licence

    def licence(library):
        return cells[cells.index(library) + 2]

    assert "LGPL" in licence("PySide6-Essentials")
    assert licence("SQLAlchemy") == "MIT"
    assert licence("python-stdnum").startswith("GNU Lesser General Public License")
    assert "pytest" not in cells, "only what Encours runs with"


def test_about_hides_a_server_password(qtbot):
    dialog = AboutDialog(None, "postgresql+psycopg://encours:s3cret@serveur/encours")
    qtbot.addWidget(dialog)
    assert "s3cret" not in dialog.facts.text()
    assert "encours:***@serveur/encours" in dialog.facts.text()
