"""Backups: taken before an import (and refused, with the import, when they cannot be written), kept by the
retention rule, listed with what they came before, restored to the same figures."""

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from app.__main__ import main
from app.domain.retention import kept
from app.jobs import Refused
from app.models import Invoice
from app.models.db import SCHEMA_REVISION, open_database
from app.services.backups import back_up, backups_folder, daily_backup, list_backups, restore, size_text
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite backups (the server's need pg_dump)")

INVOICES = "Numéro;Client;Date;Échéance;Montant TTC\nF100;Garage Neuf;01/11/2026;01/12/2026;1200,00\n"


def location(db) -> str:
    return db.engine.url.database


def figures(db, capsys) -> tuple[dict, dict]:
    assert main(["--db", location(db), "kpi", "--at", "2026-11-23", "--json"]) == 0
    kpi = json.loads(capsys.readouterr().out)
    assert main(["--db", location(db), "aging", "--at", "2026-11-23", "--json"]) == 0
    return kpi, json.loads(capsys.readouterr().out)


def invoices_file(tmp_path):
    path = tmp_path / "factures.csv"
    path.write_text(INVOICES, "utf-8")
    return path


def test_a_backup_restored_gives_back_the_same_figures(ledger, tmp_path, capsys):
    before = figures(ledger, capsys)
    assert main(["--db", location(ledger), "backup"]) == 0
    said = capsys.readouterr().out
    (backup,) = list_backups(ledger)
    assert said == f"Sauvegarde écrite dans {backup.path} ({size_text(backup.size)}).\n"
    assert backup.reason == "manuelle" and backup.path.parent == tmp_path / "sauvegardes"
    assert main(["--db", location(ledger), "import", str(invoices_file(tmp_path))]) == 0
    capsys.readouterr()
    assert figures(ledger, capsys) != before
    assert main(["--db", location(ledger), "restore", str(backup.path)]) == 0
    (undone,) = [b for b in list_backups(ledger) if b.reason == "avant restauration"]
    assert capsys.readouterr().out == (f"Données restaurées depuis {backup.path}. L'état précédent est "
                                       f"sauvegardé dans {undone.path}.\n")
    assert figures(ledger, capsys) == before
    with ledger.sessions() as s:  # the window's open engine reads the restored data too
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number == "F100")) == 0


def test_an_import_is_preceded_by_a_backup_named_after_its_file(ledger, tmp_path, capsys):
    assert main(["--db", location(ledger), "import", str(invoices_file(tmp_path)), "--dry-run"]) == 0
    assert list_backups(ledger) == []  # a dry run writes nothing, and needs no backup
    assert main(["--db", location(ledger), "import", str(invoices_file(tmp_path))]) == 0
    (backup,) = list_backups(ledger)
    assert backup.reason == "avant import de factures.csv"
    assert backup.path.name.endswith("-import.sqlite") and backup.size == backup.path.stat().st_size
    with open_database(str(backup.path)).sessions() as s:  # the copy holds the data as it was before
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number == "F100")) == 0


def test_a_backup_that_cannot_be_written_stops_the_import(ledger, tmp_path, capsys):
    (tmp_path / "sauvegardes").write_text("un fichier à la place du dossier")
    assert main(["--db", location(ledger), "import", str(invoices_file(tmp_path))]) == 1
    assert capsys.readouterr().err == (
        "encours : La sauvegarde (avant import de factures.csv) n'a pas pu être écrite dans "
        f"{tmp_path / 'sauvegardes'} : un fichier porte déjà le nom de ce dossier. Rien n'a été fait ; libérez de "
        "la place ou rendez ce dossier accessible en écriture, puis recommencez.\n")
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number == "F100")) == 0


def test_restore_refuses_a_file_that_is_not_an_encours_backup(ledger, tmp_path, capsys):
    other = tmp_path / "notes.sqlite"
    other.write_text("pas une base")
    assert main(["--db", location(ledger), "restore", str(other)]) == 1
    said = capsys.readouterr().err
    assert said == "encours : notes.sqlite n'est pas une sauvegarde Encours : rien n'a été restauré.\n"
    assert list_backups(ledger) == []  # refused before the present state was even backed up


def test_one_daily_backup_a_day(ledger):
    monday = datetime(2026, 11, 23, 9, 0)
    assert daily_backup(ledger, monday) == ""
    assert daily_backup(ledger, monday + timedelta(hours=3)) == ""
    assert daily_backup(ledger, monday + timedelta(days=1)) == ""
    assert [b.reason for b in list_backups(ledger)] == ["quotidienne", "quotidienne"]


def test_two_backups_in_the_same_second_are_both_kept(ledger):
    now = datetime(2026, 11, 23, 9, 0)
    first, second = back_up(ledger, "import", "a.csv", now), back_up(ledger, "import", "b.csv", now)
    assert first.path != second.path
    assert {b.reason for b in list_backups(ledger)} == {"avant import de a.csv", "avant import de b.csv"}


def test_a_daily_backup_that_fails_is_said_not_raised(ledger, tmp_path):
    (tmp_path / "sauvegardes").write_text("")
    assert daily_backup(ledger).startswith("La sauvegarde (quotidienne) n'a pas pu être écrite")


def test_the_folder_keeps_30_backups_plus_one_a_month(ledger):
    start = datetime(2025, 6, 1, 12, 0)
    for day in range(0, 540, 6):  # every six days for a year and a half
        back_up(ledger, "manuelle", now=start + timedelta(days=day))
    backups = list_backups(ledger)
    now = start + timedelta(days=534)
    assert {b.taken for b in backups} == kept((start + timedelta(days=d) for d in range(0, 540, 6)), now)
    assert all(b.path.with_suffix(".json").exists() for b in backups)
    assert len(list(backups_folder(ledger).iterdir())) == 2 * len(backups)


def test_retention_keeps_the_30_newest_and_the_newest_of_each_of_12_months():
    now = datetime(2026, 11, 23, 12, 0)
    daily = [now - timedelta(days=d) for d in range(400)]
    keep = kept(daily, now)
    assert set(daily[:30]) <= keep
    monthly = keep - set(daily[:30])
    assert sorted((m.year, m.month, m.day) for m in monthly) == [
        (2025, 12, 31), (2026, 1, 31), (2026, 2, 28), (2026, 3, 31), (2026, 4, 30), (2026, 5, 31),
        (2026, 6, 30), (2026, 7, 31), (2026, 8, 31), (2026, 9, 30)]  # October's newest is among the 30
    assert len(keep) == 40
    assert kept(daily[:5], now) == set(daily[:5])


def test_a_backup_of_a_newer_schema_is_refused(ledger, tmp_path):
    backup = back_up(ledger, "manuelle")
    newer = open_database(str(backup.path))
    with newer.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    newer.dispose()
    assert SCHEMA_REVISION < "9999"
    with pytest.raises(Refused, match="vient d'une version plus récente d'Encours"):
        restore(ledger, backup.path)


def test_a_batch_of_letters_is_preceded_by_a_backup_a_dry_run_is_not(ledger, tmp_path, capsys):
    from tests.services.test_letters_on_record import with_rates

    with_rates(ledger)
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(tmp_path), "--dry-run"]) == 0
    assert list_backups(ledger) == []
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(tmp_path)]) == 0
    assert [b.reason for b in list_backups(ledger)] == ["avant impression des relances"]


def test_a_server_backup_says_when_pg_dump_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("app.models.backup_copy.data_dir", lambda: tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Refused) as refused:
        back_up("postgresql+psycopg://encours@127.0.0.1:5432/encours", "import", "FEC.txt")
    assert str(refused.value) == (
        "La sauvegarde d'une base PostgreSQL demande le programme pg_dump, introuvable sur ce poste : installez "
        "les outils clients de PostgreSQL (paquet postgresql-client), puis recommencez.")
    assert list(backups_folder("postgresql+psycopg://encours@127.0.0.1:5432/encours").iterdir()) == []
