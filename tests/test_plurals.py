"""Counted strings take Serbian's three plural forms in both scripts: in catalogs and on pages."""

import re

import pytest
from babel.support import Translations

from mlo.catalogs import files as catalogs

# The count of articles per archive year, chosen to hit every form and its traps (11, 12, 21, 22).
COUNTS = {2001: 1, 2002: 2, 2003: 5, 2004: 11, 2005: 12, 2006: 21, 2007: 22}
WORDS = {
    "sr-cyrl": ("чланак", "чланка", "чланака"),
    "sr-latn": ("članak", "članka", "članaka"),
    "en": ("article", "articles", "articles"),
}
PAGER = {"sr-cyrl": "Страна 1 од 8", "sr-latn": "Strana 1 od 8", "en": "Page 1 of 8"}
FOUND = {
    "sr-cyrl": ("Пронађен је", "Пронађена су", "Пронађено је"),
    "sr-latn": ("Pronađen je", "Pronađena su", "Pronađeno je"),
}
FORMS = {
    0: 2, 1: 0, 2: 1, 3: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2,
    74: 1, 101: 0, 111: 2, 112: 2, 1001: 0,
}  # fmt: skip


def counted(prefix: str, n: int) -> str:
    """The article count as the page for a locale prefix should show it."""
    if prefix == "en":
        return f"{n} article" if n == 1 else f"{n} articles"
    return f"{n} {WORDS[prefix][FORMS[n]]}"


@pytest.mark.parametrize(("locale", "prefix"), [("sr_Cyrl", "sr-cyrl"), ("sr_Latn", "sr-latn")])
def test_catalogs_have_three_forms_chosen_by_the_serbian_rule(locale, prefix):
    translations = Translations.load(str(catalogs.root()), [locale])
    for n, form in FORMS.items():
        articles = translations.ngettext("%(num)d article", "%(num)d articles", n)
        assert articles % {"num": n} == counted(prefix, n)
        found = translations.ngettext("%(num)d article found", "%(num)d articles found", n)
        assert found % {"num": n} == f"{FOUND[prefix][form]} {counted(prefix, n)}"


@pytest.mark.parametrize("prefix", ["sr-cyrl", "sr-latn", "en"])
def test_newsroom_and_archive_years_show_counts_in_the_right_form(client, make_article, prefix):
    number = 0
    for year, count in COUNTS.items():
        for _ in range(count):
            number += 1
            make_article(
                published=f"{year}-06-01",
                en={"title": f"Article {number}", "body": "<p>Text.</p>"},
                sr={"title": f"Чланак {number}", "body": "<p>Текст.</p>"},
            )

    page = client.get(f"/{prefix}/news/").get_data(as_text=True)
    assert f'<p class="count">{counted(prefix, 74)}</p>' in page
    assert f"<span>{PAGER[prefix]}</span>" in page
    archive = dict(re.findall(r'>(\d{4})</a>\s*<span class="count">([^<]+)</span>', page))
    assert archive == {str(year): counted(prefix, count) for year, count in COUNTS.items()}

    for year, count in COUNTS.items():
        page = client.get(f"/{prefix}/news/{year}/").get_data(as_text=True)
        assert f'<p class="count">{counted(prefix, count)}</p>' in page
