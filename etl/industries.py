"""Industries an article's projects target, from the keyword taxonomy.

Each label's strong words count 1 and weak words 0.5 per mention; mentions in
the title and subtitles count double, because headlines name what the
article is about. A label is kept when it is the article's main industry,
when it scores at least `MIN_SCORE`, or when it is named in the same sentence
as the main projects (a list of target industries: "수소, 이차전지, 소재,
데이터, 드론 등 미래 신성장동력"). The taxonomy lives in
`vocab/data/industries.toml`, the one list of industries every layer reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import vocab
from etl.patterns import DataFileError, first_chars, read_toml, trie_pattern

FALLBACK = "기타"
WEAK_WEIGHT = 0.5
TITLE_WEIGHT = 2.0


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
            for word in words:
                senses.setdefault(_squash(word), []).append((label, is_strong))
    return Taxonomy(labels=tuple(data), strong=strong, weak=weak, any_word=_any_word(data),
                    senses={k: tuple(v) for k, v in senses.items()})


def _any_word(data: dict) -> re.Pattern[str]:
    """All words of all labels: words with Latin letters first (whole words
    only), then a trie of the Korean ones, so one scan finds them all."""
    words = {w for e in data.values() for w in (*e["strong"], *e.get("weak", []))}
    latin = sorted((w for w in words if re.search(r"[A-Za-z]", w)), key=len, reverse=True)
    korean = [w for w in words if not re.search(r"[A-Za-z]", w)]
    latin_part = _word_pattern(latin, "*").pattern if latin else None
    body = "|".join(p for p in (latin_part, trie_pattern(korean)) if p)
    return re.compile(first_chars(list(words)) + "(?:" + body + ")")


def _squash(word: str) -> str:
    return re.sub(r"\s+", "", word)


@dataclass(frozen=True, slots=True)
class IndustryHit:
    label: str
    strong: bool
    weight: float
    sentence_index: int
    start: int  # offset within the sentence
    end: int


def hits_in(sentence: str, index: int, taxonomy: Taxonomy, weight: float = 1.0) -> list[IndustryHit]:
    """Every taxonomy word in one sentence, weighted.

    One pass with all words, longest first, so a word inside a longer one
    ('전력' in '전력반도체') is not counted; a word may signal two labels
    (수소차: 수소 and 미래차)."""
    found = []
    for m in taxonomy.any_word.finditer(sentence):
        for label, strong in taxonomy.senses.get(_squash(m.group()), ()):
            found.append(IndustryHit(label, strong, (1.0 if strong else WEAK_WEIGHT) * weight, index, m.start(), m.end()))
    return found


MIN_SCORE = 1.5
LIST_LABELS = 3


def score(hits: list[IndustryHit]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for h in hits:
        totals[h.label] = totals.get(h.label, 0.0) + h.weight
    return totals


def listed_labels(hits: list[IndustryHit]) -> set[str]:
    """Labels named in a sentence that names at least three industries: a list
    of target industries, where a single mention is deliberate."""
    by_sentence: dict[int, set[str]] = {}
    for h in hits:
        if h.strong:
            by_sentence.setdefault(h.sentence_index, set()).add(h.label)
    return {label for labels in by_sentence.values() if len(labels) >= LIST_LABELS for label in labels}


def choose(hits: list[IndustryHit]) -> list[str]:
    """Labels to report: the main one, those with a strong word and enough
    weight, and those named in a list of target industries."""
    totals = score(hits)
    if not totals:
        return [FALLBACK]
    strong = {h.label for h in hits if h.strong}
    listed = listed_labels(hits)
    top = max(totals.values())
    chosen = [
        label for label, value in sorted(totals.items(), key=lambda kv: -kv[1])
        if value == top or (label in strong and value >= MIN_SCORE) or label in listed
    ]
    if len(chosen) > 1 and FALLBACK in chosen and totals.get(FALLBACK, 0) < top:
        chosen.remove(FALLBACK)
    return chosen
