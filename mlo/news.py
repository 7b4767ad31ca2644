"""Read-side queries for the public site: what a reader may see, in one language."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import ColumnElement, Select, and_, case, func, select

from mlo import dates
from mlo.db import session
from mlo.i18n import current_locale, newsroom_zone
from mlo.locales import Locale
from mlo.models import LANGUAGES, Article, OldSlug, Translation, utcnow


def visible(lang: str | None = None, now: datetime | None = None) -> ColumnElement[bool]:
    """The condition for a translation a reader may see: published, not deleted, not scheduled."""
    condition = and_(
        Article.status == "published",
        Article.deleted_at.is_(None),
        Article.published_at <= (now or utcnow()),
    )
    return condition if lang is None else and_(Translation.lang == lang, condition)


def all_visible() -> list[Translation]:
    """Every translation readers can see, in any language, newest first."""
    query = select(Translation).join(Translation.article).where(visible())
    return list(session.scalars(query.order_by(Article.published_at.desc(), Translation.id)))


def _listing(lang: str) -> Select[tuple[Translation]]:
    return (
        select(Translation)
        .join(Translation.article)
        .where(visible(lang))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


@dataclass
class Page:
    """One page of a listing."""

    items: list[Translation]
    number: int
    pages: int
    total: int


def latest(lang: str, limit: int) -> list[Translation]:
    """The newest visible translations."""
    return list(session.scalars(_listing(lang).limit(limit)))


def page(lang: str, number: int, size: int, year: int | None = None) -> Page:
    """Page `number` (from 1) of the newest-first listing, optionally of one local year."""
    query = _listing(lang)
    zone = newsroom_zone()
    if year is not None:
        query = query.where(
            Article.published_at >= dates.year_start(year, zone),
            Article.published_at < dates.year_start(year + 1, zone),
        )
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(size).offset((number - 1) * size)))
    return Page(items, number, page_count(total, size), total)


def page_count(total: int, size: int) -> int:
    """How many pages of `size` hold `total` items (at least one, so page 1 always exists)."""
    return max(1, -(-total // size))


def archive_years(lang: str) -> list[tuple[int, int]]:
    """(year, number of articles) for every local year with visible articles, newest first."""
    condition, zone = visible(lang), newsroom_zone()
    bounds = select(func.min(Article.published_at), func.max(Article.published_at)).join(
        Article.translations
    )
    first, last = session.execute(bounds.where(condition)).one()
    if first is None:
        return []
    years = range(dates.to_local(first, zone).year, dates.to_local(last, zone).year + 1)
    bucket = case(
        *((Article.published_at < dates.year_start(year + 1, zone), year) for year in years)
    )
    rows = session.execute(
        select(bucket, func.count()).join(Article.translations).where(condition).group_by(bucket)
    )
    return sorted(((int(year), count) for year, count in rows), reverse=True)


def find(lang: str, slug: str) -> Translation | None:
    """The visible translation in `lang` with this slug."""
    return session.scalar(
        select(Translation).join(Translation.article).where(visible(lang), Translation.slug == slug)
    )


def find_moved(lang: str, slug: str) -> Translation | None:
    """The visible translation that used to have this slug."""
    return session.scalar(
        select(Translation)
        .join(OldSlug, OldSlug.translation_id == Translation.id)
        .join(Translation.article)
        .where(visible(lang), OldSlug.slug == slug)
    )


def find_elsewhere(slug: str) -> Article | None:
    """A visible article that has this (current or old) slug in any language."""
    for lang in LANGUAGES:
        translation = find(lang, slug) or find_moved(lang, slug)
        if translation is not None:
            return translation.article
    return None


def local_year(article: Article) -> int:
    """The newsroom-local year an article was published in (its archive year)."""
    return dates.to_local(article.published_at, newsroom_zone()).year


def article_url(translation: Translation, locale: Locale | None = None, **options: Any) -> str:
    """The URL of a translation, in `locale` (by default the current one, if it fits)."""
    return url_for(
        "public.article",
        loc=locale or current_locale(),
        year=local_year(translation.article),
        slug=translation.slug,
        **options,
    )
