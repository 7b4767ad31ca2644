"""Translation memory benchmark: N synthetic bilingual articles, then time memory.suggest.

    make bench                                   # SQLite (and PostgreSQL, see below), N = 20000
    .venv/bin/python bench/memory.py --sizes 1000 --articles 10 --sample 100

The articles are imported as an editor's would be, then remembered with `memory.rebuild_all`.
Each timed call asks suggestions for a whole 40-paragraph article (both directions in turn), as
the translation page does. Recall is measured against brute force (fuzz.ratio over every unit of
the direction) on a sample of paragraphs that have matches: "normal" ones are near-duplicates
(0-4 words changed) as they occur, "hard" ones have their 2-5 rarest words replaced.

PostgreSQL is measured too when MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL (or --postgres) points
at one. It works in its own schema, mlo_bench_memory, created and dropped here; unlike the
other benchmarks it builds its database anew, since building it is part of what it measures.
"""

import argparse
import json
import random
import re
import statistics
import time
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from common import (
    BATCH,
    backends,
    database_options,
    import_batches,
    percentile,
    progress,
    scratch_database,
)
from flask import Flask
from rapidfuzz import fuzz, process
from sqlalchemy import select, text

from mlo import create_app, db
from mlo.content import memory
from mlo.content.models import Article, MemoryUnit
from mlo.text.html import plain_text
from mlo.text.words import folded_words

TARGET_MS = 200.0
TARGET_SIZE = 20_000
FIRST_DAY = datetime(2015, 1, 1, 7, 0)
QUERY_PARAGRAPHS = 40
DIRECTIONS = (("en", "sr"), ("sr", "en"))
NEAR_DUPLICATES = 0.10  # share of paragraphs that repeat an earlier one, 0-4 words changed
UNEVEN = 0.05  # share of articles whose two bodies have different block structures

# The common words are real: those of the demo content, most frequent first. A long tail of
# made-up words (English-like and Serbian-like, in Cyrillic) follows them, all Zipf-distributed.
DEMO = Path(__file__).resolve().parent.parent / "mlo" / "demo_content.json"
WORD = re.compile(r"[^\W\d_]+")
EN_SYLLABLES = (
    "b c d f g h j l m n p r s t v w br cl cr dr fl fr gl gr pl pr sc sh sl sp st tr th".split(),
    "a e i o u ea ee ai ou oa".split(),
    ["", "", "", "n", "r", "t", "s", "l", "m", "nd", "nt", "st", "rt", "ck", "ng"],
)
EN_ENDINGS = ["", "", "", "", "s", "s", "ed", "ing", "er", "ion", "ment", "al", "ity", "ly"]
SR_SYLLABLES = (
    "б в г д ђ ж з к л љ м н њ п р с т ћ ф х ц ч џ ш бр гр др кр пр тр ст сп сл пл зв".split(),
    "а е и о у".split(),
    ["", "", "", "", "н", "р", "с", "т", "л", "ј", "к", "в", "м"],
)
SR_ENDINGS = "а е и у о ом ама има их ог ој ање ост ник ски ска ско ити ио ла ању ости".split()
NAMES = (
    ("Belgrade", "Београд"), ("Novi Sad", "Нови Сад"), ("Niš", "Ниш"), ("Čačak", "Чачак"),
    ("Kragujevac", "Крагујевац"), ("Brussels", "Брисел"), ("Đoković", "Ђоковић"),
    ("NATO", "НАТО"), ("Skopje", "Скопље"), ("Podgorica", "Подгорица"),
)  # fmt: skip


class Language:
    """A synthetic language: its words Zipf-distributed, a name or number now and then."""

    def __init__(self, rng: random.Random, words: list[str], names: list[str]) -> None:
        self.rng, self.vocabulary, self.names = rng, words, names
        self.weights = list(accumulate(1 / (rank + 2.7) ** 1.05 for rank in range(len(words))))

    def words(self, count: int) -> list[str]:
        """`count` running words."""
        rng = self.rng
        out = rng.choices(self.vocabulary, cum_weights=self.weights, k=count)
        for position in range(count):
            if rng.random() < 0.03:
                out[position] = rng.choice(
                    (rng.choice(self.names), str(rng.randint(1990, 2025)), str(rng.randint(2, 500)))
                )
        return out

    def sentence(self, count: int) -> str:
        """A sentence of `count` words: capital letter, a comma perhaps, a full stop."""
        words = self.words(count)
        words[0] = words[0][:1].upper() + words[0][1:]
        if count > 8 and self.rng.random() < 0.5:
            comma = self.rng.randrange(3, count - 3)
            words[comma] += ","
        return " ".join(words) + "."

    def paragraph(self, length: int) -> str:
        """Sentences of 6 to 22 words until about `length` words."""
        sentences, total = [], 0
        while total < length:
            count = self.rng.randint(6, 22)
            sentences.append(self.sentence(count))
            total += count
        return " ".join(sentences)

    def vary(self, paragraph: str, changes: int) -> str:
        """The paragraph with `changes` words replaced by others."""
        words = paragraph.split()
        for position in self.rng.sample(range(len(words)), min(changes, len(words))):
            tail = words[position][-1] if words[position][-1] in ",." else ""
            words[position] = self.words(1)[0] + tail
        return " ".join(words)


def demo_words(lang: str) -> list[str]:
    """The words of the demo content in one language, most frequent first, as usually written."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for record in json.loads(DEMO.read_text("utf-8")):
        fields = record["translations"].get(lang)
        if fields:
            found = " ".join((fields["title"], fields.get("summary", ""), fields["body"]))
            for word in WORD.findall(plain_text(found)):
                counts[word.lower()] += 1
                forms.setdefault(word.lower(), Counter())[word] += 1
    return [forms[word].most_common(1)[0][0] for word, _ in counts.most_common()]


def made_up(
    rng: random.Random, syllables, endings: list[str], size: int, taken: set[str]
) -> list[str]:
    """`size` new words of one to three syllables and an ending."""
    onsets, vowels, codas = syllables
    found: dict[str, None] = {}
    while len(found) < size:
        count = rng.choices((1, 2, 3), weights=(0.45, 0.4, 0.15))[0]
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(count)
        )
        word += rng.choice(endings)
        if word not in taken:
            found[word] = None
    words = list(found)
    rng.shuffle(words)
    return words


def languages(seed: int) -> tuple[Language, Language]:
    """English and Serbian (Cyrillic): the demo's words, then 25,000 and 40,000 made-up ones."""
    rng = random.Random(seed)
    made = []
    for lang, syllables, endings, size in (
        ("en", EN_SYLLABLES, EN_ENDINGS, 25_000),
        ("sr", SR_SYLLABLES, SR_ENDINGS, 40_000),
    ):
        real = demo_words(lang)
        made.append(real + made_up(rng, syllables, endings, size, {w.lower() for w in real}))
    return (
        Language(rng, made[0], [en for en, _ in NAMES]),
        Language(rng, made[1], [sr for _, sr in NAMES]),
    )


@dataclass
class Generator:
    """Bilingual paragraphs, a share of them near-duplicates of earlier ones."""

    en: Language
    sr: Language
    rng: random.Random
    earlier: list[tuple[str, str]] = field(default_factory=list)
    frozen: bool = False  # new pairs are no longer candidates for repeating (the memory is built)

    def pair(self) -> tuple[tuple[str, str], bool]:
        """An (English, Serbian) paragraph pair, and whether it repeats an earlier one."""
        if self.earlier and self.rng.random() < NEAR_DUPLICATES:
            return self.repeat(), True
        length = self.rng.randint(15, 70)
        found = self.en.paragraph(length), self.sr.paragraph(length)
        if self.frozen:
            return found, False
        if len(self.earlier) < 200_000:
            self.earlier.append(found)
        else:
            self.earlier[self.rng.randrange(len(self.earlier))] = found
        return found, False

    def repeat(self) -> tuple[str, str]:
        """An earlier pair with 0 to 4 words changed on each side."""
        en, sr = self.rng.choice(self.earlier)
        changes = self.rng.randint(0, 4)
        return self.en.vary(en, changes), self.sr.vary(sr, changes)

    def record(self, index: int) -> dict[str, Any]:
        """One article in the import format, 4 to 16 paragraphs in each language."""
        rng = self.rng
        pairs = [self.pair()[0] for _ in range(rng.randint(4, 16))]
        en_body = [f"<p>{en}</p>" for en, _ in pairs]
        sr_body = [f"<p>{sr}</p>" for _, sr in pairs]
        if rng.random() < UNEVEN:  # a translator who merged two paragraphs
            sr_body[-2:] = ["<p>" + " ".join(p[3:-4] for p in sr_body[-2:]) + "</p>"]
        length = rng.randint(5, 10)
        summary = rng.randint(12, 25)
        published = FIRST_DAY + timedelta(days=rng.randrange(3650), minutes=rng.randrange(600))
        return {
            "key": f"memory-{index:06d}",
            "published": published.isoformat(),
            "source": "sr" if rng.random() < 0.2 else "en",
            "translations": {
                "en": {
                    "title": self.en.sentence(length)[:-1],
                    "slug": f"memory-{index}",
                    "summary": self.en.sentence(summary),
                    "body": "\n".join(en_body),
                },
                "sr": {
                    "title": self.sr.sentence(length)[:-1],
                    "slug": f"memory-{index}",
                    "summary": self.sr.sentence(summary),
                    "body": "\n".join(sr_body),
                },
            },
        }


def build(app: Flask, generator: Generator, size: int, batch: int) -> tuple[float, float, int]:
    """Import `size` articles in batches, then remember them all: articles per second of
    import, seconds of rebuild_all, units."""
    rate = import_batches(app, generator.record, size, batch)
    with app.app_context():
        began = time.perf_counter()
        db.begin_write()
        units = memory.rebuild_all()
        db.dbsession.commit()
        rebuilt = time.perf_counter() - began
    return rate, rebuilt, units


@dataclass
class Query:
    """Texts to find suggestions for, in one direction."""

    source: str
    target: str
    texts: list[str]


def query_articles(generator: Generator, count: int) -> list[Query]:
    """`count` new 40-paragraph articles, directions alternating."""
    generator.frozen = True
    articles = []
    for number in range(count):
        source, target = DIRECTIONS[number % 2]
        side = 0 if source == "en" else 1
        texts = [generator.pair()[0][side] for _ in range(QUERY_PARAGRAPHS)]
        articles.append(Query(source, target, texts))
    return articles


def near_duplicates(generator: Generator, count: int) -> list[Query]:
    """`count` single paragraphs repeating remembered ones (0-4 words changed), either way."""
    queries = []
    for number in range(count):
        source, target = DIRECTIONS[number % 2]
        queries.append(Query(source, target, [generator.repeat()[0 if source == "en" else 1]]))
    return queries


def timed_suggest(app: Flask, query: Query) -> float:
    """One article's suggestions as a request would ask them (fresh app context): ms."""
    with app.app_context():
        began = time.perf_counter()
        memory.suggest(query.texts, query.source, query.target)
        return (time.perf_counter() - began) * 1000


def remember_ms(app: Flask, count: int) -> list[float]:
    """Time `remember` of existing articles, as after each save (rolled back): ms each."""
    samples = []
    with app.app_context():
        ids = db.dbsession.scalars(select(Article.id).order_by(Article.id).limit(count)).all()
        for article_id in ids:
            db.begin_write()
            article = db.dbsession.get(Article, article_id)
            began = time.perf_counter()
            memory.remember(article)
            samples.append((time.perf_counter() - began) * 1000)
            db.end_write()
    return samples


class BruteForce:
    """Every unit of one direction in memory: the reference suggestions."""

    def __init__(self, app: Flask, source: str, target: str) -> None:
        with app.app_context():
            rows = db.dbsession.execute(
                select(MemoryUnit.id, MemoryUnit.source_folded, MemoryUnit.target_text)
                .where(MemoryUnit.source_lang == source, MemoryUnit.target_lang == target)
                .order_by(MemoryUnit.id)
            ).all()
        self.ids = [row.id for row in rows]
        self.folded = [row.source_folded for row in rows]
        self.targets = [row.target_text for row in rows]
        self.frequency = Counter(word for folded in self.folded for word in set(folded.split()))

    def best(self, source_text: str, limit: int = 3) -> list[int]:
        """The scores of the best `limit` suggestions, as `suggest` would give them."""
        hits = process.extract(
            folded_words(source_text),
            self.folded,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=memory.MIN_SCORE,
            limit=None,
        )
        ranked = sorted(((score, self.ids[i], i) for _, score, i in hits), reverse=True)
        scores, seen = [], set()
        for score, _, index in ranked:
            if self.targets[index] not in seen:
                seen.add(self.targets[index])
                scores.append(int(score))
                if len(scores) == limit:
                    break
        return scores

    def harden(self, rng: random.Random, language: Language, count: int) -> list[str]:
        """`count` remembered texts with their 2-5 rarest words replaced."""
        out = []
        for index in rng.sample(range(len(self.folded)), count):
            words = self.folded[index].split()
            rarest = sorted(set(words), key=lambda word: self.frequency[word])
            replaced = set(rarest[: rng.randint(2, 5)])
            out.append(
                " ".join(
                    folded_words(language.words(1)[0]) if word in replaced else word
                    for word in words
                )
            )
        return out


def recall(app: Flask, queries: list[Query], brute: dict[tuple[str, str], BruteForce]) -> float:
    """Share of the brute-force top-3 scores that `suggest` gives too (rank by rank), in %."""
    wanted = found = 0
    for query in queries:
        best = brute[query.source, query.target].best(query.texts[0])
        with app.app_context():
            [given] = memory.suggest(query.texts, query.source, query.target)
        scores = [suggestion.score for suggestion in given]
        wanted += len(best)
        found += sum(
            1 for rank, score in enumerate(best) if rank < len(scores) and scores[rank] >= score
        )
    return 100.0 * found / wanted if wanted else float("nan")


def run_one(
    backend: str, database: AbstractContextManager[str], size: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Build, time and check one database; a row of the results table."""
    en, sr = languages(args.seed)
    generator = Generator(en, sr, random.Random(args.seed + 1))
    with database as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_schema()
        progress(f"{backend}, N={size}: building")
        rate, rebuilt, units = build(app, generator, size, args.batch)
        if backend == "postgresql":
            with app.app_context():  # what autovacuum would have done by now
                db.dbsession.execute(text("ANALYZE"))
                db.dbsession.commit()
        progress(f"{backend}, N={size}: suggesting")
        articles = query_articles(generator, args.articles)
        # A worker's first call reads the word counts too (then every COUNTS_SECONDS).
        first = timed_suggest(app, articles[0])
        for query in articles:  # warm-up
            timed_suggest(app, query)
        samples = [timed_suggest(app, q) for _ in range(args.repeat) for q in articles]
        saves = remember_ms(app, 50)
        progress(f"{backend}, N={size}: recall against brute force")
        rng = random.Random(args.seed + 2)
        brute = {direction: BruteForce(app, *direction) for direction in DIRECTIONS}
        normal = near_duplicates(generator, args.sample)
        hard = [
            Query(source, target, [paragraph])
            for (source, target), language in zip(DIRECTIONS, (en, sr), strict=True)
            for paragraph in brute[source, target].harden(rng, language, args.sample // 2)
        ]
        normal_recall, hard_recall = recall(app, normal, brute), recall(app, hard, brute)
        with app.app_context():
            db.engine().dispose()
    return {
        "backend": backend,
        "size": size,
        "rate": rate,
        "rebuilt": rebuilt,
        "units": units,
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "remember": statistics.median(saves),
        "first": first,
        "recall": f"{normal_recall:.1f} / {hard_recall:.1f}",
    }


def report(rows: list[dict[str, Any]]) -> None:
    """Print the results table and the verdict on the target."""
    print(
        f"{'backend':<11} {'N':>6} {'units':>8} {'import/s':>8} {'remember all s':>14}"
        f" {'remember ms':>11} {'first ms':>8} {'median ms':>9} {'p95 ms':>7}"
        "  recall % normal / hard"
    )
    for row in rows:
        print(
            f"{row['backend']:<11} {row['size']:>6} {row['units']:>8} {row['rate']:>8.0f}"
            f" {row['rebuilt']:>14.1f} {row['remember']:>11.1f} {row['first']:>8.0f}"
            f" {row['median']:>9.1f}"
            f" {row['p95']:>7.1f}  {row['recall']}"
        )
    print(f"\nmedian and p95: suggestions for one {QUERY_PARAGRAPHS}-paragraph article")
    for row in rows:
        if row["size"] == TARGET_SIZE:
            verdict = "met" if row["p95"] < TARGET_MS else "NOT met"
            print(
                f"target p95 < {TARGET_MS:.0f} ms at N={TARGET_SIZE} on {row['backend']}: "
                f"{verdict} (p95 {row['p95']:.1f} ms)"
            )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, benchmark every backend and size, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000", help="comma-separated N (20000)")
    parser.add_argument("--articles", type=int, default=20, help="40-paragraph articles (20)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per article (5)")
    parser.add_argument("--sample", type=int, default=200, help="paragraphs for recall (200)")
    parser.add_argument("--batch", type=int, default=BATCH, help=f"articles a commit ({BATCH})")
    database_options(parser)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [
        run_one(name, scratch_database(url, "memory"), size, args)
        for name, url in backends(args)
        for size in sizes
    ]
    report(rows)


if __name__ == "__main__":
    main()
