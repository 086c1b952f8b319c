"""A remaining amount stated by an export ("Reste dû") below zero or above the invoice's total is refused at
its line (DOMAIN.md, "Money received from several sources"): it would settle the invoice beyond its amount."""

from decimal import Decimal as D

import pytest

from app.importers import spreadsheet
from app.importers.records import remaining_error

ROWS = [
    "N° facture;Date;Client;Montant TTC;Reste dû",
    "F-1;01/10/2026;Dupont SA;100,00;-50,00",      # below zero
    "F-2;01/10/2026;Dupont SA;100,00;100,01",      # above the total
    "F-3;01/10/2026;Dupont SA;100,00;100,00",      # nothing paid yet
    "F-4;01/10/2026;Dupont SA;100,00;0,00",        # paid
    "AV-5;01/10/2026;Dupont SA;(12,50);(12,50)",   # a credit note not used yet
    "AV-6;01/10/2026;Dupont SA;(12,50);5,00",      # a credit note's remaining amount above zero
    "F-7;01/10/2026;Dupont SA;;40,00",             # no total: the remaining amount stands for it
]


def test_a_remaining_amount_out_of_range_is_a_located_problem(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    result = spreadsheet.read(path)
    assert [i.number for i in result.invoices] == ["F-3", "F-4", "AV-5", "F-7"]
    assert [str(p) for p in result.problems] == [
        "ligne 2, colonne Reste dû : « -50,00 » n'est pas possible : le reste dû ne peut être ni négatif ni "
        "supérieur au montant de la facture (100,00\u00a0€)",
        "ligne 3, colonne Reste dû : « 100,01 » n'est pas possible : le reste dû ne peut être ni négatif ni "
        "supérieur au montant de la facture (100,00\u00a0€)",
        "ligne 7, colonne Reste dû : « 5,00 » n'est pas possible : le reste dû d'un avoir va de son montant "
        "(-12,50\u00a0€) à zéro",
    ]


@pytest.mark.parametrize(("total", "still_due", "allowed"), [
    ("100", "0", True), ("100", "100", True), ("100", "-0.01", False), ("100", "100.01", False),
    ("-12.50", "-12.50", True), ("-12.50", "0", True), ("-12.50", "0.01", False), ("-12.50", "-12.51", False),
    ("0", "0", True), ("0", "1", False),
])
def test_the_remaining_amount_lies_between_zero_and_the_total(total, still_due, allowed):
    assert (remaining_error(D(total), D(still_due)) is None) == allowed
