"""Pure rules: which figure counts at a date, the pace of the year, and every status.

Nothing here reads the ledger, formats or prints: it takes the plan (``model.Task``),
what the ledger says at a date (``model.Facts``) and returns verdicts. The rules are
stated, with worked examples, in the README's "How progress is judged".
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence

from .model import (
    PLACES,
    Facts,
    Figure,
    LagRow,
    Metric,
    MetricVerdict,
    Milestone,
    MilestoneVerdict,
    Task,
    TaskVerdict,
    worst,
)
from .periods import last_quarter_end, quarters_left, year_end, year_fraction

#: A 左右 rate is on track within this many points either side of its target.
ABOUT_BAND = 0.5
#: A 左右 amount is met at this share of its target; its pace runs towards it.
ABOUT_SHARE = 0.9
#: Units of things counted one by one: shortfalls and needs are whole numbers, rounded up.
COUNTABLE = frozenset("条个场户家项所处套座台辆次批人名") | {"人次", "场次"}


def default_as_of(year: int, today: datetime.date, last_figure: datetime.date | None) -> datetime.date:
    """Today while the plan year runs; for an ended year its last reporting point (else 31 December)."""
    if today.year == year:
        return today
    if today.year < year:
        return datetime.date(year, 1, 1)
    return min(last_figure or year_end(year), year_end(year), today)


def judged_at(figure: Figure | None, as_of: datetime.date, year: int) -> datetime.date:
    """The date a metric's pace is taken at: the later of its figure's date and the last quarter end."""
    as_of = min(as_of, year_end(year))
    due = last_quarter_end(as_of) if as_of.year == year else None
    if figure is None:
        return due or as_of
    return max(figure.as_of, due) if due else figure.as_of


def goal(metric: Metric) -> float:
    """What counts as met: the target; for a 左右 amount 90% of the way from the baseline to it."""
    base = metric.baseline or 0.0
    share = ABOUT_SHARE if metric.comparator == "about" else 1.0
    return round(base + share * (metric.target - base), PLACES)


def _paced(metric: Metric) -> bool:
    """Whether the metric has a pace of the year: cumulative ones, and levels with a baseline."""
    if metric.is_rate or metric.is_ceiling or metric.kind == "total":
        return False
    return metric.kind == "cumulative" or metric.baseline is not None


def expected_percent(metric: Metric, when: datetime.date, year: int) -> float | None:
    """The % of target the pace asks for at ``when`` (None where no pace applies)."""
    if not _paced(metric):
        return None
    share = ABOUT_SHARE if metric.comparator == "about" else 1.0
    return round(share * year_fraction(when, year) * 100, PLACES)


def percent_of(metric: Metric, actual: float) -> float | None:
    """% of target; for a level with a baseline, % of the way from the baseline."""
    if metric.is_rate:
        return None
    base = metric.baseline if metric.kind == "level" and metric.baseline is not None else 0.0
    span = metric.target - base
    return round((actual - base) / span * 100, PLACES) if span > 0 else None


def rate_status(metric: Metric, actual: float) -> str:
    """A rate in points against its target: never done, since it must hold all year."""
    diff = round(actual - metric.target, PLACES)
    if metric.is_ceiling:
        return "on_track" if diff <= 0 else "lagging"
    band = ABOUT_BAND if metric.comparator == "about" else 0.0
    if diff < -band:
        return "lagging"
    return "ahead" if diff > band else "on_track"


def metric_status(metric: Metric, actual: float, percent: float | None, expected: float | None, as_of: datetime.date,
                  year: int, tolerance: float) -> str:  # fmt: skip
    if metric.is_rate:
        return rate_status(metric, actual)
    if metric.is_ceiling:
        return "on_track" if actual <= metric.target else "lagging"
    if actual >= goal(metric):
        return "done"
    if metric.kind == "total":
        return "on_track"  # a multi-year total has no yearly pace: never lagging by it
    if expected is None or percent is None:  # a level without a baseline
        return "lagging" if as_of >= year_end(year) else "not_judged"
    gap = round(percent - expected, PLACES)
    if gap > tolerance:
        return "ahead"
    return "lagging" if gap < -tolerance else "on_track"


def judge_metric(metric: Metric, figure: Figure | None, as_of: datetime.date, year: int, tolerance: float = 0.0) -> MetricVerdict:
    when = judged_at(figure, as_of, year)
    expected = expected_percent(metric, when, year)
    if figure is None:
        return MetricVerdict(metric, None, None, expected, "no_data", None, when)
    percent = percent_of(metric, figure.value)
    status = metric_status(metric, figure.value, percent, expected, as_of, year, tolerance)
    return MetricVerdict(metric, figure.value, percent, expected, status, figure, when)


def judge_milestone(m: Milestone, as_of: datetime.date) -> MilestoneVerdict:
    """A milestone at ``as_of``: done, late (done after its due date), ahead, overdue or pending.

    Overdue means still not done the day after its due date (6月底前 is met on 30 June).
    """
    if m.done_on is not None and m.done_on <= as_of:
        if m.done_on > m.due:
            return MilestoneVerdict(m, "late")
        return MilestoneVerdict(m, "ahead" if m.due > as_of else "done")
    if m.due < as_of:
        return MilestoneVerdict(m, "overdue", (as_of - m.due).days)
    return MilestoneVerdict(m, "pending")


def milestones_status(verdicts: Sequence[MilestoneVerdict]) -> str | None:
    """已完成 when all are done, 欠进度 when one is overdue, 超进度 when one is done early."""
    if not verdicts:
        return None
    states = {v.status for v in verdicts}
    if states <= {"done", "late", "ahead"}:
        return "done"
    if "overdue" in states:
        return "lagging"
    return "ahead" if "ahead" in states else "on_track"


def judge_task(task: Task, facts: Facts, year: int, tolerance: float = 0.0) -> TaskVerdict:
    as_of = facts.as_of
    metrics = tuple(judge_metric(m, facts.figures.get(m.id), as_of, year, tolerance) for m in task.metrics)
    milestones = tuple(judge_milestone(m, as_of) for m in task.milestones)
    mark = facts.marks.get(task.id)
    from_milestones = milestones_status(milestones)
    if mark == "done" and not metrics:
        status = "done"
    elif metrics or from_milestones:
        parts = [m.status for m in metrics] + ([from_milestones] if from_milestones else [])
        status = worst(parts)
    else:
        status = mark or "no_data"
    return TaskVerdict(task, metrics, status, facts.notes.get(task.id), milestones)


def judge_all(tasks: Iterable[Task], facts: Facts, year: int, tolerance: float = 0.0) -> list[TaskVerdict]:
    return [judge_task(t, facts, year, tolerance) for t in tasks]


# -- what is behind, and what it needs ----------------------------------------------------


def _whole(metric: Metric, amount: float) -> float:
    """Countable things are whole: round a shortfall or need up; other amounts to PLACES decimals
    (132.6, not 132.60000000000002)."""
    return float(math.ceil(amount - 1e-9)) if metric.unit in COUNTABLE and not metric.is_rate else round(amount, PLACES)


def shortfall(v: MetricVerdict) -> float | None:
    """How far below pace, in the metric's unit (rates: in points; ceilings: how far over)."""
    m = v.metric
    if v.actual is None or v.status != "lagging":
        return None
    if m.is_rate:
        return round(abs(m.target - v.actual), PLACES)
    if m.is_ceiling:
        return round(v.actual - m.target, PLACES)
    base = m.baseline if m.kind == "level" and m.baseline is not None else 0.0
    due = goal(m) if v.expected_percent is None else base + v.expected_percent / 100 * (m.target - base)
    return max(0.0, _whole(m, due - v.actual))


def needed_per_quarter(v: MetricVerdict, as_of: datetime.date, year: int) -> float | None:
    """What each quarter not yet ended must add to reach the target (cumulative and level)."""
    m = v.metric
    if m.is_rate or m.is_ceiling or m.kind == "total":
        return None
    remaining = goal(m) - (v.actual or 0.0)
    if remaining <= 0:
        return 0.0
    left = quarters_left(as_of, year)
    return _whole(m, remaining / left) if left > 0 else None


def lagging(verdicts: Iterable[TaskVerdict], as_of: datetime.date, year: int) -> list[LagRow]:
    """Metrics behind pace, the furthest behind first."""
    rows = [
        LagRow(tv, mv, mv.gap if mv.gap is not None else 0.0, shortfall(mv), needed_per_quarter(mv, as_of, year))
        for tv in verdicts
        for mv in tv.metrics
        if mv.status == "lagging"
    ]
    rows.sort(key=lambda r: (-r.gap, r.task.task.seq))
    return rows


def overdue(verdicts: Iterable[TaskVerdict]) -> list[tuple[TaskVerdict, MilestoneVerdict]]:
    """Milestones not done after their due date, the longest overdue first."""
    rows = [(tv, mv) for tv in verdicts for mv in tv.milestones if mv.status == "overdue"]
    rows.sort(key=lambda r: (-(r[1].days_overdue or 0), r[0].task.seq))
    return rows


def due_within(verdicts: Iterable[TaskVerdict], as_of: datetime.date, days: int) -> list[tuple[TaskVerdict, MilestoneVerdict]]:
    """Milestones not done and due from ``as_of`` to ``days`` later, soonest first."""
    last = as_of + datetime.timedelta(days=days)
    rows = [(tv, mv) for tv in verdicts for mv in tv.milestones if mv.status == "pending" and mv.milestone.due <= last]
    rows.sort(key=lambda r: (r[1].milestone.due, r[0].task.seq))
    return rows


def stale(verdicts: Iterable[TaskVerdict], facts: Facts) -> list[TaskVerdict]:
    """Listed items with no entry since the latest quarter that has ended began (done ones aside)."""
    if last_quarter_end(facts.as_of) is None:
        return []
    return [tv for tv in verdicts if tv.task.listed and tv.status != "done" and tv.task.id not in facts.reported]


def never_reported(verdicts: Iterable[TaskVerdict], as_of: datetime.date, year: int) -> list[tuple[TaskVerdict, MetricVerdict]]:
    """At year end: every numeric target with no figure at all."""
    if as_of < year_end(year):
        return []
    return [(tv, mv) for tv in verdicts for mv in tv.metrics if mv.figure is None]
