"""``encours import``: each file in its own transaction (rolled back whole when refused), or previewed with
``--dry-run`` (the import run to its end and rolled back: ``services.import_preview``), its summary in French
or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from app.cli.common import UserError, opened


def run_import(location: str, args: argparse.Namespace) -> int:
    """Each file in its own transaction, rolled back whole when the file is refused; exit code 1 when any file
    is refused or has rows left out."""
    from app.importers.records import UnreadableFile
    from app.services.backups import back_up
    from app.services.bank_accounts import AccountNeeded, known_accounts, typed_account_error
    from app.services.import_preview import preview_file
    from app.services.import_mappings import mapping_named
    from app.services.import_summary import ImportRefused
    from app.services.imports import import_file
    from app.services.ownership import OtherCompany
    from app.services.store import commit, read, rehearse

    db = opened(location)
    try:
        mapping = read(db, mapping_named, args.mapping) if args.mapping else None
    except UnreadableFile as exc:
        raise UserError(str(exc)) from None
    if args.account is not None:
        error = typed_account_error(args.account, {known.key for known in read(db, known_accounts)})
        if error:
            raise UserError(f"--account : {error}")
    reports, failed = [], False
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise UserError(f"le fichier {name} n'existe pas.")
        preview = None
        try:
            options = dict(today=date.today(), kind=args.kind, mapping=mapping, accept_valid_rows=args.valid_rows,
                           as_of=args.as_of, account=args.account, force_company=args.force_company,
                           create_company=True)
            if args.dry_run:
                preview = rehearse(db, preview_file, path, **options)
            else:
                back_up(db, "import", path.name)
            summary = preview.summary if preview else commit(db, import_file, path, **options)
        except ImportRefused as refused:  # its transaction rolled back: nothing of the file written
            summary = refused.summary
        except (UnreadableFile, AccountNeeded, OtherCompany) as exc:
            failed = True
            said = exc.said("relancez avec --account IBAN_OU_RIB (retenu ensuite pour les relevés présentés de "
                            "même)") if isinstance(exc, AccountNeeded) else exc.said(
                "relancez avec --importer-quand-meme si ce fichier est bien le vôtre") \
                if isinstance(exc, OtherCompany) else str(exc)
            reports.append({"file": path.name, "kind": args.kind, "error": said})
            if not args.json:
                print(said if said.startswith(path.name) else f"{path.name} : {said}", file=sys.stderr)
            continue
        failed |= summary.rejected or bool(summary.errors and not args.valid_rows)  # rows left out
        reports.append(preview.as_json() if preview else summary.as_json())
        if not args.json:
            print_summary(summary, args.dry_run)
            for line in preview.lines() if preview else ():
                print(f"  {line}")
    if args.json:
        print(json.dumps(reports[0] if len(reports) == 1 else reports, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def print_summary(summary, dry_run: bool) -> None:
    """The summary of one import in French, errors on stderr with their line and column."""
    created = summary.created
    verb = "serait importé" if dry_run else "importé"
    if summary.rejected:
        print(f"{summary.file} : refusé, {len(summary.errors)} erreur(s) ; rien n'a été importé "
              "(--valid-rows importe les lignes valides).", file=sys.stderr)
    elif summary.matching is not None:
        print(f"{summary.file} ({summary.kind}) {verb} : {summary.statement_text()}")
    else:
        print(f"{summary.file} ({summary.kind}) {verb} : {created['customers']} client(s), {created['invoices']} "
              f"facture(s), {created['payments']} règlement(s), {created['allocations']} lettrage(s) créés ; "
              f"{len(summary.changes)} mise(s) à jour, {summary.duplicates} déjà connue(s).")
    if summary.company:
        print(f"  {summary.company}" + (" (essai : rien n'est enregistré)" if dry_run else ""))
    for change in summary.changes[:20]:
        print(f"  modifiée : {change}")
    if len(summary.changes) > 20:
        print(f"  … et {len(summary.changes) - 20} autres factures modifiées (--json les liste toutes)")
    if summary.reported_text():
        print(f"  {summary.reported_text()}")
    for disagreement in summary.disagreements:
        print(f"  désaccord : {disagreement}")
    for gap in summary.ledger_check:
        print(f"  {gap.text()}")
    if summary.ledger_check:
        print(f"  {len(summary.ledger_check)} client(s) dont le solde FEC diffère d'Encours")
    for warning in summary.possible_duplicates:
        print(f"  doublon possible : {warning}")
    for remark in summary.warnings:
        print(f"  remarque : {remark}")
    for problem in summary.errors:
        print(f"  {summary.file}, {problem}", file=sys.stderr)
