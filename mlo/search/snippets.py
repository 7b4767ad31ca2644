"""Highlighted titles and snippets, in the reader's script, from the original text."""

import re

from markupsafe import Markup, escape

from mlo.content.models import Translation
from mlo.locales import Locale
from mlo.search.query import matcher
from mlo.text.html import plain_text

SNIPPET_WORDS = 36
_WORD = re.compile(r"([^\W_]+)")


def highlight(value: str, found: list[str]) -> Markup:
    """Text with every word that matches a search prefix wrapped in <mark>."""
    test = matcher(found)
    # Split around words: the odd parts are the words, the even ones what lies between them.
    parts = _WORD.split(value)
    return Markup(
        "".join(
            f"<mark>{escape(part)}</mark>" if index % 2 and test(part) else escape(part)
            for index, part in enumerate(parts)
        )
    )


def snippet(translation: Translation, found: list[str], locale: Locale) -> Markup:
    """About SNIPPET_WORDS words of summary and body around the first match, highlighted."""
    test = matcher(found)
    words = f"{translation.summary} {plain_text(translation.body)}".split()
    first = next((i for i, word in enumerate(words) if test(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    excerpt = " ".join(words[start : start + SNIPPET_WORDS])
    if start > 0:
        excerpt = "… " + excerpt
    if start + SNIPPET_WORDS < len(words):
        excerpt += " …"
    # The stored text folds as its transliteration does: only the excerpt needs the reader's
    # script.
    return highlight(locale.text(excerpt), found)
