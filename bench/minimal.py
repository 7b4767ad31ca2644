"""The minimal Flask app bench/serve.py compares mlo with: one route, a fixed string."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> str:
    """A fixed string."""
    return "Hello, World!"
