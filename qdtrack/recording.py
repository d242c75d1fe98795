"""Turn what a user wants to record into a history row, by the rules of the year.

``plan_entry`` is called inside the write transaction with the ledger as ``lookup``, so
the rules that read neighbouring figures see what the write will follow. ``update`` and
``import`` share it.
"""

from __future__ import annotations

import datetime
import getpass
import math
from typing import Any, NamedTuple, Protocol

from . import rules
from .errors import BadInput
from .i18n import _, current_language, format_date, format_quarter
from .model import SETTABLE, Figure, Metric, Task, exact_sum
from .periods import Quarter, now_iso, parse_as_of, parse_quarter, quarter_of
from .quantity import Quantity, convert, parse_quantity
from .texts import kind_word, status_choices

STATUS_ALIASES = {
    "on-track": "on_track", "ontrack": "on_track", "完成": "done", "已完成": "done", "超前": "ahead",
    "超进度": "ahead", "正常": "on_track", "达进度": "on_track", "滞后": "lagging", "欠进度": "lagging",
}  # fmt: skip


class FigureLookup(Protocol):
    def figure_before(self, metric_id: int, as_of: datetime.date, *, strictly: bool = False) -> Figure | None: ...
    def lowest_after(self, metric_id: int, as_of: datetime.date) -> Figure | None: ...


class Change(NamedTuple):
    ref: str
    value: str | None = None
    add: str | None = None
    metric: str | None = None
    quarter: str | None = None
    on: str | None = None
    note: str | None = None
    status: str | None = None
    correct: bool = False
    by: str | None = None
    source: str = "qdtrack"
    strict_units: bool = True  # typed on the command line: a bare number against 万/亿 is refused


class Planned(NamedTuple):
    """A validated entry: the row to insert, and what the confirmation says."""

    task: Task
    row: dict[str, Any]
    quarter: Quarter
    as_of: datetime.date
    dated_today: bool
    metric: Metric | None


_NAMES: dict[str, str] = {}  # names given with --by (or a row's recorder) already checked: an import checks each once


def who(by: str | None) -> str:
    if by is not None:
        found = _NAMES.get(by)
        if found is not None:
            return found
        name = by.strip()
        if not name or len(name) > 100 or any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise BadInput(_("--by must be a name of 1-100 printable characters"))
        if len(_NAMES) < 1000:
            _NAMES[by] = name
        return name
    from .config import config_value

    configured = config_value("by")
    if configured:
        return str(configured)
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def entry_date(quarter: str | None, on: str | None, year: int, today: datetime.date) -> tuple[Quarter, datetime.date | None]:
    """The quarter and the day a figure is true at: ``--quarter`` (its end), ``--on`` (that day), else today."""
    if quarter is not None and on is not None:
        raise BadInput(_("give either --quarter (the quarter's end) or --on (a day), not both"))
    if on is not None:
        day = parse_as_of(on, default_year=year)
        if day.year != year:
            raise BadInput(_("--on {day} is outside the plan year {year}; give a day in {year}").format(day=on, year=year))
        if day > today:
            raise BadInput(
                _("--on {day} is after today ({today}); a figure cannot be true in the future").format(day=day.isoformat(), today=format_date(today))
            )
        return quarter_of(day), day
    if quarter is None:
        if today.year != year:
            raise BadInput(
                _("today ({today}) is outside the plan year {year}; give the quarter, e.g. --quarter {year}Q4").format(today=format_date(today), year=year)
            )
        return quarter_of(today), today
    q = parse_quarter(quarter, default_year=year)
    if q.year != year:
        raise BadInput(_("quarter {quarter} is outside the plan year {year}; give a quarter of {year}").format(quarter=q, year=year))
    if q.end > today:
        raise BadInput(
            _("{quarter} has not ended yet (it ends {end}); record today's figure without --quarter, or give --on DATE").format(
                quarter=format_quarter(q), end=format_date(q.end)
            )
        )
    return q, None


def _listing(task: Task) -> str:
    """A task's metrics, for the messages that ask for one of them."""
    zh = current_language() == "zh"
    return ("；" if zh else "; ").join(f"{m.pos} {m.name}（{m.unit}）" if zh else f"{m.pos} {m.name} ({m.unit})" for m in task.metrics)


def choose_metric(task: Task, metric_text: str | None, unit: str | None) -> Metric:
    if not task.metrics:
        raise BadInput(_("item {ref} has no numeric target; record a --note or --status instead").format(ref=task.ref))
    if metric_text is not None:
        wanted = metric_text.strip()
        for m in task.metrics:
            if wanted in (m.name, str(m.pos)):
                return m
        raise BadInput(_("item {ref} has no metric {metric!r}; its metrics are: {listing}").format(ref=task.ref, metric=wanted, listing=_listing(task)))
    if len(task.metrics) == 1:
        return task.metrics[0]
    fits = [m for m in task.metrics if unit is not None and _fits(unit, m.unit)]
    if len(fits) == 1:
        return fits[0]
    raise BadInput(
        _("item {ref} has {n} metrics; choose one with --metric: {listing}").format(ref=task.ref, n=len(task.metrics), listing=_listing(task))
    )


def _fits(unit: str, metric_unit: str) -> bool:
    from .quantity import QuantityError, canonical_unit

    try:
        return canonical_unit(unit) == canonical_unit(metric_unit)
    except QuantityError:
        return False


def bare_readings(text: str, metric: Metric) -> str:
    """The two readings of a bare number against a target written with 万 or 亿."""
    mult = "万" if "万" in metric.target_text else "亿"
    base = "元" if metric.unit == "亿元" else metric.unit
    n = text.strip()
    return _("write {n}{mult} for {n}{mult}{base}, or {n}{base}").format(n=n, mult=mult, base=base)


def figure(q: Quantity, text: str, metric: Metric, option: str, strict_units: bool = True) -> float:
    """The value of a typed figure in the metric's unit, by the unit rules of the README."""
    if strict_units and q.unit is None and not q.multiplied and metric.multiplied and not metric.is_rate:
        why = _("{option} {text} has no unit and {metric}'s target is {target}: {readings}")
        raise BadInput(why.format(option=option, text=text, metric=metric.name, target=metric.target_text, readings=bare_readings(text, metric)))
    value = convert(q, metric.unit)
    if metric.is_rate and (q.falling != metric.is_reduction) and (q.falling or q.growth):
        value = -value  # 上升1% against a 下降 target, or 下降1% against a growth target
    if not math.isfinite(value):
        raise BadInput(_("{option} {text} is not a finite number").format(option=option, text=text))
    problem = rules.value_problem(metric, value)
    if problem:
        raise BadInput(_("{option} {text}: {problem}; {metric} counts {unit}").format(option=option, text=text, problem=problem, metric=metric.name, unit=metric.unit))
    return value


def _status(change: Change, task: Task) -> str | None:
    if change.status is None:
        return None
    s = change.status.strip().lower()
    status = STATUS_ALIASES.get(s, s)
    if status not in SETTABLE:
        raise BadInput(_("--status {status!r} is not one of {choices}").format(status=change.status, choices=status_choices(SETTABLE)))
    if task.metrics:
        raise BadInput(_("item {ref} has numeric targets, so its status is computed from figures; record a --value instead").format(ref=task.ref))
    return status


def _check_request(task: Task, change: Change) -> str | None:
    if task.covered_by_parts:
        raise BadInput(_("bullet {bullet} is tracked through its listed items {parts}; update those").format(bullet=task.bullet, parts=", ".join(task.parts)))
    if change.value is not None and change.add is not None:
        raise BadInput(_("give either --value (year to date) or --add (this quarter), not both"))
    note = change.note.strip() if change.note is not None else None
    if change.note is not None:
        problem = rules.note_problem(change.note)
        if problem:
            raise BadInput(problem)
    if change.value is None and change.add is None and note is None and change.status is None:
        raise BadInput(_("nothing to record: give --value, --add, --note or --status"))
    if change.metric is not None and change.value is None and change.add is None:
        raise BadInput(_("--metric needs a --value or --add to go with it"))
    return note


class Parsing(Protocol):
    """``parse_quantity`` and ``entry_date`` as a caller may remember them (``import``: issue 14)."""

    def quantity(self, text: str) -> Quantity: ...
    def dates(self, quarter: str | None, on: str | None, year: int, today: datetime.date) -> tuple[Quarter, datetime.date | None]: ...


def plan_entry(task: Task, year: int, change: Change, today: datetime.date, lookup: FigureLookup,
               parsing: Parsing | None = None, recorded_at: str | None = None) -> Planned:  # fmt: skip
    """The row to append for ``change`` (recorded now, or at ``recorded_at``); BadInput when anything is wrong."""
    note = _check_request(task, change)
    status = _status(change, task)
    text = change.value if change.value is not None else change.add
    parse, dates = (parsing.quantity, parsing.dates) if parsing is not None else (parse_quantity, entry_date)
    parsed = parse(text) if text is not None else None  # a malformed figure is reported first
    quarter, on_date = dates(change.quarter, change.on, year, today)
    as_of = on_date or quarter.end
    metric, value = None, None
    if parsed is not None and text is not None:
        option = "--value" if change.value is not None else "--add"
        metric = choose_metric(task, change.metric, parsed.unit)
        value = figure(parsed, text, metric, option, change.strict_units)
        if change.add is not None:
            if metric.kind not in ("cumulative", "total"):
                raise BadInput(_("--add works for cumulative targets; {metric} is a {kind} target, give --value").format(metric=metric.name, kind=kind_word(metric.kind)))
            before = lookup.figure_before(metric.id, as_of)
            if before is not None:
                value = exact_sum(before.value, value)
        if not change.correct:
            earlier, later = lookup.figure_before(metric.id, as_of), lookup.lowest_after(metric.id, as_of)
            problem = rules.ytd_conflict(
                metric, value, earlier.value if earlier else None, later.value if later else None,
                earlier.as_of if earlier else None, later.as_of if later else None,
            )  # fmt: skip
            if problem:
                raise BadInput(_("{problem}; a year-to-date figure cannot fall: add --correct if the other figure was wrong").format(problem=problem))
    row = {
        "task_id": task.id, "metric_id": metric.id if metric else None, "quarter": str(quarter),
        "on_date": on_date.isoformat() if on_date else None, "value": value, "note": note, "status": status,
        "correction": 1 if change.correct else 0, "recorded_at": recorded_at or now_iso(), "recorded_by": who(change.by),
        "source": change.source,
    }  # fmt: skip
    return Planned(task, row, quarter, as_of, on_date is not None and change.on is None, metric)


def late_return_hint(planned: Planned, lookup: Any) -> Quarter | None:
    """In a quarter's first month, an entry dated today for a metric whose previous quarter has
    no figure is probably that quarter's return: the quarter to suggest, else None."""
    if not planned.dated_today or planned.metric is None or planned.as_of.month not in (4, 7, 10):
        return None
    previous = Quarter(planned.quarter.year, planned.quarter.q - 1)
    if lookup.has_figure_in(planned.metric.id, previous.start, previous.end):
        return None
    return previous
