"""Statuses on the boundaries the README states, for figures typed with decimals.

Binary floats make 0.75 / 1.0 fine but 0.3 / 0.4 * 100 = 74.99999999999999 and 4.4 - 3.9 =
0.5000000000000004: a figure exactly on pace must be on track, a 左右 amount at exactly 90% of
its target done, and a 左右 rate exactly 0.5 point off on track (README, "How a status is
decided"). Figures are generated as the office types them: decimals with one or two places.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from qdtrack import progress
from qdtrack.model import Figure, Metric

YEAR = 2025
QUARTER_ENDS = {1: datetime.date(2025, 3, 31), 2: datetime.date(2025, 6, 30), 3: datetime.date(2025, 9, 30)}

# targets as typed: 0.01 .. 9999.99 (万 and 亿 figures are stored in units, so 0.4亿 is 40000000.0)
typed = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)


def metric(target: float, comparator: str = "at_least", kind: str = "cumulative", baseline: float | None = None) -> Metric:
    return Metric(1, 1, 1, "m", target, "亿元", comparator, kind, "t", baseline)


def judge(m: Metric, value: float, day: datetime.date) -> str:
    return progress.judge_metric(m, Figure(m.id, value, day, "2025Q1", 1), day, YEAR).status


@given(typed, st.sampled_from([1, 2, 3]))
@example(Decimal("0.4"), 3)  # 0.3 / 0.4 * 100 = 74.99999999999999 against 75
@example(Decimal("0.7"), 3)  # 0.525 / 0.7 * 100 = 75.00000000000001
def test_a_figure_exactly_on_pace_is_on_track(target: Decimal, q: int) -> None:
    actual = target * q / 4
    if actual != actual.quantize(Decimal("0.0001")):
        return  # not a figure anyone types
    assert judge(metric(float(target)), float(actual), QUARTER_ENDS[q]) == "on_track"


@given(typed, st.sampled_from([1, 2, 3]))
def test_one_hundredth_below_pace_is_lagging_and_above_ahead(target: Decimal, q: int) -> None:
    actual = target * q / 4
    if actual != actual.quantize(Decimal("0.01")) or actual < Decimal("0.02"):
        return
    m, day = metric(float(target)), QUARTER_ENDS[q]
    assert judge(m, float(actual - Decimal("0.01")), day) == "lagging"
    assert judge(m, float(actual + Decimal("0.01")), day) == "ahead"


@given(typed)
@example(Decimal("0.4"))  # 0.9 * 0.4 = 0.36000000000000004 > 0.36
def test_an_about_amount_at_exactly_90_percent_is_done(target: Decimal) -> None:
    actual = target * Decimal("0.9")
    assert judge(metric(float(target), "about"), float(actual), datetime.date(2025, 12, 31)) == "done"


@given(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("30"), places=1), st.sampled_from([-1, 1]))
@example(Decimal("3.9"), 1)  # 4.4 - 3.9 = 0.5000000000000004
@example(Decimal("2.2"), -1)  # 1.7 - 2.2 = -0.5000000000000002
def test_an_about_rate_half_a_point_off_is_on_track(target: Decimal, sign: int) -> None:
    m = metric(float(target), "about", "rate")
    actual = target + sign * Decimal("0.5")
    assert judge(m, float(actual), QUARTER_ENDS[1]) == "on_track"
    assert judge(m, float(actual + sign * Decimal("0.1")), QUARTER_ENDS[1]) == ("ahead" if sign > 0 else "lagging")


@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("30"), places=1), st.decimals(min_value=Decimal("0.1"), max_value=Decimal("30"), places=1))
@example(Decimal("5.9"), Decimal("5.5"))  # README: +0.4, not 0.40000000000000036
def test_points_vs_target_is_the_difference_as_typed(actual: Decimal, target: Decimal) -> None:
    m = metric(float(target), "about", "rate")
    v = progress.judge_metric(m, Figure(1, float(actual), QUARTER_ENDS[1], "2025Q1", 1), QUARTER_ENDS[1], YEAR)
    assert v.points_vs_target == float(actual - target)


def test_a_level_exactly_on_pace_from_its_baseline_is_on_track() -> None:
    # a level from 0.3 to 0.7 at 30 September: 75% of the way is 0.6
    m = metric(0.7, kind="level", baseline=0.3)
    assert judge(m, 0.6, QUARTER_ENDS[3]) == "on_track"
    assert judge(m, 0.59, QUARTER_ENDS[3]) == "lagging"


def test_shortfalls_are_written_as_typed():
    # 8 - 7.7 is 0.2999999999999998 in binary floating point; lagging shows 0.3 points short
    rate = progress.judge_metric(metric(8.0, "at_least", "rate"), Figure(1, 7.7, QUARTER_ENDS[1], "2025Q1", 1), QUARTER_ENDS[1], YEAR)
    assert rate.status == "lagging" and progress.shortfall(rate) == 0.3
    # a ceiling of 3.3 exceeded by 3.4: 0.1 over, not 0.10000000000000009
    ceiling = progress.judge_metric(metric(3.3, "at_most", "level"), Figure(1, 3.4, QUARTER_ENDS[1], "2025Q1", 1), QUARTER_ENDS[1], YEAR)
    assert ceiling.status == "lagging" and progress.shortfall(ceiling) == 0.1
