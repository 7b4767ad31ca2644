"""Articles, their translations, the slugs they used to have, and every revision of both."""

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from mlo.db import Base
from mlo.locales import sql_in

STATUSES = ("published", "draft")
# A translation's own way to readers: written, then ready for review, then published by an
# editor (and live from then on; later edits need no new review).
STATES = ("in_progress", "review", "published")


def sql_status(column: str) -> str:
    """A CHECK constraint's condition that `column` holds one of the statuses."""
    return f"{column} IN ({', '.join(repr(status) for status in STATUSES)})"


def utcnow() -> datetime:
    """Now in UTC, naive: every stored time is UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Article(Base):
    """One piece of news, whatever languages it is written in."""

    __tablename__ = "article"
    __table_args__ = (
        CheckConstraint(sql_status("status"), name="status"),
        CheckConstraint(sql_in("source_lang"), name="source_lang"),
        Index("ix_article_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    source_lang: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default="published")
    published_at: Mapped[datetime] = mapped_column(DateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime())
    # The settings' revision (source, time, status, trash): a form saved over a newer one is
    # refused, and each one is kept as an ArticleRevision.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, onupdate=utcnow)

    translations: Mapped[dict[str, "Translation"]] = relationship(
        back_populates="article",
        collection_class=attribute_keyed_dict("lang"),
        cascade="all, delete-orphan",
    )

    @property
    def source(self) -> "Translation | None":
        """The translation the others are translated from."""
        return self.translations.get(self.source_lang)


class Translation(Base):
    """An article in one language; Serbian is stored in Cyrillic."""

    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("article_id", "lang"),
        UniqueConstraint("lang", "slug"),
        CheckConstraint(sql_in("lang"), name="lang"),
        CheckConstraint(f"state IN ({', '.join(map(repr, STATES))})", name="state"),
        # The newest-first listing of one language, read straight from the index.
        Index("ix_translation_listing", "lang", "listed_at", "article_id"),
        Index("ix_translation_listed_at", "listed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Its words folded (mlo.text.words): what the search index is built from. The index itself
    # (FTS5 on SQLite, a generated tsvector on PostgreSQL) belongs to mlo.search.index.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Its words that have letters the fold drops (diacritics, Cyrillic), as written: a reader
    # who types "Ћеле" is shown articles with exactly those letters first.
    search_exact: Mapped[str] = mapped_column(Text, default="")
    # The title folded, for finding articles by title in the back office (either script).
    title_folded: Mapped[str] = mapped_column(String(600), default="")
    # Counts every save; each one is kept as a Revision with the same number.
    revision: Mapped[int] = mapped_column(default=1)
    # The latest revision whose text changed in a way the other language must follow (a slug
    # change or an editor's minor edit does not count).
    changed_revision: Mapped[int] = mapped_column(default=1)
    # The source translation's revision this one was translated from; None on the source.
    source_revision: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(16), default="published")
    # The revision an editor published (readers saw it then); None if never published.
    published_revision: Mapped[int | None]
    # An editor's note when sending a translation back to its translator.
    review_comment: Mapped[str] = mapped_column(Text, default="")
    # When readers may see it: its article's publication time while the article is published
    # and not deleted and this translation is published; else None. Kept by mlo.content.listing
    # on every flush, so lists need no join and no condition beyond `listed_at <= now`.
    listed_at: Mapped[datetime | None] = mapped_column(DateTime())
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, onupdate=utcnow)

    article: Mapped[Article] = relationship(back_populates="translations", lazy="joined")
    old_slugs: Mapped[list["OldSlug"]] = relationship(
        back_populates="translation", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        """Whether readers may see this translation (when its article is published)."""
        return self.state == "published"

    def is_stale(self) -> bool:
        """Whether the source changed after this translation was made."""
        source = self.article.source
        if source is None or source is self or self.source_revision is None:
            return False
        return self.source_revision < source.changed_revision


class OldSlug(Base):
    """A slug a translation used to have; its URL answers with a 301 to the current one."""

    __tablename__ = "old_slug"
    __table_args__ = (UniqueConstraint("lang", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translation.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(2))
    slug: Mapped[str] = mapped_column(String(100))

    translation: Mapped[Translation] = relationship(back_populates="old_slugs")


class Revision(Base):
    """One saved state of a translation: who saved it, when, and the whole text."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("translation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translation.id", ondelete="CASCADE"))
    number: Mapped[int]
    # A user name, or "import": history outlives accounts, which are disabled, never deleted.
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    minor: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(300), default="")

    translation: Mapped[Translation] = relationship()


class ArticleRevision(Base):
    """One saved state of an article's settings."""

    __tablename__ = "article_revision"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    number: Mapped[int]
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    source_lang: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    published_at: Mapped[datetime] = mapped_column(DateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime())
    note: Mapped[str] = mapped_column(String(300), default="")

    article: Mapped[Article] = relationship()


class MemoryUnit(Base):
    """Translation memory: one aligned pair of texts of a stored article, in one direction."""

    __tablename__ = "memory_unit"
    __table_args__ = (
        CheckConstraint(sql_in("source_lang"), name="source_lang"),
        CheckConstraint(sql_in("target_lang"), name="target_lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    source_lang: Mapped[str] = mapped_column(String(2))
    target_lang: Mapped[str] = mapped_column(String(2))
    # Plain text (tags dropped, entities decoded), Serbian in Cyrillic as stored.
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    # The source's words folded (mlo.text.words), so either script finds it. Its index (FTS5 on
    # SQLite, a generated tsvector on PostgreSQL) belongs to mlo.content.memory.
    source_folded: Mapped[str] = mapped_column(Text)


class ListingMonth(Base):
    """How many translations of one language are listed in one newsroom-local month (future
    publications included): the counts and archive years of the listings, kept on every write."""

    __tablename__ = "listing_month"

    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    # The local month as year * 100 + month, e.g. 202302.
    month: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int]


class SiteState(Base):
    """The one row that says which version of the content readers see: every write that changes
    content bumps it (in the writing transaction), so every worker's page cache follows at once."""

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    # The time zone the month counts were made in (the newsroom's, NEWSROOM_TIMEZONE).
    zone: Mapped[str] = mapped_column(String(64), default="")
