"""The dashboard's editing mode: analysts' corrections from the project page.

Off by default, switched on in the sidebar, and never offered in read-only
mode (POLICY_RADAR_READONLY). A correction is stored by the writer
(through ui.data.correct) and applied by deriving again what it touches
(its article, or the projects involved), so every page, query and export
shows it. Who: the name set
in the sidebar, else the operating-system user; a team tool, not
authentication.
"""
from __future__ import annotations

import getpass

import streamlit as st

from db import queries
from ui import data
from vocab import vocabulary

MODE_KEY, WHO_KEY, WHY_KEY = "editing_mode", "editing_who", "editing_why"


def available() -> bool:
    return not data.readonly()


def enabled() -> bool:
    return available() and bool(st.session_state.get(MODE_KEY, False))


def sidebar() -> None:
    """The editing switch and the analyst's name (nothing in read-only mode)."""
    if not available():
        return
    with st.sidebar.expander("편집 모드", icon=":material/edit:"):
        st.toggle("편집 모드 켜기", key=MODE_KEY, help="사업 화면에서 금액 제외·구분 변경·금액 옮기기, 사업 합치기·나누기·이름 바꾸기, 지역·산업 지정")
        st.text_input("작성자", key=WHO_KEY, placeholder=_os_user())


def who() -> str:
    return (st.session_state.get(WHO_KEY) or "").strip() or _os_user()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def submit(kind: str, target: dict, value: dict | None = None, why: str = "") -> None:
    """Store one correction and derive again what it touches, so that it applies everywhere
    (ui.data.correct). Why: `why`, else the page's 수정 사유 field, which is then cleared."""
    data.correct(kind, target, value or {}, who(), why or (st.session_state.get(WHY_KEY) or "").strip())
    st.session_state[WHY_KEY] = ""


def undo(correction_id: int) -> None:
    data.undo_correction(correction_id)


def other_projects(project_id: int) -> dict[str, str]:
    """Key -> name of every project but this one: where a figure can move, what a project can join."""
    rows = data.cached(queries.project_choices)()
    rows = rows[rows["id"] != project_id]
    return dict(zip(rows["key"], rows["name"]))


def project_of_key(key: str) -> int | None:
    """The id of the project a key names now (after a merge, the one it joined)."""
    return data.cached(queries.project_by_key)(key)


def region_choices(current: dict[str, str]) -> dict[str, str]:
    """Code -> name of every 시도 and 시군구 (시도 first), and the project's own regions."""
    return {**{code: name for code, name, _level, _sido in data.cached(queries.region_options)()}, **current}


def industry_choices(current: list[str]) -> list[str]:
    """The vocabulary's industries, and any the project has that it no longer lists."""
    return list(dict.fromkeys([*vocabulary().industry_labels, *current]))


def mention_choices(project_id: int) -> list[tuple[str, str, str]]:
    """(article content hash, name as written, label) of each article's mention of the project."""
    rows = data.cached(queries.project_mentions)(project_id)
    return [(r.content_hash, r.name, f"{r.published or '날짜 없음'} · {r.outlet or '-'} · {r.title} — ‘{r.name}’")
            for r in rows.itertuples()]
