"""SQLAlchemy models, one module per aggregate; ``db`` opens the database and migrates it."""

from app.models.base import Base
from app.models.company import Company
from app.models.customer import GUARANTEE_LABELS, SEGMENT_LABELS, Customer, Guarantee, GuaranteeKind, Segment
from app.models.followup import Activity, ActivityKind, Dispute, DunningLetter
from app.models.import_batch import ImportBatch
from app.models.invoice import STATUS_LABELS, Invoice, InvoiceKind, InvoiceStatus
from app.models.payment import Allocation, Payment

__all__ = [
    "Activity", "ActivityKind", "Allocation", "Base", "Company", "Customer", "Dispute", "DunningLetter",
    "GUARANTEE_LABELS", "Guarantee", "GuaranteeKind", "ImportBatch", "Invoice", "InvoiceKind", "InvoiceStatus",
    "Payment", "SEGMENT_LABELS", "STATUS_LABELS", "Segment",
]
