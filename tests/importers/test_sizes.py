"""A file too large to hold in memory is refused before it is loaded, with a French message (``sizes``): an
XLSX zip bomb of 10 million rows (8 MB on disk, 6 GB once loaded by calamine), a sheet decompressing beyond
the limit, a CSV or a bank statement too large. The refusal is checked to load nothing: the peak memory of a
process that is shown the bomb stays small, and the command line refuses it under a 3 GB address-space cap."""

from __future__ import annotations

import math
import resource
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from app.importers import detect, sizes, spreadsheet
from app.importers.records import UnreadableFile

ROOT = Path(__file__).resolve().parents[2]
ROW = b"<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>"  # 56 bytes
BOMB_ROWS = 10_000_000
NBSP = "\u00a0"


def _deflated(chunks: list[tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """(raw deflate data, CRC-32, size) of the chunks, each (bytes, times repeated): a repeated chunk is
    compressed once, after a full flush, whose output is then the same each time (the window is reset)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data, crc, size = [], 0, 0
    for chunk, times in chunks:
        packed = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        data.append(packed * times)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        size += len(chunk) * times
    data.append(compressor.flush())
    return b"".join(data), crc, size


def _zip(path: Path, members: dict[str, list[tuple[bytes, int]]]) -> Path:
    """A zip written by hand (``zipfile`` cannot take data already compressed): each member deflated."""
    local, central = bytearray(), bytearray()
    for name, chunks in members.items():
        data, crc, size = _deflated(chunks)
        encoded = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        local += header + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def workbook(path: Path, rows: int, dimension: str | None = "auto", row: bytes = ROW) -> Path:
    """An XLSX of one sheet, « Factures », of ``rows`` times ``row``, declaring its range (``auto``: the true
    one, None: no dimension element)."""
    if dimension == "auto":
        dimension = f"A1:C{rows}"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{main}">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>").encode()
    repeat = 10_000
    sheet = [(head, 1), (row * repeat, rows // repeat), (row, rows % repeat), (b"</sheetData></worksheet>", 1)]
    text = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="'
        '/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
        'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        f'.org/package/2006/relationships"><Relationship Id="rId1" Type="{relations}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{relations}">'
        '<sheets><sheet name="Factures" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{relations}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    }
    return _zip(path, {**{name: [(value.encode(), 1)] for name, value in text.items()},
                       "xl/worksheets/sheet1.xml": sheet})


def refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as refused:
        spreadsheet.read(path)
    return str(refused.value)


def test_the_workbook_written_here_is_one_calamine_reads(tmp_path):
    """The control: the same making with 25 001 rows gives a workbook calamine reads whole."""
    path = workbook(tmp_path / "petit.xlsx", 25_001)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Factures").to_python()
    assert len(rows) == 25_001 and rows[-1] == [1.0, 2.0, 3.0]
    sizes.check_book(path)  # well within the limits


def test_ten_million_rows_declared_are_refused_before_loading(tmp_path):
    path = workbook(tmp_path / "balance.xlsx", BOMB_ROWS)
    assert path.stat().st_size < 2_000_000  # compressed: 560 MB of XML in well under 2 MB
    assert refusal(path) == (
        f"balance.xlsx : la feuille « Factures » annonce 10{NBSP}000{NBSP}000 lignes (plage A1:C10000000), plus "
        f"que les 1{NBSP}000{NBSP}000 qu'Encours peut lire en mémoire ; exportez moins de lignes (une période plus "
        "courte) ou en CSV.")
    with pytest.raises(UnreadableFile, match="annonce 10\u00a0000\u00a0000 lignes"):
        spreadsheet.inspect(path)


def test_a_sheet_without_dimension_is_refused_by_its_decompressed_size(tmp_path):
    path = workbook(tmp_path / "balance.xlsx", BOMB_ROWS, dimension=None)
    packed = math.ceil(zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").compress_size / 1_000_000)
    assert refusal(path) == (
        f"balance.xlsx : la feuille « Factures » occupe 561 Mo une fois le fichier décompressé ({packed} Mo dans "
        "le fichier), plus que les 400 Mo qu'Encours peut lire en mémoire ; exportez moins de lignes (une période plus courte) ou "
        "en CSV.")


def test_a_lying_small_dimension_does_not_let_a_large_sheet_through(tmp_path):
    path = workbook(tmp_path / "balance.xlsx", BOMB_ROWS, dimension="A1:C3")
    assert "occupe 561 Mo une fois le fichier décompressé" in refusal(path)


def test_the_refusal_loads_nothing(tmp_path):
    """In a process of its own: detecting and reading the bomb raise the French refusal, and the peak memory
    grows by a few megabytes, not the gigabytes loading it would take."""
    path = workbook(tmp_path / "balance.xlsx", BOMB_ROWS)
    script = textwrap.dedent("""
        import resource, sys
        from pathlib import Path
        from app.importers import detect
        from app.importers.records import UnreadableFile
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            detect(Path(sys.argv[1])).read(Path(sys.argv[1]))
        except UnreadableFile as refused:
            print(refused)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
    """)
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    message, grown_kb = done.stdout.strip().splitlines()
    assert message.startswith("balance.xlsx : la feuille « Factures » annonce 10\u00a0000\u00a0000 lignes")
    assert int(grown_kb) < 50_000  # kilobytes: under 50 MB


def _capped(limit: int):
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return cap


def test_the_command_line_refuses_it_under_a_3_gb_cap_without_a_traceback(tmp_path):
    path = workbook(tmp_path / "balance.xlsx", BOMB_ROWS)
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(tmp_path / "encours.db"), "import",
                           "--dry-run", str(path)], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=_capped(3 * 1024 ** 3))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    assert "balance.xlsx : la feuille « Factures » annonce 10\u00a0000\u00a0000 lignes" in done.stderr
    assert "exportez moins de lignes (une période plus courte) ou en CSV." in done.stderr


def test_a_csv_or_a_statement_too_large_is_refused_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(sizes, "MAX_FILE_BYTES", 1_000_000)
    table = tmp_path / "factures.csv"
    table.write_text("N° facture;Date;Client;Montant TTC\n" + "F1;01/10/2026;Client;100,00\n" * 50_000)
    assert refusal(table) == ("factures.csv : le fichier fait 2 Mo, plus que les 1 Mo qu'Encours peut lire en "
                              "mémoire ; exportez moins de lignes (une période plus courte).")
    statement = tmp_path / "releve.ofx"
    statement.write_bytes(b"OFXHEADER:100\n<OFX>" + b" " * 1_500_000 + b"</OFX>")
    with pytest.raises(UnreadableFile) as refused:
        detect(statement).read(statement)
    assert str(refused.value) == ("releve.ofx : le fichier fait 2 Mo, plus que les 1 Mo qu'Encours peut lire en "
                                  "mémoire ; téléchargez le relevé d'une période plus courte.")


@pytest.mark.parametrize("size", [100, 1_048_576])
def test_sheets_within_the_limits_pass(tmp_path, size):
    """A million rows declared (Excel's sheet is 1 048 576 rows) passes up to the limit, not beyond it."""
    path = workbook(tmp_path / "b.xlsx", 10, dimension=f"A1:C{size}")
    if size <= sizes.MAX_ROWS:
        sizes.check_book(path)
    else:
        with pytest.raises(UnreadableFile, match="annonce 1\u00a0048\u00a0576 lignes"):
            sizes.check_book(path)
