"""Two users at the same moment, each in a thread of its own with its own session, on SQLite (one writer at a time:
the other waits for the lock) and on PostgreSQL (``make test-postgresql``: both write at once, the database
arbitrates). Barriers line the threads up at the point where they collide; nothing is timed."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal as D

from sqlalchemy import func, select

from app.domain.terms import PaymentTerms, TermsKind
from app.models import Customer, Event, Invoice
from app.services import customers, imports
from app.services.customers import customer_input, save_customer
from app.services.edits import Conflict
from app.services.imports import import_file
from app.services.store import commit, read
from tests.conftest import TODAY

WAIT = 120  # seconds a thread waits for the other at a barrier before the test fails, rather than hang


def in_threads(*work) -> list:
    """Run each callable in a thread of its own; what each returned, or the exception it raised."""
    results: list = [None] * len(work)

    def run(i, job) -> None:
        try:
            results[i] = job()
        except Exception as exc:  # the test looks at it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    return results


def meet_before(monkeypatch, module, name: str, parties: int = 2) -> None:
    """Each thread calling ``module.name`` waits there until the others have reached it too."""
    barrier, original = threading.Barrier(parties, timeout=WAIT), getattr(module, name)

    def met(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, met)


def invoices_file(path, prefix: str, codes: list[str]):
    lines = ["N° facture;Date;Échéance;Code client;Client;Montant TTC"]
    lines += [f"{prefix}-{i:04d};01/10/2026;31/10/2026;{code};Client {code} SARL;1 200,00"
              for i, code in enumerate(codes)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_imports_of_500_shared_new_customer_codes_at_once_create_each_customer_once(db, tmp_path, acting,
                                                                                        monkeypatch):
    first = [f"C{n:04d}" for n in range(1, 601)]
    second = [f"C{n:04d}" for n in range(101, 701)]  # C0101 to C0600 in both files
    files = invoices_file(tmp_path / "agence-nord.csv", "FN", first), invoices_file(tmp_path / "agence-sud.csv", "FS",
                                                                                     second)
    if db.engine.dialect.name == "postgresql":  # both have read the customers they know, and found none of them
        meet_before(monkeypatch, imports._Import, "customers")
    else:  # SQLite: the second waits for the first's write lock, then sees its customers
        meet_before(monkeypatch, imports, "read_file")

    def run(path, user):
        def job():
            acting(user)
            with db.transaction() as s:
                return import_file(s, path, today=TODAY)
        return job

    north, south = in_threads(run(files[0], "alice"), run(files[1], "bob"))
    assert not isinstance(north, Exception) and not isinstance(south, Exception), (north, south)
    assert (north.errors, south.errors) == ([], [])
    assert north.created["customers"] + south.created["customers"] == 700
    assert (north.created["invoices"], south.created["invoices"]) == (600, 600)
    with db.sessions() as s:
        codes = s.execute(select(Customer.code, func.count()).group_by(Customer.code)).all()
        assert sorted(codes) == [(f"C{n:04d}", 1) for n in range(1, 701)]
        billed = dict(s.execute(select(Invoice.number, Customer.code).join(Customer)).all())
    expected = {f"FN-{i:04d}": code for i, code in enumerate(first)} | {f"FS-{i:04d}": code
                                                                         for i, code in enumerate(second)}
    assert billed == expected  # each invoice on the one customer of its code, whichever import created it


def test_two_users_saving_one_customer_at_once_the_second_is_told_who_saved_first(ledger, acting, monkeypatch):
    petit = read(ledger, lambda s: s.scalar(select(Customer.id).where(Customer.name == "Garage Petit")))
    loaded = read(ledger, customer_input, petit)  # the card open on two workstations
    meet_before(monkeypatch, customers, "claim")  # both past their checks, both saving now
    changes = {"alice": replace(loaded, terms=PaymentTerms(TermsKind.NET, 45)),
               "bob": replace(loaded, credit_limit=D("20000"))}

    def save(user):
        def job():
            acting(user)
            return commit(ledger, save_customer, changes[user], petit, TODAY)
        return job

    results = dict(zip(changes, in_threads(save("alice"), save("bob"))))
    refused = [user for user, result in results.items() if isinstance(result, Conflict)]
    assert len(refused) == 1, results
    loser = refused[0]
    winner = next(user for user in changes if user != loser)
    assert not isinstance(results[winner], Exception), results[winner]
    assert str(results[loser]).startswith(f"Ce client a été modifié par {winner} le ")
    saved = read(ledger, customer_input, petit)
    assert (saved.terms.days, saved.credit_limit) == ((45, D("1500.00")) if winner == "alice" else (30, D("20000.00")))
    with ledger.sessions() as s:
        authors = s.scalars(select(Event.user).where(Event.customer_id == petit)).all()
    assert authors == [winner]  # the refused save left no event either
