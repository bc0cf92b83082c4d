"""Shared test helpers.

`require(condition, reason)` skips a test whose environment lacks something
(a browser, a database server) — unless POLICY_RADAR_REQUIRE_ALL=1 (set by CI),
where a missing requirement is a failure, so CI cannot pass by skipping.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tests import the app's packages (db, etl, ui) however pytest is started
    sys.path.insert(0, str(ROOT))

REQUIRE_ALL_ENV = "POLICY_RADAR_REQUIRE_ALL"
# The suite asserts the English messages of the CLI, whatever the locale of the machine running it
# (subprocesses inherit it; tests of the Korean messages set it themselves).
os.environ["POLICY_RADAR_LANG"] = "en"


def require_all() -> bool:
    return os.environ.get(REQUIRE_ALL_ENV, "").strip().lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (with POLICY_RADAR_REQUIRE_ALL=1) when `condition` is false."""
    if condition:
        return
    if require_all():
        pytest.fail(f"required but missing ({REQUIRE_ALL_ENV}=1): {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(name="require")
def require_fixture():
    """The `require` helper as a fixture, for suites that prefer fixtures to imports."""
    return require
