"""기사: browse and search articles; cleaned text with extracted facts marked; raw text on demand."""
from __future__ import annotations

import streamlit as st

from db import queries
from ui import data, nav, state, view
from ui.filters import empty_notice
from ui.format import day, won
from ui.highlight import highlight, text_box
from ui.safe import md, web_url

ARTICLE = state.Param("article", None, state.parse_int, state.dump_one, "기사 ID")
TABLE_KEY = "article_table"


def select_row(ids: list[int]) -> None:
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        state.set_value(ARTICLE, ids[rows[0]])


def close_detail() -> None:
    state.set_value(ARTICLE, None)


def detail(article_id: int) -> None:
    d = data.cached(queries.article_detail)(article_id)
    if d is None:
        state.warn(f"링크의 기사 ID `{article_id}`에 해당하는 기사가 없습니다.")
        return
    a = d.article
    st.button("목록으로", on_click=close_detail, icon=":material/arrow_back:")
    view.text_heading(a["title"])
    view.text_caption(" · ".join(x for x in (day(a["published"]), ", ".join(d.outlets), a["reporter"] or "") if x))
    url = web_url(a["url"])
    if url:
        st.link_button("원문 기사", url, icon=":material/open_in_new:")
    st.markdown("**지역** " + md(", ".join(d.regions) or "-") + "  \n**산업** " + md(", ".join(d.industries) or "-"))
    for row in d.projects.itertuples():
        nav.link("projects", f"사업: {md(row.name)}", project=row.id)
    spans = [(int(r.span_start), int(r.span_end), f"{r.kind}: {r.text}") for r in d.facts.itertuples()]
    spans += [(int(r.span_start), int(r.span_end), f"제외: {r.label} {r.text}") for r in d.excluded.itertuples()]
    st.subheader("본문 (추출된 사실 표시)")
    st.html(text_box(highlight(a["text"], spans)))
    if not d.facts.empty:
        with st.expander(f"추출된 사실 {len(d.facts)}건"):
            view.table(d.facts, f"기사{article_id}_사실")
    excluded(d.excluded)
    if st.toggle("원문(정제 전) 보기", key="show_raw"):
        st.html(text_box(highlight(a["raw_text"], [])))


def excluded(rows) -> None:
    """The won figures left out of every total (not project money), each with why and its sentence."""
    if rows.empty:
        return
    st.markdown(f"**제외된 금액 {len(rows)}건** (사업 예산·투자가 아니어서 집계하지 않음)")
    for row in rows.itertuples():
        view.fact_line(f"제외: {row.label} · {won(row.krw)}", row.sentence)


def listing(f) -> None:
    rows, total = data.cached(queries.article_list)(f, 200)
    if rows.empty:
        empty_notice(f, "기사")
        return
    st.caption(f"조건에 맞는 기사 {total:,}건" + (f" 중 최근 {len(rows):,}건" if total > len(rows) else "") + " · 행을 누르면 본문이 열립니다. 검색어는 왼쪽 필터에 입력하세요.")
    view.table(
        rows,
        "기사목록",
        key=TABLE_KEY,
        on_select=lambda: select_row([int(i) for i in rows["id"]]),
        selection_mode="single-row",
        links=("url",),
        column_config={"제목": st.column_config.TextColumn("제목", width="large")},
    )


def main() -> None:
    f = view.header("기사", "기사 찾아보기 · 검색어는 두 글자 단어(광양, 수소)도 찾습니다")
    state.bind(ARTICLE)
    article_id = state.value(ARTICLE)
    if article_id is not None:
        detail(int(article_id))
        st.divider()
    listing(f)


if __name__ == "__main__":
    nav.entry(main)
