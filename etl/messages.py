"""The command line's own messages, in English and Korean.

The language is `POLICY_RADAR_LANG` (`en` or `ko`), else the locale's
(`LC_ALL`, `LC_MESSAGES`, `LANG`: `ko_KR.UTF-8` gives Korean), else English.
Messages about one input (rejection reasons) come from the readers.
"""
from __future__ import annotations

import os
from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "error": {"en": "error", "ko": "오류"},
    "interrupted": {"en": "interrupted", "ko": "중단됨"},
    "debug_hint": {"en": " (run with --debug for the traceback)", "ko": " (--debug로 실행하면 추적 정보를 봅니다)"},
    "bug": {"en": "bug in Policy Radar, please report it: {problem}", "ko": "Policy Radar의 결함입니다. 알려 주세요: {problem}"},
    "database": {"en": "database: {problem}", "ko": "데이터베이스: {problem}"},
    "no_paths": {"en": "give at least one PATH to load, or --rebuild", "ko": "적재할 PATH를 하나 이상 주거나 --rebuild를 쓰세요"},
    "rebuild_paths": {"en": "--rebuild re-extracts stored articles and takes no PATH",
                      "ko": "--rebuild는 저장된 기사를 다시 추출하므로 PATH를 받지 않습니다"},
    "rejected_inputs": {"en": "{n} rejected input{s}", "ko": "거부된 입력 {n}건"},
    "schema_ok": {"en": "database schema is up to date", "ko": "데이터베이스 스키마가 최신입니다"},
    "summary": {
        "en": "{read} article{read_s} read: {new} new, {unchanged} unchanged, {rejected} rejected; "
              "{projects} new project{projects_s}, {amounts} amount{amounts_s}; {seconds:.1f} s",
        "ko": "기사 {read}건 읽음: 신규 {new}, 변경 없음 {unchanged}, 거부 {rejected}; "
              "새 사업 {projects}, 금액 {amounts}; {seconds:.1f}초",
    },
}


def language() -> str:
    """`ko` or `en`, from POLICY_RADAR_LANG or the locale."""
    chosen = os.environ.get("POLICY_RADAR_LANG", "").strip().lower()
    if chosen in ("ko", "en"):
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def text(key: str, **values: Any) -> str:
    """Message `key` in the current language; `{s}` is the English plural ending of `n`."""
    if "n" in values:
        values.setdefault("s", _s(values["n"]))
    return MESSAGES[key][language()].format(**values)


def summary(s: Any) -> str:
    """The one line that ends a load: counts of a `LoadSummary`."""
    return text(
        "summary", read=s.read, new=s.new, unchanged=s.unchanged, rejected=s.rejected, projects=s.projects,
        amounts=s.amounts, seconds=s.seconds, read_s=_s(s.read), projects_s=_s(s.projects), amounts_s=_s(s.amounts),
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"
