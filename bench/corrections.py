"""Benchmark one analyst's correction: derived where it lands, against a full rebuild.

    .venv/bin/python bench/corrections.py [PATH ...] [--synthetic N] [--db URL]

Loads the paths (default: the seeds and dev articles in ../shared) plus N
synthetic articles (bench/corpus.py) into a fresh database, then times, for
a figure rejected, two projects merged and a mention split off: applying the
correction (etl.load.correct), undoing it (etl.load.undo), and the full
`rebuild` that applied corrections before. A benchmark, not a test: it prints
figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def corrections(engine) -> dict:
    """One correction of each heavy kind, on the projects with won figures reported by the most articles."""
    from sqlalchemy import func, select

    from db.models import Amount, Article, Evidence, Project, ProjectMention
    from etl.corrections import Correction

    with engine.connect() as c:
        big = c.execute(select(Project.id, Project.key).where(Project.id.in_(select(Amount.project_id)))
                        .order_by(Project.n_articles.desc(), Project.id).limit(2)).all()
        h, start, end = c.execute(select(Article.content_hash, Evidence.span_start, Evidence.span_end)
                                  .join(Amount, Amount.article_id == Article.id).join(Evidence, Evidence.id == Amount.evidence_id)
                                  .where(Amount.project_id == big[0].id).limit(1)).one()
        mention = c.execute(select(Article.content_hash, ProjectMention.name).join(Article, Article.id == ProjectMention.article_id)
                            .where(ProjectMention.project_id == big[0].id).order_by(func.random()).limit(1)).one()
    return {
        "reject_figure": Correction("reject_figure", {"article": h, "start": start, "end": end}, who="bench"),
        "merge_projects": Correction("merge_projects", {"project": big[1].key}, {"into": big[0].key}, who="bench"),
        "split_project": Correction("split_project", {"article": mention[0], "name": mention[1]}, who="bench"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(SHARED / "seeds"), str(SHARED / "dev")])
    parser.add_argument("--synthetic", type=int, default=0, help="synthetic articles to add (bench/corpus.py)")
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args(argv)

    from sqlalchemy import func, select

    from bench.corpus import write_corpus
    from db.engine import make_engine
    from db.models import Article
    from etl.load import correct, load_paths, rebuild, undo

    with tempfile.TemporaryDirectory() as tmp:
        paths = list(args.paths)
        if args.synthetic:
            write_corpus(Path(tmp) / "synthetic", args.synthetic)
            paths.append(str(Path(tmp) / "synthetic"))
        engine = make_engine(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        load_paths(paths, engine)
        with engine.connect() as c:
            n = c.scalar(select(func.count()).select_from(Article))
        seconds, _ = _timed(rebuild, engine)
        print(f"{n} articles; full rebuild (what one correction cost before): {seconds:.2f} s")
        for kind, c in corrections(engine).items():
            applied, [correction_id] = _timed(correct, engine, [c])
            undone, _ = _timed(undo, engine, correction_id)
            print(f"{kind:15} apply {applied:6.2f} s   undo {undone:6.2f} s")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
