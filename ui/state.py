"""View state that lives in the URL, so a copied address reproduces the view.

The URL is the source of truth whenever it changes from outside the script
(a pasted link, a navigation link, back/forward): then every bound value is
parsed from it again (`begin`). Otherwise the widgets are, and `commit`
writes their values back to the URL at the end of the run. Values that fail
to parse are dropped with a `st.warning` that names them.

Widgets are not bound with `bind="query-params"`: that silently drops invalid
values (we must name them), writes display labels rather than codes to the
URL, and cannot be combined with reading the raw parameters.

A page binds its own values with `bind(param)` and uses the returned
session-state key as the widget key; parameters of other pages are dropped
from the URL when the page changes.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from db.filters import Filters
from vocab import vocabulary

_RAW = "_url_raw"
_RESEED = "_url_reseed"
_WRITTEN = "_url_written"
_USED = "_url_used"
_WARNINGS = "_url_warnings"
_PAGE = "_url_page"
MAX_Q = 100  # characters of the search text (the sidebar box has the same limit)
MAX_ID = 2_147_483_647  # the largest row id (PostgreSQL INTEGER)

Parser = Callable[[list[str]], tuple[Any, list[str]]]


@dataclass(frozen=True)
class Param:
    """A URL parameter: its name, default, and how to read and write it."""

    name: str
    default: Any
    parse: Parser
    dump: Callable[[Any], list[str]]
    what: str = "값"  # how the warning names it (지역, 날짜 ...)
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"url_{self.name}"


# ---------------------------------------------------------------- parsers (pure)


def parse_date(values: list[str]) -> tuple[date | None, list[str]]:
    text = values[-1].strip() if values else ""
    if not text:
        return None, []
    try:
        return date.fromisoformat(text), []
    except ValueError:
        return None, [text]


class Notice(str):
    """A parser's message about a value it kept but changed (shown as it is, not as 'unknown')."""


def parse_int(values: list[str], maximum: int = MAX_ID) -> tuple[int | None, list[str]]:
    """A positive integer of at most `maximum`; anything else is reported.

    Row ids are bounded by the smaller of the two backends' integer columns
    (PostgreSQL INTEGER), so an id past it is a notice, not a database error.
    """
    text = values[-1].strip() if values else ""
    if not text:
        return None, []
    if text.isascii() and text.isdigit() and 0 < int(text) <= maximum:
        return int(text), []
    return None, [text]


def parse_text(values: list[str]) -> tuple[str, list[str]]:
    """Search text with whitespace folded, at most `MAX_Q` characters (saying so when cut)."""
    text = " ".join((values[-1] if values else "").split())
    if len(text) <= MAX_Q:
        return text, []
    return text[:MAX_Q], [Notice(f"링크의 검색어가 너무 길어 앞의 {MAX_Q}자만 사용합니다.")]


def choice_parser(
    options: Sequence[str], aliases: Mapping[str, str] | None = None, many: bool = True, limit: int | None = None
) -> Parser:
    """Accept known options (or aliases of them), at most `limit`; everything else is reported."""
    aliases = aliases or {}

    def parse(values: list[str]) -> tuple[Any, list[str]]:
        good: list[str] = []
        bad: list[str] = []
        for raw in values:
            v = raw.strip()
            if not v:
                continue
            v = aliases.get(v, v)
            if v in options and limit is not None and len(good) >= limit and v not in good:
                bad.append(raw)
            elif v in options:
                if v not in good:
                    good.append(v)
            else:
                bad.append(raw)
        if many:
            return good, bad
        return (good[-1] if good else None), bad

    return parse


def int_choice(options: Sequence[int]) -> Parser:
    """One of a few integers (e.g. how many rows to show)."""

    def parse(values: list[str]) -> tuple[int | None, list[str]]:
        number, bad = parse_int(values)
        if number is not None and number not in options:
            return None, [values[-1]]
        return number, bad

    return parse


def region_aliases(names: Mapping[str, str]) -> dict[str, str]:
    """Full names (전라남도 광양시) and unambiguous short names (광양시) of region codes."""
    aliases = {name: code for code, name in names.items()}
    short: dict[str, list[str]] = {}
    for code, name in names.items():
        short.setdefault(name.split()[-1], []).append(code)
    for word, codes in short.items():
        if len(codes) == 1 and word not in aliases:
            aliases[word] = codes[0]
    return aliases


def parse_flag(values: list[str]) -> tuple[bool, list[str]]:
    """An on/off switch: `1` (or `제외`, as a reader may type it) is on, absent or empty is off."""
    text = values[-1].strip() if values else ""
    if text in ("", "0"):
        return False, []
    if text in ("1", "제외"):
        return True, []
    return False, [text]


def dump_flag(value: Any) -> list[str]:
    return ["1"] if value else []


def dump_list(value: Any) -> list[str]:
    return [str(v) for v in (value or [])]


def dump_one(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [value.isoformat() if isinstance(value, date) else str(value)]


# ---------------------------------------------------------------- shared filters


def filter_params(region_names: Mapping[str, str]) -> list[Param]:
    """The filters every page shares, in URL order."""
    v = vocabulary()
    return [
        Param("from", None, parse_date, dump_one, "날짜"),
        Param("to", None, parse_date, dump_one, "날짜"),
        Param("region", [], choice_parser(list(region_names), region_aliases(region_names)), dump_list, "지역"),
        Param("industry", [], choice_parser(v.industry_labels), dump_list, "산업"),
        Param("role", [], choice_parser(v.role_codes, {label: code for code, label in v.role_labels.items()}), dump_list, "금액 구분"),
        Param("q", "", parse_text, dump_one, "검색어"),
        Param("sure", False, parse_flag, dump_flag, "의심 금액 제외"),
    ]


SHARED_NAMES = ("from", "to", "region", "industry", "role", "q", "sure")


def parse_filters(raw: Mapping[str, list[str]], region_names: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """Filters from raw URL parameters, and warnings naming every value that was dropped."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for p in filter_params(region_names):
        if p.name in raw:
            value, bad = p.parse(list(raw[p.name]))
            warnings.extend(warning_text(p, b) for b in bad)
        else:
            value = p.default
        values[p.name] = value
    return filters_from(values), warnings


def filters_from(values: Mapping[str, Any]) -> Filters:
    """Filters from parsed parameter values; a reversed date range is put right."""
    start, end = values.get("from"), values.get("to")
    if start and end and start > end:
        start, end = end, start
    return Filters(
        date_from=start,
        date_to=end,
        regions=tuple(values.get("region") or ()),
        industries=tuple(values.get("industry") or ()),
        roles=tuple(values.get("role") or ()),
        q=values.get("q") or "",
        sure_only=bool(values.get("sure")),
    )


def filters_to_params(f: Filters) -> dict[str, list[str]]:
    """Canonical URL parameters of a filter set (defaults left out)."""
    out: dict[str, list[str]] = {}
    if f.date_from:
        out["from"] = [f.date_from.isoformat()]
    if f.date_to:
        out["to"] = [f.date_to.isoformat()]
    for name, seq in (("region", f.regions), ("industry", f.industries), ("role", f.roles)):
        if seq:
            out[name] = list(seq)
    if f.q:
        out["q"] = [f.q]
    if f.sure_only:
        out["sure"] = dump_flag(True)
    return out


def warning_text(p: Param, bad: str) -> str:
    if isinstance(bad, Notice):
        return str(bad)
    shown = bad.replace("`", "").strip()[:40] or "(빈 값)"
    return f"링크의 {p.what} `{shown}`을(를) 알 수 없어 무시했습니다 (매개변수 `{p.name}`)."


# ---------------------------------------------------------------- run protocol (streamlit)


def read_url() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: list(qp.get_all(k)) for k in qp}


def _normal(params: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    return {k: list(v) for k, v in sorted(params.items()) if list(v)}


def begin(page: str) -> None:
    """Start a run: decide whether the URL changed from outside and must be re-read."""
    ss = st.session_state
    raw = read_url()
    ss[_RAW] = raw
    ss[_RESEED] = _normal(raw) != ss.get(_WRITTEN) or ss.get(_PAGE) != page
    ss[_PAGE] = page
    ss[_USED] = {}
    ss[_WARNINGS] = []


def bind(p: Param) -> str:
    """Register a URL parameter for this run and return its session-state key."""
    ss = st.session_state
    ss.setdefault(_USED, {})[p.name] = p
    if ss.get(_RESEED, True):
        raw = ss.get(_RAW, {})
        value = p.default
        if p.name in raw:
            parsed, bad = p.parse(list(raw[p.name]))
            ss.setdefault(_WARNINGS, []).extend(warning_text(p, b) for b in bad)
            value = p.default if parsed is None else parsed
        ss[p.key] = value
    elif p.key not in ss:
        ss[p.key] = p.default
    return p.key


def value(p: Param) -> Any:
    return st.session_state.get(p.key, p.default)


def set_value(p: Param, new: Any) -> None:
    """Change a bound non-widget value (from a callback or before its widget)."""
    st.session_state[p.key] = new


def warn(message: str) -> None:
    """A notice about the link (e.g. an id that names nothing), shown above the page."""
    st.session_state.setdefault(_WARNINGS, []).append(message)


def warnings() -> list[str]:
    return list(st.session_state.get(_WARNINGS, []))


def current_params(names: Sequence[str] | None = None) -> dict[str, list[str]]:
    """URL parameters of the bound values (all, or only `names`), defaults left out."""
    used: dict[str, Param] = st.session_state.get(_USED, {})
    out: dict[str, list[str]] = {}
    for name, p in used.items():
        if names is not None and name not in names:
            continue
        dumped = p.dump(st.session_state.get(p.key, p.default))
        if dumped and st.session_state.get(p.key, p.default) != p.default:
            out[name] = dumped
    return out


def shared_params() -> dict[str, list[str]]:
    """The shared filters as URL parameters, for links to other pages."""
    return current_params(SHARED_NAMES)


def commit() -> None:
    """End a run: write the bound values to the URL if they differ from it."""
    ss = st.session_state
    params = _normal(current_params())
    if params != _normal(ss.get(_RAW, {})):
        st.query_params.from_dict(params)
    ss[_WRITTEN] = params


def query_string(params: Mapping[str, Sequence[str]]) -> str:
    return urlencode([(k, v) for k, vs in params.items() for v in vs])


def share_url() -> str:
    """The full address of the current view (page and every bound value)."""
    base = st.context.url or ""
    qs = query_string(current_params())
    return f"{base}?{qs}" if qs else base
