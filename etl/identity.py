"""Project identity across articles: when two reported names are one project.

A project several articles report is one `Project` row. Its key is the 시도
and the normalised name (`etl.projects.name_key`), abbreviations written out
(국가산단 = 국가산업단지). A name with a new key still joins a known project of
the same 시도 when the evidence says they are one (`match`):

* the head nouns agree: a 센터 is never a 국가산업단지, and two facilities of
  different kinds (인력양성센터, 공동인프라) are two projects; a name without a
  head of its own (… 시험평가동, … 구축사업) agrees with any;
* their 시군구 are not disjoint;
* their names without region words and programme words (구미시 …, … 구축사업)
  are alike (Dice coefficient of letter pairs), and a shared 시군구, a shared
  won figure or a shared period (?–2028 agrees with 2024–2028) add to that score.

The rules and weights are data (`etl/data/identity.toml`); the writer
(`etl.writer`) applies them under a lock and stores every merge with its score
and reason (`project_merge`), so an analyst can see and undo it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.gazetteer import load_gazetteer
from etl.patterns import DataFileError, read_toml
from etl.projects import dice, name_key, project_cues

KEY_LENGTH = 200  # project.key is a String(200)
DISTINCT_HEADS = ("designation", "facility", "component")  # head kinds that tell two projects apart (etl/data/projects.toml)


@dataclass(frozen=True, slots=True)
class IdentityRules:
    same_project: float  # score at or above which two names are one project
    min_name: float  # name similarity below which no other evidence makes two names one project
    same_city: float  # score added when the two share a 시군구
    same_amount: float  # … a won figure
    same_period: float  # … a period (start and end year)
    abbreviations: tuple[tuple[str, str], ...]  # (short, full), applied in order


def _number(data: dict, name: str) -> float:
    value = data.get(name)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise DataFileError(f"identity.toml: {name} must be a number from 0 to 1")
    return float(value)


@lru_cache(maxsize=None)
def identity_rules(directory: Path | None = None) -> IdentityRules:
    data = read_toml("identity.toml", directory)
    evidence = data.get("evidence", {})
    rules = IdentityRules(
        same_project=_number(data, "same_project"), min_name=_number(data, "min_name"),
        same_city=_number(evidence, "same_city"), same_amount=_number(evidence, "same_amount"),
        same_period=_number(evidence, "same_period"),
        abbreviations=tuple(data.get("abbreviations", {}).items()),
    )
    if rules.same_project == 0:
        raise DataFileError("identity.toml: same_project must be above 0")
    return rules


def project_key(name: str, sido_code: str | None, rules: IdentityRules | None = None) -> str:
    """The identity of a project across articles: 시도 plus normalised name."""
    rules = rules or identity_rules()
    key = name_key(name)
    for short, full in rules.abbreviations:
        key = key.replace(full, "\0").replace(short, full).replace("\0", full)
    return f"{sido_code or '00'}:{key}"[:KEY_LENGTH]


@dataclass(frozen=True, slots=True)
class Reported:
    """A project as identity sees it: its key, where it is and what it reports."""

    key: str
    cities: frozenset[str] = frozenset()  # 시군구 codes
    amounts: frozenset[int] = frozenset()  # won figures
    periods: frozenset[tuple[int | None, int]] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    """That a reported name is a known project, how sure (`score`) and why (`reason`, JSON)."""

    project_id: int
    score: float
    reason: str


@lru_cache(maxsize=1)
def _region_words() -> tuple[str, ...]:
    """Region names as they appear at the start of a key (구미시, 구미, 경북), longest first."""
    forms = {name_key(f) for f in load_gazetteer().aliases}
    return tuple(sorted((f for f in forms if len(f) >= 2), key=len, reverse=True))


@lru_cache(maxsize=1)
def _tail_words() -> tuple[str, ...]:
    """Programme heads and action nouns a name may end in without naming a different project."""
    cues = project_cues()
    words = {h for h, kind in cues.heads if kind == "programme"} | set(cues.actions)
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _by_length(words: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """`words` grouped by length, longest first: a key's start (or end) of each length is
    looked up, rather than every word tried against it (566 region words)."""
    groups: dict[int, set[str]] = {}
    for word in words:
        groups.setdefault(len(word), set()).add(word)
    return tuple((length, frozenset(found)) for length, found in sorted(groups.items(), reverse=True))


def _strip(core: str, words: tuple[str, ...], leading: bool) -> str:
    """`core` without the longest of `words` it starts (`leading`) or ends with, again and
    again, as long as two characters are left."""
    groups = _by_length(words)
    changed = True
    while changed:
        changed = False
        for length, found in groups:
            if len(core) - length >= 2 and (core[:length] if leading else core[-length:]) in found:
                core = core[length:] if leading else core[:-length]
                changed = True
                break
    return core


@lru_cache(maxsize=65536)
def core_name(key: str) -> str:
    """The name of a key without its 시도, leading region words and trailing programme words."""
    return _strip(_strip(key.split(":", 1)[-1], _region_words(), leading=True), _tail_words(), leading=False)


@lru_cache(maxsize=1)
def _distinct_heads() -> tuple[tuple[int, dict[str, tuple[str, str]]], ...]:
    """The designation and facility heads by length, longest first: head -> (head, kind),
    the kind listed first where a head has several (as `project_cues().heads` orders them)."""
    by_length: dict[int, dict[str, tuple[str, str]]] = {}
    for head, kind in project_cues().heads:
        if kind in DISTINCT_HEADS:
            by_length.setdefault(len(head), {}).setdefault(head, (head, kind))
    return tuple(sorted(by_length.items(), reverse=True))


@lru_cache(maxsize=65536)
def distinct_head(key: str) -> tuple[str, str] | None:
    """(head, kind) of the designation or facility the core name ends in, if any (the longest)."""
    core = core_name(key)
    for length, heads in _distinct_heads():
        if length <= len(core) and (found := heads.get(core[-length:])) is not None:
            return found
    return None


def heads_agree(a: str, b: str) -> bool:
    """Two keys may be one project: same kind of head, one head ending the other, or a head missing."""
    return _heads_agree(distinct_head(a), distinct_head(b))


def _heads_agree(x: tuple[str, str] | None, y: tuple[str, str] | None) -> bool:
    """`heads_agree` of two keys' `distinct_head`s."""
    if x is None or y is None:
        return True
    return x[1] == y[1] and (x[0].endswith(y[0]) or y[0].endswith(x[0]))


def shared_periods(a: frozenset, b: frozenset) -> set[tuple[int | None, int]]:
    """Periods both report: the same end year, and the same start year unless one has none (?–2028)."""
    return {(s1 if s1 is not None else s2, e1) for s1, e1 in a for s2, e2 in b
            if e1 == e2 and (s1 == s2 or s1 is None or s2 is None)}


def match(new: Reported, known: Iterable[tuple[int, Reported]], rules: IdentityRules | None = None) -> Match | None:
    """The known project (id, Reported) of the same 시도 that `new` reports, if the evidence is enough."""
    rules = rules or identity_rules()
    prefix = new.key.split(":", 1)[0] + ":"
    head, core = distinct_head(new.key), core_name(new.key)  # the new name's, once: it meets every project of its 시도
    best: Match | None = None
    for project_id, other in known:
        if not other.key.startswith(prefix) or not _heads_agree(head, distinct_head(other.key)):
            continue
        if new.cities and other.cities and not new.cities & other.cities:
            continue
        name = dice(core, core_name(other.key))
        if name < rules.min_name:
            continue
        reason: dict = {"name": round(name, 3)}
        score = name
        for label, shared, weight in (("cities", new.cities & other.cities, rules.same_city),
                                      ("amounts", new.amounts & other.amounts, rules.same_amount),
                                      ("periods", shared_periods(new.periods, other.periods), rules.same_period)):
            if shared:
                score += weight
                reason[label] = sorted(shared, key=lambda v: tuple(x or 0 for x in v) if isinstance(v, tuple) else v)
        score = round(min(score, 1.0), 3)
        if score >= rules.same_project and (best is None or score > best.score):
            best = Match(project_id, score, json.dumps(reason, ensure_ascii=False))
    return best
