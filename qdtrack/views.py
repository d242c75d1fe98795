"""What each read command shows: one call from the command, reading the plan once.

Data flows one way: the ledger's plan and facts at a date (``ledger``) → the domain types
(``model``) → the rules (``progress``) → a view the render layer prints.
"""

import datetime

from . import progress
from .errors import BadInput
from .i18n import _, format_date
from .ledger import Ledger
from .model import (
    Area,
    Entry,
    Facts,
    LagRow,
    MetricVerdict,
    MilestoneVerdict,
    Task,
    TaskVerdict,
    by_area,
    find_task,
    select,
)
from .periods import last_ended_quarter, parse_as_of, today
from .record import Record


class Scope(Record):
    """The plan year and date a view is taken at, and what the ledger says then."""

    __slots__ = ()
    _fields = ("year", "as_of", "areas", "tasks", "facts")

    year: int
    as_of: datetime.date
    areas: list[Area]
    tasks: list[Task]
    facts: Facts

    def __new__(cls, year: int, as_of: datetime.date, areas: list[Area], tasks: list[Task], facts: Facts) -> "Scope":
        return tuple.__new__(cls, (year, as_of, areas, tasks, facts))


class StatusView(Record):
    __slots__ = ()
    _fields = ("year", "as_of", "groups")

    year: int
    as_of: datetime.date
    groups: list[tuple[Area, list[TaskVerdict]]]

    def __new__(cls, year: int, as_of: datetime.date, groups: list[tuple[Area, list[TaskVerdict]]]) -> "StatusView":
        return tuple.__new__(cls, (year, as_of, groups))


class LaggingView(Record):
    __slots__ = ()
    _fields = ("year", "as_of", "items", "stale", "stale_quarter", "never_reported", "overdue", "due_soon")

    year: int
    as_of: datetime.date
    items: list[LagRow]
    stale: list[TaskVerdict]
    stale_quarter: str | None
    never_reported: list[tuple[TaskVerdict, MetricVerdict]]
    overdue: list[tuple[TaskVerdict, MilestoneVerdict]]
    due_soon: list[tuple[TaskVerdict, MilestoneVerdict]]

    def __new__(cls, year: int, as_of: datetime.date, items: list[LagRow], stale: list[TaskVerdict], stale_quarter: str | None, never_reported: list[tuple[TaskVerdict, MetricVerdict]], overdue: list[tuple[TaskVerdict, MilestoneVerdict]], due_soon: list[tuple[TaskVerdict, MilestoneVerdict]]) -> "LaggingView":
        return tuple.__new__(cls, (year, as_of, items, stale, stale_quarter, never_reported, overdue, due_soon))


class TaskView(Record):
    __slots__ = ()
    _fields = ("year", "as_of", "verdict", "parent", "history", "total_entries")

    year: int
    as_of: datetime.date
    verdict: TaskVerdict
    parent: Task | None
    history: list[Entry]
    total_entries: int

    def __new__(cls, year: int, as_of: datetime.date, verdict: TaskVerdict, parent: Task | None, history: list[Entry], total_entries: int) -> "TaskView":
        return tuple.__new__(cls, (year, as_of, verdict, parent, history, total_entries))


def resolve_as_of(year: int, text: str | None, last_figure: datetime.date | None) -> datetime.date:
    """``--as-of`` parsed (a quarter is its last day), else the default as-of of the README."""
    now = today()
    if text is None:
        return progress.default_as_of(year, now, last_figure)
    d = parse_as_of(text, default_year=year)
    if d.year != year:
        raise BadInput(_("--as-of {date} is outside the plan year {year}; give a date in {year}").format(date=text, year=year))
    if d > now:
        raise BadInput(_("--as-of {date} is after today ({today}); nothing can be shown from the future").format(date=d.isoformat(), today=format_date(now)))
    return d


def check_owner(tasks: list[Task], owner: str | None, year: int) -> None:
    """A unit no task of the year names is a typo: say so, with the units there are."""
    if owner is None or any(owner in t.owners for t in tasks):
        return
    units = sorted({u for t in tasks for u in t.owners})
    known = "、".join(units[:12]) + ("…" if len(units) > 12 else "") if units else _("none yet (qdtrack plan set ID --owner UNIT)")
    raise BadInput(_("no task of {year} names the unit {unit}; units: {units}").format(year=year, unit=owner, units=known))


def scope(ledger: Ledger, year: int | None, as_of: str | None, area: int | None = None, owner: str | None = None,
          task: str | None = None) -> Scope:  # fmt: skip
    """The year, the as-of date, the plan (read once; with ``owner``, that unit's tasks) and the facts at
    that date: of every task, or only of ``area``'s tasks, or of the one ``task`` (its ID) a view shows."""
    y = ledger.resolve_year(year, today())
    last = ledger.last_figure_date(y) if as_of is None else None
    when = resolve_as_of(y, as_of, last)
    areas = ledger.areas(y)
    if area is not None and area not in {a.no for a in areas}:
        nos = [a.no for a in areas]
        raise BadInput(_("no area {area} in {year}; areas are {first}-{last} (qdtrack areas lists them)").format(area=area, year=y, first=min(nos), last=max(nos)))
    ended = last_ended_quarter(when)
    since = ended.start if ended else None
    if task is None:  # facts before the plan: 1% fewer instructions in all (SQLite's page cache)
        facts = ledger.facts(y, when, since, area=area)
        tasks = ledger.plan(y)
    else:
        tasks = ledger.plan(y)
        facts = ledger.facts(y, when, since, task_id=find_task(tasks, task).id)
    check_owner(tasks, owner, y)
    if owner is not None:
        tasks = [t for t in tasks if owner in t.owners]
    return Scope(y, when, areas, tasks, facts)


def status(ledger: Ledger, year: int | None, as_of: str | None, *, area: int | None = None, item: str | None = None,
           listed: bool = False, owner: str | None = None, tolerance: float = 0.0) -> StatusView:  # fmt: skip
    s = scope(ledger, year, as_of, area, owner)
    chosen = select(s.tasks, area=area, listed=listed, item=item, owner=owner)
    verdicts = progress.judge_all(chosen, s.facts, s.year, tolerance)
    groups = [(a, vs) for a, vs in by_area(s.areas, verdicts) if vs]
    return StatusView(s.year, s.as_of, groups)


def areas(ledger: Ledger, year: int | None, as_of: str | None) -> StatusView:
    s = scope(ledger, year, as_of)
    verdicts = progress.judge_all(select(s.tasks), s.facts, s.year)
    return StatusView(s.year, s.as_of, by_area(s.areas, verdicts))


def lagging_of(s: Scope, verdicts: list[TaskVerdict], due_within: int | None = None) -> LaggingView:
    ended = last_ended_quarter(s.as_of)
    soon = progress.due_within(verdicts, s.as_of, due_within) if due_within is not None else []
    return LaggingView(
        s.year, s.as_of, progress.lagging(verdicts, s.as_of, s.year), progress.stale(verdicts, s.facts),
        str(ended) if ended else None, progress.never_reported(verdicts, s.as_of, s.year),
        progress.overdue(verdicts), soon,
    )  # fmt: skip


def lagging(ledger: Ledger, year: int | None, as_of: str | None, *, area: int | None = None, owner: str | None = None,
            tolerance: float = 0.0, due_within: int | None = None) -> LaggingView:  # fmt: skip
    s = scope(ledger, year, as_of, area, owner)
    verdicts = progress.judge_all(select(s.tasks, area=area, owner=owner), s.facts, s.year, tolerance)
    return lagging_of(s, verdicts, due_within)


def show(ledger: Ledger, ref: str, year: int | None, *, limit: int | None = 20) -> TaskView:
    s = scope(ledger, year, None, task=ref)
    task = find_task(s.tasks, ref)
    verdict = progress.judge_task(task, s.facts, s.year)
    parent = next((t for t in s.tasks if t.ref == task.parent_ref), None) if task.parent_ref else None
    return TaskView(s.year, s.as_of, verdict, parent, ledger.history(task.id, limit), ledger.count_history(task.id))
