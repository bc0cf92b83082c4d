"""수정 기록: every analyst's correction (what, who, when, why), with undo in editing mode."""
from __future__ import annotations

import json

import streamlit as st

from db import queries
from ui import data, editing, nav, view
from ui.safe import md

KIND_LABELS = {
    "reject_figure": "금액 제외", "set_role": "금액 구분 변경", "move_figure": "금액을 다른 사업으로",
    "merge_projects": "사업 합치기", "split_project": "사업 나누기", "rename_project": "사업 이름 변경",
    "set_regions": "지역 지정", "set_industries": "산업 지정",
}


def main() -> None:
    st.title("수정 기록")
    st.caption("분석자가 추출 결과를 고친 기록입니다. 다시 적재(load --rebuild)해도 그대로 적용됩니다.")
    rows = data.cached(queries.corrections)()
    if rows.empty:
        st.info("수정 기록이 없습니다.")
        return
    can_undo = editing.enabled()
    for row in rows.itertuples():
        state = "되돌림" if row.undone_at is not None and row.undone_at == row.undone_at else "적용 중"
        value = json.loads(row.value or "{}")
        detail = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        st.markdown(f"**#{row.id} {KIND_LABELS.get(row.kind, row.kind)}** · {state} · {md(row.who)} · {row.created_at:%Y-%m-%d %H:%M}  \n"
                    f"{md(detail)}" + (f" — {md(row.why)}" if row.why else ""))
        if can_undo and state == "적용 중":
            st.button("되돌리기", key=f"undo_{row.id}", on_click=editing.undo, args=(int(row.id),), icon=":material/undo:")
    view.table(rows.assign(kind=[KIND_LABELS.get(k, k) for k in rows["kind"]]), "수정_기록")


if __name__ == "__main__":
    nav.entry(main)
