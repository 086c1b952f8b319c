from decimal import Decimal as D

from app.domain.guarantees import covered, not_covered, uncovered


def test_insurance_pays_its_percentage_of_the_exposure_within_the_cover():
    cover = [(D("10000"), D("0.90"))]
    assert covered(D("5000"), cover) == D("4500.00")     # min(5 000, 10 000) × 90 %: 500 uncovered
    assert covered(D("9500"), cover) == D("8550.00")     # 950 uncovered, and no excess over the cover
    assert covered(D("12000"), cover) == D("9000.00")    # min(12 000, 10 000) × 90 %


def test_several_guarantees_add_up_to_the_exposure_at_most():
    covers = [(D("3000"), D("0.90")), (D("2000"), D("1"))]   # insurance + bank guarantee
    assert covered(D("2500"), covers) == D("2500.00")   # 2 250 + 2 000, capped at what is owed
    assert covered(D("10000"), covers) == D("4700.00")  # 2 700 + 2 000
    assert covered(D("0"), covers) == D("0.00") and covered(D("-50"), covers) == D("0.00")
    assert covered(D("1000"), []) == D("0.00")


def test_uncovered_exposure_is_what_the_covers_do_not_pay_not_the_excess_over_the_cover():
    """DOMAIN.md: uncovered = exposure − min(exposure, cover) × %."""
    cover = [(D("10000"), D("0.90"))]
    assert uncovered(D("12000"), cover) == D("3000.00")  # 12 000 − 9 000, where the excess is only 2 000
    assert uncovered(D("5000"), cover) == D("500.00")    # within the cover, the insurer's last 10 % still
    assert uncovered(D("5000"), []) == D("5000")
    assert uncovered(D("-50"), cover) == D("0.00")
    assert not_covered(D("1550.00"), None) == D("1550.00") and not_covered(D("1550.00"), D("900.00")) == D("650.00")
