"""A copy of the vocabulary and the extraction data with one role, one industry and one status added.

Only data files are edited, as a user would: roles.toml, industries.toml and
statuses.toml under a copy of vocab/data (selected with POLICY_RADAR_VOCAB),
and the role's cue words and the status's words in a copy of etl/data.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import vocab
from etl import patterns

ROLE = ("fund", "기금", "#ff9f43")
INDUSTRY = ("양자", "#5f27cd")
STATUS = ("보류", "hourglass")
ARTICLE = """광양시, 양자컴퓨터 산업단지 조성 기금 500억원 확보

최선경 기자 / 기사승인 : 2024-06-04 13:55:57

전남 광양시가 양자컴퓨터 산업 육성에 나선다. 광양시는 3일 광양 양자산업단지 조성을 위해 기금 500억원과 국비 300억원을 확보했다고 밝혔다.

광양 양자산업단지는 총사업비 1200억원을 들여 2025년부터 2028년까지 조성된다. 시는 양자컴퓨터와 양자센서 기업 20곳을 유치할 계획이다.

그러나 광양 양자산업단지 조성은 예산 문제로 보류됐다.
"""


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(base: Path) -> tuple[Path, Path]:
    """(vocabulary directory, extraction data directory), both extended copies."""
    words, data = base / "vocab", base / "etl_data"
    shutil.copytree(vocab.DATA_DIR, words)
    shutil.copytree(patterns.DATA_DIR, data)
    code, label, color = ROLE
    _append(words / "roles.toml", f'\n[{code}]\nlabel = "{label}"\ncolor = "{color}"\nscale = "part"\n')
    name, color = INDUSTRY
    _append(words / "industries.toml", f'\n["{name}"]\nstrong = [\'양자컴퓨터\', \'양자센서\', \'양자\']\ncolor = "{color}"\n')
    status, marker = STATUS
    _append(words / "statuses.toml", f'\n["{status}"]\nmarker = "{marker}"\n')
    money = data / "money.toml"
    _replace(money, "'펀드', '기금', '부담금'", "'펀드', '부담금'")  # 기금 was a word of 기타
    _replace(money, "[before]\n", f"[before]\n{code} = ['기금']\n")
    _replace(data / "projects.toml", "[status]\n", f"[status]\n\"{status}\" = ['보류']\n")
    return words, data
