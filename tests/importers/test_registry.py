"""One registry names the readers: each follows the Reader protocol and returns its family's result (a ledger
read or a statement read), and --as, the file dialog and the history derive their kinds from it."""

from pathlib import Path

import pytest

from app.importers import BY_NAME, KINDS, REGISTRY, STATEMENT_KINDS, detect, reader
from app.importers.records import LedgerRead, StatementRead, UnreadableFile

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


@pytest.mark.parametrize("kind", REGISTRY, ids=lambda kind: kind.name)
def test_each_registered_reader_follows_the_protocol(kind):
    module = reader(kind.name)
    assert module.KIND == kind.name and module.LABEL and callable(module.identify) and callable(module.read)
    assert kind.suffixes and all(suffix.startswith(".") for suffix in kind.suffixes)


def test_the_kinds_are_the_registry_s():
    assert KINDS == ("fec", "facturx", "cfonb", "camt", "ofx", "bank", "invoices")
    assert STATEMENT_KINDS == {"cfonb", "camt", "ofx", "bank"}
    with pytest.raises(UnreadableFile, match="type d'import inconnu « pdf » \\(possibles : fec, facturx"):
        reader("pdf")


def test_every_fixture_is_read_into_its_family(tmp_path):
    if not FIXTURES.is_dir():
        pytest.skip(f"fixtures absentes : {FIXTURES}")
    read = 0
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name not in ("SOURCE.txt", "README.md")):
        try:
            module = detect(path)
            result = module.read(path)
        except UnreadableFile:
            continue
        family = StatementRead if BY_NAME[module.KIND].statement else LedgerRead
        assert isinstance(result, family) and not isinstance(result, LedgerRead if family is StatementRead
                                                             else StatementRead), path.name
        assert result.kind == module.KIND
        read += 1
    assert read >= 30
