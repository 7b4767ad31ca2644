"""Catalog tooling: the `translate` commands and `translate check`, for developers and
translators. The running site never imports this package (Flask finds the commands through
the `flask.commands` entry point)."""
