"""The ledger's writes: history rows, withdrawals and the plan's own changes (inside a write transaction)."""

from __future__ import annotations

import datetime
from typing import Any

from ..model import Metric, Milestone, Task
from .common import LedgerBase


class WritesMixin(LedgerBase):
    """Every insert and plan edit; the caller holds ``Ledger.write()``."""

    # -- writes --------------------------------------------------------------
    def insert_void(self, entry_id: int, reason: str, at: str, by: str, source: str) -> None:
        sql = "INSERT INTO voids (update_id, reason, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?)"
        self.conn.execute(sql, [entry_id, reason, at, by, source])

    def set_baseline(self, year: int, metric: Metric, value: float, at: str, by: str, source: str) -> None:
        self.conn.execute("UPDATE metrics SET baseline = ? WHERE id = ?", [value, metric.id])
        old = None if metric.baseline is None else repr(metric.baseline)
        self._plan_change(year, metric.task_id, metric.id, "baseline", old, repr(value), at, by, source)

    def _plan_change(self, year: int, task_id: int | None, metric_id: int | None, what: str, old: str | None, new: str | None, at: str, by: str, source: str) -> None:  # fmt: skip
        sql = "INSERT INTO plan_changes (year, task_id, metric_id, field, old, new, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        self.conn.execute(sql, [year, task_id, metric_id, what, old, new, at, by, source])

    def add_milestone(self, task: Task, due: datetime.date, text: str, at: str, by: str, source: str) -> int:
        n = int(self._all("SELECT coalesce(max(n), 0) + 1 FROM milestones WHERE task_id = ?", [task.id])[0][0])
        self.conn.execute(
            "INSERT INTO milestones (task_id, n, due, text) VALUES (?, ?, ?, ?)", [task.id, n, due.isoformat(), text]
        )
        self._plan_change(task.year, task.id, None, f"milestone {n}", None, f"{due.isoformat()} {text}", at, by, source)
        return n

    def remove_milestone(self, task: Task, milestone: Milestone, at: str, by: str, source: str) -> None:
        self.conn.execute("UPDATE milestones SET removed = 1 WHERE id = ?", [milestone.id])
        old = f"{milestone.due.isoformat()} {milestone.text}"
        self._plan_change(task.year, task.id, None, f"milestone {milestone.n}", old, None, at, by, source)

    def milestone_done(
        self, milestone: Milestone, done_on: datetime.date, note: str | None, at: str, by: str, source: str
    ) -> None:
        sql = "INSERT INTO milestone_done (milestone_id, done_on, note, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?)"
        self.conn.execute(sql, [milestone.id, done_on.isoformat(), note, at, by, source])

    def record_report_run(self, row: dict[str, Any]) -> None:
        cols = ("generated_at", "year", "as_of", "format", "output", "last_update_id")
        with self.write():
            sql = "INSERT INTO report_runs (generated_at, year, as_of, format, output, last_update_id) VALUES (?, ?, ?, ?, ?, ?)"
            self.conn.execute(sql, [row.get(c) for c in cols])
