"""Which won figures are doubtful, so that a chart can say how much of it they hold.

A figure is doubtful for one of two reasons:

* the extractor said so when it read the article (`Figure.doubt`: a 조-sized
  figure with no total or investment cue near it, etl/data/money.toml
  [doubt]); stored with the figure.
* it is out of line with the others shown (`dominant_keys`): alone it makes
  up more than `DOMINANT_SHARE` of the total of its role among the figures a
  view shows, and it is at least `DOMINANT_MIN_KRW`. That depends on the view
  (a region's only large budget dominates that region), so it is computed per
  filter set, never stored.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select

from db.models import Figure

DOMINANT_SHARE = 0.5
"""More than half of its role's total. One figure that outweighs all the others
of its kind together decides the chart alone: if it is misread (a market
outlook taken for a budget, a decades-long sum), every bar is wrong, so the
reader must be told before trusting the total."""

DOMINANT_MIN_KRW = 1_000_000_000_000
"""1조원. Below this a figure that dominates is a small view with few figures
(one 시군구's 300억 국비 is most of that 시군구's 국비, rightly); a single
project budget of 1조 or more is rare enough in regional policy news (the
large 특화단지 and 클러스터 budgets) to deserve a second look."""

DOMINANT_LABEL = "한 금액이 구분 합계의 절반 넘음"
"""The reason shown for a dominant figure (a stored doubt has its own label)."""


def dominant_keys(conditions: list[ColumnElement[bool]]) -> Select:
    """dedup_keys of the figures matching `conditions` that alone exceed `DOMINANT_SHARE`
    of their role's total among those figures and are at least `DOMINANT_MIN_KRW`."""
    totals = (
        select(Figure.dedup_key, Figure.krw, func.sum(Figure.krw).over(partition_by=Figure.role).label("role_total"))
        .where(*conditions)
        .subquery("role_totals")
    )
    return select(totals.c.dedup_key).where(
        totals.c.krw >= DOMINANT_MIN_KRW, totals.c.krw > totals.c.role_total * DOMINANT_SHARE
    )
