"""The domain: frozen records (``record.Record``) every layer shares, and the few pure helpers on them.

The ledger returns these types; progress judges them; render shows them. Nothing
here reads the ledger, computes a status or prints.
"""

import datetime
import unicodedata
from collections.abc import Iterable, Sequence

from .errors import BadInput, NotFound
from .i18n import _
from .record import Record

#: Percentages, points and goals are rounded to this many decimals before a status compares them:
#: binary floats make 0.3 / 0.4 * 100 74.99999999999999 and 4.4 - 3.9 0.5000000000000004, and a
#: figure exactly on pace, at 90% of a 左右 amount or 0.5 point off a 左右 rate must get the
#: status the README gives it (tests/test_progress_boundaries.py).
PLACES = 9


def exact_sum(a: float, b: float) -> float:
    """``a + b`` as the figures are written in decimals: 4.2 + 0.4 is 4.6, not 4.6000000000000005."""
    from decimal import Decimal  # not at import: status --format json never loads decimal

    return float(Decimal(repr(a)) + Decimal(repr(b)))

#: Every status, worst first: a task's status is its worst metric's (or milestone's).
STATUSES = ("lagging", "no_data", "not_judged", "on_track", "ahead", "done")
#: The statuses a person may set by hand on a task without numeric targets.
SETTABLE = ("done", "ahead", "on_track", "lagging")
#: Metric kinds whose year-to-date figure never falls without ``--correct``.
NON_DECREASING = ("cumulative", "total")
KINDS = ("cumulative", "level", "rate", "total")
COMPARATORS = ("at_least", "about", "reach", "at_most", "plain")


def worst(statuses: Iterable[str]) -> str:
    """The worst of some statuses (``no_data`` for none)."""
    found = list(statuses)
    return min(found, key=STATUSES.index) if found else "no_data"


class Area(Record):
    __slots__ = ()
    _fields = ("no", "title")

    no: int
    title: str

    def __new__(cls, no: int, title: str) -> "Area":
        return tuple.__new__(cls, (no, title))


class Metric(Record):
    __slots__ = ()
    _fields = ("id", "task_id", "pos", "name", "target", "unit", "comparator", "kind", "target_text", "baseline")

    id: int
    task_id: int
    pos: int
    name: str
    target: float
    unit: str
    comparator: str
    kind: str
    target_text: str
    baseline: float | None

    def __new__(cls, id: int, task_id: int, pos: int, name: str, target: float, unit: str, comparator: str, kind: str, target_text: str, baseline: float | None = None) -> "Metric":
        return tuple.__new__(cls, (id, task_id, pos, name, target, unit, comparator, kind, target_text, baseline))

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def is_ceiling(self) -> bool:
        return self.comparator == "at_most"

    @property
    def is_reduction(self) -> bool:
        """A 下降X% target: the figure is the reduction achieved."""
        return self.is_rate and "下降" in self.target_text and not self.is_ceiling

    @property
    def multiplied(self) -> bool:
        """The target is written with 万 or 亿 (1000万平方米, 2450亿元)."""
        return "万" in self.target_text or "亿" in self.target_text


class Milestone(Record):
    __slots__ = ()
    _fields = ("id", "task_id", "n", "due", "text", "done_on")

    id: int
    task_id: int
    n: int
    due: datetime.date
    text: str
    done_on: datetime.date | None

    def __new__(cls, id: int, task_id: int, n: int, due: datetime.date, text: str, done_on: datetime.date | None = None) -> "Milestone":
        return tuple.__new__(cls, (id, task_id, n, due, text, done_on))

    def late_at(self, as_of: datetime.date) -> bool:
        """Done after its due date (as seen at ``as_of``)."""
        return self.done_on is not None and self.done_on <= as_of and self.done_on > self.due


class Task(Record):
    __slots__ = ()
    _fields = ("id", "year", "area_no", "ref", "area_title", "section_title", "seq", "bullet", "listed_no", "text", "listed_text", "parent_ref", "covered_by_parts", "metrics", "parts", "owners", "milestones")

    id: int
    year: int
    area_no: int
    ref: str  # the display ID: the listed number ("21") or the bullet ("9.2.4")
    area_title: str
    section_title: str | None
    seq: int
    bullet: str | None
    listed_no: int | None
    text: str | None
    listed_text: str | None
    parent_ref: str | None
    covered_by_parts: bool
    metrics: tuple[Metric, ...]
    parts: tuple[str, ...]
    owners: tuple[str, ...]
    milestones: tuple[Milestone, ...]

    def __new__(cls, id: int, year: int, area_no: int, ref: str, area_title: str, section_title: str | None, seq: int, bullet: str | None, listed_no: int | None, text: str | None, listed_text: str | None, parent_ref: str | None, covered_by_parts: bool, metrics: tuple[Metric, ...] = (), parts: tuple[str, ...] = (), owners: tuple[str, ...] = (), milestones: tuple[Milestone, ...] = ()) -> "Task":
        return tuple.__new__(cls, (id, year, area_no, ref, area_title, section_title, seq, bullet, listed_no, text, listed_text, parent_ref, covered_by_parts, metrics, parts, owners, milestones))

    @property
    def title(self) -> str:
        return self.listed_text if self.listed_text is not None else (self.text or "")

    @property
    def listed(self) -> bool:
        return self.listed_no is not None


class Entry(Record):
    """One row of history: a figure, a note or a status, true as of a date."""

    __slots__ = ()
    _fields = ("id", "task_id", "ref", "metric_id", "metric_name", "unit", "quarter", "as_of", "value", "note", "status", "correction", "recorded_at", "recorded_by", "source", "void_reason", "voided_by", "voided_at")

    id: int
    task_id: int
    ref: str
    metric_id: int | None
    metric_name: str | None
    unit: str | None
    quarter: str
    as_of: datetime.date
    value: float | None
    note: str | None
    status: str | None
    correction: bool
    recorded_at: str
    recorded_by: str
    source: str
    void_reason: str | None
    voided_by: str | None
    voided_at: str | None

    def __new__(cls, id: int, task_id: int, ref: str, metric_id: int | None, metric_name: str | None, unit: str | None, quarter: str, as_of: datetime.date, value: float | None, note: str | None, status: str | None, correction: bool, recorded_at: str, recorded_by: str, source: str, void_reason: str | None = None, voided_by: str | None = None, voided_at: str | None = None) -> "Entry":
        return tuple.__new__(cls, (id, task_id, ref, metric_id, metric_name, unit, quarter, as_of, value, note, status, correction, recorded_at, recorded_by, source, void_reason, voided_by, voided_at))

    @property
    def voided(self) -> bool:
        return self.void_reason is not None


class PlanChange(Record):
    """A change to the plan itself (a baseline, a milestone): who, when, from what to what."""

    __slots__ = ()
    _fields = ("id", "recorded_at", "recorded_by", "source", "item", "metric", "field", "old", "new")

    id: int
    recorded_at: str
    recorded_by: str
    source: str
    item: str | None
    metric: str | None
    field: str
    old: str | None
    new: str | None

    def __new__(cls, id: int, recorded_at: str, recorded_by: str, source: str, item: str | None, metric: str | None, field: str, old: str | None, new: str | None) -> "PlanChange":
        return tuple.__new__(cls, (id, recorded_at, recorded_by, source, item, metric, field, old, new))


class ReportRun(Record):
    """A report written to a file, so the next one to that output lists what changed since."""

    __slots__ = ()
    _fields = ("id", "generated_at", "year", "as_of", "format", "output", "last_update_id")

    id: int
    generated_at: str
    year: int
    as_of: str
    format: str
    output: str | None
    last_update_id: int

    def __new__(cls, id: int, generated_at: str, year: int, as_of: str, format: str, output: str | None, last_update_id: int) -> "ReportRun":
        return tuple.__new__(cls, (id, generated_at, year, as_of, format, output, last_update_id))


class Figure(Record):
    """A metric's figure in force: its value and the date it is true at."""

    __slots__ = ()
    _fields = ("metric_id", "value", "as_of", "quarter", "entry_id")

    metric_id: int
    value: float
    as_of: datetime.date
    quarter: str
    entry_id: int

    def __new__(cls, metric_id: int, value: float, as_of: datetime.date, quarter: str, entry_id: int) -> "Figure":
        return tuple.__new__(cls, (metric_id, value, as_of, quarter, entry_id))


class Note(Record):
    __slots__ = ()
    _fields = ("task_id", "text", "quarter", "as_of")

    task_id: int
    text: str
    quarter: str
    as_of: datetime.date

    def __new__(cls, task_id: int, text: str, quarter: str, as_of: datetime.date) -> "Note":
        return tuple.__new__(cls, (task_id, text, quarter, as_of))


class Facts(Record):
    """What the ledger says at one date: per metric its figure, per task its note and mark."""

    __slots__ = ()
    _fields = ("as_of", "figures", "notes", "marks", "reported")

    as_of: datetime.date
    figures: dict[int, Figure]
    notes: dict[int, Note]
    marks: dict[int, str]
    reported: frozenset[int]  # tasks with an entry for the last ended quarter or later

    def __new__(cls, as_of: datetime.date, figures: dict[int, Figure], notes: dict[int, Note], marks: dict[int, str], reported: frozenset[int]) -> "Facts":
        return tuple.__new__(cls, (as_of, figures, notes, marks, reported))


class MetricVerdict(Record):
    __slots__ = ()
    _fields = ("metric", "actual", "percent", "expected_percent", "status", "figure", "judged_at")

    metric: Metric
    actual: float | None
    percent: float | None
    expected_percent: float | None
    status: str
    figure: Figure | None
    judged_at: datetime.date

    def __new__(cls, metric: Metric, actual: float | None, percent: float | None, expected_percent: float | None, status: str, figure: Figure | None, judged_at: datetime.date) -> "MetricVerdict":
        return tuple.__new__(cls, (metric, actual, percent, expected_percent, status, figure, judged_at))

    @property
    def points_vs_target(self) -> float | None:
        """Rates: the figure against the target, in percentage points (actual - target)."""
        if not self.metric.is_rate or self.actual is None:
            return None
        return round(self.actual - self.metric.target, PLACES)  # 5.9 - 5.5 is 0.4, not 0.40000000000000036

    @property
    def gap(self) -> float | None:
        """Points behind pace (positive when behind)."""
        if self.percent is None or self.expected_percent is None:
            return None
        return round(self.expected_percent - self.percent, PLACES)


class MilestoneVerdict(Record):
    __slots__ = ()
    _fields = ("milestone", "status", "days_overdue")

    milestone: Milestone
    status: str  # done (on time), late (done after due), overdue, ahead (done early), pending
    days_overdue: int | None

    def __new__(cls, milestone: Milestone, status: str, days_overdue: int | None = None) -> "MilestoneVerdict":
        return tuple.__new__(cls, (milestone, status, days_overdue))


class TaskVerdict(Record):
    __slots__ = ()
    _fields = ("task", "metrics", "status", "note", "milestones")

    task: Task
    metrics: tuple[MetricVerdict, ...]
    status: str
    note: Note | None
    milestones: tuple[MilestoneVerdict, ...]

    def __new__(cls, task: Task, metrics: tuple[MetricVerdict, ...], status: str, note: Note | None, milestones: tuple[MilestoneVerdict, ...] = ()) -> "TaskVerdict":
        return tuple.__new__(cls, (task, metrics, status, note, milestones))


class LagRow(Record):
    """A metric behind pace: how far, and what each remaining quarter needs."""

    __slots__ = ()
    _fields = ("task", "metric", "gap", "shortfall", "per_quarter")

    task: TaskVerdict
    metric: MetricVerdict
    gap: float
    shortfall: float | None
    per_quarter: float | None

    def __new__(cls, task: TaskVerdict, metric: MetricVerdict, gap: float, shortfall: float | None, per_quarter: float | None) -> "LagRow":
        return tuple.__new__(cls, (task, metric, gap, shortfall, per_quarter))


# -- pure helpers on the plan ---------------------------------------------------------


def normalise_ref(ref: str) -> str:
    """An ID as typed: full-width digits and dots become ASCII, spaces go."""
    return unicodedata.normalize("NFKC", ref or "").strip().replace("。", ".")


def find_task(tasks: Sequence[Task], ref: str) -> Task:
    """The task whose listed number or bullet ID is ``ref`` ("21", "9.2.4", "３６")."""
    wanted = normalise_ref(ref)
    for t in tasks:
        if wanted == t.ref or (t.bullet is not None and wanted == t.bullet):
            return t
    if not wanted:
        raise BadInput(_("an empty ID; give a listed item number (1-44) or a bullet ID such as 9.2.4"))
    raise NotFound(
        _("no task '{ref}' in the ledger; give a listed item number (1-44) or a bullet ID such as 9.2.4 (qdtrack status lists them)").format(
            ref=wanted
        )
    )


def select(
    tasks: Sequence[Task],
    *,
    area: int | None = None,
    listed: bool = False,
    item: str | None = None,
    owner: str | None = None,
) -> list[Task]:
    """The tasks a view shows: listed parts instead of the bullets they cover, then the filters."""
    if item is not None:
        task = find_task(tasks, item)
        chosen = [task] if not task.covered_by_parts else [t for t in tasks if t.parent_ref == task.ref]
    else:
        chosen = [t for t in tasks if not t.covered_by_parts]
    if area is not None:
        chosen = [t for t in chosen if t.area_no == area]
    if listed:
        chosen = [t for t in chosen if t.listed]
    if owner is not None:
        chosen = [t for t in chosen if owner in t.owners]
    return chosen


def by_area(areas: Sequence[Area], verdicts: Iterable[TaskVerdict]) -> list[tuple[Area, list[TaskVerdict]]]:
    """Verdicts grouped under their areas, in the areas' order (empty areas kept)."""
    groups: dict[int, list[TaskVerdict]] = {a.no: [] for a in areas}
    for tv in verdicts:
        groups.setdefault(tv.task.area_no, []).append(tv)
    return [(a, groups[a.no]) for a in areas]


def counts(verdicts: Iterable[TaskVerdict]) -> dict[str, int]:
    """How many tasks have each status (every status present, in display order)."""
    out = dict.fromkeys(DISPLAY_ORDER, 0)
    for v in verdicts:
        out[v.status] += 1
    return out


#: The order statuses are listed in (best first), e.g. in summary lines and charts.
DISPLAY_ORDER = ("done", "ahead", "on_track", "lagging", "not_judged", "no_data")
