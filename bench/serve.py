"""Serving benchmark: mlo and a minimal Flask app under the same gunicorn, driven by wrk.

    make bench
    .venv/bin/python bench/serve.py --sizes 20000 --seconds 10
    .venv/bin/python bench/serve.py --sizes "" --seconds 3 --renders 10    # demo content only

Both servers run on loopback with the same gunicorn configuration (deploy/gunicorn.conf.py,
2 sync workers unless told otherwise) and production settings. The minimal app is measured
once; then for each database (the demo content, then N synthetic articles for each of --sizes)
mlo's article page in each locale, the newsroom and searches (a few queries in turn) are each
driven for --seconds after a short warm-up, at --connections connections (wrk where installed,
else a Python client, which is itself the bottleneck: its figures are lower bounds). It prints
requests a second, p50, p95 and p99 and the ratio to the minimal app; the resident memory of a
mlo worker after the load; and each page type's uncached render time, in process.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from common import (
    LOCALES,
    article_path,
    bench_app,
    news_database,
    percentile,
    postgres_url,
    print_renders,
    progress,
    scratch_database,
    search_path,
    starred,
    time_get,
    year_path,
)
from flask.testing import FlaskClient

from mlo import db

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
RATIO_TARGET = 0.70
P99_TARGET_MS = 50.0
SEARCH_P95_TARGET_MS = 30.0
RENDER_TARGET_MS = 15.0
# The newsroom and the search are loaded in Serbian Latin: transliterated, the costliest locale.
LOCALE = "sr-latn"
# Words found in the demo content and in the synthetic articles alike.
SEARCHES = (
    ("sr-latn", "Beograd"),
    ("en", "Belgrade"),
    ("en", "cooperation"),
    ("sr-cyrl", "сарадња"),
    ("sr-latn", "saradnja u Beogradu"),
)
# The numeric options: (option, default, meaning).
NUMBERS = (
    ("--seconds", 10, "seconds of each load run"),
    ("--warmup", 2, "seconds of warm-up before each load run"),
    ("--connections", 32, "concurrent connections"),
    ("--workers", 2, "gunicorn workers, for both apps"),
    ("--threads", 1, "threads a worker, 1 for sync workers"),
    ("--renders", 30, "uncached renders of each page"),
    ("--budget", 5.0, "seconds of uncached renders of each page at most"),
)
LUA = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "microseconds": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True)
class Load:
    """What one load run measured (latencies in ms)."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    failed: str = ""  # why it was not measured

    @property
    def rate(self) -> float:
        """Requests a second."""
        return self.requests / self.seconds


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its master's process id and its port."""

    pid: int
    port: int


Loader = Callable[[int, list[str], int, int], Load]


def wrk(port: int, paths: list[str], seconds: int, connections: int) -> Load:
    """Drive the server with wrk for `seconds`, requesting `paths` in turn."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(LUA % ", ".join(json.dumps(path) for path in paths))
        script.flush()
        command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
        command += ["--timeout", "10s", "-s", script.name, f"http://127.0.0.1:{port}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = json.loads(output.strip().splitlines()[-1])
    ms = {name: found[name] / 1000 for name in ("p50", "p95", "p99")}
    return Load(found["requests"], found["microseconds"] / 1e6, **ms, errors=found["errors"])


def python_load(port: int, paths: list[str], seconds: int, connections: int) -> Load:
    """Drive the server from `connections` threads for `seconds`, requesting `paths` in turn."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = None
        while time.monotonic() < deadline:
            path = paths[(offset + len(latencies)) % len(paths)]
            began = time.perf_counter()
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors.append(path)
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                errors.append(path)
                connection = None
            latencies.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    p50, p95, p99 = (percentile(latencies, share) for share in (0.50, 0.95, 0.99))
    return Load(len(latencies), elapsed, p50, p95, p99, len(errors))


def free_port() -> int:
    """A TCP port free on loopback just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Return once something listens on `port`; RuntimeError if `process` dies first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{process.args[:4]} exited with {process.returncode}\n{tail}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after 60 s")


@contextmanager
def running(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[int]:
    """Run `command` (a server that will listen on `port`) until the block ends: its pid."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, env=env, cwd=log.parent, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, process, log)
        yield process.pid
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn and redis: a quick, clean stop
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(
    app: str, folder: Path, env: dict[str, str], args: argparse.Namespace, log: Path
) -> Iterator[Server]:
    """A gunicorn serving `app` (module:name in `folder`) on a free loopback port."""
    port = free_port()
    env = env | {"MLO_SITE_URL": f"http://127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(folder)]
    if GUNICORN_CONFIG.exists():
        command += ["--config", str(GUNICORN_CONFIG)]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    command += ["--threads", str(args.threads), app]
    with running(command, port, env, log) as pid:
        yield Server(pid, port)


@contextmanager
def redis_server(enabled: bool, folder: Path) -> Iterator[str | None]:
    """A redis-server of our own on a free loopback port, if `enabled`: its URL."""
    if not enabled:
        yield None
        return
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no"]
    with running(command, port, dict(os.environ), folder / "redis.log"):
        yield f"redis://127.0.0.1:{port}/0"


def get_status(port: int, path: str) -> int:
    """The status of one GET of `path` (redirects not followed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def drive(
    loader: Loader, port: int, paths: list[str], args: argparse.Namespace, label: str
) -> Load:
    """Check every path answers 200 (else no run: a benchmark of an error page would mislead),
    warm up, then one measured load run."""
    for path in paths:
        status = get_status(port, path)
        if status != 200:
            progress(f"  {label}: GET {path} answered {status}; not measured")
            return Load(0, 1, 0, 0, 0, 0, failed=f"GET {path} answered {status}")
    progress(f"  load: {label}")
    loader(port, paths, args.warmup, args.connections)
    return loader(port, paths, args.seconds, args.connections)


@dataclass(frozen=True, order=True)
class Memory:
    """A process's resident memory in MiB: all of it (VmRSS), and the part that is its own
    (RssAnon; the rest is mostly files mapped in, such as a memory-mapped SQLite database)."""

    rss: float
    anonymous: float


def worker_memory(master: int) -> Memory:
    """The resident memory of the largest of `master`'s worker processes."""
    found = [Memory(0, 0)]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            lines = (stat.parent / "status").read_text().splitlines()
        except (OSError, IndexError, ValueError):  # the process ended meanwhile
            continue
        kib = {line.split(":")[0]: int(line.split()[1]) for line in lines if "kB" in line}
        found.append(Memory(kib["VmRSS"] / 1024, kib["RssAnon"] / 1024))
    return max(found)


@dataclass
class Database:
    """One database mlo is measured on."""

    label: str
    url: str


def load_targets(client: FlaskClient) -> dict[str, list[str]]:
    """The pages driven under load, by label: paths to request in turn."""
    targets = {f"article {loc}": [article_path(client, loc)] for loc in LOCALES}
    targets[f"newsroom {LOCALE}"] = [f"/{LOCALE}/news/"]
    targets["search"] = [search_path(loc, query) for loc, query in SEARCHES]
    return targets


def render_targets(client: FlaskClient) -> dict[str, str]:
    """One page of each type, by label, for the uncached render times."""
    articles = {f"article {loc}": article_path(client, loc) for loc in LOCALES}
    return {
        "home": f"/{LOCALE}/",
        "newsroom": f"/{LOCALE}/news/",
        "year archive": year_path(client, LOCALE),
        **articles,
        "feed": f"/{LOCALE}/feed.atom",
        "sitemap": "/sitemap.xml",
        "search": search_path(*SEARCHES[0]),
    }


def clean_env() -> dict[str, str]:
    """This process's environment without its MLO_* settings."""
    return {name: value for name, value in os.environ.items() if not name.startswith("MLO_")}


def server_env(
    database: Database, redis_url: str | None, args: argparse.Namespace
) -> dict[str, str]:
    """mlo's environment: production settings on `database`, no other MLO_* setting."""
    env = clean_env() | {
        "MLO_PRODUCTION": "1",
        "MLO_SECRET_KEY": "bench-" + "0" * 58,
        "MLO_DATABASE_URL": database.url,
        "MLO_SITE_URL": "http://127.0.0.1",
    }
    if redis_url:
        env["MLO_REDIS_URL"] = redis_url
    if args.no_page_cache:
        env["MLO_PAGE_CACHE"] = "false"
    return env


def measure_mlo(
    database: Database,
    loader: Loader,
    redis_url: str | None,
    folder: Path,
    args: argparse.Namespace,
) -> tuple[dict[str, Load], Memory, list[tuple[str, str, list[float]]]]:
    """Loads of every target, the worker's memory after them, the uncached renders."""
    app = bench_app(database.url, PAGE_CACHE=False)
    client = app.test_client()
    targets, pages = load_targets(client), render_targets(client)
    env = server_env(database, redis_url, args)
    with gunicorn("app:app", ROOT, env, args, folder / "mlo.log") as server:
        loads = {
            label: drive(loader, server.port, paths, args, f"{database.label}, {label}")
            for label, paths in targets.items()
        }
        memory = worker_memory(server.pid)
    progress(f"  uncached renders: {database.label}")
    renders = [
        (label, path, time_get(client, path, args.renders, args.budget))
        for label, path in pages.items()
    ]
    with app.app_context():
        db.engine().dispose()
    return loads, memory, renders


@contextmanager
def demo_database(pg_url: str | None, args: argparse.Namespace) -> Iterator[Database]:
    """A fresh database holding the demo content, made with the commands a site owner runs."""
    with scratch_database(pg_url, "demo") as url:
        database = Database("demo", url)
        env = server_env(database, None, args)
        for command in (["init-db"], ["content", "demo"]):
            subprocess.run(
                [sys.executable, "-m", "flask", "--app", "app", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        yield database


def report_loads(
    minimal: Load,
    results: list[tuple[Database, dict[str, Load], Memory]],
    args: argparse.Namespace,
) -> None:
    """The load table with ratios and targets, and each database's worker memory."""
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"load: gunicorn, {args.workers} worker(s) x {args.threads} thread(s), "
        f"{args.connections} connections, {args.seconds} s each after {args.warmup} s of "
        f"warm-up ({args.loader}); mlo on {backend}, page cache "
        f"{'off' if args.no_page_cache else 'on'}, Redis {'on' if args.redis else 'off'}"
    )
    print(
        f"  {'database':<16} {'page':<18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'ratio':>6}"
    )
    rows = [("-", "minimal app", minimal)] + [
        (database.label, label, load)
        for database, loads, _ in results
        for label, load in loads.items()
    ]
    for database_label, label, load in rows:
        if load.failed:
            print(f"  {database_label:<16} {label:<18} not measured: {load.failed}")
            continue
        gated = label.startswith(("article", "newsroom"))
        ratio = load.rate / minimal.rate
        print(
            f"  {database_label:<16} {label:<18} {load.rate:>8.1f} {load.p50:>8.1f}"
            f" {starred(load.p95, label == 'search' and load.p95 >= SEARCH_P95_TARGET_MS):>8}"
            f" {starred(load.p99, gated and load.p99 >= P99_TARGET_MS):>8}"
            f" {load.errors:>6} {starred(ratio, gated and ratio < RATIO_TARGET, '.2f'):>6}"
        )
    print(
        f"  targets: article and newsroom ratio >= {RATIO_TARGET:.2f} and p99 < "
        f"{P99_TARGET_MS:.0f} ms; search p95 < {SEARCH_P95_TARGET_MS:.0f} ms; * misses it"
    )
    print("\nresident memory (VmRSS) of the largest mlo worker after its load runs:")
    for database, _, memory in results:
        print(
            f"  {database.label:<16} {memory.rss:>6.1f} MiB"
            f" (of which its own, RssAnon: {memory.anonymous:.1f} MiB)"
        )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, measure the minimal app and mlo on every database, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="20000",
        help="synthetic databases besides the demo, comma-separated (20000)",
    )
    for option, default, meaning in NUMBERS:
        parser.add_argument(
            option, type=type(default), default=default, help=f"{meaning} ({default})"
        )
    parser.add_argument("--postgres", action="store_true", help="mlo on PostgreSQL (URL from "
                        "MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL)")  # fmt: skip
    parser.add_argument("--redis", action="store_true", help="start a redis-server for mlo")
    parser.add_argument("--no-page-cache", action="store_true", help="MLO_PAGE_CACHE=false")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    pg_url = postgres_url(None) if args.postgres else None
    if args.postgres and not pg_url:
        parser.error("--postgres: set MLO_DATABASE_URL or MLO_TEST_POSTGRES_URL")
    args.loader = "wrk" if shutil.which("wrk") else "Python client"
    loader: Loader = wrk if args.loader == "wrk" else python_load
    results, renders = [], []
    with (
        tempfile.TemporaryDirectory(prefix="mlo-bench-serve-") as temporary,
        redis_server(args.redis, Path(temporary)) as redis_url,
    ):
        folder = Path(temporary)
        with gunicorn("minimal:app", BENCH, clean_env(), args, folder / "minimal.log") as server:
            minimal = drive(loader, server.port, ["/"], args, "minimal app")
        with demo_database(pg_url, args) as demo:
            databases = [demo] + [
                Database(f"{size} articles", news_database(size, pg_url).url) for size in sizes
            ]
            for database in databases:
                loads, memory, rows = measure_mlo(database, loader, redis_url, folder, args)
                results.append((database, loads, memory))
                renders.append((database, rows))
    report_loads(minimal, results, args)
    for database, rows in renders:
        print_renders(
            f"uncached render in process (PAGE_CACHE off), {database.label}, "
            f"{'PostgreSQL' if args.postgres else 'SQLite'}",
            rows,
            RENDER_TARGET_MS,
        )


if __name__ == "__main__":
    main()
