"""Scale benchmark: uncached listing, feed, sitemap and search pages at N synthetic articles.

    make bench
    .venv/bin/python bench/scale.py --sizes 1000,20000 --renders 10 --no-postgres

For each size (1,000, 20,000 and 100,000 articles by default) on SQLite, and on PostgreSQL when
MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL (or --postgres) points at one, it renders each page
in process with the page cache off (PAGE_CACHE False) and prints the median and p95: the
newsroom's first page and page 500 (its last page when it has fewer), a year archive, a feed,
the sitemap (of a sitemap index: the first, second and last file) and a search for a common word
and for a rare one. The target is under 15 ms for each page at every size on both backends;
figures over it are starred. The databases are built once and kept (see bench/common.py).
"""

import argparse

from common import (
    COMMON_WORD,
    RARE_WORD,
    backends,
    bench_app,
    database_options,
    expect_ok,
    news_database,
    print_renders,
    progress,
    search_path,
    sitemap_files,
    time_get,
    year_path,
)
from flask.testing import FlaskClient

from mlo import db

TARGET_MS = 15.0
LOCALE = "sr-latn"
DEEP_PAGE = 500


def pages(client: FlaskClient) -> dict[str, str]:
    """The pages to time, by label."""
    deep = deepest_page(client, DEEP_PAGE)
    return {
        "newsroom": f"/{LOCALE}/news/",
        f"newsroom page {deep}": f"/{LOCALE}/news/?page={deep}",
        "year archive": year_path(client, LOCALE),
        "feed": f"/{LOCALE}/feed.atom",
        **sitemaps(client),
        "search, common word": search_path(*COMMON_WORD),
        "search, rare word": search_path(*RARE_WORD),
    }


def sitemaps(client: FlaskClient) -> dict[str, str]:
    """The sitemap, or of a sitemap index its first, second and last files, by label."""
    files = sitemap_files(client)
    if len(files) == 1:
        return {"sitemap": files[0]}
    labels = {}
    for number in sorted({1, 2, len(files)}):
        urls = expect_ok(client, files[number - 1]).count("<url>")
        labels[f"sitemap {number}/{len(files)}, {urls} URLs"] = files[number - 1]
    return labels


def deepest_page(client: FlaskClient, limit: int) -> int:
    """The newsroom's page `limit`, or its last page if it has fewer (found by halving)."""
    low, high = 1, limit
    while low < high:
        middle = (low + high + 1) // 2
        if client.get(f"/{LOCALE}/news/?page={middle}").status_code == 200:
            low = middle
        else:
            high = middle - 1
    return low


def measure(
    backend: str, pg_url: str | None, size: int, args: argparse.Namespace
) -> list[tuple[str, str, list[float]]]:
    """Every page's render times on one database: (label, path, ms samples)."""
    database = news_database(size, pg_url, args.seed)
    app = bench_app(database.url, PAGE_CACHE=False)
    client = app.test_client()
    progress(f"{backend}, N={size}: rendering")
    rows = [
        (label, path, time_get(client, path, args.renders, args.budget))
        for label, path in pages(client).items()
    ]
    with app.app_context():
        db.engine().dispose()
    return rows


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, time the pages on every backend and size, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000,100000", help="comma-separated N")
    parser.add_argument("--renders", type=int, default=20, help="timed renders a page (20)")
    parser.add_argument("--budget", type=float, default=5, help="seconds of renders a page (5)")
    database_options(parser)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = [
        (backend, size, measure(backend, url, size, args))
        for backend, url in backends(args)
        for size in sizes
    ]
    for backend, size, rows in results:
        title = f"uncached render in process (PAGE_CACHE off), {size} articles, {backend}"
        print_renders(title, rows, TARGET_MS)


if __name__ == "__main__":
    main()
