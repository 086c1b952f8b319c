"""One consistent copy of the database into the backups folder beside the data, whoever asks: the schema
migration here in models, and the backups service (imports, undo, letters, the daily one) above.

SQLite is copied with its online backup API, which reads a snapshot while other connections keep working
(a file copy of a WAL database can miss the pages still in its -wal file); a server database goes through
``pg_dump -Fc``. The copy is written under a temporary name and renamed when complete, so that a full disk
leaves no half backup behind; a sidecar JSON file keeps what the copy came before, for the listing.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, make_url

from app.config import data_dir, database_url
from app.jobs import Refused

FOLDER = "sauvegardes"
PREFIX = "encours-"
STAMP = "%Y%m%d-%H%M%S"
SUFFIXES = {"sqlite": ".sqlite", "postgresql": ".dump"}


@dataclass(frozen=True)
class Backup:
    """One backup file: when it was taken, what it came before (« avant import de … »), its size."""

    path: Path
    taken: datetime
    reason: str
    size: int


def url_of(location: str | URL) -> URL:
    return location if isinstance(location, URL) else make_url(database_url(location))


def folder_of(location: str | URL) -> Path:
    """The ``sauvegardes`` folder beside a SQLite file; beside the user's data for a server database."""
    url = url_of(location)
    if url.get_backend_name() == "sqlite":
        return Path(url.database).parent / FOLDER
    return data_dir() / FOLDER


def live_file(url: URL) -> Path | None:
    """The SQLite file behind ``url``, or None for a server or an in-memory database (nothing to copy)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def write_backup(location: str | URL, key: str, reason: str, now: datetime | None = None,
                 out: Path | None = None) -> Backup:
    """Copy the database into ``sauvegardes/encours-AAAAMMJJ-HHMMSS-<key>.<sqlite|dump>`` (or into the file
    ``out``, which the listing then ignores); ``reason`` is the French text the listing shows. Raises a French
    ``Refused`` saying why when the copy cannot be written (full disk, folder not writable, pg_dump missing):
    the operation that asked for it must not run."""
    url = url_of(location)
    now = now or datetime.now()
    backend = url.get_backend_name()
    if backend not in SUFFIXES or (backend == "sqlite" and live_file(url) is None):
        raise Refused(f"Les données de {url.render_as_string(hide_password=True)} ne peuvent pas être sauvegardées.")
    folder = out.parent if out else folder_of(url)
    target = out or folder / f"{PREFIX}{now:{STAMP}}-{key}{SUFFIXES[backend]}"
    for second in range(2, 100):  # two backups within the same second (an import of several files)
        if out or not target.exists():
            break
        target = folder / f"{PREFIX}{now:{STAMP}}-{key}-{second}{SUFFIXES[backend]}"
    partial = target.with_name(target.name + ".partiel")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if backend == "sqlite":
            copy_sqlite(live_file(url), partial)
        else:
            _pg_dump(url, partial)
        os.replace(partial, target)
        if not out:
            target.with_suffix(".json").write_text(json.dumps({"reason": reason}, ensure_ascii=False), "utf-8")
    except (OSError, sqlite3.Error, subprocess.CalledProcessError) as exc:
        for leftover in (partial,) if out else (partial, target):  # a name of ours: nothing of the user's
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise Refused(f"La sauvegarde ({reason}) n'a pas pu être écrite dans {folder} : {_why(exc)}. "
                      "Rien n'a été fait ; libérez de la place ou rendez ce dossier accessible en écriture, "
                      "puis recommencez.") from exc
    return Backup(target, now.replace(microsecond=0), reason, target.stat().st_size)


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file (other connections may be writing), self-contained: the copy
    keeps no -wal file of its own."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def _pg_dump(url: URL, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise Refused("La sauvegarde d'une base PostgreSQL demande le programme pg_dump, introuvable sur ce poste : "
                      "installez les outils clients de PostgreSQL (paquet postgresql-client), puis recommencez.")
    subprocess.run(["pg_dump", "-Fc", "-f", str(target), *server_arguments(url)], env=server_environment(url),
                   check=True, capture_output=True, text=True)


def server_arguments(url: URL) -> list[str]:
    """How pg_dump and pg_restore reach the server of ``url`` (the password goes in the environment)."""
    arguments = ["-d", url.database or ""]
    for option, value in (("-h", url.host), ("-p", url.port), ("-U", url.username)):
        if value:
            arguments += [option, str(value)]
    return arguments


def server_environment(url: URL) -> dict[str, str]:
    return {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}


def _why(exc: Exception) -> str:
    """The reason in French: the usual ones said plainly, any other as the system gives it."""
    if isinstance(exc, subprocess.CalledProcessError):
        return (exc.stderr or "").strip() or f"pg_dump a échoué (code {exc.returncode})"
    if isinstance(exc, sqlite3.Error):
        return "le disque est plein" if "full" in str(exc).lower() else str(exc)
    return OS_REASONS.get(exc.errno, exc.strerror or str(exc))


OS_REASONS = {errno.ENOSPC: "le disque est plein",
              errno.EACCES: "ce dossier n'est pas accessible en écriture",
              errno.EPERM: "ce dossier n'est pas accessible en écriture",
              errno.EROFS: "le disque est en lecture seule",
              errno.EEXIST: "un fichier porte déjà le nom de ce dossier",
              errno.ENOTDIR: "un fichier porte déjà le nom de ce dossier"}
