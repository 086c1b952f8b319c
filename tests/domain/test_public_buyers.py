"""Public buyers recognised by their name or their legal category (DOMAIN.md, Payment terms)."""

import pytest

from app.domain.public_buyers import public_note, public_reason


@pytest.mark.parametrize("name", ["Mairie de Saint-Rémy", "Commune de Plouha", "Département du Gers", "Région Bretagne",
                                  "Centre hospitalier de Dax", "CHU de Nantes", "Hôpital Necker", "Lycée Jean Moulin",
                                  "Collège Victor Hugo", "École maternelle des Lilas", "Université de Rennes",
                                  "Préfecture du Rhône", "Communauté de communes du Val d'Oust",
                                  "Syndicat intercommunal des eaux", "Nantes CHU", "MAIRIE DE LYON",
                                  "Ville de Lyon - Mairie du 3e", "Saint-Malo Mairie"])
def test_a_public_body_is_told_by_its_name(name):
    assert public_reason(name) == "d'après son nom"


@pytest.mark.parametrize("name", ["Garage Petit", "Boulangerie de la Région", "École de conduite Dupont",
                                  "Lycée privé Saint-Jean", "LE CLIENT", "Collège SAS", "Communication Plus",
                                  "BAR LA MAIRIE", "Café de la Mairie", "Pharmacie du CHU",
                                  "Hôtel de la Préfecture", "Tabac près la mairie"])
def test_a_private_business_is_not_taken_for_a_public_body(name):
    assert public_reason(name) is None


def test_the_legal_category_says_it_when_a_file_gives_it():
    assert public_reason("SIVOM du Canton", "7354") == "d'après sa catégorie juridique 7354"
    assert public_reason("Mairie Café", "5499") is None  # a SARL named so: its category is better evidence


def test_the_note_names_the_customer_and_the_reason():
    assert public_note("Mairie de Saint-Rémy", "d'après son nom") == (
        "Mairie de Saint-Rémy : organisme public (d'après son nom) ; créé dans le segment « Organisme public » "
        "(délai de paiement légal de 30 jours, relances adaptées), modifiable sur sa fiche.")
