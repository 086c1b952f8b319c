"""What a customer's collective proceedings do to the dunning, the score and the alerts, in the pure domain
(the ledger's figures are tests/services/test_proceedings_effects.py's): judgment 05/10/2026, seen on
23/11/2026."""

from datetime import date
from decimal import Decimal as D

from app.domain.alerts import deadlines_text
from app.domain.insolvency import CustomerDeadlines, Deadline, Proceeding, ProceedingKind
from app.domain.scoring import ScoreInput, score
from tests.domain.test_dunning import AT, account, bill, run


JUDGMENT = date(2026, 10, 5)


def proceeding(published_on=date(2026, 10, 16), **more):
    return Proceeding(ProceedingKind.RECOVERY, JUDGMENT, published_on, **more)


def test_held_until_the_publication_then_by_the_deadline_then_forclos():
    old = bill("F1", 80, "900.00")  # issued 30 days before its due date of 04/09: before the judgment
    for given, at, reason in [
        (proceeding(None), AT, "redressement judiciaire depuis le 05/10/2026 : publication au BODACC à venir "
                               "(les délais de déclaration en partent)"),
        (proceeding(), AT, "redressement judiciaire depuis le 05/10/2026 : déclaration de créance avant le "
                           "16/12/2026"),
        (proceeding(published_on=date(2026, 2, 2), abroad=True), AT,
         "redressement judiciaire depuis le 05/10/2026 : créance non déclarée, délai de relevé de forclusion dépassé"),
    ]:
        actions, (held,) = run(account(old, proceeding=given))
        assert not actions and (held.reason, held.net_overdue) == (reason, D("900.00"))


def test_the_post_judgment_invoices_alone_are_chased_and_the_holds_add_up():
    old, new = bill("F1", 80, "900.00"), bill("F2", 3, "250.00")  # F2 issued 21/10, after the judgment
    actions, (held,) = run(account(old, new, proceeding=proceeding()))
    assert not actions  # F2 is 3 days late: its first reminder comes on day 7
    assert held.reason == ("redressement judiciaire depuis le 05/10/2026 : déclaration de créance avant le "
                           "16/12/2026 ; factures postérieures : 1re relance possible le 27/11/2026")
    assert (held.net_overdue, held.until) == (D("1150.00"), date(2026, 11, 27))


def test_the_score_of_a_customer_in_proceedings_is_the_worst():
    data = ScoreInput(at=AT, average_delay=D(0), delay_trend=D(0), exposure=D("900.00"), overdue=D("0.00"),
                      credit_limit=None, cover=D("900.00"), open_disputes=0, customer_since=date(2015, 1, 1),
                      segment="public", external_rating="A")
    assert score(data).points == 1
    result = score(data._replace(proceeding=proceeding()))
    assert (result.points, result.grade, result.factors[0].key, result.factors[0].points) == (
        100, "E", "proceedings", 100)
    assert len(result.factors) == len(score(data).factors) + 1


def test_the_alert_counts_down_and_says_a_deadline_passed():
    shown = CustomerDeadlines(7, "Boulangerie Martin", ProceedingKind.LIQUIDATION,
                              (Deadline("déclaration de créance", date(2026, 11, 23), 0),),
                              Deadline("assureur-crédit", date(2026, 10, 31), -23))
    assert deadlines_text(shown) == ("Boulangerie Martin — liquidation judiciaire : déclaration de créance avant "
                                     "le 23/11/2026 (aujourd'hui) ; assureur-crédit avant le 31/10/2026 (dépassé)")
