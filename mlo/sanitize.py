"""The one HTML sanitiser: every body, from the editor or an import, goes through `sanitize`.

A leaf: bleach and an allow-list, no Flask, no database.
"""

import html as html_module
import re

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "strong", "em", "a", "img", "figure", "figcaption", "span",
    }
)  # fmt: skip
PROTOCOLS = frozenset({"http", "https", "mailto"})
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title", "hreflang")
    if tag == "img":
        return name in ("src", "alt", "title", "width", "height")
    if tag in ("span", "p"):
        if name == "lang":
            return bool(LANG_TAG.match(value))
        if name == "translate":
            return value in ("yes", "no")
    return False


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """Untrusted HTML reduced to the newsroom's allow-list (unknown tags dropped, text kept)."""
    return _cleaner.clean(html).strip()


_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def plain_text(html: str) -> str:
    """The readable text of sanitised HTML: tags removed, entities decoded, spaces collapsed."""
    text = _TAG.sub("", _BLOCK_END.sub(" ", html))
    return _SPACE.sub(" ", html_module.unescape(text)).strip()
