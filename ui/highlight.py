"""Article text as safe HTML with extracted facts marked.

Everything from an article is escaped with `html.escape`; only our own
`<mark>` tags are markup, so an article containing `<script>` shows it as text.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

MARK_STYLE = "background:#fff3a3;padding:0 1px;border-radius:2px"
BOX_STYLE = "white-space:pre-wrap;line-height:1.7;font-size:0.98rem"


def merge_spans(spans: Iterable[tuple[int, int, str]], length: int) -> list[tuple[int, int, str]]:
    """Clip spans to the text and merge overlaps, joining their titles."""
    clipped = sorted((max(0, s), min(length, e), t) for s, e, t in spans if e > s and s < length and e > 0)
    merged: list[tuple[int, int, str]] = []
    for s, e, t in clipped:
        if merged and s < merged[-1][1]:
            ps, pe, pt = merged[-1]
            titles = pt if t in pt.split(" · ") else f"{pt} · {t}"
            merged[-1] = (ps, max(pe, e), titles)
        elif s < e:
            merged.append((s, e, t))
    return merged


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Escaped `text` with each (start, end, title) span wrapped in `<mark>`."""
    text = text or ""
    out: list[str] = []
    pos = 0
    for s, e, title in merge_spans(spans, len(text)):
        out.append(html.escape(text[pos:s]))
        out.append(f'<mark title="{html.escape(title, quote=True)}" style="{MARK_STYLE}">{html.escape(text[s:e])}</mark>')
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def text_box(body_html: str) -> str:
    return f'<div style="{BOX_STYLE}">{body_html}</div>'


def sentence_with_span(sentence: str, sentence_start: int, span_start: int, span_end: int, title: str = "") -> str:
    """The source sentence of a figure with the figure itself marked."""
    return highlight(sentence, [(span_start - sentence_start, span_end - sentence_start, title)])
