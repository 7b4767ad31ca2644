"""The full-text match: the newest matches, the newest of them in order of relevance.

Both backends index the same folded words unstemmed, and the query brings its own stems as
prefixes, so one query finds the same articles on both. A prefix is searched as the indexed
words it begins (a list kept beside the index), as if they had been typed. A search reads its
matches newest first and stops once it has a thousand (COUNTED_AT_MOST), so that no query costs
more than that however common its words: the count then says "more than". The newest
RANKED_AT_MOST are put in order of relevance, older ones follow newest first. Exact words (as
typed, with diacritics or in Cyrillic) never change what is found, only the order: results with
them come first.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TableClause, column, func, literal_column, select, table, text

from mlo.db import dbsession
from mlo.search import index
from mlo.search.query import is_prefix

# Matches counted exactly; past this many the count says "more than" this many, and only these
# can be paged to.
COUNTED_AT_MOST = 1000
# The newest matches put in order of relevance: scoring is the costly part of a search.
RANKED_AT_MOST = 100
# How much more an exact word counts than a folded one (SQLite's bm25; PostgreSQL's weights
# A and D).
EXACT_WEIGHT = 50.0
# The most words a prefix is searched as; a vaguer one is left to the index as a prefix, which
# merges the lists of all the words it begins before it returns a row (on SQLite such results
# are not ranked: bm25 would merge them again for every phrase).
FORMS_AT_MOST = 64
# SQLite: bm25 first counts every translation holding each word of the query; past this many
# in all, relevance is flat anyway and results are newest first.
WEIGHED_AT_MOST = 50_000
# PostgreSQL: when most of the newest SAMPLED listed translations match (a DENSE share), the
# newest are read in order, each one's vector checked, until more than a thousand match (among
# twice as many). Otherwise matches are counted from the index up to a thousand; past that, the
# newest are read in order, at most READ_PER_MATCH times as many rows as needed (if they are
# rarer than that, the index finds them all, sorted).
SAMPLED = 100
DENSE = 0.6
READ_PER_MATCH = 20


@dataclass
class Matches:
    """One page of matching articles (ids, in order) and how many match, at most
    COUNTED_AT_MOST (`more`: more than that)."""

    articles: list[int]
    total: int
    more: bool


@dataclass
class _Found:
    """Matching articles newest first (at least as many as asked for, or all), how many match
    (at most COUNTED_AT_MOST + 1), and the relevance of the newest, higher first."""

    newest: list[int]
    count: int
    scores: dict[int, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Term:
    """A query word as the index holds it: the indexed words it stands for (itself, or the
    words a prefix begins; None: a prefix that begins too many, searched as a prefix), and how
    many translations hold them (SQLite; an upper bound)."""

    word: str
    forms: tuple[str, ...] | None
    docs: int


def match(
    found: list[str], exact: list[str], lang: str, now: datetime, limit: int, offset: int
) -> Matches:
    """The articles of one page of the visible translations matching every prefix."""
    terms = _terms(lang, found)
    if not all(terms):
        return Matches([], 0, False)  # a word no visible translation holds
    bonus = [term for term in _terms(lang, exact) if term]
    backend = _postgresql if dbsession.get_bind().dialect.name == "postgresql" else _sqlite
    needed = min(max(RANKED_AT_MOST, offset + limit), COUNTED_AT_MOST)
    result = backend(terms, bonus, lang, now, needed)
    newest = result.newest
    # Stable, reversed or not: equally relevant results stay newest first.
    ranked = sorted(newest[:RANKED_AT_MOST], key=lambda a: result.scores.get(a, ()), reverse=True)
    total = min(result.count, COUNTED_AT_MOST)
    page = (ranked + newest[RANKED_AT_MOST:])[offset : min(offset + limit, total)]
    return Matches(page, total, result.count > COUNTED_AT_MOST)


def _terms(lang: str, words: list[str]) -> list[_Term | None]:
    """Each word as the index of `lang` holds it (None: no listed translation holds it), read
    from the word list in one query."""
    if not words:
        return []
    sqlite = dbsession.get_bind().dialect.name == "sqlite"
    # SQLite's list counts the translations holding each word; PostgreSQL's may hold a word
    # twice and counts nothing.
    docs, distinct, counted = ("docs", "", " AND docs > 0") if sqlite else ("0", "DISTINCT ", "")
    parts, values = [], {"lang": lang}
    for i, word in enumerate(words):
        if is_prefix(word):
            condition, most = f"word >= :low{i} AND word < :high{i}", FORMS_AT_MOST + 1
            values |= {f"low{i}": word, f"high{i}": word + "\U0010ffff"}
        else:
            condition, most = f"word = :low{i}", 1
            values[f"low{i}"] = word
        parts.append(
            f"SELECT * FROM (SELECT {distinct}{i} AS i, word, {docs} AS docs FROM {index.WORDS} "
            f"WHERE lang = :lang AND {condition}{counted} ORDER BY word LIMIT {most}) AS part{i}"
        )
    forms: list[list[tuple[str, int]]] = [[] for _ in words]
    for i, form, count in dbsession.execute(text(" UNION ALL ".join(parts)), values):
        forms[i].append((form, count))
    terms: list[_Term | None] = []
    for word, held in zip(words, forms, strict=True):
        if not held:
            terms.append(None)
        elif len(held) > FORMS_AT_MOST:
            terms.append(_Term(word, None, WEIGHED_AT_MOST + 1))
        else:
            terms.append(_Term(word, tuple(w for w, _ in held), sum(n for _, n in held)))
    return terms


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def _vectors(lang: str) -> TableClause:
    return table(
        index.vectors_table(lang),
        column("id"),
        column("article_id"),
        column("listed_at"),
        column("search_vector"),
    )


def _tsquery(terms: list[_Term], weight: str = "", operator: str = " & ") -> ColumnElement[Any]:
    """The terms as a tsquery: each one's words in alternation, weighted if asked."""
    suffix = f":{weight}" if weight else ""

    def one(term: _Term) -> str:
        if term.forms is None:
            return f"{term.word}:*{weight}"
        return "(" + " | ".join(f"{form}{suffix}" for form in term.forms) + ")"

    return operator.join(map(one, terms))


def _plan(way: str) -> None:
    # PostgreSQL's planner does not know that reading a row's vector (out of line, compressed)
    # is what a search costs: it is told which way to take, and "" restores its own choice.
    enabled = {"seqscan": not way, "bitmapscan": way != "in order", "indexscan": way != "index"}
    settings = (
        f"set_config('enable_{name}', '{'on' if on else 'off'}', true)"
        for name, on in enabled.items()
    )
    dbsession.execute(text(f"SELECT {', '.join(settings)}"))


def _query(words: str) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), words)


def _postgresql(
    terms: list[_Term], bonus: list[_Term], lang: str, now: datetime, needed: int
) -> _Found:
    vectors = _vectors(lang)
    newest = (vectors.c.listed_at.desc(), vectors.c.article_id.desc())
    # Without weights the index alone decides a match: no row's vector is read to check it.
    plain = _query(_tsquery(terms))
    # "IS TRUE": a condition no index serves, so that the words' index is the one used.
    from_index = select(vectors.c.id, vectors.c.article_id, vectors.c.listed_at).where(
        vectors.c.search_vector.op("@@")(plain), (vectors.c.listed_at <= now).is_(True)
    )
    rows = None
    _plan("in order")
    if len(_in_order(vectors, now, plain, SAMPLED, SAMPLED)) >= DENSE * SAMPLED:
        # Most of the newest match: reading in order counts past the limit with no list read.
        rows = _in_order(vectors, now, plain, 2 * (COUNTED_AT_MOST + 1), COUNTED_AT_MOST + 1)
    if rows is not None and len(rows) > COUNTED_AT_MOST:
        count = len(rows)
    else:
        newest_rows = rows
        # Up to one more than are counted, in the table's order.
        _plan("index")
        rows = dbsession.execute(from_index.limit(COUNTED_AT_MOST + 1)).all()
        count = len(rows)
        if count <= COUNTED_AT_MOST:
            rows.sort(key=lambda row: (row.listed_at, row.article_id), reverse=True)
        elif newest_rows is not None and len(newest_rows) >= needed:
            rows = newest_rows
        else:
            _plan("in order")
            rows = _in_order(vectors, now, plain, needed * READ_PER_MATCH, needed)
            if len(rows) < needed:
                # Rarer than that among the newest: the index finds them all, sorted.
                _plan("index")
                rows = dbsession.execute(from_index.order_by(*newest).limit(needed)).all()
    _plan("")
    return _Found([row.article_id for row in rows], count, _ts_rank(vectors, rows, terms, bonus))


def _in_order(
    vectors: TableClause, now: datetime, plain: ColumnElement[Any], examined: int, most: int
) -> list[Any]:
    """The newest matches, at most `most`, among the newest `examined` listed translations,
    read in order (the planner must be told so)."""
    newest = (
        select(vectors.c.id, vectors.c.article_id, vectors.c.listed_at, vectors.c.search_vector)
        .where(vectors.c.listed_at <= now)
        .order_by(vectors.c.listed_at.desc(), vectors.c.article_id.desc())
        .limit(examined)
        .subquery()
    )
    return list(
        dbsession.execute(
            select(newest.c.id, newest.c.article_id)
            .where(newest.c.search_vector.op("@@")(plain))
            .order_by(newest.c.listed_at.desc(), newest.c.article_id.desc())
            .limit(most)
        )
    )


def _ts_rank(
    vectors: TableClause, rows: list[Any], terms: list[_Term], bonus: list[_Term]
) -> dict[int, tuple[float, ...]]:
    """The relevance of the newest RANKED_AT_MOST rows, by article: the folded words weight D,
    the exact ones A, so that ts_rank puts exact matches first."""
    ranked = [row.id for row in rows[:RANKED_AT_MOST]]
    if not ranked:
        return {}
    words = _tsquery(terms, "D")
    if bonus:
        words = f"{words} & ({_tsquery(bonus, 'A', ' | ')} | {_tsquery(terms[:1], 'D')})"
    scores = dbsession.execute(
        select(vectors.c.article_id, func.ts_rank(vectors.c.search_vector, _query(words))).where(
            vectors.c.id.in_(ranked)
        )
    )
    return {article: (score,) for article, score in scores}


# ---------------------------------------------------------------------------------------------
# SQLite


def _fts(term: _Term) -> str:
    """The term in FTS5 syntax: its words in alternation, or the prefix."""
    if term.forms is None:
        return _quoted(term.word) + "*"
    return "(" + " OR ".join(map(_quoted, term.forms)) + ")"


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _sqlite(
    terms: list[_Term], bonus: list[_Term], lang: str, now: datetime, _needed: int
) -> _Found:
    table = index.fts_table(lang)
    expression = "search_text : (" + " AND ".join(map(_fts, terms)) + ")"
    newest = (
        f"SELECT rowid{{score}} FROM {table} WHERE {table} MATCH :match AND rowid <= :last "
        "ORDER BY rowid DESC LIMIT :most"
    )
    last = index.key(now, 2**index.KEY_SHIFT - 1)
    alternatives = " OR ".join(map(_fts, bonus))
    weighed = sum(term.docs for term in terms + bonus)
    if any(term.forms is None for term in terms) or weighed > WEIGHED_AT_MOST:
        keys = dbsession.scalars(
            text(newest.format(score="")),
            {"match": expression, "last": last, "most": COUNTED_AT_MOST + 1},
        ).all()
        result = _Found([index.article_of(key) for key in keys], len(keys))
        if bonus and keys:
            # Not weighed, but the newest with the exact words still come first.
            window = keys[:RANKED_AT_MOST]
            with_exact = dbsession.scalars(
                text(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH :match "
                    "AND rowid BETWEEN :first AND :last"
                ),
                {
                    "match": f"{expression} AND search_exact : ({alternatives})",
                    "first": window[-1],
                    "last": window[0],
                },
            )
            result.scores = {index.article_of(key): (1.0,) for key in with_exact}
        return result
    ranked, score = expression, f", bm25({table}, 1.0, {EXACT_WEIGHT})"
    if bonus:
        # Matches the same set (the exact words fold to words already required), and bm25
        # counts them in their heavily weighted column; the second bm25, of the exact words
        # alone, is below zero wherever there are any: not their weight (which bm25 makes
        # next to nothing for words most translations hold) but having them puts a result
        # first.
        ranked += f" AND (search_exact : ({alternatives}) OR search_text : {_fts(terms[0])})"
        score += f", bm25({table}, 0.0, 1.0) < 0"
    rows = dbsession.execute(
        text(newest.format(score=score)),
        {"match": ranked, "last": last, "most": RANKED_AT_MOST},
    ).all()
    keys = [row[0] for row in rows]
    if len(rows) == RANKED_AT_MOST:
        keys += dbsession.scalars(
            text(newest.format(score="")),
            {"match": expression, "last": keys[-1] - 1, "most": COUNTED_AT_MOST + 1 - len(keys)},
        ).all()
    # bm25 is lower for better matches.
    scores = {index.article_of(key): (*exact_first, -bm25) for key, bm25, *exact_first in rows}
    return _Found([index.article_of(key) for key in keys], len(keys), scores=scores)
