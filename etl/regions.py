"""Regions an article's projects belong to.

Place names are found as tokens (the gazetteer's names, short forms and zones
are in Kiwi's user dictionary, so 동해면 is not 동해). Ambiguous names (중구,
고성, 광주) are resolved from the 시도 named just before them, then from the
article's main 시도. Each mention is weighted by where it stands (headline 3,
lead sentence 2, elsewhere 1, inside a quotation less) and dropped when the
words around it show a place named in passing: a venue, a neighbour, a
comparison (patterns in `etl/data/regions.toml`).

The article's main 시도 are those its headline and lead name. A 시군구 of a
main 시도 needs one real mention; a place in another 시도 needs two, unless
the article is about several regions at once (a national designation list).
Places listed as selected ("A와 B가 선정됐다", "선정된 곳은 A, B다") weigh as
much as the lead: a national announcement is about each region it selects.
A short name the tokenizer cut out of a longer word (특구로 → 구로) is none.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from etl.gazetteer import Gazetteer, Region
from etl.nlp import Sentence, Token
from etl.normalize import inside_quote
from etl.patterns import compile_any, read_toml

HANGUL = re.compile(r"[가-힣]")
NAME_TAGS = frozenset({"NNP", "NNG", "SL"})
HEADER_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT, QUOTE_FACTOR = 3.0, 2.0, 1.0, 0.3
MAIN_SIDO_WEIGHT = 2.0
MULTI_REGION_SIDOS = 3
MIN_SELECTED = 2  # places a selection list names before it counts as one


@dataclass(frozen=True, slots=True)
class RegionCues:
    passing_after: re.Pattern[str]
    passing_before: re.Pattern[str]
    contrast: re.Pattern[str]
    selected_after: re.Pattern[str]
    selected_before: re.Pattern[str]


@lru_cache(maxsize=None)
def region_cues(directory: Path | None = None) -> RegionCues:
    data = read_toml("regions.toml", directory)
    return RegionCues(**{key: compile_any(data[key], "regions.toml") for key in RegionCues.__slots__})


@dataclass(frozen=True, slots=True)
class Mention:
    code: str  # a 시도, 시군구 or 일반구 code
    sentence: int
    start: int
    end: int
    weight: float
    zone: str | None = None


@dataclass(frozen=True, slots=True)
class RegionChoice:
    code: str
    score: float
    mention: Mention


def _valid_at(region: Region, when: date | None) -> bool:
    return region.valid_to is None or when is None or when <= region.valid_to


def _sido_token(form: str, gaz: Gazetteer) -> str | None:
    region = gaz.sido_by_name(form)
    return region.code if region else None


def _names_sido(form: str, gaz: Gazetteer) -> bool:
    """The form is a 시도's own name; a former 군 that became one (연기군 → 세종) is not."""
    return any(gaz.regions[a.code].level == "sido" and a.kind != "legacy" for a in gaz.aliases.get(form, ()))


def _resolve(form: str, prev_sido: str | None, context: list[str], gaz: Gazetteer, when: date | None) -> str | None:
    """The code a surface form stands for here, or None when it cannot be told."""
    options = [a for a in gaz.aliases.get(form, ()) if _valid_at(gaz.regions[a.code], when) or len(gaz.aliases[form]) == 1]
    if not options:
        return None
    sido_options = [a for a in options if gaz.regions[a.code].level == "sido"]
    if sido_options and not (prev_sido and any(gaz.regions[a.code].sido_code == prev_sido and a not in sido_options for a in options)):
        return sido_options[0].code
    if prev_sido:
        same = [a for a in options if gaz.regions[a.code].sido_code == prev_sido]
        if same:
            return _prefer_city(same, gaz).code
    unambiguous = [a for a in options if not a.needs_context]
    if len(options) == 1:
        return options[0].code if unambiguous else None
    for code in context:  # nearest context first
        region = gaz.regions[code]
        same = [a for a in unambiguous if gaz.regions[a.code].parent == code or gaz.regions[a.code].sido_code == region.sido_code]
        if same:
            return _prefer_city(same, gaz).code
    return None


def _prefer_city(options: list, gaz: Gazetteer):
    return min(options, key=lambda a: (gaz.regions[a.code].level != "sigungu", a.needs_context))


def find_mentions(
    sentences: list[Sentence], text: str, gaz: Gazetteer, published: date | None, cues: RegionCues | None = None
) -> list[Mention]:
    """Every place mention with its weight (0 for a place named in passing)."""
    cues = cues or region_cues()
    raw = [(sent, i, tok) for sent in sentences for i, tok in enumerate(sent.tokens) if tok.tag in NAME_TAGS and (tok.form in gaz.aliases or tok.form in gaz.zones)]
    main = _first_pass_sidos(raw, gaz)
    lead = next((s.index for s in sentences if not s.in_header), None)
    mentions: list[Mention] = []
    for sent, i, tok in raw:
        if _glued(sent.tokens, i, text, gaz):
            continue
        prev_sido = _prev_sido(sent.tokens, i, gaz)
        context = [m.code for m in reversed(mentions) if m.sentence == sent.index] + main
        weight = _weight(sent, tok, lead, text, cues)
        if tok.form in gaz.zones:
            mentions.extend(_zone_mentions(gaz.zones[tok.form], sent.index, tok, weight, gaz, published))
            continue
        code = _resolve(tok.form, prev_sido, context, gaz, published)
        if code is None:
            continue
        if prev_sido and not _names_sido(tok.form, gaz) and mentions and mentions[-1].end >= tok.start - 2 and mentions[-1].code == prev_sido:
            mentions[-1] = Mention(prev_sido, sent.index, mentions[-1].start, mentions[-1].end, 0.0)  # "경북 구미시": the 시도 is a prefix
        mentions.append(Mention(code, sent.index, tok.start, tok.end, weight))
    return _selected_lists(mentions, sentences, cues)


def _selected_lists(mentions: list[Mention], sentences: list[Sentence], cues: RegionCues) -> list[Mention]:
    """Places listed as chosen ("천안시와 연기군, 청원군이 선정됐다", "부산·울산시가
    낙점받았다") weigh as much as a lead mention: a national announcement is about
    each region it selects. One place chosen alone may be a rival that won
    ("대상지로는 광양시가 선정됐다" in a story about a failed bid), so a list of
    at least two places is needed."""
    by_index = {s.index: s for s in sentences}
    chosen: dict[int, set[int]] = defaultdict(set)
    for n, m in enumerate(mentions):
        sent = by_index[m.sentence]
        after, before = sent.text[m.end - sent.start:], sent.text[:m.start - sent.start]
        if m.weight > 0 and (cues.selected_after.search(after) or cues.selected_before.search(before)):
            chosen[m.sentence].add(n)
    boost = {n for picked in chosen.values() if len({mentions[n].code for n in picked}) >= MIN_SELECTED for n in picked}
    return [Mention(m.code, m.sentence, m.start, m.end, max(m.weight, LEAD_WEIGHT), m.zone) if n in boost else m
            for n, m in enumerate(mentions)]


def _first_pass_sidos(raw: list, gaz: Gazetteer) -> list[str]:
    """시도 of unambiguous mentions, most frequent first: the context for 중구, 고성."""
    counts: dict[str, int] = defaultdict(int)
    for _, _, tok in raw:
        options = gaz.aliases.get(tok.form, ())
        codes = {gaz.regions[a.code].sido_code for a in options}
        if len(codes) == 1 and not any(a.needs_context for a in options):
            counts[codes.pop()] += 1
    return sorted(counts, key=lambda c: -counts[c])


def _glued(tokens: tuple[Token, ...], i: int, text: str, gaz: Gazetteer) -> bool:
    """A short name the tokenizer cut out of a longer word ("특구로" → 특 + 구로,
    "신안산선" → 신 + 안산): the word before it is joined to it and is no place."""
    tok = tokens[i]
    if i == 0 or tok.form in gaz.zones or any(a.kind == "full" for a in gaz.aliases.get(tok.form, ())):
        return False
    prev = tokens[i - 1]
    joined = prev.end == tok.start and tok.start > 0 and HANGUL.match(text[tok.start - 1]) is not None
    return joined and prev.form not in gaz.aliases and prev.form not in gaz.zones


def _prev_sido(tokens: tuple[Token, ...], i: int, gaz: Gazetteer) -> str | None:
    """A 시도 name written right before this token ("경북 구미시", "강원 고성군")."""
    if i == 0:
        return None
    prev = tokens[i - 1]
    if tokens[i].start - prev.end > 1:
        return None
    return _sido_token(prev.form, gaz)


def _weight(sent: Sentence, tok: Token, lead: int | None, text: str, cues: RegionCues) -> float:
    rel_start, rel_end = tok.start - sent.start, tok.end - sent.start
    after, before = sent.text[rel_end:], sent.text[:rel_start]
    if cues.passing_after.search(after) or cues.passing_before.search(before[-12:]):
        return 0.0
    if cues.contrast.search(after) and not cues.contrast.search(before):
        return 0.0
    weight = HEADER_WEIGHT if sent.in_header else LEAD_WEIGHT if sent.index == lead else BODY_WEIGHT
    if inside_quote(sent.text, rel_start, single=False):
        weight *= QUOTE_FACTOR
    return weight


def _zone_mentions(zone, sentence: int, tok: Token, weight: float, gaz: Gazetteer, when: date | None) -> list[Mention]:
    """A zone names its 시도 (the first listed, for a zone across a border); a
    zone inside one 시군구 names that too."""
    found = [Mention(code, sentence, tok.start, tok.end, weight if n == 0 else 0.0, zone.name)
             for n, code in enumerate(zone.sido_codes)]
    cities = {gaz.city(c).code for c in zone.codes if _valid_at(gaz.regions[c], when)}
    if len(cities) == 1:
        found.append(Mention(cities.pop(), sentence, tok.start, tok.end, weight, zone.name))
    return found


def choose(mentions: list[Mention], gaz: Gazetteer) -> list[RegionChoice]:
    """The article's 시도 and 시군구 (city level), strongest first."""
    sido_best: dict[tuple[str, int], float] = defaultdict(float)
    city_best: dict[tuple[str, int], float] = defaultdict(float)
    first: dict[str, Mention] = {}
    for m in mentions:
        region = gaz.regions[m.code]
        key = (region.sido_code, m.sentence)
        sido_best[key] = max(sido_best[key], m.weight)
        if region.level != "sido":
            city = gaz.city(m.code).code
            city_best[(city, m.sentence)] = max(city_best[(city, m.sentence)], m.weight)
            first.setdefault(city, m)
        if m.weight > 0:
            first.setdefault(region.sido_code, m)
    # A place counts once per sentence: "부산 강서구 에코델타시티" is one mention, not three.
    sido_score, sido_head, city_score = defaultdict(float), defaultdict(float), defaultdict(float)
    for (sido, _), weight in sido_best.items():
        sido_score[sido] += weight
        if weight >= LEAD_WEIGHT:
            sido_head[sido] += weight
    for (city, _), weight in city_best.items():
        city_score[city] += weight
    main = {s for s, w in sido_head.items() if w >= MAIN_SIDO_WEIGHT}
    if not main and sido_score:
        top = max(sido_score.values())
        main = {s for s, w in sido_score.items() if w == top and w > 0}
    multi = len(main) >= MULTI_REGION_SIDOS
    cities = [
        c for c, w in city_score.items()
        if w >= BODY_WEIGHT and (multi or gaz.regions[c].sido_code in main or w >= 2 * BODY_WEIGHT)
    ]
    sidos = set(main) | {gaz.regions[c].sido_code for c in cities}
    sidos |= {s for s, w in sido_score.items() if w >= 2 * BODY_WEIGHT and multi}
    chosen = [RegionChoice(s, sido_score[s], first[s]) for s in sidos if s in first]
    chosen += [RegionChoice(c, city_score[c], first[c]) for c in cities]
    return sorted(chosen, key=lambda r: (-r.score, r.code))
