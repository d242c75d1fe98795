"""Gathering: everything the report shows, read from the ledger (through ``Ledger`` methods only) into a ``Report``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Area, Entry, LagRow, ReportRun, TaskVerdict, by_area, select
from ..periods import now_iso, quarter_of
from ..progress import judge_all, lagging, stale

if TYPE_CHECKING:
    from ..ledger import Ledger
    from ..views import Scope

@dataclass
class Report:
    year: int
    as_of: datetime.date
    generated_at: str
    groups: list[tuple[Area, list[TaskVerdict]]]  # (area, its tasks' verdicts), in area order
    lagging: list[LagRow]  # metrics behind pace, furthest first
    stale: list[TaskVerdict]
    changes: list[Entry]  # entries recorded since the previous report to the same output
    previous_run: ReportRun | None
    last_update_id: int

    @property
    def verdicts(self) -> list[TaskVerdict]:
        return [tv for _, vs in self.groups for tv in vs]

    @property
    def quarter(self) -> str:
        return str(quarter_of(self.as_of))

    @property
    def any_lagging(self) -> bool:
        return any(tv.status == "lagging" for tv in self.verdicts) or bool(self.lagging)


def build(ledger: Ledger, scope: Scope, tolerance: float = 0.0, output: str | None = None) -> Report:
    """Everything the report shows, from the plan and the facts at the scope's date."""
    # read the high-water mark first: an update landing while we read is then
    # shown again by the next report rather than never
    last_id = ledger.last_update_id()
    previous = ledger.last_report_run(scope.year, output)
    verdicts = judge_all(select(scope.tasks), scope.facts, scope.year, tolerance)
    changes = []
    if previous is not None:
        changes = ledger.updates_since(scope.year, previous.last_update_id, last_id)
    return Report(
        year=scope.year,
        as_of=scope.as_of,
        generated_at=now_iso(),
        groups=by_area(scope.areas, verdicts),
        lagging=lagging(verdicts, scope.as_of, scope.year),
        stale=stale(verdicts, scope.facts),
        changes=changes,
        previous_run=previous,
        last_update_id=last_id,
    )
