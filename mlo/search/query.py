"""Query words and the prefixes they match by: the same for SQLite, PostgreSQL and snippets."""

import os
import re
from functools import lru_cache

import snowballstemmer

from mlo.locales import LANGUAGES
from mlo.text import translit

MAX_TERMS = 8
# Shorter terms match whole words only: as prefixes, "u" or "o" would match a large share of all
# words, which is slow and finds nothing useful.
MIN_PREFIX = 3
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
WORD = re.compile(r"[^\W_]+")
_STEMMERS = {language.code: snowballstemmer.stemmer(language.stemmer) for language in LANGUAGES}


def terms(query: str) -> list[str]:
    """The query's words, folded (script, case and diacritics ignored), de-duplicated."""
    return list(dict.fromkeys(WORD.findall(translit.fold(query))))


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


def is_prefix(term: str) -> bool:
    """Whether a search term matches as a prefix (else as a whole word)."""
    return len(term) >= MIN_PREFIX


def matches(word: str, found: list[str]) -> bool:
    """Whether a word of the text matches one of the search prefixes."""
    return any(
        part.startswith(p) if is_prefix(p) else part == p
        for part in WORD.findall(translit.fold(word))
        for p in found
    )
