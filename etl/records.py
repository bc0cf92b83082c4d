"""Records passed between pipeline stages.

Each stage is a pure function from one record type to the next:

    reader  ->  Document | Rejection
    clean   ->  Article
    extract ->  Extraction

The records are small frozen dataclasses so that stages cannot mutate each
other's data and so that worker processes can pickle them cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

@dataclass(frozen=True, slots=True)
class Document:
    """One article as a reader found it, before any cleaning.

    `raw_text` is the text the reader produced (for an HTML page, the page's
    text; for a spreadsheet row, the body cell). Metadata that the container
    states explicitly (a BIGKinds date column, an `og:title` meta tag) is
    carried alongside so that cleaning does not have to guess it.
    """

    doc_id: str
    source: str
    raw_text: str
    fmt: str = "text"
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    reporter: str | None = None
    url: str | None = None
    source_hash: str = ""


@dataclass(frozen=True, slots=True)
class Unchanged:
    """An input known to be in the database already (same bytes, a 304, or a row its
    source marks as a duplicate: BIGKinds' 중복): counted in the summary, not read again."""

    source: str
    source_hash: str = ""


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be read, with a message a user can act on.

    A rejection caused by a defect in the code rather than in the input (see
    `etl.errors`) carries the traceback in `detail`, for `--debug`.
    """

    source: str
    reason: str
    source_hash: str = ""
    detail: str = field(default="", compare=False, repr=False)

    @property
    def bug(self) -> bool:
        return bool(self.detail)


@dataclass(frozen=True, slots=True)
class Article:
    """The article separated from the page around it.

    `text` is the cleaned article: title, subtitles and body paragraphs joined
    by blank lines. Every character span in an `Extraction` points into it.
    """

    doc_id: str
    source: str
    raw_text: str
    text: str
    title: str
    published: date | None
    outlet: str | None
    reporter: str | None
    url: str | None
    fmt: str
    content_hash: str
    source_hash: str = ""
    body_start: int = 0  # offset in `text` where the body (after title/subtitles) begins
    stated: tuple[str, ...] = ()  # metadata fields the input stated itself (not guessed from the page)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact came from: the sentence and the exact characters."""

    sentence: str
    sentence_start: int
    start: int
    end: int

    @property
    def quote(self) -> str:
        return self.sentence[self.start - self.sentence_start:self.end - self.sentence_start]


@dataclass(frozen=True, slots=True)
class RegionFact:
    code: str
    sido: str
    sigungu: str | None
    score: float
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class IndustryFact:
    label: str
    score: float
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class AmountFact:
    krw: int
    role: str
    text: str
    evidence: Evidence
    project: str | None = None
    region: str | None = None  # gazetteer code of the place the figure is for, when stated
    cue: str = ""  # the words that decided the role ("국비", "투자협약"); "" when no cue did (the default)
    part_of: int | None = None  # krw of the figure this one is a part of (a 국비 inside its 총사업비)
    doubt: str | None = None  # why the figure is doubtful (a 조-sized figure without a cue), None if it is not

    @property
    def doubtful(self) -> bool:
        return self.doubt is not None


@dataclass(frozen=True, slots=True)
class ExcludedAmountFact:
    """A won figure the article states that is not project money (a market
    outlook, an economic effect, 매출 …), kept so that it can be shown as
    "제외: <label>" beside its sentence instead of vanishing."""

    krw: int
    reason: str  # a key of [exclude.*] in etl/data/money.toml
    label: str  # the Korean label of that reason ("시장 전망")
    text: str
    cue: str  # the words that showed it is not project money
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class PeriodFact:
    start: int | None
    end: int
    text: str
    evidence: Evidence
    project: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectFact:
    name: str
    status: str | None
    score: float
    evidence: Evidence
    regions: tuple[str, ...] = ()  # gazetteer codes
    industries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class JobsFact:
    count: int
    evidence: Evidence
    project: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    regions: tuple[RegionFact, ...] = ()
    industries: tuple[IndustryFact, ...] = ()
    amounts: tuple[AmountFact, ...] = ()
    periods: tuple[PeriodFact, ...] = ()
    projects: tuple[ProjectFact, ...] = ()
    jobs: tuple[JobsFact, ...] = ()
    notes: tuple[str, ...] = field(default=())
    excluded_amounts: tuple[ExcludedAmountFact, ...] = ()  # figures left out of `amounts`, with the reason
