"""PO files for translators: an article's source text out, its translation back in.

One entry per part of the source (title, summary, each top-level block of the body); the msgctxt
names the article, the source revision and the part, so a file finds its way back, and a file
made from an older source than the current one is refused with what changed since (the way
wagtail-localize's export_po/import_po do).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import SequenceMatcher
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, write_po
from sqlalchemy import select

from mlo.content import operations
from mlo.content.models import Article, Revision, Translation
from mlo.db import dbsession
from mlo.locales import BY_CODE, CODES, LOCALES
from mlo.text import clean
from mlo.text.html import BLOCK_TAGS, Block, plain_text, removed_by_sanitize, sanitize
from mlo.text.html import blocks as body_blocks
from mlo.text.words import folded_words

ARTICLE_HEADER = "X-Mlo-Article"
REVISION_HEADER = "X-Mlo-Source-Revision"
TARGET_HEADER = "X-Mlo-Target"
SOURCE_LANGUAGE_HEADER = "X-Source-Language"
# The top-level elements a body is cut into, one entry each (a list is one entry).
# Elements that start a new block: a translation may hold only those its source block holds.
BLOCK_LEVEL = BLOCK_TAGS | {"li", "figcaption"}
CONTEXT = re.compile(r"^(?P<key>[^@]*)@(?P<revision>[0-9]+):(?P<part>title|summary|body/[0-9]+)$")


class PoProblem(Exception):
    """A PO file that cannot be exported or imported; the message says why."""


@dataclass(frozen=True)
class ImportResult:
    """What a PO import did: which translation, and the revision it wrote (None: unchanged)."""

    key: str
    lang: str
    revision: int | None
    source_revision: int
    converted: bool = False  # Serbian typed in Latin was stored in Cyrillic
    confirmed: bool = False  # the same text, now marked up to date with the source

    @property
    def unchanged(self) -> bool:
        """Whether nothing was written: the translation already was what the file holds."""
        return self.revision is None


def _parts(title: str, summary: str, body: str) -> dict[str, tuple[str, str]]:
    """Every part with something to translate: name -> (its text, the block's start tag)."""
    parts = {"title": (title, ""), "summary": (summary, "")}
    for index, block in enumerate(body_blocks(body)):
        if block.translatable:
            parts[f"body/{index}"] = (block.inner, block.start_tag or "(text)")
    return {name: part for name, part in parts.items() if part[0]}


def _changed(before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]) -> list[str]:
    names = list(dict.fromkeys([*after, *before]))
    return [name for name in names if before.get(name) != after.get(name)]


def _revision(translation: Translation, number: int) -> Revision | None:
    return dbsession.scalar(
        select(Revision).where(Revision.translation_id == translation.id, Revision.number == number)
    )


def changed_since(source: Translation, number: int) -> list[str] | None:
    """The parts whose source text changed since revision `number`; None if it is unknown."""
    old = _revision(source, number)
    if old is None:
        return None
    return _changed(
        _parts(old.title, old.summary, old.body),
        _parts(source.title, source.summary, source.body),
    )


def po_locale(lang: str) -> str:
    """The locale a PO file for this language declares (Serbian is written in Cyrillic)."""
    return next(locale.gettext for locale in LOCALES if locale.lang == lang and not locale.latin)


class _Catalog(Catalog):
    """Babel's catalog, keeping mlo's own header fields (Babel keeps only the standard ones) and
    its header comment as written (Babel would fill in PROJECT, YEAR... inside a title)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extra: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    @property
    def mime_headers(self) -> list[tuple[str, str]]:
        """The header fields: Babel's, mlo as the project, then ours before Generated-By."""
        headers = [
            (name, "mlo" if name == "Project-Id-Version" else value)
            for name, value in super().mime_headers
            if name != "Report-Msgid-Bugs-To"
        ]
        return headers[:-1] + list(self.extra.items()) + headers[-1:]

    @mime_headers.setter
    def mime_headers(self, headers: Any) -> None:
        headers = list(headers)
        Catalog.mime_headers.fset(self, headers)  # type: ignore[attr-defined]
        self.extra.update(
            (name, value.strip()) for name, value in headers if name.lower().startswith("x-")
        )

    @property
    def header_comment(self) -> str:
        """The comment above the header, as it was set."""
        return self._header_comment or ""

    @header_comment.setter
    def header_comment(self, value: str) -> None:
        self._header_comment = value

    def header(self, name: str) -> str | None:
        """One of the extra header fields, whatever its case in the file."""
        return next((v for k, v in self.extra.items() if k.lower() == name.lower()), None)


def _source_of(article: Article, lang: str) -> Translation:
    if lang not in BY_CODE:
        raise PoProblem(f"unknown language {lang!r} (use {', '.join(CODES)})")
    if lang == article.source_lang:
        raise PoProblem(
            f"{lang!r} is the source language of article {article.key!r}: "
            f"its PO files are for translating it into {', '.join(c for c in CODES if c != lang)}"
        )
    source = article.source
    if source is None:
        raise PoProblem(
            f"article {article.key!r} has no text in its source language "
            f"{article.source_lang!r} to translate from"
        )
    return source


def export_po(article: Article, lang: str) -> bytes:
    """An article's source text as a PO file (UTF-8) for translation into `lang`."""
    source = _source_of(article, lang)
    target = article.translations.get(lang)
    now = datetime.now(UTC)
    source_name, target_name = BY_CODE[source.lang].name, BY_CODE[lang].name
    catalog = _Catalog(
        locale=po_locale(lang),
        header_comment=(
            f"# {source.title}\n"
            f"# {source_name} text of article {article.key} (revision {source.revision}),"
            f" for translation into {target_name}.\n"
            "# Translate every entry; keep the markup (<strong>, <em>, <a>, <li>) and leave\n"
            "# each block in its own entry. Import with `flask --app app content po-import`."
        ),
        project="mlo",
        creation_date=now,
        revision_date=now,
        last_translator="mlo",
        language_team=target_name,
        fuzzy=False,
    )
    catalog.extra = {
        SOURCE_LANGUAGE_HEADER: source.lang,
        ARTICLE_HEADER: article.key,
        REVISION_HEADER: str(source.revision),
        TARGET_HEADER: lang,
    }
    existing, stale, moved = _carried(source, target)
    for name, (text, start_tag) in _parts(source.title, source.summary, source.body).items():
        translated = existing.get(name, "")
        old = moved.get(name) or _old_text(source, target, name)
        old = old if name in stale and translated else None
        catalog[text] = Message(
            text,
            translated,
            auto_comments=[f"block: {_tag_name(start_tag)}"] if name.startswith("body/") else [],
            flags=["fuzzy"] if name in stale and translated else [],
            previous_id=[old] if old else [],
            context=f"{article.key}@{source.revision}:{name}",
        )
    out = BytesIO()
    write_po(out, catalog, width=100, include_previous=True)
    return out.getvalue()


def _tag_name(start_tag: str) -> str:
    return start_tag.strip("<>") if start_tag.startswith("<") else start_tag


def _carried(
    source: Translation, target: Translation | None
) -> tuple[dict[str, str], set[str], dict[str, str]]:
    """The target's text for each part of the source as it is now, and the parts whose source
    changed since the target was made. Paragraphs the source gained or lost since are followed,
    so the rest of the translation still fills its entries."""
    existing = _existing(source, target)
    if target is None or target.source_revision is None or not target.is_stale():
        return existing, set(), {}
    old = _revision(source, target.source_revision)
    if old is None:
        return existing, set(existing), {}
    stale = {name for name in ("title", "summary") if getattr(old, name) != getattr(source, name)}
    before, now, translated = (
        body_blocks(old.body),
        body_blocks(source.body),
        body_blocks(target.body),
    )
    if [b.tag for b in before] != [b.tag for b in translated]:
        changed = changed_since(source, target.source_revision) or list(existing)
        return existing, set(changed), {}  # the translation's own structure: by index
    texts = {name: text for name, text in existing.items() if not name.startswith("body/")}
    moved: dict[str, str] = {}  # a changed paragraph's source text then, where it is now
    matcher = SequenceMatcher(None, [b.inner for b in before], [b.inner for b in now])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op not in ("equal", "replace"):
            continue  # a paragraph the source gained has no translation; one it lost, no entry
        same_size = i2 - i1 == j2 - j1  # edited in place: each old paragraph is the new one
        pairs = zip(range(i1, i2), range(j1, j2), strict=True) if same_size else None
        for old_index, new_index in pairs or _similar(before, now, range(i1, i2), range(j1, j2)):
            if translated[old_index].inner:
                texts[f"body/{new_index}"] = translated[old_index].inner
                if op == "replace":
                    stale.add(f"body/{new_index}")
                    moved[f"body/{new_index}"] = before[old_index].inner
    return texts, stale, moved


def _similar(before: list, now: list, old: range, new: range) -> list[tuple[int, int]]:
    """Pairs of a changed stretch of paragraphs, each old one with the most alike new one after
    the previous pair (at least half their words alike); the rest were added or removed."""
    pairs, start = [], new.start
    for old_index in old:
        words = folded_words(plain_text(before[old_index].inner)).split()
        scored = [
            (
                SequenceMatcher(
                    None, words, folded_words(plain_text(now[j].inner)).split()
                ).ratio(),
                j,
            )
            for j in range(start, new.stop)
        ]
        best = max(scored, default=(0.0, -1))
        if best[0] >= 0.5:
            pairs.append((old_index, best[1]))
            start = best[1] + 1
    return pairs


def _existing(source: Translation, target: Translation | None) -> dict[str, str]:
    """The target's text of each part it has (its body only if cut into the same blocks)."""
    if target is None:
        return {}
    texts = {"title": target.title, "summary": target.summary}
    source_blocks, target_blocks = body_blocks(source.body), body_blocks(target.body)
    if [block.tag for block in source_blocks] == [block.tag for block in target_blocks]:
        texts |= {f"body/{index}": block.inner for index, block in enumerate(target_blocks)}
    return {name: text for name, text in texts.items() if text}


def _old_text(source: Translation, target: Translation | None, name: str) -> str | None:
    """The source text of a part as it was when the target was translated from it."""
    if target is None or target.source_revision is None:
        return None
    old = _revision(source, target.source_revision)
    if old is None:
        return None
    part = _parts(old.title, old.summary, old.body).get(name)
    return part[0] if part else None


def _read(data: bytes) -> _Catalog:
    catalog = _Catalog(fuzzy=False)
    try:
        PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True).parse(BytesIO(data))
    except PoFileError as error:
        reason = str(error).removesuffix(f" on {error.lineno}")
        raise PoProblem(
            f"not a PO file: line {error.lineno + 1}: {reason}: {error.line[:60]!r}"
        ) from None
    except (UnicodeDecodeError, LookupError) as error:
        raise PoProblem(f"not a PO file in UTF-8 (or the charset it declares): {error}") from None
    return catalog


def import_po(data: bytes, author: str, state: str = "published") -> ImportResult:
    """Save a translated `export_po` file as a new revision (flushes), or raise PoProblem; a
    translation it creates starts in `state`."""
    catalog = _read(data)
    key = catalog.header(ARTICLE_HEADER)
    if not key:
        raise PoProblem(f"no {ARTICLE_HEADER} header: not a PO file made by `content po-export`")
    article = dbsession.scalar(select(Article).where(Article.key == key))
    if article is None:
        raise PoProblem(f"no article with the key {key!r} (the file's {ARTICLE_HEADER})")
    entries = _entries(catalog, key)
    lang = catalog.header(TARGET_HEADER) or ""
    source = _source_of(article, lang)
    made_from = _made_from(catalog, entries)
    if made_from != source.revision:
        _refuse_older(article, source, made_from)
        # Nothing to translate changed since (a new slug, say): it follows the source as it is.
        made_from = source.revision
    texts = _translations(entries, _parts(source.title, source.summary, source.body))
    source_blocks = body_blocks(source.body)
    _check_markup(texts, source_blocks)
    body = "\n".join(
        block.html(texts.get(f"body/{index}", block.inner))
        for index, block in enumerate(source_blocks)
    )
    text = operations.prepare_text(lang, texts["title"], texts.get("summary", ""), body)
    if len(text.title) > 300:
        raise PoProblem("title: longer than 300 characters")
    return _save(article, lang, text, made_from, author, state)


def _entries(catalog: _Catalog, key: str) -> dict[str, Message]:
    """The file's entries by part, each checked to belong to the article its header names."""
    entries: dict[str, Message] = {}
    others: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            raise PoProblem(
                f"entry {message.id[0][:40]!r}: plural forms are not part of an article"
            )
        found = CONTEXT.match(message.context or "")
        if found is None:
            raise PoProblem(
                f"entry {message.id[:40]!r}: msgctxt {message.context!r} is not "
                "ARTICLE@REVISION:PART; not a PO file made by `content po-export`"
            )
        if found["key"] != key:
            others.add(found["key"])
        part = found["part"]
        if part in entries:
            raise PoProblem(f"{part}: two entries for the same part")
        entries[part] = message
    if others:
        raise PoProblem(
            f"the file's header is for article {key!r} but its entries are for "
            f"{', '.join(map(repr, sorted(others)))}: it was edited by hand or put together from "
            "two files"
        )
    return entries


def _made_from(catalog: _Catalog, entries: dict[str, Message]) -> int:
    revision = catalog.header(REVISION_HEADER) or ""
    if not revision.isdigit():
        raise PoProblem(f"{REVISION_HEADER} header missing or not a number: {revision!r}")
    for part, message in entries.items():
        found = CONTEXT.match(message.context)
        if found and int(found["revision"]) != int(revision):
            raise PoProblem(
                f"{part}: made from source revision {found['revision']}, but the file's header "
                f"says revision {revision}"
            )
    return int(revision)


def _refuse_older(article: Article, source: Translation, made_from: int) -> None:
    """Refuse a file made from another source revision, unless no part's text changed since."""
    where = f"made from revision {made_from} of the {BY_CODE[source.lang].name} source"
    if made_from > source.revision:
        raise PoProblem(
            f"{where} of article {article.key!r}, which is only at revision {source.revision}"
        )
    changed = changed_since(source, made_from)
    if changed is None:
        raise PoProblem(f"{where}, which is not in its history (now revision {source.revision})")
    if changed:
        raise PoProblem(
            f"{where}; the source is now at revision {source.revision} and these parts changed "
            f"since: {', '.join(changed)}: export it again (`content po-export`) and translate "
            "those"
        )


def _translations(entries: dict[str, Message], parts: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Each part's translation; PoProblem naming the parts missing, fuzzy or unknown."""
    unknown = [name for name in entries if name not in parts]
    if unknown:
        raise PoProblem(f"entries for parts the source does not have: {', '.join(unknown)}")
    missing = [
        name
        for name in parts
        if name not in entries or entries[name].fuzzy or not str(entries[name].string).strip()
    ]
    if missing:
        fuzzy = [name for name in missing if name in entries and entries[name].fuzzy]
        note = f" ({', '.join(fuzzy)} marked fuzzy: review, then clear the flag)" if fuzzy else ""
        raise PoProblem(f"not translated: {', '.join(missing)}{note}")
    texts = {name: str(entries[name].string).strip() for name in parts}
    for name, text in texts.items():
        reason = clean.problem(text)
        if reason:
            raise PoProblem(f"{name}: {reason}")
    return texts


class _Tokens(HTMLParser):
    """A fragment's markup as tokens, text decoded and its spaces collapsed: what a reader gets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, ...]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.found.append(("<", tag, *sorted(f"{name}={value or ''}" for name, value in attrs)))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.found.append(("/", tag))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split()) or " "
        if self.found and self.found[-1][0] == "text":
            text = " ".join((self.found.pop()[1] + text).split()) or " "
        self.found.append(("text", text))

    def handle_comment(self, data: str) -> None:
        self.found.append(("!--", data))


def _tokens(html: str) -> _Tokens:
    tokens = _Tokens()
    tokens.feed(html.strip())
    tokens.close()
    return tokens


def _check_markup(texts: dict[str, str], source_blocks: list[Block]) -> None:
    """Every body translation must be what the sanitizer keeps, and stay one block."""
    problems = []
    for index, block in enumerate(source_blocks):
        name = f"body/{index}"
        if name not in texts:
            continue
        html = block.html(texts[name])
        added = (_tokens(texts[name]).tags & BLOCK_LEVEL) - _tokens(block.inner).tags
        if added:
            tags = ", ".join(f"<{tag}>" for tag in sorted(added))
            problems.append(f"{name}: {tags} would split the block; keep one block per entry")
        elif _tokens(sanitize(html)).found != _tokens(html).found:
            removed = removed_by_sanitize(html)
            why = (
                f"{', '.join(removed)} would be removed"
                if removed
                else "a tag is not closed, or is closed without being opened"
            )
            problems.append(f"{name}: broken markup: {why}")
    if problems:
        raise PoProblem("; ".join(problems))


def _shape(title: str, summary: str, body: str) -> tuple:
    """A text as a reader sees it, whatever the whitespace between its blocks."""
    return title, summary, [(block.start_tag, block.inner) for block in body_blocks(body)]


def _save(
    article: Article, lang: str, text: operations.Text, made_from: int, author: str, state: str
) -> ImportResult:
    target = article.translations.get(lang)
    if target is not None and _shape(text.title, text.summary, text.body) == _shape(
        target.title, target.summary, target.body
    ):
        if not target.is_stale():
            return ImportResult(article.key, lang, None, made_from, text.converted)
        # The translator kept every sentence of an outdated translation, entry by entry (a
        # changed part comes out fuzzy and counts as missing until they clear it): the same
        # confirmation as the back office's "mark up to date".
        try:
            operations.mark_up_to_date(target, author=author, expected=target.revision)
        except operations.Conflict:
            raise PoProblem(f"someone saved the {lang} text of {article.key!r} meanwhile") from None
        dbsession.flush()
        return ImportResult(
            article.key, lang, target.revision, made_from, text.converted, confirmed=True
        )
    try:
        operations.put_translation(
            article,
            lang,
            text,
            author=author,
            expected=target.revision if target is not None else None,
            state=state,
        )
    except operations.Conflict:
        raise PoProblem(f"someone saved the {lang} text of {article.key!r} meanwhile") from None
    saved = article.translations[lang]
    saved.source_revision = made_from
    dbsession.flush()
    return ImportResult(article.key, lang, saved.revision, made_from, text.converted)
