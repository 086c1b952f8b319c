"""Entry point ``encours`` (and ``python -m app``): the window, or a command-line verb.

Heavy modules load inside the verb that needs them, so that ``encours`` alone opens the window fast.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import os
import sys
from datetime import date
from pathlib import Path

from app.cli import proceedings
from app.cli.common import UserError, existing_database, opened, parse_date
from app.cli.imports import run_import
from app.config import DB_ENV, database_location
from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep
from app.importers import KINDS
from app.jobs import Refused


def _process_ends() -> None:
    """The window closed or the command done: the databases opened are closed (a SQLite file's -wal journal
    is folded back into it: it stayed beside the file after the window closed), then Python's last
    collections are told to leave the objects still alive (``gc.freeze``): they walked every one of them to
    free what the end of the process frees anyway, a second after a dashboard of 1 000 000 invoices."""
    db = sys.modules.get("app.models.db")  # none opened when it was never imported (``encours --help``)
    if db is not None:
        db.close_databases()
    gc.freeze()


atexit.register(_process_ends)

ARGPARSE_FRENCH = {
    "usage: ": "usage : ",
    "positional arguments": "commandes",
    "options": "options",
    "show this help message and exit": "affiche cette aide",
    "%(prog)s: error: %(message)s\n": "%(prog)s : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix inconnu %(value)r (possibles : %(choices)s)",
    "expected one argument": "une valeur est attendue après cette option",
    "the following arguments are required: %s": "il manque : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s (%(matches)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
}


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse speaking French: its texts go through ``argparse._`` (gettext), which is pointed at
    ``ARGPARSE_FRENCH``; a usage error exits with code 1 like every other error of the program."""

    def __init__(self, *args, **kwargs) -> None:
        argparse._ = lambda text: ARGPARSE_FRENCH.get(text, text)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog} : {message}\n")


UNKNOWN_CODE = ("aucun client n'a le code « {code} » (la liste des clients, avec leurs codes, est dans l'écran "
                "Clients).")
# the steps ``reminded`` records (app.services.outside_reminders.OUTSIDE_STEPS, without loading the database)
OUTSIDE_STEP_NAMES = {step.value: DUNNING_STEP_LABELS[step].lower() for step in (
    DunningStep.FIRST_REMINDER, DunningStep.SECOND_REMINDER, DunningStep.PHONE_CALL, DunningStep.FORMAL_NOTICE)}
COMPANY_OPTIONS = {"name": "raison sociale", "siren": "SIREN ou SIRET (clé vérifiée)", "address": "adresse",
                   "postcode": "code postal", "city": "ville", "email": "e-mail", "phone": "téléphone",
                   "iban": "IBAN imprimé sur les lettres (clé vérifiée)"}


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="encours", description="Encours : créances clients, relances et trésorerie.")
    parser.add_argument("--db", help=f"fichier de données ou URL SQLAlchemy (sinon ${DB_ENV}, "
                                     "sinon le dossier de données de l'utilisateur)")
    verbs = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    demo = verbs.add_parser("demo", help="crée la société de démonstration")
    demo.add_argument("--seed", type=int, default=1, help="graine du générateur (défaut : 1)")
    demo.add_argument("--today", type=parse_date, default=None, help="date du jour simulée")
    aging = verbs.add_parser("aging", help="balance âgée")
    aging.add_argument("--at", type=parse_date, default=None, help="date de la balance (défaut : aujourd'hui)")
    aging.add_argument("--json", action="store_true", help="sortie JSON")
    imp = verbs.add_parser("import", help="importe des fichiers (factures, FEC, Factur-X, relevés bancaires)")
    imp.add_argument("files", nargs="+", metavar="FICHIER", help="fichier(s) à importer")
    imp.add_argument("--as", dest="kind", choices=KINDS,
                     help="type de fichier (sinon détecté)")
    imp.add_argument("--mapping", help="nom d'une correspondance de colonnes enregistrée")
    imp.add_argument("--account", metavar="IBAN_OU_RIB",
                     help="compte d'un relevé qui n'en nomme aucun (retenu pour les relevés présentés de même)")
    imp.add_argument("--dry-run", action="store_true", help="montre ce qui serait importé, sans rien écrire")
    imp.add_argument("--valid-rows", action="store_true",
                     help="importe les lignes valides d'un fichier qui contient des erreurs")
    imp.add_argument("--as-of", type=parse_date, default=None,
                     help="date à laquelle le fichier donne ses montants réglés / restant dus (défaut : la date du "
                          "fichier)")
    imp.add_argument("--importer-quand-meme", dest="force_company", action="store_true",
                     help="importe un FEC ou une facture Factur-X même s'il nomme une autre société que la vôtre "
                          "(refusé sinon)")
    imp.add_argument("--json", action="store_true", help="sortie JSON")
    kpi = verbs.add_parser("kpi", help="indicateurs de la semaine (DSO, taux de retard, alertes...)")
    forecast = verbs.add_parser("forecast", help="prévision d'encaissements sur 13 semaines")
    for verb in (kpi, forecast):
        verb.add_argument("--at", type=parse_date, default=None, help="date de calcul (défaut : aujourd'hui)")
        verb.add_argument("--json", action="store_true", help="sortie JSON")
    report = verbs.add_parser("report", help="rapport imprimable")
    report.add_argument("kind", choices=("weekly",), help="weekly : le rapport hebdomadaire en PDF")
    report.add_argument("--at", type=parse_date, default=None, help="date du rapport (défaut : aujourd'hui)")
    report.add_argument("--out", required=True, help="fichier PDF à écrire")
    remind = verbs.add_parser("remind", help="relances du jour : lettres écrites et enregistrées")
    remind.add_argument("--at", type=parse_date, default=None, help="date des relances (défaut : aujourd'hui)")
    remind.add_argument("--out", default=".", help="dossier où écrire les lettres PDF (défaut : le dossier courant)")
    remind.add_argument("--dry-run", action="store_true", help="montre les relances sans rien écrire ni enregistrer")
    remind.add_argument("--eml", action="store_true", help="écrit aussi un e-mail (.eml) par lettre, PDF joint")
    remind.add_argument("--json", action="store_true", help="sortie JSON")
    reminded = verbs.add_parser("reminded", help="enregistre une relance déjà envoyée hors Encours : les relances "
                                                 "continuent à partir d'elle")
    reminded.add_argument("codes", nargs="+", metavar="CODE_CLIENT", help="code(s) du ou des clients relancés")
    reminded.add_argument("--step", required=True, choices=OUTSIDE_STEP_NAMES,
                          help="l'étape faite : " + ", ".join(f"{step} ({label})"
                                                             for step, label in OUTSIDE_STEP_NAMES.items()))
    reminded.add_argument("--on", required=True, type=parse_date, metavar="JJ/MM/AAAA", help="date de la relance")
    reminded.add_argument("--registered", default="", metavar="NUMERO",
                          help="n° de la lettre recommandée d'une mise en demeure")
    reminded.add_argument("--at", type=parse_date, default=None, help="date du jour (défaut : aujourd'hui)")
    reminded.add_argument("--json", action="store_true", help="sortie JSON")
    late = verbs.add_parser("penalties", help="pénalités de retard d'une facture (art. L441-10)")
    late.add_argument("number", metavar="NUMERO_FACTURE", help="numéro de la facture")
    late.add_argument("--at", type=parse_date, default=None, help="date de calcul (défaut : aujourd'hui)")
    late.add_argument("--json", action="store_true", help="sortie JSON")
    company = verbs.add_parser("company", help="votre société : l'affiche, ou enregistre les champs donnés")
    for field, meaning in COMPANY_OPTIONS.items():
        company.add_argument(f"--{field}", help=meaning)
    company.add_argument("--json", action="store_true", help="sortie JSON")
    proceedings.add_parser(verbs, parse_date)
    history = verbs.add_parser("history", help="historique d'un client : imputations, statuts, modifications…")
    history.add_argument("code", metavar="CODE_CLIENT", help="code du client")
    history.add_argument("--json", action="store_true", help="sortie JSON")
    statement = verbs.add_parser("statement", help="relevé de compte d'un client en PDF")
    statement.add_argument("code", metavar="CODE_CLIENT", help="code du client")
    statement.add_argument("--at", type=parse_date, default=None, help="date du relevé (défaut : aujourd'hui)")
    statement.add_argument("--out", required=True, help="fichier PDF à écrire")
    claim = verbs.add_parser("claim", help="déclaration de créance d'un client en procédure collective, en PDF")
    claim.add_argument("code", metavar="CODE_CLIENT", help="code du client")
    claim.add_argument("--out", required=True, help="fichier PDF à écrire")
    claim.add_argument("--at", type=parse_date, default=None, metavar="JJ/MM/AAAA",
                       help="date de la lettre (défaut : aujourd'hui)")
    claim.add_argument("--sent", type=parse_date, default=None, metavar="JJ/MM/AAAA",
                       help="l'enregistre comme envoyée ce jour-là (le délai de déclaration ne s'affiche plus)")
    claim.add_argument("--registered", default="", metavar="NUMERO", help="n° de la lettre recommandée envoyée")
    claim.add_argument("--json", action="store_true", help="sortie JSON (les montants, les garanties, les délais)")
    vat = verbs.add_parser("tva-recuperable", help="TVA des factures impayées des clients en liquidation "
                                                   "judiciaire (CGI art. 272), pour l'expert-comptable")
    vat.add_argument("--out", required=True, help="fichier .xlsx ou .csv à écrire")
    vat.add_argument("--at", type=parse_date, default=None, metavar="JJ/MM/AAAA",
                     help="date de la liste (défaut : aujourd'hui)")
    backup = verbs.add_parser("backup", help="sauvegarde les données (dossier « sauvegardes » à côté d'elles)")
    backup.add_argument("--out", help="fichier où écrire la sauvegarde, au lieu du dossier des sauvegardes")
    restore = verbs.add_parser("restore", help="remet les données d'une sauvegarde (l'état présent est sauvegardé "
                                               "d'abord)")
    restore.add_argument("file", metavar="FICHIER", help="la sauvegarde à restaurer")
    shot = verbs.add_parser("screenshot", help="capture d'un écran en 1280×800")
    shot.add_argument("view", help="dashboard, customers, customer, invoices, reminders, imports, disputes, settings, welcome")
    shot.add_argument("--out", required=True, help="fichier PNG à écrire")
    export = verbs.add_parser("export", help="le tableau d'un écran en XLSX ou CSV, tel qu'il s'affiche")
    export.add_argument("view", help="customers, invoices, reminders, held, reconcile, disputes, imports, kpi, calls, "
                                     "aging")
    export.add_argument("--out", required=True, help="fichier .xlsx ou .csv à écrire")
    bodacc = verbs.add_parser("bodacc", help="procédures collectives de vos clients au BODACC (Internet, à la demande)")
    bodacc.add_argument("action", choices=("check",), help="check : vérifie maintenant les SIREN de vos clients")
    bodacc.add_argument("--apply", metavar="CODE_CLIENT", help="enregistre les jugements proposés pour ce client")
    bodacc.add_argument("--at", type=parse_date, default=None, help="date du jour (défaut : aujourd'hui)")
    bodacc.add_argument("--json", action="store_true", help="sortie JSON")
    return parser


def run_demo(location: str, seed: int, today: date | None) -> int:
    from app.services.demo import create_demo_company
    from app.services.store import commit

    db = opened(location)
    try:
        summary = commit(db, create_demo_company, today=today or date.today(), seed=seed)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(f"Société de démonstration créée dans {location} : {summary.customers} clients, "
          f"{summary.invoices} factures, {summary.credit_notes} avoirs, {summary.payments} règlements.")
    print(f"Relevé bancaire des 13 dernières semaines : {summary.bank.text()}.")
    return 0


def run_aging(location: str, at: date | None, as_json: bool) -> int:
    from app.domain.aging import BUCKET_LABELS, BUCKETS
    from app.domain.money import format_eur, json_amount
    from app.services.aging import aging_at
    from app.services.store import read

    report = read(existing_database(location), aging_at, at or date.today())
    balance = report.balance
    customers = sorted(balance.by_customer.items(), key=lambda kv: (-kv[1].total, report.names.get(kv[0], "")))
    if as_json:
        print(json.dumps({
            "at": balance.at.isoformat(),
            "total": json_amount(balance.total.total),
            "buckets": {b: json_amount(balance.total[b]) for b in BUCKETS},
            "customers": [{"name": report.names[cid], "siren": report.sirens[cid],
                           "total": json_amount(owed.total),
                           "buckets": {b: json_amount(owed[b]) for b in BUCKETS}} for cid, owed in customers],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"Balance âgée au {balance.at:%d/%m/%Y}")
    for bucket in BUCKETS:
        print(f"  {BUCKET_LABELS[bucket]:<14}{format_eur(balance.total[bucket]):>18}")
    print(f"  {'Total':<14}{format_eur(balance.total.total):>18}")
    return 0


def run_cockpit(location: str, verb: str, at: date | None, as_json: bool) -> int:
    """``kpi`` and ``forecast``: the figures of the dashboard, as JSON or as French text."""
    from app.services.cockpit import cockpit
    from app.services.store import read

    figures = read(existing_database(location), cockpit, at or date.today())
    data = figures.as_kpi_json() if verb == "kpi" else figures.as_forecast_json()
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from app.services.cockpit_view import forecast_lines, kpi_lines

        print("\n".join(kpi_lines(figures) if verb == "kpi" else forecast_lines(figures)))
    return 0


def run_report(location: str, at: date | None, out: Path) -> int:
    from app.services.store import read
    from app.services.weekly import write_weekly_report

    path = read(existing_database(location), write_weekly_report, at or date.today(), out)
    print(f"Rapport hebdomadaire écrit dans {path}")
    return 0


def run_remind(location: str, args: argparse.Namespace) -> int:
    from app.services.backups import back_up
    from app.services.rates import missing_rate
    from app.services.reminders import remind, remind_json, remind_lines, unmatched_receipts, unmatched_warning
    from app.services.store import commit, read, rehearse

    db = existing_database(location)
    at = args.at or date.today()
    if not args.dry_run and (missing := read(db, missing_rate, at)):  # refused before any letter is written
        raise UserError(missing)
    warning = unmatched_warning(*read(db, unmatched_receipts))
    if warning:
        print(f"Attention : {warning}", file=sys.stderr)
    if not args.dry_run:
        back_up(db, "relances")
    run = rehearse if args.dry_run else commit
    reminders, holds = run(db, remind, at, Path(args.out), dry_run=args.dry_run,
                           emails=args.eml)
    if args.json:
        print(json.dumps(remind_json(reminders, holds), ensure_ascii=False, indent=2))
    else:
        print("\n".join(remind_lines(reminders, holds, args.dry_run)))
    return 1 if any(r.error for r in reminders) else 0


def run_reminded(location: str, args: argparse.Namespace) -> int:
    """A step taken outside Encours recorded for these customers, in one transaction: refused whole (nothing
    written, exit code 1) when a code is unknown or the service refuses."""
    from app.services.history import customer_by_code
    from app.services.outside_reminders import record_outside
    from app.services.store import commit, read

    db = existing_database(location)
    ids = []
    for code in args.codes:
        customer = read(db, customer_by_code, code)
        if customer is None:
            raise UserError(UNKNOWN_CODE.format(code=code))
        ids.append(customer.id)
    result = commit(db, record_outside, ids, args.step, args.on, args.at or date.today(), args.registered)
    if result.errors:
        options = {"step": "--step", "sent_on": "--on", "registered": "--registered"}
        raise UserError(" ".join(f"{options[field]} : {message}" if field in options else message
                                 for field, message in result.errors.items()).replace("\n", " "))
    print(json.dumps(result.as_json(), ensure_ascii=False, indent=2) if args.json else "\n".join(result.lines()))
    return 0


def run_penalties(location: str, number: str, at: date | None, as_json: bool) -> int:
    from app.domain.penalties import MissingRate
    from app.services.penalties import UnknownInvoice, invoice_penalties, penalty_lines
    from app.services.store import read

    try:
        result = read(existing_database(location), invoice_penalties, number, at or date.today())
    except (UnknownInvoice, MissingRate) as exc:
        raise UserError(str(exc)) from None
    print(json.dumps(result.as_json(), ensure_ascii=False, indent=2) if as_json else "\n".join(penalty_lines(result)))
    return 0


def run_company(location: str, args: argparse.Namespace) -> int:
    """Show the company, or set the fields given (in one transaction, nothing written when one is refused)."""
    from app.services.company import company_input, identity_json, identity_lines, set_company_identity
    from app.services.store import commit, read

    changes = {field: getattr(args, field) for field in COMPANY_OPTIONS if getattr(args, field) is not None}
    if changes:
        db = opened(location)
        errors = commit(db, set_company_identity, changes)
        if errors:
            raise UserError(" ".join(f"--{field} : {message}" for field, message in errors.items()))
    else:
        db = existing_database(location)
    company = read(db, company_input)
    if company is None:
        raise UserError(f"aucune société dans {location} : « encours company --name \"Ma société\" » la crée.")
    print(json.dumps(identity_json(company), ensure_ascii=False, indent=2) if args.json
          else "\n".join(identity_lines(company)))
    return 0


def run_history(location: str, code: str, as_json: bool) -> int:
    from app.services.history import customer_history
    from app.services.store import read

    found = read(existing_database(location), customer_history, code)
    if found is None:
        raise UserError(UNKNOWN_CODE.format(code=code))
    print(json.dumps(found.as_json(), ensure_ascii=False, indent=2) if as_json else "\n".join(found.text_lines()))
    return 0


def customer_id_of(db, code: str) -> int:
    """The id of the customer of that code, or the French refusal."""
    from app.services.history import customer_by_code
    from app.services.store import read

    customer = read(db, customer_by_code, code)
    if customer is None:
        raise UserError(UNKNOWN_CODE.format(code=code))
    return customer.id


def run_statement(location: str, code: str, at: date | None, out: Path) -> int:
    from app.services.account_statement import write_statement
    from app.services.store import read

    db = existing_database(location)
    print(read(db, write_statement, customer_id_of(db, code), at or date.today(), out).text())
    return 0


def run_claim(location: str, args: argparse.Namespace) -> int:
    from app.cli.claims import run_claim as claim

    db = existing_database(location)
    return claim(db, customer_id_of(db, args.code), args)


def run_backup(location: str, out: str | None) -> int:
    from app.services.backups import back_up, size_text

    backup = back_up(existing_database(location), "manuelle", out=Path(out) if out else None)
    print(f"Sauvegarde écrite dans {backup.path} ({size_text(backup.size)}).")
    return 0


def run_restore(location: str, file: str) -> int:
    from app.services.backups import restore

    before = restore(existing_database(location), Path(file))
    print(f"Données restaurées depuis {file}. L'état précédent est sauvegardé dans {before.path}.")
    return 0


def run_window(location: str, screenshot: tuple[str, str] | None = None) -> int:
    from app.ui.app import run

    return run(location, screenshot)


def run_export(location: str, view: str, out: str) -> int:
    """Refuse a wrong view or file name before the window opens, and a database that does not exist."""
    from app.ui.app import run
    from app.ui.export import refusal

    problem = refusal(view, out)
    if problem:
        raise UserError(problem)
    existing_database(location)
    return run(location, export=(view, out))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    location = database_location(args.db)
    try:
        if args.command == "demo":
            return run_demo(location, args.seed, args.today)
        if args.command == "aging":
            return run_aging(location, args.at, args.json)
        if args.command == "import":
            return run_import(location, args)
        if args.command in ("kpi", "forecast"):
            return run_cockpit(location, args.command, args.at, args.json)
        if args.command == "remind":
            return run_remind(location, args)
        if args.command == "reminded":
            return run_reminded(location, args)
        if args.command == "penalties":
            return run_penalties(location, args.number, args.at, args.json)
        if args.command == "company":
            return run_company(location, args)
        if args.command == "proceedings":
            return proceedings.run(existing_database(location), args, UNKNOWN_CODE, UserError)
        if args.command == "history":
            return run_history(location, args.code, args.json)
        if args.command == "report":
            return run_report(location, args.at, Path(args.out))
        if args.command == "statement":
            return run_statement(location, args.code, args.at, Path(args.out))
        if args.command == "claim":
            return run_claim(location, args)
        if args.command == "tva-recuperable":
            from app.cli.claims import run_vat

            return run_vat(existing_database(location), args)
        if args.command == "backup":
            return run_backup(location, args.out)
        if args.command == "restore":
            return run_restore(location, args.file)
        if args.command == "screenshot":
            return run_window(location, (args.view, args.out))
        if args.command == "export":
            return run_export(location, args.view, args.out)
        if args.command == "bodacc":
            from app.cli.bodacc import run_bodacc

            return run_bodacc(existing_database(location), args.at or date.today(), args.apply, args.json)
        return run_window(location)
    except (UserError, Refused) as exc:  # Refused: another writer holds the database, a rate is missing…
        print(f"encours : {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the output went to a reader that stopped early (``| head``): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # the database refused the work (its transaction rolled back): say so plainly
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            print(f"encours : la base de données {location} a refusé l'opération ({exc.__class__.__name__}) ; "
                  "rien n'en a été enregistré.", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
