"""Pure functions: year-to-date figures, pace and status.

Nothing here reads the ledger or prints; it takes the task dicts that
``Ledger.plan`` returns and an as-of date, and returns verdicts.

Rules (README, "How status is decided"):

* The year is a straight line from 0 on 1 January to the target on 31
  December, measured in months so quarter ends are exact: the expected
  share at 2025-03-31 is 25%, at 2025-06-30 50%.
* ``cumulative`` and ``level`` metrics: ``done`` when the target is met,
  else ``ahead``/``on_track``/``lagging`` by comparing % of target with the
  expected %, within ``tolerance`` points.
* ``rate`` metrics (growth %): the latest reported rate against the target,
  at least for 以上 and bare targets, within ±0.5 point for 左右. A rate is
  never ``done``: it is ``on_track`` or ``ahead`` while it holds, so a status
  never improves as the as-of date moves later with the same figures.
* ``total`` metrics (a multi-year total such as 总投资2400亿元): no yearly
  pace; ``done`` when met, else ``on_track`` once a figure is reported.
* ``at_most`` targets (ceilings, e.g. 能耗下降): at or below the ceiling is
  ``on_track``, above it ``lagging``.
* no figure yet: ``no_data`` ("not reported", never "no progress").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .periods import Quarter, quarter_of, year_fraction

STATUSES = ("done", "ahead", "on_track", "lagging", "no_data")
# worst first: a task's status is its worst metric's
_RANK = {"lagging": 0, "no_data": 1, "on_track": 2, "ahead": 3, "done": 4}
ABOUT_BAND = 0.5


def parse_quarter_key(key: str) -> Quarter:
    return Quarter(int(key[:4]), int(key[5]))


def worst(statuses) -> str:
    statuses = list(statuses)
    if not statuses:
        return "no_data"
    return min(statuses, key=_RANK.__getitem__)


def quarters_done(as_of: datetime.date, year: int) -> int:
    """How many of the year's quarters have ended by ``as_of``."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 4
    q = quarter_of(as_of)
    return q.q if as_of >= q.end else q.q - 1


def visible(updates, as_of: datetime.date):
    """Updates whose quarter has ended by ``as_of``... or has begun.

    A figure recorded for a quarter is the year-to-date figure at that
    quarter's end; it counts from the quarter's start so that an as-of date
    inside a quarter sees the figures already reported for it.
    """
    return [u for u in updates if parse_quarter_key(u["quarter"]).start <= as_of]


def latest_figure(metric_id: int, updates, as_of: datetime.date):
    """The update row with the metric's latest figure as of a date, or None."""
    rows = [u for u in visible(updates, as_of) if u["metric_id"] == metric_id and u["value"] is not None]
    if not rows:
        return None
    return max(rows, key=lambda u: (u["quarter"], u["id"]))


@dataclass
class MetricVerdict:
    metric: dict
    actual: float | None
    percent: float | None
    expected_percent: float | None
    status: str
    quarter: str | None  # the quarter of the figure used

    def as_json(self) -> dict:
        m = self.metric
        return {
            "name": m["name"],
            "unit": m["unit"],
            "target": _num(m["target"]),
            "comparator": m["comparator"],
            "kind": m["kind"],
            "actual": _num(self.actual),
            "percent": _round(self.percent),
            "expected_percent": _round(self.expected_percent),
            "status": self.status,
        }

    @property
    def gap(self) -> float | None:
        """Points behind pace (positive when behind)."""
        if self.percent is None or self.expected_percent is None:
            return None
        return self.expected_percent - self.percent


def _num(x):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _round(x):
    return None if x is None else round(x, 2)


def expected_percent(metric: dict, as_of: datetime.date, year: int) -> float | None:
    kind = metric["kind"]
    if kind == "rate":
        return 100.0
    if kind == "total":
        return None
    frac = year_fraction(as_of, year)
    target = metric["target"]
    base = metric.get("baseline") or 0.0
    if metric["comparator"] == "at_most" or not target:
        return frac * 100
    return (base + (target - base) * frac) / target * 100


def judge_metric(metric: dict, updates, as_of: datetime.date, year: int, tolerance: float = 0.0) -> MetricVerdict:
    fig = latest_figure(metric["id"], updates, as_of)
    exp = expected_percent(metric, as_of, year)
    if fig is None:
        return MetricVerdict(metric, None, None, exp, "no_data", None)
    actual = fig["value"]
    target = metric["target"]
    percent = actual / target * 100 if target else None
    status = status_of(metric, actual, percent, exp, as_of, year, tolerance)
    return MetricVerdict(metric, actual, percent, exp, status, fig["quarter"])


def status_of(metric, actual, percent, exp, as_of, year, tolerance) -> str:
    kind, comp, target = metric["kind"], metric["comparator"], metric["target"]
    year_over = year_fraction(as_of, year) >= 1.0
    tol = max(0.0, tolerance)
    if kind == "rate":
        band = max(ABOUT_BAND, tol) if comp == "about" else tol
        diff = actual - target
        if comp == "at_most":
            diff = -diff
            band = tol
        if diff < -band:
            return "lagging"
        return "ahead" if diff > band else "on_track"
    if comp == "at_most":
        # a ceiling: below it is good, over it is lagging; never "done", it must hold all year
        return "lagging" if actual > target else "on_track"
    if actual >= target:
        return "done"
    if kind == "total" or percent is None:
        return "lagging" if year_over else "on_track"
    gap = percent - exp
    if gap > tol:
        return "ahead"
    if gap < -tol:
        return "lagging"
    return "on_track"


@dataclass
class TaskVerdict:
    task: dict
    metrics: list[MetricVerdict]
    status: str
    note: str | None
    note_quarter: str | None

    def as_json(self) -> dict:
        t = self.task
        return {
            "id": t["ref"],
            "area": t["area_no"],
            "title": t["title"],
            "listed": bool(t["listed"]),
            "status": self.status,
            "metrics": [m.as_json() for m in self.metrics],
        }


def judge_task(task: dict, as_of: datetime.date, year: int, tolerance: float = 0.0) -> TaskVerdict:
    shown = visible(task["updates"], as_of)
    notes = [u for u in shown if u["note"]]
    last_note = max(notes, key=lambda u: (u["quarter"], u["id"])) if notes else None
    metrics = [judge_metric(m, task["updates"], as_of, year, tolerance) for m in task["metrics"]]
    if metrics:
        status = worst(m.status for m in metrics)
    else:
        marks = [u for u in shown if u["status"]]
        status = max(marks, key=lambda u: (u["quarter"], u["id"]))["status"] if marks else "no_data"
    return TaskVerdict(
        task, metrics, status, last_note["note"] if last_note else None, last_note["quarter"] if last_note else None
    )


def judge_all(tasks, as_of, year, tolerance=0.0) -> list[TaskVerdict]:
    return [judge_task(t, as_of, year, tolerance) for t in tasks]


def default_as_of(latest_quarter: str | None, year: int) -> datetime.date:
    """The end of the latest quarter with an update; the year's start when there is none."""
    if latest_quarter is None:
        return datetime.date(year, 1, 1)
    return parse_quarter_key(latest_quarter).end


def shortfall(v: MetricVerdict) -> float | None:
    """How far below pace, in the metric's own unit (rates: in points)."""
    m = v.metric
    if v.actual is None or v.status != "lagging":
        return None
    if m["kind"] == "rate":
        return abs(m["target"] - v.actual)
    if v.expected_percent is None:
        return None
    if m["comparator"] == "at_most":
        return v.actual - m["target"]
    return v.expected_percent / 100 * m["target"] - v.actual


def needed_per_quarter(v: MetricVerdict, as_of: datetime.date, year: int) -> float | None:
    """What each remaining quarter must add to reach the target (cumulative and level)."""
    m = v.metric
    if m["kind"] not in ("cumulative", "level") or m["comparator"] == "at_most":
        return None
    left = 4 - quarters_done(as_of, year)
    remaining = m["target"] - (v.actual or 0.0)
    if remaining <= 0:
        return 0.0
    if left <= 0:
        return None
    return remaining / left


def counts(verdicts) -> dict:
    out = dict.fromkeys(STATUSES, 0)
    for v in verdicts:
        out[v.status] += 1
    return out


def lagging(verdicts: list[TaskVerdict], as_of, year) -> list[dict]:
    """Metrics behind pace, worst gap first."""
    rows = []
    for tv in verdicts:
        for mv in tv.metrics:
            if mv.status != "lagging":
                continue
            rows.append(
                {
                    "task": tv,
                    "metric": mv,
                    "gap": mv.gap if mv.gap is not None else 0.0,
                    "shortfall": shortfall(mv),
                    "per_quarter": needed_per_quarter(mv, as_of, year),
                }
            )
    rows.sort(key=lambda r: (-r["gap"], r["task"].task["seq"]))
    return rows


def stale(verdicts: list[TaskVerdict], as_of: datetime.date) -> list[TaskVerdict]:
    """Listed items with no update at all for the as-of quarter."""
    q = str(quarter_of(as_of))
    return [tv for tv in verdicts if tv.task["listed"] and not any(u["quarter"] == q for u in tv.task["updates"])]
