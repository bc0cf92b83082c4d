"""Names of the projects an article reports on, with their status.

Candidates come from four places: quoted names (‘드론 실증도시’ 공모, 「…」),
runs of nouns that end in a head noun from `etl/data/projects.toml`
(특화단지, 국가산단, 센터, 사업, 계획 …, optionally followed by an action noun
such as 구축), the items of enumerations (▲A ▲B, A(273억원), B(400억원) 등),
and agreements (a company, or "6개 기업", next to 투자협약 / 투자 유치, or an
agreement named by its purpose: …을 위한 업무협약).

Each mention is scored: the kind of head (parts such as 시설 and institutions
weigh less), quoting, a list it belongs to (and what the list says its items
are: '등 35개 사업' or '등 전략'), a status word after it (선정, 지정, 착공 …),
a verb right after it, a budget in its sentence, the lead sentence. A name
used as a place (…국가산단 일원에, …에 위치한) or as a description (…거점으로,
규모) loses points. Mentions that name the same thing (one contains the
other, or their character bigrams overlap by half, unless they only share
their programme: 협동로봇 규제자유특구 / 드론 규제자유특구) form a cluster; a
cluster's score adds its repetitions and whether the headline names it. The
clusters above a threshold are the article's projects (no fixed number), each
reported by its fullest body mention. All Korean words and patterns are data.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from etl.nlp import NOUN_TAGS, Sentence, Token
from etl.patterns import compile_any, read_toml
from vocab import vocabulary

QUOTE_RE = re.compile(r"[‘'“\"「『]([^‘’'“”\"「」『』\n]{3,60}?)[’'”\"」』]")
SENTENCE_END = re.compile(r"(다|요|까|죠|니다|라|자)\s*[.!?~]*\s*$|다\.|[?!]")
KEY_STRIP = re.compile(r"[\s\W_]+")
PAREN = re.compile(r"\s*\([^)]*\)")
JOINERS = frozenset("·-&")
HEAD_WEIGHT = {"designation": 2.5, "facility": 1.5, "programme": 1.5, "component": 0.5}
COMPANY_MARK = re.compile(r"(㈜|\(주\))$|주식회사\s*$")
COMPANY_MARK_AFTER = re.compile(r"^(㈜|\(주\))")
WEAK_LOCATIVE_AFTER = re.compile(r"^\s*(에서|에는|에)(?![가-힣])")
WORD_SPLIT = re.compile(r"[\s·]+")
NUMBER_WORD = re.compile(r"[\d.,~∼]+[가-힣]{0,2}")
HANGUL_WORD = re.compile(r"\s*([가-힣]+)")
CLAUSE_END = re.compile(r"[,.]\s|\s(?:하고|했고|하며|되며|으며)\s|[‘'“\"]")
TOPIC_END = re.compile(r"(?:은|는|으로는|로는|에는)\s*$")
MAX_PROJECTS = 12  # a ministry designating 7 특구 names 7; the score threshold decides
MIN_SCORE = 4.0
LIST_BONUS = 2.0  # named in an enumeration (▲ A ▲ B, 'A'과 'B', A(억원), B(억원) 등)
ACTION_BONUS = 0.5  # a name ending in what is done (… 구축, … 조성) names a programme
DIRECT_BONUS = 1.0  # the verb right after the name is about it (…센터를 새로 짓는다)
SAME_PROJECT = 0.5
MAX_NAME = 40
MEMO_SIZE = 50_000  # names remembered per question; a long-running process starts afresh past this
_UNSEEN = object()  # not yet in a memo (None is an answer)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProjectCues:
    heads: tuple[tuple[str, str], ...]  # (head, kind), longest first
    head_kinds: dict[str, str]
    head_last: frozenset[str]  # last characters of heads: a cheap test before a lookup
    head_lengths: tuple[int, ...]  # longest first
    head_words: frozenset[str]
    actions: frozenset[str]
    leading_noise: frozenset[str]
    generic: frozenset[str]
    programmes: frozenset[str]
    status: tuple[tuple[str, re.Pattern[str]], ...]
    bullets: str
    bullet: re.Pattern[str]  # any one of the bullets
    list_project: re.Pattern[str]
    list_other: re.Pattern[str]
    subject_nouns: frozenset[str]  # "물류로봇 기업 로보젠": the name starts after these
    stop_nouns: frozenset[str]  # nouns that end a run (등, 중, 내)
    place_statuses: frozenset[str]  # what happens at a place, not to it
    rx: dict[str, re.Pattern[str]]  # the [patterns] table
    other_word: re.Pattern[str]  # anywhere in a list's introduction (4대 전략방향은 ▲ …)
    project_word: re.Pattern[str]
    not_locative: re.Pattern[str]
    # What this process has already worked out about a name: the same names
    # recur across articles (see `_memo`), and names are checked again and again.
    seen_kinds: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    seen_generic: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    seen_actions: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)


@lru_cache(maxsize=None)
def project_cues(directory: Path | None = None) -> ProjectCues:
    data = read_toml("projects.toml", directory)
    heads = [(h, kind) for kind, words in data["heads"].items() if kind in HEAD_WEIGHT for h in words]
    heads.sort(key=lambda hk: len(hk[0]), reverse=True)
    kinds: dict[str, str] = {}
    for head, kind in heads:
        kinds.setdefault(head, kind)
    return ProjectCues(
        heads=tuple(heads),
        head_kinds=kinds,
        head_last=frozenset(h[-1] for h in kinds),
        head_lengths=tuple(sorted({len(h) for h in kinds}, reverse=True)),
        head_words=frozenset(kinds),
        actions=frozenset(data["heads"]["actions"]),
        leading_noise=frozenset(data["heads"]["leading_noise"]),
        generic=frozenset(data["heads"]["generic"]),
        programmes=frozenset(name_key(p) for p in data["heads"].get("programmes", [])),
        status=tuple((name, compile_any(words, "projects.toml [status]")) for name, words in data["status"].items()),
        bullets="".join(data["lists"]["bullets"]),
        bullet=re.compile("[" + re.escape("".join(data["lists"]["bullets"])) + "]"),
        list_project=_list_noun(data["lists"]["project_nouns"]),
        list_other=_list_noun(data["lists"]["other_nouns"]),
        subject_nouns=frozenset(data["words"]["subject_nouns"]),
        stop_nouns=frozenset(data["words"]["stop_nouns"]),
        place_statuses=frozenset(data["words"]["place_statuses"]),
        rx={key: compile_any([pattern], f"projects.toml [patterns] {key}") for key, pattern in data["patterns"].items()},
        other_word=compile_any(data["lists"]["other_nouns"], "projects.toml [lists]"),
        project_word=compile_any(data["lists"]["project_nouns"], "projects.toml [lists]"),
        not_locative=compile_any(["^\\s*(?:" + "|".join(data["clauses"]["not_locative"]) + ")"], "projects.toml [clauses]"),
    )


def _list_noun(words: list[str]) -> re.Pattern[str]:
    """What 등 introduces: '등 35개 사업', '등 신규사업 8건', '등 전략'."""
    nouns = "|".join(sorted(words, key=len, reverse=True))
    end = r"(?:[은는이가을를에의과와도들]|으로|로|\s|[,.]|$)"
    return compile_any([rf"^\s*(?:[\d,]+\s*(?:개|건|곳|대)\s*)?(?:[가-힣]+\s+){{0,2}}?(?:{nouns}){end}|^\s*(?:[가-힣]+\s+){{0,2}}?(?:{nouns})\s*[\d,]+\s*(?:개|건)"], "projects.toml [lists]")


@dataclass
class Candidate:
    name: str
    sentence: int
    start: int  # offsets in the article text
    end: int
    kind: str
    quoted: bool
    in_header: bool
    score: float = 0.0
    status: str | None = None
    key: str = field(default="")
    listed: bool = False  # an item of an enumeration
    # character bigrams of the key, for comparing names (a set: cheap to
    # intersect); every candidate is compared, so they are made with it
    grams: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.key = key = name_key(self.name)
        self.grams = frozenset(key[i:i + 2] for i in range(len(key) - 1)) if len(key) > 1 else frozenset([key])

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(k for k in (name_key(w) for w in WORD_SPLIT.split(PAREN.sub("", self.name))) if len(k) >= 2)


def name_key(name: str) -> str:
    return KEY_STRIP.sub("", PAREN.sub("", name).lower())


def bigrams(key: str) -> Counter:
    return Counter(key[i:i + 2] for i in range(len(key) - 1)) if len(key) > 1 else Counter([key])


def dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else 0.0


def _memo(seen: dict[str, T], key: str, value: T) -> T:
    """Remember `value` for `key` in one of the cues' `seen_*` tables, which
    are emptied when full so that a process that runs for weeks stays small."""
    if len(seen) >= MEMO_SIZE:
        seen.clear()
    seen[key] = value
    return value


def head_kind(text: str, cues: ProjectCues) -> str | None:
    """The kind of the longest head `text` ends with."""
    kind = cues.seen_kinds.get(text, _UNSEEN)
    return _memo(cues.seen_kinds, text, _head_kind(text, cues)) if kind is _UNSEEN else kind


def _head_kind(text: str, cues: ProjectCues) -> str | None:
    for length in cues.head_lengths:
        kind = cues.head_kinds.get(text[-length:])
        if kind is not None and len(text) >= length:
            return kind
    return None


# ---------------------------------------------------------------- candidates

def _noun_runs(tokens: tuple[Token, ...], text: str, stop: frozenset[str]) -> list[list[Token]]:
    """Maximal runs of nouns separated by at most one space or a joiner (·, -).

    A parenthesis holding only nouns inside a run is skipped over, so
    '인공지능(AI) 중심 산업융합 집적단지' stays one run.
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    prev_end = -2
    resume = 0  # the token after a skipped parenthesis
    for i, tok in enumerate(tokens):  # Kiwi computes each attribute on access: each is read once, when needed
        if i < resume:
            continue
        form = tok.form
        if form == "(" and current:
            close = _skip_paren(tokens, i)
            if close:
                prev_end = tokens[close].end
                resume = close + 1
                continue
        if (form in JOINERS and current) or (tok.tag in NOUN_TAGS and form not in stop):
            start = tok.start
            if current and (start - prev_end > 1 or (start - prev_end == 1 and text[prev_end] != " ")):
                runs.append(current)
                current = []
            if current or form not in JOINERS:
                current.append(tok)
            prev_end = tok.end
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _skip_paren(tokens: tuple[Token, ...], i: int) -> int | None:
    for j in range(i + 1, min(i + 6, len(tokens))):
        if tokens[j].form == ")":
            return j
        if tokens[j].tag not in NOUN_TAGS and tokens[j].form not in JOINERS:
            return None
    return None


def _split_lists(run: list[Token], text: str, cues: ProjectCues) -> list[list[Token]]:
    """'로봇 테스트필드·군위 첨단산단' names two things: split at a joiner that
    follows a head."""
    if "·" not in text[run[0].start:run[-1].end]:
        return [run]
    parts, current = [], []
    for tok in run:
        if tok.form == "·" and current and head_kind(text[current[0].start:current[-1].end], cues):
            parts.append(current)
            current = []
            continue
        current.append(tok)
    if current:
        parts.append(current)
    return parts


def _runs(sent: Sentence, text: str, cues: ProjectCues) -> list[list[Token]]:
    """The sentence's noun runs, lists split (`_split_lists`). One sentence in
    a hundred has a '·': the runs, in text order, are looked at once for it."""
    runs = _noun_runs(sent.tokens, text, cues.stop_nouns)
    if not runs or "·" not in text[runs[0][0].start:runs[-1][-1].end]:
        return runs
    return [part for run in runs for part in _split_lists(run, text, cues)]


def _glued(run: list[Token], i: int) -> bool:
    """The next noun continues the same word (탄소협약|기업): no cut here."""
    return i + 1 < len(run) and run[i + 1].start == run[i].end and run[i + 1].form not in JOINERS


def _cut_run(run: list[Token], text: str, cues: ProjectCues) -> tuple[list[Token], str] | None:
    """The longest prefix of the run that ends in a head (plus action nouns)."""
    last_head = None
    head_last, actions = cues.head_last, cues.actions
    for i, tok in enumerate(run):
        form = tok.form
        ends_in_head = form[-1] in head_last
        if not ends_in_head and not (last_head and form in actions):
            continue
        if form in JOINERS or _glued(run, i):
            continue
        kind = head_kind(text[run[0].start:tok.end], cues) if ends_in_head else None
        if kind:
            last_head = (i, kind)
        elif last_head and form in cues.actions and i == last_head[0] + 1:
            last_head = (i, last_head[1])
    if last_head is None:
        return None
    kept = _trim_left(run[: last_head[0] + 1], cues)
    return (kept, last_head[1]) if kept else None


def _trim_left(toks: list[Token], cues: ProjectCues) -> list[Token]:
    """Drop leading noise: numbers, determiners, ministries, and everything up
    to a word naming a company or its subject ("물류로봇 기업 로보젠이 …")."""
    cut = max((i for i, t in enumerate(toks[:-1]) if t.form in cues.subject_nouns and _whole_word(toks, i)), default=-1)
    toks = toks[cut + 1:]
    while len(toks) > 1 and toks[0].tag in ("SN", "NR") and toks[1].start == toks[0].end:
        toks = toks[2:] if toks[1].tag != "SN" else toks[1:]  # "8.6세대", "3단계": a number and its counter
    while toks and (
        toks[0].form in cues.leading_noise
        or toks[0].form in JOINERS
        or toks[0].tag in ("SN", "NR", "NNB")
        or cues.rx["agency"].search(toks[0].form) and len(toks) > 2 and toks[0].tag == "NNP"
    ):
        toks = toks[1:]
    while toks and toks[-1].form in JOINERS:
        toks = toks[:-1]
    return toks


def _whole_word(toks: list[Token], i: int) -> bool:
    """Token i is a written word of its own ('기업 로보젠'), not part of one ('거점기관', '기업도시')."""
    return (i == 0 or toks[i - 1].end < toks[i].start) and (i + 1 == len(toks) or toks[i].end < toks[i + 1].start)


def _is_generic(name: str, cues: ProjectCues) -> bool:
    """A bare head, or only generic words and numbers, is not a project name."""
    generic = cues.seen_generic.get(name)
    return _memo(cues.seen_generic, name, _generic_name(name, cues)) if generic is None else generic


def _generic_name(name: str, cues: ProjectCues) -> bool:
    plain = PAREN.sub("", name)
    if name_key(plain) in cues.programmes:
        return False
    if name_key(plain) in cues.head_words or len(name_key(plain)) < 4:
        return True
    words = [w for w in WORD_SPLIT.split(plain) if w]
    content = [
        w for w in words
        if not _generic_word(w, cues) and not cues.rx["agency"].search(w) and not NUMBER_WORD.fullmatch(w)
    ]
    return not content


def _generic_word(word: str, cues: ProjectCues) -> bool:
    """A generic word or head, or generic words written together (거점센터, 업무이행):
    every piece but the last at least two characters long.

    Worked from the end of the word: `whole[i]` says whether word[i:] is such a
    word, so each piece is one set lookup (not a scan of every generic word)."""
    def known(piece: str) -> bool:
        return piece in cues.generic or piece in cues.head_words

    if known(word):
        return True
    n = len(word)
    whole = [False] * (n + 1)
    for i in range(n - 1, -1, -1):
        whole[i] = known(word[i:]) or any(whole[j] and known(word[i:j]) for j in range(i + 2, n))
    return whole[0]


def candidates(sentences: list[Sentence], text: str, cues: ProjectCues | None = None) -> list[Candidate]:
    cues = cues or project_cues()
    found: list[Candidate] = []
    for pos, sent in enumerate(sentences):
        found.extend(_quoted(sent, text, cues))
        found.extend(_listed(sent, text, cues))
        found.extend(_agreements(sentences, pos, text, cues))
        for run in _runs(sent, text, cues):
            cut = _cut_run(run, text, cues)
            if not cut:
                continue
            toks, kind = cut
            name = text[toks[0].start:toks[-1].end]
            if not _is_generic(name, cues) and len(name) <= MAX_NAME:
                found.append(Candidate(name, sent.index, toks[0].start, toks[-1].end, kind, False, sent.in_header))
    return found


PAREN_MONEY = re.compile(r"\((?:[^()]*?\d[\d,.]*\s*(?:조|억|천만|백만|만)\s*원?)[^()]*\)")
ITEM_END = re.compile(r"\s*(?:\(|,|、|\s등(?![가-힣])|$)")
LIST_GLUE = re.compile(r"^[\s,、’'”\"」』‘“「『]*(?:\([^()]{0,24}\))?[\s,、’'”\"」』‘“「『]*(?:과|와|및|이나|나)?[\s,、’'”\"」』‘“「『▲△■◆○•‣]*$")
LIST_TAIL = re.compile(r"등(?![가-힣])|(?:이)?라는\s")
QUOTED = re.compile(r"[‘“「『][^’”」』]{0,60}[’”」』]")
OTHER_QUOTES = re.compile(r"(?:\s*[’'”\"」』]?\s*(?:\([^()]{0,24}\))?\s*(?:,|、|과|와|및)?\s*(?:[‘“「『][^’”」』]{0,60}[’”」』])?)*\s*")


def _listed(sent: Sentence, text: str, cues: ProjectCues) -> list[Candidate]:
    """Items of an enumeration: '▲A(3000억원) ▲B(5200억원)', 'A(273억원), B(400억원) 등'.

    The list marks where each name starts and ends, so an item may end in an
    action noun (… 부품산업육성, … 예술인촌 조성) and still be a name."""
    spans: list[tuple[int, int]] = []
    body = sent.text
    if cues.bullet.search(body):
        pieces = cues.bullet.split(body)
        pos = len(pieces[0]) + 1
        for piece in pieces[1:]:
            end = ITEM_END.search(piece)
            spans.append((pos, pos + end.start()))
            pos += len(piece) + 1
    money = list(PAREN_MONEY.finditer(body))
    if len(money) >= 2:
        prev = 0
        for m in money:
            spans.append((prev, m.start()))
            prev = m.end()
    found = []
    seen = set()
    for start, end in spans:
        toks = _trailing_nouns([t for t in sent.tokens if t.start >= sent.start + start and t.end <= sent.start + end], text, cues)
        toks = _trim_left(toks, cues)
        if not toks or (toks[0].start, toks[-1].end) in seen:
            continue
        name = text[toks[0].start:toks[-1].end]
        kind = head_kind(name, cues) or _kind_with_action(name, cues) or _action_ending(name, cues)
        if not kind or _is_generic(name, cues) or len(name) > MAX_NAME:
            continue
        seen.add((toks[0].start, toks[-1].end))
        found.append(Candidate(name, sent.index, toks[0].start, toks[-1].end, kind, False, sent.in_header, listed=True))
    return found


def _trailing_nouns(toks: list[Token], text: str, cues: ProjectCues) -> list[Token]:
    """The run of nouns a list item ends with ('시는 올해 A 구축' → 'A 구축')."""
    while toks and toks[-1].tag not in NOUN_TAGS:
        toks = toks[:-1]
    kept: list[Token] = []
    for tok in reversed(toks):
        if not (tok.tag in NOUN_TAGS or tok.form in JOINERS) or tok.form in cues.stop_nouns:
            break
        if kept and (kept[-1].start - tok.end > 1 or (kept[-1].start - tok.end == 1 and text[tok.end] != " ")):
            break
        kept.append(tok)
    return kept[::-1]


def _quoted(sent: Sentence, text: str, cues: ProjectCues) -> list[Candidate]:
    """Quoted names that end in a head, extended by action nouns after the quote
    ('산업위기 선제대응지역' 지정 신청)."""
    found = []
    for m in QUOTE_RE.finditer(sent.text):
        inner = m.group(1).strip()
        if SENTENCE_END.search(inner) or len(inner) < 4 or "…" in inner or "..." in inner:
            continue
        trimmed = PAREN.sub("", inner).strip()
        kind = head_kind(trimmed, cues) or _kind_with_action(trimmed, cues) or _action_ending(trimmed, cues)
        if not kind or _is_generic(trimmed, cues):
            continue
        start = sent.start + m.start(1)
        end = sent.start + m.end()
        name = inner
        for word in HANGUL_WORD.findall(sent.text[m.end():m.end() + 12])[:2]:
            if word not in cues.actions:
                break
            name += " " + word
            end = text.find(word, end) + len(word)
        found.append(Candidate(name, sent.index, start, end, kind, True, sent.in_header))
    return found


def _action_ending(name: str, cues: ProjectCues) -> str | None:
    """A quoted or listed noun phrase ending in what is done ('… 통합안전체계
    구축', '… 부품산업육성') is the title of a programme."""
    kind = cues.seen_actions.get(name, _UNSEEN)
    return _memo(cues.seen_actions, name, _ends_in_action(name, cues)) if kind is _UNSEEN else kind


def _ends_in_action(name: str, cues: ProjectCues) -> str | None:
    last = name.split()[-1] if name.split() else ""
    if len(name_key(name)) >= 6 and last.endswith(tuple(cues.actions)):
        return "programme"
    return None


def _kind_with_action(name: str, cues: ProjectCues) -> str | None:
    words = name.split()
    if len(words) >= 2 and words[-1] in cues.actions:
        return head_kind(" ".join(words[:-1]), cues)
    return None


def _agreements(sentences: list[Sentence], pos: int, text: str, cues: ProjectCues) -> list[Candidate]:
    """'㈜에이치엠케미칼과 … 투자협약 … 양극재 공장을 지어' →
    '에이치엠케미칼 양극재 공장 투자협약'. `pos` is the sentence's position in the list."""
    sent = sentences[pos]
    found = _purpose_agreements(sent, text, cues)
    m = cues.rx["agreement"].search(sent.text)
    if not m:
        return found
    group = cues.rx["group_partner"].search(sent.text[:m.start()])
    company = f"{group['n']}개 기업" if group else _company_before(sent, text, sent.start + m.start(), cues)
    if company is None:
        return found
    if m["attract"]:  # "LG디스플레이의 … OLED 신기술 투자 유치에 성공": what is invested in
        facility = _object_before(sent, text, sent.start + m.start(), cues)
        cue = "투자 유치"
    else:
        facility = None if group else next(filter(None, (_built_facility(s, text, cues) for s in sentences[pos:pos + 3])), None)
        cue = "투자협약"
    name = " ".join(part for part in (company, facility, cue) if part)
    found = [c for c in found if c.end < sent.start + m.start()]  # the same agreement, named by its partner
    found.append(Candidate(name, sent.index, sent.start + m.start(), sent.start + m.end(), "designation", False, sent.in_header))
    return found


def _purpose_agreements(sent: Sentence, text: str, cues: ProjectCues) -> list[Candidate]:
    """An agreement named by its purpose: '반도체 산업 육성 지원을 위한 업무협약'."""
    found = []
    for m in cues.rx["purpose_agreement"].finditer(sent.text):
        toks = _trim_left(_trailing_nouns([t for t in sent.tokens if t.end <= sent.start + m.start()], text, cues), cues)
        if len(toks) < 2:
            continue
        start, end = toks[0].start, sent.start + m.end()
        name = text[start:end]
        if len(name) <= MAX_NAME + 10:
            found.append(Candidate(name, sent.index, start, end, "designation", False, sent.in_header))
    return found


def _object_before(sent: Sentence, text: str, limit: int, cues: ProjectCues) -> str | None:
    """The nouns right before a cue, less sizes and money ('7천억 원 규모 OLED 신기술')."""
    toks = [t for t in _trailing_nouns([t for t in sent.tokens if t.end <= limit], text, cues) if t.tag not in ("SN", "NR", "NNB")]
    toks = [t for t in toks if not cues.rx["descriptive"].search(t.form) and not cues.rx["money_word"].match(t.form)]
    return " ".join("".join(t.form for t in word) for word in _words(toks)) or None


def _words(tokens: tuple[Token, ...] | list[Token]) -> list[list[Token]]:
    """Tokens grouped into written words (no space between them)."""
    words: list[list[Token]] = []
    for tok in tokens:
        if words and tok.start == words[-1][-1].end:
            words[-1].append(tok)
        else:
            words.append([tok])
    return words


def _company_before(sent: Sentence, text: str, limit: int, cues: ProjectCues) -> str | None:
    """The last company name before `limit`: marked ㈜, introduced by 기업/업체,
    or ending like a company (…에너지, …케미칼)."""
    marked = suffixed = None
    for word in _words([t for t in sent.tokens if t.start < limit]):
        while word and word[0].tag in ("SW", "SS", "SSO", "SSC", "SO"):  # ㈜, quotes
            word = word[1:]
        if not word or word[0].tag not in ("NNP", "NNG", "SL"):
            continue
        nouns = word[: next((k for k, t in enumerate(word) if t.tag not in ("NNP", "NNG", "SL", "SH", "SN", "XSN")), len(word))]
        name = text[nouns[0].start:nouns[-1].end]
        if len(name) < 2:
            continue
        before = text[max(sent.start, nouns[0].start - 8):nouns[0].start]
        if COMPANY_MARK.search(before) or cues.rx["company_before"].search(before) or COMPANY_MARK_AFTER.match(text[nouns[-1].end:]):
            marked = name
        elif (word[0].tag == "NNP" or len(nouns) > 1) and cues.rx["company_suffix"].search(name):
            suffixed = name
    return marked or suffixed




def _built_facility(sent: Sentence, text: str, cues: ProjectCues) -> str | None:
    """The facility a sentence says will be built (…생산라인을 세우고)."""
    for run in _noun_runs(sent.tokens, text, cues.stop_nouns):
        cut = _cut_run(run, text, cues)
        if not cut or cut[1] not in ("facility", "component"):
            continue
        toks = [t for t in cut[0] if not cues.rx["descriptive"].search(t.form)]
        built_here = len(toks) > 1 and cues.rx["build_after"].match(toks[-1].form)  # "생산라인 신설을 위한"
        if built_here:
            toks = toks[:-1]
        if toks and (built_here or cues.rx["build_after"].match(text[cut[0][-1].end:cut[0][-1].end + 12])):
            return PAREN.sub("", text[toks[0].start:toks[-1].end]).strip()
    return None


# ---------------------------------------------------------------- scoring

SUBJECT_AFTER = re.compile(r"^\s*(?:은|는|이|가)\s")
OBJECT_BEFORE = re.compile(r"([가-힣A-Za-z]+)(?:을|를)\s")


def _status_after(sent: Sentence, end: int, cues: ProjectCues) -> str | None:
    """The status the clause after a mention reports; a conditional or planned
    step (완공되면, 착공할 예정) is still 계획."""
    clause = CLAUSE_END.split(sent.text[end - sent.start:][:45], maxsplit=1)[0]
    subject = SUBJECT_AFTER.match(clause)
    for status, pattern in cues.status:
        for m in pattern.finditer(clause):
            if subject and any(head_kind(o, cues) for o in OBJECT_BEFORE.findall(clause[subject.end():m.start()])):
                continue  # "X는 Y사업을 추진": the verb is about Y, not about X
            if status == "계획" or not cues.rx["not_reached"].match(clause[m.end():]):
                return status
            return "계획"
    return None


def _mention_score(c: Candidate, sent: Sentence, money: bool, lead: bool, cues: ProjectCues) -> float:
    after = sent.text[c.end - sent.start:]
    score = HEAD_WEIGHT[c.kind] + (2.0 if c.quoted else 0.0)
    c.status = _status_after(sent, c.end, cues)
    locative = WEAK_LOCATIVE_AFTER.match(after) and not cues.not_locative.match(after) and not _action_ending(c.name, cues)
    if c.status in cues.place_statuses and locative:
        c.status = None  # "X에 공장을 짓는다": the verb's object is something else, X is where
    score += 1.5 if c.status else 0.0
    score += 1.0 if money else 0.0
    score += 1.0 if lead else 0.0
    if not c.quoted and cues.rx["locative_after"].match(after):
        score -= 1.5 + (1.5 if c.status else 0.0)
        c.status = None  # "…산단 내 공장이 준공됐다": the status is the plant's, not the place's
    elif not c.quoted and not c.status and locative:
        score -= 1.5
    if cues.rx["predicative_after"].match(after):
        score -= 1.5
    if cues.rx["descriptive"].search(c.name):
        score -= 2.0
    if _action_ending(c.name, cues) and c.kind != "designation":
        score += ACTION_BONUS
    if c.kind != "component" and cues.rx["direct_verb"].match(after):
        score += DIRECT_BONUS
    return score


@dataclass(slots=True)
class Cluster:
    members: list[Candidate]
    score: float = 0.0

    @property
    def best(self) -> Candidate:
        """The fullest body mention: quoted names first, then the longest."""
        body = [c for c in self.members if not c.in_header] or self.members
        return max(body, key=lambda c: (c.quoted, c.score > 2.0, len(c.key)))


def _same(a: Candidate, b: Candidate, programmes: frozenset[str] = frozenset()) -> bool:
    """Same project: one name contains the other, their bigrams overlap by half,
    or every word of the shorter is part of the longer (발사체 산단 ⊂ 고흥
    우주발사체 국가산단).

    Two names that share only their programme (협동로봇 규제자유특구, 자율운항
    선박 규제자유특구) are two projects: one article designates several."""
    short, long_ = (a, b) if len(a.key) <= len(b.key) else (b, a)
    if short.key in long_.key:
        return True
    if _dice_grams(a.grams, b.grams) >= SAME_PROJECT:
        return not _differ_before_suffix(a.key, b.key, programmes)
    return len(short.words) >= 2 and all(w in long_.key for w in short.words)


def _differ_before_suffix(x: str, y: str, programmes: frozenset[str]) -> bool:
    """'협동로봇규제자유특구' and '드론규제자유특구': one programme after different names."""
    n = 0
    while n < min(len(x), len(y)) and x[-1 - n] == y[-1 - n]:
        n += 1
    rest_x, rest_y = x[:len(x) - n], y[:len(y) - n]
    if not any(x.endswith(p) and len(p) <= n for p in programmes):
        return False
    if len(rest_x) < 2 or len(rest_y) < 2 or rest_x in rest_y or rest_y in rest_x:
        return False
    return dice(rest_x, rest_y) < SAME_PROJECT


def _dice_grams(x: frozenset[str], y: frozenset[str]) -> float:
    total = len(x) + len(y)
    return 2 * len(x & y) / total if total else 0.0


def cluster(cands: list[Candidate], header_key: str, programmes: frozenset[str] = frozenset()) -> list[Cluster]:
    """Single-linkage clusters of mentions that name the same thing."""
    clusters: list[Cluster] = []
    for c in sorted(cands, key=lambda c: (-c.score, -len(c.key))):
        homes = [cl for cl in clusters if _links(cl, c, programmes)]
        if not homes:
            clusters.append(Cluster([c]))
            continue
        home = homes[0]
        home.members.append(c)
        if c.key in programmes:
            continue  # a bare 규제자유특구 does not join the 특구 an article names
        for other in homes[1:]:
            home.members.extend(other.members)
            clusters.remove(other)
    header_grams = bigrams(header_key)  # the same headline for every cluster
    for cl in clusters:
        cl.score = _cluster_score(cl, header_grams)
    return sorted(clusters, key=lambda cl: -cl.score)


def _links(cl: Cluster, c: Candidate, programmes: frozenset[str]) -> bool:
    """Whether `c` names the cluster's project; a bare programme name in the
    cluster stands for whichever specific name joined it first, not for all."""
    members = [m for m in cl.members if m.key not in programmes] or cl.members
    return any(_same(m, c, programmes) for m in members)


def _cluster_score(cl: Cluster, header_grams: Counter) -> float:
    body = [c for c in cl.members if not c.in_header]
    if not body:
        return max(c.score for c in cl.members) - 2.0  # a headline abbreviation alone
    sentences = {c.sentence for c in body}
    score = max(c.score for c in body) + min(0.75 * (len(sentences) - 1), 3.0)
    in_header = any(c.in_header for c in cl.members) or _share(cl.best.key, header_grams) >= 0.6
    return score + (2.0 if in_header else 0.0)


def _share(key: str, header_grams: Counter) -> float:
    grams = bigrams(key)
    total = sum(grams.values())
    return sum((grams & header_grams).values()) / total if total else 0.0


def _score_lists(cands: list[Candidate], by_index: dict[int, Sentence], cues: ProjectCues) -> None:
    """Names listed side by side ('A'과 'B', ▲A ▲B, A(억원), B(억원)) or
    followed by '등 N개 사업' are the projects an article enumerates; items of
    '… 등 전략' are not projects, however they are written."""
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(c.sentence, []).append(c)
    for index, group in by_sentence.items():
        sent = by_index[index]
        for chain in _chains(sorted(group, key=lambda c: (c.start, -c.end)), sent):
            kind = _list_kind(chain, sent, cues)
            if kind == "other":
                for c in chain:
                    c.score -= LIST_BONUS
            elif kind == "project" or any(c.listed for c in chain) or (
                len({(c.start, c.end) for c in chain}) > 1 and not _comma_run(chain, sent)
            ):
                shared = next((c.status for c in reversed(chain) if c.status), None)  # the list's verb
                for c in chain:  # a part (시설, 설비) in a list is one part among others
                    c.score += LIST_BONUS if kind == "project" or c.kind != "component" else LIST_BONUS / 2
                    c.status = c.status or shared


def _list_kind(chain: list[Candidate], sent: Sentence, cues: ProjectCues) -> str | None:
    """What a list says its items are: after them ('… 등 35개 사업', '…이라는 3대
    목표') or before the first bullet ('4대 전략방향은 ▲…')."""
    after = OTHER_QUOTES.match(sent.text, max(c.end for c in chain) - sent.start)
    tail = LIST_TAIL.match(sent.text, after.end())
    if tail:
        rest = sent.text[tail.end():]
        if cues.list_other.match(rest):
            return "other"
        if cues.list_project.match(rest):
            return "project"
    if any(c.listed for c in chain):
        intro = sent.text[:chain[0].start - sent.start]
        cut = min((i for i in (intro.find(b) for b in cues.bullets) if i >= 0), default=-1)  # the first bullet
        intro = intro[max(0, cut - 20):cut] if cut >= 0 else ""
        if TOPIC_END.search(intro.rstrip(":").rstrip()):
            words = intro.split()
            head = words[-1] if words else ""
            if cues.other_word.search(head) and not cues.project_word.search(head):
                return "other"
    return None


def _comma_run(chain: list[Candidate], sent: Sentence) -> bool:
    """Unquoted names between commas ('배관, 발전소, 관리센터 등') are often the
    parts of one project; only quotes, bullets, 과/와 or '등 N개 사업' make them a list."""
    if any(c.quoted for c in chain):
        return False
    ordered = sorted(chain, key=lambda c: c.start)
    gaps = [sent.text[a.end - sent.start:b.start - sent.start] for a, b in pairwise(ordered) if a.end <= b.start]
    return bool(gaps) and all("," in g or "、" in g for g in gaps)


def _chains(group: list[Candidate], sent: Sentence) -> list[list[Candidate]]:
    """Runs of mentions with only list glue (commas, 과/와, quotes, a bracket)
    between them; a mention inside another (the same words found twice) shares its run."""
    chains: list[list[Candidate]] = []
    end = -1
    for c in group:
        if chains and (c.start < end or LIST_GLUE.match(QUOTED.sub(",", sent.text[end - sent.start:c.start - sent.start]))):
            chains[-1].append(c)
        else:
            chains.append([c])
        end = max(end, c.end)
    return chains


def status_of(cl: Cluster) -> str:
    """The furthest stage any mention reports; 계획 when none says."""
    found = {c.status for c in cl.members if c.status}
    order = vocabulary().status_labels  # the one furthest along wins; the first is the default
    return next((s for s in reversed(order) if s in found), order[0])


def choose(
    sentences: list[Sentence], text: str, money_sentences: set[int], period_sentences: set[int] = frozenset(),
    cues: ProjectCues | None = None,
) -> list[tuple[Cluster, str]]:
    """The article's projects: the best clusters of candidate names, with status."""
    cues = cues or project_cues()
    cands = candidates(sentences, text, cues)
    lead = next((s.index for s in sentences if not s.in_header), None)
    by_index = {s.index: s for s in sentences}
    for c in cands:
        c.score = _mention_score(c, by_index[c.sentence], c.sentence in money_sentences, c.sentence == lead, cues)
        c.score += 0.5 if c.sentence in period_sentences else 0.0
    _score_lists(cands, by_index, cues)
    header_key = name_key(" ".join(s.text for s in sentences if s.in_header))
    chosen = [cl for cl in cluster(cands, header_key, cues.programmes) if cl.score >= MIN_SCORE][:MAX_PROJECTS]
    return [(cl, status_of(cl)) for cl in chosen]
