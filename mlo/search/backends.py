"""The full-text match, most relevant and then newest first: SQLite FTS5 or PostgreSQL tsvector.

Both index the same folded words unstemmed, and the query brings its own stems as prefixes, so
one query finds the same articles on both. Exact words (as typed, with diacritics or in
Cyrillic) never change what is found, only how it ranks.
"""

from sqlalchemy import ColumnElement, func, literal, literal_column, select, text

from mlo.content.models import Article, Translation
from mlo.content.queries import Newsroom
from mlo.db import dbsession
from mlo.search.query import is_prefix

# Above this many matching translations relevance is flat, and scoring them all is the slowest
# part of a search: such results are newest first.
RANKED_AT_MOST = 2000
# How much more an exact word counts than a folded one.
EXACT_WEIGHT = 50.0


def match(
    found: list[str], exact: list[str], lang: str, newsroom: Newsroom, limit: int, offset: int
) -> tuple[list[int], int]:
    """The ids of one page of visible translations matching every prefix, and the total."""
    base = select(Translation.id).join(Translation.article).where(newsroom.visible(lang))
    if dbsession.get_bind().dialect.name == "postgresql":
        query, rank = _postgresql(base, found, exact)
    else:
        query, rank = _sqlite(base, found, exact)
    # The total rides along with the page, so the match runs once; only a page past the end
    # (no row to carry it) needs a count of its own.
    ordered = query.add_columns(func.count().over()).order_by(
        rank, Article.published_at.desc(), Translation.id
    )
    rows = dbsession.execute(ordered.limit(limit).offset(offset)).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    if not offset:
        return [], 0
    return [], dbsession.scalar(select(func.count()).select_from(query.subquery())) or 0


def _postgresql(base, found: list[str], exact: list[str]) -> tuple[object, ColumnElement]:
    words = " & ".join(f"{p}{':*' if is_prefix(p) else ''}D" for p in found)
    if exact:
        bonus = " | ".join(f"{e}{':*' if is_prefix(e) else ''}A" for e in exact)
        words = f"{words} & ({bonus} | {found[0]}{':*' if is_prefix(found[0]) else ''}D)"
    tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), words)
    vector = literal_column("translation.search_vector")
    return base.where(vector.op("@@")(tsquery)), func.ts_rank(vector, tsquery).desc()


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"' + "*" * is_prefix(term)


def _sqlite(base, found: list[str], exact: list[str]) -> tuple[object, ColumnElement]:
    expression = "search_text : (" + " AND ".join(map(_quoted, found)) + ")"
    ranked = _estimate(found) <= RANKED_AT_MOST
    if exact and ranked:
        # Matches the same set (the exact words fold to words already required), and bm25
        # counts them in their heavily weighted column.
        expression += (
            " AND (search_exact : (" + " OR ".join(map(_quoted, exact)) + ")"
            f" OR search_text : {_quoted(found[0])})"
        )
    matches = text("translation_fts MATCH :match").bindparams(match=expression)
    score = literal_column(f"bm25(translation_fts, 1.0, {EXACT_WEIGHT})") if ranked else literal(0)
    # Full text first, and once: left to itself, SQLite walks the visible translations and runs
    # the MATCH again for each one (cost: table size times match size).
    hits = (
        select(literal_column("rowid").label("id"), score.label("rank"))
        .select_from(text("translation_fts"))
        .where(matches)
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )
    return base.join(hits, hits.c.id == Translation.id), hits.c.rank


def _estimate(found: list[str]) -> int:
    # At most as many translations match as hold the rarest word: read from the index's
    # vocabulary (no second MATCH). Prefixes sum the words they cover, an upper bound.
    counts = []
    for term in found:
        if is_prefix(term):
            condition = "term >= :low AND term < :high"
            values = {"low": term, "high": term + "\U0010ffff"}
        else:
            condition, values = "term = :low", {"low": term}
        counts.append(
            dbsession.scalar(
                text(
                    "SELECT coalesce(sum(doc), 0) FROM translation_fts_vocab "
                    f"WHERE col = 'search_text' AND {condition}"
                ).bindparams(**values)
            )
            or 0
        )
    return min(counts)
