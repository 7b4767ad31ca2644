"""The house: imports point down, the running site loads no tooling, and starts only when ready."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlo import create_app
from mlo.catalogs import files as catalogs

PACKAGE = Path(__file__).resolve().parent.parent / "mlo"
# What each layer may import from mlo (besides itself): imports only point down.
ALLOWED = {
    "text": set(),
    "locales": {"text"},
    "db": set(),
    "content": {"text", "locales", "db"},
    "search": {"text", "locales", "db", "content"},
    "web": {"text", "locales", "db", "content", "search", "config"},
    "catalogs": {"text", "locales", "config"},
    # The catalogs page loads the tooling when it is opened, never at start-up.
    "office": {"text", "locales", "db", "content", "search", "web", "config", "catalogs"},
    "migrations": {"text", "db", "content", "search", "office"},
    "cli": {"db", "content", "search", "office"},
    "config": {"text"},
    "__init__": {"cli", "config", "db", "web", "office"},
}


def mlo_imports(path: Path) -> set[str]:
    """The top-level mlo modules a file imports (mlo.web.i18n -> web)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mlo"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("mlo."))
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_only_point_down(layer):
    files = (
        list((PACKAGE / layer).rglob("*.py"))
        if (PACKAGE / layer).is_dir()
        else [PACKAGE / f"{layer}.py"]
    )
    assert files
    for path in files:
        wrong = mlo_imports(path) - ALLOWED[layer] - {layer}
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {wrong}"


def test_text_is_plain_functions():
    for path in (PACKAGE / "text").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        modules = {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        } | {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not modules & {"flask", "sqlalchemy", "flask_babel"}, path


def test_the_running_site_loads_no_catalog_tooling(tmp_path):
    script = f"""
import sys
from mlo import create_app, db
app = create_app({{"DATABASE_URL": "sqlite:///{tmp_path / "db.sqlite3"}", "SECRET_KEY": "x"}})
with app.app_context():
    db.create_schema()
client = app.test_client()
for url in ("/en/", "/sr-latn/news/", "/sr-cyrl/search/?q=x", "/sr-cyrl/feed.atom", "/nope"):
    client.get(url)
loaded = sorted(m for m in sys.modules if m.startswith(("mlo.catalogs", "babel.messages")))
print(",".join(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_an_app_without_compiled_catalogs_refuses_to_start(tmp_path):
    target = tmp_path / "translations"
    shutil.copytree(catalogs.root(), target, ignore=shutil.ignore_patterns("*.mo"))
    config = {"DATABASE_URL": "sqlite://", "BABEL_TRANSLATION_DIRECTORIES": str(target)}
    with pytest.raises(RuntimeError, match="translate compile"):
        create_app(config)
    catalogs.compile_all(target)
    assert create_app(config).name == "mlo"
