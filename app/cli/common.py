"""What every verb of the command line shares: the French error a user can fix, the dates it reads, the
database it opens (and never creates when the verb only reads)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path


class UserError(Exception):
    """A problem the user can fix: printed in French on stderr, exit code 1, no traceback."""


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)")


def opened(location: str):
    """Open the database (creating it when it is a new file); a failure to open it (not a database, a folder
    that cannot be written, a server that does not answer) is said plainly."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.services.store import open_database

    try:
        return open_database(location)
    except SQLAlchemyError as exc:
        raise UserError(f"impossible d'ouvrir la base de données {location} ({exc.__class__.__name__}). "
                        "Vérifiez le chemin ou l'URL passés à --db.") from None


def existing_database(location: str):
    """Open a database that must already exist: a verb that only reads never creates an empty file."""
    if "://" not in location and not Path(location).expanduser().exists():
        raise UserError(f"le fichier de données {location} n'existe pas. Vérifiez --db (ou ENCOURS_DB), ou créez "
                        "la société de démonstration avec « encours --db FICHIER demo ».")
    return opened(location)
