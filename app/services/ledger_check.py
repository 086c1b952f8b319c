"""After a FEC import: the customers whose 411 balance at the file's closing date differs from Encours'
aging at that date (``app.domain.ledger``), named, with both amounts, so that the owner sees what the
accountant and Encours disagree on. The aging is ``services.aging``'s, as every screen shows it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ledger import LedgerGap, ledger_balances_by, ledger_gaps
from app.domain.money import format_eur, json_amount
from app.importers.records import LedgerBalance
from app.models import Customer
from app.models.db import CHUNK, chunks, plain_rows
from app.services.aging import aging_summary


@dataclass(frozen=True)
class LedgerDisagreement(LedgerGap):
    """One customer (its id) the books and Encours disagree on, at ``on``, with its name and code."""

    on: date
    name: str
    code: str

    def text(self) -> str:
        """« écart FEC / Encours au 31/12/2025 : Dupont SA (C001) : FEC 1 200,00 €, Encours 950,00 € »."""
        code = f" ({self.code})" if self.code else ""
        return (f"écart FEC / Encours au {self.on:%d/%m/%Y} : {self.name}{code} : FEC {format_eur(self.fec)}, "
                f"Encours {format_eur(self.encours)}")

    def as_json(self) -> dict:
        return {"customer": self.name, "code": self.code, "fec": json_amount(self.fec),
                "encours": json_amount(self.encours), "difference": json_amount(self.difference)}


def ledger_check(session: Session, customer_ids: Mapping[str, int],
                 balances: Iterable[LedgerBalance]) -> list[LedgerDisagreement]:
    """The disagreements between a FEC's 411 balances (by file key; ``customer_ids``: file key → customer id,
    as the import matched or created them) and Encours' aging at the FEC's closing date, largest first;
    differences under a cent are not disagreements. Only the customers of the FEC are compared."""
    balances = list(balances)
    disagreements: list[LedgerDisagreement] = []
    for on in sorted({b.on for b in balances}):  # one date per file; several if ever given several
        fec = ledger_balances_by(customer_ids, [(b.customer_key, b.amount) for b in balances if b.on == on])
        if not fec:
            continue
        aging = aging_summary(session, on, fec if len(fec) <= CHUNK else None)  # else: all, no long IN
        encours = {customer: buckets.total for customer, buckets in aging.by_customer.items()}
        gaps = ledger_gaps(fec, encours)
        names = _names(session, [gap.customer for gap in gaps])
        disagreements += [LedgerDisagreement(gap.customer, gap.fec, gap.encours, on, *names.get(gap.customer, ("", "")))
                          for gap in gaps]
    return disagreements


def _names(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    found = {}
    for chunk in chunks(ids):
        found.update((row.id, (row.name, row.code or "")) for row in plain_rows(
            session, select(Customer.id, Customer.name, Customer.code).where(Customer.id.in_(chunk))))
    return found
