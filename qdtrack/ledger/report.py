"""The report's queries: each metric's figure quarter by quarter, read from the ``progress`` view."""

from __future__ import annotations

import datetime

from .common import LedgerBase, _date


class ReportMixin(LedgerBase):
    """Reads for the report's trend and quarter tables (values go in as parameters)."""

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
