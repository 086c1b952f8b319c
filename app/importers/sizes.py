"""How big a file the readers take. A reader holds the whole file in memory (calamine loads a whole sheet, the
text readers the whole text), so a file whose size or declared number of rows would exceed what a desktop
can hold is refused before it is loaded, with a French message naming the file, the figures and what to do,
rather than the process dying (an 8 MB XLSX can hold 10 million repeated rows: 6 GB once loaded).

A workbook (XLSX, ODS) is a zip: its directory gives each member's decompressed size (``ZipInfo.file_size``),
and each XLSX worksheet opens with the range it declares (``<dimension ref="A1:J10000000"/>``), read by
decompressing the start of the member only. A text file (CSV, OFX, CFONB, camt...) is checked by its size on
disk. What is not checked: a zip whose directory lies about the decompressed sizes.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

from app.importers.records import UnreadableFile

MB = 1_000_000
MAX_ROWS = 1_000_000  # rows a sheet may declare (Excel's own limit is 1 048 576)
MAX_XML_BYTES = 400 * MB  # a sheet's XML once decompressed (about three times as much once loaded)
MAX_FILE_BYTES = 100 * MB  # a file read whole: a text table, a bank statement, an XLS
HEAD_BYTES = 65536  # what is decompressed of a worksheet to find its dimension
TABLE_ADVICE = "exportez moins de lignes (une période plus courte) ou en CSV"
TEXT_ADVICE = "exportez moins de lignes (une période plus courte)"

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_LAST_ROW = re.compile(r"[A-Za-z]*\$?([0-9]+)\s*$")
_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*?>")
_ATTRIBUTE = re.compile(r"([\w:]+)=\"([^\"]*)\"")
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def _count(number: int) -> str:
    """1 000 000, as French writes it (non-breaking spaces)."""
    return f"{number:,}".replace(",", "\u00a0")


def _megabytes(size: int) -> str:
    """A size in whole megabytes, rounded up (a file just over the limit is not said to be at it)."""
    return _count(math.ceil(size / MB))


def check_file(path: Path, advice: str = TEXT_ADVICE) -> None:
    """``UnreadableFile`` when ``path`` is larger than ``MAX_FILE_BYTES``; nothing when it cannot be sized
    (the reader then says why it cannot open it)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path.name} : le fichier fait {_megabytes(size)} Mo, plus que les "
                             f"{_megabytes(MAX_FILE_BYTES)} Mo qu'Encours peut lire en mémoire ; {advice}.")


def check_book(path: Path) -> None:
    """``UnreadableFile`` when a sheet of the workbook ``path`` declares more than ``MAX_ROWS`` rows or
    decompresses to more than ``MAX_XML_BYTES`` (its shared texts too); a workbook that is not a zip (XLS)
    is checked by its size. Nothing when the zip cannot be read: calamine then says what is wrong."""
    path = Path(path)
    try:
        if not zipfile.is_zipfile(path):
            check_file(path, TABLE_ADVICE)
            return
        with zipfile.ZipFile(path) as book:
            names = _sheet_names(book)
            for info in book.infolist():
                if _WORKSHEET.fullmatch(info.filename):
                    where = f"la feuille « {names.get(info.filename, info.filename.rsplit('/', 1)[-1][:-4])} »"
                elif info.filename == "content.xml":  # ODS: every sheet
                    where = "le contenu du classeur"
                elif info.filename == "xl/sharedStrings.xml":
                    where = "le texte des cellules"
                else:
                    continue
                if _WORKSHEET.fullmatch(info.filename):
                    _check_dimension(path, book, info, where)
                if info.file_size > MAX_XML_BYTES:
                    raise UnreadableFile(
                        f"{path.name} : {where} occupe {_megabytes(info.file_size)} Mo une fois le fichier "
                        f"décompressé ({_megabytes(info.compress_size)} Mo dans le fichier), plus que les "
                        f"{_megabytes(MAX_XML_BYTES)} Mo qu'Encours peut lire en mémoire ; {TABLE_ADVICE}.")
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError):
        return  # damaged, encrypted or unusual: calamine's message says it


def _check_dimension(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    with book.open(info) as member:
        head = member.read(HEAD_BYTES)  # decompresses what these bytes need, not the member
    found = _DIMENSION.search(head)
    if found is None:
        return
    reference = found.group(1).decode("ascii", "replace")
    last = _LAST_ROW.search(reference)
    rows = int(last.group(1)) if last else 0
    if rows > MAX_ROWS:
        raise UnreadableFile(f"{path.name} : {where} annonce {_count(rows)} lignes (plage {reference[:40]}), plus "
                             f"que les {_count(MAX_ROWS)} qu'Encours peut lire en mémoire ; {TABLE_ADVICE}.")


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """{member: sheet name} of an XLSX, from its workbook and its relationships (when small enough)."""
    try:
        workbook, relations = (book.getinfo(name) for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    if max(workbook.file_size, relations.file_size) > MB:
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", book.read(relations).decode("utf-8", "replace")):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = attributes.get("Target", "")
        targets[attributes.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for tag in _SHEET.findall(book.read(workbook).decode("utf-8", "replace")):
        attributes = {key.rsplit(":", 1)[-1]: value for key, value in _ATTRIBUTE.findall(tag)}
        if attributes.get("id") in targets:
            names[targets[attributes["id"]]] = _unescaped(attributes.get("name", ""))
    return names


def _unescaped(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))
