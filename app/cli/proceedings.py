"""``encours proceedings CODE_CLIENT``: a customer's collective proceedings recorded from the command line (as
from its card, in one transaction), or shown with their deadlines when no option is given. Kept out of
``app.__main__``, which only parses the arguments and hands them here."""

from __future__ import annotations

import argparse
import json
from datetime import date

RECORDING_OPTIONS = ("kind", "judgment", "published", "court", "reference", "mandataire", "mandataire_address",
                     "mandataire_email", "plan", "closed")


def add_parser(verbs, parse_date) -> None:
    """The verb's arguments, on the parser ``app.__main__`` builds."""
    verb = verbs.add_parser("proceedings", help="procédure collective d'un client (sauvegarde, redressement, "
                                                "liquidation) : l'affiche avec ses délais, ou l'enregistre")
    verb.add_argument("code", metavar="CODE_CLIENT", help="code du client")
    verb.add_argument("--kind", choices=("sauvegarde", "redressement", "liquidation"), help="nature de la procédure")
    for option, meaning in (("--judgment", "date du jugement d'ouverture"),
                            ("--published", "date de publication au BODACC (les délais en courent)"),
                            ("--plan", "date d'adoption du plan"), ("--closed", "date de clôture")):
        verb.add_argument(option, type=parse_date, metavar="JJ/MM/AAAA", help=meaning)
    verb.add_argument("--court", default="", metavar="TRIBUNAL", help="tribunal")
    verb.add_argument("--reference", default="", metavar="REF", help="référence (n° RG)")
    verb.add_argument("--mandataire", default="", metavar="NOM", help="mandataire judiciaire ou liquidateur")
    verb.add_argument("--mandataire-address", default="", metavar="ADRESSE", help="son adresse")
    verb.add_argument("--mandataire-email", default="", metavar="E-MAIL", help="son e-mail")
    verb.add_argument("--abroad", action="store_true", help="créancier à l'étranger ou outre-mer (quatre mois)")
    verb.add_argument("--at", type=parse_date, default=None, metavar="JJ/MM/AAAA",
                      help="date du jour (défaut : aujourd'hui)")
    verb.add_argument("--json", action="store_true", help="sortie JSON")


def run(db, args: argparse.Namespace, unknown_code: str, user_error: type[Exception]) -> int:
    """Record the proceedings when options are given (``--kind`` and ``--judgment`` then required), then show
    what is recorded at the date."""
    from app.services.history import customer_by_code
    from app.services.proceedings import ProceedingInput, proceeding_view, record_proceeding
    from app.services.store import commit, read

    today = args.at or date.today()
    customer = read(db, customer_by_code, args.code)
    if customer is None:
        raise user_error(unknown_code.format(code=args.code))
    said = ""
    if any(getattr(args, name) for name in RECORDING_OPTIONS) or args.abroad:
        if args.kind is None or args.judgment is None:
            raise user_error("pour enregistrer une procédure, --kind et --judgment sont nécessaires.")
        given = ProceedingInput(args.kind, args.judgment, args.published, args.court, args.reference,
                                args.mandataire, args.mandataire_address, args.mandataire_email,
                                args.abroad, args.plan, args.closed)
        said = commit(db, record_proceeding, customer.id, given, today)
    view = read(db, proceeding_view, customer.id, today)
    if args.json:
        print(json.dumps({"customer": args.code, "recorded": said or None,
                          "proceeding": view.as_json() if view else None}, ensure_ascii=False, indent=2))
    elif view is None:
        print(f"{customer.name} : aucune procédure collective en cours.")
    else:
        print("\n".join(([said] if said else [customer.name]) + view.lines() + view.deadline_lines()))
    return 0
