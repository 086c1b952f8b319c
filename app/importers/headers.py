"""Finding the header of a table and checking the mapping of its columns: the step the import wizard shows
(``spreadsheet.inspect``) before any row is read, apart from loading the file (``tables``) and from reading
the values below the header (``cells``, ``rows``).

The header row is the row among the first ones whose cells name the most fields of the schema
(``columns.propose_mapping``), so titles, company name and date above the table are passed over; failing
that, the first row made only of labels, and the wizard asks for the mapping. A mapping (proposed, saved or
confirmed by the user) is checked against the headers before any row is read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.importers.cells import display
from app.importers.columns import Schema, missing_required, normalise, propose_mapping, required_label
from app.importers.records import UnreadableFile
from app.importers.values import parse_amount, parse_date

HEADER_SEARCH = 50  # rows looked at for the header
PREVIEW_ROWS = 10


@dataclass
class _Layout:
    header_index: int  # index in the rows
    headers: list[str]


def _header_names(cells: list[str], width: int) -> list[str]:
    """Column names for the wizard: the header text on one line; "Colonne 4" when blank; "Date (2)" for
    the second "Date"."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for index in range(width):
        text = " ".join(cells[index].split()) if index < len(cells) else ""
        text = text or f"Colonne {index + 1}"
        seen[text] += 1
        names.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return names


def find_header(rows: list[list[object]], schema: Schema) -> tuple[int, int]:
    """(index, score) of the row among the first ones whose cells name the most fields of the schema;
    (-1, 0) if none names any."""
    best = (-1, 0)
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        cells = [display(cell) for cell in row]
        if sum(1 for cell in cells if cell) < 2:
            continue
        score = len(propose_mapping(_header_names(cells, len(cells)), schema))
        if score > best[1]:
            best = (index, score)
    return best


def _looks_like_value(text: str) -> bool:
    try:
        parse_amount(text)
        return True
    except ValueError:
        pass
    try:
        parse_date(text)
        return True
    except ValueError:
        return False


def header_layout(rows: list[list[object]], path: Path, schema: Schema) -> _Layout:
    """Where the header is and the column names. A header naming two fields or more wins; else the first
    row made only of labels (no amount, no date) and about as wide as the widest row: the wizard then asks
    for the mapping."""
    index, score = find_header(rows, schema)
    if score < 2:
        index = -1
        filled = [[display(cell) for cell in row if display(cell)] for row in rows[:HEADER_SEARCH]]
        widest = max((len(cells) for cells in filled), default=0)
        for position, cells in enumerate(filled):
            if len(cells) >= max(2, widest // 2) and not any(_looks_like_value(cell) for cell in cells):
                index = position
                break
    if index < 0:
        raise UnreadableFile(f"{path.name} : aucune ligne d'en-tête trouvée dans les {HEADER_SEARCH} premières "
                             f"lignes (attendu une ligne de titres de colonnes : {schema.example}).")
    header = [display(cell) for cell in rows[index]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    seen = 0
    for row in rows[index + 1:]:
        cells = [display(cell) for cell in row]
        if any(cells):
            filled = len(cells)
            while filled and not cells[filled - 1]:
                filled -= 1
            width = max(width, filled)
            seen += 1
            if seen == PREVIEW_ROWS:
                break
    return _Layout(index, _header_names(header, width))


def check_mapping(path: Path, headers: list[str], header_line: int, mapping: dict[str, str],
                   schema: Schema) -> dict[str, str]:
    """The mapping with each header as the file spells it (a saved one may differ in case or accents);
    ``UnreadableFile`` for an unknown field, a column the file lacks, or a required field not placed."""
    checked: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for header in headers:
        by_key.setdefault(normalise(header), []).append(header)
    found = ", ".join(f"« {header} »" for header in headers)
    for name, header in mapping.items():
        if not header:
            continue
        if name not in schema.fields:
            raise UnreadableFile(f"{path.name} : champ inconnu « {name} » dans la correspondance des colonnes "
                                 f"(attendu : {', '.join(schema.fields)}).")
        if header not in headers:
            same = by_key.get(normalise(header), [])
            if len(same) != 1:
                raise UnreadableFile(f"{path.name} : la colonne « {header} » ({schema.fields[name]}) n'existe pas "
                                     f"dans ce fichier ; en-tête ligne {header_line} : {found}.")
            header = same[0]
        checked[name] = header
    missing = missing_required(checked, schema)
    if missing:
        labels = ", ".join(required_label(name, schema) for name in missing)
        raise UnreadableFile(f"{path.name} : colonnes introuvables : {labels} ; en-tête lu ligne {header_line} : "
                             f"{found}. Indiquez-les dans l'assistant d'import.")
    return {name: checked[name] for name in schema.fields if name in checked}
