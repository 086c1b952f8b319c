"""What an import did, or would do (the preview is the import rolled back): counts, changes in words, rejected
rows, possible duplicates, reported settlements, a statement's matching, the FEC's disagreements with the
aging; said the same way by the command line, its JSON and the wizard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.domain.money import format_eur, from_cents
from app.importers.records import Problem
from app.jobs import Refused
from app.services.ledger_check import LedgerDisagreement
from app.services.reconciliation import MatchCounts


@dataclass
class ImportSummary:
    """What an import did (or would do): counts, changes in words, rejected rows, possible duplicates."""

    file: str
    kind: str
    rows: int = 0
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("customers", "invoices", "payments", "allocations"), 0))
    changes: list[str] = field(default_factory=list)
    duplicates: int = 0
    possible_duplicates: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    batch_id: int | None = None
    as_of: date | None = None  # the date the file's paid / remaining amounts are stated at
    as_of_said: str = ""      # where that date comes from, in French
    reported: int = 0         # invoices booked as settled per the file, awaiting the bank's evidence
    by_bank: int = 0          # invoices the file says are paid that bank credits already imported explain
    disagreements: list[str] = field(default_factory=list)  # the file says more is due than Encours knows
    statement_lines: int = 0  # a bank statement's new lines (credits and debits)
    recorded_before: int = 0  # its credits that were payments already (the accountant's, or typed in)
    confirmed: int = 0        # its credits that confirmed settlements a file had reported (wholly or in part)
    confirmed_in_part: int = 0  # of those, the instalments: part of a reported settlement
    still_awaiting: int = 0   # cents of the settlements they confirmed in part still awaiting the bank
    matching: MatchCounts | None = None  # a bank statement's credits: matched, proposed, unmatched
    company: str = ""         # the user's company created or completed from the file, in French
    ledger_check: list[LedgerDisagreement] = field(default_factory=list)  # a FEC's 411 balances ≠ the aging

    @property
    def rejected(self) -> bool:
        """Nothing was imported because of errors."""
        return self.batch_id is None and bool(self.errors)

    def statement_text(self) -> str:
        """What a bank statement's import did, in French (the command line and the wizard say the same)."""
        m = self.matching or MatchCounts()
        before = (f" ; {self.recorded_before} encaissement(s) déjà enregistré(s) (export comptable ou saisie), "
                  "reliés à leur ligne" if self.recorded_before else "")
        confirmed = ""
        if self.confirmed:
            confirmed = (f"{self.confirmed} confirmant un règlement déclaré par un export (compté une seule fois"
                         + (f" ; {self.confirmed_in_part} en partie, {format_eur(from_cents(self.still_awaiting))} "
                            "restant en attente du relevé" if self.confirmed_in_part else "") + "), ")
        credits = self.created["payments"] + self.confirmed - self.confirmed_in_part
        return (f"{self.statement_lines} ligne(s) de relevé nouvelle(s), dont {credits} encaissement(s) : "
                f"{confirmed}{m.auto} rapproché(s) automatiquement, {m.proposed} à confirmer (écran "
                f"« À rapprocher »), {m.unmatched} sans correspondance{before} ; {self.duplicates} ligne(s) "
                "déjà connue(s).")

    def reported_text(self) -> str:
        """What the file's paid / remaining amounts did, and the date they were taken at, in French."""
        if self.as_of is None or not (self.reported or self.by_bank or self.disagreements):
            return ""
        said = f"Règlements selon le fichier au {self.as_of:%d/%m/%Y} ({self.as_of_said}) : "
        parts = [f"{self.reported} facture(s) réglée(s) selon le fichier, en attente du relevé bancaire"] \
            if self.reported else []
        if self.by_bank:
            parts.append(f"{self.by_bank} déjà expliquée(s) par des virements reçus")
        if self.disagreements:
            parts.append(f"{len(self.disagreements)} désaccord(s) à vérifier")
        return said + ", ".join(parts) + "."

    def as_json(self) -> dict:
        return {"file": self.file, "kind": self.kind, "refused": self.rejected, "created": self.created,
                "updated": len(self.changes),
                "changes": self.changes, "duplicates": self.duplicates,
                **({"as_of": self.as_of.isoformat(), "as_of_source": self.as_of_said, "reported": self.reported,
                    "explained_by_bank": self.by_bank, "disagreements": self.disagreements}
                   if self.as_of is not None else {}),
                "possible_duplicates": self.possible_duplicates,
                **({"ledger_check": [d.as_json() for d in self.ledger_check]} if self.kind == "fec" else {}),
                **({"company_created": self.company} if self.company else {}),
                "errors": [_problem_json(p) for p in self.errors],
                "warnings": [_problem_json(p) for p in self.warnings],
                **({"statement_lines": self.statement_lines, "recorded_before": self.recorded_before,
                    "confirmed": self.confirmed, "confirmed_in_part": self.confirmed_in_part,
                    "still_awaiting": str(from_cents(self.still_awaiting)),
                    **self.matching.as_json()} if self.matching else {})}


def _problem_json(problem: Problem) -> dict:
    return {"line": problem.line, "column": problem.column, "value": problem.value, "message": problem.message}


class ImportRefused(Refused):
    """Errors found while applying a file (an invoice number that is another customer's, a total below what
    is already allocated) when its valid rows alone were not asked for: raised so that the caller's
    transaction rolls back whole. ``summary`` is the file's as refused: its errors, nothing imported."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__(f"{summary.file} : refusé, {len(summary.errors)} erreur(s) ; rien n'a été importé.")
        self.summary = summary
