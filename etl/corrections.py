"""Analysts' corrections: records bound to stable identities, applied by the writer.

A correction says what is wrong with what the extractor found, who said so,
when and why. It names what it corrects by identities that survive
`load --rebuild` and a re-extraction after rule changes, never by row ids:

* a figure: the content hash of its article and the span of its text there
  (`{"article": hash, "start": 120, "end": 127}`);
* a project: its key (`{"project": "47:구미시반도체…"}`);
* one article's mention of a project: its article and the name as written
  (`{"article": hash, "name": "구미 반도체 공동인프라"}`).

Kinds and their `value`:

  reject_figure   –                         the figure is not stored
  set_role        {"role": "national"}      the figure's role
  move_figure     {"project": key}          the figure belongs to that project
  merge_projects  {"into": key}             names of the project join that one
  split_project   –                         the mention is a project of its own
  rename_project  {"name": "…"}             the project's name
  set_regions     {"regions": [code, …]}    the project's regions (gazetteer codes)
  set_industries  {"industries": [label, …]} the project's industries (vocabulary)

The writer applies active corrections (not undone) to each article it stores
(`CorrectionSet.figure`, `.split`, `.merged`) and to the projects at the end
of every load and rebuild (etl.writer.apply_project_corrections).
`export_file` and `import_file` move them between databases as JSON lines.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from etl.errors import BadInput
from etl.gazetteer import load_gazetteer
from vocab import vocabulary

FIGURE_KINDS = ("reject_figure", "set_role", "move_figure")
PROJECT_KINDS = ("merge_projects", "rename_project", "set_regions", "set_industries")
MENTION_KINDS = ("split_project",)
KINDS = (*FIGURE_KINDS, *PROJECT_KINDS, *MENTION_KINDS)
FIELDS = ("kind", "target", "value", "who", "why", "created_at", "undone_at")


class CorrectionError(BadInput):
    """A correction record that cannot be applied as written (unknown kind, bad target or value)."""


@dataclass(frozen=True, slots=True)
class Correction:
    kind: str
    target: Mapping
    value: Mapping = field(default_factory=dict)
    who: str = ""
    why: str = ""
    created_at: datetime | None = None
    undone_at: datetime | None = None

    def row(self) -> dict:
        """The `correction` table row (db.models.Correction)."""
        return {"kind": self.kind, "target": json.dumps(dict(self.target), ensure_ascii=False, sort_keys=True),
                "value": json.dumps(dict(self.value), ensure_ascii=False, sort_keys=True), "who": self.who,
                "why": self.why, "created_at": self.created_at or datetime.now(), "undone_at": self.undone_at}


def _need(where: str, data: Mapping, name: str, kind: type):
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool) or value in ("", []):
        raise CorrectionError(f"{where}: needs {name!r}")
    return value


def validate(c: Correction, where: str = "correction") -> Correction:
    """`c` if it can be applied; else CorrectionError naming the problem."""
    if c.kind not in KINDS:
        raise CorrectionError(f"{where}: unknown kind {c.kind!r} (one of {', '.join(KINDS)})")
    t, v = c.target, c.value
    if c.kind in FIGURE_KINDS:
        _need(where, t, "article", str), _need(where, t, "start", int), _need(where, t, "end", int)
    elif c.kind in MENTION_KINDS:
        _need(where, t, "article", str), _need(where, t, "name", str)
    else:
        _need(where, t, "project", str)
    if c.kind == "set_role" and _need(where, v, "role", str) not in vocabulary().role_codes:
        raise CorrectionError(f"{where}: unknown role {v['role']!r}")
    if c.kind == "move_figure":
        _need(where, v, "project", str)
    if c.kind == "merge_projects":
        _need(where, v, "into", str)
    if c.kind == "rename_project":
        _need(where, v, "name", str)
    if c.kind == "set_regions":
        unknown = [code for code in _need(where, v, "regions", list) if code not in load_gazetteer().regions]
        if unknown:
            raise CorrectionError(f"{where}: unknown region codes {unknown}")
    if c.kind == "set_industries":
        unknown = [i for i in _need(where, v, "industries", list) if i not in vocabulary().industry_labels]
        if unknown:
            raise CorrectionError(f"{where}: unknown industries {unknown}")
    return c


def from_row(row: Mapping) -> Correction:
    """A stored or exported record (JSON text or objects for target and value; ISO times)."""
    def obj(value):
        return json.loads(value) if isinstance(value, str) else dict(value or {})

    def when(value):
        return datetime.fromisoformat(value) if isinstance(value, str) else value

    return Correction(kind=str(row.get("kind", "")), target=obj(row.get("target")), value=obj(row.get("value")),
                      who=str(row.get("who") or ""), why=str(row.get("why") or ""),
                      created_at=when(row.get("created_at")), undone_at=when(row.get("undone_at")))


@dataclass
class CorrectionSet:
    """The active corrections, indexed the way the writer looks them up."""

    figures: dict[tuple[str, int, int], list[Correction]] = field(default_factory=dict)
    splits: set[tuple[str, str]] = field(default_factory=set)
    merges: dict[str, str] = field(default_factory=dict)  # project key -> key it joins
    projects: list[Correction] = field(default_factory=list)  # rename, regions, industries, in order

    @classmethod
    def of(cls, corrections: Iterable[Correction]) -> CorrectionSet:
        out = cls()
        for c in corrections:
            if c.undone_at is not None:
                continue
            t = c.target
            if c.kind in FIGURE_KINDS:
                out.figures.setdefault((t["article"], t["start"], t["end"]), []).append(c)
            elif c.kind in MENTION_KINDS:
                out.splits.add((t["article"], t["name"]))
            elif c.kind == "merge_projects":
                out.merges[t["project"]] = c.value["into"]
            else:
                out.projects.append(c)
        return out

    def figure(self, article: str, start: int, end: int) -> list[Correction]:
        return self.figures.get((article, start, end), [])

    def merged(self, key: str) -> str:
        """The key a project's names join after merges (A into B, B into C: C)."""
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        return key


def write_lines(corrections: Iterable[Correction], path: Path) -> int:
    """Corrections as JSON lines (the `corrections export` file); returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for c in corrections:
            row = c.row()
            row["target"], row["value"] = dict(c.target), dict(c.value)
            row["created_at"] = row["created_at"].isoformat() if row["created_at"] else None
            row["undone_at"] = c.undone_at.isoformat() if c.undone_at else None
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def read_lines(path: Path) -> list[Correction]:
    """The corrections of an export file; a bad line is a CorrectionError naming the file and line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorrectionError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise CorrectionError(f"{where}: not a JSON object")
        try:
            out.append(validate(from_row(data), where))
        except (ValueError, TypeError) as exc:
            if isinstance(exc, CorrectionError):
                raise
            raise CorrectionError(f"{where}: {exc}") from None
    return out
