"""Readers of bank and accountant files: one module per format, no database access.

Each reader module has ``KIND`` (its name for ``--as``), ``LABEL`` (French, for the wizard),
``identify(path) -> bool`` (does this file look like mine?) and ``read(path, job=NULL_JOB, **options) ->
ReadResult``. ``detect`` asks them in order, most specific first.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from app.importers.records import UnreadableFile

# asked in this order, most specific first; the spreadsheet reader (invoices) takes what is left
READERS = ("fec", "facturx", "cfonb", "camt", "ofx", "bank", "spreadsheet")
KINDS = ("invoices", "fec", "facturx", "bank", "cfonb", "camt", "ofx")  # the names ``--as`` takes
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")  # a table as text
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # a workbook
# the extensions each kind's files come with, for the file dialog (a reader recognises a file by its content,
# ``identify``, whatever its name)
SUFFIXES = {"invoices": TEXT_SUFFIXES + BOOK_SUFFIXES, "fec": (".txt", ".csv"), "facturx": (".pdf", ".xml"),
            "bank": TEXT_SUFFIXES + BOOK_SUFFIXES, "cfonb": (".cfo", ".txt"), "camt": (".xml",),
            "ofx": (".ofx", ".qfx")}


def reader(kind: str) -> ModuleType:
    """The reader module for ``kind`` (one of ``KINDS``)."""
    name = "spreadsheet" if kind == "invoices" else kind
    if name not in READERS:
        raise UnreadableFile(f"type d'import inconnu « {kind} » (possibles : {', '.join(KINDS)})")
    return import_module(f"app.importers.{name}")


def detect(path: Path) -> ModuleType:
    """The reader that recognises ``path``; ``UnreadableFile`` when none does."""
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path.name} : le fichier est vide (0 octet) ; exportez-le ou téléchargez-le à nouveau.")
    for name in READERS:
        module = import_module(f"app.importers.{name}")
        if module.identify(path):
            return module
    raise UnreadableFile(f"{path.name} : format non reconnu (attendu : FEC, facture Factur-X, tableau CSV, "
                         "XLSX ou ODS de factures, relevé bancaire CFONB 120, camt.053 ou OFX).")
