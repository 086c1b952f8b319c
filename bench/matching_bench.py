"""Payment matching speed: ``match_all`` over a week's bank credits beside a plain dict lookup, in the same run.

Generates 100 000 open items (3 % credit notes) of 5 000 customers (names, codes, SIRENs, IBANs; a few large
accounts) and 20 000 bank credits in a realistic mix: ~50 % quoting an invoice number in assorted spellings
("F2025-00142", "F 2025 00142", "F202500142", "2025-00142", "FACT 2025/142", "N° F2025.00142"; most paid
exactly, some partly, some overpaid, some two numbers at once), ~25 % paying one invoice's exact amount
with no number (the customer known by IBAN, name or code), ~10 % paying the sum of a customer's 2–3 oldest
invoices, ~15 % noise (cheques, refunds, interest, amounts and references that are no number). Then times,
best of 3, in this process:

* the Book built from the customers and the 100 000 items (once, before any credit);
* ours: ``matching.match_all`` over the first 5 000, 10 000 and 20 000 credits (each run from the same
  Book: a run books what it allocates in its own ledgers);
* baseline: the same credits' labels split into tokens, each looked up in a dict of invoice numbers (the
  exact spelling only, no customer, no amount): the floor of reading every label once.

Prints, for each size, both times, the time per credit (flat when the time grows linearly), the ratio, and
the share of credits proposed "certain", otherwise proposed, and not proposed. Usage:
``python bench/matching_bench.py``.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import RUNS, best  # noqa: E402  (bench/, the script's folder)

from app.domain.matching import Book, Credit, OpenItem, Party, match_all  # noqa: E402

CUSTOMERS = 5_000
ITEMS = 100_000
SIZES = (5_000, 10_000, 20_000)
START = date(2025, 1, 1)

ACTIVITIES = ("Garage", "Boulangerie", "Transports", "Menuiserie", "Plomberie", "Pharmacie", "Hôtel", "Café",
              "Imprimerie", "Électricité", "Maçonnerie", "Fromagerie", "Librairie", "Pressing", "Taxi",
              "Charpente", "Couverture", "Peinture", "Carrosserie", "Boucherie", "Fleurs", "Optique",
              "Coiffure", "Paysages", "Informatique", "Conseil", "Nettoyage", "Sécurité", "Traiteur",
              "Architecture", "Auto-école", "Cave", "Quincaillerie", "Serrurerie", "Vitrerie", "Ambulances",
              "Laboratoire", "Cabinet", "Atelier", "Studio")
SURNAMES = ("Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
            "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier",
            "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre",
            "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François",
            "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry",
            "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie",
            "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière",
            "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard",
            "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert",
            "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît",
            "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean",
            "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis",
            "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam",
            "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
            "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall",
            "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux")
FORMS = ("SARL", "SAS", "EURL", "", "SA", "ETS")
NOISE = ("REMISE CHEQUE {n}", "VIR CAF ALLOCATIONS {n}", "INTERETS CREDITEURS", "REMBOURSEMENT MUTUELLE {n}",
         "VIR DGFIP REMBT TVA {n}", "AVOIR FOURNISSEUR {n} 12/10/2025", "VERSEMENT ESPECES",
         "VIR SEPA ASSOC SPORTIVE COTISATION {n}", "REGUL CB {n},00")


def iban(rng: random.Random) -> str:
    """A valid French IBAN (ISO 13616 check digits over a random BBAN)."""
    bban = "".join(rng.choice("0123456789") for _ in range(23))
    check = 98 - int(bban + "152700") % 97
    return f"FR{check:02d}{bban}"


def spelled(number: str, rng: random.Random) -> str:
    """An invoice number "F2025-00142" the way customers type it."""
    letters, year, serial = number[:-11], number[-10:-6], number[-5:]
    return rng.choice((f"{letters}{year}-{serial}", f"{letters} {year} {serial}", f"{letters}{year}{serial}",
                       f"{year}-{serial}", f"FACT {year}/{int(serial)}", f"N° {letters}{year}.{serial}",
                       f"{letters.lower()}{year}-{serial}"))


def generate(rng: random.Random) -> tuple[list[Party], list[OpenItem], list[Credit]]:
    names = rng.sample([f"{a} {s}" for a in ACTIVITIES for s in SURNAMES], CUSTOMERS)
    parties, accounts = [], {}
    for c, name in enumerate(names, 1):
        form = rng.choice(FORMS)
        account = iban(rng)
        accounts[c] = account
        parties.append(Party(c, f"{name} {form}".strip(), f"C{c:05d}", f"{rng.randrange(10**8, 10**9)}",
                             (account,) if rng.random() < 0.8 else ()))
    weights = [rng.lognormvariate(0, 1.2) for _ in range(CUSTOMERS)]   # a few large accounts
    usual = {c: rng.randint(2_000, 300_000) for c in range(1, CUSTOMERS + 1)}   # a subscription's amount
    items, by_customer = [], {}
    for i, c in enumerate(rng.choices(range(1, CUSTOMERS + 1), weights, k=ITEMS), 1):
        issued = START + timedelta(days=rng.randint(0, 540))
        note = rng.random() < 0.03
        cents = -rng.randint(1_000, 50_000) if note else (usual[c] if rng.random() < 0.2
                                                          else rng.randint(2_000, 500_000))
        item = OpenItem(i, f"{'AV' if note else 'F'}{issued.year}-{i:05d}", c, Decimal(cents).scaleb(-2),
                        issued, issued + timedelta(days=rng.choice((30, 45, 60))))
        items.append(item)
        by_customer.setdefault(c, []).append(item)
    invoices = [item for item in items if item.due > 0]
    oldest = {c: sorted((i for i in own if i.due > 0), key=lambda i: (i.due_date, i.issue_date, i.invoice_id))
              for c, own in by_customer.items()}
    credits = []
    for key in range(1, max(SIZES) + 1):
        on = date(2026, 9, 1) + timedelta(days=rng.randint(0, 90))
        draw = rng.random()
        account = ""
        if draw < 0.50:   # a number quoted
            invoice = rng.choice(invoices)
            party = parties[invoice.customer_id - 1]
            quoted, amount = [invoice], invoice.due
            shape = rng.random()
            if shape < 0.05:
                second = rng.choice(oldest[invoice.customer_id])
                if second != invoice:
                    quoted.append(second)
                    amount += second.due
            elif shape < 0.15:
                amount = (invoice.due / 2).quantize(Decimal("0.01"))
            elif shape < 0.20:
                amount += Decimal(rng.randint(1, 2_000)).scaleb(-2)
            numbers = " ET ".join(spelled(i.number, rng) for i in quoted)
            label = rng.choice((f"VIR SEPA {party.name.upper()} REF {numbers}", f"/RFB/{numbers} /NOM/{party.name}",
                                f"PRLV {numbers}", f"VIR {numbers} {on:%d/%m/%Y} {str(amount).replace('.', ',')} EUR"))
            account = accounts[party.customer_id] if rng.random() < 0.5 else ""
        elif draw < 0.75:  # one invoice's exact amount, no number
            invoice = rng.choice(invoices)
            party, amount = parties[invoice.customer_id - 1], invoice.due
            how = rng.random()
            label = (f"VIR SEPA {party.name.upper()}" if how < 0.6 else f"VIR {party.code} REGLEMENT"
                     if how < 0.8 else f"VIREMENT DE {party.name} SIREN {party.siren}")
            account = accounts[party.customer_id] if how < 0.6 and rng.random() < 0.7 else ""
        elif draw < 0.85:  # the sum of a customer's 2–3 oldest invoices
            party = parties[rng.choice(invoices).customer_id - 1]
            own = oldest[party.customer_id][:rng.randint(2, 3)]
            amount = sum((i.due for i in own), Decimal(0))
            label, account = f"VIR SEPA {party.name.upper()} FACTURES", accounts[party.customer_id]
        else:              # noise
            label = rng.choice(NOISE).format(n=rng.randint(1000, 99_999_999))
            amount = Decimal(rng.randint(100, 300_000)).scaleb(-2)
            account = iban(rng) if rng.random() < 0.5 else ""
        credits.append(Credit(key, amount, on, label, account))
    return parties, items, credits


def baseline(credits: list[Credit], numbers: dict[str, OpenItem]) -> int:
    """Tokens of each label looked up in a dict of invoice numbers: the exact spelling only."""
    hits = 0
    for credit in credits:
        for token in credit.label.upper().split():
            if token in numbers:
                hits += 1
    return hits


def main() -> None:
    parties, items, credits = generate(random.Random(11))
    built, book = best(lambda: Book(parties, items))
    numbers = {item.number: item for item in items}
    print(f"{ITEMS} open items of {CUSTOMERS} customers; Book built in {built:.2f} s; best of {RUNS}")
    print(f"{'credits':>8}{'match_all':>12}{'per credit':>12}{'baseline':>11}{'ratio':>8}"
          f"{'certain':>9}{'other':>8}{'none':>8}")
    for size in SIZES:
        some = credits[:size]
        ours, proposals = best(lambda: match_all(some, book))
        base, _ = best(lambda: baseline(some, numbers))
        certain = sum(p.confidence == "certain" for p in proposals)
        other = len(proposals) - certain
        print(f"{size:>8}{ours:>10.3f} s{ours / size * 1e6:>9.1f} µs{base:>9.3f} s{ours / base:>8.1f}"
              f"{certain / size:>9.0%}{other / size:>8.0%}{(size - len(proposals)) / size:>8.0%}")


if __name__ == "__main__":
    main()
