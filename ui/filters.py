"""The shared filter sidebar: the same controls, URL names and meaning on every page."""
from __future__ import annotations

import streamlit as st

from db.doubt import DOMINANT_MIN_KRW, DOMINANT_SHARE
from db.filters import Filters
from db import queries
from db.search import MAX_TERM_CHARS, MAX_TERMS
from ui import data, state
from ui.format import won
from ui.safe import md
from vocab import vocabulary


# Region names are matched as typed: fuzzy matching offered 계양구 for "광양", and
# "Select N matches" (in English) took all 23 places of 전라남도 on Enter.
REGION_PICKER = {"filter_mode": "contains", "select_all": False}


DOUBT_HELP = ("금액 집계에서 의심 금액을 뺍니다: 총사업비·투자 단서 없이 기사에 나온 조 단위 금액, 그리고 혼자서 "
              "같은 구분 합계의 {share}를 넘는 {size} 이상 금액(db/doubt.py).")


def region_names() -> dict[str, str]:
    """code -> display name of every 시도 and 시군구 (from the region table)."""
    return {code: name for code, name, _level, _sido in data.cached(queries.region_options)()}


def sidebar() -> Filters:
    """Render the filter controls (bound to the URL) and return the current filters."""
    names = region_names()
    v = vocabulary()
    params = {p.name: p for p in state.filter_params(names)}
    keys = {name: state.bind(p) for name, p in params.items()}
    with st.sidebar:
        st.markdown("**필터**")
        # One under the other: side by side in the sidebar, "2024-06-04" was cut to "2024 - 0".
        st.date_input("시작일", value=None, key=keys["from"], format="YYYY-MM-DD")
        st.date_input("종료일", value=None, key=keys["to"], format="YYYY-MM-DD")
        st.multiselect(
            "지역", list(names), key=keys["region"], format_func=lambda c: names.get(c, c),
            placeholder="전국 (시도·시군구 선택)", **REGION_PICKER,
        )
        st.multiselect("산업", list(v.industry_labels), key=keys["industry"], placeholder="전체 산업")
        st.multiselect(
            "금액 구분", list(v.role_codes), key=keys["role"], format_func=lambda r: v.role_labels.get(r, r),
            placeholder="모든 구분", help="금액 구분은 금액 집계에만 적용됩니다.",
        )
        st.text_input(
            "검색어", key=keys["q"], max_chars=state.MAX_Q, placeholder="예: 광양 수소",
            help="사업명과 기사 제목·본문에서 찾습니다 (두 글자 이상 단어 권장).",
        )
        st.checkbox(
            "의심 금액 제외", key=keys["sure"],
            help=DOUBT_HELP.format(share=f"{DOMINANT_SHARE:.0%}", size=won(DOMINANT_MIN_KRW)),
        )
    f = state.filters_from({name: state.value(p) for name, p in params.items()})
    if f.query_cut:
        state.warn(f"검색어가 길어 앞의 단어 {MAX_TERMS}개(단어마다 {MAX_TERM_CHARS}자까지)로만 찾습니다.")
    return f


def describe(f: Filters, names: dict[str, str] | None = None) -> str:
    """A one-line summary of active filters for captions and empty-result notes."""
    names = names or {}
    parts: list[str] = []
    if f.date_from or f.date_to:
        parts.append(f"기간 {f.date_from or '…'} ~ {f.date_to or '…'}")
    if f.regions:
        parts.append("지역 " + ", ".join(names.get(c, c) for c in f.regions))
    if f.industries:
        parts.append("산업 " + ", ".join(f.industries))
    if f.roles:
        labels = vocabulary().role_labels
        parts.append("구분 " + ", ".join(labels.get(r, r) for r in f.roles))
    if f.q:
        parts.append(f"검색어 '{md(f.q)}'")  # from the URL: a shared link must not render markup
    if f.sure_only:
        parts.append("의심 금액 제외")
    return " · ".join(parts) if parts else "전체"


def empty_notice(f: Filters, what: str = "자료") -> None:
    """Say that nothing matched and how to widen the view."""
    if f.is_empty():
        st.info(f"아직 표시할 {what}이(가) 없습니다. 기사를 적재하면 여기에 표시됩니다.")
        return
    hints = []
    if f.date_from or f.date_to:
        hints.append("기간을 넓히거나 비우기")
    if f.regions:
        hints.append("지역을 빼거나 상위 시도로 바꾸기")
    if f.industries:
        hints.append("산업 선택 줄이기")
    if f.roles:
        hints.append("금액 구분 비우기")
    if f.q:
        hints.append("검색어를 짧게(두 글자) 하거나 지우기")
    if f.sure_only:
        hints.append("'의심 금액 제외' 끄기")
    st.info(f"조건({describe(f, region_names())})에 맞는 {what}이(가) 없습니다. 범위를 넓혀 보세요: " + ", ".join(hints) + ".")
