"""The data files a user opens: the recent ones (remembered in the window's settings), the folder the file
dialogs start in, and the lock that keeps a second Encours window off a SQLite file already open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings

from app.config import data_dir

RECENT = 8  # files listed in Fichier > Fichiers récents
RECENT_KEY = "files/recent"


def is_file(location: str) -> bool:
    """A SQLite file (rather than a server's address)."""
    return "://" not in location


class RecentFiles:
    """The data files opened last, newest first; a file since deleted is left out."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def locations(self) -> list[str]:
        stored = self.settings.value(RECENT_KEY, []) or []
        stored = [stored] if isinstance(stored, str) else list(stored)
        return [where for where in stored if not is_file(where) or Path(where).is_file()][:RECENT]

    def add(self, location: str) -> None:
        self.settings.setValue(RECENT_KEY, [location, *(where for where in self.locations() if where != location)]
                               [:RECENT])


def default_folder(recent: RecentFiles) -> Path:
    """Where the file dialogs open: the folder of the last file opened, else the user's data folder."""
    for location in recent.locations():
        if is_file(location):
            return Path(location).parent
    return data_dir()


def lock(location: str) -> tuple[QLockFile | None, str]:
    """Hold ``location`` for this window: (the lock, "") when it is free or a server's (several users work on a
    server at once), (None, why) when another Encours window holds the file. A lock left by a window that
    crashed is taken over (Qt checks that its process is gone)."""
    if not is_file(location):
        return None, ""
    path = Path(location).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    held = QLockFile(str(path.with_name(f"{path.name}.lock")))
    held.setStaleLockTime(0)  # held as long as its window lives, however long: stale only once its process is gone
    if held.tryLock(0):
        return held, ""
    pid, host, _app = held.getLockInfo()
    return None, (f"{path.name} est déjà ouvert dans une autre fenêtre d'Encours (processus {pid} sur {host}). "
                  "Deux fenêtres sur le même fichier se gêneraient : passez à la fenêtre déjà ouverte, ou fermez-la "
                  "avant d'ouvrir ce fichier ici.")
