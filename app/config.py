"""Where the data lives.

The database is one file in the user's data folder unless ``--db`` or ``ENCOURS_DB`` names another file
or any SQLAlchemy URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Encours"
ORG_NAME = "Encours"
DB_ENV = "ENCOURS_DB"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_database() -> str:
    return str(data_dir() / "encours.sqlite")


def database_location(cli_value: str | None = None) -> str:
    """The database to open: ``--db``, then ``ENCOURS_DB``, then the file in the user data folder."""
    return cli_value or os.environ.get(DB_ENV) or default_database()


def database_url(location: str) -> str:
    """A file path becomes a SQLite URL; anything with ``://`` is taken as a SQLAlchemy URL."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"
