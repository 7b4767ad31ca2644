"""Articles, their translations and the slugs they used to have."""

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from mlo.db import Base
from mlo.locales import sql_in

STATUSES = ("published", "draft")


def utcnow() -> datetime:
    """Now in UTC, naive: every stored time is UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Article(Base):
    """One piece of news, whatever languages it is written in."""

    __tablename__ = "article"
    __table_args__ = (
        CheckConstraint("status IN ('published', 'draft')", name="status"),
        CheckConstraint(sql_in("source_lang"), name="source_lang"),
        Index("ix_article_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    source_lang: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default="published")
    published_at: Mapped[datetime] = mapped_column(DateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime())
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
    revision: Mapped[int] = mapped_column(default=1)
    # The source translation's revision this one was translated from; None on the source.
    source_revision: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, onupdate=utcnow)

    article: Mapped[Article] = relationship(back_populates="translations", lazy="joined")
    old_slugs: Mapped[list["OldSlug"]] = relationship(
        back_populates="translation", cascade="all, delete-orphan"
    )

    def is_stale(self) -> bool:
        """Whether the source changed after this translation was made."""
        source = self.article.source
        if source is None or source is self or self.source_revision is None:
            return False
        return self.source_revision < source.revision


class OldSlug(Base):
    """A slug a translation used to have; its URL answers with a 301 to the current one."""

    __tablename__ = "old_slug"
    __table_args__ = (UniqueConstraint("lang", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translation.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(2))
    slug: Mapped[str] = mapped_column(String(100))

    translation: Mapped[Translation] = relationship(back_populates="old_slugs")
