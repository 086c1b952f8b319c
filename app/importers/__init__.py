"""Readers of bank and accountant files: one module per format, no database access, and the one registry that
names them.

A reader is a module that follows the ``Reader`` protocol (beangulp's importer protocol, as modules):
``KIND`` (its name for ``--as``), ``LABEL`` (French, for the wizard), ``identify(path) -> bool`` (does this
file look like mine? decided on its content, whatever its name) and ``read(path, job=NULL_JOB, **options) ->
ReadResult``. ``REGISTRY`` lists them in the order ``detect`` asks them, most specific first; everything
else (``--as``'s choices, the file dialog's filters, the history's labels, which kinds are bank statements)
is derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Protocol

from app.importers.records import ReadResult, UnreadableFile
from app.jobs import NULL_JOB, Job

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")  # a table as text
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # a workbook


class Reader(Protocol):
    """What every reader module provides."""

    KIND: str
    LABEL: str

    def identify(self, path: Path) -> bool: ...

    def read(self, path: Path, job: Job = NULL_JOB, **options: object) -> ReadResult: ...


@dataclass(frozen=True)
class Kind:
    """One kind of file: its reader module, its short French name (the history of imports, the file dialog),
    the extensions its files usually come with (the file dialog's filters only: ``identify`` decides), and
    whether it is a bank statement (lines of an account) rather than a ledger (customers and invoices)."""

    name: str
    module: str
    title: str
    suffixes: tuple[str, ...]
    statement: bool = False


REGISTRY = (  # asked in this order, most specific first; the spreadsheet reader (invoices) takes what is left
    Kind("fec", "fec", "FEC", (".txt", ".csv")),
    Kind("facturx", "facturx", "Factur-X", (".pdf", ".xml")),
    Kind("cfonb", "cfonb", "Relevé CFONB", (".cfo", ".txt"), statement=True),
    Kind("camt", "camt", "Relevé camt", (".xml",), statement=True),
    Kind("ofx", "ofx", "Relevé OFX", (".ofx", ".qfx"), statement=True),
    Kind("bank", "bank", "Relevé (tableur)", TEXT_SUFFIXES + BOOK_SUFFIXES, statement=True),
    Kind("invoices", "spreadsheet", "Tableau de factures", TEXT_SUFFIXES + BOOK_SUFFIXES),
)
BY_NAME = {kind.name: kind for kind in REGISTRY}
KINDS = tuple(BY_NAME)  # the names ``--as`` takes
STATEMENT_KINDS = frozenset(kind.name for kind in REGISTRY if kind.statement)


def reader(kind: str) -> Reader:
    """The reader module for ``kind`` (one of ``KINDS``)."""
    if kind not in BY_NAME:
        raise UnreadableFile(f"type d'import inconnu « {kind} » (possibles : {', '.join(KINDS)})")
    return import_module(f"app.importers.{BY_NAME[kind].module}")


def detect(path: Path) -> Reader:
    """The reader that recognises ``path``; ``UnreadableFile`` when none does."""
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path.name} : le fichier est vide (0 octet) ; exportez-le ou téléchargez-le à nouveau.")
    for kind in REGISTRY:
        module = reader(kind.name)
        if module.identify(path):
            return module
    raise UnreadableFile(f"{path.name} : format non reconnu (attendu : FEC, facture Factur-X, tableau CSV, "
                         "XLSX ou ODS de factures, relevé bancaire CFONB 120, camt.053 ou OFX).")
