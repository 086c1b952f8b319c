"""The business vocabulary: kinds and states the whole program names, with their French labels."""

from enum import StrEnum


class Segment(StrEnum):
    PRIVATE = "private"
    PUBLIC = "public"
    CONSUMER = "consumer"
    KEY_ACCOUNT = "key_account"


SEGMENT_LABELS = {
    Segment.PRIVATE: "Entreprise privée",
    Segment.PUBLIC: "Organisme public",
    Segment.CONSUMER: "Particulier",
    Segment.KEY_ACCOUNT: "Grand compte",
}


class GuaranteeKind(StrEnum):
    CREDIT_INSURANCE = "credit_insurance"
    BANK_GUARANTEE = "bank_guarantee"
    DEPOSIT = "deposit"
    PAYMENT_DELEGATION = "payment_delegation"


GUARANTEE_LABELS = {
    GuaranteeKind.CREDIT_INSURANCE: "Assurance-crédit",
    GuaranteeKind.BANK_GUARANTEE: "Caution bancaire / garantie de tiers",
    GuaranteeKind.DEPOSIT: "Acompte",
    GuaranteeKind.PAYMENT_DELEGATION: "Délégation de paiement",
}


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    DISPUTED = "disputed"
    DOUBTFUL = "doubtful"
    WRITTEN_OFF = "written_off"


STATUS_LABELS = {
    InvoiceStatus.OPEN: "Ouverte",
    InvoiceStatus.PAID: "Payée",
    InvoiceStatus.DISPUTED: "En litige",
    InvoiceStatus.DOUBTFUL: "Douteuse",
    InvoiceStatus.WRITTEN_OFF: "Irrécouvrable",
}


class ActivityKind(StrEnum):
    NOTE = "note"
    CALL = "call"
    PROMISE = "promise"
    STATUS = "status"


ACTIVITY_LABELS = {
    ActivityKind.NOTE: "Note",
    ActivityKind.CALL: "Appel",
    ActivityKind.PROMISE: "Promesse de paiement",
    ActivityKind.STATUS: "Statut",
}


class EventKind(StrEnum):
    """What an ``Event`` of the history records (DOMAIN.md: every change of money or terms is recorded)."""

    ALLOCATION = "allocation"        # money (a payment, a credit note) put on invoices
    UNALLOCATION = "unallocation"    # taken back
    REPORTED = "reported"            # a settlement a file reports, awaiting the bank's evidence
    CONFIRMED = "confirmed"          # the bank credit that proves a reported settlement
    STATUS = "status"                # an invoice paid, open again, doubtful, written off
    EDIT = "edit"                    # a customer's terms, limit, guarantees or identity changed
    POSTPONEMENT = "postponement"    # "ne pas relancer avant"
    DISPUTE = "dispute"
    LETTER = "letter"
    IMPORT = "import"                # a file imported or its import undone
    SETTINGS = "settings"            # the company's settings, a dunning plan or a letter's text changed


EVENT_LABELS = {
    EventKind.ALLOCATION: "Imputation",
    EventKind.UNALLOCATION: "Imputation annulée",
    EventKind.REPORTED: "Règlement déclaré",
    EventKind.CONFIRMED: "Règlement confirmé par la banque",
    EventKind.STATUS: "Statut",
    EventKind.EDIT: "Modification",
    EventKind.POSTPONEMENT: "Relances reportées",
    EventKind.DISPUTE: "Litige",
    EventKind.LETTER: "Lettre",
    EventKind.IMPORT: "Import",
    EventKind.SETTINGS: "Paramètres",
}


class DunningStep(StrEnum):
    """The steps of a dunning plan (DOMAIN.md), in their usual order."""

    PRE_DUE = "pre_due"
    FIRST_REMINDER = "first_reminder"
    SECOND_REMINDER = "second_reminder"
    PHONE_CALL = "phone_call"
    FORMAL_NOTICE = "formal_notice"
    LITIGATION = "litigation"


DUNNING_STEP_LABELS = {
    DunningStep.PRE_DUE: "Rappel avant échéance",
    DunningStep.FIRST_REMINDER: "1re relance",
    DunningStep.SECOND_REMINDER: "2e relance",
    DunningStep.PHONE_CALL: "Appel téléphonique",
    DunningStep.FORMAL_NOTICE: "Mise en demeure",
    DunningStep.LITIGATION: "Dossier contentieux",
}


STATEMENT = "statement"  # a statement of account (relevé de compte): a letter, not a step of the plan
LETTER_LABELS = {**{step.value: label for step, label in DUNNING_STEP_LABELS.items()
                    if step is not DunningStep.PHONE_CALL},  # a call is a task, never a letter
                 STATEMENT: "Relevé de compte"}


class DisputeResolution(StrEnum):
    """How a dispute ended."""

    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    REJECTED = "rejected"


RESOLUTION_LABELS = {
    DisputeResolution.CREDIT_NOTE: "Avoir émis",
    DisputeResolution.PAYMENT: "Payée",
    DisputeResolution.REJECTED: "Contestation rejetée",
}
