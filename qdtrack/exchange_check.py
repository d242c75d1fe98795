"""Checking import rows: each row by the rules of ``qdtrack update`` (``recording.plan_entry``),
against the ledger and the rows above it, with a running state per metric instead of a query
per row (issue 14). Pure of SQL: the ledger is read once per metric touched."""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from . import recording, rules
from .errors import BadInput
from .i18n import _
from .ledger import Ledger
from .model import Figure, Task, find_task
from .periods import Quarter
from .quantity import Quantity, QuantityError, canonical_unit, parse_quantity
from .texts import column_label
from .uids import entry_key, uid_of

OPTION = re.compile(r"--([a-z]+)\b")
COLUMN_OF = {"correct": "correction", "on": "as_of", "add": "increment"}
TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
FALSE = {"0", "false", "no", "n", "否"}
HEX64 = re.compile(r"^[0-9a-f]{64}$")
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")  # a number without a unit: nothing to parse
#: ASCII digits (at most 15 before the point, 17 in all: below 10^15, exact as a float's repr) and what follows.
PLAIN_FIGURE = re.compile(r"(-?[0-9]{1,15}(?:\.[0-9]+)?)(.*)\Z", re.DOTALL)
MAX_PLAIN_DIGITS = 17  # parse_quantity's MAX_SIGNIFICANT_DIGITS: more are read (and refused) by it
_canonical = functools.lru_cache(maxsize=256)(canonical_unit)
T = TypeVar("T")


class RowError(BadInput):
    """A bad row of an import file: its row number and column are data, not parsed text."""

    def __init__(self, file: str, row: int, column: str, message: str) -> None:
        self.file, self.row, self.column = file, row, column
        words = message.replace(_("add --correct"), _("set the correction column to 1"))
        words = OPTION.sub(lambda m: _("the {column} column").format(column=column_label(COLUMN_OF.get(m.group(1), m.group(1)))), words)
        super().__init__(_("{file} row {row}, column {column}: {problem}; nothing was recorded").format(
            file=file, row=row, column=column_label(column), problem=words))  # fmt: skip


class Imported(NamedTuple):
    row: int
    task: Task
    entry: dict[str, Any]
    withdrawn: tuple[str, str, str, str] | None = None  # (reason, at, by, source) when it arrives withdrawn


class Running:
    """Per metric, the figures in force (ledger's and the rows checked so far), by date then order:
    answers ``recording.FigureLookup`` without a query per row. A metric's figures are read from
    the ledger the first time one of its rows is checked (``touch``), before any of them is written."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.figures: dict[int, list[tuple[str, int, float, str]]] = {}
        self.added = 0
        self._texts: dict[str, str] = {}  # one copy of each date and quarter text held

    def _of(self, metric_id: int) -> list[tuple[str, int, float, str]]:
        found = self.figures.get(metric_id)
        if found is None:
            found = self.figures[metric_id] = [(a, i, v, q) for a, i, v, q in self.ledger.figures_of(metric_id)]
        return found

    touch = _of

    def figure_before(self, metric_id: int, as_of: datetime.date, *, strictly: bool = False) -> Figure | None:
        figures, day = self._of(metric_id), as_of.isoformat()
        if figures and (figures[-1][0] < day if strictly else figures[-1][0] <= day):
            i = len(figures)  # a row dated after every figure (the usual file): no search
        else:
            i = bisect.bisect_left(figures, (day,)) if strictly else bisect.bisect_right(figures, (day, 2**63))
        if i == 0:
            return None
        a, n, v, q = figures[i - 1]
        return Figure(metric_id, v, datetime.date.fromisoformat(a), q, n)

    def lowest_after(self, metric_id: int, as_of: datetime.date) -> Figure | None:
        figures, day = self._of(metric_id), as_of.isoformat()
        if not figures or figures[-1][0] <= day:
            return None  # nothing dated after it
        later = figures[bisect.bisect_right(figures, (day, 2**63)) :]
        if not later:
            return None
        a, n, v, q = min(later, key=lambda f: (f[2], f[0]))
        return Figure(metric_id, v, datetime.date.fromisoformat(a), q, n)

    def add(self, metric_id: int, as_of: str, value: float, quarter: str) -> None:
        self.added += 1
        as_of, quarter = self._texts.setdefault(as_of, as_of), self._texts.setdefault(quarter, quarter)
        figures = self._of(metric_id)
        figure = (as_of, 2**62 + self.added, value, quarter)
        if not figures or figures[-1] < figure:
            figures.append(figure)  # rows in date order (the usual file): no search
        else:
            bisect.insort(figures, figure)


class Memo:
    """``recording.Parsing`` remembered for one import: a date written once is read once, and a
    plain number in a plain unit ("0.8001%", "12条", "7") is read without ``parse_quantity``, as it
    would read it: the unit's own reading (of "1%") is remembered, the number is ``float(digits)``."""

    def __init__(self) -> None:
        self._units: dict[str, Quantity | None] = {}
        self._dates: dict[tuple[str | None, str | None, int, datetime.date], tuple[Quarter, datetime.date | None]] = {}

    def quantity(self, text: str) -> Quantity:
        m = PLAIN_FIGURE.match(text)
        digits = m.group(1) if m is not None else ""
        if m is not None and len(digits) - (digits[0] == "-") - ("." in digits) <= MAX_PLAIN_DIGITS:
            suffix = m.group(2)
            unit = self._units[suffix] if suffix in self._units else self._unit(suffix)
            if unit is not None:
                return Quantity(float(digits), unit.unit, text=text)
        return parse_quantity(text)

    def _unit(self, suffix: str) -> Quantity | None:
        """How "1" + ``suffix`` reads when that is exactly 1 in ``suffix`` as its canonical unit (or no unit)."""
        try:
            q = parse_quantity("1" + suffix)
        except QuantityError:
            q = None
        plain = q is not None and q == Quantity(1.0, suffix or None, text="1" + suffix)
        found = self._units[suffix] = q if plain else None
        return found

    def dates(self, quarter: str | None, on: str | None, year: int, today: datetime.date) -> tuple[Quarter, datetime.date | None]:
        key = (quarter, on, year, today)
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = recording.entry_date(quarter, on, year, today)
        return found


@dataclass
class Context:
    """What every row of one import shares."""

    ledger: Ledger
    tasks: list[Task]
    year: int
    file: str
    by: str
    now: datetime.date
    at: str
    running: Running
    taken: set[str]
    refs: dict[str, Task] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)  # how far each uid key got (uids.uid_of)
    memo: Memo = field(default_factory=Memo)

    def task(self, n: int, ref: str) -> Task:
        found = self.refs.get(ref)
        if found is None:
            found = self.refs[ref] = at(self.file, n, "id", lambda: find_task(self.tasks, ref))
        return found


def flag(text: str | None) -> bool:
    if text is None:
        return False
    t = text.strip().lower()
    if t in TRUE or t in FALSE:
        return t in TRUE
    raise BadInput(_("{text!r} is not 1 or 0 (yes or no)").format(text=text))


def at(file: str, n: int, column: str, check: Callable[[], T]) -> T:
    """Run one check of a row; its failure names the row and this column."""
    try:
        return check()
    except BadInput as e:
        raise RowError(file, n, column, str(e)) from None


def with_unit(file: str, n: int, value: str | None, unit: str | None) -> str | None:
    """The value with the row's unit column added when written without one ("7" + "条")."""
    if value is None or not unit or not unit.strip():
        return value
    try:
        written = None if PLAIN_NUMBER.match(value) else parse_quantity(value).unit
    except QuantityError:
        return value  # the value column reports it
    try:
        wanted = _canonical(unit.strip())
    except BadInput as e:
        raise RowError(file, n, "unit", str(e)) from None
    if written is None:
        return value + unit.strip()
    if written != wanted:
        why = _("the value {value} is in {written} but the unit column says {unit}; make them agree").format(value=value, written=written, unit=unit)  # fmt: skip
        raise RowError(file, n, "unit", why)
    return value


def _origin(ctx: Context, n: int, v: dict[str, str | None]) -> tuple[str, str, str, bool]:
    """(recorded_at, recorded_by, source, kept): an export's own columns, else the importer and now.

    A 填报单位 (reporter) column names who reported the row."""
    at_text, by_text = v.get("recorded_at"), v.get("recorded_by")
    if at_text and by_text:
        try:
            datetime.datetime.fromisoformat(at_text)
        except ValueError:
            raise RowError(ctx.file, n, "recorded_at", _("{text!r} is not a time as export writes it (2025-04-08T10:00:00+08:00)").format(text=at_text[:40])) from None  # fmt: skip
        who = at(ctx.file, n, "recorded_by", lambda: recording.who(by_text))
        return at_text, who, v.get("source") or f"import {ctx.file} row {n}", True
    reporter = v.get("reporter")
    who = at(ctx.file, n, "reporter", lambda: recording.who(reporter)) if reporter else ctx.by
    return ctx.at, who, f"import {ctx.file} row {n}", False


def _withdrawn(ctx: Context, n: int, v: dict[str, str | None]) -> tuple[str, str, str, str] | None:
    reason = v.get("withdrawn_reason")
    if not reason:
        return None
    when, by = v.get("withdrawn_at") or ctx.at, v.get("withdrawn_by") or ctx.by
    return reason, when, by, v.get("withdrawn_source") or f"import {ctx.file} row {n}"


def _precheck(ctx: Context, n: int, task: Task, change: recording.Change) -> None:
    """The checks ``plan_entry`` makes, run first so a failure names its column."""
    at(ctx.file, n, "quarter", lambda: recording.entry_date(change.quarter, change.on, ctx.year, ctx.now))
    text, column = (change.value, "value") if change.value is not None else (change.add, "increment")
    if text is not None:
        parsed = at(ctx.file, n, column, lambda: parse_quantity(text))
        metric = at(ctx.file, n, "metric", lambda: recording.choose_metric(task, change.metric, parsed.unit))
        at(ctx.file, n, column, lambda: recording.figure(parsed, text, metric, column))
    if change.note is not None:
        problem = rules.note_problem(change.note)
        if problem:
            raise RowError(ctx.file, n, "note", problem.replace("--note", _("the note")))


def _required(ctx: Context, n: int, v: dict[str, str | None]) -> None:
    if not v.get("id"):
        raise RowError(ctx.file, n, "id", _("empty; give the task's listed number (1-44) or bullet ID"))
    if not v.get("quarter") and not v.get("as_of"):
        raise RowError(ctx.file, n, "quarter", _("empty; give the quarter the figure is for, e.g. {year}Q2").format(year=ctx.year))
    if v.get("value") is None and v.get("increment") is None and v.get("note") is None and v.get("status") is None and v.get("milestones") is None:  # fmt: skip
        raise RowError(ctx.file, n, "value", _("nothing to record: give a value, a note or a status"))
    if v.get("metric") is not None and v.get("value") is None and v.get("increment") is None:
        raise RowError(ctx.file, n, "metric", _("a metric needs a value to go with it"))
    if v.get("value") is not None and v.get("increment") is not None:
        raise RowError(ctx.file, n, "increment", _("give either the value (year to date) or the increment (this quarter), not both"))


def _uid(ctx: Context, n: int, v: dict[str, str | None], key: str, kept: bool) -> str:
    given = v.get("uid")
    if given:
        if not HEX64.match(given):
            raise RowError(ctx.file, n, "uid", _("not an entry identity as export writes it (64 hex digits)"))
        return given
    return uid_of(key) if kept else uid_of(key, ctx.taken, ctx.seen)


def known_uid(ctx: Context, v: dict[str, str | None]) -> bool:
    """Whether the row carries the uid of an entry the ledger (or a row above) already has."""
    given = v.get("uid")
    return bool(given) and given in ctx.taken


def check_row(ctx: Context, n: int, v: dict[str, str | None]) -> Imported | None:
    """The entry a row records (``entry`` empty when it only carries milestones); None when the
    ledger already has it (same uid)."""
    _required(ctx, n, v)
    task = ctx.task(n, v["id"] or "")
    recorded_at, recorded_by, source, kept = _origin(ctx, n, v)
    if v.get("value") is None and v.get("increment") is None and v.get("note") is None and v.get("status") is None:
        return Imported(n, task, {})
    withdrawn = _withdrawn(ctx, n, v)
    value, on = with_unit(ctx.file, n, v.get("value"), v.get("unit")), v.get("as_of")
    correct = v.get("correction") is not None and at(ctx.file, n, "correction", lambda: flag(v.get("correction")))
    change = recording.Change(
        ref=v["id"] or "", value=value, add=with_unit(ctx.file, n, v.get("increment"), v.get("unit")),
        metric=v.get("metric") if value is not None or v.get("increment") is not None else None,
        quarter=v.get("quarter") if not on else None, on=on, note=v.get("note"), status=v.get("status"),
        correct=correct or withdrawn is not None, by=recorded_by, source=source,
    )  # fmt: skip
    try:
        planned = recording.plan_entry(task, ctx.year, change, ctx.now, ctx.running, ctx.memo, recorded_at)
    except BadInput as e:
        _precheck(ctx, n, task, change)  # names the column when one of its checks fails
        column = "status" if change.status else ("value" if change.add is None else "increment")
        raise RowError(ctx.file, n, column, str(e)) from None
    row = planned.row
    row["correction"] = 1 if correct else 0
    m, as_of = planned.metric, planned.as_of.isoformat()
    key = entry_key(task.ref, m.name if m else None, as_of, row["value"], row["note"],
                    row["status"], bool(correct), recorded_by, recorded_at)  # fmt: skip
    row["uid"] = _uid(ctx, n, v, key, kept)
    if row["uid"] in ctx.taken:
        return None
    ctx.taken.add(row["uid"])
    if m is not None:
        ctx.running.touch(m.id)  # read from the ledger before this row's batch is written
        if withdrawn is None:
            ctx.running.add(m.id, as_of, row["value"], row["quarter"])
    return Imported(n, task, row, withdrawn)
