"""Read queries: what readers may see at a given moment, in one language.

The newsroom's time zone and "now" are passed in (a `Newsroom`), never read from a request.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import defer, joinedload

from mlo.content.models import Article, OldSlug, Revision, Translation
from mlo.db import dbsession
from mlo.locales import CODES
from mlo.text import dates

# No page shows the search index's texts; lists, feeds and the sitemap show no bodies either.
UNSHOWN = (
    defer(Translation.search_text, raiseload=True),
    defer(Translation.search_exact, raiseload=True),
)
LISTED = (defer(Translation.body, raiseload=True), *UNSHOWN)
# An article page also links its other versions: their titles and slugs, not their bodies.
WITH_VERSIONS = joinedload(Translation.article).selectinload(Article.translations).options(*LISTED)


@dataclass
class Page:
    """One page of a listing."""

    items: list[Translation]
    number: int
    pages: int
    total: int


def page_count(total: int, size: int) -> int:
    """How many pages of `size` hold `total` items (at least one, so page 1 always exists)."""
    return max(1, -(-total // size))


@dataclass(frozen=True)
class Newsroom:
    """The published newsroom as readers see it at `now`, dated in the time zone `zone`."""

    zone: str
    now: datetime

    def visible(self, lang: str | None = None) -> ColumnElement[bool]:
        """The condition for a translation a reader may see: the article published, not deleted
        and due, and the translation itself published."""
        condition = and_(
            Article.status == "published",
            Article.deleted_at.is_(None),
            Article.published_at <= self.now,
            Translation.state == "published",
        )
        return condition if lang is None else and_(Translation.lang == lang, condition)

    def _listing(self, lang: str) -> Select[tuple[Translation]]:
        return (
            select(Translation)
            .join(Translation.article)
            .where(self.visible(lang))
            .order_by(Article.published_at.desc(), Article.id.desc())
            .options(*LISTED)
        )

    def all_visible(self) -> list[Translation]:
        """Every translation readers can see, in any language, newest first (no bodies)."""
        query = select(Translation).join(Translation.article).where(self.visible())
        query = query.options(*LISTED).order_by(Article.published_at.desc(), Translation.id)
        return list(dbsession.scalars(query))

    def latest(self, lang: str, limit: int) -> list[Translation]:
        """The newest visible translations (no bodies)."""
        return list(dbsession.scalars(self._listing(lang).limit(limit)))

    def _in_year(self, query: Select, year: int | None) -> Select:
        if year is None:
            return query
        return query.where(
            Article.published_at >= dates.year_start(year, self.zone),
            Article.published_at < dates.year_start(year + 1, self.zone),
        )

    def count(self, lang: str, year: int | None = None) -> int:
        """How many translations in `lang` readers can see (in one local year, if given)."""
        ids = select(Translation.id).join(Translation.article).where(self.visible(lang))
        counted = select(func.count()).select_from(self._in_year(ids, year).subquery())
        return dbsession.scalar(counted) or 0

    def page(self, lang: str, number: int, size: int, year: int | None = None) -> Page:
        """Page `number` (from 1) of the newest-first listing, optionally of one local year."""
        total = self.count(lang, year)
        query = self._in_year(self._listing(lang), year)
        items = list(dbsession.scalars(query.limit(size).offset((number - 1) * size)))
        return Page(items, number, page_count(total, size), total)

    def page_exists(self, lang: str, number: int, size: int, year: int | None = None) -> bool:
        """Whether that listing page answers 200: page 1 of all news always does; a year's
        pages only if it has news; later pages only as far as the news reaches."""
        if year is None and number == 1:
            return True
        total = self.count(lang, year)
        return total > 0 and number <= page_count(total, size)

    def archive_years(self, lang: str) -> list[tuple[int, int]]:
        """(year, number of articles) for every local year with visible articles, newest first."""
        condition = self.visible(lang)
        bounds = select(func.min(Article.published_at), func.max(Article.published_at)).join(
            Article.translations
        )
        first, last = dbsession.execute(bounds.where(condition)).one()
        if first is None:
            return []
        years = range(self.local_year_of(first), self.local_year_of(last) + 1)
        bucket = case(
            *(
                (Article.published_at < dates.year_start(year + 1, self.zone), year)
                for year in years
            )
        )
        rows = dbsession.execute(
            select(bucket, func.count())
            .join(Article.translations)
            .where(condition)
            .group_by(bucket)
        )
        return sorted(((int(year), count) for year, count in rows), reverse=True)

    def find(self, lang: str, slug: str) -> Translation | None:
        """The visible translation in `lang` with this slug (with its article's translations)."""
        return dbsession.scalar(
            select(Translation)
            .join(Translation.article)
            .where(self.visible(lang), Translation.slug == slug)
            .options(WITH_VERSIONS, *UNSHOWN)
        )

    def find_moved(self, lang: str, slug: str) -> Translation | None:
        """The visible translation that used to have this slug."""
        return dbsession.scalar(
            select(Translation)
            .join(OldSlug, OldSlug.translation_id == Translation.id)
            .join(Translation.article)
            .where(self.visible(lang), OldSlug.slug == slug)
            .options(*LISTED, WITH_VERSIONS)
        )

    def find_elsewhere(self, slug: str) -> Article | None:
        """A visible article that has this (current or old) slug in any language."""
        for lang in CODES:
            translation = self.find(lang, slug) or self.find_moved(lang, slug)
            if translation is not None:
                return translation.article
        return None

    def local_year_of(self, moment: datetime) -> int:
        """The newsroom-local year of a stored UTC time."""
        return dates.to_local(moment, self.zone).year

    def local_year(self, article: Article) -> int:
        """The newsroom-local year an article was published in (its archive year)."""
        return self.local_year_of(article.published_at)


@dataclass(frozen=True)
class Outdated:
    """A translation whose source changed after it was made: the source and when it changed."""

    source: Translation
    changed_at: datetime


def outdated(translation: Translation) -> Outdated | None:
    """Whether readers must be told that the original changed since this translation was made."""
    if not translation.is_stale():
        return None
    source = translation.article.source
    changed_at = dbsession.scalar(
        select(Revision.created_at).where(
            Revision.translation_id == source.id, Revision.number == source.changed_revision
        )
    )
    return Outdated(source, changed_at or source.updated_at)
