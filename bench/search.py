"""Search benchmark: build N synthetic articles through the import, then time mlo.search.run.

    make bench                                   # SQLite, N = 1000 and 20000
    .venv/bin/python bench/search.py --sizes 1000 --repeat 3 --detail

PostgreSQL is measured too when MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL (or --postgres) points
at one. It works in its own schema, mlo_bench, created and dropped here: no other table is touched.
"""

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy import text
from sqlalchemy.engine import make_url

from mlo import create_app, db, search
from mlo.content import transfer
from mlo.text.slugs import slugify
from mlo.web.urls import newsroom

TARGET_MS = 30.0
TARGET_SIZE = 20_000
PG_SCHEMA = "mlo_bench"
FIRST_DAY = datetime(2015, 1, 1, 7, 0)
DAYS = 3650

# (locale prefix, query): scripts, diacritics, case, inflection, several words, search syntax,
# a rare word (about one article in 500) and a word in nearly every article.
QUERIES: tuple[tuple[str, str], ...] = (
    ("sr-cyrl", "Београд"),
    ("sr-latn", "Beogradu"),
    ("sr-cyrl", "састанку"),
    ("sr-latn", "SASTANAK"),
    ("sr-latn", "ČAČAK"),
    ("sr-latn", "Đoković"),
    ("sr-latn", "djokovica"),
    ("sr-latn", "cevapa"),
    ("sr-cyrl", "сарадња Београд"),
    ("sr-latn", "sastanak o saradnji u Nišu"),
    ("sr-latn", '"saradnja" AND (Beograd OR Čačak)* NEAR(x'),
    ("sr-latn", "Đerdap"),
    ("sr-cyrl", "сарадња"),
    ("en", "military education"),
    ("en", "Belgrade meeting"),
    ("en", 'cooperation OR "joint statement" -Niš*'),
    ("en", "Iron Gates"),
    ("en", "cooperation"),
)


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


def build(app: Flask, size: int, batch: int, seed: int) -> float:
    """Import `size` articles in batches (one commit each); articles per second of import."""
    rng = random.Random(seed)
    spent = 0.0
    for start in range(0, size, batch):
        records = [make_record(i, rng) for i in range(start, min(size, start + batch))]
        with app.app_context():
            began = time.perf_counter()
            db.begin_write()
            transfer.import_document(records, app.config["NEWSROOM_TIMEZONE"])
            db.dbsession.commit()
            spent += time.perf_counter() - began
        progress(f"  built {start + len(records)}/{size}")
    return size / spent


@dataclass
class Timing:
    """The timed runs of one query (ms), its number of hits, and whether it was timed only once."""

    samples: list[float] = field(default_factory=list)
    hits: int = 0
    once: bool = False


def measure(app: Flask, repeat: int, budget: float) -> dict[tuple[str, str], Timing]:
    """Time every query `repeat` times after a warm-up run, in rounds over the whole query set."""
    # A query whose warm-up takes longer than `budget` seconds is not run again: its warm-up time
    # stands for all its runs, so that a pathological plan cannot stall the benchmark for hours.
    timings = {key: Timing() for key in QUERIES}
    for round_ in range(repeat + 1):
        for key, timing in timings.items():
            if timing.once:
                continue
            elapsed, timing.hits = timed_search(app, *key)
            if round_:
                timing.samples.append(elapsed)
            elif elapsed > budget * 1000:
                timing.samples, timing.once = [elapsed] * repeat, True
    return timings


def timed_search(app: Flask, prefix: str, query: str) -> tuple[float, int]:
    """One search as a request would run it (fresh app context and session): ms and hits."""
    with app.test_request_context(f"/{prefix}/search/", query_string={"q": query}):
        app.preprocess_request()  # sets g.locale from the URL
        began = time.perf_counter()
        config = app.config
        limits = search.Limits(
            config["SEARCH_MAX_QUERY"], config["SEARCH_MAX_WORDS"], config["SEARCH_PAGE_SIZE"]
        )
        result = search.run(query, g.locale, newsroom(), 1, limits)
        return (time.perf_counter() - began) * 1000, result.total


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A SQLite file in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mlo-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """The database at `url`, confined to a fresh mlo_bench schema that is dropped afterwards."""
    engine = db.make_engine(url)

    def reset(create: bool) -> None:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            if create:
                connection.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))

    reset(create=True)
    try:
        confined = make_url(url).update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"})
        yield confined.render_as_string(hide_password=False)
    finally:
        reset(create=False)
        engine.dispose()


def postgres_url(explicit: str | None) -> str | None:
    """The PostgreSQL URL to use: --postgres, else MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL."""
    candidates = [
        explicit,
        os.environ.get("MLO_DATABASE_URL"),
        os.environ.get("MLO_TEST_POSTGRES_URL"),
    ]
    return next((url for url in candidates if url and url.startswith("postgresql")), None)


def run_one(
    backend: str, database: AbstractContextManager[str], size: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Build and measure one database; a row of the results table."""
    with database as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_schema()
        progress(f"{backend}, N={size}: building")
        rate = build(app, size, args.batch, args.seed)
        if backend == "postgresql":
            with app.app_context():  # what autovacuum would have done by now
                db.dbsession.execute(text("ANALYZE"))
                db.dbsession.commit()
        progress(f"{backend}, N={size}: searching")
        timings = measure(app, args.repeat, args.budget)
        with app.app_context():
            db.engine().dispose()
    samples = [ms for timing in timings.values() for ms in timing.samples]
    medians = {q: statistics.median(timing.samples) for q, timing in timings.items()}
    slowest = max(medians, key=medians.__getitem__)
    return {
        "backend": backend,
        "size": size,
        "rate": rate,
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "slowest": f"{slowest[0]} {slowest[1]!r} ({medians[slowest]:.1f} ms)",
        "detail": [(q, medians[q], percentile(t.samples, 0.95), t) for q, t in timings.items()],
    }


def report(rows: list[dict[str, Any]], detail: bool) -> None:
    """Print the results table, the per-query figures if asked, and the verdict on the target."""
    print(f"{'backend':<11} {'N':>6} {'build art/s':>11} {'median ms':>9} {'p95 ms':>7}  slowest")
    for row in rows:
        print(
            f"{row['backend']:<11} {row['size']:>6} {row['rate']:>11.0f} {row['median']:>9.1f}"
            f" {row['p95']:>7.1f}  {row['slowest']}"
        )
    if detail:
        for row in rows:
            print(f"\n{row['backend']}, N={row['size']}: median ms, p95 ms, hits (* timed once)")
            for (prefix, query), median, p95, timing in row["detail"]:
                once = "*" if timing.once else " "
                print(f"  {median:>9.1f} {p95:>9.1f}{once} {timing.hits:>6}  {prefix:<8} {query}")
    target = [r for r in rows if r["backend"] == "sqlite" and r["size"] == TARGET_SIZE]
    goal = f"target p95 < {TARGET_MS:.0f} ms at N={TARGET_SIZE} on SQLite"
    if not target:
        print(f"\n{goal}: not measured (add {TARGET_SIZE} to --sizes)")
    else:
        p95 = target[0]["p95"]
        print(f"\n{goal}: {'met' if p95 < TARGET_MS else 'NOT met'} (p95 {p95:.1f} ms)")


def progress(message: str) -> None:
    """A progress line on stderr, so that stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, benchmark every backend and size, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000", help="comma-separated N (1000,20000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (7)")
    parser.add_argument(
        "--budget", type=float, default=10, help="seconds; slower queries are timed once (10)"
    )
    parser.add_argument("--batch", type=int, default=500, help="articles per import commit (500)")
    parser.add_argument("--seed", type=int, default=2023, help="random seed (2023)")
    parser.add_argument("--postgres", help="PostgreSQL URL (default: from the environment)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--detail", action="store_true", help="also print per-query figures")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    backends: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [
        ("sqlite", sqlite_database)
    ]
    pg_url = None if args.no_postgres else postgres_url(args.postgres)
    if pg_url:
        backends.append(("postgresql", lambda: postgres_database(pg_url)))
    rows = [run_one(name, database(), size, args) for name, database in backends for size in sizes]
    report(rows, args.detail)


if __name__ == "__main__":
    main()
