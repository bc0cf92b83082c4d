"""A correction applied where it lands (etl.load.correct / undo) leaves the database a full
`rebuild` would make: the same projects, figures, amounts, regions, industries and mentions.

Rows are compared by their stable identities (project key, article content hash, evidence
span), not row ids, which a rebuild and a targeted re-derivation hand out differently.
"""
from __future__ import annotations

import random
from collections import Counter

import pytest
from sqlalchemy import select

from db.models import (
    Amount,
    Article,
    Evidence,
    Figure,
    Jobs,
    Period,
    Project,
    ProjectIndustry,
    ProjectMention,
    ProjectMerge,
    ProjectRegion,
    StatusEvent,
)
from etl.corrections import Correction
from etl.load import correct, load_paths, rebuild, undo
from tests.db.test_corrections_backends import CORPUS, E, _every_kind, _figure, _hash, _key

# Figures of no project: each stands alone in `figure`, keyed by its article.
LOOSE = """전남일보 | 전남

전남도, 내년 국비 1조원 시대 열었다

김영호 기자  입력 2024.12.05 10:00

전라남도는 내년도 정부 예산에서 국비 1조 2,000억원을 확보했다고 5일 밝혔다. 도는 이 가운데 2,400억원이 신규 반영됐다고 설명했다.
"""
from tests.db.test_rollups import _assert_in_step  # noqa: E402

GUMI, CENTER = "구미시 반도체 소재·부품 공동인프라 구축사업", "구미 반도체 인력양성센터 건립"
GUNSAN, DANGJIN = "군산 미래모빌리티 국가산업단지", "당진 송산5산단 조성 계획"


def derived(engine) -> dict[str, Counter]:
    """Every derived row a correction can change, with ids replaced by stable identities."""
    with engine.connect() as c:
        key = dict(c.execute(select(Project.id, Project.key)).all())
        art = dict(c.execute(select(Article.id, Article.content_hash)).all())
        ev = {r.id: (art[r.article_id], r.span_start, r.span_end) for r in c.execute(select(Evidence))}

        def project(pid):
            return key.get(pid) if pid is not None else None

        def dedup(k: str) -> str:
            owner, rest = k.split(":", 1)
            return f"{project(int(owner[1:]))}:{rest}" if owner.startswith("p") else f"{art[int(owner[1:])]}:{rest}"

        def rows(stmt, shape) -> Counter:
            return Counter(shape(r) for r in c.execute(stmt))

        return {
            "project": rows(select(Project), lambda r: (r.key, r.name, r.sido_code, r.status, r.first_published,
                                                        r.last_published, r.n_articles)),
            "figure": rows(select(Figure), lambda r: (dedup(r.dedup_key), r.krw, r.role, project(r.project_id), r.region_code,
                                                      r.sido_code, r.year, r.first_published, r.last_published, r.doubt)),
            "amount": rows(select(Amount), lambda r: (art[r.article_id], project(r.project_id), r.krw, r.role, r.text,
                                                      r.region_code, r.sido_code, r.year, dedup(r.dedup_key),
                                                      ev[r.evidence_id], r.cue, r.part_of, r.doubt)),
            "project_region": rows(select(ProjectRegion), lambda r: (project(r.project_id), r.region_code)),
            "project_industry": rows(select(ProjectIndustry), lambda r: (project(r.project_id), r.industry)),
            "project_mention": rows(select(ProjectMention), lambda r: (project(r.project_id), art[r.article_id], r.name,
                                                                       r.score, ev.get(r.evidence_id))),
            "project_merge": rows(select(ProjectMerge), lambda r: (project(r.project_id), art[r.article_id], r.key, r.name,
                                                                   r.score, r.reason)),
            "status_event": rows(select(StatusEvent), lambda r: (project(r.project_id), art[r.article_id], r.status,
                                                                 r.event_date, ev[r.evidence_id])),
            "period": rows(select(Period), lambda r: (project(r.project_id), art[r.article_id], r.start_year, r.end_year)),
            "jobs": rows(select(Jobs), lambda r: (project(r.project_id), art[r.article_id], r.count)),
        }


def _reject(engine):
    return Correction("reject_figure", _figure(engine, "i03_gumi_raised", 1350 * E))


def _reject_loose(engine):
    return Correction("reject_figure", _figure(engine, "loose", 2400 * E))


def _set_role(engine):
    return Correction("set_role", _figure(engine, "i01_gumi_selected", 640 * E), {"role": "local"})


def _move(engine):
    return Correction("move_figure", _figure(engine, "i08_gunsan_test_center", 450 * E), {"project": _key(engine, GUNSAN)})


def _move_into_a_later_project(engine):
    """Into a project first reported after the figure's article: a rebuild moves it once every article is in."""
    return Correction("move_figure", _figure(engine, "i01_gumi_selected", 640 * E), {"project": _key(engine, DANGJIN)})


def _merge(engine):
    return Correction("merge_projects", {"project": _key(engine, CENTER)}, {"into": _key(engine, GUMI)})


def _merge_the_older_into_the_newer(engine):
    return Correction("merge_projects", {"project": _key(engine, GUMI)}, {"into": _key(engine, CENTER)})


def _split(engine):
    return Correction("split_project", {"article": _hash(engine, "i10_dangjin_groundbreaking"), "name": "송산5산단"})


def _rename(engine):
    return Correction("rename_project", {"project": _key(engine, GUNSAN)}, {"name": "군산 미래모빌리티 국가산단"})


def _regions(engine):
    return Correction("set_regions", {"project": _key(engine, DANGJIN)}, {"regions": ["44270"]})


def _industries(engine):
    return Correction("set_industries", {"project": _key(engine, DANGJIN)}, {"industries": ["수소"]})


KINDS = {
    "reject_figure": _reject, "reject_figure_loose": _reject_loose, "set_role": _set_role, "move_figure": _move, "move_figure_later": _move_into_a_later_project,
    "merge_projects": _merge, "merge_projects_older": _merge_the_older_into_the_newer, "split_project": _split,
    "rename_project": _rename, "set_regions": _regions, "set_industries": _industries,
}


@pytest.fixture
def loaded(engine, tmp_path):
    (tmp_path / "loose.txt").write_text(LOOSE, encoding="utf-8")
    load_paths([str(CORPUS), str(tmp_path / "loose.txt")], engine)
    return engine


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_correction_and_its_undo_derive_what_a_rebuild_derives(loaded, kind):
    original = derived(loaded)
    [correction_id] = correct(loaded, [KINDS[kind](loaded)])
    targeted = derived(loaded)
    assert targeted != original  # it changed something
    _assert_in_step(loaded)  # the aggregates kept from the figures too (db.rollups)
    rebuild(loaded)
    assert targeted == derived(loaded)
    assert undo(loaded, correction_id)
    assert derived(loaded) == original
    _assert_in_step(loaded)
    rebuild(loaded)
    assert derived(loaded) == original


def test_every_kind_one_after_another_then_undone_in_turn(loaded):
    original = derived(loaded)
    ids = [correct(loaded, [c])[0] for c in _every_kind(loaded)]
    targeted = derived(loaded)
    rebuild(loaded)
    assert targeted == derived(loaded)
    for correction_id in ids:
        assert undo(loaded, correction_id)
        targeted = derived(loaded)
        _assert_in_step(loaded)
        rebuild(loaded)
        assert targeted == derived(loaded)
    assert derived(loaded) == original
    assert not undo(loaded, ids[0])


SAMPLE = CORPUS.parents[2] / "data" / "sample"


def _random_correction(engine, rng: random.Random) -> Correction:
    """A correction of a random kind on random figures, projects and mentions of the database."""
    with engine.connect() as c:
        figures = c.execute(select(Article.content_hash, Evidence.span_start, Evidence.span_end)
                            .join(Amount, Amount.article_id == Article.id).join(Evidence, Evidence.id == Amount.evidence_id)
                            .order_by(Amount.id)).all()
        keys = list(c.scalars(select(Project.key).order_by(Project.id)))
        mentions = c.execute(select(Article.content_hash, ProjectMention.name).join(Article, Article.id == ProjectMention.article_id)
                             .join(Project, Project.id == ProjectMention.project_id).where(Project.n_articles > 1)
                             .order_by(ProjectMention.id)).all()
    h, start, end = rng.choice(figures)
    figure = {"article": h, "start": start, "end": end}
    a, b = rng.sample(keys, 2)
    kind = rng.choice(["reject_figure", "set_role", "move_figure", "merge_projects", "merge_projects", "split_project",
                       "rename_project", "set_regions", "set_industries"])
    if kind == "split_project" and mentions:
        h, name = rng.choice(mentions)
        return Correction(kind, {"article": h, "name": name})
    return {
        "reject_figure": Correction("reject_figure", figure),
        "set_role": Correction("set_role", figure, {"role": rng.choice(["national", "local", "total"])}),
        "move_figure": Correction("move_figure", figure, {"project": b}),
        "merge_projects": Correction("merge_projects", {"project": a}, {"into": b}),
        "set_regions": Correction("set_regions", {"project": a}, {"regions": [rng.choice(["44270", "47190", "46"])]}),
        "set_industries": Correction("set_industries", {"project": a}, {"industries": ["수소"]}),
    }.get(kind, Correction("rename_project", {"project": a}, {"name": "새 이름"}))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_random_corrections_and_undos_each_leave_what_a_rebuild_leaves(loaded):
    """Twelve steps, each a random correction or an undo of an earlier one, on the sample and the identity corpus."""
    load_paths([str(SAMPLE)], loaded)
    rng, ids = random.Random(12), []
    for _step in range(12):
        if ids and rng.random() < 0.3:
            assert undo(loaded, ids.pop(rng.randrange(len(ids))))
        else:
            ids += correct(loaded, [_random_correction(loaded, rng)])
        targeted = derived(loaded)
        rebuild(loaded)
        assert targeted == derived(loaded)


def test_a_figure_derived_again_keeps_the_region_its_project_had_then(loaded):
    """Regions an analyst set apply to the project, not to the regions its figures took from it when
    their articles were stored: deriving one of those articles again must not give them the new ones."""
    correct(loaded, [Correction("set_regions", {"project": _key(loaded, DANGJIN)}, {"regions": ["44200"]})])
    correct(loaded, [Correction("set_role", _figure(loaded, "i10_dangjin_groundbreaking", 3100 * E), {"role": "national"})])
    targeted = derived(loaded)
    assert ("44:당진송산5산업단지조성계획", "44200") in targeted["project_region"]
    rebuild(loaded)
    assert targeted == derived(loaded)
    assert {r[5] for r in targeted["amount"] if r[1] == "44:당진송산5산업단지조성계획"} == {"44270"}
