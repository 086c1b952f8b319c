"""French counts: thousands apart by a narrow no-break space, the noun plural from 2."""

from app.ui.format import fr_count


def test_counts_are_written_as_french_writes_them():
    assert fr_count(89325, "facture") == "89\u202f325 factures"
    assert fr_count(1, "action") == "1 action"
    assert fr_count(0, "facture") == "0 facture"
    assert fr_count(17569) == "17\u202f569"
