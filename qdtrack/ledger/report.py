"""The report's queries: each metric's figure quarter by quarter (the ``progress`` view's rows)
and the entries recorded since the previous report."""

from __future__ import annotations

import datetime

from ..model import Entry
from .common import ENTRY_SQL, LedgerBase, _date, _entry, figure_in_force

#: Per metric of the year and quarter ended by :d (and by today, UTC+8, as in the view), the figure in force at the quarter's end.
_QUARTER_FIGURES = """
SELECT m.id, q.n, u.as_of, u.value
FROM tasks t JOIN metrics m ON m.task_id = t.id
JOIN (SELECT 1 AS n, :year || '-03-31' AS quarter_end UNION ALL SELECT 2, :year || '-06-30'
      UNION ALL SELECT 3, :year || '-09-30' UNION ALL SELECT 4, :year || '-12-31') q
JOIN updates u ON u.id = (FIGURE_IN_FORCE)
WHERE t.year = :year AND q.quarter_end <= :d AND q.quarter_end <= date('now', '+8 hours') AND u.value IS NOT NULL
ORDER BY m.id, q.n
""".replace("FIGURE_IN_FORCE", figure_in_force("m.id", "q.quarter_end"))

#: A year's entries with ids in (:after, :upto]. Driven by that id range (the rowid): ``+t.year``
#: keeps SQLite from walking every entry of the year's tasks instead, so the cost follows the
#: number of entries recorded since, not the size of the history.
_CHANGES = ENTRY_SQL + " WHERE u.id > :after AND u.id <= :upto AND +t.year = :year"


class ReportMixin(LedgerBase):
    """Reads for the report's trend and quarter tables and its changes (values go in as parameters)."""

    def quarter_figures(self, year: int, as_of: datetime.date) -> list[tuple[int, int, datetime.date, float]]:
        """(metric id, quarter 1-4, date the figure is true at, figure) for every quarter ended by ``as_of``.

        The rows the ``progress`` view (migration m003_views) shows for the year, by the same rule
        (``figure_in_force``: one ``LIMIT 1`` seek per metric and quarter end) and the same quarters
        (ended by today in Qingdao), so the report's quarter table and a sqlite3/Datasette user see
        the same figures; read from the metrics directly rather than through the view, whose join
        back from its display columns costs more than the seeks.
        """
        rows = self._all(_QUARTER_FIGURES, {"year": year, "d": as_of.isoformat()})
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
