"""What every part of the ledger shares: the entry query, row converters and the base class."""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import dbfile
from ..model import Entry

if TYPE_CHECKING:
    import pathlib

# A task's display ID is its listed number, else its bullet ("21", "9.2.4"):
# coalesce(CAST(t.listed_no AS TEXT), t.bullet). A withdrawn entry has a row in voids.
ENTRY_SQL = """
SELECT u.id, u.task_id, coalesce(CAST(t.listed_no AS TEXT), t.bullet) AS ref, u.metric_id, m.name, m.unit, u.quarter, u.as_of,
       u.value, u.note, u.status, u.correction, u.recorded_at, u.recorded_by, u.source,
       v.reason, v.recorded_by, v.recorded_at
FROM updates u JOIN tasks t ON t.id = u.task_id
LEFT JOIN metrics m ON m.id = u.metric_id
LEFT JOIN voids v ON v.update_id = u.id
"""


def tasks_wanted(area: int | None, task_id: int | None) -> str:
    """The condition on ``t`` besides ``t.year = :year`` for a read of facts: every task of the year,
    one area's (``:area``) or one task (``:task``). A constant fragment, values go in as parameters;
    no condition at all for the year, which keeps ``tasks``' (year, …) index covering."""
    if task_id is not None:
        return "AND t.id = :task"
    return "AND t.area_no = :area" if area is not None else ""


#: Per task, its latest note (COLUMN = note) or status mark (COLUMN = status) as of :d; partial
#: indexes serve both. COLUMN is replaced by one of those two constant names, never by input;
#: TASKS_WANTED by ``tasks_wanted()``.
_LATEST_PER_TASK = """
SELECT u.task_id, u.COLUMN, u.quarter, u.as_of FROM (
  SELECT (SELECT u2.id FROM updates u2 WHERE u2.task_id = t.id AND u2.COLUMN IS NOT NULL AND u2.as_of <= :d
          AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u2.id)
          ORDER BY u2.as_of DESC, u2.id DESC LIMIT 1) AS uid
  FROM tasks t WHERE t.year = :year TASKS_WANTED
) x JOIN updates u ON u.id = x.uid
"""
LATEST_NOTE = _LATEST_PER_TASK.replace("COLUMN", "note")
LATEST_MARK = _LATEST_PER_TASK.replace("COLUMN", "status")


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _entry(r: Sequence[Any]) -> Entry:
    return Entry(
        id=r[0], task_id=r[1], ref=r[2], metric_id=r[3], metric_name=r[4], unit=r[5], quarter=r[6],
        as_of=_date(r[7]), value=r[8], note=r[9], status=r[10], correction=bool(r[11]), recorded_at=r[12],
        recorded_by=r[13], source=r[14], void_reason=r[15], voided_by=r[16], voided_at=r[17],
    )  # fmt: skip


_FIGURE_IN_FORCE = (
    "SELECT u2.id FROM updates u2 WHERE u2.metric_id = METRIC AND u2.as_of <= DAY "
    "AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u2.id) ORDER BY u2.as_of DESC, u2.id DESC LIMIT 1"
)


def figure_in_force(metric: str, day: str) -> str:
    """The ledger's one rule for "the figure in force at a day", as a subquery: the id of the
    metric's latest entry dated on or before the day and not withdrawn (the later entry id
    breaks a tie). One ``LIMIT 1`` seek on the ``(metric_id, as_of, id)`` index.

    ``metric`` and ``day`` are SQL expressions written in qdtrack's own code (a column such as
    ``m.id``, a named parameter such as ``:d``), never input. ``Ledger.facts`` and the
    ``progress`` view (migration m003_views) both use it. A migration freezes the text it was given:
    if this rule ever changes, a new migration must re-create the view.
    """
    return _FIGURE_IN_FORCE.replace("METRIC", metric).replace("DAY", day)


#: Per metric ``m`` of the plan, the figure in force at the named parameter ``:d``.
FIGURE_IN_FORCE_AT_D = figure_in_force("m.id", ":d")


class LedgerBase:
    """The connection and path every mixin of ``Ledger`` works on."""

    conn: sqlite3.Connection
    where: str  # the ledger file's path, as a string (importing pathlib costs start-up)

    @property
    def path(self) -> pathlib.Path:
        """The ledger file's path."""
        import pathlib

        return pathlib.Path(self.where)

    def _all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise dbfile.map_error(e, self.path) from e

    def write(self) -> contextlib.AbstractContextManager[Any]:  # pragma: no cover - Ledger defines it
        raise NotImplementedError
