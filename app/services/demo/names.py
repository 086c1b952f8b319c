"""French names, places and identifiers for the demo company (``app.services.demo``).

Kept apart from the simulation so that the behaviour of customers reads without a page of surnames in
the way. Every helper draws from the ``random.Random`` it is given, so one seed gives one company.
Identifiers are valid, not merely well-shaped: a demo SIREN passes the Luhn check the customer form
applies, an IBAN passes mod-97, so the demo never shows a validation error the user did not cause.
"""

from __future__ import annotations

import random
import unicodedata

from stdnum import iban as stdnum_iban
from stdnum import luhn

from app.domain.terms import TermsKind
from app.models import Segment

RECOVERY_COURT = "Tribunal des activités économiques de Lyon"
MANDATAIRE = {"mandataire_name": "SELARL Vasseur & Chambon, mandataires judiciaires",
              "mandataire_address": "Me Claire Vasseur\n27 rue Servient\n69003 Lyon",
              "mandataire_email": "secretariat@vasseur-chambon-mj.fr"}  # fictitious
SALESPEOPLE = ("Julien", "Sophie", "Karim", "Nathalie")

SURNAMES = (
    "Martin", "Bernard", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin",
    "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roche", "Meyer", "Meunier", "Marchand",
    "Dufour", "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Renard",
    "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud",
    "Lemoine", "Picard", "Gaillard", "Lacroix", "Fabre", "Dupuis", "Olivier", "Da Silva", "Hubert",
    "Guillot", "Rivière", "Le Gall", "Berger", "Fleury", "Deschamps", "Carpentier", "Maillard", "Aubry",
    "Jacquet", "Collet", "Prévost", "Poirier", "Charpentier", "Royer", "Baron", "Dupuy", "Pons", "Carré",
    "Breton", "Perrot", "Guyot", "Marty", "Cousin", "Chauvin", "Besson", "Bouvier", "Vernay", "Chapuis",
)
MALE_FIRST_NAMES = (
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Laurent", "Stéphane",
    "Julien", "Thomas", "Sébastien", "David", "Olivier", "Éric", "Frédéric", "Antoine", "Maxime", "Hugo",
    "Lucas", "Mathieu", "Vincent", "Patrick", "Bruno", "Karim", "Yannick",
)
FEMALE_FIRST_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Christine", "Sophie", "Valérie", "Sandrine",
    "Céline", "Claire", "Émilie", "Julie", "Camille", "Anne", "Laura", "Manon", "Chloé", "Aurélie",
    "Hélène", "Agnès", "Martine", "Samia", "Élodie",
)

# (activity word in a trade name, its NAF code): the kind of firm that orders joinery work.
ACTIVITIES = (
    ("Boulangerie", "10.71C"), ("Garage", "45.20A"), ("Cabinet comptable", "69.20Z"),
    ("Restaurant", "56.10A"), ("Pharmacie", "47.73Z"), ("Agence immobilière", "68.31Z"),
    ("Hôtel", "55.10Z"), ("Boucherie", "47.22Z"), ("Cabinet d'architecture", "71.11Z"),
    ("Maçonnerie", "43.99C"), ("Plomberie", "43.22A"), ("Électricité", "43.21A"),
    ("Peinture", "43.34Z"), ("Constructions", "41.20A"), ("Coiffure", "96.02A"),
    ("Cabinet médical", "86.21Z"), ("Cabinet dentaire", "86.23Z"), ("Meubles", "47.59A"),
    ("Syndic", "68.32A"), ("Cave", "47.25Z"), ("Fleurs", "47.76Z"), ("Librairie", "47.61Z"),
    ("Auto-école", "85.53Z"), ("Transports", "49.41A"), ("Imprimerie", "18.12Z"),
    ("Carrelage", "43.33Z"), ("Couverture", "43.91B"), ("Fromagerie", "47.29Z"),
)
PLACES = (
    "du Centre", "de la Gare", "des Tilleuls", "du Marché", "de la Place", "des Platanes", "du Lac",
    "de la Saône", "du Beaujolais", "des Pierres Dorées", "du Pont", "de l'Église",
)
LEGAL_FORMS = ("SARL", "SAS", "SASU", "EURL", "SA")
KEY_ACCOUNT_PATTERNS = (
    ("Groupe {} Construction SA", "41.20A"), ("{} Promotion SAS", "41.10A"), ("{} Immobilier SA", "68.10Z"),
    ("Résidences {} SAS", "87.30A"), ("{} Bâtiment Rhône-Alpes SAS", "41.20A"), ("Foncière {} SA", "68.20B"),
    ("{} Habitat SAS", "41.10A"), ("Hôtels {} SA", "55.10Z"),
)
SCHOOL_PATRONS = (
    "Jean Moulin", "Victor Hugo", "Jules Ferry", "Pierre et Marie Curie", "Simone Veil", "Louis Pasteur",
    "Jean Jaurès", "Albert Camus", "Antoine de Saint-Exupéry", "Lucie Aubrac", "Claude Bernard",
)

# Real towns and postcodes around the company's seat (Beaujolais, Lyon, Ain), plus Paris for head offices.
TOWNS = (
    ("Villefranche-sur-Saône", "69400"), ("Lyon", "69003"), ("Lyon", "69006"), ("Lyon", "69007"),
    ("Lyon", "69009"), ("Anse", "69480"), ("Belleville-en-Beaujolais", "69220"), ("Tarare", "69170"),
    ("Limas", "69400"), ("Gleizé", "69400"), ("Trévoux", "01600"), ("Bourg-en-Bresse", "01000"),
    ("Mâcon", "71000"), ("Vienne", "38200"), ("Villeurbanne", "69100"), ("Caluire-et-Cuire", "69300"),
    ("Écully", "69130"), ("Tassin-la-Demi-Lune", "69160"), ("Neuville-sur-Saône", "69250"),
    ("Saint-Étienne", "42000"), ("Roanne", "42300"), ("Oullins", "69600"), ("Meyzieu", "69330"),
    ("Bron", "69500"), ("Chessy", "69380"), ("Châtillon-sur-Chalaronne", "01400"), ("Miribel", "01700"),
    ("Jassans-Riottier", "01480"), ("Villars-les-Dombes", "01330"), ("Brignais", "69530"),
    ("L'Arbresle", "69210"), ("Dardilly", "69570"), ("Limonest", "69760"), ("Genay", "69730"),
    ("Quincieux", "69650"), ("Saint-Genis-Laval", "69230"), ("Montluel", "01120"), ("Lentilly", "69210"),
)
HEAD_OFFICE_TOWNS = (("Paris", "75008"), ("Paris", "75015"), ("Lyon", "69002"), ("Grenoble", "38000"))
STREETS = (
    "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "chemin des Vignes", "route de Lyon",
    "ZA des Communaux", "boulevard Gambetta", "rue Pasteur", "impasse des Tilleuls", "allée des Acacias",
    "rue du Stade", "rue des Frères Lumière", "avenue de la Gare", "rue Nationale", "quai de Saône",
    "rue du Commerce", "chemin de la Croix", "rue des Écoles",
)
DEPARTMENTS = (("Conseil départemental du Rhône", "Lyon", "69003"),
               ("Conseil départemental de l'Ain", "Bourg-en-Bresse", "01000"))

INSURERS = (("Allianz Trade", "{}/10"), ("Coface", "DRA {}"), ("Atradius", "{}/10"))  # name, grade format
GUARANTOR_BANKS = ("Crédit Agricole Centre-Est", "BNP Paribas", "Banque Populaire Auvergne Rhône Alpes",
                   "CIC Lyonnaise de Banque")
DISPUTE_REASONS = ("Livraison incomplète", "Prix contesté", "Malfaçon signalée sur la pose",
                   "Quantités facturées supérieures au bon de livraison", "Bon de commande introuvable")
CALLS = ("Appel au service comptable : facture {} en circuit de validation.",
         "Messagerie : message laissé au sujet de la facture {}.",
         "Le client demande un duplicata de la facture {}, envoyé par e-mail.",
         "Facture {} : le client dit avoir envoyé le règlement, à vérifier sur le relevé.")
NOTES = ("Préfère être relancé par e-mail.", "Nouveau contact comptable depuis la rentrée.",
         "Paie en fin de mois, groupe ses règlements.", "Demande les factures en PDF avec le bon signé.")

BANKS = (("30004", "BNPAFRPPXXX"), ("30003", "SOGEFRPPXXX"), ("10278", "CMCIFR2AXXX"),
         ("17806", "AGRIFRPP878"), ("30002", "CRLYFRPPXXX"), ("16807", "CCBPFRPPGRE"))


def slug(text: str) -> str:
    """Plain ASCII for e-mail addresses: "Boulangerie Lefèvre & Fils" -> "boulangerie-lefevre-fils"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words)


def siren(rng: random.Random, prefix: str = "") -> str:
    """A SIREN passing the Luhn check; public bodies keep their real prefixes (21 communes, 22
    départements, 19 schools)."""
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(8 - len(prefix)))
    if body[0] == "0":
        body = "3" + body[1:]
    return body + luhn.calc_check_digit(body)


def vat_number(siren_number: str) -> str:
    """The French intra-EU VAT number: FR, a key of (12 + 3 × (SIREN mod 97)) mod 97, the SIREN."""
    return f"FR{(12 + 3 * (int(siren_number) % 97)) % 97:02d}{siren_number}"


def iban(rng: random.Random, bank: str | None = None) -> tuple[str, str]:
    """A French IBAN and its BIC: a RIB (bank, branch, 11-digit account, key) with IBAN check digits."""
    bank_code, bic = next((b for b in BANKS if b[0] == bank), None) or rng.choice(BANKS)
    branch = f"{rng.randint(1, 99999):05d}"
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    key = 97 - (89 * int(bank_code) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank_code}{branch}{account}{key:02d}"
    return f"FR{stdnum_iban.calc_check_digits('FR00' + bban)}{bban}", bic


def phone(rng: random.Random, postcode: str, mobile: bool = False) -> str:
    """"04 74 12 34 56": 01 in Île-de-France, 04 in the south-east, 06/07 for a mobile."""
    if mobile:
        lead = rng.choice(("06", "07"))
    else:
        lead = "01" if postcode[:2] in ("75", "77", "78", "91", "92", "93", "94", "95") else "04"
    return " ".join([lead, str(rng.randint(10, 99))] + [f"{rng.randint(0, 99):02d}" for _ in range(3)])


def person(rng: random.Random) -> tuple[str, str, str]:
    """A civility, a first name and a surname: ("Mme", "Claire", "Rousseau")."""
    if rng.random() < 0.5:
        return "M.", rng.choice(MALE_FIRST_NAMES), rng.choice(SURNAMES)
    return "Mme", rng.choice(FEMALE_FIRST_NAMES), rng.choice(SURNAMES)


def street_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 120)} {rng.choice(STREETS)}"


def private_name(rng: random.Random) -> tuple[str, str]:
    """A small business's trade name and its NAF code, e.g. ("Boulangerie Martin & Fils", "10.71C")."""
    activity, naf = rng.choice(ACTIVITIES)
    surname = rng.choice(SURNAMES)
    pattern = rng.randrange(6)
    if pattern == 0:
        return f"{activity} {surname}", naf
    if pattern == 1:
        return f"{activity} {surname} & Fils", naf
    if pattern == 2:
        return f"{surname} {activity} {rng.choice(LEGAL_FORMS)}", naf
    if pattern == 3:
        return f"{rng.choice(LEGAL_FORMS)} {surname}-{rng.choice(SURNAMES)}", naf
    if pattern == 4:
        return f"{activity} {rng.choice(PLACES)}", naf
    return f"{activity} {surname} {rng.choice(LEGAL_FORMS)}", naf


def key_account_name(rng: random.Random) -> tuple[str, str]:
    """A regional group (developer, social housing, hotels) and its NAF code."""
    pattern, naf = rng.choice(KEY_ACCOUNT_PATTERNS)
    return pattern.format(rng.choice(SURNAMES)), naf


def of(town: str) -> str:
    """"de Tarare", "d'Écully": French elides "de" before a vowel."""
    return f"d'{town}" if town[0] in "AEÉIOUY" else f"de {town}"


def public_body(rng: random.Random) -> tuple[str, str, str, str, str]:
    """A public buyer: name, NAF code, SIREN prefix of its category, town, postcode."""
    town, postcode = rng.choice(TOWNS)
    roll = rng.randrange(10)
    if roll < 5:
        return f"Mairie {of(town)}", "84.11Z", "21", town, postcode
    if roll < 7:
        return f"Collège {rng.choice(SCHOOL_PATRONS)} ({town})", "85.31Z", "19", town, postcode
    if roll < 8:
        return f"Lycée professionnel {rng.choice(SCHOOL_PATRONS)} ({town})", "85.32Z", "19", town, postcode
    if roll < 9:
        return f"Centre hospitalier {of(town)}", "86.10Z", "26", town, postcode
    name, town, postcode = rng.choice(DEPARTMENTS)
    return name, "84.11Z", "22", town, postcode


def consumer(rng: random.Random) -> tuple[str, str]:
    """A household and its e-mail: ("M. et Mme Lefèvre", "julie.lefevre@orange.fr")."""
    civility, first, surname = person(rng)
    name = f"M. et Mme {surname}" if rng.random() < 0.5 else f"{civility} {first} {surname}"
    provider = rng.choice(("orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "wanadoo.fr"))
    return name, f"{slug(first)}.{slug(surname)}@{provider}"


def bank_label(text: str) -> str:
    """How a bank statement spells a name: upper-case ASCII, at most 32 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return " ".join(ascii_text.replace("'", " ").split())[:32]


def company() -> dict:
    """Atelier Dubois SARL, the same whatever the seed; its SIREN and IBAN are valid by construction."""
    siren_number = "82345678" + luhn.calc_check_digit("82345678")
    account, bic = iban(random.Random(siren_number), bank="17806")
    return {"id": 1, "name": "Atelier Dubois SARL", "siren": siren_number, "vat_number": vat_number(siren_number),
            "address": "12 chemin des Artisans\nZA du Bordelan", "postcode": "69400",
            "city": "Villefranche-sur-Saône", "email": "compta@atelier-dubois.fr", "phone": "04 74 62 18 40",
            "iban": account, "bic": bic, "terms_kind": TermsKind.NET.value, "terms_days": 30, "tolerance_cents": 500}


def customer_identity(rng: random.Random, segment: Segment, used: set[str]) -> dict:
    """A customer's name (unique among ``used``, which it joins), identifiers and contact details."""
    while True:
        if segment is Segment.CONSUMER:
            name, email = consumer(rng)
            town, postcode = rng.choice(TOWNS)
            naf = prefix = ""
        elif segment is Segment.PUBLIC:
            name, naf, prefix, town, postcode = public_body(rng)
        elif segment is Segment.KEY_ACCOUNT:
            (name, naf), prefix = key_account_name(rng), ""
            town, postcode = rng.choice(HEAD_OFFICE_TOWNS)
        else:
            (name, naf), prefix = private_name(rng), ""
            town, postcode = rng.choice(TOWNS)
        if name not in used:
            used.add(name)
            break
    civility, first, surname = person(rng)
    row = {"name": name, "address": street_address(rng), "postcode": postcode, "city": town}
    if segment is Segment.CONSUMER:
        return row | {"siren": "", "vat_number": "", "naf_code": "", "contact_name": name, "email": email,
                      "phone": phone(rng, postcode, mobile=True)}
    siren_number = siren(rng, prefix)
    mailbox = rng.choice(("comptabilite", "compta", "factures", f"{slug(first)}.{slug(surname)}"))
    return row | {"siren": siren_number, "vat_number": vat_number(siren_number), "naf_code": naf,
                  "contact_name": f"{civility} {first} {surname}", "phone": phone(rng, postcode),
                  "email": f"{mailbox}@{slug(name)[:40].strip('-')}.fr"}
