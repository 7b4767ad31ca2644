"""The one table of languages and reading locales, and Accept-Language negotiation over it.

A leaf: plain data and functions on strings, no Flask, no database.
"""

from dataclasses import dataclass

from mlo.text import translit


@dataclass(frozen=True)
class Language:
    """A language articles are written in: how it is stored, stemmed and indexed."""

    code: str  # Translation.lang
    name: str  # in English, for messages to editors and developers
    stemmer: str  # the Snowball stemmer of search prefixes (both backends index plain words)
    stopwords: frozenset[str] = frozenset()  # left out of search queries
    cyrillic: bool = False  # stored in Cyrillic; text typed in Latin is converted


# Words nearly every English article has: a query ignores them (they find everything).
ENGLISH_STOPWORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "english", stopwords=ENGLISH_STOPWORDS),
    Language("sr", "Serbian", "serbian", cyrillic=True),
)
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}


def sql_in(column: str) -> str:
    """A CHECK constraint's condition that `column` holds one of the language codes."""
    return f"{column} IN ({', '.join(repr(code) for code in CODES)})"


@dataclass(frozen=True)
class Locale:
    """A reading locale: where it lives in URLs, which catalog and which stored text it uses."""

    prefix: str  # URL prefix: /<prefix>/
    gettext: str  # catalog directory and Babel locale id
    bcp47: str  # <html lang>, hreflang, Content-Language
    lang: str  # the stored translation it shows
    latin: bool  # shown transliterated from the Cyrillic stored text
    label: str  # the switcher's word, in the locale's own script
    og: str  # Open Graph og:locale

    def text(self, value: str) -> str:
        """Stored plain text in this locale's script."""
        return translit.to_latin(value) if self.latin else value

    def html(self, value: str) -> str:
        """Stored (sanitised) HTML in this locale's script."""
        return translit.to_latin_html(value) if self.latin else value


LOCALES: tuple[Locale, ...] = (
    Locale("en", "en", "en", "en", False, "English", "en_GB"),
    Locale("sr-cyrl", "sr_Cyrl", "sr-Cyrl", "sr", False, "Ћирилица", "sr_RS"),
    Locale("sr-latn", "sr_Latn", "sr-Latn", "sr", True, "Latinica", "sr_Latn_RS"),
)
BY_PREFIX: dict[str, Locale] = {locale.prefix: locale for locale in LOCALES}
DEFAULT = LOCALES[0]
ENGLISH, CYRILLIC, LATIN = LOCALES


def for_languages(languages: set[str] | frozenset[str]) -> list[Locale]:
    """The locales that can show content existing in these stored languages, in table order."""
    return [locale for locale in LOCALES if locale.lang in languages]


def from_tag(tag: str) -> Locale | None:
    """The locale for one BCP-47 language tag, script subtag first; None if we have none."""
    subtags = tag.strip().lower().replace("_", "-").split("-")
    primary = subtags[0]
    if primary == "sr":
        return LATIN if "latn" in subtags or "me" in subtags[1:] else CYRILLIC
    if primary in ("hr", "bs", "sh", "cnr"):
        return LATIN
    if primary == "en":
        return ENGLISH
    return None


def parse_accept_language(header: str) -> list[str]:
    """The header's language tags, best first (stable for equal quality); q=0 and junk dropped."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        tag = tag.strip()
        if not tag or len(tag) > 35:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if 0.0 < quality <= 1.0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(accept_language: str | None, cookie: str | None = None) -> Locale:
    """The locale for a visitor: a valid cookie, else the first usable Accept-Language tag."""
    if cookie in BY_PREFIX:
        return BY_PREFIX[cookie]
    for tag in parse_accept_language(accept_language or ""):
        locale = from_tag(tag)
        if locale is not None:
            return locale
    return DEFAULT
