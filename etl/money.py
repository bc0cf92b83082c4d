"""Korean money expressions, which of them are project money, and the role of each.

Parsing (`find_money`) is pure string work: 1,280억원, 3조 4,500억 원,
45억6천만원, 15,846백만원, 2.5조, 2천900여억원, 2억 달러. `figures_in` then
reads the words around each won figure, with the vocabulary in
`etl/data/money.toml`:

1. Is it project money at all? Market outlooks, economic effects, 매출,
   수출, an institution's whole budget, past totals, an earlier value of a
   changed figure and the change itself are kept aside as `ExcludedAmount`s
   with a reason, so that nothing is dropped silently.
2. Its role: the nearest cue before it, a financing phrase right after it
   ("…은 민자로"), who spends it (a company investing, a province budgeting),
   what the sentence or the article is about, or, failing all, a total.
3. Part or whole: a figure inside another's parenthesis, after 중/가운데,
   or a cost item (설계비) after a larger figure is a part of that figure.

Each figure keeps the cue that decided its role, and a 조-sized figure with
no total or investment cue near it is marked doubtful.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from etl.patterns import DataFileError, read_toml
from vocab import vocabulary

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
# Number grammar, not vocabulary: 여 marks an approximate figure (2천900여억원).
UNIT = r"(?:여\s*)?(?:[천백십]?(?:조|억|만)|천)"
PAIR_RE = re.compile(rf"({NUMBER})\s*({UNIT})?")
UNIT_RE = re.compile(UNIT)
TRAILING_DIGIT = re.compile(r"\d\s*$")  # '2억 3' is not a figure
ANY_UNIT = re.compile(r"[조억만천]")
DIGIT = re.compile(r"\d")  # what every figure (and NUMBER) starts with, in any script
BIG_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
SMALL_UNITS = {"천": 10**3, "백": 10**2, "십": 10}


@dataclass(frozen=True, slots=True)
class Money:
    """A money expression: its value in the unit of `currency`, and where it is."""

    value: int
    currency: str  # "원", "달러", … ; "" when the unit is implied (1280억)
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class RoledAmount:
    """A won figure that is project money."""

    krw: int
    role: str
    confidence: int  # 2: explicit cue, 1: subject, sentence or article context, 0: default
    start: int
    end: int
    text: str
    cue: str = ""  # the words that decided the role ("국비", "투자협약", "SK하이닉스는"); "" for the default
    part_of: int | None = None  # krw of the figure this one is a part of (국비 inside 총사업비)
    doubt: str | None = None  # why the figure is doubtful, None when it is not


@dataclass(frozen=True, slots=True)
class ExcludedAmount:
    """A won figure that is not project money, and why."""

    krw: int
    reason: str  # a key of [exclude.*] in money.toml ("market", "effect", …)
    label: str  # what the article page shows after "제외:" ("시장 전망")
    cue: str  # the words that showed it
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Figures:
    kept: tuple[RoledAmount, ...]
    excluded: tuple[ExcludedAmount, ...]


NO_FIGURES = Figures((), ())


@dataclass(frozen=True, slots=True)
class Exclusion:
    reason: str
    label: str
    before: tuple[re.Pattern[str], ...]  # each: (cue)(the short phrase up to the figure)
    after: re.Pattern[str] | None
    min_krw: int
    details: bool = True  # figures in its parenthesis or after it as parts go with it
    unless_spent: bool = False  # its cues do not apply to a figure that is spent ('을 투자하기로')
    clause: re.Pattern[str] | None = None  # anywhere since the previous figure …
    outlook: re.Pattern[str] | None = None  # … when the sentence also says this


@dataclass(frozen=True, slots=True)
class RoleCues:
    """Everything `money.toml` says, compiled once."""

    money: re.Pattern[str]
    won: str
    counter_after: re.Pattern[str]
    exclusions: tuple[Exclusion, ...]
    spent: re.Pattern[str]
    before: dict[str, re.Pattern[str]]
    after: dict[str, re.Pattern[str]]
    part: re.Pattern[str]
    weak_total: re.Pattern[str]
    continuing: re.Pattern[str]
    annual: re.Pattern[str]
    subject: re.Pattern[str]
    company: re.Pattern[str]
    public: re.Pattern[str]
    sentence_investment: re.Pattern[str]
    sentence_company: re.Pattern[str]
    sentence_national: re.Pattern[str]
    spend: re.Pattern[str]
    pledge: re.Pattern[str]
    article: dict[str, re.Pattern[str]]
    doubt_min_krw: int
    doubt_window: int
    doubt_label: str
    min_krw: int


def parse_korean_number(expr: str) -> int | None:
    """'3조 4,500억' → 3450000000000; '45억6천만' → 4560000000; '15,846백만' → 15846000000;
    '3천500억' → 350000000000 (천, 백, 십 and bare digits add up inside the group that
    the next 만, 억 or 조 multiplies); '2천900여억' → 290000000000."""
    total = Decimal(0)
    group = Decimal(0)
    matched = False
    for number, unit in PAIR_RE.findall(expr):
        try:
            value = Decimal(number.replace(",", ""))
        except InvalidOperation:
            return None
        matched = True
        unit = unit.lstrip("여").strip()
        if not unit:
            group += value
        elif unit in SMALL_UNITS:
            group += value * SMALL_UNITS[unit]
        elif unit in BIG_UNITS:
            total += (group + value) * BIG_UNITS[unit]
            group = Decimal(0)
        else:  # a compound unit: 천억, 백만, 십억 …
            total += value * SMALL_UNITS[unit[0]] * BIG_UNITS[unit[1]]
    return int(total + group) if matched else None


def find_money(text: str, cues: RoleCues | None = None) -> list[Money]:
    """Every money expression in `text`, in won or another currency.

    Bare numbers without a unit or currency are skipped, as are figures with
    only 만/천 and no 원 (1만8,000명 is a head count).
    """
    cues = cues or role_cues()
    found = []
    for m in cues.money.finditer(text):
        expr, cur = m["expr"].strip(), (m["cur"] or "").strip()
        if not cur:
            last_unit = UNIT_RE.findall(expr)
            if not last_unit or last_unit[-1][-1] not in "조억" or cues.counter_after.match(text[m.end():]):
                continue
            if TRAILING_DIGIT.search(expr):
                continue
        elif not ANY_UNIT.search(expr) and cur == cues.won and "," not in expr and len(expr) < 4:
            continue
        value = parse_korean_number(expr)
        if value is None or value == 0:
            continue
        end = m.end() if cur else m.start() + len(m["expr"].rstrip())
        found.append(Money(value, cur, m.start(), end, text[m.start():end]))
    return found


# ---------------------------------------------------------------- data

LOOKAROUND = re.compile(r"\(\?<?[!=][^)]*\)")


def _alternation(patterns: list[str], source: str) -> re.Pattern[str]:
    """One pattern for many; longer words are tried first (투자금 before 투자)."""
    if not patterns:
        return re.compile(r"(?!x)x")
    ordered = sorted(patterns, key=lambda p: len(LOOKAROUND.sub("", p)), reverse=True)
    try:
        return re.compile("|".join(f"(?:{p})" for p in ordered))
    except re.error as exc:
        raise DataFileError(f"{source}: bad pattern ({exc})") from None


def _exclusions(data: dict, reach: dict) -> tuple[Exclusion, ...]:
    """The [exclude.*] tables. A `before` cue must end its word (at most three more
    syllables, not a compound head such as 수출허브단지) and sit within a short
    phrase of the figure (12 characters, no comma, no connective such as 위해)."""
    compound, connectives = reach.get("compound", []), reach.get("connectives", [])
    guard = r"(?![가-힣]{4})" + (f"(?!{'|'.join(compound)})" if compound else "")
    stop = f"(?!{'|'.join(connectives)})" if connectives else ""
    # no clause break in between; a decimal point (3.3㎡당) and a closing parenthesis
    # right after the cue (지역내총생산(GRDP)은) are not breaks
    near = rf"\)?(?:{stop}(?:[^,.;:()\[\]\n]|(?<=\d)\.(?=\d))){{0,12}}$"
    found = []
    for reason, spec in data.items():
        source = f"money.toml [exclude.{reason}]"
        if "label" not in spec:
            raise DataFileError(f"{source}: needs a label")
        try:
            before = tuple(re.compile(f"(?P<cue>(?:{p}){guard})(?P<near>{near})") for p in spec.get("before", []))
        except re.error as exc:
            raise DataFileError(f"{source}: bad pattern ({exc})") from None
        optional = {k: _alternation(spec[k], source) if spec.get(k) else None for k in ("after", "clause", "outlook")}
        if (optional["clause"] is None) != (optional["outlook"] is None):
            raise DataFileError(f"{source}: clause and outlook go together")
        found.append(Exclusion(reason, spec["label"], before,
                               optional["after"], int(spec.get("min_krw", 0)), bool(spec.get("details", True)),
                               bool(spec.get("unless_spent", False)),
                               optional["clause"], optional["outlook"]))
    return tuple(found)


@lru_cache(maxsize=None)
def role_cues(directory: Path | None = None) -> RoleCues:
    data = read_toml("money.toml", directory)
    try:
        parse, sentence, doubt = data["parse"], data["sentence"], data["doubt"]
        currencies = "|".join(re.escape(c) for c in sorted(parse["currencies"], key=len, reverse=True))
        money = re.compile(
            rf"(?<![\d.,])(?P<expr>(?:{NUMBER}\s*{UNIT}\s*)+(?:\d+(?:,\d{{3}})*(?!\s*[조억만천]))?|{NUMBER})"
            rf"(?P<cur>\s*(?:{currencies}))?"
        )
        return RoleCues(
            money=money,
            won=parse["currencies"][0],
            counter_after=re.compile(r"^\s*(?:" + "|".join(parse["counters"]) + ")"),
            exclusions=_exclusions(data["exclude"], data.get("reach", {})),
            spent=_alternation(data.get("reach", {}).get("spent", []), "money.toml [reach]"),
            before={role: _alternation(p, "money.toml [before]") for role, p in data["before"].items()},
            after={role: _alternation(p, "money.toml [after]") for role, p in data["after"].items()},
            part=_alternation(data["part"]["markers"], "money.toml [part]"),
            weak_total=_alternation(data["part"]["weak_total"], "money.toml [part]"),
            continuing=_alternation(data["part"]["continuing"], "money.toml [part]"),
            annual=_alternation(data["annual"]["before"], "money.toml [annual]"),
            subject=re.compile(r"([가-힣A-Za-z0-9㈜()&·\-]+?)(?:"
                               + "|".join(sorted(data["subject"]["particles"], key=len, reverse=True)) + r")\s"),
            company=_alternation(data["subject"]["company"], "money.toml [subject]"),
            public=_alternation(data["subject"]["public"], "money.toml [subject]"),
            sentence_investment=_alternation(sentence["investment"], "money.toml [sentence]"),
            sentence_company=_alternation(sentence["company"], "money.toml [sentence]"),
            sentence_national=_alternation(sentence["national"], "money.toml [sentence]"),
            spend=_alternation(sentence["spend"], "money.toml [sentence]"),
            pledge=_alternation(sentence["pledge"], "money.toml [sentence]"),
            article={role: _alternation(p, "money.toml [article]") for role, p in data["article"].items()},
            doubt_min_krw=int(doubt["min_krw"]),
            doubt_window=int(doubt["window"]),
            doubt_label=str(doubt["label"]),
            min_krw=int(data["limits"]["min_krw"]),
        )
    except KeyError as exc:
        raise DataFileError(f"money.toml: missing {exc}") from None
    except re.error as exc:
        raise DataFileError(f"money.toml: bad pattern ({exc})") from None


# ---------------------------------------------------------------- context

def article_role(header: str, cues: RoleCues | None = None) -> str | None:
    """The role an article's title and subtitles give its uncued figures:
    'investment' for an investment agreement, 'national' for 국비 secured;
    None when they say neither, or both."""
    cues = cues or role_cues()
    found = [role for role, pattern in cues.article.items() if pattern.search(header)]
    return found[0] if len(found) == 1 else None


QUOTES = re.compile(r"‘[^’]{1,80}’|“[^”]{1,80}”|'[^']{1,80}'|\"[^\"]{1,80}\"|「[^」]{1,80}」|『[^』]{1,80}』|<[^>]{1,80}>")


def _masked(sentence: str, fig: Money) -> str:
    """The sentence with quoted names blanked out, except a quote holding the figure:
    a cue word inside a project name (‘고부가가치 소재 플랫폼’) is not a cue."""
    def blank(m: re.Match[str]) -> str:
        if m.start() <= fig.start < m.end():
            return m.group()
        return "□" * len(m.group())
    return QUOTES.sub(blank, sentence)


def _exclusion(window: str, rest: str, sentence: str, fig: Money, cues: RoleCues) -> tuple[Exclusion, str] | None:
    """Why `fig` is not project money, with the words that show it, or None.
    `window` is the (masked) text since the previous figure, `rest` the text after it."""
    spent = bool(cues.spent.search(rest[:15]))
    applicable = [e for e in cues.exclusions if fig.value >= e.min_krw and not (spent and e.unless_spent)]
    # the head noun right after a figure ('120억원의 지방세 세수') says most; then the words before it
    for exc in applicable:
        if exc.after is not None and (m := exc.after.search(rest)):
            return exc, m.group().strip()
    for exc in applicable:
        for pattern in exc.before:
            # a role cue of the figure's own in between ('2026년 정부 예산에 국비 9조원') wins
            if (m := pattern.search(window)) and not _own_cue(m["near"], cues):
                return exc, m.group().strip()
    if spent:
        return None
    for exc in applicable:
        if exc.clause is not None and (m := exc.clause.search(window)) and exc.outlook.search(sentence):
            return exc, m.group().strip()
    return None


def _own_cue(phrase: str, cues: RoleCues) -> bool:
    """Whether `phrase` names a source or a budget of its own (국비, 민자, 사업비; not
    투자: '누적 투자유치 실적은 52조원' is still a past total)."""
    found = _nearest_before(phrase, cues)
    return found is not None and found[0] != "investment" and not cues.weak_total.fullmatch(found[1])


def _nearest_before(window: str, cues: RoleCues) -> tuple[str, str] | None:
    """The role whose cue ends closest to the figure; at the same end, the longer cue."""
    best, best_key = None, (-1, 0)
    for role, pattern in cues.before.items():
        for m in pattern.finditer(window):
            key = (m.end(), m.end() - m.start())
            if key > best_key:
                best, best_key = (role, m.group().strip()), key
    return best


def _after(text: str, cues: RoleCues, roles: tuple[str, ...]) -> tuple[str, str] | None:
    for role in roles:
        pattern = cues.after.get(role)
        if pattern and (m := pattern.search(text)):
            return role, m.group().strip()
    return None


def _subject(sentence: str, end: int, cues: RoleCues) -> str | None:
    """'company', 'public' or None: who the nearest plain subject before `end` is."""
    found = _subject_words(sentence, end, cues)
    return found[0] if found else None


def _subject_words(sentence: str, end: int, cues: RoleCues) -> tuple[str, str] | None:
    """The nearest subject before `end` that is plainly a company or a public body."""
    for m in reversed(list(cues.subject.finditer(sentence, 0, end))):
        word = m.group(1)
        if cues.public.search(word):
            return "public", m.group().strip()
        if cues.company.search(word):
            return "company", m.group().strip()
    return None


# ---------------------------------------------------------------- figures

PAREN_AFTER = re.compile(r"\s*\(([^()]{3,80})\)")
INHERIT_ITEM = re.compile(rf"([가-힣·]{{1,8}})\s*({NUMBER})(?![\d.,]*\s*[%조억만천백십원여])")


def _inherited(sentence: str, figures: list[Money], cues: RoleCues) -> list[Money]:
    """Bare numbers in a parenthesis that breaks a figure down by source,
    '총 1749억원(국비 1036, 시비 677, 기타 36)': each takes the figure's unit,
    when each is named by a role cue and together they do not exceed it."""
    extra = []
    for fig in figures:
        paren = PAREN_AFTER.match(sentence, fig.end)  # most figures have none: the cheap test first
        if not paren or fig.currency not in (cues.won, ""):
            continue
        unit = re.search(rf"(조|억|만)\s*(?:{re.escape(cues.won)})?\s*$", fig.text)
        if not unit:
            continue
        body_start = paren.start(1)  # matched in place: positions are the sentence's
        if any(body_start <= other.start < paren.end() for other in figures):
            continue
        items = list(INHERIT_ITEM.finditer(paren.group(1)))
        if len(items) < 2 or any(not _is_source(i.group(1), cues) for i in items):
            continue
        scale = BIG_UNITS[unit.group(1)]
        values = [int(Decimal(i.group(2).replace(",", "")) * scale) for i in items]
        if sum(values) > fig.value:
            continue
        extra += [Money(v, "", body_start + i.start(2), body_start + i.end(2), i.group(2)) for v, i in zip(values, items)]
    return extra


def _is_source(word: str, cues: RoleCues) -> bool:
    return any(cues.before[r].fullmatch(word) for r in ("national", "local", "private", "other") if r in cues.before)


def _paren_open_between(sentence: str, start: int, end: int) -> bool:
    """Whether a parenthesis opens in sentence[start:end] and is still open at `end`."""
    if "(" not in sentence[start:end]:
        return False  # most spans: nothing opens
    depth = 0
    for ch in sentence[start:end]:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
    return depth > 0


def _inside(sentence: str, excluded: ExcludedAmount, fig: Money, figures: list[Money], cues: RoleCues) -> bool:
    """Whether `fig` details an excluded figure: in its parenthesis ('생산유발 효과
    4천600억원(대구 2천800억원)'), or right after it as a part ('도 예산 10조원 가운데 1조원')."""
    if _paren_open_between(sentence, excluded.end, fig.start):
        return True
    between = sentence[excluded.end:fig.start]
    adjacent = not any(excluded.end <= f.start < fig.start for f in figures)
    return adjacent and bool(cues.part.search(between))


def figures_in(sentence: str, cues: RoleCues | None = None, default: str | None = None,
               previous: tuple[RoledAmount, ...] = ()) -> Figures:
    """The won figures of one sentence: the project money, each with a role, and
    the figures left out, each with a reason. `default` is the role the article
    gives figures that have no cue of their own (see `article_role`). `previous`
    are the figures of the sentence before: a sentence that opens with '이 가운데'
    details them.

    Figures in other currencies are dropped but bound the cue windows, so that
    '2억 달러(약 2,900억원)를 투자' gives 2,900억원 the role of the dollar figure.
    """
    if not DIGIT.search(sentence):
        return NO_FIGURES  # most sentences: every figure starts with a digit
    cues = cues or role_cues()
    found = find_money(sentence, cues)
    figures = sorted(found + _inherited(sentence, found, cues), key=lambda f: f.start)
    kept: list[RoledAmount] = []
    excluded: list[ExcludedAmount] = []
    heading: ExcludedAmount | None = None  # the latest excluded figure whose details go with it
    carried = [replace(a, start=0, end=0) for a in previous if a.part_of is None] if cues.continuing.match(sentence) else []
    window_start = role_start = 0  # role cues may reach back over an earlier value or a change
    quoted = QUOTES.search(sentence) is not None  # most sentences quote nothing: nothing to blank
    for i, fig in enumerate(figures):
        masked = _masked(sentence, fig) if quoted else sentence
        role_window = sentence[role_start:fig.start]
        hit = _exclusion(masked[window_start:fig.start], masked[fig.end:], sentence, fig, cues)
        window_start = role_start = fig.end
        if fig.currency not in (cues.won, ""):
            if hit is not None and hit[0].details:  # '1000억 달러(약 130조원) 규모의 시장'
                heading = ExcludedAmount(0, hit[0].reason, hit[0].label, hit[1], fig.start, fig.end, fig.text)
            continue
        if fig.value < cues.min_krw:
            continue
        if hit is not None:
            excluded.append(ExcludedAmount(fig.value, hit[0].reason, hit[0].label, hit[1], fig.start, fig.end, fig.text))
            heading = excluded[-1] if hit[0].details else None
            if not hit[0].details:  # '국비가 전년보다 40억원 많은 310억원': 국비 is the cue of 310억원
                role_start = fig.start - len(role_window)
            continue
        if heading is not None and _inside(sentence, heading, fig, figures, cues):
            excluded.append(replace(heading, krw=fig.value, start=fig.start, end=fig.end, text=fig.text))
            continue
        after_text = sentence[fig.end:figures[i + 1].start if i + 1 < len(figures) else len(sentence)]
        if _paren_open_between(sentence, 0, fig.start) and ")" in after_text:
            after_text = after_text[:after_text.index(")")]  # a figure in a parenthesis ends with it
        kept.append(_roled(sentence, fig, role_window[-40:], after_text,
                           carried + [a for a in kept if a.part_of is None], cues, default))
    return Figures(tuple(_public_wholes(_summed(sentence, kept), cues)), tuple(excluded))


def _summed(sentence: str, kept: list[RoledAmount]) -> list[RoledAmount]:
    """Shares listed before their sum ('국비 300억원, 도비 90억원, 시비 210억원 등 총
    600억원') are parts of it, when they add up to it exactly."""
    result = list(kept)
    for n, whole in enumerate(kept):
        if n < 2 or whole.part_of is not None:
            continue
        shares = [i for i in range(n) if result[i].part_of is None]
        if len(shares) >= 2 and sum(result[i].krw for i in shares) == whole.krw:
            for i in shares:
                result[i] = replace(result[i], part_of=whole.krw)
    return result


def _public_wholes(kept: list[RoledAmount], cues: RoleCues) -> list[RoledAmount]:
    """A figure broken down into 국비 and 지방비 ('440억원(시비 220억원, 국비 220억원)을
    투자하고') is public money: a total, whatever the verb says."""
    shares: dict[int, list[str]] = {}
    for a in kept:
        if a.part_of is not None and a.role in ("national", "local"):
            shares.setdefault(a.part_of, []).append(a.cue)
    return [replace(a, role="total", cue=", ".join(shares[a.krw]))
            if a.krw in shares and a.role == "investment" and not cues.pledge.search(a.cue) else a for a in kept]


def amounts_in(sentence: str, cues: RoleCues | None = None, default: str | None = None) -> list[RoledAmount]:
    """The project-money figures of one sentence, each with a role."""
    return list(figures_in(sentence, cues, default).kept)


def _roled(sentence: str, fig: Money, window: str, after_text: str, wholes: list[RoledAmount],
           cues: RoleCues, default: str | None) -> RoledAmount:
    role, confidence, cue, kind = _role_for(sentence, fig, window, after_text, cues, default)
    role, cue, kind = _by_subject(sentence, fig, role, cue, kind, cues)
    whole = _whole_of(sentence, fig, role, kind, wholes, cues)
    part_of = whole.krw if whole is not None else None
    if whole is not None and role in ("total", "mixed", "component", "investment"):
        # a part of a share is that share's money (설계비 inside 국비); of a whole, 'other'
        role = whole.role if whole.role in ("national", "local", "private") else "other"
    elif role in ("mixed", "component"):
        role = "total"
    if role == "total" and kind in ("budget", "default") and cues.annual.search(window):
        role, cue = "other", cues.annual.search(window).group().strip()
    return RoledAmount(fig.value, role, confidence, fig.start, fig.end, fig.text, cue, part_of,
                       _doubt(sentence, fig, role, kind, cues))


# Who pays, named after the figure ("1,280억원(국비)"), outranks every other cue. Every
# other role of the vocabulary (a new one included) is read after them, in vocabulary order.
SOURCE_ROLES = ("national", "local", "private")


def _role_for(sentence: str, fig: Money, window: str, after_text: str, cues: RoleCues,
              default: str | None) -> tuple[str, int, str, str]:
    """(role, confidence, cue, kind). `kind` says what decided the role: 'cue' for a
    word of the figure's own, 'budget' for a plain 예산/사업비/총, 'verb' for a
    투자 verb, 'context' for the sentence or article, 'default' for nothing."""
    explicit = _after(after_text, cues, SOURCE_ROLES)
    if explicit:
        return explicit[0], 2, explicit[1], "cue"
    before = _nearest_before(window, cues)
    weak = before is not None and cues.weak_total.fullmatch(before[1])
    if before and not weak:  # a cue of its own before the figure: the words after it are not read
        return before[0], 2, before[1], "budget" if before[0] == "total" else "cue"
    after = _after(after_text, cues, tuple(r for r in vocabulary().role_codes if r not in SOURCE_ROLES))
    if before:
        # 총/모두 say "the whole" but not of what: '투자금은 총 2.5조원', '모두 1조원을 투자한다'
        earlier = cues.before["investment"].search(window)
        company = cues.sentence_company.search(sentence) or _subject(sentence, fig.start, cues) == "company"
        if after and after[0] == "investment" and (company or cues.pledge.search(after[1])):
            return "investment", 2, f"{before[1]} … {after[1]}", "cue"
        if earlier:
            return "investment", 2, f"{earlier.group().strip()} … {before[1]}", "cue"
        return before[0], 2, before[1], "budget" if before[0] == "total" else "cue"
    if after:
        kind = "budget" if after[0] == "total" else "cue"
        if after[0] == "investment" and not cues.pledge.search(after[1]):
            kind = "verb"  # '을 투자해' says spending, not whose: see _by_subject
        return after[0], 2, after[1], kind
    if m := cues.sentence_national.search(sentence):
        return "national", 1, m.group().strip(), "context"
    if m := cues.sentence_investment.search(sentence) or cues.sentence_company.search(sentence):
        return "investment", 1, m.group().strip(), "verb"
    if default:
        return default, 1, "", "context"
    return "total", 0, "", "default"


def _by_subject(sentence: str, fig: Money, role: str, cue: str, kind: str,
                cues: RoleCues) -> tuple[str, str, str]:
    """Who spends decides between a budget and an investment: 'SK하이닉스는 15조원을
    투입' is investment, '도는 50억원을 투자해' is the province's budget."""
    if role not in ("total", "investment") or kind == "cue" and role == "investment":
        return role, cue, kind
    if not cues.spend.search(sentence[fig.end:fig.end + 25]):
        return role, cue, kind
    found = _subject_words(sentence, fig.start, cues)
    if found is None:
        return role, cue, kind
    who, words = found
    if who == "company":
        return "investment", words, "subject"
    if who == "public" and role == "investment":
        return "total", words, "subject"
    return role, cue, kind


CLOSED_PAREN = re.compile(r"\([^()]*\)")  # '국비 95억원(설계비 7억원 포함), 도비 …': 포함 is the 설계비's
LIST_BREAK = re.compile(r"[)△▲■□●○◆◇•·\-]\s*[가-힣A-Za-z‘'\"]|\)")


def _whole_of(sentence: str, fig: Money, role: str, kind: str, wholes: list[RoledAmount],
              cues: RoleCues) -> RoledAmount | None:
    """The earlier, larger figure of the sentence that this one is a part of: one
    whose parenthesis it sits in, one it follows after 중/가운데, or any larger one
    when this figure is a cost item (설계비) or a share (국비)."""
    for whole in reversed(wholes):
        if whole.krw <= fig.value:
            continue
        between = sentence[whole.end:fig.start]
        attached = _paren_open_between(sentence, whole.end, fig.start) and not LIST_BREAK.search(between)
        if attached or cues.part.search(CLOSED_PAREN.sub("", between)):
            return whole
        if whole.role in ("total", "investment") and role in ("component", "national", "local", "private", "mixed"):
            return whole
        if whole.role == "total" and whole.cue and role == "total" and kind == "default":
            return whole  # '총 500억원을 들여 센터를 짓고, 120억원으로 장비를 들인다'

    return None


def _doubt(sentence: str, fig: Money, role: str, kind: str, cues: RoleCues) -> str | None:
    """A 조-sized figure with no cue of its own (총사업비, 국비, 민자, 투자 …) and no
    total or investment cue near it is doubtful."""
    if fig.value < cues.doubt_min_krw or kind in ("cue", "budget"):
        return None
    near = sentence[max(0, fig.start - cues.doubt_window):fig.end + cues.doubt_window]
    after = sentence[fig.end:fig.end + cues.doubt_window]
    for r in ("total", "investment", "mixed", "component"):
        pattern = cues.before.get(r)
        if pattern is not None and re.search(pattern.pattern.replace("$", ""), near):
            return None
        pattern = cues.after.get(r)
        if pattern is not None and pattern.search(after):
            return None
    if cues.sentence_investment.search(near) or cues.pledge.search(near):
        return None
    return cues.doubt_label
