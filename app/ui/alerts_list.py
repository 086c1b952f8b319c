"""The dashboard's alerts as a list view over the cockpit's alerts, shown a few hundred at a time (Qt's
``fetchMore``: more come as the list is scrolled to its end): a large ledger has thousands (customers over
their limit, invoices near prescription), which a list of widget items would build one by one and whose
wrapped lines it would measure all at once before the screen could show."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QListView

from app.domain.alerts import Alert
from app.ui.icons import icon

OPEN_HINT = "Cliquer pour ouvrir la fiche du client"
SHOWN_AT_ONCE = 200  # the alerts laid out when the list fills, and each time it is scrolled to its end


class AlertsModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.alerts: list[Alert] = []
        self.shown = 0
        self.mark = icon("triangle-alert")

    def set_alerts(self, alerts: list[Alert]) -> None:
        self.beginResetModel()
        self.alerts = list(alerts)
        self.shown = min(len(self.alerts), SHOWN_AT_ONCE)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else self.shown

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self.shown < len(self.alerts)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        more = min(len(self.alerts), self.shown + SHOWN_AT_ONCE)
        self.beginInsertRows(QModelIndex(), self.shown, more - 1)
        self.shown = more
        self.endInsertRows()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        alert = self.alerts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return alert.text
        if role == Qt.ItemDataRole.DecorationRole:
            return self.mark
        if role == Qt.ItemDataRole.ToolTipRole:
            return OPEN_HINT if alert.customer_id else alert.text
        if role == Qt.ItemDataRole.UserRole:
            return alert.customer_id
        return None


class AlertsList(QListView):
    """The alerts, wrapped on their lines; a click or Entrée on one about a customer opens its card
    (``customer_chosen``)."""

    customer_chosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setModel(AlertsModel(self))
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setObjectName("alerts")
        self.activated.connect(self._chosen)
        self.clicked.connect(self._chosen)

    def set_alerts(self, alerts: list[Alert]) -> None:
        self.model().set_alerts(alerts)

    def texts(self) -> list[str]:
        """Every alert's line, in their order (those the list shows first, then those it shows as it scrolls)."""
        return [alert.text for alert in self.model().alerts]

    def _chosen(self, index: QModelIndex) -> None:
        customer_id = index.data(Qt.ItemDataRole.UserRole)
        if customer_id:
            self.customer_chosen.emit(customer_id)
