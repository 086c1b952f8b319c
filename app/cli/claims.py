"""``encours claim`` and ``encours tva-recuperable``: the declaration of claim of a customer in collective
proceedings (its PDF, its figures, recorded as sent with its registered-mail number) and the VAT of the
unpaid invoices of customers in liquidation, for the accountant. Their options are parsed with the others in
app.__main__; a refusal raises ``Refused`` with its French message, which app.__main__ prints (exit 1)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from app.jobs import Refused


def run_claim(db, customer_id: int, args: argparse.Namespace) -> int:
    """Write the declaration's PDF; with ``--sent``, record it as sent in the same transaction."""
    from app.domain.money import format_eur
    from app.services.claims import write_claim
    from app.services.store import commit, read

    if args.registered and args.sent is None:
        raise Refused("--registered : le n° de recommandé se note avec la date d'envoi (--sent JJ/MM/AAAA).")
    at = args.at or date.today()
    if args.sent is None:
        letter, recorded = read(db, write_claim, customer_id, at, Path(args.out))
    else:
        letter, recorded = commit(db, write_claim, customer_id, at, Path(args.out), args.sent, args.registered)
    if args.json:
        print(json.dumps({**letter.as_json(), "pdf": str(args.out), "recorded": recorded}, ensure_ascii=False,
                         indent=2))
        return 0
    print(f"Déclaration de créance de {letter.debtor.name} écrite dans {args.out} : "
          f"{format_eur(letter.claim.total)} déclarés.")
    if recorded:
        print(recorded)
    return 0


def run_vat(db, args: argparse.Namespace) -> int:
    """Write the list of the VAT to recover (.xlsx or .csv)."""
    from app.services.store import read
    from app.services.vat_recovery import write_vat_recoverable

    try:
        written = read(db, write_vat_recoverable, args.at or date.today(), Path(args.out))
    except ValueError as exc:  # a file name that is neither .xlsx nor .csv
        raise Refused(str(exc)) from None
    print(written.text())
    return 0
