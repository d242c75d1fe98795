"""The domain: frozen record types every layer shares, and the few pure helpers on them.

The ledger returns these types; progress judges them; render shows them. Nothing
here reads the ledger, computes a status or prints.
"""

import datetime
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .errors import BadInput, NotFound
from .i18n import _

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


class Area(NamedTuple):
    no: int
    title: str


class Metric(NamedTuple):
    id: int
    task_id: int
    pos: int
    name: str
    target: float
    unit: str
    comparator: str
    kind: str
    target_text: str
    baseline: float | None = None

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


class Milestone(NamedTuple):
    id: int
    task_id: int
    n: int
    due: datetime.date
    text: str
    done_on: datetime.date | None = None

    def late_at(self, as_of: datetime.date) -> bool:
        """Done after its due date (as seen at ``as_of``)."""
        return self.done_on is not None and self.done_on <= as_of and self.done_on > self.due


class Task(NamedTuple):
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
    metrics: tuple[Metric, ...] = ()
    parts: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()

    @property
    def title(self) -> str:
        return self.listed_text if self.listed_text is not None else (self.text or "")

    @property
    def listed(self) -> bool:
        return self.listed_no is not None


class Entry(NamedTuple):
    """One row of history: a figure, a note or a status, true as of a date."""

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
    void_reason: str | None = None
    voided_by: str | None = None
    voided_at: str | None = None

    @property
    def voided(self) -> bool:
        return self.void_reason is not None


class PlanChange(NamedTuple):
    """A change to the plan itself (a baseline, a milestone): who, when, from what to what."""

    id: int
    recorded_at: str
    recorded_by: str
    source: str
    item: str | None
    metric: str | None
    field: str
    old: str | None
    new: str | None


class ReportRun(NamedTuple):
    """A report written to a file, so the next one to that output lists what changed since."""

    id: int
    generated_at: str
    year: int
    as_of: str
    format: str
    output: str | None
    last_update_id: int


class Figure(NamedTuple):
    """A metric's figure in force: its value and the date it is true at."""

    metric_id: int
    value: float
    as_of: datetime.date
    quarter: str
    entry_id: int


class Note(NamedTuple):
    task_id: int
    text: str
    quarter: str
    as_of: datetime.date


class Facts(NamedTuple):
    """What the ledger says at one date: per metric its figure, per task its note and mark."""

    as_of: datetime.date
    figures: dict[int, Figure]
    notes: dict[int, Note]
    marks: dict[int, str]
    reported: frozenset[int]  # tasks with an entry for the last ended quarter or later


class MetricVerdict(NamedTuple):
    metric: Metric
    actual: float | None
    percent: float | None
    expected_percent: float | None
    status: str
    figure: Figure | None
    judged_at: datetime.date

    @property
    def points_vs_target(self) -> float | None:
        """Rates: the figure against the target, in percentage points (actual - target)."""
        if not self.metric.is_rate or self.actual is None:
            return None
        return self.actual - self.metric.target

    @property
    def gap(self) -> float | None:
        """Points behind pace (positive when behind)."""
        if self.percent is None or self.expected_percent is None:
            return None
        return self.expected_percent - self.percent


class MilestoneVerdict(NamedTuple):
    milestone: Milestone
    status: str  # done (on time), late (done after due), overdue, ahead (done early), pending
    days_overdue: int | None = None


class TaskVerdict(NamedTuple):
    task: Task
    metrics: tuple[MetricVerdict, ...]
    status: str
    note: Note | None
    milestones: tuple[MilestoneVerdict, ...] = ()


class LagRow(NamedTuple):
    """A metric behind pace: how far, and what each remaining quarter needs."""

    task: TaskVerdict
    metric: MetricVerdict
    gap: float
    shortfall: float | None
    per_quarter: float | None


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
