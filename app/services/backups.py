"""Backups of the data, taken before whatever could go wrong: an import, the undo of one, a schema upgrade, a
batch of letters, and once a day when the window opens the data; listed, thinned out, and restored.

The copy itself is ``app.models.backup_copy``'s (the schema migration needs it below the services); here are
the reasons a backup is taken, the listing, the retention rule (``app.domain.retention``) and the restore.
A backup that cannot be written raises a French ``Refused``: the operation that asked for it does not run.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL

from app.domain.retention import kept
from app.jobs import Refused
from app.models.backup_copy import (PREFIX, STAMP, Backup, folder_of, live_file, server_arguments,
                                    server_environment, url_of, write_backup)
from app.models.db import SCHEMA_REVISION, Database, create, migrate

__all__ = ["Backup", "REASONS", "back_up", "backups_folder", "daily_backup", "list_backups", "restore",
           "size_text"]

# what a backup came before, by the key its file name carries
REASONS = {
    "import": "avant import de {}",
    "annulation": "avant annulation d'import",
    "schema": "avant mise à jour du schéma",
    "relances": "avant impression des relances",
    "quotidienne": "quotidienne",
    "restauration": "avant restauration",
    "manuelle": "manuelle",
}
NAME = re.compile(rf"{PREFIX}(?P<taken>\d{{8}}-\d{{6}})-(?P<key>[a-z]+)(?:-\d+)?\.(?:sqlite|dump)")
NOT_A_BACKUP = "{name} n'est pas une sauvegarde Encours : rien n'a été restauré."

Location = Database | str | URL


def _url(where: Location) -> URL:
    return where.engine.url if isinstance(where, Database) else url_of(where)


def backups_folder(where: Location) -> Path:
    """Where the backups of this data go: ``sauvegardes`` beside a SQLite file, or in the user's data."""
    return folder_of(_url(where))


def back_up(where: Location, key: str, about: str = "", now: datetime | None = None,
            out: Path | None = None) -> Backup:
    """A backup of the data before the operation ``key`` of ``REASONS`` (``about``: the file imported), then
    the folder thinned out by the retention rule. ``out``: a copy written there instead, outside the folder
    (``encours backup --out``). Raises a French ``Refused`` when it cannot be written."""
    url = _url(where)
    now = now or datetime.now()
    backup = write_backup(url, key, REASONS[key].format(about).strip(), now, out)
    if out is None:
        _prune(url, now)
    return backup


def daily_backup(where: Location, now: datetime | None = None) -> str:
    """The day's backup when the window opens the data, unless one was taken today already (or the data is
    in memory). Returns "" or, when it could not be written, the French warning to show: the window opens
    all the same, the next import or letter will refuse to run without its own backup."""
    url, now = _url(where), now or datetime.now()
    if url.get_backend_name() == "sqlite" and live_file(url) is None:
        return ""
    if any(b.taken.date() == now.date() and "-quotidienne" in b.path.name for b in list_backups(url)):
        return ""
    try:
        back_up(url, "quotidienne", now=now)
    except Refused as refused:
        return str(refused)
    return ""


def list_backups(where: Location) -> list[Backup]:
    """The backups in the folder beside the data, newest first, each with what it came before."""
    folder = backups_folder(where)
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        named = NAME.fullmatch(path.name)
        if named is None:
            continue
        sidecar = path.with_suffix(".json")
        try:
            reason = json.loads(sidecar.read_text("utf-8"))["reason"]
        except (OSError, ValueError, KeyError):
            reason = REASONS.get(named["key"], named["key"]).format("").strip()
        found.append(Backup(path, datetime.strptime(named["taken"], STAMP), reason, path.stat().st_size))
    # two in the same second: the one written last first
    return sorted(found, key=lambda b: (b.taken, b.path.stat().st_mtime_ns), reverse=True)


def size_text(size: int) -> str:
    """A file's size as the listing says it: « 850 octets », « 12,4 ko », « 4,4 Mo »."""
    if size < 1000:
        return f"{size} octets"
    for unit in ("ko", "Mo", "Go"):
        size /= 1000
        if size < 1000 or unit == "Go":
            break
    return f"{size:.1f} {unit}".replace(".", ",")


def _prune(url: URL, now: datetime) -> None:
    """Remove the backups the retention rule no longer keeps (30 newest, one a month for a year)."""
    backups = list_backups(url)
    keep = kept((b.taken for b in backups), now)
    for backup in backups:
        if backup.taken not in keep:
            backup.path.unlink(missing_ok=True)
            backup.path.with_suffix(".json").unlink(missing_ok=True)


def restore(where: Location, backup_path: Path) -> Backup:
    """Put the data back as it was in ``backup_path``, after a backup of the present state (« avant
    restauration »), which is returned. SQLite: the backup API copies the file into the live database, so
    that the connections open on it read the restored data; a backup of an older schema is then upgraded.
    PostgreSQL: ``pg_restore --clean`` in one transaction. Refused, nothing changed, when ``backup_path`` is
    not an Encours backup of this kind of database."""
    url = _url(where)
    sqlite = url.get_backend_name() == "sqlite"
    _check_backup(Path(backup_path), sqlite)
    before = back_up(url, "restauration")
    if sqlite:
        with closing(sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(live_file(url))) as live:
            source.backup(live)
        if isinstance(where, Database):
            where.dispose()  # pooled connections start afresh on the restored file
        engine = create(str(live_file(url)))
        try:
            migrate(engine)
        finally:
            engine.dispose()
    else:
        _pg_restore(url, Path(backup_path))
    return before


def _check_backup(path: Path, sqlite: bool) -> None:
    """Refuse a file that is not a backup Encours wrote for this kind of database, or one of a schema newer
    than this version of Encours knows."""
    if not path.is_file():
        raise Refused(f"Le fichier {path} n'existe pas : rien n'a été restauré.")
    if not sqlite:
        with path.open("rb") as file:
            if file.read(5) != b"PGDMP":
                raise Refused(NOT_A_BACKUP.format(name=path.name))
        return
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as backup:
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = backup.execute("SELECT version_num FROM alembic_version").fetchone() \
                if {"alembic_version", "company", "invoice"} <= tables else None
    except sqlite3.Error:
        revision = None
    if revision is None:
        raise Refused(NOT_A_BACKUP.format(name=path.name))
    if revision[0] > SCHEMA_REVISION:
        raise Refused(f"{path.name} vient d'une version plus récente d'Encours : mettez Encours à jour pour la "
                      "restaurer. Rien n'a été restauré.")


def _pg_restore(url: URL, path: Path) -> None:
    if shutil.which("pg_restore") is None:
        raise Refused("La restauration d'une base PostgreSQL demande le programme pg_restore, introuvable sur ce "
                      "poste : installez les outils clients de PostgreSQL (paquet postgresql-client).")
    try:
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        *server_arguments(url), str(path)],
                       env=server_environment(url), check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as failed:
        raise Refused(f"pg_restore a refusé {path.name} ; la base est restée telle quelle : "
                      f"{failed.stderr.strip()}") from failed

