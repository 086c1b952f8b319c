"""Identifiers checked before they are saved: SIREN (9 digits) and SIRET (14 digits), both Luhn-checked
(INSEE), and IBAN (ISO 13616 mod-97), with python-stdnum so the rules are the maintained ones."""

from __future__ import annotations


def clean_siren(text: str) -> str:
    """A SIREN or SIRET as typed ("732 829 320", "732.829.320") reduced to its digits."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-")


def siren_error(text: str) -> str | None:
    """Why ``text`` is not a valid SIREN or SIRET, in French; None when it is valid or empty."""
    from stdnum.fr import siren, siret

    value = clean_siren(text)
    if not value:
        return None
    if not value.isdigit():
        return "Un SIREN ne contient que des chiffres."
    if len(value) == 9:
        return None if siren.is_valid(value) else "Ce SIREN est invalide (clé de contrôle fausse)."
    if len(value) == 14:
        return None if siret.is_valid(value) else "Ce SIRET est invalide (clé de contrôle fausse)."
    return f"Un SIREN a 9 chiffres, un SIRET 14 ; celui-ci en a {len(value)}."


def siren_of(text: str) -> str:
    """The 9-digit SIREN of a SIREN or SIRET."""
    return clean_siren(text)[:9]


def iban_error(text: str) -> str | None:
    """Why ``text`` is not a valid IBAN, in French; None when it is valid or empty. The company's IBAN is
    printed on every letter: a wrong one sends customers' money nowhere."""
    from stdnum import iban

    if not text.strip():
        return None
    try:
        iban.validate(text)
    except iban.InvalidLength:
        return "Cet IBAN n'a pas la bonne longueur (27 caractères pour un compte français)."
    except Exception:  # stdnum's ValidationError family: bad characters, bad check digits
        return "Cet IBAN est invalide (clé de contrôle fausse) : recopiez-le depuis votre RIB."
    return None


def format_iban(text: str) -> str:
    """An IBAN in groups of four, as banks print it: "FR76 3000 6000 0112 3456 7890 189"."""
    compact = "".join(text.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
