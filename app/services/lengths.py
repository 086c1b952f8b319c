"""How long a text the database takes: one home, the ``String(n)`` of the models' columns.

SQLite keeps a text longer than its column's length, PostgreSQL refuses it: so every text going into a
limited column is checked here first, and SQLite and PostgreSQL accept and refuse the same things. A value
too long is refused and said (« Raison sociale : 243 caractères, 200 au plus »), never cut (so the forms'
fields set no maximum length, which Qt enforces by cutting a pasted text). The forms' services check what
they save (``length_errors``); the import checks every record a reader found (``checked``): a record too long is a
problem at its line and column, and is left out, with the records that refer to it.
"""

from __future__ import annotations

from dataclasses import replace

from app.importers.records import LedgerRead, Problem, ReadResult, StatementRead
from app.models import BankLine, Customer, ImportBatch, Invoice

# what each record's texts go into, with the field of a table's columns (``SheetResult.mapping``) that holds
# it and the French name said when the file has no named column
_CUSTOMER = {"name": ("customer_name", "Client"), "code": ("customer_code", "Code client"),
             "siren": ("siren", "SIREN"), "vat_number": ("vat_number", "N° TVA"), "address": ("address", "Adresse"),
             "postcode": ("postcode", "Code postal"), "city": ("city", "Ville"), "email": ("email", "E-mail")}
_INVOICE = {"number": ("number", "N° facture")}
_BANK_LINE = {"account": ("account", "Compte"), "counterparty": ("counterparty", "Tiers"),
              "iban": ("iban", "IBAN du tiers"), "reference": ("reference", "Référence")}


def limit(model, column: str) -> int | None:
    """The most characters ``model``'s ``column`` takes; None when any length goes (``Text``)."""
    return getattr(model.__table__.c[column].type, "length", None)


def too_long(value: str, model, column: str) -> str | None:
    """« 243 caractères, 200 au plus » when ``value`` does not fit ``model``'s ``column``; None when it does."""
    most = limit(model, column)
    if most is None or len(value) <= most:
        return None
    return f"{len(value)} caractères, {most} au plus"


def length_errors(model, values: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """The errors by field of the ``values`` (by column of ``model``) too long to be saved, each naming its
    field by ``labels``: « Raison sociale : 243 caractères, 200 au plus. »"""
    errors = {}
    for column, value in values.items():
        if why := too_long(value, model, column):
            label = labels.get(column, column)
            errors[column] = f"{label[:1].upper()}{label[1:]} : {why}."
    return errors


def file_name_error(path) -> str | None:
    """Why the import cannot keep the path of its file (it keeps it, to say where each row came from)."""
    if why := too_long(str(path), ImportBatch, "file_name"):
        return f"le chemin du fichier est trop long pour être enregistré ({why}) : déplacez-le ou renommez-le."
    return None


def checked(result: ReadResult) -> ReadResult:
    """``result`` with a problem for each record whose text does not fit its column, at the record's line and
    column (« trop long : 250 caractères, 200 au plus »), and without those records: an invoice or a payment
    of a customer left out is left out too, at its own line."""
    mapping = getattr(result, "mapping", {})
    problems: list[Problem] = []

    def fits(record, model, texts: dict[str, tuple[str, str]], line: int | None = None) -> bool:
        found = [Problem(record.line if line is None else line, mapping.get(field, label), value,
                         f"trop long : {why}")
                 for name, (field, label) in texts.items()
                 if (why := too_long(value := getattr(record, name), model, name))]
        problems.extend(found)
        return not found

    if isinstance(result, LedgerRead):
        customers = {c.key: c for c in result.customers}
        refused = {c.key for c in result.customers if not fits(c, Customer, _CUSTOMER)}

        def kept(record) -> bool:
            if record.customer_key in refused and record.line != customers[record.customer_key].line:
                fits(customers[record.customer_key], Customer, _CUSTOMER, record.line)
            return record.customer_key not in refused

        invoices = [r for r in result.invoices if kept(r) & fits(r, Invoice, _INVOICE)]
        payments = [r for r in result.payments if kept(r)]
        return replace(result, problems=[*result.problems, *problems],
                       customers=[c for c in result.customers if c.key not in refused],
                       invoices=invoices, payments=payments)
    if isinstance(result, StatementRead):
        lines = [line for line in result.bank_lines if fits(line, BankLine, _BANK_LINE)]
        balances = [b for b in result.statement_balances if fits(b, BankLine, {"account": _BANK_LINE["account"]})]
        return replace(result, problems=[*result.problems, *problems], bank_lines=lines,
                       statement_balances=balances)
    return result
