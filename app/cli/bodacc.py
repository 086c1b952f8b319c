"""``encours bodacc check [--apply CODE_CLIENT] [--json]``: the customers' SIRENs checked against the BODACC
now. Typing the command is the owner's demand, so it asks the BODACC even when the weekly check is off (and
says so); ``--apply`` is the owner's confirmation, on the command line, of what is proposed for one customer.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from app.domain.bodacc import Proposal
from app.jobs import Refused
from app.services.bodacc import BodaccResult, apply_proposal, check
from app.services.store import commit


def run_bodacc(db, at: date, apply_code: str | None, as_json: bool) -> int:
    """Check, then record the proposals of ``apply_code``'s customer if given; exit 1 when nothing could be
    checked (each failure said on stderr)."""
    result = check(db, at, on_demand=True)
    applied = []
    if apply_code:
        chosen = [p for p in result.proposals if p.customer.code.casefold() == apply_code.casefold()]
        if not chosen:
            raise Refused(f"aucun jugement du BODACC n'est à enregistrer pour le client « {apply_code} ».")
        applied = commit(db, lambda session: [apply_proposal(session, p, at) for p in chosen])
    for failure in result.failures:
        print(f"encours : {failure}", file=sys.stderr)
    if as_json:
        print(json.dumps({"weekly": result.weekly, "checked": result.checked, "asked": result.asked,
                          "failures": result.failures, "proposals": [_as_json(p) for p in result.proposals],
                          "applied": applied}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_lines(result, applied)))
    return 1 if result.failed else 0


def _as_json(proposal: Proposal) -> dict:
    a = proposal.announcement
    return {"customer": proposal.customer.name, "code": proposal.customer.code, "siren": a.siren,
            "change": a.change.value, "kind": a.kind.value if a.kind else None,
            "judgment_on": a.judgment_on.isoformat(), "published_on": a.published_on.isoformat(),
            "court": a.court, "nature": a.nature, "number": a.number, "url": a.url}


def _lines(result: BodaccResult, applied: list[str]) -> list[str]:
    lines = [] if result.weekly else [
        "La vérification hebdomadaire est désactivée (Paramètres › BODACC) : vérification faite à votre demande."]
    lines.append(f"{result.checked} SIREN vérifié(s), dont {result.asked} demandé(s) au BODACC aujourd'hui "
                 "(les autres l'ont été dans la semaine).")
    if applied:
        lines += ["Enregistré :", *(f"  {said}" for said in applied)]
    elif result.proposals:
        lines.append("Jugements publiés au BODACC et non enregistrés (rien n'est enregistré sans votre accord) :")
        for proposal in result.proposals:
            a = proposal.announcement
            lines += [f"  {proposal.text}", f"    « {a.nature} »" + (f" {a.url}" if a.url else "")]
        lines.append("Pour les enregistrer : encours bodacc check --apply CODE_CLIENT")
    elif not result.failed:
        lines.append("Aucun jugement nouveau.")
    return lines
