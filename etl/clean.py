"""Separating the article from the page around it.

A scraped page is a header (menus, title, subtitles, byline, date), the body,
and a tail (copyright, comment widgets, lists of other headlines, whole other
articles). The body starts at the first line that reads like prose (a sentence
ending in 다.) and ends at the first copyright line or tail marker after it.
Within the body, page furniture (share buttons, captions, bylines) and repeated
paragraphs are dropped. Patterns live in `etl/data/boilerplate.toml`.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from etl.dates import find_dates
from etl.patterns import Boilerplate, boilerplate
from etl.records import Article, Document

HANGUL = re.compile(r"[가-힣]")
PROSE = re.compile(r"[가-힣](다|요|니다)\s*[.!?]")
DATELINE = re.compile(
    r"^\s*[\[(【]\s*(?P<inner>[^\]\)】\n]{1,40}?)\s*[\])】]\s*"
    r"(?:(?P<rep>[가-힣]{2,4})\s*(?:선임|수석|객원|인턴)?\s*기자\s*=\s*)?"
)
# The dateline that opens an article: "[광양=뉴스핌] 오정근 기자 =", "(인천=연합뉴스) … 기자 =".
NEW_ARTICLE = re.compile(r"^\s*[\[(【][^\]\)】]{1,20}=[^\]\)】]{1,20}[\])】]\s*[가-힣]{2,4}\s*(?:선임|수석|객원|인턴)?\s*기자\s*=")
REPORTER = re.compile(r"([가-힣]{2,4})\s*(?:선임|수석|객원|인턴|전문)?\s*기자(?![가-힣])")
OUTLET_SUFFIX = re.compile(r"(뉴스|일보|신문|경제|타임즈|타임스|방송|저널|통신|미디어|비즈|로컬|포인트|투데이|데일리|라인|넷|인사이트|[A-Za-z])$")
COPYRIGHT_OUTLET = re.compile(r"(?:저작권자|Copyright|copyright|COPYRIGHT)?\s*[ⓒ©]\s*([^\s.,\]>ⓒ©]+)|Copyright\s+([^\s.,\]>ⓒ©]+)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TIME = re.compile(r"(오전|오후)?\s*\d{1,2}\s*[:시]\s*\d{2}(\s*[:분]\s*\d{2})?초?")
TITLE_TAIL = re.compile(r"\s*본문$")
BIGRAM_STRIP = re.compile(r"[\s\W_]+")
FURNITURE_MAX = 200  # characters; a longer line is prose
TITLE_MIN_OVERLAP = 0.25
TITLE_MIN_LENGTH = 12  # blog and site names are short; headlines are not
STATED_FIELDS = ("title", "published", "outlet", "reporter", "url")


@dataclass(frozen=True, slots=True)
class PageParts:
    """The zones of a page, as line lists."""

    header: list[str]
    body: list[str]
    trailer: list[str]


def without_spaces(text: str) -> str:
    """`text` with all whitespace removed, as re.sub(r"\\s+", "", text) does: str.split
    splits on exactly the characters that \\s matches (str.isspace), and is faster."""
    return "".join(text.split())


def content_hash(text: str) -> str:
    """Hash of the article text with all whitespace removed.

    The same article re-scraped with different line breaks, or carried by two
    outlets with identical text, hashes the same.
    """
    return hashlib.sha256(without_spaces(text).encode("utf-8")).hexdigest()


def clean(doc: Document, patterns: Boilerplate | None = None) -> Article:
    """Turn a reader's Document into an Article: title, date, outlet, body."""
    pb = patterns or boilerplate()
    lines = [line.strip() for line in doc.raw_text.split("\n")]
    parts = split_page(lines, pb)
    title_index, title = choose_title(parts.header, parts.body, pb, doc.title)
    subtitles = subtitle_lines(parts.header, title_index, title, pb)
    body, dateline_outlet, dateline_reporter = body_paragraphs(parts.body, pb)
    if not title:
        title = fallback_title(body)
    body_meta = [l for l in parts.body if l and len(l) < 60 and is_meta(l, pb) and not pb.caption.search(l)]
    published = doc.published or find_published(parts.header + body_meta, parts.trailer, pb, lead=parts.body[0] if parts.body else "")
    outlet = doc.outlet or find_outlet(parts.trailer) or dateline_outlet
    reporter = tidy_reporter(doc.reporter, pb) or dateline_reporter or find_reporter(parts.header + parts.trailer, pb)
    head = "\n".join([title, *subtitles]).strip()
    text = head + ("\n\n" if head and body else "") + "\n\n".join(body)
    return Article(
        doc_id=doc.doc_id,
        source=doc.source,
        raw_text=doc.raw_text,
        text=text,
        title=title,
        published=published,
        outlet=outlet,
        reporter=reporter,
        url=doc.url,
        fmt=doc.fmt,
        content_hash=content_hash("\n".join(body) or text),
        source_hash=doc.source_hash,
        body_start=len(head) + 2 if head and body else 0,
        stated=tuple(name for name in STATED_FIELDS if getattr(doc, name)),
    )


def is_furniture(line: str, pb: Boilerplate) -> bool:
    """Menus, share buttons, captions and bylines: never article text (and
    never longer than a short paragraph)."""
    return len(line) <= FURNITURE_MAX and bool(pb.furniture.search(line) or is_menu(line, pb))


def is_menu(line: str, pb: Boilerplate) -> bool:
    """Several short items separated by | or > (navigation, breadcrumbs)."""
    if "|" not in line and ">" not in line and "·" not in line:
        return False
    pieces = pb.menu_separator.split(line)
    return len(pieces) >= 3 and max(len(p) for p in pieces) <= 16 or (
        len(pieces) == 2 and len(line) <= 24 and " > " in line
    )


def is_prose(line: str, pb: Boilerplate) -> bool:
    return len(line) >= 25 and bool(PROSE.search(line)) and not is_furniture(line, pb)


def split_page(lines: list[str], pb: Boilerplate) -> PageParts:
    """Cut the page into header, body and trailer at the first prose line and
    at the first copyright line or tail marker after it."""
    start = next((i for i, line in enumerate(lines) if is_prose(line, pb)), None)
    if start is None:
        return PageParts(header=[], body=[l for l in lines if l], trailer=[])
    end = next((i for i in range(start + 1, len(lines)) if _ends_article(lines, i, pb)), len(lines))
    if end < len(lines) and NEW_ARTICLE.match(lines[end]) and _headline_before(lines, end, start, pb):
        end = _headline_before(lines, end, start, pb)
    body = lines[start:end]
    trailer: list[str] = []
    # Bylines and dates printed just before the copyright line belong to the trailer.
    while body and (not body[-1] or is_meta(body[-1], pb)):
        trailer.insert(0, body.pop())
    if end < len(lines) and pb.copyright.search(lines[end]):
        trailer.append(lines[end])
        trailer.extend(l for l in lines[end + 1:end + 3] if l and is_meta(l, pb))
    return PageParts(header=lines[:start], body=body, trailer=trailer)


def _ends_article(lines: list[str], i: int, pb: Boilerplate) -> bool:
    """A copyright line, a tail marker, or the dateline of another article
    ("[서울=뉴스핌] 홍길동 기자 = …") that a page appends without a heading."""
    line = lines[i]
    if not line:
        return False
    return (len(line) <= FURNITURE_MAX and bool(pb.end.search(line))) or bool(NEW_ARTICLE.match(line)) or _headlines_after_byline(lines, i, pb)


def _headlines_after_byline(lines: list[str], i: int, pb: Boilerplate) -> bool:
    """The reporter's byline followed by a run of headlines: the page lists
    other articles without a heading ("김철수 기자 kim@…" then "부산시, 북항 … 착공")."""
    after = _next_non_empty(lines, i, 2)
    # the cheap test first: two lines of a headline's length (headline_like asks it too)
    if len(after) < 2 or not all(6 <= len(l) <= 160 for l in after):
        return False
    before = _last_non_empty(lines, i)
    if before is None or not (pb.byline.search(before) or has_email(before)):
        return False
    return all(headline_like(l, pb) and not PROSE.search(l) for l in after)


def _next_non_empty(lines: list[str], i: int, count: int) -> list[str]:
    """The first `count` non-empty lines from lines[i] on, read by index: this runs
    for every line of a page, and copying the page each time is quadratic."""
    found: list[str] = []
    j = i
    while j < len(lines) and len(found) < count:
        if lines[j]:
            found.append(lines[j])
        j += 1
    return found


def _last_non_empty(lines: list[str], i: int) -> str | None:
    """The last non-empty line before lines[i], or None."""
    j = i - 1
    while j >= 0 and not lines[j]:
        j -= 1
    return lines[j] if j >= 0 else None


def _headline_before(lines: list[str], i: int, start: int, pb: Boilerplate) -> int | None:
    """The appended article's own headline, just above its dateline, if there is one."""
    j = i - 1
    while j > start and not lines[j]:
        j -= 1
    return j if j > start and headline_like(lines[j], pb) and not PROSE.search(lines[j]) else None


def has_email(line: str) -> bool:
    """Whether the line holds an e-mail address. EMAIL retries its long first part
    at every letter of a line, so a line without an @ is not searched."""
    return "@" in line and bool(EMAIL.search(line))


def is_meta(line: str, pb: Boilerplate) -> bool:
    """A byline or date line (기자 이름, 입력 2024.06.04 …), not a headline."""
    if pb.byline.search(line) or has_email(line):
        return True
    if find_dates(line):
        rest = TIME.sub("", line)
        for _, s, e in reversed(find_dates(rest)):
            rest = rest[:s] + rest[e:]
        return len(HANGUL.findall(rest)) <= 12
    return bool(REPORTER.search(line) and len(line) <= 40)


def headline_like(line: str, pb: Boilerplate) -> bool:
    """A line that could be a title or subtitle: Korean, not furniture, no
    byline, no calendar date (a headline names years, not days)."""
    return (
        6 <= len(line) <= 160
        and len(HANGUL.findall(line)) >= 4
        and not is_furniture(line, pb)
        and not is_meta(line, pb)
        and not find_dates(line)
        and not (line.startswith("<") and ">" in line[:8])
    )


def _bigrams(text: str) -> Counter:
    s = BIGRAM_STRIP.sub("", text)
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def choose_title(header: list[str], body: list[str], pb: Boilerplate, given: str | None) -> tuple[int, str]:
    """The first headline-shaped header line that shares enough words with the lead.

    Site and blog names and category labels are headline-shaped too, but they
    are short and share little with the lead paragraph. When no line clears
    the bar, the line with the largest overlap wins.
    """
    if given:
        norm = without_spaces(given)
        index = next((i for i, l in enumerate(header) if without_spaces(l) == norm), -1)
        return index, given.strip()
    lead = _bigrams(" ".join([l for l in body if l][:3]))
    best, best_overlap = -1, -1.0
    for i, line in enumerate(header):
        if not headline_like(line, pb):
            continue
        grams = _bigrams(line)
        overlap = sum((grams & lead).values()) / (sum(grams.values()) or 1)
        if overlap >= TITLE_MIN_OVERLAP and len(line) >= TITLE_MIN_LENGTH:
            return i, TITLE_TAIL.sub("", line).strip()
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    if best < 0:
        return -1, ""
    return best, TITLE_TAIL.sub("", header[best]).strip()



def subtitle_lines(header: list[str], title_index: int, title: str, pb: Boilerplate) -> list[str]:
    """Headline-shaped lines after the title: decks and summary bullets."""
    seen = {without_spaces(title)}
    kept = []
    for line in header[title_index + 1:]:
        text = line.lstrip("-–•·* ").strip()
        key = without_spaces(TITLE_TAIL.sub("", text))
        if key in seen or not headline_like(text, pb):
            continue
        seen.add(key)
        kept.append(text)
    return kept


def tidy_reporter(reporter: str | None, pb: Boilerplate) -> str | None:
    """The names in a stated reporter: a page's author tags come joined by ';'
    ('이민수 기자; 입력'), date labels and all; the labels are not reporters."""
    if not reporter:
        return None
    names = [part.strip() for part in re.split(r"[;|]", reporter)]
    kept = [name for name in names if name and not any(name.startswith(label) for label in pb.date_labels)]
    return ", ".join(kept) or None


def body_paragraphs(lines: list[str], pb: Boilerplate) -> tuple[list[str], str | None, str | None]:
    """Body lines without furniture or repeats; the lead's dateline is removed.

    Returns the paragraphs and the outlet and reporter named in the dateline.
    """
    outlet = reporter = None
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        if not line or is_furniture(line, pb) or (len(line) < 60 and is_meta(line, pb)):
            continue
        if not kept:
            line, outlet, reporter = strip_dateline(line)
        key = without_spaces(line)
        if not key or key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return kept, outlet, reporter


def strip_dateline(line: str) -> tuple[str, str | None, str | None]:
    """'[광양=뉴스핌] 오정근 기자 = 전남 광양시는…' → ('전남 광양시는…', '뉴스핌', '오정근').

    The dateline's place is where the reporter filed from, not what the
    article is about, so it must not reach region extraction.
    """
    m = DATELINE.match(line)
    if not m or not HANGUL.search(line[m.end():]):
        return line, None, None
    inner = m["inner"]
    reporter = m["rep"]
    outlet = None
    if "=" in inner:
        place_part, outlet_part = (part.strip() for part in inner.split("=", 1))
        rep = REPORTER.search(outlet_part)
        if rep:
            reporter = reporter or rep.group(1)
            outlet_part = outlet_part[:rep.start()].strip()
        # "[광양=뉴스핌]" is place=outlet; "[전북 소비자저널=최훈 기자]" is outlet=reporter
        outlet = outlet_part or (place_part if rep else None) or None
    elif OUTLET_SUFFIX.search(inner):
        outlet = inner.strip()
    return line[m.end():].strip(), outlet, reporter


LEAD_DATE_WITHIN = 30  # characters: a labelled date this close to the start of the first paragraph


def find_published(header: list[str], trailer: list[str], pb: Boilerplate, lead: str = "") -> date | None:
    """The publication date: a labelled date (입력, 승인 …) first, then a bare
    date on a byline or date line, then any date in the header, then an edit
    date (수정 …) as a last resort. A date right above a weather bar is the
    page's clock and does not count. A labelled date may also open the first
    paragraph ("date 2026-03-02 충북 오창에 …") when a page glued them together."""
    labelled: list[date] = _lead_date(lead, pb)
    bare: list[date] = []
    other: list[date] = []
    edited: list[date] = []
    lines = [*header, *trailer]
    for n, line in enumerate(lines):
        if len(line) > 160:
            continue
        dates = find_dates(line)  # most lines have none: the tests below would not matter
        if not dates or pb.caption.search(line) or _page_clock(lines, n, pb):  # a photo caption dates the photo
            continue
        meta = is_meta(line, pb)
        for value, start, _ in dates:
            before = line[max(0, start - 8):start]
            if any(label in before for label in pb.edit_labels):
                edited.append(value)
            elif any(label in before for label in pb.date_labels):
                labelled.append(value)
            elif meta:
                bare.append(value)
            elif line in header:
                other.append(value)  # e.g. a press release's "보도자료 | 2025. 4. 8.(화) | 담당부서"
    for group in (labelled, bare, other, edited):
        if group:
            return group[0]
    return None


def _lead_date(line: str, pb: Boilerplate) -> list[date]:
    for value, start, _ in find_dates(line[:LEAD_DATE_WITHIN + 12]):
        before = line[max(0, start - 8):start]
        if start <= LEAD_DATE_WITHIN and any(label in before for label in pb.date_labels):
            return [value]
    return []


def _page_clock(lines: list[str], n: int, pb: Boilerplate) -> bool:
    """The line is followed, within three lines, by a weather bar."""
    following = [l for l in lines[n + 1:n + 6] if l][:3]
    return any(pb.page_clock.search(l) for l in following)


def find_outlet(trailer: list[str]) -> str | None:
    for line in trailer:
        m = COPYRIGHT_OUTLET.search(line)
        if m:
            name = (m.group(1) or m.group(2) or "").strip("[]<>()")
            if name and name.lower() not in {"all", "by"}:
                return name
    return None


def find_reporter(lines: list[str], pb: Boilerplate) -> str | None:
    for line in lines:
        if is_meta(line, pb):
            m = REPORTER.search(line)
            if m:
                return m.group(1)
    return None


def fallback_title(body: list[str]) -> str:
    """When a page prints no title, the first sentence stands in for it."""
    if not body:
        return ""
    first = body[0]
    end = first.find("다.")
    return first[: end + 2] if 0 < end < 120 else first[:80]
