"""Atom feeds per locale, the sitemap, robots.txt and per-page metadata."""

import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

SR = {"title": "Сарадња у Љубљани", "summary": "Сажетак о Љубљани.", "body": "<p>Текст.</p>"}
EN = {"title": "Cooperation in Ljubljana", "summary": "About Ljubljana.", "body": "<p>Text.</p>"}
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def content(make_article):
    make_article(key="both", published="2023-02-07", en=EN, sr=SR)
    make_article(
        key="en-only", published="2024-10-04", en={"title": "Visit to Niš", "body": "<p>x</p>"}
    )
    make_article(key="draft", status="draft", en={"title": "Draft", "slug": "draft"})


@pytest.mark.parametrize(
    ("prefix", "lang", "titles"),
    [
        ("en", "en", ["Visit to Niš", "Cooperation in Ljubljana"]),
        ("sr-cyrl", "sr-Cyrl", ["Сарадња у Љубљани"]),
        ("sr-latn", "sr-Latn", ["Saradnja u Ljubljani"]),
    ],
)
def test_atom_feed_per_locale(client, content, prefix, lang, titles):
    response = client.get(f"/{prefix}/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == lang
    assert feed.feed.id == f"tag:localhost,2022:feed/{prefix}"
    assert {link.rel: link.href for link in feed.feed.links} == {
        "self": f"http://localhost/{prefix}/feed.atom",
        "alternate": f"http://localhost/{prefix}/",
    }
    assert [entry.title for entry in feed.entries] == titles
    entry = feed.entries[-1]
    assert entry.id == f"tag:localhost,2022:article/both/{prefix}"
    assert entry.link.startswith(f"http://localhost/{prefix}/news/2023/")
    assert entry.published.startswith("2023-02-06T23:00:00")  # midnight in Belgrade
    assert entry.updated
    if prefix == "sr-latn":
        assert entry.summary == "Sažetak o Ljubljani."


def test_entry_ids_survive_slug_changes(client, content, make_article):
    make_article(key="both", published="2023-02-07", en={**EN, "slug": "renamed"}, sr=SR)
    feed = feedparser.parse(client.get("/en/feed.atom").data)
    entry = next(e for e in feed.entries if e.title == EN["title"])
    assert entry.id == "tag:localhost,2022:article/both/en"
    assert entry.link.endswith("/en/news/2023/renamed/")


def test_every_page_advertises_its_feed(client, content):
    html = client.get("/sr-latn/news/").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'href="http://localhost/sr-latn/feed.atom"' in html
    )


def test_sitemap_lists_every_public_page_with_alternates(client, content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    urls = {
        url.find("s:loc", NS).text: (
            url.find("s:lastmod", NS),
            {a.get("hreflang"): a.get("href") for a in url.findall("x:link", NS)},
        )
        for url in root.findall("s:url", NS)
    }
    base = "http://localhost"
    for prefix in ("en", "sr-cyrl", "sr-latn"):
        for path in ("", "news/", "news/2023/"):
            assert f"{base}/{prefix}/{path}" in urls
    article = f"{base}/sr-latn/news/2023/saradnja-u-ljubljani/"
    lastmod, alternates = urls[article]
    assert lastmod is not None and re.match(r"\d{4}-\d\d-\d\dT", lastmod.text)
    assert alternates == {
        "en": f"{base}/en/news/2023/cooperation-in-ljubljana/",
        "sr-Cyrl": f"{base}/sr-cyrl/news/2023/saradnja-u-ljubljani/",
        "sr-Latn": article,
    }
    assert f"{base}/en/news/2024/visit-to-nis/" in urls
    assert f"{base}/en/news/2024/" in urls and f"{base}/sr-cyrl/news/2024/" not in urls
    assert not any("visit-to-nis" in url and "/sr-" in url for url in urls)
    assert not any("draft" in url or "/search/" in url or "/admin" in url for url in urls)


def test_robots_points_to_sitemap(client):
    response = client.get("/robots.txt")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /en/search/" in text


def test_meta_description_and_open_graph(client, content):
    html = client.get("/sr-latn/news/2023/saradnja-u-ljubljani/").get_data(as_text=True)
    meta = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', html))
    assert meta["description"] == "Sažetak o Ljubljani."
    assert meta["og:title"] == "Saradnja u Ljubljani"
    assert meta["og:description"] == "Sažetak o Ljubljani."
    assert meta["og:type"] == "article"
    assert meta["og:locale"] == "sr_Latn_RS"
    alternates = re.findall(r'<meta property="og:locale:alternate" content="([^"]+)">', html)
    assert alternates == ["en_GB", "sr_RS"]
    html = client.get("/en/news/2024/visit-to-nis/").get_data(as_text=True)
    assert "og:locale:alternate" not in html
