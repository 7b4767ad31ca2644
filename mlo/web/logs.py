"""Structured logs: JSON lines on the "mlo" loggers, each carrying its request's id.

A request gets its id from X-Request-ID when that is a sane token (a proxy's or a load
balancer's), else a fresh one; the response echoes it, so a reader's report, the proxy's log
and ours meet. With LOG_REQUESTS, one line a request on "mlo.requests"; an unexpected
exception is logged by Flask on "mlo" with its traceback, in the same JSON with the same id.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:+=/-]{1,128}")
requests_log = logging.getLogger("mlo.requests")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON (ASCII, so no byte of it can break a log file)."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = request_id()
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def init_app(app: Flask) -> None:
    """Give every request an id, log each one (LOG_REQUESTS), and write JSON lines."""
    logger = logging.getLogger(app.name)
    logger.removeHandler(default_handler)
    # A deployment that configured its own handlers keeps them; otherwise JSON to the server's
    # error stream (gunicorn's error log, or stderr).
    if not logger.handlers:
        handler = logging.StreamHandler(wsgi_errors_stream)  # type: ignore[arg-type]
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    if requests_log.level == logging.NOTSET:
        requests_log.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)


def request_id() -> str:
    """This request's id: its sane X-Request-ID, else a new random one."""
    if "request_id" not in g:
        g.request_id = sane_id(request.headers.get(HEADER, ""))
    return g.request_id


def sane_id(given: str) -> str:
    """A given request id if it is a sane token, else a new random one."""
    return given if SANE_ID.fullmatch(given) else uuid.uuid4().hex


def log_request(method: str, path: str, status: int, started: float | None, **fields: Any) -> None:
    """One line on "mlo.requests" for a finished request (`started`: its perf_counter)."""
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    fields = {"method": method, "path": path, "status": status, "duration_ms": duration, **fields}
    requests_log.info("%s %s %s", method, path, status, extra={"fields": fields})


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    if current_app.config["LOG_REQUESTS"]:
        log_request(
            request.method,
            request.path,
            response.status_code,
            g.get("request_started"),
            request_id=request_id(),
            remote_addr=request.remote_addr,
        )
    return response
