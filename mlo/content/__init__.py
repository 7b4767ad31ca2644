"""Content: the models, the read queries, and the one writer (operations that flush).

Import and export, the back office and the CLI all change content through `operations`.
"""

from mlo.content import listing  # noqa: F401, E402  (its session events keep the listings)
