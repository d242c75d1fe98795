"""What a 台账's title says it reports: ``2026年…1季度进展情况台账`` → (2026, 1).

An office that sends last quarter's file again, or names the wrong quarter on the command
line, would record every figure at the wrong date. ``ingest`` compares the title with
``--quarter``: another quarter is refused; another year is said (the 2025 台账 may be read
into a year loaded from the 2025 documents, as the tests do).
"""

from __future__ import annotations

import re
import unicodedata

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"(?<![0-9])([1-4一二三四])\s*季度")
_HALF = re.compile(r"上半年")
_MONTHS = re.compile(r"1\s*[-—–~至到]\s*(3|6|9|12)\s*月")
_YEAR = re.compile(r"(20[0-9]{2})\s*年")


def title_quarter(title: str) -> int | None:
    """The one quarter the title names (1季度, 一季度, 上半年, 1-6月 …), else None."""
    text = unicodedata.normalize("NFKC", title)
    found = {_CN[m.group(1)] for m in _QUARTER.finditer(text)}
    found |= {2 for _ in _HALF.finditer(text)}
    found |= {int(m.group(1)) // 3 for m in _MONTHS.finditer(text)}
    return found.pop() if len(found) == 1 else None


def title_year(title: str) -> int | None:
    """The one year the title names, else None."""
    years = {int(y) for y in _YEAR.findall(unicodedata.normalize("NFKC", title))}
    return years.pop() if len(years) == 1 else None
