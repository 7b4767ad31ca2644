"""Search our content: one fold for index and query, FTS5 on SQLite, tsvector on PostgreSQL.

Queries are never passed through as search syntax: they are folded into plain words, and each
word becomes a quoted prefix, so no input can be an operator, a syntax error or SQL.
"""

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import Select, column, func, literal, literal_column, select, table, text

from mlo import translit
from mlo.db import session
from mlo.i18n import _
from mlo.locales import Locale
from mlo.models import Article, Translation
from mlo.news import page_count, visible
from mlo.sanitize import plain_text

MAX_TERMS = 8
# Shorter terms match whole words only: as prefixes, "u" or "o" would match a large share of all
# words, which is slow and finds nothing useful.
MIN_PREFIX = 3
RANKED_AT_MOST = 2000
SNIPPET_WORDS = 36
# PostgreSQL's english configuration drops these words from its index, so the query must too.
ENGLISH_STOPWORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)
_FTS = table("translation_fts", column("rowid"))
_WORD = re.compile(r"[^\W_]+")
_WORD_OR_NOT = re.compile(r"[^\W_]+|[\W_]+")
_STEMMERS = {"en": snowballstemmer.stemmer("english"), "sr": snowballstemmer.stemmer("serbian")}


@dataclass
class Hit:
    """One result: the translation and its highlighted title and snippet, in the reader's script."""

    translation: Translation
    title: Markup
    snippet: Markup


@dataclass
class Result:
    """A page of results, or the reason there are none."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    number: int = 1
    pages: int = 1
    error: str | None = None
    no_words: bool = False  # the query had no letters or digits at all


def terms(query: str) -> list[str]:
    """The query's words, folded (script, case and diacritics ignored), de-duplicated."""
    return list(dict.fromkeys(_WORD.findall(translit.fold(query))))


@lru_cache(maxsize=4096)
def prefix(term: str, lang: str) -> str:
    """The prefix a folded term matches by: its stem, so that inflected forms match too."""
    if term.isdigit() or len(term) < 4:
        return term
    # Snowball may respell a stem (djokovic -> đokovic, ministry -> ministri): keep only what
    # the stem shares with the word, so the prefix also matches the unstemmed SQLite index.
    stem = os.path.commonprefix([term, translit.fold(_STEMMERS[lang].stemWord(term))])
    # Serbian's fleeting a: sastanak, sastanka, sastanku stem to sastanak and sastank; the
    # shorter sastan finds them all (likewise Kragujevac, Kragujevcu).
    if lang == "sr" and len(stem) >= 6:
        if stem.endswith(("ak", "ac")):
            stem = stem[:-2]
        elif stem[-1] in "kc" and stem[-2] not in "aeiou":
            stem = stem[:-1]
    return stem if len(stem) >= 3 else term


def prefixes(query: str, lang: str) -> list[str]:
    """The search prefixes for a query in one language (English stop words left out)."""
    words = [t for t in terms(query) if not (lang == "en" and t in ENGLISH_STOPWORDS)]
    return list(dict.fromkeys(prefix(t, lang) for t in words))[:MAX_TERMS]


def run(query: str, locale: Locale, number: int, size: int) -> Result:
    """Search the visible translations of the locale's language; a page of hits."""
    limit = current_app.config["SEARCH_MAX_QUERY"]
    if len(query) > limit:
        return Result(
            # Translators: %(limit)d is the longest search allowed, in characters (200).
            error=_("That search is too long: use at most %(limit)d characters.", limit=limit)
        )
    if not terms(query):
        return Result(no_words=bool(query.strip()))
    found = prefixes(query, locale.lang)
    if not found:
        return Result()  # only words every article has, such as "the"
    ids, total = _match(found, locale.lang, size, (number - 1) * size)
    by_id = {t.id: t for t in session.scalars(select(Translation).where(Translation.id.in_(ids)))}
    hits = [_hit(by_id[i], found, locale) for i in ids]
    return Result(hits, total, number, page_count(total, size))


def _match(found: list[str], lang: str, limit: int, offset: int) -> tuple[list[int], int]:
    base = select(Translation.id).join(Translation.article).where(visible(lang))
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL stems the prefixes with the same configuration as the index.
        config = literal_column("'serbian'::regconfig" if lang == "sr" else "'english'::regconfig")
        tsquery = func.to_tsquery(config, " & ".join(p + ":*" * _is_prefix(p) for p in found))
        vector = literal_column("translation.search_vector")
        query = base.where(vector.op("@@")(tsquery))
        rank = func.ts_rank(vector, tsquery).desc()
    else:
        match = " ".join('"' + p.replace('"', '""') + '"' + "*" * _is_prefix(p) for p in found)
        matches = text("translation_fts MATCH :match").bindparams(match=match)
        # When nearly every article matches, relevance is flat and scoring them all is the
        # slowest part of the search: such results are simply newest first.
        matched = session.scalar(select(func.count()).select_from(_FTS).where(matches)) or 0
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
    rows = session.execute(ordered.limit(limit).offset(offset)).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    return [], _count(query) if offset else 0


def _count(query: Select[tuple[int]]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _is_prefix(term: str) -> bool:
    return len(term) >= MIN_PREFIX


def highlight(value: str, found: list[str]) -> Markup:
    """Text with every word that matches a search prefix wrapped in <mark>."""
    return Markup("").join(
        Markup("<mark>%s</mark>") % part if _matches(part, found) else escape(part)
        for part in _WORD_OR_NOT.findall(value)
    )


def _matches(word: str, found: list[str]) -> bool:
    return any(
        part.startswith(p) if _is_prefix(p) else part == p
        for part in _WORD.findall(translit.fold(word))
        for p in found
    )


def _hit(translation: Translation, found: list[str], locale: Locale) -> Hit:
    body = locale.text(f"{translation.summary} {plain_text(translation.body)}")
    words = body.split()
    first = next((i for i, w in enumerate(words) if _matches(w, found)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    excerpt = " ".join(words[start : start + SNIPPET_WORDS])
    if start > 0:
        excerpt = "… " + excerpt
    if start + SNIPPET_WORDS < len(words):
        excerpt += " …"
    return Hit(
        translation, highlight(locale.text(translation.title), found), highlight(excerpt, found)
    )
