"""Clients: who owes what, searchable; double-click opens the customer card."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.domain.vocabulary import SEGMENT_LABELS
from app.services.customers import CustomerRow, list_customers
from app.ui.format import LATE, fr_amount
from app.ui.screen import TableScreen
from app.ui.table_model import Column

COLUMNS = [
    Column("Code", lambda r: r.code, width=64),
    Column("Client", lambda r: r.name, sort_key=lambda r: r.name.casefold(), stretch=True),
    Column("SIREN", lambda r: r.siren, width=90),
    Column("Segment", lambda r: r.segment, width=130),
    Column("Ville", lambda r: r.city, width=150, stretch=True),
    Column("Encours", lambda r: r.exposure, fr_amount, numeric=True, width=115),
    Column("Dont échu", lambda r: r.overdue, fr_amount, numeric=True, width=115,
           colour=lambda r: LATE if r.overdue > 0 else None),
    Column("Limite de crédit", lambda r: r.credit_limit, fr_amount, numeric=True, width=125,
           colour=lambda r: LATE if r.over_limit else None),
]
COL_CODE, COL_NAME, COL_SIREN, COL_SEGMENT, COL_CITY, COL_EXPOSURE, COL_OVERDUE, COL_LIMIT = range(len(COLUMNS))


class CustomersScreen(TableScreen):
    columns = COLUMNS
    sort_column = 1  # by name
    search_hint = "Rechercher un client, un SIREN, une ville…"
    new_label = "Nouveau client"

    def filters(self):
        self.segment = QComboBox()
        self.segment.addItem("Tous les segments", None)
        for label in SEGMENT_LABELS.values():
            self.segment.addItem(label, label)
        self.segment.currentIndexChanged.connect(self.apply_filter)
        return [self.segment]

    def load(self, session) -> list[CustomerRow]:
        return list_customers(session, self.context.today())

    def haystack(self, row: CustomerRow) -> str:
        return f"{row.code} {row.name} {row.siren} {row.city}"

    def accepts(self, row: CustomerRow) -> bool:
        segment = self.segment.currentData()
        return segment is None or row.segment == segment

    def card(self, row_id: int | None):
        from app.ui.customer_form import CustomerDialog

        return CustomerDialog(self.context, row_id, self)
