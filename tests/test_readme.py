"""The README's first two commands are the ones a new user types and the ones CI runs.

`.ci/run` reads the test command from the README, so these tests pin the shape it relies on:
the first indented command starts the dashboard, the second runs the tests, both after the same
stock-venv install, and neither installs anything but `requirements.txt`.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && "


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [line[4:] for line in text.splitlines() if line.startswith("    python3 -m venv ")]


def test_first_command_installs_and_starts_the_dashboard() -> None:
    assert readme_commands()[0] == INSTALL + ".venv/bin/streamlit run dashboard.py"


def test_second_command_installs_and_runs_the_tests() -> None:
    assert readme_commands()[1] == INSTALL + ".venv/bin/python -m pytest -n 2"


def test_ci_runs_the_readme_test_command_and_installs_no_python_package_itself() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "sed -n 2p" in ci and 'bash -c "$test_command"' in ci
    assert not re.search(r"\bpip\b", ci.replace(".ci/run", "")), "CI must not run pip: the README's command installs"


def test_requirements_name_lxml_html_clean_directly() -> None:
    """pip 23.2 (stock venv) ignores the extra in lxml[html_clean]; trafilatura needs the module."""
    names = {re.split(r"[=<>\[ ]", line)[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()}
    assert "lxml_html_clean" in names


def test_ci_lints_with_the_pinned_ruff_after_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index('bash -c "$test_command"') < ci.index("\n.venv/bin/ruff check .")
    pins = dict(line.split("#")[0].strip().split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line)
    assert pins["ruff"] and "[tool.ruff.lint]" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
