"""A matplotlib figure on screen under its title (a chart of ``app.reports.charts``, the same the PDFs
print); right-click saves it as PNG, in the folder used last time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from app.ui.forms import ask_save_path
from app.ui.icons import icon


class ChartView(QWidget):
    """A matplotlib figure on screen; right-click saves it as PNG."""

    def __init__(self, context, minimum_height: int = 170) -> None:
        super().__init__()
        self.context, self.minimum_height = context, minimum_height
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("section")
        self.layout_.addWidget(self.heading)
        self.canvas = None
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def show_figure(self, title: str, figure) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self.heading.setText(title)
        canvas = FigureCanvasQTAgg(figure)
        canvas.setMinimumHeight(self.minimum_height)
        canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        canvas.customContextMenuRequested.connect(self._menu)
        if self.canvas is not None:
            self.layout_.replaceWidget(self.canvas, canvas)
            self.canvas.deleteLater()
        else:
            self.layout_.addWidget(canvas, 1)
        self.canvas = canvas

    def _menu(self, position) -> None:
        if self.canvas is None:
            return
        menu = QMenu(self)
        menu.addAction(icon("save"), "Enregistrer l'image (PNG)…", self.save_png)
        menu.exec(self.mapToGlobal(position) if self.sender() is self else self.canvas.mapToGlobal(position))

    def save_png(self) -> None:
        name = ask_save_path(self, self.context.settings, "charts", "Enregistrer le graphique",
                             f"{self.heading.text()}.png", "Image PNG (*.png)")
        if name is not None:
            self.canvas.figure.savefig(name, dpi=150)
