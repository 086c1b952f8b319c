"""Another window or command writing: a write waits (SQLite's busy timeout, PostgreSQL's lock timeout), then
is refused in French, nothing of it written; once the other writer is done the same write succeeds."""

import pytest
from sqlalchemy import func, make_url, select, text

from app.models import Company
from app.models.db import display_name
from app.services.company import CompanyInput, save_company
from app.services.store import DatabaseBusy, commit, open_database, read
from tests.conftest import another_writer


def companies(database) -> int:
    return read(database, lambda s: s.scalar(select(func.count()).select_from(Company)))


def test_a_write_waits_then_says_another_encours_is_writing(impatient):
    with another_writer(impatient), pytest.raises(DatabaseBusy) as busy:
        commit(impatient, save_company, CompanyInput(name="Atelier Dupont"))
    assert str(busy.value) == (f"Une autre fenêtre ou commande Encours est en train d'écrire dans {impatient.name} : "
                               "réessayez dans un instant.")
    assert companies(impatient) == 0
    _company, errors = commit(impatient, save_company, CompanyInput(name="Atelier Dupont"))
    assert errors == {} and companies(impatient) == 1


def test_reading_goes_on_while_another_writes(impatient):
    commit(impatient, save_company, CompanyInput(name="Atelier Dupont"))
    with another_writer(impatient):
        assert companies(impatient) == 1


def test_the_wait_is_ten_seconds_on_every_connection(db):
    fresh = open_database(db.engine.url.render_as_string(hide_password=False))
    with fresh.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        else:
            assert conn.execute(text("SHOW lock_timeout")).scalar() == "10s"
    fresh.dispose()


def test_a_message_names_the_file_or_the_server_without_its_password():
    assert display_name(make_url("sqlite:////home/marie/encours.sqlite")) == "/home/marie/encours.sqlite"
    assert display_name(make_url("postgresql+psycopg://marie:secret@serveur/encours")) == (
        "postgresql+psycopg://marie:***@serveur/encours")
