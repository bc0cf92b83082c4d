"""Benchmark the ETL: load a synthetic corpus and compare with Kiwi alone.

    .venv/bin/python bench/etl.py [--articles 5000] [--workdir DIR] [--db URL] [--rounds N]

Prints articles per second for `load` (reading, cleaning, tagging,
extraction and writing to a fresh database), the time Kiwi alone needs to
tokenize the same texts on the same number of threads (the mean of a run just
before and one just after the load), and the ratio of the two. On a shared machine wall time says more about the neighbours than about
the code, so the CPU seconds of both (and of the loader's main thread, the
one that extracts and writes) are printed too: when both keep every core
busy, their ratio is the wall-time ratio of an idle machine. A benchmark, not
a test: it prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import write_corpus  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process, every thread, user and system."""
    times = os.times()
    return times.user + times.system


def kiwi_alone(paths: list[Path], threads: int) -> tuple[float, float]:
    """Seconds (wall, CPU) Kiwi needs to tokenize the corpus files' text, loading excluded."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=threads)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    kiwi.tokenize("워밍업 문장입니다.")
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in kiwi.tokenize(iter(texts)):
        pass
    return time.perf_counter() - started, cpu_seconds() - cpu


def load(paths_dir: Path, url: str) -> tuple[float, float, float, object]:
    """(wall, CPU, main-thread CPU) seconds of a load of the folder, and its summary."""
    from db.engine import make_engine
    from etl.load import load_paths
    from etl.pipeline import analyzer

    analyzer()  # Kiwi start-up is paid once per process, not per article: keep it out of the timing
    engine = make_engine(url)
    started, cpu, main = time.perf_counter(), cpu_seconds(), time.thread_time()
    summary = load_paths([str(paths_dir)], engine)
    return time.perf_counter() - started, cpu_seconds() - cpu, time.thread_time() - main, summary


def one_round(corpus: Path, paths: list[Path], url: str, threads: int) -> tuple[float, float]:
    """Tokenize the corpus with Kiwi alone, load it, tokenize it again; print each;
    (wall ratio, CPU ratio) of the load to the mean of the two Kiwi runs, which
    bracket it: on a shared machine the speed drifts within a round."""
    before_s, before_cpu = kiwi_alone(paths, threads)
    load_s, load_cpu, main_cpu, summary = load(corpus, url)
    print(f"load:  {load_s:7.1f} s  {len(paths) / load_s:7.1f} articles/s   ({summary.line()})")
    after_s, after_cpu = kiwi_alone(paths, threads)
    kiwi_s, kiwi_cpu = (before_s + after_s) / 2, (before_cpu + after_cpu) / 2
    print(f"kiwi:  {kiwi_s:7.1f} s  {len(paths) / kiwi_s:7.1f} articles/s   (tokenize only, {threads} threads;"
          f" {before_s:.1f} s before the load, {after_s:.1f} s after)")
    print(f"ratio: {load_s / kiwi_s:.2f}x  (load time / Kiwi tokenize time)")
    print(f"cpu:   load {load_cpu:.1f} s (main thread {main_cpu:.1f} s), kiwi {kiwi_cpu:.1f} s: {load_cpu / kiwi_cpu:.2f}x"
          f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return load_s / kiwi_s, load_cpu / kiwi_cpu


def fresh_sqlite(path: Path) -> str:
    """The URL of an empty SQLite file at `path` (its WAL files removed too)."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and database (default: a temp dir)")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file in the workdir)")
    parser.add_argument("--threads", type=int, default=2, help="Kiwi threads for the baseline (the pipeline uses all cores)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="load and Kiwi alone, in turn, this many times, and print the median ratio: "
                             "on a shared machine one pair says little")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.rounds > 1 and args.db:
        parser.error("--rounds above 1 needs the default fresh SQLite file: a second load into --db finds nothing new")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="policy-radar-bench-"))
    corpus = workdir / "corpus"
    started = time.perf_counter()
    paths = sorted(corpus.glob("*.txt")) if corpus.exists() else []
    if len(paths) != args.articles:
        paths = write_corpus(corpus, args.articles)
    size = sum(p.stat().st_size for p in paths)
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB in {corpus} ({time.perf_counter() - started:.1f} s to prepare)")

    ratios = []
    for _ in range(args.rounds):
        ratios.append(one_round(corpus, paths, args.db or fresh_sqlite(workdir / "bench.db"), args.threads))
    if args.rounds > 1:
        wall, cpu = sorted(r[0] for r in ratios), sorted(r[1] for r in ratios)
        print(f"over {args.rounds} rounds: ratio median {statistics.median(wall):.2f}x (range {wall[0]:.2f}-{wall[-1]:.2f}),"
              f" cpu median {statistics.median(cpu):.2f}x (range {cpu[0]:.2f}-{cpu[-1]:.2f})")


if __name__ == "__main__":
    main()
