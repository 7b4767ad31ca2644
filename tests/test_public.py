"""The reading site in three locales: pages, links between locales, redirects and errors."""

import re

import pytest
from sqlalchemy import event

from mlo import db

SR = {"title": "Сарадња у Љубљани", "summary": "Кратак сажетак.", "body": "<p>ЊЕГОШ и Љубљана.</p>"}
EN = {"title": "Cooperation in Ljubljana", "summary": "A short summary.", "body": "<p>Text.</p>"}


def links(html: str, rel: str) -> dict[str, str]:
    """hreflang -> href of the <link rel=...> tags."""
    pattern = rf'<link rel="{rel}" hreflang="([^"]+)" href="([^"]+)">'
    return dict(re.findall(pattern, html))


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


@pytest.fixture
def bilingual(make_article):
    return make_article(key="both", published="2023-02-07", en=EN, sr=SR)


@pytest.fixture
def english_only(make_article):
    return make_article(
        key="en-only", published="2024-10-04", en={"title": "Visit to Niš", "body": "<p>Niš.</p>"}
    )


@pytest.mark.parametrize(
    ("headers", "location"),
    [
        ({"Accept-Language": "sr-RS,sr;q=0.9,en-US;q=0.8,en;q=0.7"}, "/sr-cyrl/"),
        ({"Accept-Language": "sr-Latn-RS"}, "/sr-latn/"),
        ({"Accept-Language": "hr"}, "/sr-latn/"),
        ({"Accept-Language": "de"}, "/en/"),
        ({}, "/en/"),
        ({"Accept-Language": "en", "cookie": "sr-latn"}, "/sr-latn/"),
        ({"Accept-Language": "sr", "cookie": "nonsense"}, "/sr-cyrl/"),
    ],
)
def test_root_redirects_by_cookie_then_browser(client, headers, location):
    headers = dict(headers)
    if "cookie" in headers:
        client.set_cookie("lang", headers.pop("cookie"))
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == location
    assert response.headers["Vary"] == "Accept-Language, Cookie"


@pytest.mark.parametrize(
    ("prefix", "lang", "date", "title"),
    [
        ("en", "en", "February 7, 2023", "Cooperation in Ljubljana"),
        ("sr-cyrl", "sr-Cyrl", "7. фебруар 2023.", "Сарадња у Љубљани"),
        ("sr-latn", "sr-Latn", "7. februar 2023.", "Saradnja u Ljubljani"),
    ],
)
def test_article_in_each_locale(client, bilingual, prefix, lang, date, title):
    slug = "cooperation-in-ljubljana" if prefix == "en" else "saradnja-u-ljubljani"
    response = client.get(f"/{prefix}/news/2023/{slug}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert response.headers["Content-Language"] == lang
    assert f"<h1>{title}</h1>" in html and date in html
    if prefix == "sr-latn":
        assert "NJEGOŠ i Ljubljana." in html  # all-caps digraph stays all caps
    # Breadcrumbs: site / Newsroom / News Archive / 2023 / title, localized.
    crumbs = re.findall(r"<li>(?:<a [^>]*>|<span [^>]*>)([^<]+)<", html.split("breadcrumbs")[1])
    assert crumbs[3:] == ["2023", title]
    assert len(crumbs) == 5


def test_article_links_every_existing_version(client, bilingual):
    html = client.get("/sr-latn/news/2023/saradnja-u-ljubljani/").get_data(as_text=True)
    base = "http://localhost"
    assert links(html, "alternate") == {
        "en": f"{base}/en/news/2023/cooperation-in-ljubljana/",
        "sr-Cyrl": f"{base}/sr-cyrl/news/2023/saradnja-u-ljubljani/",
        "sr-Latn": f"{base}/sr-latn/news/2023/saradnja-u-ljubljani/",
        "x-default": f"{base}/en/news/2023/cooperation-in-ljubljana/",
    }
    assert canonical(html) == f"{base}/sr-latn/news/2023/saradnja-u-ljubljani/"
    switcher = html.split('class="switcher"')[1].split("</nav>")[0]
    assert f'href="{base}/en/news/2023/cooperation-in-ljubljana/"' in switcher
    assert f'href="{base}/sr-cyrl/news/2023/saradnja-u-ljubljani/"' in switcher
    assert 'aria-current="page">Latinica' in switcher


def test_english_only_article_has_no_serbian_links(client, english_only):
    html = client.get("/en/news/2024/visit-to-nis/").get_data(as_text=True)
    assert links(html, "alternate") == {
        "en": "http://localhost/en/news/2024/visit-to-nis/",
        "x-default": "http://localhost/en/news/2024/visit-to-nis/",
    }
    switcher = html.split('class="switcher"')[1].split("</nav>")[0]
    assert "/sr-cyrl/" not in switcher and "/sr-latn/" not in switcher
    assert 'class="unavailable">Ћирилица' in switcher


@pytest.mark.parametrize("prefix", ["sr-cyrl", "sr-latn"])
def test_missing_translation_is_a_localized_404_linking_to_what_exists(
    client, english_only, prefix
):
    response = client.get(f"/{prefix}/news/2024/visit-to-nis/")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'href="http://localhost/en/news/2024/visit-to-nis/"' in html
    assert "Visit to Niš" in html
    assert '<meta name="robots" content="noindex">' in html
    switcher = html.split('class="switcher"')[1].split("</nav>")[0]
    assert 'href="http://localhost/en/news/2024/visit-to-nis/"' in switcher
    assert 'class="unavailable">Latinica' in switcher or prefix == "sr-latn"


@pytest.mark.parametrize("prefix", ["sr-cyrl", "sr-latn"])
def test_untranslated_articles_are_never_listed(client, english_only, bilingual, prefix):
    for path in ("", "news/", "news/2024/", "feed.atom"):
        html = client.get(f"/{prefix}/{path}").get_data(as_text=True)
        assert "visit-to-nis" not in html, path
    assert client.get(f"/{prefix}/news/2024/").status_code == 404  # no Serbian news that year
    assert "visit-to-nis" in client.get("/en/news/").get_data(as_text=True)


def test_prefix_swap_to_an_existing_language_redirects(client, bilingual):
    response = client.get("/sr-cyrl/news/2023/cooperation-in-ljubljana/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sr-cyrl/news/2023/saradnja-u-ljubljani/"


def test_old_slug_and_wrong_year_answer_301(client, make_article, bilingual):
    make_article(key="both", published="2023-02-07", en={**EN, "slug": "renamed"}, sr=SR)
    response = client.get("/en/news/2023/cooperation-in-ljubljana/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/en/news/2023/renamed/"
    response = client.get("/en/news/2021/renamed/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/en/news/2023/renamed/"
    assert client.get("/en/news/2023/renamed/").status_code == 200


def test_drafts_and_scheduled_articles_are_not_public(client, make_article):
    make_article(key="draft", status="draft", en={"title": "Secret draft", "slug": "secret"})
    make_article(key="later", published="2999-01-01", en={"title": "Future", "slug": "future"})
    assert client.get("/en/news/2023/secret/").status_code == 404
    assert client.get("/en/news/2999/future/").status_code == 404
    listing = client.get("/en/news/").get_data(as_text=True)
    assert "Secret draft" not in listing and "Future" not in listing


def test_newsroom_pagination(client, app, make_article):
    app.config["PAGE_SIZE"] = 2
    for day in range(1, 6):
        make_article(published=f"2023-03-0{day}", en={"title": f"Story {day}", "body": "<p>x</p>"})
    first = client.get("/en/news/").get_data(as_text=True)
    assert re.findall(r"Story \d", first) == ["Story 5", "Story 4"]
    assert "Page 1 of 3" in first and 'rel="next" href="/en/news/?page=2"' in first
    third = client.get("/en/news/?page=3")
    assert re.findall(r"Story \d", third.get_data(as_text=True)) == ["Story 1"]
    assert canonical(third.get_data(as_text=True)) == "http://localhost/en/news/?page=3"
    for bad in ("4", "0", "-1", "x", "1.5", "", "٣", "99999999999", "02", "+2", " 2"):
        assert client.get(f"/en/news/?page={bad}").status_code == 404, bad


def test_year_archive_and_home(client, bilingual, english_only):
    html = client.get("/en/news/2023/").get_data(as_text=True)
    assert "Cooperation in Ljubljana" in html and "Visit to Niš" not in html
    assert 'href="/en/news/2024/"' in html  # the archive lists the other years
    home = client.get("/sr-cyrl/").get_data(as_text=True)
    assert "Сарадња у Љубљани" in home


def test_impossible_years_are_404(client, bilingual):
    for year in ("0", "9999", "10000", "99999999999999999999999", "-1"):
        assert client.get(f"/en/news/{year}/").status_code == 404, year
        assert client.get(f"/en/news/{year}/cooperation-in-ljubljana/").status_code in (301, 404)


def test_impossible_slugs_are_404(client, bilingual):
    for slug in ("a%00b", "UPPER", "with%20space", "x" * 101, "%FF", "-lead", "ćao"):
        assert client.get(f"/en/news/2023/{slug}/").status_code == 404, slug


def test_unknown_locale_prefix_is_404(client):
    for path in ("/de/", "/sr/news/", "/sr-Latn/", "/en-us/news/"):
        assert client.get(path).status_code == 404, path


def test_404_page_is_localized_by_url_or_browser(client):
    response = client.get("/sr-cyrl/nema-ovoga/")
    assert response.status_code == 404
    assert '<html lang="sr-Cyrl">' in response.get_data(as_text=True)
    response = client.get("/nowhere", headers={"Accept-Language": "sr-Latn"})
    html = response.get_data(as_text=True)
    assert '<html lang="sr-Latn">' in html
    switcher = html.split('class="switcher"')[1].split("</nav>")[0]
    assert 'href="/en/"' in switcher and 'href="/sr-cyrl/"' in switcher
    assert 'rel="alternate" hreflang' not in html


def test_500_page_is_localized(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/sr-latn/boom/")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/sr-latn/boom/")
    assert response.status_code == 500
    assert '<html lang="sr-Latn">' in response.get_data(as_text=True)


def test_every_page_has_search_box_and_postal_address(client, bilingual):
    for path in ("/en/", "/sr-cyrl/news/", "/sr-latn/news/2023/saradnja-u-ljubljani/"):
        html = client.get(path).get_data(as_text=True)
        prefix = path.split("/")[1]
        assert f'action="/{prefix}/search/"' in html
        assert "<address>" in html and "11000" in html


def test_lists_feeds_and_the_sitemap_load_no_bodies(app, client, bilingual, english_only):
    with app.app_context():
        engine = db.engine()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for url in ("/en/", "/en/news/", "/sr-latn/news/2023/", "/en/feed.atom", "/sitemap.xml"):
            assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert selects
    assert not [s for s in selects if "translation.body" in s or "search_text" in s]
