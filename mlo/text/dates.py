"""Newsroom time: everything is stored as naive UTC and shown in the newsroom's time zone.

A leaf: plain functions, no Flask, no database.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def to_utc(value: datetime, zone: str) -> datetime:
    """A datetime (naive means newsroom-local) as naive UTC for storage."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC).replace(tzinfo=None)


def to_local(value: datetime, zone: str) -> datetime:
    """A stored naive-UTC datetime in the newsroom's time zone."""
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def parse_published(value: str, zone: str) -> datetime:
    """An import's `published` (a date or an ISO datetime) as naive UTC; ValueError if neither."""
    if len(value) == 10:
        return to_utc(datetime.combine(date.fromisoformat(value), time()), zone)
    return to_utc(datetime.fromisoformat(value), zone)


def format_published(value: datetime, zone: str) -> str:
    """The inverse of parse_published: a plain date when the local time is midnight."""
    local = to_local(value, zone)
    if local.time() == time():
        return local.date().isoformat()
    return local.isoformat()


def year_start(year: int, zone: str) -> datetime:
    """The naive-UTC instant at which a newsroom-local year begins."""
    return to_utc(datetime(year, 1, 1), zone)
