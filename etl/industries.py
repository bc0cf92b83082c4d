"""Industries an article's projects target, from the keyword taxonomy.

Each label's strong words count 1 and weak words 0.5 per mention, weighed by
where the mention stands: the title and subtitles count double and sentences
that name a project or its money one and a half times, because that is
where an article says what its projects do. Mentions that are about
something else count less or not at all: inside a quotation (half), inside
an organisation's or event's name (국립축산과학원, 한국모형항공협회: half),
and after a place that is not one of the article's regions (a list of other
regions' projects: nothing).

A label is kept when it is the article's main industry, when it has a strong
word and scores at least `MIN_SCORE` and `MIN_RATIO` of the main one, or when
it is an item of a list of target industries: three or more industries named
side by side ("수소, 이차전지, 소재, 데이터, 드론 등 미래 신성장동력"), or
a sentence that gives each of three regions its industry. The words are in
`vocab/data/industries.toml` (the one list of industries every layer reads), the
cues in `etl/data/industry_cues.toml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import vocab
from etl.normalize import inside_quote, quotes_anything
from etl.patterns import DataFileError, compile_any, read_toml, trie_branches

WEAK_WEIGHT = 0.5
TITLE_WEIGHT = 2.0
PROJECT_WEIGHT = 1.5  # a sentence that names a project or states its money
QUOTE_FACTOR = 0.5
NAME_FACTOR = 0.3
LIST_GAP = 14  # characters at most between two items of one list


@dataclass(frozen=True, slots=True)
class Taxonomy:
    labels: tuple[str, ...]
    strong: dict[str, re.Pattern[str]]
    weak: dict[str, re.Pattern[str]]
    any_word: re.Pattern[str]  # every word of every label, longest first: one pass per sentence
    senses: dict[str, tuple[tuple[str, bool], ...]]  # word without spaces -> (label, strong) pairs


def _word_pattern(words: list[str], label: str) -> re.Pattern[str] | None:
    """Alternation of the words, longest first; Latin words only as whole words."""
    if not words:
        return None
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s*")
        if re.fullmatch(r"[A-Za-z0-9\-]+", word):
            escaped = rf"(?<![A-Za-z]){escaped}(?![A-Za-z])"
        parts.append(escaped)
    try:
        return re.compile("|".join(parts))
    except re.error as exc:
        raise DataFileError(f"industries.toml [{label}]: bad word ({exc})") from None


@lru_cache(maxsize=None)
def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    data = read_toml("industries.toml", directory or vocab.directory())
    strong, weak = {}, {}
    senses: dict[str, list[tuple[str, bool]]] = {}
    for label, entry in data.items():
        if not isinstance(entry, dict) or "strong" not in entry:
            raise DataFileError(f"industries.toml [{label}]: needs a 'strong' list")
        strong[label] = _word_pattern(entry["strong"], label)
        weak[label] = _word_pattern(entry.get("weak", []), label)
        for words, is_strong in ((entry["strong"], True), (entry.get("weak", []), False)):
            for word in words:  # "4차산업혁명" and "4차 산업혁명" are one word: count it once
                pairs = senses.setdefault(_squash(word), [])
                if not any(known == label for known, _ in pairs):
                    pairs.append((label, is_strong))
    return Taxonomy(labels=tuple(data), strong=strong, weak=weak, any_word=_any_word(data),
                    senses={k: tuple(v) for k, v in senses.items()})


def _any_word(data: dict) -> re.Pattern[str]:
    """All words of all labels in one alternation: words with Latin letters
    first (whole words only), then the branches of a trie of the Korean ones (`trie_branches`).

    Every branch starts with a literal character, so the regex engine skips
    to the positions where a word can start at C speed (it does so only for
    a pattern whose alternatives all start with a literal; a lookahead in
    front or a group around the trie would defeat it). The order of the
    alternatives is the plain `latin | trie` order, so the matches are the same.
    """
    words = {w for e in data.values() for w in (*e["strong"], *e.get("weak", []))}
    latin = sorted((w for w in words if re.search(r"[A-Za-z]", w)), key=len, reverse=True)
    korean = [w for w in words if not re.search(r"[A-Za-z]", w)]
    body = "|".join([_latin_alternative(w) for w in latin] + trie_branches(korean))
    try:
        return re.compile(body or r"(?!x)x")
    except re.error as exc:
        raise DataFileError(f"industries.toml: bad word ({exc})") from None


def _latin_alternative(word: str) -> str:
    """A word with Latin letters as a regex that starts with its first
    character; a Latin-only word must not touch other Latin letters, so the
    check for a letter before it follows that character
    ("R(?<![A-Za-z]R)E100" is "(?<![A-Za-z])RE100")."""
    if not re.fullmatch(r"[A-Za-z0-9\-]+", word):
        return re.escape(word).replace(r"\ ", r"\s*")
    first, rest = re.escape(word[0]), re.escape(word[1:])
    return rf"{first}(?<![A-Za-z]{first}){rest}(?![A-Za-z])"


def _squash(word: str) -> str:
    return re.sub(r"\s+", "", word)


@dataclass(frozen=True, slots=True)
class IndustryCues:
    fallback: str  # the label of an article with no industry word
    name_prefix: re.Pattern[str]
    name_suffix: re.Pattern[str]
    particles: re.Pattern[str]
    list_separator: re.Pattern[str]
    list_break: re.Pattern[str]
    context_list: re.Pattern[str]
    continuation: re.Pattern[str]


@lru_cache(maxsize=None)
def industry_cues(directory: Path | None = None) -> IndustryCues:
    data = read_toml("industry_cues.toml", directory)
    source = "industry_cues.toml"
    fallback = data.get("fallback")
    if not isinstance(fallback, str) or not fallback:
        raise DataFileError(f"{source}: 'fallback' must name a label")
    patterns = {key: compile_any(data.get(key, []), source) for key in IndustryCues.__slots__ if key != "fallback"}
    return IndustryCues(fallback=fallback, **patterns)


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What the rest of the extractor knows about one sentence."""

    in_header: bool = False
    about_project: bool = False  # names one of the article's projects or states money
    places: tuple[tuple[int, bool], ...] = ()  # (offset in the sentence, is one of the article's regions) per place named
    regions_named: int = 0  # distinct article regions named in the sentence


@dataclass(frozen=True, slots=True)
class IndustryHit:
    label: str
    strong: bool
    weight: float
    sentence_index: int
    start: int  # offset within the sentence
    end: int
    listed: bool = False  # an item of a list of target industries


def hits_in(sentence: str, index: int, taxonomy: Taxonomy, weight: float = 1.0) -> list[IndustryHit]:
    """Every taxonomy word in one sentence, weighted.

    One pass with all words, longest first, so a word inside a longer one
    ('전력' in '전력반도체') is not counted; a word may signal two labels
    (수소차: 수소 and 미래차)."""
    found = []
    senses = taxonomy.senses
    for m in taxonomy.any_word.finditer(sentence):
        word = m.group()
        # A key has no spaces: a word without them is its own key, one with them is squashed.
        pairs = senses.get(word) or senses.get(_squash(word), ())
        for label, strong in pairs:
            found.append(IndustryHit(label, strong, (1.0 if strong else WEAK_WEIGHT) * weight, index, m.start(), m.end()))
    return found


MIN_SCORE = 1.5
MIN_RATIO = 0.15  # of the main label's score
LIST_LABELS = 3


def weighed_hits(
    sentence: str, index: int, taxonomy: Taxonomy, context: SentenceContext, cues: IndustryCues | None = None
) -> list[IndustryHit]:
    """The taxonomy words of one sentence, each weighed by where it stands."""
    cues = cues or industry_cues()
    found = hits_in(sentence, index, taxonomy)
    if not found:
        return found
    listed = _list_items(sentence, found, context, cues)
    position = TITLE_WEIGHT if context.in_header else PROJECT_WEIGHT if context.about_project else 1.0
    quotes = quotes_anything(sentence, single=False)
    places = context.places
    weighed = []
    for n, h in enumerate(found):
        quoted = quotes and inside_quote(sentence, h.start, single=False)
        named = _in_name(sentence, h, cues)
        elsewhere = (places and _after_other_place(h.start, places)) or _embedded(sentence, h, cues)
        weight = 0.0 if elsewhere else h.weight * position * (QUOTE_FACTOR if quoted else 1.0) * (NAME_FACTOR if named else 1.0)
        weighed.append(IndustryHit(h.label, h.strong, weight, h.sentence_index, h.start, h.end,
                                   n in listed and not (quoted or named or elsewhere)))
    return weighed


def _in_name(sentence: str, hit: IndustryHit, cues: IndustryCues) -> bool:
    """The word is part of a longer name of an organisation or event."""
    start, end = hit.start, hit.end
    while start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] == "㈜"):
        start -= 1
    while end < len(sentence) and sentence[end].isalnum():
        end += 1
    word = sentence[start:end]
    if word == sentence[hit.start:hit.end]:
        return False
    core = cues.particles.sub("", word)
    return bool(cues.name_prefix.search(word) or cues.name_suffix.search(core))


def _embedded(sentence: str, hit: IndustryHit, cues: IndustryCues) -> bool:
    """A two-syllable word in the middle of a longer one is another word
    ("전방산업" holds 방산), unless what follows is a particle or a word that
    a compound of it ends with ("스마트항만을", "원자력수소산업")."""
    inside = 0 < hit.start and hit.end < len(sentence)
    if not inside or hit.end - hit.start > 2 or not (sentence[hit.start - 1].isalpha() and sentence[hit.end].isalpha()):
        return False
    return not cues.continuation.match(sentence[hit.end:])


def _after_other_place(pos: int, places: tuple[tuple[int, bool], ...]) -> bool:
    """The nearest place named before the word is not one of the article's
    regions: the word is about that place ("△대구(협동로봇) △강원(액화수소)")."""
    before = [(offset, ours) for offset, ours in places if offset <= pos]
    if not before:
        return False
    nearest = max(offset for offset, _ in before)
    return not any(ours for offset, ours in before if offset == nearest)


def _list_items(sentence: str, found: list[IndustryHit], context: SentenceContext, cues: IndustryCues) -> set[int]:
    """Indexes of hits that are items of a list of target industries."""
    strong_labels = {h.label for h in found if h.strong}
    if len(strong_labels) >= LIST_LABELS and context.regions_named >= LIST_LABELS:
        return {n for n, h in enumerate(found) if h.strong}  # "구미는 A를, 전주는 B를, 창원은 C를 맡는다"
    items: set[int] = set()
    for chain in _chains(sentence, found, cues):
        labels = {found[n].label for n in chain if found[n].strong}
        if len(labels) >= LIST_LABELS and not cues.context_list.match(sentence[found[chain[-1]].end:]):
            items.update(chain)
    return items


def _chains(sentence: str, found: list[IndustryHit], cues: IndustryCues) -> list[list[int]]:
    """Runs of hits that stand side by side, separated by list punctuation."""
    chains: list[list[int]] = []
    for n, h in enumerate(found):
        if chains:
            prev = found[chains[-1][-1]]
            gap = sentence[prev.end:h.start]
            joined = prev.start == h.start or (
                len(gap) <= LIST_GAP and not cues.list_break.search(gap) and (not gap.strip() or cues.list_separator.search(gap))
            )
            if joined:
                chains[-1].append(n)
                continue
        chains.append([n])
    return chains


def score(hits: list[IndustryHit]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for h in hits:
        totals[h.label] = totals.get(h.label, 0.0) + h.weight
    return totals


def listed_labels(hits: list[IndustryHit]) -> set[str]:
    """Labels named as an item of a list of target industries, where a single
    mention is deliberate."""
    return {h.label for h in hits if h.listed}


def choose(hits: list[IndustryHit], cues: IndustryCues | None = None) -> list[str]:
    """Labels to report: the main one, those with a strong word and enough
    weight, and those named in a list of target industries."""
    cues = cues or industry_cues()
    totals = {label: value for label, value in score(hits).items() if value > 0}
    if not totals:
        return [cues.fallback]
    strong = {h.label for h in hits if h.strong}
    listed = listed_labels(hits)
    top = max(totals.values())
    floor = max(MIN_SCORE, MIN_RATIO * top)
    chosen = [
        label for label, value in sorted(totals.items(), key=lambda kv: -kv[1])
        if value == top or (label in strong and value >= floor) or label in listed
    ]
    if len(chosen) > 1 and cues.fallback in chosen and totals.get(cues.fallback, 0) < top:
        chosen.remove(cues.fallback)
    return chosen
