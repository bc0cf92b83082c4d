"""From a cleaned, tagged article to an `Extraction`.

`extract` is a pure function of the article, its sentences and the loaded
domain data (`Resources`). It runs the field extractors sentence by sentence,
merges what the same article says twice, and links each figure to the
project it is about (the project named in the same or a nearby sentence).
Won figures that are not project money (see `etl.money`) are kept apart in
`Extraction.excluded_amounts`, each with its reason, never in `amounts`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl import industries, projects, regions
from etl.clean import without_spaces
from etl.gazetteer import Gazetteer, load_gazetteer
from etl.jobs import find_jobs
from etl.money import RoleCues, article_role, figures_in, role_cues
from etl.nlp import Sentence
from etl.periods import PeriodCues, find_periods, period_cues
from etl.records import (
    AmountFact,
    Article,
    Evidence,
    ExcludedAmountFact,
    Extraction,
    IndustryFact,
    JobsFact,
    PeriodFact,
    ProjectFact,
    RegionFact,
)

LINK_DISTANCE = 2  # sentences a figure may sit after its project's mention


@dataclass(frozen=True, slots=True)
class Resources:
    gazetteer: Gazetteer
    taxonomy: industries.Taxonomy
    roles: RoleCues
    periods: PeriodCues
    projects: projects.ProjectCues
    regions: regions.RegionCues
    industry_cues: industries.IndustryCues


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """All domain data files, read once per process."""
    return Resources(
        gazetteer=load_gazetteer(),
        taxonomy=industries.load_taxonomy(),
        roles=role_cues(),
        periods=period_cues(),
        projects=projects.project_cues(),
        regions=regions.region_cues(),
        industry_cues=industries.industry_cues(),
    )


def user_words(res: Resources) -> list[tuple[str, str]]:
    """Words Kiwi must keep whole: place names, zones, industry terms, project heads."""
    words = [(form, "NNP") for form in res.gazetteer.surface_forms()]
    for pattern in res.taxonomy.strong.values():
        if pattern is not None:
            words += [(w, "NNG") for w in re.findall(r"[가-힣]{3,}", pattern.pattern)]
    words += [(head, "NNG") for head, kind in res.projects.heads if len(head) >= 3 and kind == "designation"]
    return sorted(set(words))


def _evidence(sent: Sentence, start: int, end: int) -> Evidence:
    return Evidence(sentence=sent.text, sentence_start=sent.start, start=start, end=end)


def unique_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences minus verbatim repeats (pages that print the body twice)."""
    seen: set[str] = set()
    kept = []
    for sent in sentences:
        key = without_spaces(sent.text)
        if key in seen:
            continue
        seen.add(key)
        kept.append(sent)
    return kept


def extract(article: Article, sentences: list[Sentence], res: Resources | None = None) -> Extraction:
    res = res or load_resources()
    sents = unique_sentences(sentences)
    pub_year = article.published.year if article.published else None
    amounts, excluded = _amounts(sents, res)
    periods = _periods(sents, pub_year, res)
    jobs = _jobs(sents)
    mentions = regions.find_mentions(sents, article.text, res.gazetteer, article.published, res.regions)
    region_choices = regions.choose(mentions, res.gazetteer)
    by_index = {s.index: s for s in sents}
    clusters = projects.choose(sents, article.text, {s for s, _ in amounts}, {s for s, _ in periods}, res.projects)
    links = _mention_index(clusters)
    chosen_codes = {r.code for r in region_choices}
    about = {s for s, _ in amounts} | {s for s, _ in links}
    here = _mentions_by_sentence(mentions)
    hits = [h for s in sents for h in industries.weighed_hits(
        s.text, s.index, res.taxonomy, _industry_context(s, about, here.get(s.index, ()), chosen_codes, res.gazetteer),
        res.industry_cues)]
    labels = industries.choose(hits, res.industry_cues)
    return Extraction(
        article=article,
        regions=tuple(_region_facts(region_choices, by_index, res.gazetteer)),
        industries=tuple(_industry_facts(labels, hits, by_index)),
        amounts=tuple(
            AmountFact(a.krw, a.role, a.text, _evidence(by_index[i], a.start + by_index[i].start, a.end + by_index[i].start),
                       _link(i, links), _region_in(here.get(i, ()), chosen_codes, res.gazetteer), a.cue, a.part_of, a.doubt)
            for i, a in _dedupe_amounts(amounts, by_index)
        ),
        excluded_amounts=tuple(
            ExcludedAmountFact(x.krw, x.reason, x.label, x.text, x.cue,
                               _evidence(by_index[i], x.start + by_index[i].start, x.end + by_index[i].start))
            for i, x in _dedupe_excluded(excluded, by_index)
        ),
        periods=tuple(
            PeriodFact(p.start, p.end, p.text, _evidence(by_index[i], p.span_start + by_index[i].start, p.span_end + by_index[i].start), _link(i, links))
            for i, p in _dedupe_periods(periods)
        ),
        projects=tuple(_project_facts(clusters, by_index, mentions, region_choices, hits, labels, res.gazetteer)),
        jobs=tuple(
            JobsFact(j.count, _evidence(by_index[i], j.start + by_index[i].start, j.end + by_index[i].start), _link(i, links))
            for i, j in _dedupe_jobs(jobs)
        ),
    )


# ---------------------------------------------------------------- fields

def _amounts(sents: list[Sentence], res: Resources) -> tuple[list[tuple[int, object]], list[tuple[int, object]]]:
    """(sentence index, figure) for the project money and for the figures left out.
    Figures without a cue of their own take the role the headline gives them."""
    default = article_role(" ".join(s.text for s in sents if s.in_header), res.roles)
    kept, excluded = [], []
    previous: tuple = ()
    for s in sents:
        found = figures_in(s.text, res.roles, default, previous)
        kept += [(s.index, a) for a in found.kept]
        excluded += [(s.index, x) for x in found.excluded]
        previous = found.kept
    return kept, excluded


def _periods(sents: list[Sentence], pub_year: int | None, res: Resources) -> list[tuple[int, object]]:
    return [(s.index, p) for s in sents for p in find_periods(s.text, pub_year, res.periods)]


def _jobs(sents: list[Sentence]) -> list[tuple[int, object]]:
    return [(s.index, j) for s in sents for j in find_jobs(s.text)]


def _dedupe_amounts(amounts: list, by_index: dict[int, Sentence]) -> list:
    """One figure per value and role. A value stated with explicit roles
    (국비 6,300백만원과 도비 6,300백만원) keeps each; otherwise the occurrence
    with the clearest role wins, a body sentence over a headline. The same value
    twice in one sentence is two items of a list (A사 400억원, B사 400억원): both stay."""
    by_value: dict[int, list[tuple[int, object]]] = {}
    for i, a in amounts:
        by_value.setdefault(a.krw, []).append((i, a))
    kept = []
    for occurrences in by_value.values():
        explicit: dict[str, tuple[int, object]] = {}
        for i, a in occurrences:
            if a.confidence == 2 and not by_index[i].in_header:
                explicit.setdefault(a.role, (i, a))
        if explicit:
            kept.extend(explicit.values())
        else:
            kept.append(max(occurrences, key=lambda ia: (ia[1].confidence, not by_index[ia[0]].in_header)))
        chosen = {id(a) for _, a in kept}
        sentences = {i for i, a in kept if a.krw == occurrences[0][1].krw}
        kept += [(i, a) for i, a in occurrences if i in sentences and id(a) not in chosen]
    position = {id(a): n for n, (_, a) in enumerate(amounts)}
    return sorted(kept, key=lambda ia: position[id(ia[1])])


def _dedupe_excluded(excluded: list, by_index: dict[int, Sentence]) -> list:
    """One excluded figure per value and reason (a headline repeats the body's
    생산유발 효과), the body's occurrence over the headline's."""
    best: dict[tuple[int, str], tuple[int, object]] = {}
    for i, x in excluded:
        key = (x.krw, x.reason)
        if key not in best or by_index[best[key][0]].in_header and not by_index[i].in_header:
            best[key] = (i, x)
    position = {id(x): n for n, (_, x) in enumerate(excluded)}
    return sorted(best.values(), key=lambda ix: position[id(ix[1])])


def _dedupe_periods(periods: list) -> list:
    """One period per end year, preferring one with a start; a bare milestone
    equal to the start of a longer period is that period's start, not a period."""
    starts = {p.start for _, p in periods if p.start is not None}
    best: dict[int, tuple[int, object]] = {}
    for i, p in periods:
        if p.start is None and p.end in starts and not any(q.end == p.end and q.start is not None for _, q in periods):
            continue
        current = best.get(p.end)
        if current is None or (current[1].start is None and p.start is not None):
            best[p.end] = (i, p)
    return sorted(best.values(), key=lambda ip: (ip[0], ip[1].end))


def _dedupe_jobs(jobs: list) -> list:
    seen: dict[int, tuple[int, object]] = {}
    for i, j in jobs:
        seen.setdefault(j.count, (i, j))
    return list(seen.values())


# ---------------------------------------------------------------- linking

def _mentions_by_sentence(mentions: list) -> dict[int, list]:
    """The place mentions of each sentence, in order: looked up per sentence
    instead of scanning every mention for every sentence."""
    grouped: dict[int, list] = {}
    for m in mentions:
        grouped.setdefault(m.sentence, []).append(m)
    return grouped


def _industry_context(sent: Sentence, about: set[int], here: list, chosen: set[str], gaz: Gazetteer) -> industries.SentenceContext:
    """Where a sentence stands for the industry words in it: header, project
    sentence, and which of the places it names (`here`: its mentions) are the
    article's regions."""
    named_places = [m for m in here if m.weight > 0]
    if not named_places:
        return industries.SentenceContext(sent.in_header, sent.index in about, (), 0)

    def ours(code: str) -> bool:
        region = gaz.regions[code]
        return region.sido_code in chosen or gaz.city(code).code in chosen

    # Places named in passing (a venue, a neighbour) say nothing of what follows them.
    places = tuple((m.start - sent.start, ours(m.code)) for m in named_places) if chosen else ()
    named = {gaz.city(m.code).code if gaz.regions[m.code].level != "sido" else m.code for m in named_places}
    return industries.SentenceContext(sent.in_header, sent.index in about, places, len(named & chosen))


def _mention_index(clusters: list) -> list[tuple[int, str]]:
    """(sentence, project name) for every mention of a chosen project."""
    return sorted({(c.sentence, cl.best.name) for cl, _ in clusters for c in cl.members})


def _link(sentence: int, links: list[tuple[int, str]]) -> str | None:
    """The project named in the same sentence, else the last one named shortly
    before, else the article's main project."""
    same = [name for s, name in links if s == sentence]
    if same:
        return same[0]
    before = [(s, name) for s, name in links if sentence - LINK_DISTANCE <= s < sentence]
    if before:
        return before[-1][1]
    return links[0][1] if links else None


def _region_in(mentions: list, chosen: set[str], gaz: Gazetteer) -> str | None:
    """The chosen region named in the figure's sentence (`mentions`: that
    sentence's), most specific first."""
    here = [m for m in mentions if m.weight > 0]
    for m in here:
        city = gaz.city(m.code).code if gaz.regions[m.code].level != "sido" else None
        if city and city in chosen:
            return city
    for m in here:
        if gaz.regions[m.code].sido_code in chosen:
            return gaz.regions[m.code].sido_code
    return None


# ---------------------------------------------------------------- facts

def _region_facts(choices: list, by_index: dict[int, Sentence], gaz: Gazetteer) -> list[RegionFact]:
    facts = []
    for r in choices:
        region = gaz.regions[r.code]
        sent = by_index[r.mention.sentence]
        facts.append(RegionFact(r.code, region.sido, region.sigungu if region.level != "sido" else None, r.score,
                                _evidence(sent, r.mention.start, r.mention.end)))
    return facts


def _industry_facts(labels: list[str], hits: list, by_index: dict[int, Sentence]) -> list[IndustryFact]:
    totals = industries.score(hits)
    facts = []
    for label in labels:
        hit = next((h for h in hits if h.label == label), None)
        if hit is None:  # the fallback label has no word behind it
            sent = next(iter(by_index.values()), None)
            if sent is None:
                continue
            facts.append(IndustryFact(label, 0.0, _evidence(sent, sent.start, sent.start)))
            continue
        sent = by_index[hit.sentence_index]
        facts.append(IndustryFact(label, totals.get(label, 0.0), _evidence(sent, sent.start + hit.start, sent.start + hit.end)))
    return facts


def _project_facts(clusters, by_index, mentions, region_choices, hits, labels, gaz: Gazetteer) -> list[ProjectFact]:
    chosen = [r.code for r in region_choices]
    facts = []
    for cl, status in clusters:
        best = cl.best
        sentences = {c.sentence for c in cl.members}
        codes = _project_regions(sentences, mentions, chosen, gaz)
        own = {h.label for h in hits if h.sentence_index in sentences and h.label in labels}
        sent = by_index[best.sentence]
        facts.append(ProjectFact(best.name, status, round(cl.score, 2), _evidence(sent, best.start, best.end),
                                 tuple(codes), tuple(l for l in labels if l in own) or tuple(labels[:1])))
    return facts


def _project_regions(sentences: set[int], mentions: list, chosen: list[str], gaz: Gazetteer) -> list[str]:
    """Chosen regions named where the project is; else the article's regions."""
    codes = []
    for m in mentions:
        if m.sentence not in sentences or m.weight <= 0:
            continue
        region = gaz.regions[m.code]
        code = region.sido_code if region.level == "sido" else gaz.city(m.code).code
        if code in chosen and code not in codes:
            codes.append(code)
    if any(gaz.regions[c].level != "sido" for c in codes):
        return codes
    cities = [c for c in chosen if gaz.regions[c].level != "sido"]
    return codes + [c for c in (cities or chosen) if c not in codes]


def to_record(ex: Extraction) -> dict:
    """The extraction in the gold format of shared/gold/SCHEMA.md, plus evidence."""
    gaz = load_gazetteer()
    a = ex.article
    sidos = [r.sido for r in ex.regions if r.sigungu is None]
    sigungu = [f"{r.sido} {r.sigungu}" for r in ex.regions if r.sigungu is not None]
    for r in ex.regions:
        if r.sido not in sidos:
            sidos.append(r.sido)
    return {
        "id": a.doc_id,
        "published": a.published.isoformat() if a.published else None,
        "title": a.title,
        "outlet": a.outlet,
        "sido": sidos,
        "sigungu": sigungu,
        "industries": [i.label for i in ex.industries],
        "amounts": [{"krw": x.krw, "role": x.role, "text": x.text, "project": x.project, "region": x.region,
                     "cue": x.cue, "part_of": x.part_of, "doubtful": x.doubtful, "doubt": x.doubt,
                     "evidence": _ev(x.evidence)} for x in ex.amounts],
        "excluded_amounts": [{"krw": x.krw, "reason": x.reason, "label": x.label, "text": x.text, "cue": x.cue,
                              "evidence": _ev(x.evidence)} for x in ex.excluded_amounts],
        "periods": [{"start": p.start, "end": p.end, "text": p.text, "project": p.project,
                     "evidence": _ev(p.evidence)} for p in ex.periods],
        "projects": [p.name for p in ex.projects],
        "project_details": [{"name": p.name, "status": p.status, "score": p.score,
                             "regions": [gaz.regions[c].full_name for c in p.regions], "industries": list(p.industries),
                             "evidence": _ev(p.evidence)} for p in ex.projects],
        "jobs": [j.count for j in ex.jobs],
        "source": a.source,
    }


def _ev(e: Evidence) -> dict:
    return {"sentence": e.sentence, "start": e.start, "end": e.end}
