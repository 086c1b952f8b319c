"""SQLAlchemy models, one module per aggregate; ``db`` opens the database and migrates it."""

from app.domain.vocabulary import (GUARANTEE_LABELS, SEGMENT_LABELS, STATUS_LABELS, ActivityKind, GuaranteeKind,
                                   InvoiceKind, InvoiceStatus, Segment)
from app.models.bank import BankBalance, BankLine
from app.models.base import Base
from app.models.company import Company
from app.models.customer import Customer, Guarantee
from app.models.event import Event
from app.models.followup import Activity, Dispute, DunningLetter
from app.models.import_batch import FiscalPeriod, ImportBatch, ImportMapping
from app.models.invoice import Invoice
from app.models.payment import Allocation, Payment
from app.models.preference import Preference
from app.models.proceeding import CustomerProceeding
from app.models.rates import InterestRate
from app.models.settlement import resettle  # also keeps the summaries of ORM writes up to date

__all__ = [
    "Activity", "ActivityKind", "Allocation", "BankBalance", "BankLine", "Base", "Company", "Customer", "CustomerProceeding", "Dispute", "DunningLetter", "Event",
    "FiscalPeriod", "GUARANTEE_LABELS", "Guarantee", "GuaranteeKind", "ImportBatch", "ImportMapping", "InterestRate",
    "Invoice", "InvoiceKind", "InvoiceStatus",
    "Payment", "Preference", "SEGMENT_LABELS", "resettle", "STATUS_LABELS", "Segment",
]
