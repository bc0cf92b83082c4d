"""Project timelines: periods and deadlines stated in a sentence.

    2025∼2029년            → 2025–2029
    2028년까지 5년간        → 2024–2028
    내년부터 2027년까지     → (publication year + 1)–2027
    2026년 착공해 2030년 준공 → 2026–2030
    1단계(2027년)·2단계(2030년) → –2027, –2030

Every future year in a sentence is a start (부터, 착공, 시작 …) or an end
(까지, 완공, 오는 …). Each end takes the nearest start before it; a start
with no end after it is itself a milestone. Years that date past events
(지난 2017년 수립한 …) or market forecasts are not timelines. Relative years
(올해, 내년) are resolved against the publication date and count only with
a timeline verb (내년 말 완공).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.money import DIGIT
from etl.normalize import inside_quote
from etl.patterns import DataFileError, compile_any, read_toml

YEAR = r"(?:19|20)\d{2}"
RANGE_RE = re.compile(rf"(?<!\d)(?P<a>{YEAR})\s*년?\s*(?:\d{{1,2}}\s*월\s*)?[~∼〜～\-–—]\s*(?P<b>{YEAR})\s*년?(?!\d)")
# "2020년부터 2024년까지 5년간", "2020∼2024년 5년간": a programme's stated period, a
# timeline even when it is over (a results article names it after the fact).
STATED_RE = re.compile(
    rf"(?<!\d)(?P<a>{YEAR})\s*년?\s*(?:\d{{1,2}}\s*월\s*)?(?:부터|[~∼〜～\-–—])\s*(?P<b>{YEAR})\s*년\s*(?:\d{{1,2}}\s*월\s*)?(?:까지)?\s*(?P<n>\d{{1,2}})\s*년\s*(?:간|동안)"
)
YEAR_RE = re.compile(rf"(?<![\d.])(?P<y>{YEAR})\s*년(?!\s*(?:간|동안))")
SPAN_RE = re.compile(r"^\s*(?:\d{1,2}\s*월)?\s*(?:까지|에)?\s*(?:의\s*)?(?P<n>\d{1,2})\s*년\s*(?:간|동안)")
FROM_SPAN_RE = re.compile(r"^\s*(?:\d{1,2}\s*월\s*)?부터\s*(?P<n>\d{1,2})\s*년\s*(?:간|동안)")
UNTIL_AFTER = re.compile(r"^\s*(?:\d{1,2}\s*월\s*)?(?:말\s*)?까지")
PAST_WINDOW = 60  # characters after a year read for signs of a past event


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    start: int | None
    end: int
    span_start: int
    span_end: int
    text: str


@dataclass(frozen=True, slots=True)
class PeriodCues:
    start: re.Pattern[str]
    end_verbs: re.Pattern[str]
    past_after: re.Pattern[str]
    past_before: re.Pattern[str]
    not_timeline: re.Pattern[str]
    not_timeline_after: re.Pattern[str]
    past_sentence: re.Pattern[str]
    future_sentence: re.Pattern[str]
    milestone_verbs: re.Pattern[str]
    future_before: re.Pattern[str]
    clause_end: re.Pattern[str]
    relative: re.Pattern[str]  # group "rel": a year named relative to the publication
    ahead: re.Pattern[str]  # group "n": "향후 5년간"
    offsets: dict[str, int]  # relative word -> years after the publication year


@lru_cache(maxsize=None)
def period_cues(directory: Path | None = None) -> PeriodCues:
    data = read_toml("periods.toml", directory)
    source = "periods.toml"
    offsets = data.get("relative_years")
    if not isinstance(offsets, dict) or not all(isinstance(v, int) for v in offsets.values()):
        raise DataFileError(f"{source}: [relative_years] must map words to whole years")
    lists = [key for key in PeriodCues.__slots__ if key not in ("relative", "ahead", "offsets")]
    words = "|".join(re.escape(w) for w in sorted(offsets, key=len, reverse=True)) or "(?!x)x"
    ahead = "|".join(re.escape(w) for w in data.get("ahead", [])) or "(?!x)x"
    return PeriodCues(
        **{key: compile_any(data[key], source) for key in lists},
        relative=re.compile(rf"(?P<rel>{words})(?!도)"),
        ahead=re.compile(rf"(?:{ahead})\s*(?P<n>\d{{1,2}})\s*년\s*(?:간|동안)"),
        offsets=dict(offsets),
    )


@dataclass(slots=True)
class _Mention:
    year: int
    pos: int
    end_pos: int
    is_start: bool
    explicit: bool
    until: bool
    years_before: int | None = None  # "N년간" after a deadline


def _window_after(sentence: str, pos: int, limit: int = 30) -> str:
    tail = sentence[pos:pos + limit]
    nxt = YEAR_RE.search(tail)
    if nxt:
        tail = tail[: nxt.start()]
    return tail


def _is_past(year: int, pub_year: int | None, before: str, after: str, cues: PeriodCues) -> bool:
    """Whether a year dates something that already happened. A deadline
    ("2029년까지") is read as one: the words after it are the plan, not a
    past event, however they are phrased."""
    if pub_year is not None and year < pub_year:
        return True
    if pub_year is not None and year > pub_year:
        return False
    if UNTIL_AFTER.match(after):
        return bool(cues.past_before.search(before))
    return bool(cues.past_before.search(before) or cues.past_after.search(after))


def _past_sentence(sentence: str, cues: PeriodCues) -> bool:
    """A sentence that reports what was done (its last verb is past tense) and
    says nothing of a plan: a bare year in it dates an event."""
    return bool(cues.past_sentence.search(sentence)) and not cues.future_sentence.search(sentence)


def _mentions(sentence: str, pub_year: int | None, cues: PeriodCues) -> list[_Mention]:
    """Year mentions that can belong to a timeline, in order, ranges expanded."""
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    reported = _past_sentence(sentence, cues)
    for m in STATED_RE.finditer(sentence):
        a, b = int(m["a"]), int(m["b"])
        if b - a + 1 == int(m["n"]):
            found.append(_Mention(a, m.start(), m.start(), True, True, False))
            found.append(_Mention(b, m.end() - 1, m.end(), False, True, True))
            taken.append((m.start(), m.end()))
    for m in RANGE_RE.finditer(sentence):
        a, b = int(m["a"]), int(m["b"])
        if any(s <= m.start() < e for s, e in taken):
            continue
        if a <= b and not (pub_year is not None and b < pub_year):
            found.append(_Mention(a, m.start(), m.start(), True, True, False))
            found.append(_Mention(b, m.end(), m.end(), False, True, True))
            taken.append((m.start(), m.end()))
    for m in YEAR_RE.finditer(sentence):
        if any(s <= m.start() < e for s, e in taken):
            continue
        after = _window_after(sentence, m.end())
        before = sentence[max(0, m.start() - 8):m.start()]
        year = int(m["y"])
        if cues.not_timeline_after.search(after) or _is_past(year, pub_year, before, _window_after(sentence, m.end(), PAST_WINDOW), cues):
            continue
        mention = _classify(year, m.start(), m.end(), after, before, True, cues)
        if reported and not (mention.until or mention.is_start) and (pub_year is None or year <= pub_year):
            continue
        span = SPAN_RE.match(sentence[m.end():])
        if mention.until and span:
            mention.years_before = int(span["n"])
            mention.end_pos = m.end() + span.end()
        found.append(mention)
        found.extend(_forward_span(sentence, m.end(), mention))
    if pub_year is not None:
        for mention in _relative_mentions(sentence, pub_year, cues):
            found.append(mention)
            found.extend(_forward_span(sentence, mention.end_pos, mention))
    found.sort(key=lambda x: x.pos)
    return found


def _forward_span(sentence: str, pos: int, start: _Mention) -> list[_Mention]:
    """'2024년부터 5년간' states its end too: 2028."""
    span = FROM_SPAN_RE.match(sentence[pos:])
    if not start.is_start or not span or int(span["n"]) < 1:
        return []
    end_pos = pos + span.end()
    return [_Mention(start.year + int(span["n"]) - 1, end_pos - 1, end_pos, False, True, True)]


def _relative_mentions(sentence: str, pub_year: int, cues: PeriodCues) -> list[_Mention]:
    mentions = []
    for m in cues.relative.finditer(sentence):
        if inside_quote(sentence, m.start()):
            continue
        after = _window_after(sentence, m.end(), 20)
        year = pub_year + cues.offsets[m["rel"]]
        mention = _classify(year, m.start(), m.end(), after, "", False, cues)
        if mention.is_start or mention.until or cues.end_verbs.search(after):
            mentions.append(mention)
    return mentions


def _classify(year: int, pos: int, end_pos: int, after: str, before: str, explicit: bool, cues: PeriodCues) -> _Mention:
    clause = cues.clause_end.split(after, 1)[0]
    until = bool(UNTIL_AFTER.match(after))
    is_start = not until and bool(cues.start.search(clause))
    return _Mention(year, pos, end_pos, is_start, explicit, until or bool(cues.future_before.search(before)))


def _names_a_year(sentence: str, pub_year: int | None, cues: PeriodCues) -> bool:
    """Whether the sentence can state a period at all: every year mention and every
    '향후 5년간' has a digit, and a relative year (내년) needs the publication year.
    Most sentences have neither, and the market test is costly."""
    return bool(DIGIT.search(sentence)) or (pub_year is not None and bool(cues.relative.search(sentence)))


def find_periods(sentence: str, pub_year: int | None, cues: PeriodCues | None = None) -> list[PeriodMatch]:
    """The periods stated in one sentence, resolved against the publication year."""
    cues = cues or period_cues()
    if not _names_a_year(sentence, pub_year, cues) or cues.not_timeline.search(sentence):
        return []
    mentions = _mentions(sentence, pub_year, cues)
    periods: list[PeriodMatch] = []
    open_starts: list[_Mention] = []
    for i, m in enumerate(mentions):
        if m.is_start:
            open_starts.append(m)
            continue
        start_mention = open_starts.pop() if open_starts else None
        open_starts.clear()  # earlier starts were superseded by this one's pairing
        start = start_mention.year if start_mention else None
        if start is None and m.years_before:
            start = m.year - m.years_before + 1
        if start is not None and start > m.year:
            start = None
        first = start_mention.pos if start_mention else m.pos
        periods.append(PeriodMatch(start, m.year, first, m.end_pos, sentence[first:m.end_pos]))
    for m in open_starts:  # a start with no end after it is a milestone of a project
        if m.explicit and cues.milestone_verbs.search(cues.clause_end.split(_window_after(sentence, m.end_pos, 40), 1)[0]):
            periods.append(PeriodMatch(None, m.year, m.pos, m.end_pos, sentence[m.pos:m.end_pos]))
    periods.extend(_ahead(sentence, pub_year, cues))
    return periods


def _ahead(sentence: str, pub_year: int | None, cues: PeriodCues) -> list[PeriodMatch]:
    """향후 5년간 → publication year to four years later."""
    if pub_year is None:
        return []
    return [
        PeriodMatch(pub_year, pub_year + int(m["n"]) - 1, m.start(), m.end(), m.group(0))
        for m in cues.ahead.finditer(sentence)
        if int(m["n"]) > 0
    ]
