"""Benchmark the ETL: load a synthetic corpus and compare with Kiwi alone.

    .venv/bin/python bench/etl.py [--articles 5000] [--workdir DIR] [--db URL]

Prints articles per second for `load` (reading, cleaning, tagging,
extraction and writing to a fresh database), the time Kiwi alone needs to
tokenize the same texts on the same number of threads, and the ratio of the
two. A benchmark, not a test: it prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import write_corpus  # noqa: E402


def kiwi_alone(paths: list[Path], threads: int) -> float:
    """Seconds Kiwi needs to tokenize the corpus files' text, loading excluded."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=threads)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    kiwi.tokenize("워밍업 문장입니다.")
    started = time.perf_counter()
    for _ in kiwi.tokenize(iter(texts)):
        pass
    return time.perf_counter() - started


def load(paths_dir: Path, url: str) -> tuple[float, object]:
    from db.engine import make_engine
    from etl.load import load_paths
    from etl.pipeline import analyzer

    analyzer()  # Kiwi start-up is paid once per process, not per article: keep it out of the timing
    engine = make_engine(url)
    started = time.perf_counter()
    summary = load_paths([str(paths_dir)], engine)
    return time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and database (default: a temp dir)")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file in the workdir)")
    parser.add_argument("--threads", type=int, default=2, help="Kiwi threads for the baseline (the pipeline uses all cores)")
    parser.add_argument("--batch", type=int, action="append",
                        help="articles per transaction (etl.load.BATCH); repeat to compare, e.g. --batch 1 --batch 16")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="policy-radar-bench-"))
    corpus = workdir / "corpus"
    started = time.perf_counter()
    paths = sorted(corpus.glob("*.txt")) if corpus.exists() else []
    if len(paths) != args.articles:
        paths = write_corpus(corpus, args.articles)
    size = sum(p.stat().st_size for p in paths)
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB in {corpus} ({time.perf_counter() - started:.1f} s to prepare)")

    import os

    from etl import load as load_module

    print(f"load average {os.getloadavg()[0]:.1f}")
    # On a shared machine the time Kiwi gets drifts: each load is compared with
    # Kiwi timed right before and right after it.
    kiwi_s = kiwi_alone(paths, args.threads)
    print(f"kiwi:  {kiwi_s:7.1f} s  {len(paths) / kiwi_s:7.1f} articles/s   (tokenize only, {args.threads} threads)")
    for batch in args.batch or [load_module.BATCH]:
        load_module.BATCH = batch
        url = args.db or f"sqlite:///{workdir / f'bench{batch}.db'}"
        if not args.db:
            (workdir / f"bench{batch}.db").unlink(missing_ok=True)
        load_s, summary = load(corpus, url)
        print(f"load:  {load_s:7.1f} s  {len(paths) / load_s:7.1f} articles/s   batch {batch}  ({summary.line()})")
        after = kiwi_alone(paths, args.threads)
        print(f"kiwi:  {after:7.1f} s   ratio: {load_s / ((kiwi_s + after) / 2):.2f}x  (load time / mean Kiwi time before and after)"
              f"   load average {os.getloadavg()[0]:.1f}")
        kiwi_s = after

if __name__ == "__main__":
    main()
