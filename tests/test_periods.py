import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from qdtrack.errors import BadInput
from qdtrack.periods import (
    PeriodError,
    Quarter,
    now_iso,
    parse_as_of,
    parse_quarter,
    quarter_of,
    today,
    year_fraction,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025Q2", Quarter(2025, 2)),
        ("2025q2", Quarter(2025, 2)),
        ("2025-Q2", Quarter(2025, 2)),
        ("2025 Q2", Quarter(2025, 2)),
        ("  2025Q3  ", Quarter(2025, 3)),
        ("２０２５Ｑ４", Quarter(2025, 4)),
        ("2025年二季度", Quarter(2025, 2)),
        ("2025年第二季度", Quarter(2025, 2)),
        ("2025年2季度", Quarter(2025, 2)),
        ("2026年第一季度", Quarter(2026, 1)),
    ],
)
def test_parse_quarter_with_year(text, expected):
    assert parse_quarter(text) == expected
    assert parse_quarter(text, default_year=2030) == expected


@pytest.mark.parametrize(
    ("text", "q"),
    [
        ("Q2", 2),
        ("q3", 3),
        ("二季度", 2),
        ("第二季度", 2),
        ("2季度", 2),
        ("一季度", 1),
        ("三季度", 3),
        ("四季度", 4),
        ("1季度", 1),
    ],
)
def test_parse_quarter_default_year(text, q):
    assert parse_quarter(text, default_year=2025) == Quarter(2025, q)
    with pytest.raises(PeriodError, match="has no year"):
        parse_quarter(text)


def test_no_year_message():
    with pytest.raises(PeriodError, match=r"^'Q2' has no year; write it as 2025Q2$"):
        parse_quarter("Q2")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Q0", "2025Q0", "2025Q5", "五季度", "1999Q1", "2101Q1", "hello", "2025", "2025-06-30"],
)
def test_parse_quarter_refuses(text):
    with pytest.raises(PeriodError) as info:
        parse_quarter(text, default_year=2025)
    assert isinstance(info.value, BadInput)


def test_bad_quarter_message():
    with pytest.raises(PeriodError, match=r"^'2025Q5' is not a quarter; use the form 2025Q2$"):
        parse_quarter("2025Q5")


def test_quarter_basics():
    assert str(Quarter(2025, 2)) == "2025Q2"
    assert Quarter(2025, 1).end == D(2025, 3, 31)
    assert Quarter(2025, 2).end == D(2025, 6, 30)
    assert Quarter(2025, 3).end == D(2025, 9, 30)
    assert Quarter(2025, 4).end == D(2025, 12, 31)
    assert Quarter(2025, 3).start == D(2025, 7, 1)
    assert Quarter(2024, 4) < Quarter(2025, 1) < Quarter(2025, 2)
    with pytest.raises(PeriodError):
        Quarter(2025, 5)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2025, 1, 1), Quarter(2025, 1)),
        (D(2025, 3, 31), Quarter(2025, 1)),
        (D(2025, 4, 1), Quarter(2025, 2)),
        (D(2025, 9, 30), Quarter(2025, 3)),
        (D(2025, 12, 31), Quarter(2025, 4)),
    ],
)
def test_quarter_of(d, expected):
    assert quarter_of(d) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-30", D(2025, 6, 30)),
        ("2025/6/30", D(2025, 6, 30)),
        ("2025.6.30", D(2025, 6, 30)),
        ("2025年6月30日", D(2025, 6, 30)),
        ("2025年6月30号", D(2025, 6, 30)),
        ("２０２５－０６－３０", D(2025, 6, 30)),
        ("2024-02-29", D(2024, 2, 29)),
        ("2025Q1", D(2025, 3, 31)),
        ("2025年第三季度", D(2025, 9, 30)),
        ("2025Q4", D(2025, 12, 31)),
    ],
)
def test_parse_as_of(text, expected):
    assert parse_as_of(text) == expected


def test_parse_as_of_quarter_default_year():
    assert parse_as_of("Q2", default_year=2025) == D(2025, 6, 30)
    assert parse_as_of("二季度", default_year=2025) == D(2025, 6, 30)


def test_parse_as_of_today_is_the_date_in_qingdao():
    # 2025-05-12 20:30 UTC is already 2025-05-13 in Qingdao (UTC+8); "today" follows the office
    with time_machine.travel(datetime.datetime(2025, 5, 12, 20, 30, tzinfo=datetime.UTC), tick=False):
        assert parse_as_of("today") == D(2025, 5, 13)
        assert parse_as_of("TODAY") == D(2025, 5, 13)
        assert parse_as_of("今天") == D(2025, 5, 13)
        assert today() == D(2025, 5, 13)
        assert now_iso() == "2025-05-13T04:30:00+08:00"
    with time_machine.travel(datetime.datetime(2025, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert parse_as_of("today") == D(2025, 5, 12)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Q0",
        "Q2",
        "2025Q0",
        "hello",
        "2025-06",
        "June",
        "30",
        "June 30 2025",
        "2025-02-30",
        "2025-13-01",
        "2025-00-10",
        "2023-02-29",
        "9999-01-01",
        "1999-12-31",
        "2025-6/30",
        "2025-06-30 12:00",
        "2025年6月",
    ],
)
def test_parse_as_of_refuses(text):
    with pytest.raises(PeriodError):
        parse_as_of(text)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2025, 3, 31), 0.25),
        (D(2025, 6, 30), 0.5),
        (D(2025, 9, 30), 0.75),
        (D(2025, 12, 31), 1.0),
        (D(2025, 1, 31), 1 / 12),
        (D(2024, 12, 31), 0.0),
        (D(2026, 1, 1), 1.0),
    ],
)
def test_year_fraction(d, expected):
    assert year_fraction(d, 2025) == expected


def test_year_fraction_mid_month():
    assert year_fraction(D(2025, 2, 14), 2025) == pytest.approx((1 + 14 / 28) / 12)


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))


@given(dates)
def test_iso_round_trip_and_quarter_bounds(d):
    assert parse_as_of(d.isoformat()) == d
    assert parse_as_of(f"{d.year}年{d.month}月{d.day}日") == d
    q = quarter_of(d)
    assert q.start <= d <= q.end
    assert parse_quarter(str(q)) == q


@given(dates)
def test_year_fraction_bounds(d):
    f = year_fraction(d, d.year)
    assert 0.0 < f <= 1.0


@given(st.text())
def test_parse_as_of_never_crashes(text):
    try:
        result = parse_as_of(text, default_year=2025)
    except PeriodError:
        return
    assert isinstance(result, datetime.date)


@given(st.text(alphabet="0123456789-/.年月日号季度第一二三四五Qq "))
def test_parse_as_of_never_crashes_on_near_misses(text):
    try:
        parse_as_of(text)
    except PeriodError:
        pass


def test_month_days_agrees_with_calendar():
    import calendar

    from qdtrack.periods import month_days

    for year in range(1990, 2101):
        for month in range(1, 13):
            assert month_days(year, month) == calendar.monthrange(year, month)[1], (year, month)
