"""Which column of a spreadsheet holds what: the fields a table can give, their French labels for the import
wizard, and the header names programs, banks and accountants use for them.

A ``Schema`` is one kind of table: ``INVOICES`` (a billing program's export or an aged balance) and ``BANK``
(a bank's statement export). The spreadsheet reader and the wizard work with any schema, so that a new kind
of table is a new schema, not a new reader; every function here takes the schema, ``INVOICES`` by default.

``propose_mapping`` guesses a mapping from a table's headers (French and English, accents, case and
punctuation ignored); the user confirms or corrects it in the wizard, and the mapping is saved under a name
keyed by ``headers_signature`` so that the next file with the same headers is read the same way without
asking. The spreadsheet reader uses the mapping; nothing here reads a file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.domain.text import fold

# --- Invoices ---------------------------------------------------------------------------------------------

# The fields, in the order the wizard lists them, with their French labels.
FIELDS: dict[str, str] = {
    "number": "N° de facture",
    "issue_date": "Date de facture",
    "due_date": "Échéance",
    "customer_name": "Client (raison sociale)",
    "customer_code": "Code client",
    "siren": "SIREN / SIRET",
    "total": "Montant TTC",
    "net": "Montant HT",
    "vat": "TVA",
    "still_due": "Reste dû",
    "debit": "Débit",
    "credit": "Crédit",
    "email": "E-mail",
}

AMOUNT_FIELDS = ("total", "net", "vat", "still_due", "debit", "credit")
DATE_FIELDS = ("issue_date", "due_date")
TEXT_FIELDS = ("number", "customer_name", "customer_code", "siren", "email")

# What a table must give: each group is satisfied by any one of its fields. ``missing_required`` names a
# group by its first field; ``required_label`` gives the group's French wording.
REQUIRED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("number",), "N° de facture"),
    (("issue_date",), "Date de facture"),
    (("customer_name", "customer_code"), "Client (raison sociale ou code client)"),
    (("total", "debit", "credit", "still_due"), "Montant (TTC, ou Débit / Crédit, ou Reste dû)"),
)

# Header names, written as ``normalise`` leaves them (no accents, lower case, punctuation and the little
# words "de", "d", "la"... removed). A header equal to one of these is taken first; the longer match wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("no facture", "n facture", "num facture", "numero facture", "no", "n", "num", "numero",
               "facture", "no piece", "n piece", "num piece", "numero piece", "piece", "ref", "reference",
               "ref facture", "reference facture", "id facture", "document", "no document", "numero document",
               "invoice", "invoice no", "invoice number", "invoice num", "invoice id", "invoice ref",
               "number", "document number", "doc no", "document no", "ref piece", "reference piece"),
    "issue_date": ("date", "date facture", "date piece", "date emission", "date document", "date comptable",
                   "date ecriture", "date facturation", "emise le", "emission", "invoice date", "issue date",
                   "date invoice", "document date", "date issued", "issued", "issued on", "posting date"),
    "due_date": ("echeance", "date echeance", "echeance facture", "date limite", "date limite paiement",
                 "date limite reglement", "date paiement prevue", "date reglement prevue", "due date", "due",
                 "due on", "payment due", "payment due date", "date due", "maturity", "maturity date"),
    "customer_name": ("client", "nom client", "raison sociale", "raison sociale client", "nom", "tiers",
                      "nom tiers", "libelle client", "libelle tiers", "societe", "denomination", "intitule",
                      "intitule compte", "libelle compte", "debiteur", "nom debiteur", "customer",
                      "customer name", "client name", "name", "company", "company name", "account name",
                      "bill to", "billed to", "acheteur", "destinataire"),
    "customer_code": ("code client", "code", "compte", "compte client", "no client", "n client", "num client",
                      "numero client", "ref client", "reference client", "id client", "identifiant client",
                      "code tiers", "compte tiers", "no tiers", "numero tiers", "compte auxiliaire",
                      "code auxiliaire", "compte aux", "customer code", "customer id", "customer no",
                      "customer number", "client id", "client code", "account", "account no",
                      "account number", "account code", "no compte", "numero compte"),
    "siren": ("siren", "siret", "no siren", "n siren", "numero siren", "no siret", "n siret", "numero siret",
              "siren client", "siret client", "siren siret"),
    "total": ("montant ttc", "ttc", "total", "total ttc", "montant", "montant facture", "montant total",
              "total facture", "net a payer", "montant net a payer", "amount", "total amount", "invoice amount",
              "invoice total", "amount incl tax", "amount including tax", "amount incl vat", "total incl tax",
              "total incl vat", "gross amount", "gross", "total due"),
    "net": ("ht", "montant ht", "total ht", "base ht", "hors taxe", "hors taxes", "montant hors taxe",
            "montant hors taxes", "net", "net amount", "amount excl tax", "amount excluding tax",
            "amount excl vat", "total excl tax", "total excl vat", "subtotal", "sub total"),
    "vat": ("tva", "montant tva", "total tva", "taxe", "taxes", "vat", "vat amount", "tax", "tax amount",
            "total tax", "total vat"),
    "still_due": ("solde", "reste du", "restant du", "reste a payer", "restant a payer", "montant du",
                  "montant restant", "montant restant du", "reste", "reste a encaisser", "restant",
                  "solde du", "solde restant", "solde ttc", "solde facture", "encours", "non regle",
                  "montant non regle", "impaye", "montant impaye", "balance", "balance due", "amount due",
                  "outstanding", "outstanding amount", "open amount", "remaining", "remaining amount",
                  "amount remaining", "unpaid", "unpaid amount", "a regler", "reste a regler",
                  "montant a regler"),
    "debit": ("debit", "debits", "montant debit", "mouvement debit", "debit amount", "debit eur"),
    "credit": ("credit", "credits", "montant credit", "mouvement credit", "credit amount", "credit eur"),
    "email": ("email", "e mail", "mail", "courriel", "adresse email", "adresse e mail", "adresse mail",
              "email client", "e mail client", "mail client", "contact email", "email address"),
}

# Words that, found anywhere in a longer header, say which field it is ("Montant TTC remisé", "Solde au
# 31/12", "SIRET du client"). Shorter, vaguer words ("date", "nom", "code") are only taken as a whole header.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "number": ("no facture", "numero facture", "num facture", "n facture", "invoice no", "invoice number"),
    "issue_date": ("date facture", "date piece", "date emission", "invoice date"),
    "due_date": ("echeance", "due date", "date limite"),
    "customer_name": ("raison sociale", "client", "customer name", "nom client"),
    "customer_code": ("code client", "compte client", "code tiers", "customer code", "customer id",
                      "numero client", "no client", "compte auxiliaire"),
    "siren": ("siren", "siret"),
    "total": ("ttc",),
    "net": ("ht", "hors taxe", "hors taxes"),
    "vat": ("tva", "vat"),
    "still_due": ("solde", "reste du", "restant du", "reste a payer", "restant a payer", "outstanding"),
    "debit": ("debit",),
    "credit": ("credit",),
    "email": ("email", "e mail", "courriel"),
}

# A header holding one of these words is something else (a payment, a rate, a VAT number, a credit limit...)
# even when it also holds a keyword: "Montant réglé", "Taux TVA", "N° TVA intracom", "Limite de crédit".
_NOT_AMOUNT = ("regle", "reglement", "paye", "paiement", "paid", "payment", "encaisse", "acompte", "taux",
               "rate", "intracom", "intracommunautaire", "limite", "plafond", "limit", "date", "no", "numero",
               "code", "compte", "pourcentage", "pct")
_BLOCKED: dict[str, tuple[str, ...]] = {
    **{name: _NOT_AMOUNT for name in ("total", "net", "vat", "still_due", "debit", "credit")},
    "due_date": ("relance", "jours", "days", "delai", "terms", "condition", "conditions", "mode"),
    "customer_name": ("code", "compte", "no", "numero", "n", "id", "ref", "reference", "siren", "siret",
                      "email", "mail", "adresse", "ville", "cp", "tel", "telephone", "contact", "tva", "pays"),
    "customer_code": ("nom", "name", "raison", "libelle", "email", "siren", "siret"),
    "email": ("date", "envoi", "sent"),
}

_LITTLE_WORDS = frozenset({"de", "d", "la", "le", "l", "les", "des", "a", "au", "aux", "en", "the", "of", "par",
                           "eur", "euro", "euros"})


def normalise(text: object) -> str:
    """A header as compared: ``fold`` without the little words; "Date d'échéance" → "date echeance",
    "N° Facture" → "no facture", "Montant T.T.C. (€)" → "montant ttc"."""
    return " ".join(word for word in fold(text).split() if word not in _LITTLE_WORDS)


@dataclass(frozen=True)
class Schema:
    """One kind of table: its fields (French labels, in the wizard's order), how each reads (amount, date,
    text), what it must give, and the header names that say which column is which field.

    ``required``: each group is satisfied by any one of its fields; ``missing_required`` names a group by its
    first field, and the group's French wording says what is missing. ``synonyms``: whole headers, as
    ``normalise`` leaves them, each given to one field. ``keywords``: words that, found anywhere in a longer
    header, say which field it is, unless the header also holds one of the field's ``blocked`` words.
    ``second_choices``: whole headers a field takes only when the field they name first is already placed
    (a bank's second "Libellé" column is the detail of the first). ``example`` names usual headers, for the
    message saying that no header row was found."""

    fields: dict[str, str]
    amounts: tuple[str, ...]
    dates: tuple[str, ...]
    texts: tuple[str, ...]
    required: tuple[tuple[tuple[str, ...], str], ...]
    synonyms: dict[str, tuple[str, ...]]
    keywords: dict[str, tuple[str, ...]]
    blocked: dict[str, tuple[str, ...]]
    example: str
    second_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)
    _seconds: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _keywords: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _keyword_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """The header tables as ``normalise`` leaves them (so that "reste a payer" is looked up as "reste
        payer"); a synonym given to two fields, or a field the schema lacks, is a mistake in the tables."""
        exact: dict[str, str] = {}
        for name, synonyms in self.synonyms.items():
            for synonym in synonyms:
                if exact.setdefault(normalise(synonym), name) != name:
                    raise AssertionError(f"synonym {synonym!r} given to two fields")
        seconds: dict[str, tuple[str, ...]] = {}
        for name, headers in self.second_choices.items():
            for header in headers:
                key = normalise(header)
                seconds[key] = (*seconds.get(key, ()), name)
        keywords = {name: tuple(normalise(word) for word in words) for name, words in self.keywords.items()}
        named = {*self.synonyms, *self.second_choices, *self.keywords, *self.blocked, *self.amounts, *self.dates,
                 *self.texts, *(name for group, _label in self.required for name in group)}
        if not named <= self.fields.keys():
            raise AssertionError(f"fields not in the schema: {sorted(named - self.fields.keys())}")
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_seconds", seconds)
        object.__setattr__(self, "_keywords", keywords)
        object.__setattr__(self, "_keyword_words", frozenset(
            word for words in keywords.values() for keyword in words for word in keyword.split()))


INVOICES = Schema(
    fields=FIELDS, amounts=AMOUNT_FIELDS, dates=DATE_FIELDS, texts=TEXT_FIELDS, required=REQUIRED,
    synonyms=SYNONYMS, keywords=_KEYWORDS, blocked=_BLOCKED, example="N° facture, Date, Client, Montant TTC...")


# --- Bank statements -------------------------------------------------------------------------------------
# A line's texts come in up to three columns (the bank's short label, its full label, complementary
# information), which the reader joins into the line's label; the reference, the counterparty and its IBAN
# are kept apart as well. The amount is one signed column, or a debit and a credit column. A Qonto-like
# "Status" column says which lines are booked (the reader skips the others, listed).

BANK = Schema(
    fields={
        "booked_on": "Date d'opération (comptabilisation)",
        "value_on": "Date de valeur",
        "label": "Libellé",
        "detail": "Libellé détaillé",
        "information": "Informations complémentaires",
        "debit": "Débit",
        "credit": "Crédit",
        "amount": "Montant (signé)",
        "balance": "Solde",
        "counterparty": "Tiers",
        "iban": "IBAN du tiers",
        "reference": "Référence",
        "account": "Compte",
        "status": "Statut",
    },
    amounts=("debit", "credit", "amount", "balance"),
    dates=("booked_on", "value_on"),
    texts=("label", "detail", "information", "counterparty", "iban", "reference", "account", "status"),
    required=(
        (("booked_on",), "Date d'opération"),
        (("label",), "Libellé"),
        (("amount", "debit", "credit"), "Montant (signé, ou Débit / Crédit)"),
    ),
    synonyms={
        "booked_on": ("date", "date operation", "date op", "dateop", "date comptabilisation", "date comptable",
                      "date ecriture", "date mouvement", "date transaction", "date execution", "operation date",
                      "operation date utc", "settlement date", "settlement date utc", "booking date",
                      "booked date", "transaction date", "posting date"),
        "value_on": ("date valeur", "dateval", "date val", "valeur", "value date", "value date utc"),
        "label": ("libelle", "libelles", "libelle operation", "libelle simplifie", "libelle mouvement",
                  "libelle ecriture", "intitule", "intitule operation", "nature operation", "operation",
                  "designation", "label", "description", "wording", "counterparty name"),
        "detail": ("detail", "details", "detail ecriture", "detail operation", "libelle detaille",
                   "libelle complet", "libelle long", "libelle complementaire", "complement libelle",
                   "libelle 2", "motif", "remittance information", "communication"),
        "information": ("informations complementaires", "information complementaire", "infos complementaires",
                        "info complementaire", "complement information", "informations", "additional information"),
        "debit": ("debit", "debits", "montant debit", "debit eur", "sortie", "sorties", "paid out", "money out",
                  "withdrawal", "withdrawals"),
        "credit": ("credit", "credits", "montant credit", "credit eur", "entree", "entrees", "paid in",
                   "money in", "deposit", "deposits"),
        "amount": ("montant", "montants", "montant operation", "montant mouvement", "somme", "amount",
                   "transaction amount", "total amount", "total amount incl vat", "amount incl vat"),
        "balance": ("solde", "solde compte", "solde apres operation", "nouveau solde", "accountbalance",
                    "account balance", "balance", "running balance"),
        "counterparty": ("tiers", "nom tiers", "contrepartie", "nom contrepartie", "beneficiaire",
                         "nom beneficiaire", "emetteur", "donneur ordre", "creancier", "counterparty", "payee",
                         "payer", "merchant", "commercant", "supplierfound"),
        "iban": ("iban", "iban tiers", "iban contrepartie", "iban beneficiaire", "counterparty iban"),
        "reference": ("reference", "ref", "references", "reference operation", "reference transaction",
                      "reference bancaire", "numero operation", "no operation", "transaction id",
                      "id transaction", "end end id"),
        "account": ("compte", "no compte", "numero compte", "compte bancaire", "accountnum", "account",
                    "account number", "account iban", "iban compte", "rib"),
        "status": ("status", "statut", "etat", "state", "statut operation"),
    },
    keywords={
        "booked_on": ("date operation", "date comptabilisation", "operation date", "settlement date",
                      "booking date"),
        "value_on": ("date valeur", "value date"),
        "label": ("libelle",),
        "debit": ("debit",),
        "credit": ("credit",),
        "amount": ("montant", "amount"),
        "balance": ("solde",),
        "iban": ("iban",),
    },
    blocked={
        **{name: ("date", "tva", "vat", "tax", "taxe", "frais", "fee", "fees", "commission", "local", "devise",
                  "currency", "taux", "rate") for name in ("debit", "credit", "amount", "balance")},
        "label": ("compte", "account", "categorie", "category"),
        "iban": ("compte", "account"),
    },
    second_choices={"detail": ("libelle operation", "libelle simplifie", "libelle", "label", "reference", "ref")},
    example="Date, Libellé, Débit, Crédit ou Montant...",
)


def _contains(words: list[str], phrase: str) -> bool:
    """Whether ``phrase`` appears in ``words`` as whole consecutive words."""
    wanted = phrase.split()
    size = len(wanted)
    return any(words[i:i + size] == wanted for i in range(len(words) - size + 1))


def _candidates(header: str, schema: Schema) -> list[tuple[int, str]]:
    """(score, field) pairs a header could be: an exact synonym scores above a second choice, which scores
    above any keyword found in it."""
    key = normalise(header)
    if not key:
        return []
    exact = schema._exact.get(key)
    seconds = [(500 + len(key), name) for name in schema._seconds.get(key, ())] if schema._seconds else []
    if exact is not None:
        return [(1000 + len(key), exact), *seconds]
    if seconds:
        return seconds
    words = key.split()
    if schema._keyword_words.isdisjoint(words):  # most cells of a data row: the header search asks about them too
        return []
    found = []
    for name, keywords in schema._keywords.items():
        if any(word in words for word in schema.blocked.get(name, ())):
            continue
        matched = [len(keyword) for keyword in keywords if _contains(words, keyword)]
        if matched:
            found.append((max(matched), name))
    return found


def propose_mapping(headers: list[str] | tuple[str, ...], schema: Schema = INVOICES) -> dict[str, str]:
    """The field each header most likely holds, as ``{field: header}``: exact synonyms first (the longer
    the more specific: "Date facture" beats "Date"), then second choices, then headers holding a telling word
    ("Montant TTC remisé"); each field and each header is used at most once, the leftmost header winning a
    tie."""
    candidates = [(score, -position, name, header)
                  for position, header in enumerate(headers)
                  for score, name in _candidates(header, schema)]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _score, _position, name, header in sorted(candidates, key=lambda c: (-c[0], -c[1])):
        if name not in mapping and header not in used:
            mapping[name] = header
            used.add(header)
    return {name: mapping[name] for name in schema.fields if name in mapping}


def missing_required(mapping: dict[str, str], schema: Schema = INVOICES) -> list[str]:
    """The required fields the mapping does not place, each group named by its first field: for invoices
    "number", "issue_date", "customer_name" (neither name nor code), "total" (no amount column at all)."""
    return [group[0] for group, _label in schema.required if not any(mapping.get(name) for name in group)]


def required_label(name: str, schema: Schema = INVOICES) -> str:
    """The French wording of what a missing required field stands for ("Client (raison sociale ou code
    client)" for "customer_name")."""
    for group, label in schema.required:
        if name in group:
            return label
    return schema.fields.get(name, name)


def headers_signature(headers: list[str] | tuple[str, ...]) -> str:
    """A stable key for a table's headers, to find the mapping saved for them: the normalised headers in
    their order (trailing blank columns dropped), hashed. "N° Facture;Échéance" and "n° facture;ECHEANCE"
    give the same key; a column added, removed or moved gives another."""
    keys = [normalise(header) for header in headers]
    while keys and not keys[-1]:
        keys.pop()
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:20]
