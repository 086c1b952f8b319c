"""A letter is on disk only if the history records it as sent (app.services.written_files): « Annuler » in the
middle of a batch, or a transaction that does not commit, takes the letters and e-mails it wrote away with
it; a preview, which records nothing, keeps its file."""

from datetime import date

import pytest
from sqlalchemy import select

from app.jobs import Job, JobCancelled
from app.models import DunningLetter
from app.services.dunning import due_actions
from app.services.rates import save_rates
from app.services.reminders import LETTER_STEPS, letters_apart, print_letters
from app.services.store import commit, read
from tests.conftest import TODAY, chase_history


@pytest.fixture
def out(tmp_path):
    """The folder the letters go to (the test's database is in ``tmp_path``)."""
    folder = tmp_path / "lettres"
    folder.mkdir()
    return folder


@pytest.fixture
def ready(ledger):
    """Garage Petit's litigation file and Boulangerie Martin's formal notice are due; the rates are known."""
    chase_history(ledger)
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    return ledger


def letters(db):
    actions, _holds = read(db, due_actions, TODAY)
    return [a for a in actions if a.step in LETTER_STEPS]


def recorded(db) -> list[str]:
    with db.sessions() as s:
        return sorted(s.scalars(select(DunningLetter.step).where(DunningLetter.sent_on == TODAY)))


def files(folder):
    return sorted(path.name for path in folder.iterdir())


def test_the_letters_and_e_mails_written_are_kept_with_their_record(ready, out):
    results = commit(ready, letters_apart, TODAY, letters(ready), out, emails=True)
    assert recorded(ready) == ["formal_notice", "litigation"]
    written = files(out)
    assert len(written) == 3 and sum(name.endswith(".eml") for name in written) == 1  # no e-mail for a litigation file
    assert all(r.file.exists() for r in results)


def test_annuler_in_the_middle_of_a_batch_leaves_no_letter_and_no_record(ready, out):
    def cancel_after_the_first(done, _total, _label):
        if done == 1:
            job.cancel()

    job = Job(cancel_after_the_first)
    batch = letters(ready)
    assert len(batch) == 2
    with pytest.raises(JobCancelled):
        commit(ready, letters_apart, TODAY, batch, out, emails=True, job=job)
    assert files(out) == [] and recorded(ready) == []


def test_a_transaction_that_does_not_commit_takes_its_printed_letters_away(ready, out):
    def printed_then_refused(session):
        print_letters(session, TODAY, letters(ready), out / "lettres.pdf")
        assert (out / "lettres.pdf").stat().st_size > 0
        raise RuntimeError("enregistrement refusé")  # as a commit another workstation got ahead of

    with pytest.raises(RuntimeError):
        commit(ready, printed_then_refused)
    assert files(out) == [] and recorded(ready) == []


def test_a_preview_keeps_its_file_and_records_nothing(ready, out):
    read(ready, print_letters, TODAY, letters(ready), out / "aperçu.pdf", record=False)
    assert files(out) == ["aperçu.pdf"] and recorded(ready) == []


def test_a_file_of_the_same_name_stays_when_annuler_comes_before_the_letters_are_written(ready, out):
    chosen = out / "lettres.pdf"
    chosen.write_bytes(b"%PDF les lettres de la semaine passee")
    job = Job()
    job.cancel()
    with pytest.raises(JobCancelled):
        commit(ready, print_letters, TODAY, letters(ready), chosen, job=job)
    assert chosen.read_bytes() == b"%PDF les lettres de la semaine passee" and recorded(ready) == []
