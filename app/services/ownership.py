"""Whose file it is: a FEC names the SIREN of the firm whose books it holds (in its file name, SIREN + "FEC" +
AAAAMMJJ), a Factur-X invoice its seller. Encours follows the invoices the user's company issued, so:

- a FEC of another SIREN than the company's is refused (nothing written), both SIRENs named, unless the user
  imports it anyway (``force``: ``--importer-quand-meme``, the wizard's « Importer quand même »);
- a Factur-X invoice whose seller is not the company (SIREN compared when both are known, else the names as
  customers are matched) is a supplier's invoice: refused, its seller named;
- the first such file imported into a database with no company, or a company without a name or a SIREN,
  gives the company what the file says of it (name, SIREN, VAT number, address): created on the command
  line and said in the report, after a confirmation in the wizard (``CompanyProposed``), in the import's
  own transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.text import company_key
from app.importers.records import CustomerRecord, LedgerRead
from app.jobs import Refused
from app.services.company import get_company, set_company_identity
from app.services.identifiers import clean_siren, siren_error

FEC = "fec"


class OtherCompany(Refused):
    """The file is another firm's: refused before anything is written; the user may import it anyway."""

    def __init__(self, file: str, message: str) -> None:
        self.file, self.message = file, message
        super().__init__(self.said("importez-le quand même si ce fichier est bien le vôtre"))

    def said(self, how: str) -> str:
        """The refusal in French, with ``how`` to override it."""
        return f"{self.file} : {self.message} Rien n'a été importé ; {how}."


class CompanyProposed(Refused):
    """No company yet (or one without a name or a SIREN) and the file says what it is: the question the wizard
    puts before importing (nothing written yet)."""

    def __init__(self, question: str) -> None:
        self.question = question
        super().__init__(question)


def _siren_text(record: CustomerRecord) -> str:
    return f" (SIREN {record.siren})" if record.siren else ""


def check_owner(session: Session, result: LedgerRead, file: str, *, force: bool = False) -> None:
    """``OtherCompany`` when ``result`` is another firm's file (see the module docstring); nothing when it is
    the company's, when either side is unknown, or when ``force``."""
    issuer, company = result.issuer, get_company(session)
    if issuer is None or company is None or force:
        return
    ours = clean_siren(company.siren)[:9]
    if result.kind == FEC:
        if ours and issuer.siren and issuer.siren != ours:
            raise OtherCompany(file, f"ce FEC est celui de la société de SIREN {issuer.siren} (d'après le nom du "
                                     f"fichier), pas de la vôtre, {company.name} (SIREN {ours}).")
        return
    if ours and issuer.siren:
        same = issuer.siren == ours
    elif issuer.name and company.name.strip():
        same = company_key(issuer.name) == company_key(company.name)
    else:
        return
    if not same:
        raise OtherCompany(file, f"cette facture est émise par {issuer.name or 'une autre société'}"
                                 f"{_siren_text(issuer)}, pas par votre société {company.name}"
                                 f"{f' (SIREN {ours})' if ours else ''} : une facture fournisseur n'a pas sa "
                                 "place dans Encours, qui suit les factures que vous émettez.")


def _changes(session: Session, result: LedgerRead) -> dict[str, str]:
    """What the file would give the company: the fields it says that the company lacks (all of them when
    there is no company). Empty when the company has a name and a SIREN already, or the file says nothing
    usable (a FEC whose file name carries an invalid SIREN)."""
    issuer, company = result.issuer, get_company(session)
    if issuer is None or (company is not None and company.name.strip() and company.siren.strip()):
        return {}
    siren = issuer.siren if issuer.siren and siren_error(issuer.siren) is None else ""
    name = issuer.name or (f"Société SIREN {siren}" if siren else "")
    offered = {"name": name, "siren": siren, "vat_number": issuer.vat_number, "address": issuer.address,
               "postcode": issuer.postcode, "city": issuer.city}
    have = {name: getattr(company, name) if company is not None else "" for name in offered}
    changes = {name: value for name, value in offered.items() if value and not (have[name] or "").strip()}
    if company is None and "name" not in changes:
        return {}
    return changes if ("name" in changes or "siren" in changes) else {}


def _described(changes: dict[str, str]) -> str:
    parts = [changes.get("name", ""), f"SIREN {changes['siren']}" if changes.get("siren") else "",
             f"TVA {changes['vat_number']}" if changes.get("vat_number") else "",
             ", ".join(filter(None, (changes.get("address", "").replace("\n", ", "), changes.get("postcode", ""),
                                     changes.get("city", ""))))]
    return ", ".join(part for part in parts if part)


def adopt_company(session: Session, result: LedgerRead, *, create: bool | None) -> str:
    """Give the company what the file says of it when it has no name or SIREN yet: ``create`` True does it
    and returns the sentence the report says, False leaves it; None raises ``CompanyProposed`` (the wizard
    asks first). "" when there is nothing to give."""
    changes = _changes(session, result)
    if not changes or create is False:
        return ""
    existed = get_company(session) is not None
    if create is None:
        verb = "compléter votre société" if existed else "créer votre société"
        raise CompanyProposed(f"Encours ne connaît pas encore {'le SIREN de ' if existed else ''}votre société. "
                              f"D'après ce fichier, c'est : {_described(changes)}.\n\nVoulez-vous {verb} avec ces "
                              "informations ? (Modifiables ensuite dans Paramètres.)")
    if set_company_identity(session, changes):  # not expected: what is offered is checked above
        return ""
    said = "complétée" if existed else "créée"
    named = "" if "name" not in changes or result.issuer.name else " ; indiquez sa raison sociale dans Paramètres"
    return f"Votre société a été {said} d'après le fichier : {_described(changes)}{named}."
