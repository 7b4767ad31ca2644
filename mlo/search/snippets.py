"""Highlighted titles and snippets, in the reader's script, from the original text."""

import re

from markupsafe import Markup, escape

from mlo.content.models import Translation
from mlo.locales import Locale
from mlo.search.query import matches
from mlo.text.html import plain_text

SNIPPET_WORDS = 36
_WORD_OR_NOT = re.compile(r"[^\W_]+|[\W_]+")


def highlight(value: str, found: list[str]) -> Markup:
    """Text with every word that matches a search prefix wrapped in <mark>."""
    return Markup("").join(
        Markup("<mark>%s</mark>") % part if matches(part, found) else escape(part)
        for part in _WORD_OR_NOT.findall(value)
    )


def snippet(translation: Translation, found: list[str], locale: Locale) -> Markup:
    """About SNIPPET_WORDS words of summary and body around the first match, highlighted."""
    body = locale.text(f"{translation.summary} {plain_text(translation.body)}")
    words = body.split()
    first = next((i for i, w in enumerate(words) if matches(w, found)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    excerpt = " ".join(words[start : start + SNIPPET_WORDS])
    if start > 0:
        excerpt = "… " + excerpt
    if start + SNIPPET_WORDS < len(words):
        excerpt += " …"
    return highlight(excerpt, found)
