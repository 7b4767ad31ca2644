"""Translation memory: paragraphs translated in earlier articles, suggested for new ones.

Every article with both languages is remembered as units, one per direction: its title with the
other title, its summary with the other summary and, when both bodies have the same top-level
block structure, each block with its counterpart. Units match on their folded words
(mlo.text.words), so Serbian typed in Latin finds the Cyrillic memory, and the other way round.

Finding candidates is the whole cost, so it happens in the database, where every worker sees the
latest save at once. The rarest words of a paragraph (by word counts each worker reads every few
minutes) are looked up in a full-text index: on SQLite FTS5 (one table per direction) gives each
word's units and SQL counts them by idf; on PostgreSQL a partial GIN index per direction over a
generated tsvector yields only the units holding several of those words. rapidfuzz's
`fuzz.ratio` scores the best of them. This module owns that index as mlo.search.index owns the
search index: the models do not describe it, migrations create it with `ensure`.
"""

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, groupby, permutations
from typing import Protocol

from flask import current_app
from rapidfuzz import fuzz, process
from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.orm import Session

from mlo.content.models import Article, MemoryUnit, Translation
from mlo.db import dbsession
from mlo.locales import CODES
from mlo.text.html import blocks, plain_text
from mlo.text.words import folded_words

# Scores below this are not worth a translator's look.
MIN_SCORE = 70
# Rarest words looked up per paragraph, and how many postings (units holding them) at most:
# fewer words miss near-duplicates whose rare words were changed, more cost time. SQLite
# reads and counts every posting. PostgreSQL only merges them in its index and reads the rows
# holding words of several of them (reading rows is what costs there), unless there are too
# few words for that.
MAX_WORDS = 12
MAX_READ = 5_000
MAX_MERGED = 20_000
# Units sharing the most rare words that are scored with fuzz.ratio, per paragraph.
CANDIDATES = 100
# How long a worker trusts the word counts it read (seconds).
COUNTS_SECONDS = 600.0
# Both directions of every pair of languages: (source, target).
DIRECTIONS: tuple[tuple[str, str], ...] = tuple(permutations(CODES, 2))

_UNITS = MemoryUnit.__table__


@dataclass(frozen=True)
class Suggestion:
    """A remembered translation of a text like the one being translated."""

    source_text: str
    target_text: str  # as stored: Serbian in Cyrillic
    score: int  # fuzz.ratio of the folded texts, rounded down: 100 only when they are equal
    article_id: int


class _Texts(Protocol):
    title: str
    summary: str
    body: str


# ---------------------------------------------------------------------------------------------
# What is remembered


def aligned(source: _Texts, target: _Texts) -> list[tuple[str, str]]:
    """The (source, target) plain text pairs of two translations of one article: title,
    summary, and the body's blocks if both bodies have the same top-level block structure
    (mlo.text.html.blocks); empty texts left out."""
    found = [(source.title, target.title), (source.summary, target.summary)]
    source_blocks, target_blocks = blocks(source.body), blocks(target.body)
    if [block.tag for block in source_blocks] == [block.tag for block in target_blocks]:
        found += [
            (plain_text(a.inner), plain_text(b.inner))
            for a, b in zip(source_blocks, target_blocks, strict=True)
        ]
    return [(a, b) for a, b in found if a.strip() and b.strip()]


def unit_rows(article_id: int, translations: Mapping[str, _Texts]) -> list[dict[str, object]]:
    """The memory units of one article's translations (by language), as rows to insert."""
    rows: list[dict[str, object]] = []
    for source, target in DIRECTIONS:
        if source not in translations or target not in translations:
            continue
        for source_text, target_text in aligned(translations[source], translations[target]):
            folded = folded_words(source_text)
            # A part left untranslated (the source copied over) teaches nothing.
            if folded and folded != folded_words(target_text):
                rows.append(
                    {
                        "article_id": article_id,
                        "source_lang": source,
                        "target_lang": target,
                        "source_text": source_text,
                        "target_text": target_text,
                        "source_folded": folded,
                    }
                )
    return rows


def remember(article: Article) -> int:
    """Replace an article's memory units with those of its stored translations (none while it
    is in the trash); how many it has now. Adds and flushes, like the operations."""
    if article.id is None:
        dbsession.flush()
    dbsession.execute(
        delete(MemoryUnit)
        .where(MemoryUnit.article_id == article.id)
        .execution_options(synchronize_session=False)
    )
    rows = [] if article.deleted_at is not None else unit_rows(article.id, article.translations)
    if rows:
        dbsession.execute(insert(MemoryUnit), rows)
    return len(rows)


def rebuild_all(connection: Connection | Session | None = None) -> int:
    """Remember every article again, from scratch (on `connection`, by default the session's);
    how many units there are."""
    bind = dbsession if connection is None else connection
    translation, article = Translation.__table__, Article.__table__
    bind.execute(delete(_UNITS))
    ids = bind.scalars(
        select(article.c.id).where(article.c.deleted_at.is_(None)).order_by(article.c.id)
    ).all()
    count = 0
    for start in range(0, len(ids), 500):  # a few hundred articles' texts in memory at once
        texts = bind.execute(
            select(
                translation.c.article_id,
                translation.c.lang,
                translation.c.title,
                translation.c.summary,
                translation.c.body,
            )
            .where(translation.c.article_id.in_(ids[start : start + 500]))
            .order_by(translation.c.article_id)
        )
        rows = [
            unit
            for article_id, found in groupby(texts, key=lambda row: row.article_id)
            for unit in unit_rows(article_id, {row.lang: row for row in found})
        ]
        if rows:
            bind.execute(insert(_UNITS), rows)
        count += len(rows)
    return count


# ---------------------------------------------------------------------------------------------
# Suggestions


def suggest(
    source_texts: Sequence[str],
    source_lang: str,
    target_lang: str,
    exclude_article: int | None = None,
    limit: int = 3,
) -> list[list[Suggestion]]:
    """For each text, up to `limit` remembered translations into `target_lang` of similar
    texts (score 70 or more), best first; units of `exclude_article` are left out."""
    if (source_lang, target_lang) not in DIRECTIONS:
        raise ValueError(f"no translation memory from {source_lang!r} to {target_lang!r}")
    queries = [folded_words(source) for source in source_texts]
    counts = _counts(source_lang, target_lang)
    dialect = dbsession.get_bind().dialect.name
    merged = MAX_MERGED if dialect == "postgresql" else MAX_READ
    chosen = [_rarest(sorted(set(query.split())), counts, merged) for query in queries]
    if dialect == "postgresql":
        candidates = _postgresql_candidates(chosen, source_lang, target_lang, exclude_article)
    else:
        candidates = _sqlite_candidates(chosen, source_lang, target_lang, exclude_article)
    ranked = []
    for query, found in zip(queries, candidates, strict=True):
        hits = process.extract(
            query, found, scorer=fuzz.ratio, processor=None, score_cutoff=MIN_SCORE, limit=None
        )
        # Equal scores: the most recently remembered first.
        ranked.append(sorted(((score, unit) for _, score, unit in hits), reverse=True))
    return _suggestions(ranked, limit)


def _suggestions(ranked: list[list[tuple[float, int]]], limit: int) -> list[list[Suggestion]]:
    wanted = sorted({unit for hits in ranked for _, unit in hits[: limit * 4]})
    units = {}
    if wanted:
        rows = dbsession.execute(
            select(
                _UNITS.c.id, _UNITS.c.article_id, _UNITS.c.source_text, _UNITS.c.target_text
            ).where(_UNITS.c.id.in_(wanted))
        )
        units = {row.id: row for row in rows}
    result = []
    for hits in ranked:
        suggestions: list[Suggestion] = []
        seen: set[str] = set()
        for score, unit_id in hits:
            unit = units.get(unit_id)
            # The same translation remembered from several articles is one suggestion.
            if unit is None or unit.target_text in seen:
                continue
            seen.add(unit.target_text)
            suggestions.append(
                Suggestion(unit.source_text, unit.target_text, int(score), unit.article_id)
            )
            if len(suggestions) == limit:
                break
        result.append(suggestions)
    return result


@dataclass(frozen=True)
class _Counts:
    """How many units of one direction hold each word, as a worker last read it."""

    units: float  # all units (an estimate, for the words' idf)
    words: Mapping[str, float]  # the words it lists
    unlisted: float  # the estimate for any other word: rarer than those listed
    read_at: float  # time.monotonic()

    def of(self, word: str) -> float:
        """How many units hold `word` (estimated)."""
        return self.words.get(word, self.unlisted)

    def weight(self, word: str) -> float:
        """The word's inverse document frequency."""
        return max(math.log((self.units + 1) / self.of(word)), 0.01)


def _counts(source: str, target: str) -> _Counts:
    # Read once per worker and direction, then again after COUNTS_SECONDS: the counts only
    # choose which words to look up, so their lag may cost a little time, never a current unit.
    cache = current_app.extensions.setdefault("mlo.memory.counts", {})
    counts = cache.get((source, target))
    if counts is None or time.monotonic() - counts.read_at > COUNTS_SECONDS:
        if dbsession.get_bind().dialect.name == "postgresql":
            counts = _postgresql_counts()
        else:
            counts = _sqlite_counts(source, target)
        cache[(source, target)] = counts
    return counts


def _sqlite_counts(source: str, target: str) -> _Counts:
    # Reading the vocabulary costs about 0.3 s for 200,000 units: far too slow for every
    # request, word by word too (the count walks the word's whole list).
    table = _fts_table(source, target)
    vocabulary = text(f"SELECT term, doc FROM {table}_vocab WHERE doc > 1")
    words = {term: float(doc) for term, doc in dbsession.execute(vocabulary)}
    units = dbsession.scalar(select(_UNITS.c.id).order_by(_UNITS.c.id.desc()).limit(1)) or 0
    return _Counts(float(units), words, 1.0, time.monotonic())


def _postgresql_counts() -> _Counts:
    # The planner's statistics (ANALYZE, which autovacuum runs) list the most common words
    # and the share of rows holding each; any other word is in fewer than the least of those.
    row = dbsession.execute(
        text(
            "SELECT most_common_elems::text::text[] AS words, most_common_elem_freqs AS shares, "
            "(SELECT reltuples FROM pg_class WHERE oid = 'memory_unit'::regclass) AS units "
            "FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'memory_unit' "
            "AND attname = 'search_vector'"
        )
    ).first()
    if row is None or not row.words:
        return _Counts(0.0, {}, 1.0, time.monotonic())
    units = max(float(row.units), 1.0)
    shares = row.shares[: len(row.words)]  # then come their minimum, maximum and null share
    words = {word: share * units for word, share in zip(row.words, shares, strict=True)}
    return _Counts(units, words, min(shares) * units / 2, time.monotonic())


def _rarest(words: list[str], counts: _Counts, budget: float) -> list[tuple[str, float]]:
    # The words held by the fewest units first (of equals, the longest) while their postings
    # stay within budget, with their idf. Too few for a filter (below): as many as are read.
    ordered = sorted(words, key=lambda w: (counts.of(w), -len(w), w))[:MAX_WORDS]
    for limit in (budget, MAX_READ):
        chosen: list[tuple[str, float]] = []
        total = 0.0
        for word in ordered:
            if chosen and total + counts.of(word) > limit:
                break
            chosen.append((word, counts.weight(word)))
            total += counts.of(word)
        if len(chosen) >= 3:
            break
    return chosen


def _sqlite_candidates(
    chosen: list[list[tuple[str, float]]], source: str, target: str, exclude: int | None
) -> list[dict[int, str]]:
    table = _fts_table(source, target)
    found = []
    for words in chosen:
        if not words:
            found.append({})
            continue
        values: dict[str, object] = {"k": CANDIDATES}
        parts = []
        for number, (word, weight) in enumerate(words):
            parts.append(
                f"SELECT rowid AS id, :w{number} AS weight "
                f"FROM {table} WHERE {table} MATCH :t{number}"
            )
            values[f"w{number}"], values[f"t{number}"] = weight, f'"{word}"'
        excluded = ""
        if exclude is not None:
            excluded = "WHERE id NOT IN (SELECT id FROM memory_unit WHERE article_id = :exclude)"
            values["exclude"] = exclude
        # Each word's units counted in SQL: FTS5 without positions cannot say which words of
        # an OR matched, and bm25 over every match costs five times as much.
        query = text(
            "SELECT u.id, u.source_folded FROM (SELECT id, sum(weight) AS score FROM ("
            + " UNION ALL ".join(parts)
            + f") {excluded} GROUP BY id ORDER BY score DESC, id DESC LIMIT :k) AS c "
            "JOIN memory_unit AS u ON u.id = c.id"
        )
        found.append(dict(dbsession.execute(query, values).all()))
    return found


def _postgresql_candidates(
    chosen: list[list[tuple[str, float]]], source: str, target: str, exclude: int | None
) -> list[dict[int, str]]:
    found = []
    for words in chosen:
        if not words:
            found.append({})
            continue
        values: dict[str, object] = {
            "query": _several([w for w, _ in words]),
            "k": CANDIDATES,
        }
        excluded = ""
        if exclude is not None:
            excluded = "AND article_id <> :exclude"
            values["exclude"] = exclude
        query = text(
            "SELECT id, source_folded FROM memory_unit, to_tsquery('simple', :query) AS q "
            # The direction as literals, so that even a generic plan uses its partial index.
            f"WHERE search_vector @@ q AND {_direction_where('memory_unit', source, target)} "
            f"{excluded} ORDER BY ts_rank(search_vector, q) DESC, id DESC LIMIT :k"
        )
        found.append(dict(dbsession.execute(query, values).all()))
    return found


def _several(words: list[str]) -> str:
    # A tsquery for the units holding words of three of four groups (dealt like cards, so
    # each holds rare and less rare words), or two of three words: GIN evaluates it in the
    # index, and only those rows are read. A word no unit holds (the statistics cannot tell)
    # costs its group nothing; near-duplicates hold nearly every word.
    if len(words) <= 2:
        return " | ".join(words)
    if len(words) == 3:
        return " | ".join(" & ".join(pair) for pair in combinations(words, 2))
    groups = [f"({' | '.join(words[start::4])})" for start in range(4)]
    return " | ".join(" & ".join(three) for three in combinations(groups, 3))


# ---------------------------------------------------------------------------------------------
# The index


def _fts_table(source: str, target: str) -> str:
    # Named under translation_fts: autogenerated migrations and the schema test leave the
    # dialect-specific index objects alone by that prefix (mlo.search.index.is_index_object).
    return f"translation_fts_memory_{source}_{target}"


def _direction_where(row: str, source: str, target: str) -> str:
    return f"{row}.source_lang = '{source}' AND {row}.target_lang = '{target}'"


def _sqlite_ddl(source: str, target: str) -> tuple[str, ...]:
    table = _fts_table(source, target)
    new, old = _direction_where("new", source, target), _direction_where("old", source, target)
    insert_new = f"INSERT INTO {table}(rowid, source_folded) SELECT new.id, new.source_folded"
    delete_old = (
        f"INSERT INTO {table}({table}, rowid, source_folded) "
        "SELECT 'delete', old.id, old.source_folded"
    )
    return (
        # Contentless (the text is in memory_unit), no positions or sizes: only which units
        # hold a word is ever asked. The text is folded already: no diacritics to remove.
        f"CREATE VIRTUAL TABLE {table} USING fts5(source_folded, content='', detail='none', "
        "columnsize=0, tokenize='unicode61 remove_diacritics 0')",
        f"CREATE VIRTUAL TABLE {table}_vocab USING fts5vocab({table}, 'row')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON memory_unit WHEN {new} BEGIN {insert_new}; END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON memory_unit WHEN {old} BEGIN {delete_old}; END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON memory_unit BEGIN "
        f"{delete_old} WHERE {old}; {insert_new} WHERE {new}; END",
    )


def _sqlite_objects() -> set[str]:
    return {
        f"{_fts_table(s, t)}{suffix}"
        for s, t in DIRECTIONS
        for suffix in ("", "_vocab", "_ai", "_ad", "_au")
    }


POSTGRES_COLUMN = (
    "ALTER TABLE memory_unit ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, source_folded)) STORED"
)


# The most common words and their shares, for 10,000 words rather than 1,000: which words of a
# paragraph are rare is read from there (see _postgresql_counts).
POSTGRES_STATISTICS = "ALTER TABLE memory_unit ALTER COLUMN search_vector SET STATISTICS 1000"


def _postgres_index(source: str, target: str) -> tuple[str, str]:
    name = f"ix_memory_unit_search_vector_{source}_{target}"
    return name, (
        f"CREATE INDEX {name} ON memory_unit USING gin (search_vector) "
        # Without the pending list of fast updates, which every query would read whole.
        f"WITH (fastupdate = off) WHERE {_direction_where('memory_unit', source, target)}"
    )


def ensure(connection: Connection) -> bool:
    """Create the memory's index if any part of it is missing, and fill it; True if it had to."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        found = connection.scalars(
            text("SELECT name FROM sqlite_master WHERE name LIKE 'translation_fts_memory%'")
        )
        if _sqlite_objects() <= set(found):
            return False
        for source, target in DIRECTIONS:
            table = _fts_table(source, target)
            for suffix in ("_ai", "_ad", "_au"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}{suffix}"))
            for name in (f"{table}_vocab", table):
                connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
            for statement in _sqlite_ddl(source, target):
                connection.execute(text(statement))
        rebuild_index(connection)
        return True
    if dialect == "postgresql":
        present = set(
            connection.scalars(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'memory_unit' "
                    "UNION ALL SELECT indexname FROM pg_indexes "
                    "WHERE schemaname = current_schema() AND tablename = 'memory_unit'"
                )
            )
        )
        indexes = [_postgres_index(source, target) for source, target in DIRECTIONS]
        missing = "search_vector" not in present
        if missing:
            connection.execute(text(POSTGRES_COLUMN))
            connection.execute(text(POSTGRES_STATISTICS))
        for name, statement in indexes:
            if missing or name not in present:
                connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
                connection.execute(text(statement))
                missing = True
        return missing
    return False


def rebuild_index(connection: Connection) -> None:
    """Fill the index again from the stored units (PostgreSQL's is always current)."""
    if connection.dialect.name != "sqlite":
        return
    for source, target in DIRECTIONS:
        table = _fts_table(source, target)
        connection.execute(text(f"INSERT INTO {table}({table}) VALUES ('delete-all')"))
        connection.execute(
            text(
                f"INSERT INTO {table}(rowid, source_folded) SELECT id, source_folded "
                "FROM memory_unit WHERE source_lang = :source AND target_lang = :target"
            ),
            {"source": source, "target": target},
        )


def is_index_object(name: str | None) -> bool:
    """Whether a table, column or index name belongs to the memory's index (not the models)."""
    return bool(name) and (name.startswith("translation_fts_memory") or "search_vector" in name)
