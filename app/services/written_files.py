"""Files a transaction writes beside the database — the letters and e-mails of Relances, a declaration of claim,
each recorded as sent in the same transaction — are kept only if that transaction commits.

A letter on disk that the history does not record would be sent by the owner while Encours proposes the same
step again next week, and the next letter would not mention it: « Annuler » in the middle of a batch, a
letter that cannot be laid out, or another workstation that recorded the same letter first (the commit
refused) all roll the transaction back, and the files it wrote go with it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_WRITTEN = "files written by this transaction"


def kept_if_committed(session: Session, path: Path) -> Path:
    """``path``, written by ``session``'s transaction: removed if that transaction ends without committing.
    Called before writing a file that may be left half written, after writing one written whole at once (a
    PDF laid out in memory), so that a file of that name stays as it was when the writing never happened."""
    session.info.setdefault(_WRITTEN, []).append(path)
    return path


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction over without its commit (``_committed`` clears the list first): its files go."""
    if transaction.parent is not None:
        return
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
