"""What each write command does: one call, one write transaction, the rules checked inside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from . import progress, recording
from .errors import BadInput
from .i18n import _, format_date
from .ledger import Ledger
from .model import Entry, Metric, Milestone, Task, TaskVerdict, find_task
from .periods import Quarter, now_iso, parse_as_of, today
from .quantity import parse_quantity
from .texts import kind_word
from .views import resolve_as_of


@dataclass(frozen=True)
class Recorded:
    """What ``update`` recorded and what the task looks like now."""

    entry_id: int
    quarter: Quarter
    as_of: datetime.date
    verdict: TaskVerdict
    view_as_of: datetime.date
    hint: Quarter | None


def _verdict(ledger: Ledger, year: int, task: Task) -> tuple[TaskVerdict, datetime.date]:
    """The task as the views now show it (an entry changes its facts, never the plan read before)."""
    when = resolve_as_of(year, None, ledger.last_figure_date(year))
    return progress.judge_task(task, ledger.facts(year, when, task_id=task.id), year), when


def update(ledger: Ledger, change: recording.Change, year: int | None) -> Recorded:
    """Record a figure, note or status; the rules run inside the write transaction."""
    y = ledger.resolve_year(ledger.year_for(year, change.quarter, change.on), today())
    with ledger.write():  # the plan is read inside too: a plan edit racing this one is seen or waits
        task = find_task(ledger.plan(y), change.ref)
        planned = recording.plan_entry(task, y, change, today(), ledger)
        entry_id = ledger.insert_entry(planned.row)
        hint = recording.late_return_hint(planned, ledger)
    verdict, when = _verdict(ledger, y, task)
    return Recorded(entry_id, planned.quarter, planned.as_of, verdict, when, hint)


def void(ledger: Ledger, entry_id: int, reason: str, by: str | None, source: str) -> Entry:
    """Withdraw an entry: history keeps both; views ignore it."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise BadInput(_("--reason is empty; say why the entry is withdrawn"))
    with ledger.write():
        entry = ledger.entry(entry_id)
        if entry.voided:
            raise BadInput(_("entry #{entry} was already withdrawn by {by}: {reason}").format(entry=entry_id, by=entry.voided_by, reason=entry.void_reason))
        ledger.insert_void(entry_id, reason, now_iso(), recording.who(by), source)
    return ledger.entry(entry_id)


def _metric(task: Task, metric: str | None) -> Metric:
    return recording.choose_metric(task, metric, None)


def set_baseline(ledger: Ledger, ref: str, metric: str | None, value: str, year: int | None, by: str | None,
                 source: str) -> tuple[Task, Metric, float]:  # fmt: skip
    """``plan set --baseline``: the level at the start of the year, by the quantity rules of update."""
    y = ledger.resolve_year(year, today())
    with ledger.write():  # the target, kind and old baseline decided on are the ones in force
        task = find_task(ledger.plan(y), ref)
        m = _metric(task, metric)
        amount = _baseline(m, value)
        ledger.set_baseline(y, m, amount, now_iso(), recording.who(by), source)
    return task, m, amount


def _baseline(m: Metric, value: str) -> float:
    if m.kind != "level":
        raise BadInput(_("{metric} is a {kind} target; a baseline applies to level targets (达到, 稳定在 …)").format(metric=m.name, kind=kind_word(m.kind)))
    parsed = parse_quantity(value)
    amount = recording.figure(parsed, value, m, "--baseline")
    if amount >= m.target:
        raise BadInput(
            _("--baseline {value} is not below the target {target}; the baseline is the level on 1 January").format(value=value, target=m.target_text)
        )
    return amount


def parse_due(text: str, year: int) -> datetime.date:
    """A milestone's due date: a date, or 6月底前 / 6月15日前 / 年底前 in the plan year."""
    from .milestones import parse_due_words

    found = parse_due_words(text, year)
    due = found if found is not None else parse_as_of(text, default_year=year)
    if due.year != year:
        raise BadInput(_("due date {date} is outside the plan year {year}; give a date in {year}").format(date=format_date(due), year=year))
    return due


def add_milestone(ledger: Ledger, ref: str, due: str, text: str, year: int | None, by: str | None, source: str) -> tuple[Task, int, datetime.date]:
    y = ledger.resolve_year(year, today())
    day = parse_due(due, y)
    words = " ".join((text or "").split())
    if not words:
        raise BadInput(_("the milestone's TEXT is empty; say what is due, e.g. 完成方案编制"))
    with ledger.write():
        task = find_task(ledger.plan(y), ref)
        _milestones_allowed(task)
        n = ledger.add_milestone(task, day, words, now_iso(), recording.who(by), source)
    return task, n, day


def _milestones_allowed(task: Task) -> None:
    if task.covered_by_parts:
        raise BadInput(
            _("bullet {bullet} is tracked through its listed items {parts}; add milestones to those").format(bullet=task.bullet, parts=", ".join(task.parts))
        )


def _milestone(task: Task, n: int) -> Milestone:
    for m in task.milestones:
        if m.n == n:
            return m
    numbers = ", ".join(str(m.n) for m in task.milestones) or _("none")
    raise BadInput(_("item {ref} has no milestone {n}; its milestones are: {numbers} (qdtrack show {ref})").format(ref=task.ref, n=n, numbers=numbers))


def remove_milestone(ledger: Ledger, ref: str, n: int, year: int | None, by: str | None, source: str) -> Milestone:
    y = ledger.resolve_year(year, today())
    with ledger.write():  # "not done" is decided on what is in force when the lock is held
        task = find_task(ledger.plan(y), ref)
        m = _milestone(task, n)
        if m.done_on is not None:
            raise BadInput(_("milestone {n} of item {ref} is already reported done; a done milestone stays in the plan").format(n=n, ref=task.ref))
        ledger.remove_milestone(task, m, now_iso(), recording.who(by), source)
    return m


def milestone_done(ledger: Ledger, ref: str, n: int, quarter: str | None, on: str | None, note: str | None,
                   year: int | None, by: str | None, source: str) -> tuple[Task, Milestone, datetime.date]:  # fmt: skip
    """``update ID --milestone N --done``: done as of a day, the quarter's end or today."""
    y = ledger.resolve_year(ledger.year_for(year, quarter, on), today())
    q, day = recording.entry_date(quarter, on, y, today())
    done_on = day or q.end
    with ledger.write():  # done, removed or not, as in force when the lock is held
        task = find_task(ledger.plan(y), ref)
        m = _milestone(task, n)
        if m.done_on is not None:
            raise BadInput(_("milestone {n} of item {ref} was already reported done on {date}").format(n=n, ref=task.ref, date=format_date(m.done_on)))
        ledger.milestone_done(m, done_on, note, now_iso(), recording.who(by), source)
    return task, m, done_on

