"""The translators' status grid: one row per article, one cell per language, in five states.

The rule that decides a cell's state is one SQL expression, used for the counts, the filters
and the cells alike, so they always agree.
"""

from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, select, union
from sqlalchemy.orm import aliased, selectinload

from mlo.content.models import Article, Translation
from mlo.content.queries import LISTED, page_count
from mlo.db import dbsession
from mlo.text import dates

STATES = ("missing", "in_progress", "review", "outdated", "up_to_date")
# A cell of the article's own language holds the original: no state of translation.
ORIGINAL = "original"


@dataclass(frozen=True)
class GridFilters:
    """Which cells the grid shows: a state, the languages, a local year."""

    state: str
    langs: tuple[str, ...]
    year: int | None


@dataclass
class Grid:
    """One page of the grid, and the count of each state over every page."""

    articles: list[Article]
    cells: dict[tuple[int, str], str]  # (article id, language) -> state
    counts: dict[str, int]
    number: int
    pages: int


def _cells(lang: str, zone: str, year: int | None) -> Select:
    """(article id, state) for every article that is not deleted, in one language."""
    mine, source = aliased(Translation), aliased(Translation)
    state = case(
        (and_(mine.id.is_not(None), mine.lang == Article.source_lang), "original"),
        (mine.id.is_(None), "missing"),
        (mine.state == "in_progress", "in_progress"),
        (mine.state == "review", "review"),
        (
            and_(mine.lang != Article.source_lang, mine.source_revision < source.changed_revision),
            "outdated",
        ),
        else_="up_to_date",
    )
    query = (
        select(Article.id.label("article_id"), state.label("state"))
        .select_from(Article)
        .outerjoin(mine, and_(mine.article_id == Article.id, mine.lang == lang))
        .outerjoin(
            source, and_(source.article_id == Article.id, source.lang == Article.source_lang)
        )
        .where(Article.deleted_at.is_(None))
    )
    if year is not None:
        query = query.where(
            Article.published_at >= dates.year_start(year, zone),
            Article.published_at < dates.year_start(year + 1, zone),
        )
    return query


def grid(filters: GridFilters, zone: str, number: int, size: int) -> Grid:
    """Page `number` of the grid, newest articles first."""
    per_lang = {lang: _cells(lang, zone, filters.year).subquery() for lang in filters.langs}
    counts = dict.fromkeys(STATES, 0)
    for cells in per_lang.values():
        for state, count in dbsession.execute(
            select(cells.c.state, func.count()).group_by(cells.c.state)
        ):
            if state in counts:
                counts[state] += count
    chosen = [
        select(cells.c.article_id).where(cells.c.state == filters.state)
        if filters.state
        else select(cells.c.article_id)
        for cells in per_lang.values()
    ]
    ids = union(*chosen).subquery() if len(chosen) > 1 else chosen[0].subquery()
    listed = select(Article).where(Article.id.in_(select(ids.c[0])))
    total = dbsession.scalar(select(func.count()).select_from(listed.subquery())) or 0
    articles = list(
        dbsession.scalars(
            listed.order_by(Article.published_at.desc(), Article.id.desc())
            .options(selectinload(Article.translations).options(*LISTED))
            .limit(size)
            .offset((number - 1) * size)
        )
    )
    shown = [article.id for article in articles]
    cells: dict[tuple[int, str], str] = {}
    for lang, subquery in per_lang.items():
        rows = dbsession.execute(
            select(subquery.c.article_id, subquery.c.state).where(subquery.c.article_id.in_(shown))
        )
        cells |= {(article_id, lang): state for article_id, state in rows}
    return Grid(articles, cells, counts, number, page_count(total, size))
