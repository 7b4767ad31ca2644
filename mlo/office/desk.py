"""The desk's queries: the articles an editor looks for, as the back office lists them."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, exists, extract, func, select
from sqlalchemy.orm import defer, selectinload

from mlo.content.models import Article, Revision, Translation
from mlo.content.queries import LISTED, page_count
from mlo.db import dbsession
from mlo.text import dates
from mlo.text.words import folded_words

STATES = ("draft", "scheduled", "published", "deleted")
_WITHOUT_TEXT = (defer(Revision.body), defer(Revision.summary))


@dataclass(frozen=True)
class Filters:
    """What the desk shows: a state, a local year, a language, words of a title."""

    state: str = ""
    year: int | None = None
    lang: str = ""
    title: str = ""


@dataclass
class DeskPage:
    """One page of the desk."""

    articles: list[Article]
    number: int
    pages: int
    total: int


def state_of(article: Article, now: datetime) -> str:
    """draft, scheduled, published or deleted."""
    if article.deleted_at is not None:
        return "deleted"
    if article.status == "draft":
        return "draft"
    return "scheduled" if article.published_at > now else "published"


def _filtered(filters: Filters, zone: str, now: datetime) -> Select:
    query = select(Article)
    state = {
        "draft": Article.status == "draft",
        "scheduled": and_(Article.status == "published", Article.published_at > now),
        "published": and_(Article.status == "published", Article.published_at <= now),
    }.get(filters.state)
    if filters.state == "deleted":
        query = query.where(Article.deleted_at.is_not(None))
    else:
        query = query.where(Article.deleted_at.is_(None))
    if state is not None:
        query = query.where(state)
    if filters.year is not None:
        query = query.where(
            Article.published_at >= dates.year_start(filters.year, zone),
            Article.published_at < dates.year_start(filters.year + 1, zone),
        )
    if filters.lang:
        query = query.where(
            exists().where(Translation.article_id == Article.id, Translation.lang == filters.lang)
        )
    words = folded_words(filters.title)
    if words:
        query = query.where(
            exists().where(
                Translation.article_id == Article.id,
                Translation.title_folded.contains(words, autoescape=True),
            )
        )
    return query


def desk_page(filters: Filters, zone: str, now: datetime, number: int, size: int) -> DeskPage:
    """Page `number` of the articles that pass the filters, newest first, with translations."""
    query = _filtered(filters, zone, now)
    total = dbsession.scalar(select(func.count()).select_from(query.subquery())) or 0
    articles = dbsession.scalars(
        query.order_by(Article.published_at.desc(), Article.id.desc())
        .options(selectinload(Article.translations).options(*LISTED))
        .limit(size)
        .offset((number - 1) * size)
    )
    return DeskPage(list(articles), number, page_count(total, size), total)


def years(zone: str) -> list[int]:
    """Every local year some article is dated in, newest first."""
    # A local year is its UTC year or a neighbour: bucket only those, never every year between.
    utc = {
        int(y) for y in dbsession.scalars(select(extract("year", Article.published_at)).distinct())
    }
    candidates = sorted({y + d for y in utc for d in (-1, 0, 1)} & set(range(1, 9999)))
    if not candidates:
        return []
    bucket = case(*((Article.published_at < dates.year_start(y + 1, zone), y) for y in candidates))
    return sorted((int(y) for y in dbsession.scalars(select(bucket).distinct())), reverse=True)


def revisions(translation: Translation) -> list[Revision]:
    """A translation's revisions, newest first (without their texts)."""
    return list(
        dbsession.scalars(
            select(Revision)
            .where(Revision.translation_id == translation.id)
            .order_by(Revision.number.desc())
            .options(*_WITHOUT_TEXT)
        )
    )


def revision(translation: Translation, number: int) -> Revision | None:
    """One revision of a translation."""
    return dbsession.scalar(
        select(Revision).where(Revision.translation_id == translation.id, Revision.number == number)
    )


def previous(translation: Translation, number: int) -> Revision | None:
    """The revision before `number`, if any."""
    return dbsession.scalar(
        select(Revision)
        .where(Revision.translation_id == translation.id, Revision.number < number)
        .order_by(Revision.number.desc())
        .limit(1)
    )
