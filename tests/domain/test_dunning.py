"""Today's dunning actions, on 23/11/2026, with the default plan of a private business (days from the due
date: courtesy -5 for risky customers, 1st reminder 7, 2nd 15, call 25, formal notice 35, litigation 50)
and of a public body (1st reminder 15, 2nd 30, call 40, formal notice 50, litigation 70). Tolerance 5 €."""

from datetime import date, timedelta
from decimal import Decimal as D

from app.domain.dunning import CustomerAccount, OpenInvoice, Plan, todays_actions

AT = date(2026, 11, 23)
PRIVATE = Plan("private", {"pre_due": -5, "first_reminder": 7, "second_reminder": 15, "phone_call": 25,
                           "formal_notice": 35, "litigation": 50})
PUBLIC = Plan("public", {"first_reminder": 15, "second_reminder": 30, "phone_call": 40, "formal_notice": 50,
                         "litigation": 70})
TOLERANCE = D("5.00")


def bill(number, days_late, amount, done=(), dispute=""):
    due = AT - timedelta(days=days_late)
    return OpenInvoice(hash(number) % 10_000, number, due - timedelta(days=30), due, D(amount), frozenset(done),
                       dispute)


def account(*invoices, plan=PRIVATE, customer_id=1, name="Garage Petit", **more):
    return CustomerAccount(customer_id, name, plan, invoices, **more)


def run(*accounts):
    return todays_actions(AT, list(accounts), TOLERANCE)


def test_one_action_per_customer_at_the_highest_step_listing_every_overdue_invoice():
    actions, holds = run(account(bill("A", 13, "100.00"), bill("B", 44, "250.00"), bill("C", 3, "40.00"),
                                 bill("D", -10, "999.00")))
    (action,) = actions
    # A reached the 1st reminder (13 >= 7), B the formal notice (44 >= 35), C nothing yet (3 < 7), D is not due
    assert action.step == "formal_notice"
    assert [i.number for i in action.invoices] == ["A", "B", "C"] and action.amount_due == D("390.00")
    assert action.days_late == 44 and holds == []
    # nothing was ever sent for B: the steps it went past are named, not skipped silently
    assert action.skipped == ("first_reminder", "second_reminder", "phone_call")


def test_a_step_done_is_not_proposed_again_and_done_steps_are_not_said_skipped():
    done = ("first_reminder", "second_reminder")
    assert run(account(bill("A", 22, "100.00", done=done))) == ([], [])  # 2nd reminder reached and sent
    (action,), _ = run(account(bill("A", 27, "100.00", done=done)))       # 27 >= 25: the call
    assert (action.step, action.skipped) == ("phone_call", ())


def test_unallocated_credits_are_deducted_and_small_amounts_not_chased():
    (action,), _ = run(account(bill("A", 10, "300.00"), credits=D("120.00")))
    assert (action.credits, action.amount_due) == (D("120.00"), D("180.00"))
    actions, holds = run(account(bill("A", 10, "300.00"), credits=D("297.00")))
    assert actions == []
    assert holds[0].reason == "montant dû (3,00\u00a0€, avoirs déduits) sous la tolérance de 5,00\u00a0€"
    actions, holds = run(account(bill("A", 10, "4.99")))
    assert actions == [] and holds[0].reason == "A : reste dû sous la tolérance de 5,00\u00a0€"


def test_a_dispute_keeps_its_invoice_out_and_says_why():
    (action,), _ = run(account(bill("A", 10, "300.00"), bill("B", 40, "500.00", dispute="livraison incomplète")))
    assert action.step == "first_reminder" and [i.number for i in action.invoices] == ["A"]
    assert action.held_back == (("B", "litige en cours (livraison incomplète)"),)
    actions, holds = run(account(bill("B", 40, "500.00", dispute="livraison incomplète")))
    assert actions == [] and holds[0].reason == "B : litige en cours (livraison incomplète)"


def test_a_promise_or_a_do_not_chase_date_holds_the_customer_until_that_date():
    promised = dict(hold_until=date(2026, 11, 30), hold_reason="promesse de paiement")
    actions, holds = run(account(bill("A", 10, "300.00"), **promised))
    assert actions == [] and holds[0].reason == "promesse de paiement jusqu'au 30/11/2026"
    (action,), _ = run(account(bill("A", 10, "300.00"), hold_until=date(2026, 11, 22), hold_reason="vacances"))
    assert action.step == "first_reminder"  # the date has passed


def test_each_segment_its_plan_and_a_courtesy_reminder_for_risky_customers_only():
    assert run(account(bill("A", 13, "300.00"), plan=PUBLIC)) == ([], [])  # a public body: from 15 days
    (action,), _ = run(account(bill("A", 16, "300.00"), plan=PUBLIC))
    assert action.step == "first_reminder"
    assert run(account(bill("D", -3, "300.00"), grade="B")) == ([], [])
    (action,), _ = run(account(bill("D", -3, "300.00"), bill("E", -9, "80.00"), grade="D"))
    # due in 3 days: the courtesy reminder; E (due in 9 days) is not yet within its 5 days
    assert (action.step, [i.number for i in action.invoices], action.days_late) == ("pre_due", ["D"], -3)


def test_most_useful_first_amount_times_risk_score():
    small_risky = account(bill("A", 10, "1000.00"), customer_id=1, name="Petit risqué", score=80)
    big_safe = account(bill("B", 10, "5000.00"), customer_id=2, name="Gros sûr", score=10)
    unscored = account(bill("C", 10, "1500.00"), customer_id=3, name="Nouveau")
    actions, _ = run(big_safe, unscored, small_risky)
    # 1 000 × 80 = 80 000; 1 500 × 50 (not scored yet) = 75 000; 5 000 × 10 = 50 000
    assert [(a.name, a.priority) for a in actions] == [("Petit risqué", D("80000.00")), ("Nouveau", D("75000.00")),
                                                        ("Gros sûr", D("50000.00"))]


def test_a_new_late_invoice_joins_the_step_its_customer_has_reached():
    old = ("first_reminder", "second_reminder", "phone_call", "formal_notice")
    (action,), _ = run(account(bill("OLD", 40, "800.00", done=old), bill("NEW", 8, "200.00")))
    # NEW reached its 1st reminder, but OLD is under formal notice: a new formal notice claims both
    assert (action.step, [i.number for i in action.invoices], action.skipped) == (
        "formal_notice", ["OLD", "NEW"], ())


def test_no_courtesy_reminder_to_a_customer_whose_late_invoices_are_chased():
    done = ("first_reminder", "second_reminder")
    # a "thank you for paying on time" letter to a customer under second reminder would contradict it
    assert run(account(bill("OLD", 20, "800.00", done=done), bill("SOON", -2, "300.00"), grade="E")) == ([], [])


def test_one_action_a_day_and_a_litigation_file_only_for_invoices_formally_noticed():
    noticed = ("first_reminder", "second_reminder", "phone_call", "formal_notice")
    (action,), _ = run(account(bill("OLD", 55, "800.00", done=noticed), bill("NEW", 9, "200.00")))
    # OLD reached the litigation day (55 >= 50) after its formal notice: its file, without NEW (never noticed)
    assert (action.step, [i.number for i in action.invoices]) == ("litigation", ["OLD"])
    (action,), _ = run(account(bill("OLD", 55, "800.00", done=(*noticed, "litigation")), bill("NEW", 9, "200.00")))
    # the file is done; NEW joins its customer's level... a formal notice, not a litigation file
    assert (action.step, [i.number for i in action.invoices]) == ("formal_notice", ["OLD", "NEW"])
    (action,), _ = run(account(bill("OLD", 55, "800.00", done=noticed), bill("MID", 40, "300.00",
                                                                            done=noticed[:3])))
    # MID reached its formal notice (40 >= 35) but OLD's file comes first, without MID (not yet noticed)
    assert (action.step, [i.number for i in action.invoices]) == ("litigation", ["OLD"])
    (action,), _ = run(account(bill("OLD", 55, "800.00", done=noticed), bill("LATE", 52, "300.00")))
    # LATE reached the litigation day on its own: the file claims both
    assert (action.step, [i.number for i in action.invoices]) == ("litigation", ["OLD", "LATE"])
    assert run(account(bill("OLD", 55, "800.00", done=noticed), bill("NEW", 9, "200.00"),
                       last_letter_on=AT)) == ([], [])  # a letter went today already


def test_a_letter_at_a_higher_step_covers_the_lower_ones():
    # NEW was claimed by a formal notice (it joined its customer's step): its own 1st reminder is done too
    assert run(account(bill("OLD", 40, "800.00", done=("formal_notice",)), bill("NEW", 8, "200.00",
                                                                                done=("formal_notice",)))) == ([], [])
