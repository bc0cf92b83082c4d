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

from ui import data

MODE_KEY, WHO_KEY = "editing_mode", "editing_who"


def available() -> bool:
    return not data.readonly()


def enabled() -> bool:
    return available() and bool(st.session_state.get(MODE_KEY, False))


def sidebar() -> None:
    """The editing switch and the analyst's name (nothing in read-only mode)."""
    if not available():
        return
    with st.sidebar.expander("편집 모드", icon=":material/edit:"):
        st.toggle("편집 모드 켜기", key=MODE_KEY, help="사업 화면에서 금액 제외·구분 변경·사업 합치기·이름 바꾸기")
        st.text_input("작성자", key=WHO_KEY, placeholder=_os_user())


def who() -> str:
    return (st.session_state.get(WHO_KEY) or "").strip() or _os_user()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def submit(kind: str, target: dict, value: dict | None = None, why: str = "") -> None:
    """Store one correction and derive again what it touches, so that it applies everywhere (ui.data.correct)."""
    data.correct(kind, target, value or {}, who(), why)


def undo(correction_id: int) -> None:
    data.undo_correction(correction_id)
