"""The BODACC check: the customers' SIRENs against the BODACC's open data (collective proceedings), off by
default.

Encours calls no server unless the owner allowed it: the weekly check in Paramètres (a preference, off until
ticked), or ``encours bodacc check``, the owner's explicit demand. Each SIREN's answer is kept a week (a
preference holding the judgments read, not the raw answers), so that checking again within the week asks
nothing. A failure changes nothing: an unreachable server (offline, timeout) stops the whole check, since
every other SIREN would wait as long; an unreadable answer or an HTTP error fails only its SIREN. What the
BODACC says is proposed (``app.domain.bodacc.proposals``) and recorded only when the owner confirms one
(``apply_proposal``).

The base URL comes from ``ENCOURS_BODACC_URL`` when set: the tests serve recorded answers from a local
server, and never reach the internet.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.domain.bodacc import (Announcement, BodaccUnreadable, Change, Proposal, Watched, proposals, read_answer,
                               siren_digits)
from app.domain.insolvency import ProceedingKind
from app.models import Customer, CustomerProceeding
from app.services.edits import record_settings, settings_subject
from app.services.preferences import keep_preferences, preference
from app.services.proceedings import ProceedingInput, ProceedingRefused, open_proceeding, record_proceeding
from app.services.store import commit, read

URL_ENV = "ENCOURS_BODACC_URL"
PUBLIC_URL = "https://bodacc-datadila.opendatasoft.com"
RECORDS = "/api/explore/v2.1/catalog/datasets/annonces-commerciales/records"
USER_AGENT = f"Encours/{__version__} (suivi des créances clients ; vérification hebdomadaire BODACC)"
TIMEOUT = 10  # seconds a SIREN's answer may take
KEPT_DAYS = 7  # an answer is reused for a week; the weekly check runs again after as long
WEEKLY_KEY, LAST_KEY, CACHE_KEY = "bodacc_weekly", "bodacc_last_check", "bodacc_cache"
SECTION = "BODACC"
SUBJECT = settings_subject("La vérification BODACC a été modifiée", SECTION)


class BodaccUnreachable(Exception):
    """The BODACC did not answer (no Internet, a timeout, a refused connection): the check stops."""


@dataclass(frozen=True)
class BodaccSettings:
    weekly: bool  # the owner allows the weekly check
    last_check: date | None


@dataclass(frozen=True)
class BodaccResult:
    """What a check found: the proposals to confirm, how many SIRENs were answered (from the week's answers
    or asked), how many were asked, and the failures in French (nothing changed by them)."""

    proposals: list[Proposal]
    checked: int
    asked: int
    failures: list[str]
    weekly: bool

    @property
    def failed(self) -> bool:
        """Nothing could be checked, because of failures."""
        return self.checked == 0 and bool(self.failures)


def bodacc_settings(session: Session) -> BodaccSettings:
    last = preference(session, LAST_KEY)
    return BodaccSettings(bool(preference(session, WEEKLY_KEY, False)), date.fromisoformat(last) if last else None)


def save_weekly(session: Session, weekly: bool, seen: dict[str, int] | None = None) -> None:
    """Allow (or no longer) the weekly check; ``seen``: the versions the settings screen loaded."""
    if keep_preferences(session, {WEEKLY_KEY: True if weekly else None}, SUBJECT, seen):
        record_settings(session, SECTION, ["vérification hebdomadaire " + ("activée" if weekly else "désactivée")])


def base_url() -> str:
    return os.environ.get(URL_ENV) or PUBLIC_URL


def fetch(siren: str) -> dict:
    """The dataset's answer for ``siren``'s collective proceedings, newest first; the registry holds SIRENs
    both as typed and spaced (« 552 100 554 »), hence both in the query."""
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    query = urlencode({"where": f'familleavis="collective" and (registre="{siren}" or registre="{spaced}")',
                       "order_by": "dateparution desc", "limit": 100})
    request = Request(f"{base_url().rstrip('/')}{RECORDS}?{query}",
                      headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urlopen(request, timeout=TIMEOUT) as response:
            body = response.read()
    except HTTPError as error:
        raise BodaccUnreadable(f"le serveur a répondu par l'erreur HTTP {error.code}") from None
    except TimeoutError:
        raise BodaccUnreachable(f"le BODACC n'a pas répondu dans les {TIMEOUT} secondes") from None
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise BodaccUnreachable(f"le BODACC n'a pas répondu dans les {TIMEOUT} secondes") from None
        raise BodaccUnreachable(f"le BODACC est injoignable ({reason}) : vérifiez la connexion à Internet") from None
    try:
        return json.loads(body)
    except ValueError:
        raise BodaccUnreadable("la réponse n'est pas du JSON") from None


def _stored(announcement: Announcement) -> dict:
    return {**asdict(announcement), "judgment_on": announcement.judgment_on.isoformat(),
            "published_on": announcement.published_on.isoformat()}


def _restored(stored: dict) -> Announcement:
    return Announcement(**{**stored, "change": Change(stored["change"]),
                           "kind": ProceedingKind(stored["kind"]) if stored["kind"] else None,
                           "judgment_on": date.fromisoformat(stored["judgment_on"]),
                           "published_on": date.fromisoformat(stored["published_on"])})


def _week_answers(cache, at: date) -> dict[str, list[Announcement]]:
    """The answers kept less than a week before ``at``; an entry that does not read is asked again."""
    kept = {}
    for siren, entry in (cache if isinstance(cache, dict) else {}).items():
        try:
            if at - date.fromisoformat(entry["on"]) < timedelta(days=KEPT_DAYS):
                kept[siren] = [_restored(stored) for stored in entry["announcements"]]
        except (KeyError, TypeError, ValueError):
            continue
    return kept


def _watched(session: Session) -> list[Watched]:
    rows = session.execute(select(Customer.id, Customer.code, Customer.name, Customer.siren)
                           .where(Customer.siren != "").order_by(Customer.name))
    return [Watched(cid, code, name, siren) for cid, code, name, raw in rows if (siren := siren_digits(raw))]


def _plan(session: Session, at: date) -> tuple[BodaccSettings, list[Watched], dict, dict[str, list[Announcement]]]:
    cache = preference(session, CACHE_KEY, {})
    return bodacc_settings(session), _watched(session), cache, _week_answers(cache, at)


def _keep(session: Session, at: date, cache: dict, answers: dict[str, list[Announcement]]) -> None:
    """Keep the new answers with those still of the week (older ones dropped) and the day of the check."""
    kept = {siren: entry for siren, entry in cache.items() if siren in _week_answers({siren: entry}, at)}
    kept.update({siren: {"on": at.isoformat(), "announcements": [_stored(a) for a in found]}
                 for siren, found in answers.items()})
    keep_preferences(session, {CACHE_KEY: kept, LAST_KEY: at.isoformat()}, SUBJECT)


def _proposals(session: Session, watched: list[Watched], answers: dict[str, list[Announcement]]) -> list[Proposal]:
    recorded: dict[int, list] = {}
    for row in session.scalars(select(CustomerProceeding).where(
            CustomerProceeding.customer_id.in_([w.customer_id for w in watched]))):
        recorded.setdefault(row.customer_id, []).append(row.facts())
    return [proposal for w in watched if w.siren in answers
            for proposal in proposals(w, answers[w.siren], recorded.get(w.customer_id, []))]


def check(db, at: date, *, on_demand: bool = False) -> BodaccResult:
    """Check the customers' SIRENs: from the week's answers, else by asking the BODACC when the weekly check
    is allowed or the owner asked (``on_demand``); nothing is asked otherwise. The network is used outside
    any transaction (the database stays free meanwhile); the answers are kept only once all are in."""
    settings, watched, cache, answers = read(db, _plan, at)
    if not (settings.weekly or on_demand):
        return BodaccResult([], 0, 0, [], False)
    names: dict[str, list[str]] = {}
    for w in watched:
        names.setdefault(w.siren, []).append(w.name)
    new, failures = {}, []
    for siren in (siren for siren in names if siren not in answers):
        try:
            new[siren] = read_answer(fetch(siren), siren)
        except BodaccUnreadable as unreadable:
            failures.append(f"SIREN {siren} ({', '.join(names[siren])}) : réponse du BODACC inutilisable "
                            f"({unreadable}) ; rien n'a été modifié pour ce client.")
        except BodaccUnreachable as unreachable:
            failures.append(f"Vérification BODACC interrompue : {unreachable}. Rien n'a été modifié.")
            break
    if new:
        commit(db, _keep, at, cache, new)
    answers.update(new)
    found = read(db, _proposals, watched, answers) if answers else []
    return BodaccResult(found, sum(1 for siren in names if siren in answers), len(new) + len(failures), failures,
                        settings.weekly)


def weekly_check(db, at: date) -> BodaccResult | None:
    """The weekly check when the window opens: only when allowed and a week passed since the last one."""
    settings = read(db, bodacc_settings)
    if not settings.weekly or (settings.last_check and at - settings.last_check < timedelta(days=KEPT_DAYS)):
        return None
    return check(db, at)


def apply_proposal(session: Session, proposal: Proposal, today: date) -> str:
    """Record a proposal the owner confirmed (``record_proceeding``); returns what was done, in French. A
    conversion is dated by its judgment; a conversion or clôture needs the proceedings open."""
    a, customer_id = proposal.announcement, proposal.customer.customer_id
    if a.change is Change.OPENING:
        return record_proceeding(session, customer_id, ProceedingInput(a.kind.value, a.judgment_on, a.published_on,
                                                                       court=a.court), today)
    row = open_proceeding(session, customer_id)
    if row is None:
        raise ProceedingRefused(f"{proposal.customer.name} : aucune procédure ouverte n'est enregistrée ; "
                                "enregistrez d'abord le jugement d'ouverture.")
    given = ProceedingInput(**{field.name: getattr(row, field.name) for field in fields(ProceedingInput)})
    if a.change is Change.CONVERSION:
        return record_proceeding(session, customer_id, replace(given, kind=a.kind.value), a.judgment_on)
    return record_proceeding(session, customer_id, replace(given, closed_on=a.judgment_on), today)
