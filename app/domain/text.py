"""How names and headers are compared: the same folding everywhere, so that the search box, the column
guesser and the customer matcher agree that "Dupont S.A.", "DUPONT SA" and "Dupont, SA" are one name."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^a-z0-9]+")
_DOTTED = re.compile(r"(?<=\b\w)\.(?=\w\b)")  # T.T.C. → ttc, S.A. → sa
LEGAL_FORMS = frozenset({"sarl", "sas", "sasu", "sa", "eurl", "sci", "snc", "scop", "ei", "eirl"})


def without_accents(text: str) -> str:
    """Lower case and no accents, punctuation kept: "Électricité" → "electricite"."""
    if text.isascii():  # nothing to decompose (most names and labels: the matcher folds 20 000 of them)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: object) -> str:
    """Text as compared: no accents, lower case, "N°" read as "no", punctuation turned to spaces, dotted
    abbreviations joined; "Dupont S.A." → "dupont sa", "Montant T.T.C." → "montant ttc"."""
    plain = without_accents(str(text).replace("°", "o ").replace("\u00ba", "o "))
    return " ".join(_PUNCTUATION.sub(" ", _DOTTED.sub("", plain)).split())


def company_key(name: str) -> str:
    """A firm's name as customers are matched on: ``fold`` without the legal form ("SARL", "S.A.")."""
    return " ".join(word for word in fold(name).split() if word not in LEGAL_FORMS)


def number_key(number: str) -> str:
    """An invoice number as numbers are told apart, in files and against the database: case and spaces do not
    count ("F 2026-001", "f2026-001" and "F2026-001" are one number); the number keeps its own spelling for
    display."""
    return "".join(number.split()).casefold()


class IsoDates(dict):
    """date -> its ISO text ("2026-11-23"), each date converted on first sight: bulk writes and row hashes
    meet the same few hundred dates a hundred thousand times. No date (None) gives ``none``."""

    def __init__(self, none: str | None = None) -> None:
        super().__init__({None: none})

    def __missing__(self, day) -> str:
        text = self[day] = day.isoformat()
        return text
