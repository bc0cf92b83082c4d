"""What a load changed: new projects and new or changed figures, for "what is new?".

Derived from the data, not logged by the loader, and worked out once, when
the run finishes (etl.writer.finish_run stores it in `etl_run.changes`): on
a large database the derivation reads every fact the run wrote (over a
second at 100,000 articles), far too slow for each visit of the overview.

A project is new in a run when its earliest mentioning article was loaded by
that run (ids grow with every insert), a figure (dedup_key) likewise; a new
figure of an older project is a changed amount, shown with the figure of the
same role that the latest earlier article reported (`previous`, None when
the role is new). A rebuild re-derives facts of old articles, so it shows no
changes.
"""
from __future__ import annotations

from sqlalchemy import Select, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import Amount, Article, Project, ProjectMention, Region
from db.search import id_in

LIMIT = 10  # projects and figures listed (the counts cover all)


def derive(session: Session, run_id: int, limit: int = LIMIT) -> dict:
    """The changes of run `run_id` as plain values (JSON-ready): new_projects [(id, name, sido,
    status)], n_new_projects, changed [(project_id, name, role, krw, previous)],
    n_changed_projects, n_new_figures."""
    in_run = select(Article.id).where(Article.run_id == run_id)
    run_ids = select(ProjectMention.project_id).where(ProjectMention.article_id.in_(in_run))
    run_keys = select(Amount.dedup_key).where(Amount.article_id.in_(in_run))
    if _nothing_older(session, run_id):  # a first load: all it reports is new, no need to look back
        new_ids = sorted(session.scalars(run_ids.distinct()))
        new_keys = sorted(session.scalars(run_keys.distinct()))
    else:
        new_ids = sorted(session.scalars(_first_reported_in(ProjectMention.project_id, ProjectMention.article_id, run_ids, in_run)))
        new_keys = sorted(session.scalars(_first_reported_in(Amount.dedup_key, Amount.article_id, run_keys, in_run)))
    new_projects = session.execute(
        select(Project.id, Project.name, Region.name.label("sido"), Project.status)
        .outerjoin(Region, Region.code == Project.sido_code)
        .where(id_in(session, Project.id, new_ids[:limit]))
        .order_by(Project.id)
        .limit(limit)
    ).all()
    fig = (
        select(func.min(Amount.project_id).label("project_id"), func.min(Amount.role).label("role"),
               func.max(Amount.krw).label("krw"), func.min(Amount.article_id).label("first_article"))
        .where(id_in(session, Amount.dedup_key, new_keys), Amount.project_id.is_not(None),
               Amount.project_id.not_in(select(Project.id).where(id_in(session, Project.id, new_ids))))
        .group_by(Amount.dedup_key)
        .subquery("fig")
    )
    changed = session.execute(
        select(fig.c.project_id, Project.name, fig.c.role, fig.c.krw, _previous_figure(fig).label("previous"))
        .join(Project, Project.id == fig.c.project_id)
        .order_by(fig.c.project_id, fig.c.role, fig.c.krw)
        .limit(limit)
    ).all()
    return {
        "new_projects": [list(r) for r in new_projects],
        "n_new_projects": len(new_ids),
        "changed": [[p, n, r, int(k), None if prev is None else int(prev)] for p, n, r, k, prev in changed],
        "n_changed_projects": session.scalar(select(func.count(distinct(fig.c.project_id)))) or 0,
        "n_new_figures": len(new_keys),
    }


def _nothing_older(session: Session, run_id: int) -> bool:
    """Whether every article with a smaller id than the run's last one is the run's own.
    Then whatever the run's articles report was first reported by the run (ids grow
    with every insert), which `_first_reported_in` would work out the long way."""
    last = select(func.max(Article.id)).where(Article.run_id == run_id).scalar_subquery()
    other = select(Article.id).where(or_(Article.run_id.is_(None), Article.run_id != run_id), Article.id < last)
    return not session.scalar(select(exists(other)))


def _first_reported_in(key, article_id, candidates: Select, in_run: Select) -> Select:
    """Those `candidates` (values of `key`) whose earliest article is one of `in_run`."""
    first = (
        select(key.label("key"), func.min(article_id).label("first_article"))
        .where(key.in_(candidates))
        .group_by(key)
        .subquery()
    )
    return select(first.c.key).where(first.c.first_article.in_(in_run))


def _previous_figure(fig):
    """The same project's figure of the same role in the latest earlier article (or NULL)."""
    earlier = Amount.__table__.alias("earlier")
    return (
        select(earlier.c.krw)
        .where(earlier.c.project_id == fig.c.project_id, earlier.c.role == fig.c.role,
               earlier.c.article_id < fig.c.first_article)
        .order_by(earlier.c.article_id.desc(), earlier.c.krw.desc())
        .limit(1)
        .scalar_subquery()
    )
