"""Korean money expressions and the role of each figure.

Parsing (`find_money`) is pure string work: 1,280억원, 3조 4,500억 원,
45억6천만원, 15,846백만원, 2.5조, 2억 달러. Role assignment (`amounts_in`)
reads the words around a figure, using the cues in `etl/data/money.toml`:
the nearest cue before the figure, a financing phrase right after it
("…은 민자로"), or, failing both, what the sentence is about (a company
investing, or public spending).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from etl.patterns import DataFileError, read_toml
from vocab import vocabulary

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
UNIT = r"(?:[천백십]?(?:조|억|만)|천)"
MONEY_RE = re.compile(
    rf"(?<![\d.,])(?P<expr>(?:{NUMBER}\s*{UNIT}\s*)+(?:\d+(?:,\d{{3}})*(?!\s*[조억만천]))?|{NUMBER})"
    rf"(?P<cur>\s*(?:원|달러|불|유로|엔|위안|파운드|弗))?"
)
PAIR_RE = re.compile(rf"({NUMBER})\s*({UNIT})?")
# A figure ending in 억/조 without 원 is still money ("1280억 투입") unless a counter follows.
COUNTER_AFTER = re.compile(r"^\s*(명|개|곳|건|가구|대|회|배|톤|t\b|㎡|㎢|m|km|㎞|kW|MW|GW|평|마리|그루|주|표|장|권|위|%|달러|불|유로|엔|위안)")


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
    krw: int
    role: str
    confidence: int  # 2: explicit cue, 1: sentence context, 0: default
    start: int
    end: int
    text: str


BIG_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
SMALL_UNITS = {"천": 10**3, "백": 10**2, "십": 10}


def parse_korean_number(expr: str) -> int | None:
    """'3조 4,500억' → 3450000000000; '45억6천만' → 4560000000; '15,846백만' → 15846000000;
    '3천500억' → 350000000000 (천, 백, 십 and bare digits add up inside the group that
    the next 만, 억 or 조 multiplies)."""
    total = Decimal(0)
    group = Decimal(0)
    matched = False
    for number, unit in PAIR_RE.findall(expr):
        try:
            value = Decimal(number.replace(",", ""))
        except InvalidOperation:
            return None
        matched = True
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


def find_money(text: str) -> list[Money]:
    """Every money expression in `text`, in won or another currency.

    Bare numbers without a unit or currency are skipped, as are figures with
    only 만/천 and no 원 (1만8,000명 is a head count).
    """
    found = []
    for m in MONEY_RE.finditer(text):
        expr, cur = m["expr"].strip(), (m["cur"] or "").strip()
        if not cur:
            last_unit = re.findall(UNIT, expr)
            if not last_unit or last_unit[-1][-1] not in "조억" or COUNTER_AFTER.match(text[m.end():]):
                continue
            if re.search(r"\d\s*$", expr):  # '2억 3' is not a figure
                continue
        elif not re.search(r"[조억만천]", expr) and cur == "원" and "," not in expr and len(expr) < 4:
            continue
        value = parse_korean_number(expr)
        if value is None or value == 0:
            continue
        end = m.end() if cur else m.start() + len(m["expr"].rstrip())
        found.append(Money(value, cur, m.start(), end, text[m.start():end]))
    return found


@dataclass(frozen=True, slots=True)
class RoleCues:
    before: dict[str, re.Pattern[str]]
    after: dict[str, re.Pattern[str]]
    sentence_investment: re.Pattern[str]
    min_krw: int


def _alternation(patterns: list[str], source: str) -> re.Pattern[str]:
    ordered = sorted(patterns, key=len, reverse=True)
    try:
        return re.compile("|".join(f"(?:{p})" for p in ordered))
    except re.error as exc:
        raise DataFileError(f"{source}: bad pattern ({exc})") from None


@lru_cache(maxsize=None)
def role_cues(directory: Path | None = None) -> RoleCues:
    data = read_toml("money.toml", directory)
    return RoleCues(
        before={role: _alternation(p, "money.toml [before]") for role, p in data["before"].items()},
        after={role: _alternation(p, "money.toml [after]") for role, p in data["after"].items()},
        sentence_investment=_alternation(data["sentence"]["investment"], "money.toml [sentence]"),
        min_krw=int(data["limits"]["min_krw"]),
    )


def _nearest_before(window: str, cues: RoleCues) -> str | None:
    """The role whose cue ends closest to the figure."""
    best, best_end = None, -1
    for role, pattern in cues.before.items():
        for m in pattern.finditer(window):
            if m.end() > best_end or (m.end() == best_end and role == "exclude"):
                best, best_end = role, m.end()
    return best


def _after(text: str, cues: RoleCues) -> str | None:
    for role in ("exclude", *vocabulary().role_codes):
        pattern = cues.after.get(role)
        if pattern and pattern.search(text):
            return role
    return None


def amounts_in(sentence: str, cues: RoleCues | None = None) -> list[RoledAmount]:
    """The project-money figures of one sentence, each with a role.

    Figures in other currencies are dropped but bound the cue windows, so that
    '2억 달러(약 2,900억원)를 투자' gives 2,900억원 the role of the dollar figure.
    """
    cues = cues or role_cues()
    figures = find_money(sentence)
    results: list[RoledAmount] = []
    first_total: int | None = None
    window_start = 0
    for i, fig in enumerate(figures):
        window = sentence[window_start:fig.start]
        window_start = fig.end
        if fig.currency not in ("원", ""):
            continue
        next_start = figures[i + 1].start if i + 1 < len(figures) else len(sentence)
        after_text = sentence[fig.end:next_start]
        role, confidence = _role_for(window, after_text, sentence, fig, cues)
        if role == "exclude" or fig.value < cues.min_krw:
            continue
        if role == "total" and first_total is not None and fig.value < first_total:
            role = "other"  # a smaller figure after a total is one of its parts
        if role == "total" and first_total is None:
            first_total = fig.value
        results.append(RoledAmount(fig.value, role, confidence, fig.start, fig.end, fig.text))
    return results


def _role_for(window: str, after_text: str, sentence: str, fig: Money, cues: RoleCues) -> tuple[str, int]:
    after_role = _after(after_text, cues)
    if after_role in ("exclude", "national", "local", "private"):
        return after_role, 2
    before_role = _nearest_before(window[-40:], cues)
    if before_role:
        return before_role, 2
    if after_role:
        return after_role, 2
    if cues.sentence_investment.search(sentence):
        return "investment", 1
    return "total", 0
