"""Hardening: security headers on every response, and the request size limit.

Every page works under the policy: scripts and styles come only from our static files (no
inline script, event handler, style attribute or javascript: URL in a template), and Quill
styles its toolbar and tooltip through element.style, which the policy allows.
"""

from flask import Flask, Response, abort, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Article images are the site's own /media/ files or https: (see mlo.text.html).
        "img-src 'self' https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # frame-ancestors for browsers too old to read it.
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    """Add the security headers to every response and refuse bodies over MAX_CONTENT_LENGTH."""
    app.before_request(refuse_oversized)
    app.after_request(add_headers)


def refuse_oversized() -> None:
    """413 for a body larger than MAX_CONTENT_LENGTH, before any view or form reads it."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def add_headers(response: Response) -> Response:
    """The security headers (a view may set its own); HSTS only on a response over HTTPS."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    max_age = current_app.config["HSTS_MAX_AGE"]
    if request.is_secure and max_age:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response
