"""Article text shown as text, article URLs only when they are web addresses.

Titles, outlets, reporters, project names and figure texts come from
articles, i.e. from anyone who can get a page indexed. Streamlit renders
markdown (and its own directives: `:red[...]`, `:material/home:`, `$$x$$`)
in headers, captions, metric values, labels and page links, so such text is
either passed through `md` before it meets one of them, or shown by an
element that renders no markdown (`st.html` of `html.escape`d text,
`st.text`, dataframe cells). A URL becomes a link only through `web_url`.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# Every ASCII punctuation character may be backslash-escaped in CommonMark.
# Escaping them all also breaks Streamlit's own source-level rewrites
# (`:material/` becomes `\:material\/`) and its directives (`:red[`).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def md(text: object) -> str:
    """`text` as literal characters inside a markdown-rendering element.

    For labels (page links, buttons, metrics, expanders), where Streamlit
    renders inline markdown but never makes links; a line break would start a
    new markdown block, so it becomes a space. Free text (a title, a byline)
    is shown with `st.html` of `html.escape`d text instead, because markdown
    bodies turn bare addresses and e-mails into links.
    """
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", str(text)))


def web_url(url: object) -> str | None:
    """`url` when it is an http(s) address with a host, else None (never a link).

    `javascript:`, `data:`, `file:`, scheme-relative `//host` and addresses
    with spaces, quotes or control characters are refused.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
