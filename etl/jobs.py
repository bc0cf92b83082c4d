"""Jobs promised or expected: 고용 2,233명, 일자리 만7천 개, 5만 8000여 명.

A head count is a job figure only next to a job word (etl/data/jobs.toml):
고용, 채용, 일자리, with what may stand between (고용유발효과는 약 …,
일자리 908개(간접 1만1000개)). Counts of attendees, companies, residents or
trainees are not jobs. Induced employment (고용유발 효과) counts: articles
report it as the jobs a project brings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.money import DIGIT, parse_korean_number
from etl.patterns import compile_any, read_toml

_UNIT_PIECE = r"\d+(?:,\d{3})*(?:\.\d+)?\s*[만천백]"
_LEAD = rf"(?:{_UNIT_PIECE}|만(?=\s*\d))"
COUNT_RE = re.compile(
    rf"(?<![\d.,만천])(?P<num>(?:{_LEAD}\s*)*(?:\d+(?:,\d{{3}})*(?:\.\d+)?|{_UNIT_PIECE}))\s*(?:여\s*)?(?P<unit>명|개)"
)
WINDOW = 16  # characters before a count searched for its cue
WIDE_WINDOW = 30  # … for the job noun that a bare 직접/간접 refers back to
SEGMENT_BREAK = re.compile(r"[,·(]|(?<=[가-힣])(?:와|과|및)\s|\s및\s")
MIN_COUNT = 5


@dataclass(frozen=True, slots=True)
class JobCues:
    before: re.Pattern[str]
    after: re.Pattern[str]
    qualifier_only: re.Pattern[str]
    noun: re.Pattern[str]
    count_noun: str
    not_counted: re.Pattern[str]
    not_after: re.Pattern[str]


@lru_cache(maxsize=None)
def job_cues(directory: Path | None = None) -> JobCues:
    data = read_toml("jobs.toml", directory)
    source = "jobs.toml"
    nouns = _group(data["nouns"], source)
    tails = _group(data["tails"], source)
    quals = _group(data["qualifiers"], source)
    return JobCues(
        before=re.compile(rf"{nouns}(?:\s*{tails})*\s*[은는이가을를의도]?\s*(?:{quals}\s*)*$"),
        after=re.compile(rf"^\s*[의을를이가]?\s*(?:{quals}\s*)*{nouns}"),
        qualifier_only=re.compile(rf"{_group(data['qualifier_only'], source)}\s*$"),
        noun=re.compile(nouns),
        count_noun=data["count_noun"],
        not_counted=compile_any(data["not_counted"], source),
        not_after=compile_any(data["not_after"], source),
    )


def _group(words: list[str], source: str) -> str:
    pattern = "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"
    compile_any([pattern], source)  # a bad word is reported with the file's name
    return pattern


@dataclass(frozen=True, slots=True)
class JobsMatch:
    count: int
    start: int
    end: int
    text: str


def find_jobs(sentence: str, cues: JobCues | None = None) -> list[JobsMatch]:
    """Every job figure in `sentence`, in order."""
    if not (("명" in sentence or "개" in sentence) and DIGIT.search(sentence)):
        return []  # most sentences: COUNT_RE needs both
    cues = cues or job_cues()
    found = []
    for m in COUNT_RE.finditer(sentence):
        before = sentence[max(0, m.start() - WINDOW):m.start()]
        after = sentence[m.end():m.end() + WINDOW]
        if not _is_job(sentence, m, before, after, cues):
            continue
        count = parse_korean_number(_leading_man(m["num"]).replace(" ", ""))
        if count and count >= MIN_COUNT:
            found.append(JobsMatch(count, m.start(), m.end(), m.group(0)))
    return found


def _is_job(sentence: str, m: re.Match[str], before: str, after: str, cues: JobCues) -> bool:
    if cues.not_after.match(after):
        return False
    if m["unit"] == "개" and cues.count_noun not in before and cues.count_noun not in after[:8]:
        return False
    if cues.before.search(before):
        return True
    wide = sentence[max(0, m.start() - WIDE_WINDOW):m.start()]
    if cues.qualifier_only.search(before) and cues.noun.search(wide):
        return True
    if not cues.after.match(after):
        return False
    governing = SEGMENT_BREAK.split(before)[-1]  # "전문기업 유치와 396명의 고용": 기업 is not counted
    return not cues.not_counted.search(governing)


def _leading_man(num: str) -> str:
    """'만7천' is 1만7천."""
    return "1" + num if num.startswith("만") else num
