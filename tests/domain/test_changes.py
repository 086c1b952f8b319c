"""What an edit changed, in the words of the history."""

from app.domain.changes import added_removed, changed, sentence, shown

LABELS = {"terms": "délai de paiement", "credit_limit": "limite de crédit", "city": "ville"}


def test_only_the_fields_that_differ_are_said_in_the_order_of_their_labels():
    before = {"terms": "30 jours", "credit_limit": "10 000,00 €", "city": "Lyon"}
    after = {"terms": "45 jours", "credit_limit": "15 000,00 €", "city": "Lyon"}
    assert sentence(changed(LABELS, before, after)) == (
        "Délai de paiement : 30 jours → 45 jours ; limite de crédit : 10 000,00 € → 15 000,00 €")


def test_a_blank_value_reads_as_a_dash_and_a_long_one_is_cut():
    before = {"terms": "30 jours", "credit_limit": "", "city": "x" * 80}
    after = {"terms": "30 jours", "credit_limit": "5 000,00 €", "city": "Lyon"}
    assert changed(LABELS, before, after) == ["limite de crédit : — → 5 000,00 €",
                                              f"ville : {'x' * 59}… → Lyon"]
    assert shown("  deux\nlignes ") == "deux lignes"


def test_items_of_a_list_added_and_removed_are_counted_as_often_as_they_appear():
    before = ["Acompte, 30 %", "Caution bancaire BNP, 10 000,00 €"]
    after = ["Acompte, 30 %", "Acompte, 30 %", "Assurance-crédit Atradius, 90 %"]
    assert added_removed("garantie", before, after) == [
        "garantie retirée : Caution bancaire BNP, 10 000,00 €", "garantie ajoutée : Acompte, 30 %",
        "garantie ajoutée : Assurance-crédit Atradius, 90 %"]


def test_nothing_changed_says_nothing():
    same = {"terms": "30 jours", "credit_limit": "", "city": "Lyon"}
    assert sentence(changed(LABELS, same, dict(same))) == ""
