"""Public buyers (DOMAIN.md, "Payment terms": the State, local authorities and public bodies pay within 30
days, public health establishments 50, Code de la commande publique R2192-10 to R2192-12): a customer an
import creates is given the public segment when its name says it is one (« Mairie de Saint-Rémy », « CHU de
Nantes »), or its legal category (INSEE catégorie juridique 7…: personne morale de droit administratif) when
a file gives it. The reason is said to the owner; an existing customer's segment is never changed here."""

from __future__ import annotations

from app.domain.text import fold

# the words a public body's name starts with, folded (no accents, lower case): « Mairie de … », « Lycée … »
PUBLIC_NAME_STARTS = (
    "mairie", "commune", "ville de", "departement", "conseil departemental", "conseil general", "region",
    "conseil regional", "centre hospitalier", "chu", "chr", "hopital", "hopitaux", "assistance publique",
    "lycee", "college", "ecole", "groupe scolaire", "universite", "prefecture", "sous prefecture", "ministere",
    "rectorat", "communaute de communes", "communaute d agglomeration", "communaute urbaine", "metropole",
    "syndicat intercommunal", "syndicat mixte", "centre communal d action sociale", "ccas", "sdis",
    "service departemental d incendie", "office public de l habitat", "etablissement public",
)
# words found further in the name that say it: « Ville de Lyon - Mairie du 3e », « Nantes CHU »; not after a
# word that makes them a place, the business's address or sign: « Bar la Mairie », « Pharmacie du CHU »
PUBLIC_NAME_WORDS = ("mairie", "centre hospitalier", "chu", "communaute de communes", "syndicat intercommunal",
                     "prefecture", "etablissement public")
PLACE_WORDS = frozenset({"la", "le", "l", "les", "du", "des", "de", "d", "au", "aux", "a", "pres", "face", "vers"})
# a private school or clinic says so: never taken for a public body
PRIVATE_WORDS = ("prive", "privee", "privees", "prives", "de conduite", "sarl", "sas", "eurl", "sasu")

PUBLIC_LEGAL_CATEGORY = "7"  # INSEE catégories juridiques 7xxx: personnes morales de droit administratif


def public_reason(name: str, legal_category: str = "") -> str | None:
    """Why a customer named ``name`` (of INSEE ``legal_category`` when known) is a public body, in French
    (« d'après son nom »), or None when nothing says it is. A SIREN alone says nothing: INSEE numbers public
    bodies and companies in one sequence."""
    category = legal_category.strip()
    if category:
        if category.startswith(PUBLIC_LEGAL_CATEGORY):
            return f"d'après sa catégorie juridique {category}"
        return None  # a category says what the body is: a name is not better evidence
    words = f" {fold(name).replace(chr(39), ' ')} "
    if any(f" {word} " in words for word in PRIVATE_WORDS):
        return None
    if any(words.startswith(f" {start} ") for start in PUBLIC_NAME_STARTS) \
            or any(_names_a_body(words, word) for word in PUBLIC_NAME_WORDS):
        return "d'après son nom"
    return None


def _names_a_body(words: str, word: str) -> bool:
    """Is ``word`` somewhere in ``words`` (folded, a space at each end) not right after a word that makes it a
    place?"""
    start = words.find(f" {word} ")
    while start >= 0:
        before = words[:start].split()
        if not before or before[-1] not in PLACE_WORDS:
            return True
        start = words.find(f" {word} ", start + 1)
    return False


def public_note(name: str, reason: str) -> str:
    """What the import report says of a customer it created as a public body."""
    return (f"{name} : organisme public ({reason}) ; créé dans le segment « Organisme public » (délai de paiement "
            "légal de 30 jours, relances adaptées), modifiable sur sa fiche.")
