"""The report's queries: each metric's figure quarter by quarter, read from the ``progress`` view,
and the entries recorded since the previous report."""

from __future__ import annotations

import datetime

from ..model import Entry
from .common import ENTRY_SQL, LedgerBase, _date, _entry

#: A year's entries with ids in (:after, :upto]. Driven by that id range (the rowid): ``+t.year``
#: keeps SQLite from walking every entry of the year's tasks instead, so the cost follows the
#: number of entries recorded since, not the size of the history.
_CHANGES = ENTRY_SQL + " WHERE u.id > :after AND u.id <= :upto AND +t.year = :year"


class ReportMixin(LedgerBase):
    """Reads for the report's trend and quarter tables and its changes (values go in as parameters)."""

    def quarter_figures(self, year: int, as_of: datetime.date) -> list[tuple[int, int, datetime.date, float]]:
        """(metric id, quarter 1-4, date the figure is true at, figure) for every quarter ended by ``as_of``.

        The rows come from the ``progress`` view (migration m003_views), so the report's
        quarter table and a sqlite3/Datasette user see the same figures.
        """
        sql = """
            SELECT m.id, CAST(substr(p.quarter, 6, 1) AS INTEGER), p.as_of, p.actual
            FROM progress p
            JOIN tasks t ON t.year = p.year AND coalesce(CAST(t.listed_no AS TEXT), t.bullet) = p.task
            JOIN metrics m ON m.task_id = t.id AND m.name = p.metric
            WHERE p.year = :year AND p.actual IS NOT NULL
              AND date(p.year || '-' || printf('%02d', 3 * CAST(substr(p.quarter, 6, 1) AS INTEGER)) || '-01',
                       '+1 month', '-1 day') <= :d
            ORDER BY m.id, p.quarter
        """
        rows = self._all(sql, {"year": year, "d": as_of.isoformat()})
        return [(r[0], r[1], _date(r[2]), float(r[3])) for r in rows]

    def changes(self, year: int, after: int, upto: int, newest: int | None = None) -> list[Entry]:
        """The year's entries numbered after ``after`` up to ``upto``, oldest first; with
        ``newest``, only the newest that many (a ``LIMIT`` on the id range read backwards)."""
        params = {"year": year, "after": after, "upto": upto}
        if newest is None:
            return [_entry(r) for r in self._all(_CHANGES + " ORDER BY u.id", params)]
        rows = self._all(_CHANGES + " ORDER BY u.id DESC LIMIT :n", {**params, "n": newest})
        return [_entry(r) for r in reversed(rows)]

    def count_changes(self, year: int, after: int, upto: int) -> int:
        """How many of the year's entries are numbered after ``after`` up to ``upto`` (one walk of that id range)."""
        sql = """SELECT count(*) FROM updates u WHERE u.id > :after AND u.id <= :upto
                 AND +u.task_id IN (SELECT t.id FROM tasks t WHERE t.year = :year)"""
        return int(self._all(sql, {"year": year, "after": after, "upto": upto})[0][0])
