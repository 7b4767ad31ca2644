"""Query words and the prefixes they match by: the same for SQLite, PostgreSQL and snippets."""

import os
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer

from mlo.locales import BY_CODE, LANGUAGES
from mlo.text import translit
from mlo.text.words import WORD

# Shorter terms match whole words only: as prefixes, "u" or "o" would match a large share of all
# words, which is slow and finds nothing useful.
MIN_PREFIX = 3
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
    # English y -> i (ministries -> ministri): the stem without its i finds ministry too.
    if lang == "en" and stem.endswith("i") and len(stem) >= 5:
        stem = stem[:-1]
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
    words = [t for t in terms(query) if t not in BY_CODE[lang].stopwords]
    return list(dict.fromkeys(prefix(t, lang) for t in words))


def exact_prefixes(query: str, lang: str) -> list[str]:
    """The words typed with letters the fold drops (diacritics, Cyrillic), in the stored
    script and cut like their folded prefixes: results with these exact letters rank first."""
    found = []
    for word in WORD.findall(unicodedata.normalize("NFKC", query).lower()):
        term = translit.fold(word)
        if word.isascii() or not term or term in BY_CODE[lang].stopwords:
            continue
        exact = translit.to_cyrillic(word) if BY_CODE[lang].cyrillic else word
        cut = len(term) - len(prefix(term, lang))
        found.append(exact[: len(exact) - cut] if cut else exact)
    return list(dict.fromkeys(found))


def is_prefix(term: str) -> bool:
    """Whether a search term matches as a prefix (else as a whole word)."""
    return len(term) >= MIN_PREFIX


# The words of the texts shown with results, folded: the same words come again and again.
_fold_word = lru_cache(maxsize=65536)(translit.fold)


@lru_cache(maxsize=256)
def _pattern(found: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) + ("" if is_prefix(p) else r"\Z") for p in found))


def matcher(found: list[str]) -> Callable[[str], bool]:
    """A test whether a word of the text matches one of the search prefixes."""
    pattern = _pattern(tuple(found))
    return lambda word: any(map(pattern.match, WORD.findall(_fold_word(word))))
