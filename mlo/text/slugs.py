"""URL slugs: ASCII words made from an English or Serbian title (either script)."""

import re

from mlo.text.translit import fold

# Letters that have no decomposition but an obvious ASCII spelling.
_SLUG_TABLE = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}
)
_SLUG_SEP_RE = re.compile("[^a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_MAX = 80


def is_slug(text: str) -> bool:
    """Whether text is a slug as slugify makes them: lower-case ASCII words joined by "-"."""
    return len(text) <= 100 and _SLUG.fullmatch(text) is not None


def slugify(text: str) -> str:
    """Make an ASCII URL slug of at most 80 characters from a Serbian or English title."""
    slug = _SLUG_SEP_RE.sub("-", fold(text).translate(_SLUG_TABLE)).strip("-")
    if len(slug) <= _SLUG_MAX:
        return slug
    cut = slug.rfind("-", 0, _SLUG_MAX + 1)
    return slug[:cut] if cut > 0 else slug[:_SLUG_MAX]
