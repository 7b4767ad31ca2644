"""What readers' lists are made of, kept on every write: each translation's `listed_at`, the
month counts of the listings, and the content version that page caches follow.

Session events see every write path (the back office, imports, the command line), so no
operation has to remember any of it. The counts of the months a transaction touched are made
again from the index just before it commits, after taking the site_state row's lock, so two
writers never count over each other.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from mlo.content.models import Article, ListingMonth, OldSlug, SiteState, Translation, utcnow
from mlo.db import fetch_one
from mlo.text import dates

CONTENT = (Article, Translation, OldSlug)
# session.info keys: the publication times whose months must be counted again, and a flag.
_MOMENTS = "mlo.listing.moments"
_CHANGED = "mlo.listing.changed"
# The newsroom's time zone, put in every session's info by mlo.db (NEWSROOM_TIMEZONE).
ZONE = "zone"
DEFAULT_ZONE = "UTC"


def listed_at(translation: Translation) -> datetime | None:
    """When readers may see this translation (None: not while it is as it is)."""
    article = translation.article
    if (
        article is not None
        and article.status == "published"
        and article.deleted_at is None
        and translation.state == "published"
    ):
        return article.published_at
    return None


@dataclass(frozen=True)
class State:
    """The content readers see: its version, when it last changed, and the newest publication
    time already due (a scheduled article going live changes pages without any write)."""

    version: int
    changed_at: datetime
    last_due: datetime | None

    @property
    def last_modified(self) -> datetime:
        """When what readers see last changed."""
        return max(self.changed_at, self.last_due or self.changed_at)

    @property
    def key(self) -> str:
        """A string that changes whenever what readers see may have changed."""
        due = self.last_due.isoformat() if self.last_due else "-"
        return f"{self.version}:{due}"


_DUE = select(func.max(Translation.listed_at)).where(Translation.listed_at <= bindparam("now"))
_STATE = select(SiteState.version, SiteState.changed_at, _DUE.scalar_subquery()).where(
    SiteState.id == 1
)


def state(now: datetime, bind: Engine | None = None) -> State:
    """The content state as of `now`: one indexed read, asked on every request."""
    row = fetch_one(_STATE, {"now": now}, bind)
    if row is None:  # an emptied database, until its first write
        return State(0, datetime.min, None)
    return State(row[0], _moment(row[1]), _moment(row[2]) if row[2] is not None else None)


def _moment(value: datetime | str) -> datetime:
    # SQLite's driver gives stored times as the ISO strings SQLAlchemy wrote.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def month_counts(session: Session, lang: str) -> list[tuple[int, int]]:
    """(month, number of listed translations) of one language, newest month first, future
    publications included."""
    rows = session.execute(
        select(ListingMonth.month, ListingMonth.count)
        .where(ListingMonth.lang == lang, ListingMonth.count > 0)
        .order_by(ListingMonth.month.desc())
    )
    return [(month, count) for month, count in rows]


def recount(connection: Connection | Session, zone: str, months: Iterable[int]) -> None:
    """Count the listings of these local months again, from the translations' index."""
    for month in sorted(set(months)):
        start, end = dates.month_bounds(month, zone)
        connection.execute(delete(ListingMonth).where(ListingMonth.month == month))
        counted = (
            select(Translation.lang, literal(month), func.count())
            .where(Translation.listed_at >= start, Translation.listed_at < end)
            .group_by(Translation.lang)
        )
        columns = [ListingMonth.lang, ListingMonth.month, ListingMonth.count]
        connection.execute(insert(ListingMonth).from_select(columns, counted))


def ensure(connection: Connection, zone: str | None) -> None:
    """After migrations: the state row exists, and the month counts are made in `zone` (all of
    them again if the zone changed or they were never made)."""
    stored = connection.execute(select(SiteState.zone).where(SiteState.id == 1)).scalar()
    if stored is None:
        _make_row(connection, "")
    zone = zone or stored or DEFAULT_ZONE
    if stored == zone:
        return
    connection.execute(delete(ListingMonth))
    listed = select(Translation.listed_at).where(Translation.listed_at.is_not(None)).distinct()
    moments = connection.execute(listed).scalars()
    recount(connection, zone, {dates.month_key(moment, zone) for moment in moments})
    connection.execute(
        update(SiteState)
        .where(SiteState.id == 1)
        .values(version=SiteState.version + 1, changed_at=utcnow(), zone=zone)
    )


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    changed = [
        item
        for item in chain(session.new, session.dirty, session.deleted)
        if isinstance(item, CONTENT)
    ]
    if not changed:
        return
    session.info[_CHANGED] = True
    moments: set[datetime] = session.info.setdefault(_MOMENTS, set())
    with session.no_autoflush:
        for item in changed:
            if isinstance(item, Article):
                history = get_history(item, "published_at")
                moments.update(m for m in chain(history.deleted, history.unchanged) if m)
                moments.update(m for m in history.added if m)
                translations = list(item.translations.values())
            elif isinstance(item, Translation):
                translations = [item]
                if item.article is not None:
                    moments.add(item.article.published_at)
            else:
                continue
            for translation in translations:
                if translation not in session.deleted:
                    translation.listed_at = listed_at(translation)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    moments = session.info.pop(_MOMENTS, set())
    # The row lock first: a second writer waits here, then counts what the first committed.
    stored = _bump(session)
    if stored is None:  # an emptied table (tests truncate it): the row is made once, then bumped
        _make_row(session.connection(), session.info.get(ZONE) or DEFAULT_ZONE)
        stored = _bump(session)
    zone = session.info.get(ZONE) or stored or DEFAULT_ZONE
    recount(session, zone, {dates.month_key(moment, zone) for moment in moments})


def _make_row(connection: Connection, zone: str) -> None:
    # Two first writers at once make it once: the second waits for the first, then does nothing.
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    row = {"id": 1, "version": 0, "changed_at": utcnow(), "zone": zone}
    connection.execute(dialect.insert(SiteState).values(row).on_conflict_do_nothing())


def _bump(session: Session) -> str | None:
    # The next content version; the zone the counts are kept in (None: there is no row).
    return session.execute(
        update(SiteState)
        .where(SiteState.id == 1)
        .values(version=SiteState.version + 1, changed_at=utcnow())
        .returning(SiteState.zone)
    ).scalar()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_MOMENTS, None)
