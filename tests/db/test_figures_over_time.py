"""A project's figures over time, on SQLite and PostgreSQL: the latest report is
current, earlier ones are history, reports that disagree at about the same time
are conflicts (db.figures via etl.writer; db.queries; db.exports)."""
from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import queries
from db.figures import Report, conflicts, current_figures
from db.filters import Filters
from db.models import Figure
from etl.cli import main
from etl.load import load_paths

CORPUS = Path(__file__).resolve().parents[1] / "etl" / "identity"
E = 100_000_000  # 억
D1, D2, D3 = date(2024, 3, 12), date(2024, 3, 20), date(2025, 2, 11)


def report(amount_id, article_id, published, krw, role="total", project_id=1) -> Report:
    owner = f"p{project_id}" if project_id else f"a{article_id}"
    return Report(amount_id, article_id, published, f"{owner}:{role}:{krw}", krw, role, project_id, None, "47", None)


@pytest.mark.parametrize("reports, current", [
    # raised: the later total replaces the earlier one
    ([report(1, 1, D1, 1280 * E), report(2, 2, D3, 1350 * E)], [("p1:total:135000000000", D3, D3)]),
    # loaded out of order: still the later one; a repeated figure keeps its first and last date
    ([report(1, 2, D3, 1350 * E), report(2, 1, D1, 1280 * E), report(3, 3, D2, 1350 * E)],
     [("p1:total:135000000000", D2, D3)]),
    # one article, two parts of one role (도비, 시비): both count
    ([report(1, 1, D1, 200 * E, "local"), report(2, 1, D1, 440 * E, "local")],
     [("p1:local:20000000000", D1, D1), ("p1:local:44000000000", D1, D1)]),
    # one article, two totals: the last it states
    ([report(1, 1, D1, 1280 * E), report(2, 1, D1, 1350 * E)], [("p1:total:135000000000", D1, D1)]),
    # an undated report does not replace a dated one
    ([report(1, 1, D1, 1280 * E), report(2, 2, None, 900 * E)], [("p1:total:128000000000", D1, D1)]),
    # figures without a project each stand alone
    ([report(1, 1, D1, 10 * E, project_id=None), report(2, 2, D3, 20 * E, project_id=None)],
     [("a1:total:1000000000", D1, D1), ("a2:total:2000000000", D3, D3)]),
])
def test_current_figures(reports, current):
    assert [(r["dedup_key"], r["first_published"], r["last_published"]) for r in current_figures(reports)] == current


def test_conflicts_are_differing_reports_close_in_time():
    reports = [report(1, 1, D1, 1280 * E), report(2, 2, D2, 1300 * E), report(3, 3, D3, 1350 * E),
               report(4, 4, date(2025, 2, 12), 1350 * E)]
    assert conflicts(reports, 31) == [(1, "total", 1, 1280 * E, 2, 1300 * E)]
    assert conflicts(reports, 0) == []


def _totals(engine) -> dict[int, list[int]]:
    with Session(engine) as s:
        rows = s.execute(select(Figure.project_id, Figure.krw).where(Figure.role == "total").order_by(Figure.project_id))
        out: dict[int, list[int]] = {}
        for pid, krw in rows:
            out.setdefault(pid, []).append(krw // E)
    return out


def test_a_raised_budget_replaces_the_total_and_keeps_its_history(engine):
    load_paths([str(CORPUS)], engine)
    assert _totals(engine) == {1: [1350], 2: [300], 3: [5800], 4: [450], 5: [3400]}
    with Session(engine) as s:
        detail = queries.project_detail(s, 1)
        history = [(r.role, r.krw // E, r.published, r.outlet, r.current) for r in detail.history.itertuples()]
        headline = queries.headline(s, Filters())
        by_role = {r.role: r.krw // E for r in queries.funding_by_role(s, Filters()).itertuples()}
    assert history == [
        ("total", 1280, date(2024, 3, 12), "경북일보", False),
        ("total", 1280, date(2024, 9, 5), "대구일보", False),
        ("total", 1350, date(2025, 2, 11), "연합뉴스", True),
        ("national", 640, date(2024, 3, 12), "경북일보", True),
        ("local", 640, date(2024, 3, 12), "경북일보", True),
    ]
    assert headline.scale // E == 1350 + 300 + 5800 + 450 + 3400
    assert by_role["total"] == 1350 + 300 + 5800 + 450 + 3400
    assert detail.conflicts.empty


def test_export_has_one_row_per_project_with_its_articles_and_latest_total(db_url, tmp_path, capsys):
    assert main(["load", "--no-progress", "--db", db_url, str(CORPUS)]) == 0
    assert main(["export", "--db", db_url, "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    with (tmp_path / "out" / "projects.csv").open(encoding="utf-8-sig") as handle:
        rows = [(r["name"], r["n_articles"], r["krw_total"]) for r in csv.DictReader(handle)]
    assert rows == [
        ("구미시 반도체 소재·부품 공동인프라 구축사업", "3", "135000000000"),
        ("구미 반도체 인력양성센터 건립", "1", "30000000000"),
        ("군산 미래모빌리티 국가산업단지", "3", "580000000000"),
        ("군산 미래모빌리티 부품 실증센터", "1", "45000000000"),
        ("당진 송산5산단 조성 계획", "3", "340000000000"),
    ]


def test_figures_that_disagree_at_about_the_same_time_are_flagged_not_added(engine, tmp_path):
    """A second outlet reports the 공동인프라 eight days later at 1,300억, not 1,280억."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(CORPUS / "i01_gumi_selected.txt", folder)
    text = (CORPUS / "i02_gumi_groundbreaking.txt").read_text(encoding="utf-8")
    (folder / "i02_other.txt").write_text(text.replace("2024.09.05", "2024.03.20").replace("1,280억", "1,300억"),
                                          encoding="utf-8")
    load_paths([str(folder)], engine)
    assert _totals(engine) == {1: [1300]}
    with Session(engine) as s:
        found = queries.figure_conflicts(s, Filters())
        detail = queries.project_detail(s, 1)
    assert [(r.name, r.label, r.krw_a // E, r.published_a, r.outlet_a, r.krw_b // E, r.published_b, r.outlet_b)
            for r in found.itertuples()] == [
        ("구미시 반도체 소재·부품 공동인프라 구축사업", "총사업비", 1280, date(2024, 3, 12), "경북일보",
         1300, date(2024, 3, 20), "대구일보")]
    assert len(detail.conflicts) == 1
