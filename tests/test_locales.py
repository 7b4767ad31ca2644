"""The locale table and script-aware Accept-Language negotiation."""

import pytest

from mlo import locales

NEGOTIATION = [
    # A typical Serbian browser must get Serbian (Werkzeug's best_match gives English).
    ("sr-RS,sr;q=0.9,en-US;q=0.8,en;q=0.7", "sr-cyrl"),
    ("sr", "sr-cyrl"),
    ("sr-Cyrl", "sr-cyrl"),
    ("sr-Cyrl-RS", "sr-cyrl"),
    ("sr-BA", "sr-cyrl"),
    ("sr-Latn", "sr-latn"),
    ("sr-Latn-RS,sr;q=0.8", "sr-latn"),
    ("sr-latn-me", "sr-latn"),
    ("sr-ME", "sr-latn"),
    ("hr-HR,hr;q=0.9", "sr-latn"),
    ("bs", "sr-latn"),
    ("sh", "sr-latn"),
    ("cnr", "sr-latn"),
    ("en-US,en;q=0.9", "en"),
    ("en-GB", "en"),
    ("de-DE,de;q=0.9", "en"),
    ("de-DE,de;q=0.9,sr;q=0.5", "sr-cyrl"),
    ("fr;q=0.9,hr;q=0.8,en;q=0.7", "sr-latn"),
    ("en;q=0.5,sr-Latn;q=0.9", "sr-latn"),
    ("sr;q=0,en", "en"),
    ("*", "en"),
    ("", "en"),
    (None, "en"),
    (";;;,q=,sr;q=abc,,", "en"),
    ("x" * 500, "en"),
]


@pytest.mark.parametrize(("header", "expected"), NEGOTIATION)
def test_accept_language_negotiation(header, expected):
    assert locales.negotiate(header).prefix == expected


@pytest.mark.parametrize("cookie", ["en", "sr-cyrl", "sr-latn"])
def test_cookie_wins_over_browser(cookie):
    assert locales.negotiate("hr-HR", cookie).prefix == cookie


def test_unknown_cookie_is_ignored():
    assert locales.negotiate("sr-RS", "klingon").prefix == "sr-cyrl"


def test_table_spells_each_locale_once():
    assert [(loc.prefix, loc.gettext, loc.bcp47, loc.lang) for loc in locales.LOCALES] == [
        ("en", "en", "en", "en"),
        ("sr-cyrl", "sr_Cyrl", "sr-Cyrl", "sr"),
        ("sr-latn", "sr_Latn", "sr-Latn", "sr"),
    ]


def test_latin_locale_transliterates_stored_cyrillic():
    assert locales.LATIN.text("Љубљана и ЊЕГОШ") == "Ljubljana i NJEGOŠ"
    assert locales.CYRILLIC.text("Љубљана") == "Љубљана"
    assert locales.LATIN.html('<p title="Београд">Ћао <code>код</code></p>') == (
        '<p title="Beograd">Ćao <code>код</code></p>'
    )
