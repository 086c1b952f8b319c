"""Today's dunning actions, on 23/11/2026, with the default plan of a private business (days from the due
date: courtesy -5 for risky customers, 1st reminder 7, 2nd 15, call 25, formal notice 35, litigation 50;
after the previous step: 2nd reminder 8 days, call 7, formal notice 7, litigation the notice's 8-day deadline)
and of a public body (1st reminder 15, 2nd 30, call 40, formal notice 50, litigation 70). Tolerance 5 €."""

from datetime import date, timedelta
from decimal import Decimal as D

from app.domain.dunning import CustomerAccount, OpenInvoice, Plan, net_overdue, todays_actions

AT = date(2026, 11, 23)
PRIVATE = Plan("private", {"pre_due": -5, "first_reminder": 7, "second_reminder": 15, "phone_call": 25,
                           "formal_notice": 35, "litigation": 50},
               {"second_reminder": 8, "phone_call": 7, "formal_notice": 7})
PUBLIC = Plan("public", {"first_reminder": 15, "second_reminder": 30, "phone_call": 40, "formal_notice": 50,
                         "litigation": 70}, {"second_reminder": 8, "phone_call": 7, "formal_notice": 7})
TOLERANCE = D("5.00")


def bill(number, days_late, amount, done=(), dispute=""):
    """An invoice ``days_late`` days past its due date; ``done``: (step, days ago) on record for it."""
    due = AT - timedelta(days=days_late)
    return OpenInvoice(sum(map(ord, number)), number, due - timedelta(days=30), due, D(amount),
                       tuple((step, AT - timedelta(days=ago)) for step, ago in done), dispute)


def account(*invoices, plan=PRIVATE, customer_id=1, name="Garage Petit", **more):
    return CustomerAccount(customer_id, name, plan, invoices, **more)


def run(*accounts):
    return todays_actions(AT, list(accounts), TOLERANCE)


def test_a_first_use_customer_200_days_late_is_chased_one_step_at_a_time():
    """No history: the first reminder, however late; then each step no sooner than its interval after the
    previous one; the litigation file only once the formal notice's deadline has expired."""
    start = date(2026, 1, 1)
    due = start - timedelta(days=200)
    done: list[tuple[str, date]] = []
    seen = []
    day = start
    while day < start + timedelta(days=60):
        invoice = OpenInvoice(1, "F-1", due - timedelta(days=30), due, D("1200.00"), tuple(done))
        actions, holds = todays_actions(day, [CustomerAccount(1, "Garage Petit", PRIVATE, (invoice,))], TOLERANCE)
        if actions:
            seen.append((actions[0].step, day))
            done.append((actions[0].step, day))
        else:
            (hold,) = holds
            assert hold.until is None or hold.until > day
        day += timedelta(days=1)
    assert seen == [("first_reminder", start), ("second_reminder", date(2026, 1, 9)),
                    ("phone_call", date(2026, 1, 16)), ("formal_notice", date(2026, 1, 23)),
                    ("litigation", date(2026, 2, 1))]  # the day after the notice's 8 days


def test_the_next_step_held_until_its_interval_is_said_with_its_date():
    actions, (hold,) = run(account(bill("A", 30, "300.00", done=[("first_reminder", 3)])))
    assert actions == [] and hold.reason == "2e relance possible le 28/11/2026"
    assert (hold.until, hold.net_overdue) == (date(2026, 11, 28), D("300.00"))
    actions, (hold,) = run(account(bill("A", 3, "300.00")))
    assert actions == [] and hold.reason == "1re relance possible le 27/11/2026"  # the plan's day, J+7


def test_never_a_formal_notice_without_the_reminders_nor_a_litigation_file_before_the_notice_expired():
    (action,), _ = run(account(bill("A", 90, "300.00", done=[("first_reminder", 20)])))
    assert action.step == "second_reminder"
    _, (hold,) = run(account(bill("A", 90, "300.00", done=[("first_reminder", 40), ("second_reminder", 30),
                                                          ("phone_call", 20), ("formal_notice", 5)])))
    assert hold.reason == "Dossier contentieux possible le 27/11/2026"  # notice 18/11, paid until 26/11


def test_the_history_on_record_comes_with_the_action():
    (action,), _ = run(account(bill("A", 60, "300.00", done=[("first_reminder", 30), ("second_reminder", 20)])))
    assert (action.step, action.history) == ("phone_call", (("first_reminder", date(2026, 10, 24)),
                                                          ("second_reminder", date(2026, 11, 3))))


def test_net_overdue_deducts_unallocated_cash_over_the_whole_customer():
    """Masson Habitat: 336 274,61 € overdue over three invoices and 225 451,10 € received, not allocated: the
    cash settles the oldest first (OLD wholly, 165 451,10 € of MID); it owes 110 823,51 €, chased from the
    first reminder (OLD's history goes with OLD), and the owner is told to reconcile first."""
    invoices = [bill("OLD", 120, "60000.00", done=[("first_reminder", 60), ("second_reminder", 50),
                                                   ("phone_call", 40), ("formal_notice", 30)]),
                bill("MID", 80, "176274.61"), bill("NEW", 20, "100000.00")]
    owing, deducted = net_overdue(invoices, D("225451.10"))
    assert ([i.number for i in owing], deducted) == (["MID", "NEW"], D("165451.10"))
    (action,), _ = run(account(*invoices, credits=D("225451.10")))
    assert (action.step, [i.number for i in action.invoices]) == ("first_reminder", ["MID", "NEW"])
    assert (action.amount_due, action.credits) == (D("110823.51"), D("165451.10"))
    assert action.warning == "225\u202f451,10\u00a0€ reçus non imputés : rapprochez avant de relancer"


def test_unallocated_credits_are_deducted_and_small_amounts_not_chased():
    (action,), _ = run(account(bill("A", 10, "300.00"), credits=D("120.00")))
    assert (action.credits, action.amount_due) == (D("120.00"), D("180.00"))
    assert action.warning == "120,00\u00a0€ reçus non imputés : rapprochez avant de relancer"  # 40 % of 300 €
    (action,), _ = run(account(bill("A", 10, "300.00"), credits=D("60.00")))
    assert action.warning == ""  # 20 %: a deduction the customer made, nothing to reconcile
    assert run(account(bill("A", 10, "300.00"), credits=D("297.00"))) == ([], [])
    assert run(account(bill("A", 10, "4.99"))) == ([], [])


def test_a_dispute_keeps_its_invoice_out_and_says_why():
    (action,), _ = run(account(bill("A", 10, "300.00"), bill("B", 40, "500.00", dispute="livraison incomplète")))
    assert action.step == "first_reminder" and [i.number for i in action.invoices] == ["A"]
    assert action.held_back == (("B", "litige en cours (livraison incomplète)"),)
    actions, holds = run(account(bill("B", 40, "500.00", dispute="livraison incomplète")))
    assert actions == [] and holds[0].reason == "B : litige en cours (livraison incomplète)"
    assert holds[0].net_overdue == D("500.00")  # held for what the dispute covers, never for « 0,00 € »
    _, (hold,) = run(account(bill("B", 40, "500.00", dispute="prix"), credits=D("120.00")))
    assert hold.net_overdue == D("380.00")


def test_with_no_tolerance_a_customer_whose_late_invoices_are_all_disputed_is_held_not_chased():
    actions, (hold,) = todays_actions(AT, [account(bill("B", 40, "500.00", dispute="prix"))], D("0.00"))
    assert actions == [] and (hold.reason, hold.net_overdue) == ("B : litige en cours (prix)", D("500.00"))
    assert todays_actions(AT, [account(bill("A", 10, "300.00"), credits=D("300.00"))], D("0.00")) == ([], [])


def test_a_promise_or_a_do_not_chase_date_holds_the_customer_until_that_date():
    promised = dict(hold_until=date(2026, 11, 30), hold_reason="promesse de paiement")
    actions, holds = run(account(bill("A", 10, "300.00"), **promised))
    assert actions == [] and holds[0].reason == "promesse de paiement jusqu'au 30/11/2026"
    assert holds[0].until == date(2026, 11, 30)
    (action,), _ = run(account(bill("A", 10, "300.00"), hold_until=date(2026, 11, 22), hold_reason="vacances"))
    assert action.step == "first_reminder"  # the date has passed


def test_each_segment_its_plan_and_a_courtesy_reminder_for_risky_customers_only():
    _, (hold,) = run(account(bill("A", 13, "300.00"), plan=PUBLIC))  # a public body: from 15 days
    assert hold.reason == "1re relance possible le 25/11/2026"
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


def test_a_new_late_invoice_joins_its_customer_s_next_step():
    old = [("first_reminder", 40), ("second_reminder", 30), ("phone_call", 20), ("formal_notice", 12)]
    (action,), _ = run(account(bill("OLD", 60, "800.00", done=old), bill("NEW", 8, "200.00")))
    # the notice's deadline is past: the litigation file claims what the notice claimed, not NEW
    assert (action.step, [i.number for i in action.invoices]) == ("litigation", ["OLD"])
    (action,), _ = run(account(bill("OLD", 60, "800.00", done=[*old, ("litigation", 2)]), bill("NEW", 8, "200.00")))
    # OLD is at the court's now; NEW starts its own path
    assert (action.step, [i.number for i in action.invoices]) == ("first_reminder", ["NEW"])
    _, (hold,) = run(account(bill("OLD", 60, "800.00", done=[*old, ("litigation", 2)])))
    assert hold.reason == "au contentieux depuis le 21/11/2026"


def test_no_courtesy_reminder_to_a_customer_whose_late_invoices_are_chased():
    done = [("first_reminder", 10), ("second_reminder", 2)]
    # a "thank you for paying on time" letter to a customer under second reminder would contradict it
    actions, (hold,) = run(account(bill("OLD", 20, "800.00", done=done), bill("SOON", -2, "300.00"), grade="E"))
    assert actions == [] and hold.reason.startswith("Appel téléphonique possible le")


def test_one_action_a_day():
    _, (hold,) = run(account(bill("A", 20, "800.00"), last_letter_on=AT))
    assert hold.reason == "relancé aujourd'hui"
