"""Quarters (``2025Q2``, ``2025年二季度``) and as-of dates (``2025-06-30``, ``2025年6月30日``).

The accepted date forms are matched with strict regular expressions (year, month and day all
required: no fuzzy or partial dates), then python-dateutil parses the ISO date, imported only
when a date is actually given so that start-up stays fast.
"""

import datetime
import functools
import re
import unicodedata
from typing import NamedTuple

from qdtrack.errors import BadInput
from qdtrack.i18n import _

MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(BadInput):
    """A quarter or date that cannot be understood."""


class _QuarterFields(NamedTuple):
    year: int
    q: int  # 1..4


class Quarter(_QuarterFields):
    """A calendar quarter; ordered, hashable and immutable like the tuple (year, q)."""

    __slots__ = ()

    def __new__(cls, year: int, q: int) -> "Quarter":
        if not isinstance(q, int) or not 1 <= q <= 4:
            raise PeriodError(_("quarter {n!r} is not 1 to 4; use the form 2025Q2").format(n=q))
        return super().__new__(cls, year, q)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> datetime.date:
        month = 3 * self.q
        return datetime.date(self.year, month, month_days(self.year, month))


def month_days(year: int, month: int) -> int:
    """The days in a month (as ``calendar.monthrange(year, month)[1]``, whose import costs start-up)."""
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def quarter_of(d: datetime.date) -> Quarter:
    """The calendar quarter that contains ``d``."""
    return Quarter(d.year, (d.month - 1) // 3 + 1)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Patterns as text, compiled on first use (re's own cache): compiling them at import cost start-up.
_Q_FORM = r"(?:([0-9]{4})\s*年?\s*[-/]?\s*)?q\s*([0-9]+)"
_CN_FORM = r"(?:([0-9]{4})\s*年?\s*)?第?\s*([一二三四0-9]+)\s*季度"
_DATE_SEP = r"([0-9]{4})\s*(?P<sep>[-/.])\s*([0-9]{1,2})\s*(?P=sep)\s*([0-9]{1,2})"
_DATE_CN = r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?"
_DATE_COMPACT = r"([0-9]{4})([0-9]{2})([0-9]{2})"


def _normalise(text: object) -> str:
    if not isinstance(text, str):
        raise PeriodError(_("{text!r} is not a date or quarter; write it as 2025-06-30 or 2025Q2").format(text=text))
    return unicodedata.normalize("NFKC", text).strip().lower()


def _check_year(year: int, text: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("year {year} in {text!r} is outside {min}-{max}; check the year").format(year=year, text=text, min=MIN_YEAR, max=MAX_YEAR))
    return year


def _match_quarter(s: str, text: str, default_year: int | None) -> Quarter | None:
    m = re.fullmatch(_Q_FORM, s)
    if m is not None:
        year_text, q = m.group(1), int(m.group(2))
    else:
        m = re.fullmatch(_CN_FORM, s)
        if m is None:
            return None
        year_text, q = m.group(1), _CN_DIGITS.get(m.group(2), 0)
    if not 1 <= q <= 4:
        raise PeriodError(_("{text!r} is not a quarter; use the form 2025Q2").format(text=text))
    if year_text is None:
        if default_year is None:
            raise PeriodError(_("{text!r} has no year; write it as 2025Q{q}").format(text=text, q=q))
        year = default_year
    else:
        year = int(year_text)
    return Quarter(_check_year(year, text), q)


def parse_quarter(text: str, default_year: int | None = None) -> Quarter:
    """Parse ``2025Q2``, ``2025-q2``, ``Q2``, ``2025年第二季度``, ``二季度`` and the like."""
    s = _normalise(text)
    found = _match_quarter(s, text, default_year)
    if found is None:
        raise PeriodError(_("{text!r} is not a quarter; use the form 2025Q2").format(text=text))
    return found


def parse_as_of(text: str, default_year: int | None = None) -> datetime.date:
    """Parse an as-of date: a quarter (its last day), ``2025-06-30``, ``2025年6月30日``, ``today``."""
    s = _normalise(text)
    if not s:
        raise PeriodError(_("no date given; write it as 2025-06-30 or 2025Q2"))
    if s in ("today", "今天", "今日"):
        return today()
    quarter = _match_quarter(s, text, default_year)
    if quarter is not None:
        return quarter.end
    for pattern in (_DATE_SEP, _DATE_CN, _DATE_COMPACT):
        m = re.fullmatch(pattern, s)
        if m is not None:
            year, month, day = (int(g) for g in m.groups() if g.isdigit())
            _check_year(year, text)
            try:
                return datetime.date(year, month, day)
            except (ValueError, OverflowError):
                raise PeriodError(_("{text!r} is not a real date; check the month and day").format(text=text)) from None
    raise PeriodError(_("{text!r} is not a full date or quarter; write it as 2025-06-30 or 2025Q2").format(text=text))


@functools.cache  # pure, and asked once per metric with the same date
def year_fraction(as_of: datetime.date, year: int) -> float:
    """Share of ``year`` elapsed at the end of ``as_of``, in months (quarter ends are exact)."""
    if as_of.year < year:
        return 0.0
    if as_of.year > year:
        return 1.0
    days = month_days(as_of.year, as_of.month)
    return (as_of.month - 1 + as_of.day / days) / 12


#: The office's zone (China Standard Time, UTC+8): "today" and recording times are Qingdao's.
OFFICE_TZ = datetime.timezone(datetime.timedelta(hours=8), "CST")


def now_iso() -> str:
    """The time now in Qingdao, as stored in ``recorded_at``."""
    return datetime.datetime.now(OFFICE_TZ).isoformat(timespec="seconds")


def today() -> datetime.date:
    """Today's date in Qingdao, whatever the server's time zone."""
    return datetime.datetime.now(OFFICE_TZ).date()


@functools.cache  # pure, and asked once per metric with the same date
def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


@functools.cache  # pure, and asked once per metric with the same date
def last_quarter_end(d: datetime.date) -> datetime.date | None:
    """The latest quarter end on or before ``d`` (None before the first of its year)."""
    q = quarter_of(d)
    if d >= q.end:
        return q.end
    if q.q == 1:
        return None
    return Quarter(d.year, q.q - 1).end


def last_ended_quarter(d: datetime.date) -> Quarter | None:
    """The latest quarter that has ended by ``d`` (within ``d``'s year)."""
    end = last_quarter_end(d)
    return quarter_of(end) if end is not None else None


@functools.cache  # pure, and asked once per metric with the same date
def quarters_left(as_of: datetime.date, year: int) -> int:
    """How many of the year's quarters have not ended by ``as_of``."""
    if as_of.year < year:
        return 4
    if as_of.year > year:
        return 0
    ended = last_ended_quarter(as_of)
    return 4 - (ended.q if ended else 0)


def zh_date(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
