from app.domain.text import company_key, fold, without_accents


def test_one_folding_for_search_headers_and_customers():
    assert without_accents("Électricité Générale") == "electricite generale"
    assert fold("Montant T.T.C. (€)") == "montant ttc"
    assert fold("N° Facture") == "no facture"
    assert company_key("Dupont S.A.") == company_key("DUPONT SA") == company_key("Dupont, SA") == "dupont"
    assert company_key("Dupont et Fils SA") == "dupont et fils"   # not the same firm as "Dupont"
