"""The domain vocabulary every layer shares: money roles, industries, project statuses.

    from vocab import vocabulary
    v = vocabulary()
    v.role_labels["national"]   # '국비'
    v.industry_labels            # ('이차전지', '반도체', …)

The vocabulary is data (`vocab/data/*.toml`), read here and nowhere else, so
that the extraction (`etl`), the queries (`db`) and the dashboard (`ui`,
`pages`) cannot disagree about it; adding a role, an industry or a status is an
edit to those files. This package imports nothing of the app, so `db` can use
it without importing `etl`. `POLICY_RADAR_VOCAB` names another directory with
the same three files (a user's extended copy; the tests use one) and, if it
changes it, figures.toml.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ENV = "POLICY_RADAR_VOCAB"
SCALES = ("total", "part", "separate")


class VocabularyError(ValueError):
    """A vocabulary file is missing or malformed (a configuration error)."""


@dataclass(frozen=True, slots=True)
class Role:
    code: str  # stored in the database and the URL (?role=national)
    label: str
    color: str
    scale: str  # how it counts in 사업 규모: one of SCALES


@dataclass(frozen=True, slots=True)
class Industry:
    label: str
    color: str
    strong: tuple[str, ...]
    weak: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Status:
    label: str
    marker: str


@dataclass(frozen=True, slots=True)
class Vocabulary:
    roles: tuple[Role, ...]
    industries: tuple[Industry, ...]
    statuses: tuple[Status, ...]
    conflict_days: int = 0  # reports of one project's figure this close that differ are a conflict (figures.toml)

    @property
    def role_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.roles)

    @property
    def role_labels(self) -> dict[str, str]:
        """code -> label, in display order."""
        return {r.code: r.label for r in self.roles}

    @property
    def role_colors(self) -> dict[str, str]:
        """label -> colour (charts see labels), in display order."""
        return {r.label: r.color for r in self.roles}

    def roles_counted_as(self, scale: str) -> tuple[str, ...]:
        """Codes of the roles that count in 사업 규모 as `scale` (total, part, separate)."""
        return tuple(r.code for r in self.roles if r.scale == scale)

    @property
    def industry_labels(self) -> tuple[str, ...]:
        return tuple(i.label for i in self.industries)

    @property
    def industry_colors(self) -> dict[str, str]:
        return {i.label: i.color for i in self.industries}

    @property
    def status_labels(self) -> tuple[str, ...]:
        """In the order a project goes through them; the first is the default."""
        return tuple(s.label for s in self.statuses)

    @property
    def status_markers(self) -> dict[str, str]:
        return {s.label: s.marker for s in self.statuses}


def directory() -> Path:
    """Where the vocabulary is read from: $POLICY_RADAR_VOCAB, else vocab/data."""
    chosen = os.environ.get(ENV, "").strip()
    return Path(chosen) if chosen else DATA_DIR


def vocabulary() -> Vocabulary:
    """The vocabulary of the current directory (read once per directory)."""
    return load(directory())


@lru_cache(maxsize=8)
def load(folder: Path) -> Vocabulary:
    return Vocabulary(
        roles=tuple(_role(code, entry) for code, entry in _read(folder, "roles.toml").items()),
        industries=tuple(_industry(label, entry) for label, entry in _read(folder, "industries.toml").items()),
        statuses=tuple(_status(label, entry) for label, entry in _read(folder, "statuses.toml").items()),
        conflict_days=_conflict_days(folder if (folder / "figures.toml").exists() else DATA_DIR),
    )


def _conflict_days(folder: Path) -> int:
    """figures.toml [conflicts] days; a directory without figures.toml uses the bundled one."""
    days = _read(folder, "figures.toml").get("conflicts", {}).get("days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise VocabularyError(f"{folder / 'figures.toml'}: [conflicts] needs days, a whole number of 0 or more")
    return days


def _read(folder: Path, name: str) -> dict:
    path = folder / name
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise VocabularyError(f"{path}: vocabulary file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: not valid TOML ({exc})") from None
    if not data or not all(isinstance(entry, dict) for entry in data.values()):
        raise VocabularyError(f"{path}: needs one [table] per entry")
    return data


def _field(entry: dict, name: str, where: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise VocabularyError(f"{where}: needs a {name!r} string")
    return value


def _role(code: str, entry: dict) -> Role:
    where = f"roles.toml [{code}]"
    scale = _field(entry, "scale", where)
    if scale not in SCALES:
        raise VocabularyError(f"{where}: scale must be one of {', '.join(SCALES)}, not {scale!r}")
    return Role(code, _field(entry, "label", where), _field(entry, "color", where), scale)


def _industry(label: str, entry: dict) -> Industry:
    where = f"industries.toml [{label}]"
    return Industry(label, _field(entry, "color", where), tuple(entry.get("strong", ())), tuple(entry.get("weak", ())))


def _status(label: str, entry: dict) -> Status:
    return Status(label, _field(entry, "marker", f"statuses.toml [{label}]"))
