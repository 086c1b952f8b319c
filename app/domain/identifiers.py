"""French company identifiers: SIREN (9 digits) and SIRET (14 digits), both Luhn-checked (INSEE),
checked with python-stdnum so the rule is the maintained one."""

from __future__ import annotations


def clean_siren(text: str) -> str:
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
