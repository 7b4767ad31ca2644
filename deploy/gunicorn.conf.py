"""gunicorn settings for mlo: `gunicorn -c deploy/gunicorn.conf.py app:app` (`make serve`).

Everything comes from the environment, so one file serves every machine:

- MLO_BIND: address(es) to listen on, comma-separated (default 127.0.0.1:8000, for nginx in
  front on the same machine; `unix:/run/mlo.sock` works too).
- WEB_CONCURRENCY or MLO_WORKERS: worker processes (default 2 per core plus one, at most 8).
- MLO_THREADS: threads per worker (default 1).
- MLO_TIMEOUT: seconds a silent worker lives before it is restarted, and that workers get to
  finish their requests on a restart or stop (default 30).
"""

import os


def _cores() -> int:
    # The cores this process may run on (a container's CPU set), not the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _number(*names: str, default: int) -> int:
    for name in names:
        if os.environ.get(name, "").strip():
            return int(os.environ[name])
    return default


bind = [address.strip() for address in os.environ.get("MLO_BIND", "127.0.0.1:8000").split(",")]

# Pages are rendered in Python, which is CPU-bound: a process per core does the work and the
# spare ones cover the moments a worker waits on the database. Past 8 each worker only adds
# memory (and a colder in-process page cache) on an ordinary machine.
workers = _number("WEB_CONCURRENCY", "MLO_WORKERS", default=min(2 * _cores() + 1, 8))

# One thread: under the GIL more threads add no rendering speed, and a plain sync worker is the
# fastest per request with one database connection each; nginx buffers slow clients, so they
# never hold a worker. More than 1 switches gunicorn to its gthread worker, which is worth it
# only when serving without a buffering proxy in front (keep-alive, slow clients).
threads = _number("MLO_THREADS", default=1)

timeout = _number("MLO_TIMEOUT", default=30)
# On a restart (HUP) or stop (TERM), workers finish the requests they have in hand first.
graceful_timeout = timeout

# The app logs its requests itself (with a request id); gunicorn's own access log would say it
# twice. Errors and worker events still go to stderr.
accesslog = None
errorlog = "-"

# Which proxy headers to believe is the app's decision alone (MLO_TRUSTED_PROXIES, werkzeug's
# ProxyFix): gunicorn would otherwise take X-Forwarded-Proto from any local client as https.
secure_scheme_headers: dict[str, str] = {}

# gunicorn 25+ opens a control socket at one path per user, which two servers on one machine
# (a deploy's old and new, the tests' pairs) would take from each other. Restarts use signals.
control_socket_disable = True
