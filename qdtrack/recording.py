"""Validate what a user wants to record and turn it into update rows.

Pure: takes the plan (``Ledger.plan``) and a ``Change``, returns the rows to
insert or raises ``BadInput``. ``update`` and ``import`` share these rules.
"""

from __future__ import annotations

import datetime
import getpass
import math
from dataclasses import dataclass

from .errors import BadInput
from .ledger import find_task, now_iso
from .periods import Quarter, parse_quarter, quarter_of
from .quantity import convert, parse_quantity

SETTABLE = ("done", "ahead", "on_track", "lagging")
STATUS_ALIASES = {
    "on-track": "on_track",
    "ontrack": "on_track",
    "完成": "done",
    "超前": "ahead",
    "正常": "on_track",
    "滞后": "lagging",
}
MAX_NOTE = 10_000


@dataclass
class Change:
    ref: str
    value: str | None = None
    add: str | None = None
    metric: str | None = None
    quarter: str | None = None
    note: str | None = None
    status: str | None = None
    correct: bool = False
    by: str | None = None
    source: str = "qdtrack"
    today: datetime.date | None = None


def who(by: str | None) -> str:
    if by is not None:
        by = by.strip()
        if not by or len(by) > 100 or any(ord(c) < 32 for c in by):
            raise BadInput("--by must be a name of 1-100 printable characters")
        return by
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def choose_quarter(text: str | None, year: int, today: datetime.date | None) -> Quarter:
    if text is None:
        today = today or datetime.date.today()
        if today.year != year:
            raise BadInput(
                f"today ({today.isoformat()}) is outside the plan year {year}; give the quarter, "
                f"e.g. --quarter {year}Q2"
            )
        return quarter_of(today)
    q = parse_quarter(text, default_year=year)
    if q.year != year:
        raise BadInput(f"quarter {q} is outside the plan year {year}; give a quarter of {year}")
    return q


def choose_metric(task: dict, metric_text: str | None, unit: str | None) -> dict:
    metrics = task["metrics"]
    listing = "; ".join(f"{m['pos']} {m['name']} ({m['unit']})" for m in metrics)
    if not metrics:
        raise BadInput(f"item {task['ref']} has no numeric target; record a --note or --status instead")
    if metric_text is not None:
        wanted = metric_text.strip()
        for m in metrics:
            if wanted == m["name"] or wanted == str(m["pos"]):
                return m
        raise BadInput(f"item {task['ref']} has no metric '{wanted}'; its metrics are: {listing}")
    if len(metrics) == 1:
        return metrics[0]
    if unit is not None:
        fits = [m for m in metrics if _fits(unit, m["unit"])]
        if len(fits) == 1:
            return fits[0]
    raise BadInput(f"item {task['ref']} has {len(metrics)} metrics; choose one with --metric: {listing}")


def _fits(unit, metric_unit) -> bool:
    from .quantity import QuantityError, canonical_unit

    try:
        return canonical_unit(unit) == canonical_unit(metric_unit)
    except QuantityError:
        return False


def figure(text: str, metric: dict, option: str) -> float:
    q = parse_quantity(text)
    value = convert(q, metric["unit"])
    if not math.isfinite(value):
        raise BadInput(f"{option} {text} is not a finite number")
    if metric["kind"] != "rate" and value < 0:
        raise BadInput(f"{option} {text} is negative; {metric['name']} counts {metric['unit']}, give 0 or more")
    if abs(value) >= 1e15:
        raise BadInput(f"{option} {text} is too large")
    return value


def _latest(task, metric_id, pred):
    rows = [u for u in task["updates"] if u["metric_id"] == metric_id and u["value"] is not None and pred(u)]
    return max(rows, key=lambda u: (u["quarter"], u["id"])) if rows else None


def plan_update(tasks: list[dict], year: int, change: Change) -> tuple[dict, list[dict]]:
    """The task and the rows to append for ``change``; BadInput when anything is wrong."""
    task = find_task(tasks, change.ref)
    if task["covered_by_parts"]:
        raise BadInput(
            f"bullet {task['bullet']} is tracked through its listed items {', '.join(task['parts'])}; update those"
        )
    if change.value is not None and change.add is not None:
        raise BadInput("give either --value (year to date) or --add (this quarter), not both")
    status = None
    if change.status is not None:
        s = change.status.strip().lower()
        status = STATUS_ALIASES.get(s, s)
        if status not in SETTABLE:
            raise BadInput(f"--status {change.status!r} is not one of {', '.join(SETTABLE)}")
        if task["metrics"]:
            raise BadInput(
                f"item {task['ref']} has numeric targets, so its status is computed from figures; "
                "record a --value instead"
            )
    note = change.note
    if note is not None:
        note = note.strip()
        if not note:
            raise BadInput("--note is empty; give the progress text, or leave --note out")
        if len(note) > MAX_NOTE:
            raise BadInput(f"--note is longer than {MAX_NOTE} characters; shorten it")
        if "\x00" in note:
            raise BadInput("--note contains a NUL character; remove it")
    if change.value is None and change.add is None and note is None and status is None:
        raise BadInput("nothing to record: give --value, --add, --note or --status")
    if change.metric is not None and change.value is None and change.add is None:
        raise BadInput("--metric needs a --value or --add to go with it")
    text = change.value if change.value is not None else change.add
    parsed = parse_quantity(text) if text is not None else None  # a malformed figure is reported first
    quarter = choose_quarter(change.quarter, year, change.today)
    base = {
        "task_id": task["id"],
        "quarter": str(quarter),
        "recorded_at": now_iso(),
        "recorded_by": who(change.by),
        "source": change.source,
        "correction": 1 if change.correct else 0,
    }
    metric_id, value = None, None
    if parsed is not None:
        option = "--value" if change.value is not None else "--add"
        metric = choose_metric(task, change.metric, parsed.unit)
        value = figure(text, metric, option)
        metric_id = metric["id"]
        key = str(quarter)
        if change.add is not None:
            if metric["kind"] not in ("cumulative", "total"):
                raise BadInput(
                    f"--add works for cumulative targets; {metric['name']} is a {metric['kind']}, give --value"
                )
            before = _latest(task, metric_id, lambda u: u["quarter"] < key)
            value = (before["value"] if before else 0.0) + value
        if metric["kind"] in ("cumulative", "total") and not change.correct:
            earlier = _latest(task, metric_id, lambda u: u["quarter"] < key)
            later = _latest(task, metric_id, lambda u: u["quarter"] > key)
            unit = metric["unit"]
            if earlier and value < earlier["value"]:
                raise BadInput(
                    f"{value:g}{unit} is below {earlier['quarter']}'s year-to-date {earlier['value']:g}{unit}; "
                    "a year-to-date figure cannot fall: add --correct if the earlier figure was wrong"
                )
            if later and value > later["value"]:
                raise BadInput(
                    f"{value:g}{unit} is above {later['quarter']}'s year-to-date {later['value']:g}{unit}; "
                    "add --correct if the later figure was wrong"
                )
    row = {**base, "metric_id": metric_id, "value": value, "note": note, "status": status}
    return task, [row]
