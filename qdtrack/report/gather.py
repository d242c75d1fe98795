"""Gathering: everything the report shows, read from the ledger (through ``Ledger`` methods only) into a ``Report``."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import _
from ..model import Area, Entry, LagRow, MetricVerdict, MilestoneVerdict, ReportRun, TaskVerdict, by_area, select
from ..periods import now_iso, quarter_of, year_end
from ..progress import judge_all

if TYPE_CHECKING:
    from ..ledger import Ledger
    from ..views import Scope

#: Milestones due within this many days of the as-of date are listed as due soon.
DUE_SOON_DAYS = 30
#: The changes section lists this many of the newest entries and counts the rest.
CHANGES_SHOWN = 20

MilestoneRow = tuple[TaskVerdict, MilestoneVerdict]


@dataclass(frozen=True)
class QuarterFigure:
    """A metric's figure in force at the end of one ended quarter (a row of the ``progress`` view)."""

    metric_id: int
    quarter: int  # 1-4
    as_of: datetime.date  # the date the figure is true at
    actual: float


@dataclass(frozen=True)
class Changes:
    """The entries recorded since the previous report to the same output: how many, the newest
    ``CHANGES_SHOWN`` of them (all the documents list), and the rest read only when a format
    lists every one (JSON), so a report long after the previous one does not hold them all."""

    count: int = 0
    newest: list[Entry] = field(default_factory=list)  # newest first
    read_all: Callable[[], list[Entry]] | None = None  # every change, oldest first

    def all(self) -> list[Entry]:
        """Every change, oldest first."""
        if len(self.newest) >= self.count or self.read_all is None:
            return list(reversed(self.newest))
        return self.read_all()


@dataclass
class Report:
    year: int
    as_of: datetime.date
    generated_at: str
    groups: list[tuple[Area, list[TaskVerdict]]]  # (area, its tasks' verdicts), in area order
    lagging: list[LagRow]  # metrics behind pace, furthest first
    stale: list[TaskVerdict]
    changes: Changes  # entries recorded since the previous report to the same output
    previous_run: ReportRun | None
    last_update_id: int
    stale_quarter: str | None = None  # the last ended quarter the stale rule looks at
    overdue: list[MilestoneRow] = field(default_factory=list)  # milestones not done after their due date
    due_soon: list[MilestoneRow] = field(default_factory=list)  # due within DUE_SOON_DAYS, not done
    never_reported: list[tuple[TaskVerdict, MetricVerdict]] = field(default_factory=list)
    quarters: dict[int, list[QuarterFigure]] = field(default_factory=dict)  # per metric id, Q1 first
    chain_head: str | None = None  # the history chain's head (Ledger.chain_head): pins the history read

    @property
    def history_pin(self) -> str:
        """"history 1a2b3c4d5e6f": the chain head's short form, printed so a report pins its history."""
        return _("history {head}").format(head=self.chain_head[:12]) if self.chain_head else ""

    @property
    def verdicts(self) -> list[TaskVerdict]:
        return [tv for _, vs in self.groups for tv in vs]

    @property
    def listed(self) -> list[TaskVerdict]:
        """The listed items (挂牌事项), in their published order."""
        return sorted((tv for tv in self.verdicts if tv.task.listed), key=lambda tv: tv.task.listed_no or 0)

    @property
    def quarter(self) -> str:
        return self.stale_quarter or str(quarter_of(self.as_of))

    @property
    def closing(self) -> bool:
        """As of 31 December or later the report is the year's closing account (全年完成情况)."""
        return self.as_of >= year_end(self.year)

    @property
    def shown_changes(self) -> list[Entry]:
        """The newest changes, newest first (the rest are only counted)."""
        return self.changes.newest[:CHANGES_SHOWN]

    @property
    def more_changes(self) -> int:
        return max(0, self.changes.count - CHANGES_SHOWN)

    @property
    def any_lagging(self) -> bool:
        return any(tv.status == "lagging" for tv in self.verdicts) or bool(self.lagging)


def build(ledger: Ledger, scope: Scope, tolerance: float = 0.0, output: str | None = None) -> Report:
    """Everything the report shows, from the plan and the facts at the scope's date.

    ``output`` is the --output template as written (before ``{date}`` is expanded): the
    changes are those since the last report written to it (or to any output when None).
    """
    from ..views import lagging_of

    # read the high-water mark first: an update landing while we read is then
    # shown again by the next report rather than never
    last_id = ledger.last_update_id()
    head = ledger.chain_head()
    previous = ledger.last_report_run(scope.year, output)
    verdicts = judge_all(select(scope.tasks), scope.facts, scope.year, tolerance)
    behind = lagging_of(scope, verdicts, DUE_SOON_DAYS)
    changes = _changes(ledger, scope.year, previous.last_update_id, last_id) if previous is not None else Changes()
    return Report(
        year=scope.year,
        as_of=scope.as_of,
        generated_at=now_iso(),
        groups=by_area(scope.areas, verdicts),
        lagging=behind.items,
        stale=behind.stale,
        changes=changes,
        previous_run=previous,
        last_update_id=last_id,
        stale_quarter=behind.stale_quarter,
        overdue=behind.overdue,
        due_soon=behind.due_soon,
        never_reported=behind.never_reported,
        quarters=_quarters(ledger, scope),
        chain_head=head,
    )


def _changes(ledger: Ledger, year: int, after: int, upto: int) -> Changes:
    """The year's entries numbered after ``after`` up to ``upto``: the newest read, the rest counted
    (each a walk of that id range only, whatever the size of the history)."""
    newest = ledger.changes(year, after, upto, newest=CHANGES_SHOWN)
    count = len(newest) if len(newest) < CHANGES_SHOWN else ledger.count_changes(year, after, upto)
    return Changes(count, newest[::-1], functools.partial(ledger.changes, year, after, upto))


def _quarters(ledger: Ledger, scope: Scope) -> dict[int, list[QuarterFigure]]:
    """Per metric, its figure at the end of each quarter ended by the as-of date."""
    out: dict[int, list[QuarterFigure]] = {}
    for metric_id, q, as_of, actual in ledger.quarter_figures(scope.year, scope.as_of):
        out.setdefault(metric_id, []).append(QuarterFigure(metric_id, q, as_of, actual))
    return out
