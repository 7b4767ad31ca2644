"""Read queries: what readers may see at a given moment, in one language.

The newsroom's time zone and "now" are passed in (a `Newsroom`), never read from a request.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, select, text
from sqlalchemy.orm import defer, joinedload

from mlo.content import listing
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


class SitemapRow(NamedTuple):
    """What a sitemap says of one visible translation."""

    article_id: int
    lang: str
    slug: str
    published_at: datetime
    updated_at: datetime


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


SITEMAP_BLOCKS = text(
    """
    WITH RECURSIVE blocks(block) AS (
        SELECT (SELECT article_id FROM translation WHERE listed_at <= :now
                ORDER BY article_id LIMIT 1) / :size
        UNION ALL
        SELECT (SELECT article_id FROM translation
                WHERE article_id >= (block + 1) * :size AND listed_at <= :now
                ORDER BY article_id LIMIT 1) / :size
        FROM blocks WHERE block IS NOT NULL
    )
    SELECT block FROM blocks WHERE block IS NOT NULL
    """
)


@dataclass(frozen=True)
class Newsroom:
    """The published newsroom as readers see it at `now`, dated in the time zone `zone`."""

    zone: str
    now: datetime
    # Each language's month counts, read once per newsroom (that is, per request).
    _months: dict[str, list[tuple[int, int]]] = field(default_factory=dict, compare=False)

    def visible(self, lang: str | None = None) -> ColumnElement[bool]:
        """The condition for a translation a reader may see: its article published, not deleted
        and due, and the translation itself published (all kept in `listed_at`)."""
        condition = Translation.listed_at <= self.now
        return condition if lang is None else and_(Translation.lang == lang, condition)

    def _listing(self, lang: str) -> Select[tuple[Translation]]:
        return (
            select(Translation)
            .where(self.visible(lang))
            .order_by(Translation.listed_at.desc(), Translation.article_id.desc())
            .options(*LISTED)
        )

    def latest(self, lang: str, limit: int) -> list[Translation]:
        """The newest visible translations (no bodies)."""
        return list(dbsession.scalars(self._listing(lang).limit(limit)))

    def months(self, lang: str) -> list[tuple[int, int]]:
        """(local month as year * 100 + month, visible translations) for every month with
        any, newest first: the kept counts less the publications not yet due."""
        if lang not in self._months:
            counts = dict(listing.month_counts(dbsession, lang))
            scheduled = select(Translation.listed_at).where(
                Translation.lang == lang, Translation.listed_at > self.now
            )
            for moment in dbsession.scalars(scheduled):
                key = dates.month_key(moment, self.zone)
                counts[key] = counts.get(key, 0) - 1
            self._months[lang] = [(m, n) for m, n in sorted(counts.items(), reverse=True) if n > 0]
        return self._months[lang]

    def _months_of(self, lang: str, year: int | None) -> list[tuple[int, int]]:
        return [(m, n) for m, n in self.months(lang) if year is None or m // 100 == year]

    def count(self, lang: str, year: int | None = None) -> int:
        """How many translations in `lang` readers can see (in one local year, if given)."""
        return sum(n for _, n in self._months_of(lang, year))

    def page(self, lang: str, number: int, size: int, year: int | None = None) -> Page:
        """Page `number` (from 1) of the newest-first listing, optionally of one local year."""
        months = self._months_of(lang, year)
        total = sum(n for _, n in months)
        query = self._listing(lang)
        if year is not None:
            query = query.where(Translation.listed_at >= dates.year_start(year, self.zone))
        # Whole months are skipped by their counts, so the offset stays within one month
        # however deep the page: page 500 costs what page 1 does.
        skip = (number - 1) * size
        for month, count in months:
            if skip < count:
                end = dates.month_bounds(month, self.zone)[1]
                query = query.where(Translation.listed_at < end).limit(size).offset(skip)
                items = list(dbsession.scalars(query))
                break
            skip -= count
        else:
            items = []
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
        years: dict[int, int] = {}
        for month, count in self.months(lang):
            years[month // 100] = years.get(month // 100, 0) + count
        return sorted(years.items(), reverse=True)

    def sitemap_blocks(self, size: int) -> list[int]:
        """The numbers of the blocks of `size` article ids that hold a visible translation."""
        # One index probe a block: each step jumps to the first visible id past the last block.
        return list(dbsession.scalars(SITEMAP_BLOCKS, {"now": self.now, "size": size}))

    def sitemap_rows(self, block: int, size: int) -> list[SitemapRow]:
        """The visible translations of the articles in one block of `size` ids (no objects:
        a sitemap file lists many)."""
        query = (
            select(
                Translation.article_id,
                Translation.lang,
                Translation.slug,
                Translation.listed_at,
                Translation.updated_at,
            )
            .where(
                self.visible(),
                Translation.article_id >= block * size,
                Translation.article_id < (block + 1) * size,
            )
            .order_by(Translation.article_id, Translation.lang)
        )
        return [SitemapRow(*row) for row in dbsession.execute(query)]

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
