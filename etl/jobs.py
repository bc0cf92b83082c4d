"""Jobs promised or expected: 고용 2,233명, 일자리 2만1천개, 320명을 채용.

A head count is a job figure only next to a hiring word; counts of
attendees, companies, residents or induced employment (취업유발) are not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from etl.money import parse_korean_number

COUNT_RE = re.compile(r"(?<![\d.,])(?P<num>\d+(?:,\d{3})*(?:\s*만\s*(?:\d+(?:,\d{3})*\s*천?|\d*\s*천)?)?(?:\s*천)?)\s*(?:여\s*)?(?P<unit>명|개)(?!\s*(?:참여|입주|협력|신규)?\s*(?:기업|업체|기관|곳|품목|사\b|개사))")
JOB_BEFORE = re.compile(r"(고용|채용|일자리|인력|근로자|고용\s*인원|고용\s*효과|신규\s*인원)[은는이가을를의도]?\s*(?:약|총|모두|최대|직접|신규|새로|추가로)?\s*$")
JOB_AFTER = re.compile(r"^\s*(?:여\s*)?(?:명|개)?\s*(?:의|을|를|이|가)?\s*(?:새로\s*|신규\s*|추가로\s*|직접\s*|추가\s*)?(고용|채용|일자리|인력)")
NOT_JOBS = re.compile(r"(유발|관광객|방문객|참석|주민|인구|학생|부서장|관계자|회원|가구|곳|기업|업체|품목|명단)")


@dataclass(frozen=True, slots=True)
class JobsMatch:
    count: int
    start: int
    end: int
    text: str


def find_jobs(sentence: str) -> list[JobsMatch]:
    found = []
    for m in COUNT_RE.finditer(sentence):
        before = sentence[max(0, m.start() - 14):m.start()]
        after = sentence[m.end():m.end() + 14]
        if m["unit"] == "개" and "일자리" not in before and "일자리" not in after[:8]:
            continue
        if not (JOB_BEFORE.search(before) or JOB_AFTER.match(after)):
            continue
        if NOT_JOBS.search(before[-8:]):
            continue
        count = parse_korean_number(m["num"].replace(" ", ""))
        if count and count >= 5:
            found.append(JobsMatch(count, m.start(), m.end(), m.group(0)))
    return found
