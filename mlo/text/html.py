"""The one HTML sanitiser, and the plain text of sanitised HTML.

Every body, from the editor or an import, goes through `sanitize`: bleach and an allow-list.
"""

import re
from html.parser import HTMLParser

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "strong", "em", "a", "img", "figure", "figcaption", "span",
    }
)  # fmt: skip
PROTOCOLS = frozenset({"http", "https", "mailto"})
# Images come from https: or the site's own media files; any other source (http:, //host, a
# relative URL that could point at a back-office action) would make the reader's browser fetch it.
IMAGE_SOURCE = re.compile(r"^(https://[^/\s]|/media/[^/\s])", re.IGNORECASE)
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title", "hreflang")
    if tag == "img":
        if name == "src":
            return bool(IMAGE_SOURCE.match(value))
        return name in ("alt", "title", "width", "height")
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


_BLOCKS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "br", "ul", "ol"})
_SPACE = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    """Collects the character data of a fragment; block boundaries become spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The readable text of sanitised HTML: tags removed, entities decoded, spaces collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return _SPACE.sub(" ", "".join(collector.parts)).strip()


# What the rich-text editor adds to links by itself; dropping it changes nothing a reader sees.
_EDITOR_NOISE = frozenset({("a", "rel"), ("a", "target")})


class _MarkupCollector(HTMLParser):
    """Collects each element's tag and attribute names, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, None))
        self.found += [(tag, f"{name}={value or ''}") for name, value in attrs]


def _markup(html: str) -> list[tuple[str, str | None]]:
    collector = _MarkupCollector()
    collector.feed(html)
    collector.close()
    return collector.found


def removed_by_sanitize(html: str) -> list[str]:
    """What `sanitize` drops from submitted HTML, for a person to see before saving:
    "<script>" for an element, "onclick on <p>" for an attribute (text is always kept)."""
    kept = _markup(sanitize(html))
    removed: list[str] = []
    for tag, attribute in _markup(html):
        if (tag, attribute) in kept:
            kept.remove((tag, attribute))
            continue
        if attribute is None:
            removed.append(f"<{tag}>")
            continue
        name = attribute.split("=", 1)[0]
        if (tag, name) not in _EDITOR_NOISE:
            removed.append(f"{name} on <{tag}>")
    return list(dict.fromkeys(removed))


_BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "figure"})


class _BlockSplitter(HTMLParser):
    """Finds the top-level blocks of sanitised HTML: their tag and where they start and end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.blocks: list[tuple[str, int, int]] = []  # tag, start offset, end offset
        self._open: tuple[str, int] | None = None
        self._lines = [0]

    def feed_text(self, html: str) -> None:
        """Parse a whole fragment, keeping line offsets to turn positions into indexes."""
        for line in html.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.depth == 0 and tag in _BLOCK_TAGS:
            self._open = (tag, self._offset())
        if tag not in ("br", "img"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)
        if self.depth == 0 and self._open and tag == self._open[0]:
            end = self._offset() + len(f"</{tag}>")  # sanitised HTML writes end tags plainly
            self.blocks.append((tag, self._open[1], end))
            self._open = None


def blocks(html: str) -> list[tuple[str, str]]:
    """The top-level blocks of sanitised HTML as (tag, the block's whole HTML), in order;
    loose text between blocks is kept as a "p"."""
    splitter = _BlockSplitter()
    splitter.feed_text(html)
    found: list[tuple[str, str]] = []
    position = 0
    for tag, start, end in splitter.blocks:
        loose = html[position:start].strip()
        if loose:
            found.append(("p", loose))
        found.append((tag, html[start:end]))
        position = end
    if html[position:].strip():
        found.append(("p", html[position:].strip()))
    return found
