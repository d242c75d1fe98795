"""Milestones (时间节点) written the way work plans write them: 6月底前…；年底前….

Pure parsing: ``parse_due_words('6月底前', 2025)`` is 2025-06-30; ``split_nodes`` reads a
时间节点 cell into (due date, text) pairs and lists what it cannot read for review.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_MONTH_END = re.compile(r"^(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:底|末)(?:前)?")
_MONTH_DAY = re.compile(r"^(\d{1,2}|十[一二]?|[一二三四五六七八九])月(\d{1,2})[日号](?:前)?")
_YEAR_END = re.compile(r"^(?:年底|年末|年内|全年)(?:前)?")
_QUARTER_END = re.compile(r"^([一二三四1-4])季度(?:末|底)?(?:前)?")


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _CN_NUM[text]


def _match(s: str, year: int) -> tuple[datetime.date, int] | None:
    m = _MONTH_END.match(s)
    if m:
        month = _month(m.group(1))
        if 1 <= month <= 12:
            return datetime.date(year, month, calendar.monthrange(year, month)[1]), m.end()
        return None
    m = _MONTH_DAY.match(s)
    if m:
        try:
            return datetime.date(year, _month(m.group(1)), int(m.group(2))), m.end()
        except ValueError:
            return None
    m = _YEAR_END.match(s)
    if m:
        return datetime.date(year, 12, 31), m.end()
    m = _QUARTER_END.match(s)
    if m:
        q = _month(m.group(1))
        return datetime.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1]), m.end()
    return None


def parse_due_words(text: str, year: int) -> datetime.date | None:
    """``6月底前`` → 30 June, ``9月15日前`` → 15 September, ``年底前`` → 31 December; None otherwise."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    found = _match(s, year)
    return found[0] if found and found[1] == len(s) else None


def split_nodes(cell: str, year: int) -> tuple[list[tuple[datetime.date, str]], list[str]]:
    """A 时间节点 cell (``6月底前完成方案编制；年底前主体完工``) as (due, text) pairs, and the parts it cannot read."""
    nodes: list[tuple[datetime.date, str]] = []
    doubts: list[str] = []
    for part in re.split(r"[；;。\n]+", unicodedata.normalize("NFKC", cell or "")):
        part = re.sub(r"^\s*(?:\d+[.、)）]|[（(]\d+[)）])\s*", "", part).strip()
        if not part:
            continue
        found = _match(part, year)
        what = part[found[1] :].strip(" ，,：:") if found else ""
        if found and what:
            nodes.append((found[0], what))
        else:
            doubts.append(part)
    return nodes, doubts
