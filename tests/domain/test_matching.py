"""Payment matching (lettrage): each rule pinned on a small hand-made book with tricky bank labels (numbers
spelled every way, numbers inside other digits, amounts and dates in the label, contradicting clues), the
exact allocations, confidence and reason asserted; plus properties that must hold for any book and
credits (never more than is due or received, every euro accounted for, a certain proposal quotes what it
allocates)."""

import re
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.matching import Book, Credit, OpenItem, Party, Proposal, ProposedShare, match_all, propose

ON = date(2025, 5, 2)
IBAN_PETIT = "FR7630006000011234567890189"
IBAN_PETIT_SPACED = "fr76 3000 6000 0112 3456 7890 189"
IBAN_SHARED = "FR1420041010050500013M02606"
NBSP, NNBSP = "\u00a0", "\u202f"   # format_eur: a narrow space between thousands, a no-break one before €

PARTIES = [
    Party(1, "Garage Petit SARL", "GPETIT", "732829320", (IBAN_PETIT,)),
    Party(2, "Boulangerie Martin", "C00002", "", (IBAN_SHARED,)),
    Party(3, "SAS Dupont Frères", "DUP1"),
    Party(4, "Dupont Frères EURL", "DUP2"),
    Party(5, "Transports Leroy", "", "", (IBAN_SHARED,)),
    Party(6, "Électricité Générale Durand EURL", "ELEC"),
    Party(7, "Quincaillerie SAS"),                      # a name of one word
]


def item(invoice_id, number, customer_id, due, due_on, issued=None):
    due_on = date.fromisoformat(due_on)
    return OpenItem(invoice_id, number, customer_id, D(due), issued or due_on - timedelta(days=30), due_on)


ITEMS = [
    item(10, "F2025-0142", 1, "1200.00", "2025-02-01"),
    item(11, "F2025-0150", 1, "300.00", "2025-02-19"),
    item(12, "F2025-0161", 1, "450.00", "2025-03-12"),
    item(13, "AV2025-0003", 1, "-100.00", "2025-02-15"),     # a credit note of Garage Petit
    item(20, "F2025-0200", 2, "89.90", "2025-01-10"),
    item(21, "F2025-0201", 2, "89.90", "2025-02-10"),        # same amount, a month later
    item(22, "F2025-0202", 2, "250.00", "2025-03-10"),
    item(23, "D-5555", 2, "55.55", "2025-03-15"),            # shares its digits with Leroy's F-5555
    item(30, "F2025-0300", 3, "500.00", "2025-03-01"),
    item(40, "F2025-0400", 4, "700.00", "2025-03-01"),
    item(50, "F-1420", 5, "1420.00", "2025-03-01"),
    item(51, "F-87", 5, "87.00", "2025-03-05"),             # a short number
    item(52, "F-5555", 5, "55.55", "2025-03-20"),
    item(53, "FA10234", 5, "612.00", "2025-03-25"),           # one group of five digits
    item(60, "F2025-0600", 6, "960.00", "2025-03-01"),
    item(70, "F2025-0700", 7, "64.00", "2025-03-01"),
]
BOOK = Book(PARTIES, ITEMS)


def credit(label, amount, iban="", key=1, on=ON, customer_id=None):
    return Credit(key, D(amount), on, label, iban, customer_id)


def allocated(proposal):
    return [(a.invoice_id, a.amount) for a in proposal.allocations]


# --- invoice numbers quoted ------------------------------------------------------------------------------

def test_a_quoted_number_paid_exactly_is_certain():
    proposal = propose(credit("VIR SEPA GARAGE PETIT F2025-0142", "1200.00"), BOOK)
    assert proposal == Proposal(1, 1, (ProposedShare(10, D("1200.00")),), "certain",
                                "n° F2025-0142 cité, montant exact", D("0.00"))


@pytest.mark.parametrize("label", [
    "REGLEMENT F 2025 0142",          # spaces inside
    "PRLV F20250142 MERCI",           # separators missing
    "VIR 2025-0142",                  # letter prefix missing
    "FACT 2025/142",                  # leading zero of the numeric part missing, slash
    "N°F2025.0142",                   # dots, "N°" glued
    "ref:f-2025-00142",               # lower case, an extra leading zero
    "VIR FACTURE F2025-0142 DU 15/04/2025 1 200,00 EUR",   # a date and the amount beside it
])
def test_a_number_in_any_spelling_is_quoted(label):
    proposal = propose(credit(label, "1200.00"), BOOK)
    assert (proposal.confidence, allocated(proposal), proposal.reason) == \
        ("certain", [(10, D("1200.00"))], "n° F2025-0142 cité, montant exact")


@pytest.mark.parametrize("label", [
    "VIR 1202501427",         # the digits of F2025-0142 inside other digits
    "VIR F2025-01420",        # a longer last group
    "VIR 0142",               # a group missing: not F2025-0142
    "REMISE 20250 142",       # groups cut elsewhere
])
def test_a_number_inside_other_digits_or_incomplete_is_not_quoted(label):
    assert propose(credit(label, "1200.00"), BOOK) is None


@pytest.mark.parametrize("label", ["VIR 1420,00 EUR", "VIR 1 420,00", "VIREMENT 1.420,00 EUR", "VIR 1420.00"])
def test_an_amount_in_the_label_is_not_an_invoice_number(label):
    # F-1420 is an invoice of Leroy: "1420,00" is the amount, not its number
    assert propose(credit(label, "1420.00"), BOOK) is None
    assert propose(credit("VIR F-1420", "1420.00"), BOOK).reason == "n° F-1420 cité, montant exact"


def test_several_numbers_in_one_label_are_all_allocated():
    for label in ("FACT F2025-0142 ET F2025-0150", "F2025-0142 2025-0150", "F2025-0150/F2025-0142"):
        proposal = propose(credit(label, "1500.00"), BOOK)
        assert proposal.confidence == "certain", label
        assert allocated(proposal) == [(10, D("1200.00")), (11, D("300.00"))]
        assert proposal.reason == "n° F2025-0142 et F2025-0150 cités, somme exacte"


def test_two_quoted_invoices_minus_a_quoted_credit_note():
    proposal = propose(credit("F2025-0142 F2025-0150 AVOIR AV2025-0003", "1400.00"), BOOK)
    assert proposal.confidence == "certain" and proposal.left == D("0.00")
    assert allocated(proposal) == [(13, D("-100.00")), (10, D("1200.00")), (11, D("300.00"))]
    assert proposal.reason == "n° F2025-0142, F2025-0150 et AV2025-0003 cités, somme exacte"


def test_an_overpayment_of_a_quoted_invoice_is_probable_and_leaves_the_rest():
    proposal = propose(credit("VIR F2025-0150", "312.00"), BOOK)
    assert (proposal.confidence, allocated(proposal), proposal.left) == ("probable", [(11, D("300.00"))], D("12.00"))
    assert proposal.reason == f"n° F2025-0150 cité, trop-perçu de 12,00{NBSP}€"


def test_a_partial_payment_of_a_quoted_invoice_is_certain():
    proposal = propose(credit("ACOMPTE F2025-0142", "250.00"), BOOK)
    assert (proposal.confidence, allocated(proposal), proposal.left) == ("certain", [(10, D("250.00"))], D("0.00"))
    assert proposal.reason == f"n° F2025-0142 cité, règlement partiel (250,00{NBSP}€ sur 1{NNBSP}200,00{NBSP}€)"


def test_a_partial_payment_of_several_quoted_invoices_goes_oldest_first():
    proposal = propose(credit("F2025-0161 F2025-0142", "1300.00"), BOOK)
    assert proposal.confidence == "certain"
    assert allocated(proposal) == [(10, D("1200.00")), (12, D("100.00"))]


def test_a_partial_payment_equal_to_another_invoice_is_only_probable():
    # 300 € quoting F2025-0142 (1 200 €): F2025-0150 owes exactly 300 €, the number may be a typo
    proposal = propose(credit("VIR F2025-0142", "300.00"), BOOK)
    assert (proposal.confidence, allocated(proposal)) == ("probable", [(10, D("300.00"))])
    assert proposal.reason.endswith("; mais F2025-0150, non citée, doit exactement ce montant")


def test_a_number_next_to_digits_that_quote_nothing_counts_only_for_a_customer_recognised_otherwise():
    # "1200" beside the number may make it part of a longer reference: not certain, even with the customer
    assert propose(credit("VIR F2025-0142 1200", "1200.00"), BOOK) is None
    proposal = propose(credit("VIR F2025-0142 1200", "1200.00", iban=IBAN_PETIT), BOOK)
    assert (proposal.confidence, allocated(proposal)) == ("probable", [(10, D("1200.00"))])
    assert proposal.reason == "client reconnu par son IBAN, n° F2025-0142 cité, montant exact"


def test_a_short_number_counts_only_for_a_customer_recognised_otherwise():
    assert propose(credit("VIR FACT 87", "87.00"), BOOK) is None
    proposal = propose(credit("VIR TRANSPORTS LEROY FACT 87", "50.00"), BOOK)
    assert (proposal.customer_id, proposal.confidence, allocated(proposal)) == (5, "probable", [(51, D("50.00"))])
    assert proposal.reason == ("client reconnu par son nom, n° F-87 cité, "
                               f"règlement partiel (50,00{NBSP}€ sur 87,00{NBSP}€)")


def test_a_number_of_one_group_without_its_letters_counts_only_for_a_customer_recognised_otherwise():
    for label in ("VIR FA10234", "VIR FA 10234", "VIR FA-10234"):
        assert propose(credit(label, "612.00"), BOOK).confidence == "certain", label
    for label in ("VIR 10234", "VIR FACTURE 10234", "VIR 75011 PARIS F10234"):   # a postcode? another series?
        assert propose(credit(label, "612.00"), BOOK) is None, label
    proposal = propose(credit("VIR TRANSPORTS LEROY 10234", "612.00"), BOOK)
    assert (proposal.confidence, allocated(proposal)) == ("probable", [(53, D("612.00"))])
    assert proposal.reason == "client reconnu par son nom, n° FA10234 cité, montant exact"


def test_a_bare_number_padded_with_zeros_is_as_short_as_its_digits():
    """« REF 000038 », a bank's counter, is not F00000038 paid for certain: without its letters, the number
    is its 2 digits, not the 6 written; it counts for the customer recognised otherwise."""
    book = Book(PARTIES, [*ITEMS, item(90, "F00000038", 7, "380.00", "2025-03-01")])
    assert propose(credit("VIREMENT RECU REF 000038", "200.00"), book) is None
    assert propose(credit("VIR F00000038", "200.00"), book).confidence == "certain"
    proposal = propose(credit("VIR QUINCAILLERIE REF 000038", "200.00"), book)
    assert (proposal.confidence, allocated(proposal)) == ("probable", [(90, D("200.00"))])


def test_a_number_two_items_share_is_told_apart_by_its_letters_or_the_customer():
    assert allocated(propose(credit("VIR F5555", "55.55"), BOOK)) == [(52, D("55.55"))]
    assert propose(credit("VIR F5555", "55.55"), BOOK).confidence == "certain"
    assert propose(credit("VIR 5555", "55.55"), BOOK) is None       # Martin's D-5555 or Leroy's F-5555?
    proposal = propose(credit("VIR C00002 REF 5555", "55.55"), BOOK)
    assert (proposal.customer_id, proposal.confidence, allocated(proposal)) == (2, "probable", [(23, D("55.55"))])


# --- the customer ----------------------------------------------------------------------------------------

def test_customer_by_iban_given_by_the_bank_then_exact_amount():
    proposal = propose(credit("VIR SEPA", "450.00", iban=IBAN_PETIT_SPACED), BOOK)
    assert proposal == Proposal(1, 1, (ProposedShare(12, D("450.00")),), "probable",
                                "client reconnu par son IBAN, montant exact de F2025-0161", D("0.00"))


def test_customer_by_iban_written_in_the_label():
    proposal = propose(credit(f"VIR DE {IBAN_PETIT_SPACED.upper()} PAIEMENT", "450.00"), BOOK)
    assert (proposal.customer_id, proposal.reason) == (1, "client reconnu par son IBAN, montant exact de F2025-0161")


def test_an_iban_two_customers_paid_from_names_none_and_the_next_rule_decides():
    proposal = propose(credit("VIR TRANSPORTS LEROY", "1420.00", iban=IBAN_SHARED), BOOK)
    assert (proposal.customer_id, proposal.reason) == (5, "client reconnu par son nom, montant exact de F-1420")


@pytest.mark.parametrize("label", ["VIR SIREN 732829320", "VIR 732 829 320", "SIRET 73282932000074",
                                   "SIRET 732 829 320 00074"])
def test_customer_by_siren_or_siret(label):
    proposal = propose(credit(label, "300.00"), BOOK)
    assert (proposal.customer_id, proposal.confidence, allocated(proposal)) == (1, "probable", [(11, D("300.00"))])
    assert proposal.reason == "client reconnu par son SIREN, montant exact de F2025-0150"


def test_customer_by_code_as_a_whole_word():
    proposal = propose(credit("VIR C00002 MERCI", "250.00"), BOOK)
    assert (proposal.customer_id, allocated(proposal), proposal.reason) == \
        (2, [(22, D("250.00"))], "client reconnu par son code, montant exact de F2025-0202")
    assert propose(credit("VIR C-00002", "250.00"), BOOK).customer_id == 2
    assert propose(credit("VIR XC00002", "250.00"), BOOK) is None      # inside another word


def test_customer_by_name_whatever_the_accents_case_and_legal_form():
    proposal = propose(credit("VIR SARL ELECTRICITE GENERALE DURAND", "960.00"), BOOK)
    assert (proposal.customer_id, proposal.reason) == (6, "client reconnu par son nom, montant exact de F2025-0600")
    assert propose(credit("VIR ELECTRICITE DURAND", "960.00"), BOOK) is None   # a word of the name missing


def test_a_name_of_one_word_among_other_names_words():
    proposal = propose(credit("VIR QUINCAILLERIE LEROY", "64.00"), BOOK)   # "Transports" missing: not Leroy
    assert (proposal.customer_id, proposal.reason) == (7, "client reconnu par son nom, montant exact de F2025-0700")


def test_a_name_two_customers_share_names_none():
    assert propose(credit("VIR DUPONT FRERES", "500.00"), BOOK) is None
    assert propose(credit("VIR DUPONT FRERES DUP1", "500.00"), BOOK).customer_id == 3   # the code decides


def test_the_customer_the_caller_knows_wins():
    proposal = propose(credit("VIR", "250.00", iban=IBAN_PETIT, customer_id=2), BOOK)
    assert (proposal.customer_id, proposal.reason) == (2, "client indiqué, montant exact de F2025-0202")


# --- amounts without a number ----------------------------------------------------------------------------

def test_several_invoices_of_that_amount_make_it_possible_and_the_oldest():
    proposal = propose(credit("VIR C00002", "89.90"), BOOK)
    assert (proposal.confidence, allocated(proposal)) == ("possible", [(20, D("89.90"))])
    assert proposal.reason == ("client reconnu par son code, montant exact de F2025-0200, "
                               "la plus ancienne des 2 factures de ce montant")


def test_the_exact_sum_of_the_oldest_invoices_is_probable():
    proposal = propose(credit("VIR", "1950.00", iban=IBAN_PETIT), BOOK)    # 1 200 + 300 + 450
    assert proposal.confidence == "probable"
    assert allocated(proposal) == [(10, D("1200.00")), (11, D("300.00")), (12, D("450.00"))]
    assert proposal.reason == ("client reconnu par son IBAN, somme exacte des 3 factures les plus anciennes "
                               "de Garage Petit SARL")


def test_two_invoices_minus_a_credit_note_unquoted():
    proposal = propose(credit("VIR", "1400.00", iban=IBAN_PETIT), BOOK)    # 1 200 + 300 − 100
    assert (proposal.confidence, proposal.left) == ("probable", D("0.00"))
    assert allocated(proposal) == [(13, D("-100.00")), (10, D("1200.00")), (11, D("300.00"))]
    assert proposal.reason == ("client reconnu par son IBAN, somme exacte des 2 factures les plus anciennes "
                               "de Garage Petit SARL, moins l'avoir AV2025-0003")


def test_a_sum_that_skips_an_older_invoice_is_not_guessed():
    # 300 + 450 leaves out the oldest, 1 200 €: not an oldest-first sum
    proposal = propose(credit("VIR", "750.00", iban=IBAN_PETIT), BOOK)
    assert (proposal.confidence, proposal.allocations, proposal.left) == ("possible", (), D("750.00"))


def test_a_customer_found_and_no_invoice_says_why():
    proposal = propose(credit("VIR", "999.99", iban=IBAN_PETIT), BOOK)
    assert proposal == Proposal(1, 1, (), "possible",
                                "client reconnu par son IBAN ; aucune facture ne correspond au montant", D("999.99"))
    assert propose(credit("VIR", "10.00", customer_id=99), BOOK).reason == "client indiqué ; aucune facture ouverte"


def test_nothing_found_is_no_proposal():
    assert propose(credit("INTERETS CREDITEURS", "3.12"), BOOK) is None


# --- contradictions are never certain ----------------------------------------------------------------------

def test_a_quoted_invoice_of_another_customer_than_the_iban_says():
    proposal = propose(credit("REGLEMENT F2025-0202", "250.00", iban=IBAN_PETIT), BOOK)
    assert (proposal.customer_id, proposal.confidence, allocated(proposal)) == (2, "possible", [(22, D("250.00"))])
    assert proposal.reason == ("n° F2025-0202 cité, montant exact ; "
                               "mais client reconnu par son IBAN : Garage Petit SARL")


def test_a_quoted_invoice_of_another_customer_than_the_caller_knows_is_ignored():
    proposal = propose(credit("REGLEMENT F2025-0142", "250.00", customer_id=2), BOOK)
    assert (proposal.customer_id, proposal.confidence, allocated(proposal)) == (2, "probable", [(22, D("250.00"))])
    assert proposal.reason == "client indiqué, montant exact de F2025-0202 ; n° F2025-0142 d'un autre client, ignoré"


def test_quoted_invoices_of_two_customers_keep_those_of_the_customer_recognised():
    proposal = propose(credit("F2025-0142 F2025-0202", "1200.00", iban=IBAN_PETIT), BOOK)
    assert (proposal.customer_id, proposal.confidence, allocated(proposal)) == (1, "probable", [(10, D("1200.00"))])
    assert proposal.reason == "n° F2025-0142 cité, montant exact ; n° F2025-0202 d'un autre client, ignoré"


def test_quoted_invoices_of_two_customers_and_no_other_clue():
    proposal = propose(credit("F2025-0142 F2025-0202", "1450.00"), BOOK)
    assert proposal == Proposal(1, None, (), "possible", "n° F2025-0142 et F2025-0202 de clients différents",
                                D("1450.00"))


# --- a run over many credits -----------------------------------------------------------------------------------

def test_two_credits_of_the_same_amount_get_the_invoice_once():
    first = credit("VIR C00002", "250.00", key=1, on=ON)
    second = credit("VIR C00002", "250.00", key=2, on=ON + timedelta(days=1))
    one, two = match_all([second, first], BOOK)        # taken in date order
    assert (one.credit_key, one.confidence, allocated(one)) == (1, "probable", [(22, D("250.00"))])
    assert (two.credit_key, two.confidence, two.allocations, two.left) == (2, "possible", (), D("250.00"))
    assert two.reason == "client reconnu par son code ; aucune facture ne correspond au montant"


def test_a_quoted_invoice_paid_twice_is_allocated_once():
    one, two = match_all([credit("F2025-0150", "300.00", key=1), credit("F2025-0150", "300.00", key=2)], BOOK)
    assert (one.confidence, allocated(one)) == ("certain", [(11, D("300.00"))])
    assert (two.customer_id, two.confidence, two.allocations) == (1, "possible", ())
    assert two.reason == "n° F2025-0150 cité, facture déjà soldée ; aucune facture ne correspond au montant"


def test_a_partial_payment_leaves_the_rest_to_the_next_credit():
    one, two = match_all([credit("F2025-0142", "700.00", key=1), credit("F2025-0142", "500.00", key=2,
                                                                         on=ON + timedelta(days=7))], BOOK)
    assert allocated(one) == [(10, D("700.00"))] and allocated(two) == [(10, D("500.00"))]
    assert two.reason == "n° F2025-0142 cité, montant exact"


def test_a_certain_quote_is_booked_before_an_earlier_guess_from_the_amount():
    guess = credit("VIR", "450.00", iban=IBAN_PETIT, key=1, on=ON)
    quoted = credit("VIR F2025-0161", "450.00", key=2, on=ON + timedelta(days=3))
    one, two = match_all([guess, quoted], BOOK)
    assert (one.credit_key, one.allocations, one.confidence) == (1, (), "possible")
    assert (two.credit_key, allocated(two), two.confidence) == (2, [(12, D("450.00"))], "certain")


def test_the_book_is_not_changed_by_a_run():
    match_all([credit("F2025-0142", "1200.00")], BOOK)
    assert allocated(propose(credit("F2025-0142", "1200.00"), BOOK)) == [(10, D("1200.00"))]


# --- properties ------------------------------------------------------------------------------------------------

SPELLINGS = ("F{y}-{n:04d}", "F {y} {n:04d}", "F{y}{n:04d}", "{y}-{n:04d}", "FACT {y}/{n}", "N° F{y}.{n:04d}")
IBANS = (IBAN_PETIT, IBAN_SHARED, "")


@st.composite
def books_and_credits(draw):
    """Up to 4 customers with invoices and credit notes of random dues, and credits quoting some of them
    in assorted spellings, or only their customer's IBAN or name, with noise and amounts around."""
    customers = draw(st.integers(1, 4))
    parties = [Party(c, f"Client {'ABCD'[c - 1] * 3} SARL", f"CODE{c}", "", (IBANS[c % 3],) if c < 3 else ())
               for c in range(1, customers + 1)]
    items = []
    for n in range(1, draw(st.integers(1, 12)) + 1):
        note = draw(st.booleans()) and draw(st.booleans())
        cents = draw(st.integers(1, 50_000 if note else 300_000))
        due_on = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 90)))
        items.append(OpenItem(n, f"{'AV' if note else 'F'}2025-{n:04d}", draw(st.integers(1, customers)),
                              D(-cents if note else cents) / 100, due_on - timedelta(days=30), due_on))
    credits, quoted = [], {}
    for key in range(1, draw(st.integers(1, 8)) + 1):
        chosen = draw(st.lists(st.sampled_from(items), max_size=3, unique=True))
        words = [draw(st.sampled_from(SPELLINGS)).format(y=2025, n=i.invoice_id) for i in chosen]
        payer = draw(st.sampled_from(parties))
        if draw(st.booleans()):
            words.append(payer.name.upper())
        words.append(draw(st.text(alphabet="0123456789 ,./-ABXYZ€", max_size=16)))
        due_sum = sum((i.due for i in chosen), D(0))
        own = sorted((i for i in items if i.customer_id == payer.customer_id),
                     key=lambda i: (i.due_date, i.issue_date, i.invoice_id))
        oldest = sum((i.due for i in own[:draw(st.integers(1, 4))]), D(0))   # an oldest-first sum
        amount = draw(st.sampled_from([due_sum, due_sum + 1, due_sum / 2, oldest]))
        if amount <= 0 or draw(st.booleans()):
            amount = D(draw(st.integers(1, 400_000))) / 100
        label = " ".join(draw(st.permutations(words)))
        credits.append(Credit(key, amount.quantize(D("0.01")), ON + timedelta(days=draw(st.integers(0, 5))), label,
                              draw(st.sampled_from(IBANS))))
        quoted[key] = label
    return parties, items, credits, quoted


def quotes(label, number):
    """An oracle independent of the matcher: the number's two digit groups side by side in the label,
    nothing but punctuation between, leading zeros optional, or all its digits in one run."""
    year, serial = re.findall(r"[0-9]+", number)
    text = label.lower()
    return bool(re.search(rf"(?<![0-9]){year}[^0-9a-z]*0*{int(serial)}(?![0-9])", text)
                or re.search(rf"(?<![0-9]){year}{serial}(?![0-9])", text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books_and_credits())
def test_properties_of_a_run(case):
    parties, items, credits, labels = case
    book = Book(parties, items)
    by_id = {i.invoice_id: i for i in items}
    taken = {i.invoice_id: D(0) for i in items}
    amounts = {c.key: c.amount for c in credits}
    for proposal in match_all(credits, book):
        amount = amounts[proposal.credit_key]
        total = sum((a.amount for a in proposal.allocations), D(0))
        assert total + proposal.left == amount            # every euro accounted for
        assert D(0) <= proposal.left and total <= amount  # never more than received
        for allocation in proposal.allocations:
            due = by_id[allocation.invoice_id].due
            assert allocation.amount != 0 and (allocation.amount > 0) == (due > 0)
            taken[allocation.invoice_id] += allocation.amount
            assert abs(taken[allocation.invoice_id]) <= abs(due)   # never more than due, over the whole run
            assert by_id[allocation.invoice_id].customer_id == proposal.customer_id
        if proposal.confidence == "certain":
            assert proposal.allocations
            for allocation in proposal.allocations:
                assert quotes(labels[proposal.credit_key], by_id[allocation.invoice_id].number)
        assert proposal.confidence in ("certain", "probable", "possible") and proposal.reason


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books_and_credits())
def test_propose_alone_keeps_within_the_book(case):
    parties, items, credits, labels = case
    book = Book(parties, items)
    by_id = {i.invoice_id: i for i in items}
    for one in credits:
        proposal = propose(one, book)
        if proposal is None:
            continue
        assert sum((a.amount for a in proposal.allocations), D(0)) + proposal.left == one.amount
        assert all(abs(a.amount) <= abs(by_id[a.invoice_id].due) for a in proposal.allocations)


# --- found in review: a certain match must never name the wrong customer ------------------------------------

REVIEWED = Book([Party(1, "Garage Petit"), Party(2, "Boulangerie Martin", "C0002"), Party(3, "Martin", "C0003"),
                 Party(4, "Hôtel Dubois", "", "", (IBAN_SHARED,)), Party(5, "Dubois Frères", "", "", (IBAN_SHARED,))],
                [item(10, "F2026-0142", 1, "1200.00", "2026-10-01"), item(30, "F2026-0300", 3, "80.00", "2026-10-01")])


@pytest.mark.parametrize("label, iban", [
    ("VIR SEPA BOULANGERIE MARTIN FACT F2026-0142", ""),   # a name that contains another customer's name
    ("VIR C0002 C0003 FACT F2026-0142", ""),                # two codes, neither Garage Petit's
    ("VIR SEPA FACT F2026-0142", IBAN_SHARED),              # an IBAN two other customers paid from
])
def test_a_number_quoted_in_a_line_that_names_other_customers_is_not_certain(label, iban):
    proposal = propose(credit(label, "1200.00", iban=iban), REVIEWED)
    assert proposal.confidence == "possible" and allocated(proposal) == [(10, D("1200.00"))]


def test_the_longer_of_two_names_found_in_a_label_is_the_customer():
    """"Martin" is in "Boulangerie Martin": the line names the bakery, whose credit has no invoice of 80 €; it
    is not Martin's F2026-0300."""
    proposal = propose(credit("VIR SEPA BOULANGERIE MARTIN", "80.00"), REVIEWED)
    assert (proposal.customer_id, allocated(proposal)) == (2, [])


@pytest.mark.parametrize("label", ["VIR SEPA CDE 2026-0142", "VIR GARAGE PETIT BC2026-0142",
                                   "VIR REGLEMENT COMMANDE 2026 0142"])
def test_an_order_with_the_digits_of_an_invoice_is_not_certain(label):
    """The customer's order (CDE, BC, COMMANDE) may carry the same digits as one of our invoices."""
    proposal = propose(credit(label, "1200.00"), REVIEWED)
    assert proposal is None or proposal.confidence != "certain"


# --- a book narrowed to a few credits ---------------------------------------------------------------------

def test_a_book_narrowed_to_some_credits_reads_their_lines_as_the_whole_book_does():
    """The items a few credits may concern (``Quotable``, ``customers_named``) in a book of their own, the
    customers indexed once: the same proposals. A line reads a number in as many pieces as the ledger's
    longest number has digit groups (plus one), whatever the items kept: « F 20 25 01 42 » quotes F20250142
    only in a book that also holds a number of four groups, and the narrowed book is told so (``widest``)."""
    from app.domain.match_book import Quotable, number_groups

    items = [*ITEMS, item(80, "F20250142", 3, "42.00", "2025-03-01"), item(81, "A-1-2-3-4", 5, "9.00", "2025-03-01")]
    whole = Book(PARTIES, items)
    people = Book(PARTIES, ())
    credits = [credit("VIR F 20 25 01 42", "40.00", key=1), credit("FACT 2025/150", "300.00", key=2),
               credit("BOULANGERIE MARTIN", "89.90", key=3), credit("REGLEMENT", "700.00", key=4, customer_id=4)]
    quotable = Quotable(credits)
    wanted = people.customers_named(credits) | {i.customer_id for i in items if quotable(number_groups(i.number))}
    assert wanted == {1, 2, 3, 4}  # F2025-0150's, Martin named, F20250142's, DUP2 given; not Leroy's A-1-2-3-4
    kept = [i for i in items if i.customer_id in wanted]
    widest = max(len(number_groups(i.number)) for i in items)
    narrowed = people.with_items(kept, widest)
    assert [propose(c, narrowed) for c in credits] == [propose(c, whole) for c in credits]
    assert propose(credits[0], whole).allocations == (ProposedShare(80, D("40.00")),)
    assert propose(credits[0], people.with_items(kept)) is None  # read in too few pieces: nothing quoted
    assert match_all(credits, narrowed) == match_all(credits, whole)
    assert not Quotable([credit("VIR 2025 0999", "1.00")])(number_groups("F2025-0142"))
