"""Project identity across articles: when two reported names are one project.

A project several articles report is one `Project` row. Its key is the 시도
and the normalised name (`etl.projects.name_key`), abbreviations written out
(국가산단 = 국가산업단지); a name with a new key still joins a known project of
the same 시도 in the same 시군구 whose key is nearly the same. The rules are
data (`etl/data/identity.toml`); the writer (`etl.writer`) applies them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.patterns import DataFileError, read_toml
from etl.projects import dice, name_key

KEY_LENGTH = 200  # project.key is a String(200)


@dataclass(frozen=True, slots=True)
class IdentityRules:
    same_project: float  # Dice similarity at or above which two keys are one project
    abbreviations: tuple[tuple[str, str], ...]  # (short, full), applied in order


@lru_cache(maxsize=None)
def identity_rules(directory: Path | None = None) -> IdentityRules:
    data = read_toml("identity.toml", directory)
    threshold = data.get("same_project")
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise DataFileError("identity.toml: same_project must be a number above 0 and at most 1")
    return IdentityRules(float(threshold), tuple(data.get("abbreviations", {}).items()))


def project_key(name: str, sido_code: str | None, rules: IdentityRules | None = None) -> str:
    """The identity of a project across articles: 시도 plus normalised name."""
    rules = rules or identity_rules()
    key = name_key(name)
    for short, full in rules.abbreviations:
        key = key.replace(full, "\0").replace(short, full).replace("\0", full)
    return f"{sido_code or '00'}:{key}"[:KEY_LENGTH]


def similar_project(key: str, known: Iterable[tuple[int, str]], rules: IdentityRules | None = None) -> int | None:
    """The id of the known (id, key) of the same 시도 whose name is nearly `key`'s, if any."""
    rules = rules or identity_rules()
    prefix, name = key.split(":", 1)
    rows = [(pid, k.split(":", 1)[1]) for pid, k in known if k.startswith(prefix + ":")]
    best = max(rows, key=lambda r: dice(r[1], name), default=None)
    return best[0] if best is not None and dice(best[1], name) >= rules.same_project else None
