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

READERS = ("fec", "facturx", "spreadsheet")  # asked in this order; the spreadsheet reader takes what is left


def reader(kind: str) -> ModuleType:
    """The reader module for ``kind`` (fec, facturx, invoices)."""
    name = "spreadsheet" if kind == "invoices" else kind
    if name not in READERS:
        raise UnreadableFile(f"type d'import inconnu « {kind} » (possibles : invoices, fec, facturx)")
    return import_module(f"app.importers.{name}")


def detect(path: Path) -> ModuleType:
    """The reader that recognises ``path``; ``UnreadableFile`` when none does."""
    for name in READERS:
        module = import_module(f"app.importers.{name}")
        if module.identify(path):
            return module
    raise UnreadableFile(f"{path.name} : format non reconnu (attendu : FEC, facture Factur-X, tableau CSV, "
                         "XLSX ou ODS de factures).")
