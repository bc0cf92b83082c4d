"""Analysts' corrections survive `load --rebuild` and move between databases (etl.corrections via etl.writer)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import exports
from db.engine import make_engine
from db.models import Amount, Article, Evidence, Project, ProjectIndustry, ProjectRegion
from etl.cli import main
from etl.corrections import Correction
from etl.load import load_paths, rebuild
from etl.writer import add_corrections, stored_corrections, undo_correction

CORPUS = Path(__file__).resolve().parents[1] / "etl" / "identity"
E = 100_000_000  # 억


def _figure(engine, doc_id: str, krw: int) -> dict:
    """A figure's stable identity: its article's content hash and its span."""
    with Session(engine) as s:
        h, start, end = s.execute(select(Article.content_hash, Evidence.span_start, Evidence.span_end)
                                  .join(Amount, Amount.article_id == Article.id).join(Evidence, Evidence.id == Amount.evidence_id)
                                  .where(Article.doc_id == doc_id, Amount.krw == krw)).one()
    return {"article": h, "start": start, "end": end}


def _key(engine, name: str) -> str:
    with Session(engine) as s:
        return s.scalar(select(Project.key).where(Project.name == name))


def _hash(engine, doc_id: str) -> str:
    with Session(engine) as s:
        return s.scalar(select(Article.content_hash).where(Article.doc_id == doc_id))


def _state(engine) -> dict:
    with Session(engine) as s:
        df = exports.projects(s)
        amounts = exports.amounts(s)
        regions = {p: sorted(r for (q, r) in s.execute(select(ProjectRegion.project_id, ProjectRegion.region_code)) if q == p)
                   for p in df["project_id"]}
        industries = {p: sorted(i for (q, i) in s.execute(select(ProjectIndustry.project_id, ProjectIndustry.industry)) if q == p)
                      for p in df["project_id"]}
    rows = {r.name: (r.n_articles, None if r.krw_total is None or r.krw_total != r.krw_total else int(r.krw_total) // E,
                     None if r.krw_national != r.krw_national or r.krw_national is None else int(r.krw_national) // E,
                     None if r.krw_local != r.krw_local or r.krw_local is None else int(r.krw_local) // E)
            for r in df.astype(object).where(df.notna(), None).itertuples()}
    by_name = dict(zip(df["project_id"], df["name"]))
    return {"projects": rows, "regions": {by_name[p]: v for p, v in regions.items()},
            "industries": {by_name[p]: v for p, v in industries.items()},
            "moved": sorted((r.project_name, int(r.krw) // E) for r in amounts.itertuples() if r.article_title.startswith("군산 미래모빌리티 부품"))}


def _every_kind(engine) -> list[Correction]:
    gumi, center = _key(engine, "구미시 반도체 소재·부품 공동인프라 구축사업"), _key(engine, "구미 반도체 인력양성센터 건립")
    gunsan, dangjin = _key(engine, "군산 미래모빌리티 국가산업단지"), _key(engine, "당진 송산5산단 조성 계획")
    who = {"who": "analyst", "why": "검토"}
    return [
        Correction("reject_figure", _figure(engine, "i03_gumi_raised", 1350 * E), **who),
        Correction("set_role", _figure(engine, "i01_gumi_selected", 640 * E), {"role": "local"}, **who),
        Correction("move_figure", _figure(engine, "i08_gunsan_test_center", 450 * E), {"project": gunsan}, **who),
        Correction("merge_projects", {"project": center}, {"into": gumi}, **who),
        Correction("split_project", {"article": _hash(engine, "i10_dangjin_groundbreaking"), "name": "송산5산단"}, **who),
        Correction("rename_project", {"project": gunsan}, {"name": "군산 미래모빌리티 국가산단"}, **who),
        Correction("set_regions", {"project": dangjin}, {"regions": ["44270"]}, **who),
        Correction("set_industries", {"project": dangjin}, {"industries": ["수소"]}, **who),
    ]


CORRECTED = {
    "projects": {
        # 1,350억 rejected: the latest total left is 1,280억; 국비 640억 is 지방비 now (200 + 440 + 640);
        # the 인력양성센터's article and its 300억 (an earlier report than 1,280억) joined it
        "구미시 반도체 소재·부품 공동인프라 구축사업": (4, 1280, None, 1280),
        "군산 미래모빌리티 국가산단": (3, 5800, None, None),
        "군산 미래모빌리티 부품 실증센터": (1, None, None, None),  # its figure moved away
        "당진 송산5산단 조성 계획": (2, 3400, None, None),
        "송산5산단": (1, 3100, None, None),  # split off
    },
    "regions": {"구미시 반도체 소재·부품 공동인프라 구축사업": ["47", "47190"], "군산 미래모빌리티 국가산단": ["52130"],
                "군산 미래모빌리티 부품 실증센터": ["52130"], "당진 송산5산단 조성 계획": ["44270"], "송산5산단": ["44270"]},
    "industries": {"구미시 반도체 소재·부품 공동인프라 구축사업": ["반도체", "소재부품"], "군산 미래모빌리티 국가산단": ["미래차"],
                   "군산 미래모빌리티 부품 실증센터": ["미래차"], "당진 송산5산단 조성 계획": ["수소"],
                   "송산5산단": ["수소", "철강"]},
    "moved": [("군산 미래모빌리티 국가산단", 450)],
}


def test_every_kind_of_correction_survives_a_rebuild_and_undo_restores(engine):
    load_paths([str(CORPUS)], engine)
    original = _state(engine)
    ids = add_corrections(engine, _every_kind(engine))
    rebuild(engine)
    assert _state(engine) == CORRECTED
    rebuild(engine)
    assert _state(engine) == CORRECTED
    for correction_id in ids:
        assert undo_correction(engine, correction_id)
    assert not undo_correction(engine, ids[0])
    rebuild(engine)
    assert _state(engine) == original
    assert [c.undone_at is not None for _id, c in stored_corrections(engine)] == [True] * 8


def test_corrections_export_then_import_into_postgresql_gives_the_same_tables(new_url, tmp_path, capsys):
    source, target = new_url("sqlite"), new_url("postgresql")
    assert main(["load", "--no-progress", "--db", source, str(CORPUS)]) == 0
    assert main(["load", "--no-progress", "--db", target, str(CORPUS)]) == 0
    engines = make_engine(source), make_engine(target)
    try:
        add_corrections(engines[0], _every_kind(engines[0]))
        rebuild(engines[0])
        assert main(["corrections", "export", "--db", source, str(tmp_path / "c.jsonl")]) == 0
        assert main(["corrections", "import", "--db", target, str(tmp_path / "c.jsonl")]) == 0
        assert "8 corrections imported" in capsys.readouterr().err
        assert _state(engines[1]) == _state(engines[0]) == CORRECTED
    finally:
        for e in engines:
            e.dispose()


def test_a_bad_corrections_file_is_one_line_naming_the_line(tmp_path, new_url, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "set_role", "target": {"article": "h", "start": 1, "end": 5}, "value": {"role": "bribe"}}\n',
                   encoding="utf-8")
    assert main(["corrections", "import", "--db", new_url("sqlite"), str(bad)]) == 1
    assert capsys.readouterr().err.strip() == f"error: {bad}:1: unknown role 'bribe'"
