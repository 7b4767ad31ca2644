"""Newsroom time: everything is stored as naive UTC and shown in the newsroom's time zone.

A leaf: plain functions, no Flask, no database.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

# The years an article can be dated in: year archive URLs are /news/1/ to /news/9998/.
FIRST_YEAR, LAST_YEAR = 1, 9998


def to_utc(value: datetime, zone: str) -> datetime:
    """A datetime (naive means newsroom-local) as naive UTC for storage."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC).replace(tzinfo=None)


def to_local(value: datetime, zone: str) -> datetime:
    """A stored naive-UTC datetime in the newsroom's time zone."""
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def parse_published(value: str, zone: str) -> datetime:
    """An import's `published` (a date or an ISO datetime) as naive UTC; ValueError if neither
    or if its local year is outside FIRST_YEAR..LAST_YEAR."""
    if len(value) == 10:
        moment = datetime.combine(date.fromisoformat(value), time())
    else:
        moment = datetime.fromisoformat(value)
    try:
        stored = to_utc(moment, zone)
        local_year = to_local(stored, zone).year
    except OverflowError:
        local_year = 0
    if not FIRST_YEAR < local_year <= LAST_YEAR:
        raise ValueError(f"the year must be from {FIRST_YEAR + 1} to {LAST_YEAR}")
    return stored


def format_published(value: datetime, zone: str) -> str:
    """The inverse of parse_published: a plain date when the local time is midnight."""
    local = to_local(value, zone)
    if local.time() == time():
        return local.date().isoformat()
    return local.isoformat()


def year_start(year: int, zone: str) -> datetime:
    """The naive-UTC instant at which a newsroom-local year begins (clamped to what a datetime
    can hold, so that year 1 and year 10000 are valid bounds)."""
    if year > 9999:
        return datetime.max
    try:
        return to_utc(datetime(year, 1, 1), zone)
    except OverflowError:
        return datetime.min


def month_key(stored: datetime, zone: str) -> int:
    """The newsroom-local month of a stored UTC time, as year * 100 + month (202302)."""
    local = to_local(stored, zone)
    return local.year * 100 + local.month


def month_bounds(key: int, zone: str) -> tuple[datetime, datetime]:
    """The naive-UTC instants at which a local month (year * 100 + month) begins and ends."""
    year, month = divmod(key, 100)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return _local_start(year, month, zone), _local_start(*after, zone)


def _local_start(year: int, month: int, zone: str) -> datetime:
    if year > 9999:
        return datetime.max
    try:
        return to_utc(datetime(year, month, 1), zone)
    except OverflowError:
        return datetime.min
