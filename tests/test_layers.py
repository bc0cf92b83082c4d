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


@pytest.mark.parametrize(("package", "forbidden"), [
    ("db", ("etl", "ui", "pages", "streamlit")),
    ("etl", ("ui", "pages", "streamlit")),
    ("vocab", ("db", "etl", "ui", "pages", "streamlit")),
])
def test_package_does_not_import(package: str, forbidden: tuple[str, ...]) -> None:
    found = {(p.relative_to(ROOT).as_posix(), name) for p in modules(package) for name in imports(p)
             if name.split(".")[0] in forbidden}
    assert found == set()


def test_the_dashboard_uses_only_the_writer_and_the_loader_of_etl() -> None:
    found = {(p.relative_to(ROOT).as_posix(), name) for p in [*modules("ui"), *modules("pages"), ROOT / "dashboard.py"]
             for name in imports(p) if name.split(".")[0] == "etl"}
    assert found == {("ui/data.py", "etl.writer"), ("ui/data.py", "etl.load")}
