"""Paramètres › Plans de relance (the day of each step and its wait after the previous one, segment by segment)
and › Textes des lettres (each kind of letter's text, its placeholders, and the shipped text to go back to)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QComboBox, QGridLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from app.domain.dunning import AFTER_STEPS, FORMAL_NOTICE_DEADLINE_DAYS, LITIGATION_WAIT
from app.domain.vocabulary import DUNNING_STEP_LABELS, LETTER_LABELS, SEGMENT_LABELS, DunningStep
from app.services.dunning import plans, save_plans
from app.services.reminders import letter_texts, save_letter_texts
from app.services.store import commit, read
from app.ui.format import LATE

UNUSED = -31  # a spin box's value for a step the segment's plan leaves out, shown as "—"


class PlansForm(QWidget):
    """A grid: two rows per segment, a column per step: the day from the due date of each step, and under it
    how many days the step waits after the previous one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        explanation = QLabel(
            "Le jour de chaque étape, compté depuis l'échéance (négatif : avant). « — » : l'étape n'est pas utilisée "
            "pour ce segment. Dessous, le délai après l'étape précédente : une étape attend son jour et ce délai "
            "depuis l'étape faite avant elle. Le dossier contentieux vient au plus tôt le lendemain de la fin du délai "
            f"laissé par la mise en demeure ({FORMAL_NOTICE_DEADLINE_DAYS} jours), {LITIGATION_WAIT} jours après elle. "
            "Un client peut suivre le plan d'un autre segment (sa fiche, « Plan de relance »).")
        explanation.setWordWrap(True)
        column.addWidget(explanation)
        grid = QGridLayout()
        column.addLayout(grid)
        self.boxes: dict[tuple[str, str], QSpinBox] = {}
        self.after: dict[tuple[str, str], QSpinBox] = {}  # the days a step waits after the previous one
        for col, step in enumerate(DunningStep, start=1):
            header = QLabel(DUNNING_STEP_LABELS[step])
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, col)
        self.errors: dict[str, QLabel] = {}
        for row, (segment, label) in enumerate(SEGMENT_LABELS.items()):
            top = 3 * row + 1
            grid.addWidget(QLabel(f"<b>{label}</b> — jour"), top, 0)
            delay = QLabel("délai après l'étape précédente")
            delay.setObjectName("muted")
            grid.addWidget(delay, top + 1, 0)
            for col, step in enumerate(DunningStep, start=1):
                box = QSpinBox()
                box.setRange(UNUSED, 365)
                box.setSpecialValueText("—")
                box.setSuffix(" j")
                box.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.boxes[segment.value, step.value] = box
                grid.addWidget(box, top, col)
                if step in AFTER_STEPS:
                    wait = QSpinBox()
                    wait.setRange(LITIGATION_WAIT if step == DunningStep.LITIGATION else 0, 365)
                    wait.setSuffix(" j après")
                    wait.setAlignment(Qt.AlignmentFlag.AlignRight)
                    wait.setToolTip(f"Jours d'attente après l'étape précédente avant la "
                                    f"{DUNNING_STEP_LABELS[step].lower()}" if step != DunningStep.LITIGATION else
                                    "Jours d'attente après la mise en demeure : au moins le lendemain de la fin "
                                    f"de son délai ({LITIGATION_WAIT} jours)")
                    box.valueChanged.connect(lambda day, wait=wait: wait.setEnabled(day != UNUSED))
                    self.after[segment.value, step.value] = wait
                    grid.addWidget(wait, top + 1, col)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {LATE.name()};")
            error.hide()
            self.errors[segment.value] = error
            grid.addWidget(error, top + 2, 1, 1, len(DunningStep))
            grid.setRowMinimumHeight(top + 2, 10)  # a gap between two segments when there is no error

    def load(self, db) -> None:
        for segment, plan in read(db, plans).items():
            for step in DunningStep:
                if (segment, step.value) in self.boxes:
                    self.boxes[segment, step.value].setValue(plan.days.get(step.value, UNUSED))
                if (segment, step.value) in self.after:
                    self.after[segment, step.value].setValue(plan.wait(step))

    def save(self, db, seen: dict[str, int] | None = None) -> bool:
        days: dict[str, dict[str, int]] = {segment: {} for segment in self.errors}
        for (segment, step), box in self.boxes.items():
            if box.value() != UNUSED:
                days[segment][step] = box.value()
        after: dict[str, dict[str, int]] = {segment: {} for segment in self.errors}
        for (segment, step), box in self.after.items():
            after[segment][step] = box.value()
        errors = commit(db, save_plans, days, seen, after)
        for segment, label in self.errors.items():
            label.setText(errors.get(segment, ""))
            label.setVisible(segment in errors)
        return not errors


class LetterTextsForm(QWidget):
    """One kind of letter at a time: its text, editable, and the way back to the shipped one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        self.kind = QComboBox()
        for kind, label in LETTER_LABELS.items():
            self.kind.addItem(label, kind)
        self.kind.currentIndexChanged.connect(self._show)
        column.addWidget(self.kind)
        self.text = QPlainTextEdit()
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setMinimumHeight(300)
        column.addWidget(self.text, 1)
        hint = QLabel("Champs : {client}, {contact}, {date}, {factures}, {total}, {principal}, {penalites}, "
                      "{indemnites}, {taux}, {delai}, {date_limite}, {entreprise}… Blocs : [tableau], [synthese], "
                      "[reglement], [signature]. Paragraphes réservés : [pro], [particulier]. Ce qui s'est passé : "
                      "{relances}, {date_mise_en_demeure}, et [si relances] / [sans relances] ; une phrase qui affirme "
                      "une relance ou une mise en demeure jamais enregistrée n'est pas imprimée. Le détail est dans "
                      "resources/letters/README.md.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        column.addWidget(hint)
        self.reset = QPushButton("Rétablir le texte d'origine")
        self.reset.clicked.connect(self._reset)
        column.addWidget(self.reset, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {LATE.name()};")
        column.addWidget(self.message)
        self.texts: dict[str, str] = {}
        self.shown = ""

    def load(self, db) -> None:
        self.texts = read(db, letter_texts)
        self.shown = ""
        self._show()

    def _show(self) -> None:
        if self.shown:  # what was typed for the previous kind is kept until saved
            self.texts[self.shown] = self.text.toPlainText()
        self.shown = self.kind.currentData()
        self.text.setPlainText(self.texts.get(self.shown, ""))

    def _reset(self) -> None:
        from app.reports.letter_text import letter_templates

        self.text.setPlainText(letter_templates()[self.shown])

    def save(self, db, seen: dict[str, int] | None = None) -> bool:
        self.texts[self.shown] = self.text.toPlainText()
        errors = commit(db, save_letter_texts, self.texts, seen)
        if errors:
            kind, message = next(iter(errors.items()))
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.message.setText(f"{LETTER_LABELS.get(kind, kind)} : {message}")
            return False
        self.message.clear()
        return True
