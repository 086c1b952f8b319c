"""Letters from the database say what is on record, the litigation file is never an e-mail, and the statement
of account prints from the command line. On the hand-made ledger of tests/conftest.py (23/11/2026): Garage
Petit owes F1 1 000,00 € (not due), F2 300,00 € left and F3 300,00 €, less its credit note AV1 of 50,00 €;
Boulangerie Martin owes F4 2 000,00 € less an unallocated payment of 120,00 €."""

import json
from dataclasses import replace
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from app.__main__ import main
from app.models import Customer, DunningLetter, Invoice
from app.services.dunning import due_actions
from app.services.rates import save_rates
from tests.cli.test_cli import location
from tests.conftest import TODAY, chase_history


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def with_rates(ledger) -> None:
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}


def on_record(ledger, name: str, step: str, sent_on: date, numbers: list[str], registered: str = "") -> None:
    with ledger.transaction() as s:
        customer = s.scalar(select(Customer).where(Customer.name == name))
        invoices = s.scalars(select(Invoice).where(Invoice.number.in_(numbers))).all()
        s.add(DunningLetter(customer_id=customer.id, step=step, sent_on=sent_on, registered_mail_number=registered,
                            lines=[{"invoice_id": i.id, "number": i.number, "amount_due": i.total_cents}
                                   for i in invoices]))


def printed(ledger, tmp_path, name: str, step: str) -> str:
    """The letter of ``step`` to ``name`` today, printed as a preview (nothing recorded), as text."""
    from app.services.reminders import print_letters

    with ledger.sessions() as s:
        action = next(a for a in due_actions(s, TODAY)[0] if a.name == name)
        (reminder,) = print_letters(s, TODAY, [replace(action, step=step)], tmp_path / f"{step}.pdf", record=False)
    assert not reminder.error
    return pdf_text(tmp_path / f"{step}.pdf")


def test_the_formal_notice_quotes_the_reminders_on_record_for_its_invoices_and_only_them(ledger, tmp_path):
    with_rates(ledger)
    bare = printed(ledger, tmp_path, "Boulangerie Martin", "formal_notice")
    assert "Les factures ci-dessous restent impayées à ce jour. Par la présente, nous vous mettons en demeure" in bare
    assert "algré" not in bare
    on_record(ledger, "Garage Petit", "first_reminder", date(2026, 10, 13), ["F3"])  # another customer's
    on_record(ledger, "Boulangerie Martin", "first_reminder", date(2026, 10, 15), ["F4"])
    on_record(ledger, "Boulangerie Martin", "second_reminder", date(2026, 12, 5), ["F4"])  # after the letter's date
    text = printed(ledger, tmp_path, "Boulangerie Martin", "formal_notice")
    assert "Malgré notre 1re relance du 15/10/2026, les factures ci-dessous restent impayées." in text
    assert "13/10/2026" not in text and "05/12/2026" not in text


def test_the_litigation_file_quotes_the_formal_notice_on_record_or_says_there_is_none(ledger, tmp_path):
    with_rates(ledger)
    none = printed(ledger, tmp_path, "Garage Petit", "litigation")
    assert "Aucune mise en demeure n'est enregistrée pour ce débiteur." in none
    assert "Aucune relance ni mise en demeure enregistrée." in none
    on_record(ledger, "Garage Petit", "second_reminder", date(2026, 9, 20), ["F3"])
    on_record(ledger, "Garage Petit", "formal_notice", date(2026, 10, 1), ["F3"], "1A 000 111 2222 3")
    text = printed(ledger, tmp_path, "Garage Petit", "litigation")
    assert ("Le débiteur a été mis en demeure de payer par lettre recommandée avec accusé de réception n° "
            "1A 000 111 2222 3 du 01/10/2026, restée sans effet.") in text
    assert "20/09/2026 2e relance" in text
    assert "Aucune mise en demeure" not in text


def test_the_emails_leave_the_litigation_file_out_and_say_so(ledger, capsys, tmp_path):
    chase_history(ledger)  # Garage Petit's formal notice expired: its litigation file is due
    with_rates(ledger)  # Garage Petit: a litigation file; Boulangerie Martin: a formal notice
    folder = tmp_path / "lettres"
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(folder), "--eml",
                 "--json"]) == 0
    by_step = {r["step"]: r for r in json.loads(capsys.readouterr().out)["actions"]}
    litigation = folder / "2026-11-23_dossier-contentieux_Garage-Petit_C0001.pdf"
    assert by_step["litigation"]["file"] == str(litigation) and litigation.exists()
    assert not litigation.with_suffix(".eml").exists()
    assert by_step["litigation"]["no_email"].startswith("un dossier contentieux est pour vous, le tribunal")
    assert (folder / "2026-11-23_mise-en-demeure_Boulangerie-Martin_C0002.eml").exists()
    assert "no_email" not in by_step["formal_notice"]
    assert sorted(path.suffix for path in folder.iterdir()) == [".eml", ".pdf", ".pdf"]


def test_remind_says_how_many_litigation_files_were_not_written_as_emails(ledger, capsys, tmp_path):
    chase_history(ledger)  # Garage Petit's formal notice expired: its litigation file is due
    with_rates(ledger)
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--out", str(tmp_path), "--eml"]) == 0
    assert ("1 dossier contentieux écrit en PDF sans e-mail : un dossier contentieux est pour vous, le tribunal ou "
            "le commissaire de justice, jamais envoyé au débiteur.") in capsys.readouterr().out


def test_statement_prints_the_open_invoices_the_credits_and_the_balance(ledger, capsys, tmp_path):
    out = tmp_path / "releve.pdf"
    assert main(["--db", location(ledger), "statement", "c0001", "--at", "2026-11-23", "--out", str(out)]) == 0
    assert capsys.readouterr().out == (f"Relevé de compte de Garage Petit écrit dans {out} : 3 factures ouvertes, "
                                       "solde 1\u202f550,00\u00a0€.\n")
    text = pdf_text(out)
    assert "Garage Petit" in text and "Relevé de compte au 23/11/2026" in text
    for number in ("F1", "F2", "F3", "Avoir AV1"):
        assert number in text
    assert "F0" not in text  # paid
    assert "Solde 1 550,00 €" in text  # 1 000 + 300 + 300 − 50
    assert "Le solde de votre compte s'élève à 1 550,00 €." in text
    assert "Pénalités" not in text and "algré" not in text


def test_statement_of_an_unknown_code_is_a_french_error(ledger, capsys, tmp_path):
    out = tmp_path / "releve.pdf"
    assert main(["--db", location(ledger), "statement", "C9999", "--out", str(out)]) == 1
    assert capsys.readouterr().err == ("encours : aucun client n'a le code « C9999 » (la liste des clients, avec "
                                       "leurs codes, est dans l'écran Clients).\n")
    assert not out.exists()
