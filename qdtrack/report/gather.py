"""Gathering: everything the report shows, read from the ledger (through ``Ledger`` methods only) into a ``Report``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..periods import quarter_of
from ..progress import TaskVerdict, judge_all, lagging, stale

if TYPE_CHECKING:
    from ..ledger import Ledger

#: A ledger row (task, metric, area, update, report run): a dict today, a frozen dataclass soon.
Row = Any


def attr(row: Row, name: str) -> Any:
    """One field of a ledger row, whether the row is a dict or an object: the one place that knows which."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


@dataclass
class Report:
    year: int
    as_of: datetime.date
    generated_at: str
    groups: list[tuple[Row, list[TaskVerdict]]]  # (area, its tasks' verdicts), in area order
    lagging: list[dict[str, Any]]  # progress.lagging rows
    stale: list[TaskVerdict]
    changes: list[Row]  # update rows (Ledger.updates_since) since the previous report run
    previous_run: Row | None
    last_update_id: int
    names: dict[int, Row] = field(default_factory=dict)  # metric id -> metric, for the changes

    @property
    def verdicts(self) -> list[TaskVerdict]:
        return [tv for _, vs in self.groups for tv in vs]

    @property
    def quarter(self) -> str:
        return str(quarter_of(self.as_of))

    @property
    def any_lagging(self) -> bool:
        return any(tv.status == "lagging" for tv in self.verdicts) or bool(self.lagging)


def build(ledger: Ledger, year: int, as_of: datetime.date, tolerance: float = 0.0) -> Report:
    """Everything the report shows, read from the ledger in one go."""
    from ..ledger import now_iso

    # read the high-water mark first: an update landing while we read is then
    # shown again by the next report rather than never
    last_id = ledger.last_update_id()
    previous = ledger.last_report_run(year)
    tasks = ledger.plan(year)
    shown = [t for t in tasks if not attr(t, "covered_by_parts")]
    verdicts = judge_all(shown, as_of, year, tolerance)
    by_area: dict[Any, list[TaskVerdict]] = {}
    for tv in verdicts:
        by_area.setdefault(attr(tv.task, "area_no"), []).append(tv)
    groups = [(a, by_area.get(attr(a, "no"), [])) for a in ledger.areas(year)]
    changes = []
    if previous is not None:
        since = attr(previous, "last_update_id")
        changes = [u for u in ledger.updates_since(year, since) if attr(u, "id") <= last_id]
    names = {attr(m, "id"): m for t in tasks for m in attr(t, "metrics")}
    return Report(
        year=year,
        as_of=as_of,
        generated_at=now_iso(),
        groups=groups,
        lagging=lagging(verdicts, as_of, year),
        stale=stale(verdicts, as_of),
        changes=changes,
        previous_run=previous,
        last_update_id=last_id,
        names=names,
    )
