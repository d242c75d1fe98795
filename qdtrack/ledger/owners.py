"""The ledger's side of responsible units (责任单位) and of ``plan set``'s target edits.

A task may have several units: position 1 is the lead unit (牵头单位), the rest are the
units that work with it (配合单位). ``plan`` here adds each task's units to the plan the
reads build, so every view can select by unit.
"""

from __future__ import annotations

from ..model import Metric, Task
from .reads import ReadsMixin

#: The metric columns ``plan set`` may change, and how a new value is stored.
METRIC_FIELDS = ("target", "comparator", "kind", "target_text")


class OwnersMixin(ReadsMixin):
    """Owners of tasks; the caller holds ``Ledger.write()`` for the writes."""

    def owners_by_task(self, year: int) -> dict[int, tuple[str, ...]]:
        sql = """SELECT o.task_id, o.unit FROM owners o JOIN tasks t ON t.id = o.task_id
                 WHERE t.year = ? ORDER BY o.task_id, o.pos"""
        out: dict[int, list[str]] = {}
        for task_id, unit in self._all(sql, [year]):
            out.setdefault(task_id, []).append(unit)
        return {k: tuple(v) for k, v in out.items()}

    def plan(self, year: int) -> list[Task]:
        """The plan of ``ReadsMixin.plan`` with each task's responsible units."""
        tasks = super().plan(year)
        owners = self.owners_by_task(year)
        if not owners:
            return tasks
        return [t._replace(owners=owners[t.id]) if t.id in owners else t for t in tasks]

    def units(self, year: int) -> list[str]:
        """Every responsible unit named in a plan year, in name order."""
        sql = "SELECT DISTINCT o.unit FROM owners o JOIN tasks t ON t.id = o.task_id WHERE t.year = ? ORDER BY o.unit"
        return [r[0] for r in self._all(sql, [year])]

    def insert_owners(self, task_id: int, units: tuple[str, ...]) -> None:
        """Write a task's units (lead first) where it has none yet: ``plan load`` and ``import``."""
        self.conn.executemany(
            "INSERT INTO owners (task_id, pos, unit) VALUES (?, ?, ?)", [(task_id, i, u) for i, u in enumerate(units, 1)]
        )

    def set_owners(self, task: Task, units: tuple[str, ...], at: str, by: str, source: str) -> None:
        """Replace a task's units and log the change (old and new lists, joined with 、)."""
        self.replace_owners(task.id, units)
        self._log_change(task.year, task.id, None, "owners", "、".join(task.owners) or None, "、".join(units) or None, at, by, source)  # fmt: skip

    def set_metric_field(self, year: int, metric: Metric, field: str, old: str | None, new: str, at: str, by: str, source: str) -> None:  # fmt: skip
        """Change one column of a metric (``METRIC_FIELDS``) and log it; ``new`` as stored."""
        if field not in METRIC_FIELDS:
            raise ValueError(field)
        self.apply_metric_field(metric.id, field, new)
        self._log_change(year, metric.task_id, metric.id, field, old, new, at, by, source)

    def apply_metric_field(self, metric_id: int, field: str, new: str | None) -> None:
        """Set one column of a metric without logging it (``import`` replays a logged change)."""
        if field == "baseline":
            self.conn.execute("UPDATE metrics SET baseline = ? WHERE id = ?", [float(new) if new else None, metric_id])
            return
        if field not in METRIC_FIELDS or new is None:
            raise ValueError(field)
        value: object = float(new) if field == "target" else new
        self.conn.execute(f"UPDATE metrics SET {field} = ? WHERE id = ?", [value, metric_id])  # noqa: S608 - a fixed column name

    def replace_owners(self, task_id: int, units: tuple[str, ...]) -> None:
        """Set a task's units without logging it (``import`` replays a logged change)."""
        self.conn.execute("DELETE FROM owners WHERE task_id = ?", [task_id])
        self.insert_owners(task_id, units)

    def _log_change(self, year: int, task_id: int | None, metric_id: int | None, field: str, old: str | None, new: str | None, at: str, by: str, source: str) -> None:  # fmt: skip
        sql = "INSERT INTO plan_changes (year, task_id, metric_id, field, old, new, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        self.conn.execute(sql, [year, task_id, metric_id, field, old, new, at, by, source])

