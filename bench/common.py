"""What the benchmarks share: synthetic articles, databases of them kept between runs, timing.

A database of N synthetic articles is built once and kept: SQLite files under bench/.data/ (not
in git), PostgreSQL schemas mlo_bench_<N> in the database the URL names. When the migrations
have a new head it is upgraded, as a site's database would be; it is built again if that fails,
when the generator changes (DATA_VERSION) or for another seed. Delete bench/.data/ or drop the
schemas to reclaim the space.
"""

import argparse
import fcntl
import json
import logging
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import alembic.script
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from mlo import create_app, db
from mlo.content import transfer
from mlo.text.slugs import slugify

FIRST_DAY = datetime(2015, 1, 1, 7, 0)
DAYS = 3650
SEED = 2023
BATCH = 500
# Bump whenever make_record changes what it writes: every kept database is then built again.
DATA_VERSION = 1
CACHE = Path(__file__).resolve().parent / ".data"
LOCALES = ("en", "sr-cyrl", "sr-latn")
# Words of the synthetic articles: one in nearly every article, one in about one in 500.
COMMON_WORD = ("en", "cooperation")
RARE_WORD = ("sr-latn", "Đerdap")


@dataclass(frozen=True)
class Noun:
    """A noun phrase in English and in the Serbian cases the templates use."""

    en: str
    nom: str
    gen: str
    loc: str
    acc: str


def nouns(table: str) -> list[Noun]:
    """Nouns from lines of 'en | nominative | genitive | locative | accusative'."""
    return [
        Noun(*(part.strip() for part in line.split("|"))) for line in table.strip().splitlines()
    ]


CITIES = nouns("""
Belgrade | Београд | Београда | Београду | Београд
Novi Sad | Нови Сад | Новог Сада | Новом Саду | Нови Сад
Niš | Ниш | Ниша | Нишу | Ниш
Kragujevac | Крагујевац | Крагујевца | Крагујевцу | Крагујевац
Čačak | Чачак | Чачка | Чачку | Чачак
Užice | Ужице | Ужица | Ужицу | Ужице
Ljubljana | Љубљана | Љубљане | Љубљани | Љубљану
Brussels | Брисел | Брисела | Бриселу | Брисел
Naples | Напуљ | Напуља | Напуљу | Напуљ
Podgorica | Подгорица | Подгорице | Подгорици | Подгорицу
Skopje | Скопље | Скопља | Скопљу | Скопље
Sarajevo | Сарајево | Сарајева | Сарајеву | Сарајево
""")
EVENTS = nouns("""
meeting | састанак | састанка | састанку | састанак
conference | конференција | конференције | конференцији | конференцију
exercise | вежба | вежбе | вежби | вежбу
visit | посета | посете | посети | посету
seminar | семинар | семинара | семинару | семинар
workshop | радионица | радионице | радионици | радионицу
round of talks | рунда разговора | рунде разговора | рунди разговора | рунду разговора
""")
TOPICS = nouns("""
cooperation | сарадња | сарадње | сарадњи | сарадњу
defence reform | реформа одбране | реформе одбране | реформи одбране | реформу одбране
demining | разминирање | разминирања | разминирању | разминирање
peacekeeping | мировна мисија | мировне мисије | мировној мисији | мировну мисију
crisis management | управљање кризама | управљања кризама | управљању кризама | управљање кризама
military education | војно образовање | војног образовања | војном образовању | војно образовање
cyber security | сајбер безбедност | сајбер безбедности | сајбер безбедности | сајбер безбедност
civil protection | цивилна заштита | цивилне заштите | цивилној заштити | цивилну заштиту
flood relief | помоћ у поплавама | помоћи у поплавама | помоћи у поплавама | помоћ у поплавама
""")
PEOPLE = nouns("""
the Head of the Liaison Office | шеф Канцеларије за везу | шефа Канцеларије за везу | шефу Канцеларије за везу | шефа Канцеларије за везу
the Minister of Defence | министар одбране | министра одбране | министру одбране | министра одбране
the Chief of the General Staff | начелник Генералштаба | начелника Генералштаба | начелнику Генералштаба | начелника Генералштаба
the ambassador | амбасадор | амбасадора | амбасадору | амбасадора
the commander of the Military Academy | командант Војне академије | команданта Војне академије | команданту Војне академије | команданта Војне академије
""")  # noqa: E501
ORGS = nouns("""
the Ministry of Defence | Министарство одбране | Министарства одбране | Министарству одбране | Министарство одбране
the Serbian Armed Forces | Војска Србије | Војске Србије | Војсци Србије | Војску Србије
the University of Defence | Универзитет одбране | Универзитета одбране | Универзитету одбране | Универзитет одбране
the Red Cross | Црвени крст | Црвеног крста | Црвеном крсту | Црвени крст
local municipalities | локалне самоуправе | локалних самоуправа | локалним самоуправама | локалне самоуправе
the Partnership for Peace programme | програм Партнерство за мир | програма Партнерство за мир | програму Партнерство за мир | програм Партнерство за мир
""")  # noqa: E501
MONTHS = nouns("""
January | јануар | јануара | јануару | јануар
March | март | марта | марту | март
May | мај | маја | мају | мај
June | јун | јуна | јуну | јун
September | септембар | септембра | септембру | септембар
November | новембар | новембра | новембру | новембар
""")

# (English, Serbian) templates; {city_loc} is the Serbian locative, {city} the English, and so on.
TITLES = (
    ("{Event} on {topic} in {city}", "{event_nom} о {topic_loc} у {city_loc}"),
    ("{Person} visits {city}", "{person_nom} у посети {city_loc}"),
    ("{Topic} at the centre of talks in {city}", "{topic_nom} у центру разговора у {city_loc}"),
    ("Cooperation between {city} and {city2}", "Сарадња {city_gen} и {city2_gen}"),
)
SUMMARY = ("{Person} held a {event} on {topic} in {city}.", "{person_nom} је одржао {event_acc} о {topic_loc} у {city_loc}.")  # fmt: skip  # noqa: E501
SENTENCES = (
    SUMMARY,
    ("The {event} was attended by representatives of {org} and {org2}.",
     "На {event_loc} су учествовали представници {org_gen} и {org2_gen}."),
    ("Participants from {city} and {city2} discussed {topic} and the next steps.",
     "Учесници из {city_gen} и {city2_gen} разговарали су о {topic_loc} и наредним корацима."),
    ("{Person} said that {topic} remains a priority for both sides.",
     "{person_nom} је рекао да {topic_nom} остаје приоритет за обе стране."),
    ("The next meeting is planned for {month} in {city2}.",
     "Наредни састанак планиран је за {month_acc} у {city2_loc}."),
    ("Since {year}, the office has supported {n} projects in {topic}.",
     "Од {year}. године Канцеларија је подржала {n} пројеката у области {topic_gen}."),
    ("Journalists asked about the {event} in {city} and about {topic}.",
     "Новинари су питали о {event_loc} у {city_loc} и о {topic_loc}."),
    ("Representatives of {org} thanked the hosts from {city} for their hospitality.",
     "Представници {org_gen} захвалили су домаћинима из {city_gen} на гостопримству."),
    ("During the {event}, the results of cooperation so far were presented.",
     "Током {event_gen} представљени су резултати досадашње сарадње."),
    ("Everyone agreed that the cooperation should continue next year.",
     "Сви су се сложили да сарадња треба да се настави и следеће године."),
    ("The talks in {city} ended with a joint statement.",
     "Разговори у {city_loc} завршени су заједничком изјавом."),
    ("The programme is financed through the Partnership for Peace.",
     "Програм се финансира кроз Партнерство за мир."),
    ("Local media reported widely on the event in {city2}.",
     "Локални медији су опширно извештавали о догађају у {city2_loc}."),
    ("Both sides stressed the importance of transparency and mutual trust.",
     "Обе стране су нагласиле значај транспарентности и међусобног поверења."),
    ("Particular attention was paid to young officers and their training.",
     "Посебна пажња посвећена је младим официрима и њиховој обуци."),
    ("Interpreters worked in English and Serbian throughout the day.",
     "Преводиоци су током целог дана радили на енглеском и српском језику."),
    ("Further information is available from the Public Affairs Office.",
     "Додатне информације доступне су у Канцеларији за односе с јавношћу."),
)  # fmt: skip
LEISURE = (
    ("After the {event}, the guests tried the famous ćevapi of {city}.",
     "После {event_gen} гости су пробали чувене ћевапе из {city_gen}."),
    ("A portion of ćevapi in {city} was the most talked-about part of the day.",
     "Порција ћевапа у {city_loc} била је најпомињанији део дана."),
    ("Over dinner, talk kept turning to Novak Đoković and his latest win.",
     "За вечером се разговор стално враћао на Новака Ђоковића и његову последњу победу."),
    ("Đoković, the hosts said, is the best-known Serbian athlete abroad.",
     "Ђоковић је, како су рекли домаћини, најпознатији српски спортиста у свету."),
    ("Ćevapi and Đoković: the two things every visitor remembers.",
     "Ћевапи и Ђоковић: две ствари које памти сваки посетилац."),
)  # fmt: skip
RARE = (
    "On the way back, the delegation stopped at the Iron Gates in the Đerdap gorge.",
    "На повратку се делегација зауставила код Гвоздених врата у Ђердапској клисури.",
)


def cap(value: str) -> str:
    """The value with its first letter in upper case."""
    return value[:1].upper() + value[1:]


def slots(rng: random.Random, article: dict[str, str]) -> dict[str, str]:
    """Template fields: the article's own nouns plus a fresh second city, organisations, etc."""
    fields = dict(article)
    for name, table in (("city2", CITIES), ("org", ORGS), ("org2", ORGS), ("month", MONTHS)):
        fields |= noun_fields(name, rng.choice(table))
    return fields | {"year": str(rng.randint(2006, 2014)), "n": str(rng.randint(5, 20))}


def noun_fields(name: str, noun: Noun) -> dict[str, str]:
    """{name}, {Name} (English), {name_nom}, {name_gen}, {name_loc}, {name_acc} (Serbian)."""
    return {
        name: noun.en,
        cap(name): cap(noun.en),
        f"{name}_nom": noun.nom,
        f"{name}_gen": noun.gen,
        f"{name}_loc": noun.loc,
        f"{name}_acc": noun.acc,
    }


def make_record(index: int, rng: random.Random) -> dict[str, Any]:
    """One synthetic article in the import format: English and Serbian Cyrillic, 150-300 words."""
    city = CITIES[0] if rng.random() < 0.4 else rng.choice(CITIES)
    article = (
        noun_fields("city", city)
        | noun_fields("event", rng.choice(EVENTS))
        | noun_fields("topic", rng.choice(TOPICS))
        | noun_fields("person", rng.choice(PEOPLE))
    )
    pool = SENTENCES + (LEISURE if rng.random() < 0.3 else ())
    pairs = [fill(SUMMARY, rng, article)]
    target = rng.randint(150, 300)
    while sum(len(en.split()) for en, _ in pairs) < target:
        pairs.append(fill(rng.choice(pool), rng, article))
    if rng.random() < 0.002:
        pairs.insert(rng.randint(1, len(pairs)), RARE)
    title = fill(rng.choice(TITLES), rng, article)
    published = FIRST_DAY + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
    return {
        "key": f"bench-{index:06d}",
        "published": published.isoformat(),
        "status": "draft" if rng.random() < 0.03 else "published",
        "source": "sr" if rng.random() < 0.2 else "en",
        "translations": {
            lang: {
                "title": title[side],
                "slug": f"{slugify(title[side])}-{index}",
                "summary": pairs[0][side],
                "body": paragraphs([pair[side] for pair in pairs[1:]], rng),
            }
            for side, lang in enumerate(("en", "sr"))
        },
    }


def fill(template: tuple[str, str], rng: random.Random, article: dict[str, str]) -> tuple[str, str]:
    """An (English, Serbian) template filled in with one set of slots."""
    fields = slots(rng, article)
    en, sr = template
    return cap(en.format(**fields)), cap(sr.format(**fields))


def paragraphs(sentences: list[str], rng: random.Random) -> str:
    """Sentences as HTML paragraphs of three to five sentences."""
    out, start = [], 0
    while start < len(sentences):
        end = start + rng.randint(3, 5)
        out.append(f"<p>{' '.join(sentences[start:end])}</p>")
        start = end
    return "\n".join(out)


def bench_app(url: str, **config: Any) -> Flask:
    """An mlo app on the database at `url`, with test-style configuration."""
    # The app logs every request it serves; thousands of lines would bury the figures.
    logging.disable(logging.INFO)
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", **config})


def import_batches(
    app: Flask, record: Callable[[int], dict[str, Any]], size: int, batch: int = BATCH
) -> float:
    """Import records 0 to size-1 through the import, one commit a batch: articles a second."""
    spent = 0.0
    for start in range(0, size, batch):
        records = [record(index) for index in range(start, min(size, start + batch))]
        with app.app_context():
            began = time.perf_counter()
            db.begin_write()
            transfer.import_document(records, app.config["NEWSROOM_TIMEZONE"])
            db.dbsession.commit()
            spent += time.perf_counter() - began
            if db.engine().dialect.name == "postgresql":
                # What autovacuum would do meanwhile (it may be off, as on a test server):
                # without statistics, plans chosen on an empty table make each insert slower.
                db.dbsession.execute(text("ANALYZE"))
                db.dbsession.commit()
        done = start + len(records)
        progress(f"  imported {done}/{size} ({done / spent:.0f} articles/s)")
    return size / spent


@dataclass(frozen=True)
class NewsDatabase:
    """A database of synthetic articles, and how fast its import ran (articles a second)."""

    url: str
    size: int
    rate: float


def news_database(size: int, pg_url: str | None = None, seed: int = SEED) -> NewsDatabase:
    """The database of `size` synthetic articles (on PostgreSQL if `pg_url` is given): a kept
    one, upgraded if the migrations have moved on, else one built now."""
    stamp = {"data": DATA_VERSION, "seed": seed, "head": migration_head()}
    if pg_url:
        return _postgres_news(pg_url, size, stamp)
    return _sqlite_news(size, stamp)


def migration_head() -> str:
    """The newest migration's revision."""
    scripts = alembic.script.ScriptDirectory.from_config(db.alembic_config())
    return str(scripts.get_current_head())


def _sqlite_news(size: int, stamp: dict[str, Any]) -> NewsDatabase:
    # news-<size>-s<seed>-d<data version>-<head>.sqlite3, its stamp and rate in a .json beside.
    prefix = f"news-{size}-s{stamp['seed']}-d{stamp['data']}-"
    path = CACHE / f"{prefix}{stamp['head']}.sqlite3"
    info = path.with_suffix(".json")
    CACHE.mkdir(exist_ok=True)
    with (CACHE / f"news-{size}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run is building it: wait, then use it
        older = sorted(kept for kept in CACHE.glob(f"{prefix}*.json") if kept != info)
        if not info.exists() and older and older[-1].with_suffix(".sqlite3").exists():
            progress(f"upgrading {older[-1].with_suffix('.sqlite3')}")
            move_sqlite(older[-1].with_suffix(".sqlite3"), path)
            info.write_text(json.dumps(stamp | {"rate": json.loads(older[-1].read_text())["rate"]}))
        if not (info.exists() and upgraded(sqlite_url(path))):
            # Built under another name, renamed once complete: an interrupted build is not kept.
            partial = CACHE / f"{prefix}partial"
            move_sqlite(partial, None)
            rate = build_news(sqlite_url(partial), size, stamp["seed"])
            move_sqlite(partial, path)
            info.write_text(json.dumps(stamp | {"rate": rate}))
        for stale in CACHE.glob(f"news-{size}-*"):
            if not stale.name.startswith(path.stem):
                stale.unlink()
    return NewsDatabase(sqlite_url(path), size, json.loads(info.read_text())["rate"])


def move_sqlite(source: Path, target: Path | None) -> None:
    """Rename a SQLite file with its write-ahead log and shared memory, if any (or with no
    target, delete them)."""
    for suffix in ("", "-wal", "-shm"):
        part = source.with_name(source.name + suffix)
        if not part.exists():
            continue
        if target is None:
            part.unlink()
        else:
            part.rename(target.with_name(target.name + suffix))


def _postgres_news(url: str, size: int, stamp: dict[str, Any]) -> NewsDatabase:
    # The schema's comment holds the stamp and rate, written once the schema is complete.
    schema = f"mlo_bench_{size}"
    confined_url = confined(url, schema)
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            # Another run is building it: wait, then use it.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": schema}
            )
            comment = connection.scalar(
                text(
                    "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace"
                    " WHERE nspname = :name"
                ),
                {"name": schema},
            )
            kept = json.loads(comment) if comment else {}
            if kept.get("data") != stamp["data"] or kept.get("seed") != stamp["seed"]:
                kept = {}
            if not (kept and upgraded(confined_url)):
                reset_schema(engine, schema, create=True)
                kept = {"rate": build_news(confined_url, size, stamp["seed"])}
            kept = stamp | {"rate": kept["rate"]}
            literal = json.dumps(kept).replace("'", "''")
            connection.execute(text(f"COMMENT ON SCHEMA {schema} IS '{literal}'"))
    finally:
        engine.dispose()
    return NewsDatabase(confined_url, size, kept["rate"])


def build_news(url: str, size: int, seed: int) -> float:
    """Migrate the empty database at `url` and import `size` synthetic articles: articles/s."""
    progress(f"building {size} articles in {make_url(url).render_as_string()}")
    app = bench_app(url)
    with app.app_context():
        db.create_schema()
    rng = random.Random(seed)
    rate = import_batches(app, lambda index: make_record(index, rng), size)
    settle(app)
    return rate


def upgraded(url: str) -> bool:
    """Bring a kept database to the newest schema, as a site's would be (a no-op if it is);
    False if that fails (an edited or removed migration): it is then to be built anew."""
    app = bench_app(url)
    try:
        with app.app_context():
            db.create_schema()
    except Exception as error:  # whatever it is, the database is to be built anew
        progress(f"  could not: {error!r}; building it anew")
        with app.app_context():
            db.engine().dispose()
        return False
    settle(app)
    return True


def settle(app: Flask) -> None:
    """Leave the app's database ready to be read by others, and close it."""
    with app.app_context():
        if db.engine().dialect.name == "postgresql":  # what autovacuum would have done by now
            db.dbsession.execute(text("ANALYZE"))
            db.dbsession.commit()
        else:  # the file alone holds everything, ready to be renamed
            db.dbsession.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.dbsession.close()
        db.engine().dispose()


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file."""
    return f"sqlite:///{path}"


def confined(url: str, schema: str) -> str:
    """The PostgreSQL `url` with its search path set to `schema` alone."""
    options = {"options": f"-csearch_path={schema}"}
    return make_url(url).update_query_dict(options).render_as_string(hide_password=False)


def reset_schema(engine: Any, schema: str, create: bool) -> None:
    """Drop `schema` with everything in it; create it again, empty, if asked."""
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        if create:
            connection.execute(text(f"CREATE SCHEMA {schema}"))


@contextmanager
def scratch_database(pg_url: str | None, name: str) -> Iterator[str]:
    """An empty database for one run, removed afterwards: a SQLite file in a temporary folder,
    or with `pg_url` a schema mlo_bench_<name> of its own."""
    if not pg_url:
        with tempfile.TemporaryDirectory(prefix=f"mlo-bench-{name}-") as folder:
            yield sqlite_url(Path(folder) / "bench.sqlite3")
        return
    schema, engine = f"mlo_bench_{name}", db.make_engine(pg_url)
    reset_schema(engine, schema, create=True)
    try:
        yield confined(pg_url, schema)
    finally:
        reset_schema(engine, schema, create=False)
        engine.dispose()


def database_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that choose the databases: --seed, --postgres, --no-postgres."""
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    parser.add_argument("--postgres", help="PostgreSQL URL (default: from the environment)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")


def backends(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """The backends to measure: ("sqlite", None), then ("postgresql", its URL) if one is set."""
    pg_url = None if args.no_postgres else postgres_url(args.postgres)
    return [("sqlite", None)] + ([("postgresql", pg_url)] if pg_url else [])


def postgres_url(explicit: str | None) -> str | None:
    """The PostgreSQL URL to use: `explicit`, else MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL."""
    candidates = [
        explicit,
        os.environ.get("MLO_DATABASE_URL"),
        os.environ.get("MLO_TEST_POSTGRES_URL"),
    ]
    return next((url for url in candidates if url and url.startswith("postgresql")), None)


def time_get(client: FlaskClient, path: str, count: int, budget: float) -> list[float]:
    """Milliseconds of `count` GETs of `path` after an untimed one; fewer once they have taken
    `budget` seconds in all, so that a very slow page cannot stall the benchmark; none if the
    page does not answer 200."""
    status = client.get(path).status_code
    if status != 200:
        progress(f"  GET {path}: {status}, expected 200; not timed")
        return []
    samples: list[float] = []
    while len(samples) < count and sum(samples) < budget * 1000:
        began = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def expect_ok(client: FlaskClient, path: str) -> str:
    """The page at `path`; RuntimeError if it is not a 200 (a benchmark of an error page would
    mislead)."""
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}, expected 200")
    return response.get_data(as_text=True)


def article_path(client: FlaskClient, loc: str) -> str:
    """The newest article in locale `loc`, from the newsroom's first page."""
    return first_link(client, f"/{loc}/news/", rf"/{loc}/news/\d{{4}}/[a-z0-9-]+/")


def year_path(client: FlaskClient, loc: str) -> str:
    """The first year archive the newsroom of `loc` links to."""
    return first_link(client, f"/{loc}/news/", rf"/{loc}/news/\d{{4}}/")


def first_link(client: FlaskClient, page: str, pattern: str) -> str:
    """The path of the first link on `page` whose whole path matches `pattern`."""
    html = expect_ok(client, page)
    found = re.search(rf'href="(?:https?://[^/"]+)?({pattern})"', html)
    if not found:
        raise RuntimeError(f"GET {page}: no link like {pattern}")
    return found.group(1)


def sitemap_files(client: FlaskClient) -> list[str]:
    """The files /sitemap.xml lists if it is a sitemap index, else /sitemap.xml alone."""
    xml = expect_ok(client, "/sitemap.xml")
    if "<sitemapindex" not in xml:
        return ["/sitemap.xml"]
    return [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", xml)]


def search_path(loc: str, query: str) -> str:
    """The search page of `query` in locale `loc`."""
    return f"/{loc}/search/?{urlencode({'q': query})}"


def print_renders(title: str, rows: list[tuple[str, str, list[float]]], target: float) -> None:
    """A table of in-process render times (label, path, ms samples); figures over `target` ms
    are starred."""
    print(f"\n{title}")
    print(f"  {'page':<24} {'n':>3} {'median ms':>10} {'p95 ms':>8}  path")
    for label, path, samples in rows:
        if not samples:
            print(f"  {label:<24} not timed: it does not answer 200  {path}")
            continue
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(
            f"  {label:<24} {len(samples):>3} {starred(median, median > target):>10}"
            f" {starred(p95, p95 > target):>8}  {path}"
        )
    print(f"  target: under {target:.0f} ms; * over it")


def starred(value: float, missed: bool, spec: str = ".1f") -> str:
    """A figure, starred if it misses its target."""
    return f"{value:{spec}}{'*' if missed else ' '}"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def progress(message: str) -> None:
    """A progress line on stderr, so that stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)
