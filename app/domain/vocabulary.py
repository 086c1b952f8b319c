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
