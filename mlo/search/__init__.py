"""Search our content: one fold for index and query, FTS5 on SQLite, tsvector on PostgreSQL.

Queries are never passed through as search syntax: they are folded into plain words, and each
word becomes a quoted prefix, so no input can be an operator, a syntax error or SQL. Results
carry no interface text: the page says what a result means in the reader's language.
"""

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select

from mlo.content.models import Translation
from mlo.content.queries import UNSHOWN, Newsroom, page_count
from mlo.db import dbsession
from mlo.locales import Locale
from mlo.search.backends import match
from mlo.search.query import exact_prefixes, prefixes, terms
from mlo.search.snippets import highlight, snippet


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
    more: bool = False  # more than `total` match (counting them all would cost too much)
    number: int = 1
    pages: int = 1
    too_long: bool = False  # the query is longer than the limit it was run with
    too_many_words: bool = False  # more different words than the limit
    no_words: bool = False  # the query had no letters or digits at all

    @property
    def refused(self) -> bool:
        """Whether the query was refused (the page answers 400)."""
        return self.too_long or self.too_many_words


@dataclass(frozen=True)
class Limits:
    """What a reader may ask: characters in a query, different words in it, results a page."""

    length: int
    words: int
    page_size: int


def run(query: str, locale: Locale, newsroom: Newsroom, number: int, limits: Limits) -> Result:
    """Search the visible translations of the locale's language; a page of hits."""
    if len(query) > limits.length:
        return Result(too_long=True)
    if not terms(query):
        return Result(no_words=bool(query.strip()))
    found = prefixes(query, locale.lang)
    if len(found) > limits.words:
        return Result(too_many_words=True)
    if not found:
        return Result()  # only words every article has, such as "the"
    size = limits.page_size
    exact = exact_prefixes(query, locale.lang)
    matches = match(found, exact, locale.lang, newsroom.now, size, (number - 1) * size)
    # By the unique (article, language) index. The search index holds only what readers may
    # see, up to the second: one due later in this very second is left out here.
    rows = dbsession.scalars(
        select(Translation)
        .where(Translation.lang == locale.lang, Translation.article_id.in_(matches.articles))
        .options(*UNSHOWN)
    )
    by_article = {t.article_id: t for t in rows if t.listed_at and t.listed_at <= newsroom.now}
    hits = [
        Hit(t, highlight(locale.text(t.title), found), snippet(t, found, locale))
        for t in (by_article.get(article) for article in matches.articles)
        if t is not None
    ]
    pages = page_count(matches.total, size)
    return Result(hits, matches.total, matches.more, number, pages)
