"""Money through the whole extraction: what an article's figures become on the
record and in `python -m etl extract` JSON (excluded figures, cues, parts, doubt)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl.extract import to_record
from etl.pipeline import run
from etl.records import Extraction

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = Path(__file__).with_name("money_articles") / "m01_outlook.txt"

# krw, role, cue, part_of, doubtful
AMOUNTS = [
    (223_500_000_000, "total", "총사업비", None, False),
    (134_000_000_000, "national", "국비", None, False),
    (6_000_000_000, "national", "설계비", 134_000_000_000, False),
    (89_500_000_000, "local", "도비", None, False),
    (8_000_000_000, "other", "첫해인 올해", None, False),
    (1_400_000_000_000, "investment", "한빛에너지는", None, True),
]
# krw, reason, label
EXCLUDED = [
    (214_000_000_000, "earlier", "변경 전 금액"),
    (9_500_000_000, "change", "증감액"),
    (42_000_000_000_000, "market", "시장 전망"),
    (3_100_000_000_000, "effect", "경제 효과"),
    (12_000_000_000, "tax", "세수"),
    (12_600_000_000_000, "whole_budget", "기관 전체 예산"),
]


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    [item] = list(run([str(ARTICLE)]))
    assert isinstance(item, Extraction)
    return item


def test_amounts_on_the_record(extraction: Extraction) -> None:
    assert [(a.krw, a.role, a.cue, a.part_of, a.doubtful) for a in extraction.amounts] == AMOUNTS


def test_excluded_on_the_record(extraction: Extraction) -> None:
    assert [(x.krw, x.reason, x.label) for x in extraction.excluded_amounts] == EXCLUDED


def test_excluded_evidence_quotes_the_figure(extraction: Extraction) -> None:
    text = extraction.article.text
    for x in extraction.excluded_amounts:
        assert x.evidence.quote == x.text
        assert text[x.evidence.start:x.evidence.end] == x.text


def test_record_keys(extraction: Extraction) -> None:
    record = to_record(extraction)
    first = record["amounts"][0]
    assert {k: first[k] for k in ("krw", "role", "cue", "part_of", "doubtful", "doubt")} == {
        "krw": 223_500_000_000, "role": "total", "cue": "총사업비", "part_of": None, "doubtful": False, "doubt": None}
    assert record["amounts"][-1]["doubt"] == "조 단위, 사업비·투자 표지 없음"
    market = record["excluded_amounts"][2]
    assert {k: market[k] for k in ("krw", "reason", "label", "text", "cue")} == {
        "krw": 42_000_000_000_000, "reason": "market", "label": "시장 전망", "text": "42조원", "cue": "규모로 커질"}
    assert market["evidence"]["sentence"].startswith("업계는 국내 수소 항만 시장이")


def test_cli_prints_excluded_amounts_apart() -> None:
    """The scorer reads `amounts` only: excluded figures sit under their own key."""
    out = subprocess.run([sys.executable, "-m", "etl", "extract", str(ARTICLE)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120).stdout
    [record] = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert sorted(a["krw"] for a in record["amounts"]) == sorted(a[0] for a in AMOUNTS)
    assert [x["krw"] for x in record["excluded_amounts"]] == [x[0] for x in EXCLUDED]


def test_excluded_figure_repeated_by_the_headline_is_listed_once(tmp_path: Path) -> None:
    page = tmp_path / "m02.txt"
    page.write_text("군산 산단, 생산유발 효과 2조 1천억원\n\n군산시는 산단이 완공되면 생산유발 효과 2조 1천억원이 "
                    "생길 것으로 분석했다.\n\n입력 2025.06.02 10:00\n", encoding="utf-8")
    [item] = list(run([str(page)]))
    assert [(x.krw, x.reason, x.evidence.sentence.startswith("군산시는")) for x in item.excluded_amounts] == [
        (2_100_000_000_000, "effect", True)]
