"""The full-text match, newest and most relevant first: SQLite FTS5 or PostgreSQL tsvector."""

from sqlalchemy import Select, column, func, literal, literal_column, select, table, text

from mlo.content.models import Article, Translation
from mlo.content.queries import Newsroom
from mlo.db import dbsession
from mlo.locales import BY_CODE
from mlo.search.query import is_prefix

RANKED_AT_MOST = 2000
_FTS = table("translation_fts", column("rowid"))


def match(
    found: list[str], lang: str, newsroom: Newsroom, limit: int, offset: int
) -> tuple[list[int], int]:
    """The ids of one page of visible translations matching every prefix, and the total."""
    base = select(Translation.id).join(Translation.article).where(newsroom.visible(lang))
    if dbsession.get_bind().dialect.name == "postgresql":
        # PostgreSQL stems the prefixes with the same configuration as the index.
        config = literal_column(f"'{BY_CODE[lang].pg_config}'::regconfig")
        tsquery = func.to_tsquery(config, " & ".join(p + ":*" * is_prefix(p) for p in found))
        vector = literal_column("translation.search_vector")
        query = base.where(vector.op("@@")(tsquery))
        rank = func.ts_rank(vector, tsquery).desc()
    else:
        expression = " ".join('"' + p.replace('"', '""') + '"' + "*" * is_prefix(p) for p in found)
        matches = text("translation_fts MATCH :match").bindparams(match=expression)
        # When nearly every article matches, relevance is flat and scoring them all is the
        # slowest part of the search: such results are simply newest first.
        matched = dbsession.scalar(select(func.count()).select_from(_FTS).where(matches)) or 0
        score = literal_column("bm25(translation_fts)") if matched <= RANKED_AT_MOST else literal(0)
        # Full text first, and once: left to itself, SQLite walks the visible translations and
        # runs the MATCH again for each one (cost: table size times match size).
        hits = (
            select(_FTS.c.rowid.label("id"), score.label("rank"))
            .where(matches)
            .cte("hits")
            .prefix_with("MATERIALIZED")
        )
        query = base.join(hits, hits.c.id == Translation.id)
        rank = hits.c.rank
    # The total rides along with the page, so the search runs once; only a page past the end
    # (no row to carry it) needs a count of its own.
    ordered = query.add_columns(func.count().over()).order_by(
        rank, Article.published_at.desc(), Translation.id
    )
    rows = dbsession.execute(ordered.limit(limit).offset(offset)).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    return [], _count(query) if offset else 0


def _count(query: Select[tuple[int]]) -> int:
    return dbsession.scalar(select(func.count()).select_from(query.subquery())) or 0
