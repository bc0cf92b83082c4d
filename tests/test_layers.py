"""The layering the house style promises, checked on the imports of every module.

db/ never imports etl/ (the dashboard reads through db/ without the ETL); etl/ and db/
never import streamlit; vocab/ imports nothing of the app, so every layer can use it;
the dashboard writes only through etl.writer (ui/data.py's first-run sample load).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module or "")
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


# The watchlist feeds are written after every load (etl/watchfeeds.py) in the words and
# figures the dashboard uses: those two renderers are the one part of ui/ that etl/ may use,
# and they must stay free of Streamlit (checked below).
SHARED_RENDERERS = {"ui.digest", "ui.format"}


@pytest.mark.parametrize(("package", "forbidden"), [
    ("db", ("etl", "ui", "pages", "streamlit")),
    ("etl", ("ui", "pages", "streamlit")),
    ("vocab", ("db", "etl", "ui", "pages", "streamlit")),
])
def test_package_does_not_import(package: str, forbidden: tuple[str, ...]) -> None:
    found = {(p.relative_to(ROOT).as_posix(), name) for p in modules(package) for name in imports(p)
             if name.split(".")[0] in forbidden and not (package == "etl" and name in SHARED_RENDERERS)}
    assert found == set()


def test_the_renderers_etl_shares_with_the_dashboard_do_not_import_streamlit() -> None:
    for name in SHARED_RENDERERS:
        path = ROOT / (name.replace(".", "/") + ".py")
        assert {n.split(".")[0] for n in imports(path)} <= {"__future__", "datetime", "math", "urllib", "xml", "db", "ui", "vocab", "pandas"}, path


def test_the_dashboard_uses_only_the_writer_and_the_loader_of_etl() -> None:
    found = {(p.relative_to(ROOT).as_posix(), name) for p in [*modules("ui"), *modules("pages"), ROOT / "dashboard.py"]
             for name in imports(p) if name.split(".")[0] == "etl"}
    # ui/watchlists.py rewrites the watchlists' feed files (not the database) after a save
    assert found == {("ui/data.py", "etl.writer"), ("ui/data.py", "etl.load"), ("ui/watchlists.py", "etl.watchfeeds")}
