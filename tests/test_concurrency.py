"""Several editors and readers at once through the app served over HTTP, on each backend: no
lost update, no error page, and no reader ever shown a page older than a save already made."""

import re
import threading
from collections.abc import Callable

from sqlalchemy import select

from mlo.content.models import Article, Revision, Translation
from mlo.db import dbsession
from tests.conftest import serving
from tests.test_servers import Visitor, form_with

ARTICLES = ["Alpha", "Bravo", "Charlie"]
# Writers on articles of their own: (name, article); each saves SAVES times in a row.
ALONE = [("ed", "Alpha"), ("ada", "Bravo")]
SAVES = 5
# Writers on the same article: each round they all load its form, then all save it at once.
TOGETHER = ["ed", "ada", "ed"]
SHARED = "Charlie"
ROUNDS = 4
READERS = 3
# A title as the test writes them: the article's name, then who saved it (origin: the import).
TITLE = re.compile(r"\b(Alpha|Bravo|Charlie) edit (origin|w\d+n\d+)\b")
# Barrier and join waits: generous, yet a stuck thread fails the test rather than hanging it.
WAIT_SECONDS = 60


class Record:
    """What the test saw: the saves accepted, and what each reader was shown."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # (article, title token) -> the revision it became; the import made revision 1.
        self.accepted: dict[tuple[str, str], int] = {(name, "origin"): 1 for name in ARTICLES}
        # article -> the newest revision whose save has returned to its writer.
        self.committed: dict[str, int] = dict.fromkeys(ARTICLES, 1)
        # (path, committed before the request, (article, token) pairs on the page)
        self.reads: list[tuple[str, dict[str, int], list[tuple[str, str]]]] = []
        self.failures: list[str] = []

    def saved(self, name: str, token: str, revision: int) -> None:
        """A save of `name` answered 302: its title is revision `revision`."""
        with self.lock:
            self.accepted[(name, token)] = revision
            self.committed[name] = max(self.committed[name], revision)

    def read(self, visitor: Visitor, path: str) -> None:
        """Read a public page, remembering the saves made before the request started."""
        with self.lock:
            before = dict(self.committed)
        page = visitor.get(path)
        if page.status != 200:
            self.failures.append(f"{path} answered {page.status}")
        with self.lock:
            self.reads.append((path, before, TITLE.findall(page.text)))


def guarded(record: Record, work: Callable[[], None], barrier: threading.Barrier | None = None):
    """`work` for a thread: any failure is recorded (and frees the others from the barrier)."""

    def run() -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001  (reported by the test, not lost in a thread)
            record.failures.append(f"{type(error).__name__}: {error}")
            if barrier is not None:
                barrier.abort()

    return run


def test_writers_and_readers_at_once_lose_nothing_and_never_see_the_past(app, staff, make_article):
    slugs = {name: name.lower() for name in ARTICLES}
    for month, name in enumerate(ARTICLES, start=1):
        body = f"<p>News from Belgrade: {name} edit origin.</p>"
        en = {"title": f"{name} edit origin", "slug": slugs[name], "body": body}
        make_article(key=slugs[name], published=f"2023-0{month}-01", en=en)
    with app.app_context():
        ids = {key: id_ for key, id_ in dbsession.execute(select(Article.key, Article.id))}
    record = Record()
    done = threading.Event()
    barrier = threading.Barrier(len(TOGETHER), timeout=WAIT_SECONDS)
    rounds: list[list[int]] = [[] for _ in range(ROUNDS)]

    with serving(app) as base:
        visitors: list[Visitor] = []

        def save(visitor: Visitor, writer: int, name: str, number: int) -> tuple[int, int]:
            """Load the article's form, then save a new title; (status, revision loaded)."""
            url = f"/admin/articles/{ids[slugs[name]]}/en/"
            fields = form_with(visitor.get(url).text, "title")
            if name == SHARED:
                barrier.wait()  # everyone has loaded the same revision
            title = f"{name} edit w{writer}n{number}"
            body = f"<p>News from Belgrade: {title}.</p>"
            answer = visitor.post(url, fields | {"title": title, "body": body})
            loaded = int(fields["revision"])
            if answer.status == 302:
                record.saved(name, f"w{writer}n{number}", loaded + 1)
                # The writer's own next look at the site shows the save.
                record.read(visitor, f"/en/news/2023/{slugs[name]}/")
            elif answer.status == 409:  # a stale save: the merge page, their text and mine
                assert "Someone saved this text while you were writing" in answer.text
                assert title in answer.text
            elif answer.status == 503:  # SQLite busy past its wait, as the README says
                assert "The newsroom is busy" in answer.text and title in answer.text
            else:
                raise AssertionError(f"a save answered {answer.status}")
            return answer.status, loaded

        def alone(writer: int, who: str, name: str) -> Callable[[], None]:
            visitor = Visitor(base)
            visitors.append(visitor)

            def work() -> None:
                visitor.sign_in(who)
                for number in range(SAVES):
                    status, _ = save(visitor, writer, name, number)
                    assert status in (302, 503)  # nobody else writes this article

            return work

        def together(writer: int, who: str) -> Callable[[], None]:
            visitor = Visitor(base)
            visitors.append(visitor)

            def work() -> None:
                visitor.sign_in(who)
                for number in range(ROUNDS):
                    status, _ = save(visitor, writer, SHARED, number)
                    rounds[number].append(status)
                    barrier.wait()  # everyone has saved (or not) before the next round

            return work

        def reader() -> Callable[[], None]:
            visitor = Visitor(base)
            visitors.append(visitor)
            paths = ["/en/news/", "/en/feed.atom", "/en/search/?q=belgrade", "/en/"]
            paths += [f"/en/news/2023/{slug}/" for slug in slugs.values()]

            def work() -> None:
                while not done.is_set():
                    for path in paths:
                        record.read(visitor, path)

            return work

        writers = [alone(index, who, name) for index, (who, name) in enumerate(ALONE)]
        writers += [together(len(ALONE) + index, who) for index, who in enumerate(TOGETHER)]
        readers = [reader() for _ in range(READERS)]
        threads = [threading.Thread(target=guarded(record, work, barrier)) for work in writers]
        threads += [threading.Thread(target=guarded(record, work)) for work in readers]
        for thread in threads:
            thread.start()
        for thread in threads[: len(writers)]:
            thread.join(WAIT_SECONDS)
        done.set()
        for thread in threads[len(writers) :]:
            thread.join(WAIT_SECONDS)
        assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
        # After every save has returned, every page shows the last one.
        for path in ["/en/news/", "/en/feed.atom", "/en/search/?q=belgrade"]:
            record.read(Visitor(base), path)

    assert not record.failures, record.failures
    errors = [error for visitor in visitors for error in visitor.errors()]
    assert all(status == 503 for _, status in errors), errors  # only "busy", text kept
    # Writers on one article at once: at most one save of each round wins, the others get the
    # merge page (or, on SQLite, "busy"); at least one round had a winner and a loser.
    for statuses in rounds:
        assert len(statuses) == len(TOGETHER) and statuses.count(302) <= 1, rounds
        assert set(statuses) <= {302, 409, 503}, rounds
    assert any(302 in statuses and 409 in statuses for statuses in rounds), rounds

    # No lost update: each article's history is exactly its accepted saves, one revision each,
    # and its text is the last of them.
    with app.app_context():
        for name in ARTICLES:
            current = dbsession.scalars(
                select(Translation).join(Article).where(Article.key == slugs[name])
            ).one()
            history = dbsession.execute(
                select(Revision.number, Revision.title)
                .where(Revision.translation_id == current.id)
                .order_by(Revision.number)
            ).all()
            expected = sorted(
                (revision, f"{name} edit {token}")
                for (article, token), revision in record.accepted.items()
                if article == name
            )
            assert [tuple(row) for row in history] == expected, name
            assert current.revision == expected[-1][0] and current.title == expected[-1][1]
            assert current.body == f"<p>News from Belgrade: {current.title}.</p>"
        assert len(record.accepted) - len(ARTICLES) >= len(ALONE)  # saves did happen

    # No reader saw a title that was never accepted, nor one older than a save that had
    # returned before its request started.
    assert record.reads
    for path, before, titles in record.reads:
        for name, token in titles:
            revision = record.accepted.get((name, token))
            assert revision is not None, f"{path} showed a save that was refused: {name} {token}"
            assert revision >= before[name], f"{path} showed {name} {token} after a newer save"
    # The reads made after every save had returned show every article, hence its last save.
    for path, _before, titles in record.reads[-3:]:
        assert {name for name, _token in titles} == set(ARTICLES), path
