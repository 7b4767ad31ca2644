"""The one HTML sanitiser, and the plain text of sanitised HTML.

Every body, from the editor or an import, goes through `sanitize`: bleach and an allow-list.
"""

import re
from dataclasses import dataclass
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


# The top-level blocks of a body: paragraphs, headings, lists, quotes, figures.
BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "figure"})
VOID_TAGS = frozenset({"br", "img"})
_NOTHING_TO_SAY = re.compile(r"<br>|\s")


@dataclass(frozen=True)
class Block:
    """A top-level block of a body: tag ("" for loose text), start tag as written, inner HTML."""

    tag: str
    start_tag: str
    inner: str

    def html(self, inner: str) -> str:
        """This block with another inner HTML."""
        return f"{self.start_tag}{inner}</{self.tag}>" if self.tag else inner

    @property
    def translatable(self) -> bool:
        """Whether it has anything to translate (an empty line of the editor has not)."""
        return bool(_NOTHING_TO_SAY.sub("", self.inner))


class _BlockSplitter(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = html
        self.line_starts = [0] + [found.end() for found in re.finditer("\n", html)]
        self.depth = 0
        self.loose_from = 0
        self.open: tuple[str, str, int] | None = None
        self.blocks: list[Block] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _loose(self, end: int) -> None:
        text = self.source[self.loose_from : end].strip()
        if text:
            self.blocks.append(Block("", "", text))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID_TAGS:
            return
        if self.depth == 0 and tag in BLOCK_TAGS:
            start, written = self._offset(), self.get_starttag_text() or f"<{tag}>"
            self._loose(start)
            self.open = (tag, written, start + len(written))
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0 and self.open is not None:
            name, written, inner_from = self.open
            end = self._offset()
            self.blocks.append(Block(name, written, self.source[inner_from:end].strip()))
            self.loose_from = self.source.index(">", end) + 1
            self.open = None

    def close(self) -> None:
        super().close()
        self._loose(len(self.source))


def blocks(body: str) -> list[Block]:
    """The top-level blocks of a sanitized body, in order; text outside any block is a block."""
    splitter = _BlockSplitter(body)
    splitter.feed(body)
    splitter.close()
    return splitter.blocks
