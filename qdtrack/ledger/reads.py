"""The ledger's reads: the plan, the figures in force at a date, history and the log."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator

from .. import dbfile
from ..errors import EnvironmentFault, NotFound
from ..i18n import _
from ..model import Area, Entry, Facts, Figure, Metric, Milestone, Note, PlanChange, ReportRun, Task
from .common import ENTRY_SQL, FIGURE_IN_FORCE_AT_D, LATEST_MARK, LATEST_NOTE, LedgerBase, _date, _entry, tasks_wanted


class ReadsMixin(LedgerBase):
    """Every query that reads the plan and its history; values always go in as parameters."""

    # -- reads: the plan -----------------------------------------------------
    def years(self) -> list[int]:
        return [r[0] for r in self._all("SELECT year FROM years ORDER BY year")]

    def resolve_year(self, year: int | None, today: datetime.date | None = None) -> int:
        """The plan year asked for; by default the one containing today, else the latest."""
        years = self.years()
        if not years:
            raise EnvironmentFault(_("the ledger {path} holds no plan year; recreate it with qdtrack init --force").format(path=self.path))
        if year is None:
            return today.year if today is not None and today.year in years else years[-1]
        if year not in years:
            raise NotFound(_("no plan year {year} in the ledger; it holds {years}").format(year=year, years=", ".join(map(str, years))))
        return year

    def areas(self, year: int) -> list[Area]:
        return [Area(r[0], r[1]) for r in self._all("SELECT no, title FROM areas WHERE year = ? ORDER BY no", [year])]

    def plan(self, year: int) -> list[Task]:
        """Every task of the year in report order, with its metrics, parts and milestones."""
        rows = self._all(
            """
            SELECT t.id, t.area_no, coalesce(CAST(t.listed_no AS TEXT), t.bullet), a.title, s.title, t.seq, t.bullet, t.listed_no, t.text,
                   t.listed_text, coalesce(CAST(p.listed_no AS TEXT), p.bullet), t.covered_by_parts
            FROM tasks t JOIN areas a ON a.year = t.year AND a.no = t.area_no
            LEFT JOIN sections s ON s.id = t.section_id LEFT JOIN tasks p ON p.id = t.parent_id
            WHERE t.year = ? ORDER BY t.seq
            """,
            [year],
        )
        metrics: dict[int, list[Metric]] = {}
        sql = "SELECT m.id, m.task_id, m.pos, m.name, m.target, m.unit, m.comparator, m.kind, m.target_text, m.baseline FROM metrics m JOIN tasks t ON t.id = m.task_id WHERE t.year = ? ORDER BY m.task_id, m.pos"
        for r in self._all(sql, [year]):
            metrics.setdefault(r[1], []).append(Metric(*r))
        parts: dict[str, list[str]] = {}
        for r in rows:
            if r[10] is not None:
                parts.setdefault(r[10], []).append(r[2])
        milestones = self._milestones(year)
        return [
            Task(
                id=r[0],
                year=year,
                area_no=r[1],
                ref=r[2],
                area_title=r[3],
                section_title=r[4],
                seq=r[5],
                bullet=r[6],
                listed_no=r[7],
                text=r[8],
                listed_text=r[9],
                parent_ref=r[10],
                covered_by_parts=bool(r[11]),
                metrics=tuple(metrics.get(r[0], ())),
                parts=tuple(parts.get(r[2], ())),
                milestones=tuple(milestones.get(r[0], ())),
            )  # fmt: skip
            for r in rows
        ]

    def _milestones(self, year: int) -> dict[int, list[Milestone]]:
        sql = """
            SELECT ms.id, ms.task_id, ms.n, ms.due, ms.text, d.done_on
            FROM milestones ms JOIN tasks t ON t.id = ms.task_id
            LEFT JOIN milestone_done d ON d.milestone_id = ms.id
            WHERE t.year = ? AND ms.removed = 0 ORDER BY ms.task_id, ms.due, ms.n
        """
        out: dict[int, list[Milestone]] = {}
        for r in self._all(sql, [year]):
            done = _date(r[5]) if r[5] else None
            out.setdefault(r[1], []).append(Milestone(r[0], r[1], r[2], _date(r[3]), r[4], done))
        return out

    # -- reads: what the ledger says at a date ---------------------------------
    def facts(self, year: int, as_of: datetime.date, reported_since: datetime.date | None = None, *,
              area: int | None = None, task_id: int | None = None) -> Facts:  # fmt: skip
        """Per metric the figure in force at ``as_of``; per task its latest note and mark.

        One indexed seek per metric and task (``LIMIT 1`` on ``(metric_id, as_of, id)``),
        so the cost does not grow with the ledger's history. ``reported_since``: which
        tasks have an entry dated from that day to ``as_of`` (the stale rule). ``area`` or
        ``task_id``: only the tasks of that area, or that one task (``status --area``, ``show``,
        ``update``'s verdict); the facts of the others are left out, never different.
        """
        d = as_of.isoformat()
        params = {"d": d, "year": year, "area": area, "task": task_id}
        wanted = tasks_wanted(area, task_id)
        figures = {}
        sql = """
            SELECT u.metric_id, u.value, u.as_of, u.quarter, u.id FROM (
              SELECT (FIGURE_IN_FORCE) AS uid
              FROM metrics m JOIN tasks t ON t.id = m.task_id WHERE t.year = :year TASKS_WANTED
            ) x JOIN updates u ON u.id = x.uid
        """.replace("FIGURE_IN_FORCE", FIGURE_IN_FORCE_AT_D).replace("TASKS_WANTED", wanted)
        for r in self._all(sql, params):
            figures[r[0]] = Figure(r[0], r[1], _date(r[2]), r[3], r[4])
        notes, marks = {}, {}
        for tid, text, quarter, day in self._all(LATEST_NOTE.replace("TASKS_WANTED", wanted), params):
            notes[tid] = Note(tid, text, quarter, _date(day))
        for tid, mark, _quarter, _day in self._all(LATEST_MARK.replace("TASKS_WANTED", wanted), params):
            marks[tid] = mark
        reported: frozenset[int] = frozenset()
        if reported_since is not None:
            sql = """
                SELECT t.id FROM tasks t WHERE t.year = :year TASKS_WANTED AND EXISTS (
                  SELECT 1 FROM updates u2 WHERE u2.task_id = t.id AND u2.as_of >= :since AND u2.as_of <= :d
                  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u2.id))
            """.replace("TASKS_WANTED", wanted)
            reported = frozenset(r[0] for r in self._all(sql, {**params, "since": reported_since.isoformat()}))
        return Facts(as_of, figures, notes, marks, reported)

    def last_figure_date(self, year: int) -> datetime.date | None:
        """The latest date any entry of the year is true at (its last reporting point).

        One seek per task on ``(task_id, as_of, id)``, newest first: flat in the history's size."""
        sql = """SELECT max((SELECT u.as_of FROM updates u WHERE u.task_id = t.id
                  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id) ORDER BY u.as_of DESC, u.id DESC LIMIT 1))
                 FROM tasks t WHERE t.year = ?"""
        found = self._all(sql, [year])[0][0]
        return _date(found) if found else None

    def figure_before(self, metric_id: int, as_of: datetime.date, *, strictly: bool = False) -> Figure | None:
        """The figure in force at ``as_of`` (``strictly``: dated before it)."""
        sql = """SELECT metric_id, value, as_of, quarter, id FROM updates u WHERE metric_id = ?
                  AND (as_of < ? OR (as_of = ? AND NOT ?))
                  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id) ORDER BY as_of DESC, id DESC LIMIT 1"""
        rows = self._all(sql, [metric_id, as_of.isoformat(), as_of.isoformat(), strictly])
        return Figure(rows[0][0], rows[0][1], _date(rows[0][2]), rows[0][3], rows[0][4]) if rows else None

    def lowest_after(self, metric_id: int, as_of: datetime.date) -> Figure | None:
        """The lowest figure dated after ``as_of`` (a new figure must not exceed it)."""
        sql = """SELECT metric_id, value, as_of, quarter, id FROM updates u WHERE metric_id = ? AND as_of > ?
                  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id) ORDER BY value, as_of LIMIT 1"""
        rows = self._all(sql, [metric_id, as_of.isoformat()])
        return Figure(rows[0][0], rows[0][1], _date(rows[0][2]), rows[0][3], rows[0][4]) if rows else None

    def has_figure_in(self, metric_id: int, start: datetime.date, end: datetime.date) -> bool:
        sql = "SELECT 1 FROM updates u WHERE metric_id = ? AND as_of BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id) LIMIT 1"
        return bool(self._all(sql, [metric_id, start.isoformat(), end.isoformat()]))

    # -- reads: history --------------------------------------------------------
    def history(self, task_id: int, limit: int | None = None) -> list[Entry]:
        """A task's entries, oldest first (the newest ``limit`` of them when given)."""
        sql = ENTRY_SQL + " WHERE u.task_id = ? ORDER BY u.id DESC LIMIT ?"
        rows = self._all(sql, [task_id, -1 if limit is None else limit])
        return [_entry(r) for r in reversed(rows)]

    def iter_entries(self, year: int, batch: int = 2000) -> Iterator[list[tuple[Entry, str | None]]]:
        """A year's entries with their uid, oldest first, a batch at a time from one cursor
        (``export`` to a file: memory bounded by a batch, not by the history)."""
        sql = ENTRY_SQL.replace("v.recorded_at\nFROM", "v.recorded_at, u.uid\nFROM") + " WHERE t.year = ? ORDER BY u.id"
        try:
            cur = self.conn.execute(sql, [year])
            while rows := cur.fetchmany(batch):
                yield [(_entry(r), r[18]) for r in rows]
        except sqlite3.Error as e:
            raise dbfile.map_error(e, self.path) from e

    def count_history(self, task_id: int) -> int:
        return int(self._all("SELECT count(*) FROM updates WHERE task_id = ?", [task_id])[0][0])

    def entry(self, entry_id: int) -> Entry:
        rows = self._all(ENTRY_SQL + " WHERE u.id = ?", [entry_id])
        if not rows:
            raise NotFound(
                _("no entry #{entry} in the ledger; entry numbers are shown by qdtrack log and qdtrack show").format(entry=entry_id)
            )
        return _entry(rows[0])

    def log(
        self, year: int, task_id: int | None = None, since: str | None = None, limit: int | None = None
    ) -> list[Entry]:
        sql = (
            ENTRY_SQL
            + """
            WHERE t.year = :year AND (:task IS NULL OR u.task_id = :task) AND (:since IS NULL OR u.recorded_at >= :since)
            ORDER BY u.id DESC LIMIT :limit
        """
        )
        params = {"year": year, "task": task_id, "since": since, "limit": -1 if limit is None else limit}
        return [_entry(r) for r in self._all(sql, params)]

    def plan_changes(self, year: int, task_id: int | None = None, since: str | None = None) -> list[PlanChange]:
        sql = """
            SELECT c.id, c.recorded_at, c.recorded_by, c.source, coalesce(CAST(t.listed_no AS TEXT), t.bullet), m.name, c.field, c.old, c.new
            FROM plan_changes c LEFT JOIN tasks t ON t.id = c.task_id LEFT JOIN metrics m ON m.id = c.metric_id
            WHERE c.year = :year AND (:task IS NULL OR c.task_id = :task) AND (:since IS NULL OR c.recorded_at >= :since)
            ORDER BY c.id DESC
        """
        return [PlanChange(*r) for r in self._all(sql, {"year": year, "task": task_id, "since": since})]

    def last_update_id(self) -> int:
        return int(self._all("SELECT coalesce(max(id), 0) FROM updates")[0][0])

    def updates_since(self, year: int, update_id: int, upto: int | None = None) -> list[Entry]:
        sql = ENTRY_SQL + " WHERE t.year = ? AND u.id > ? AND u.id <= ? ORDER BY u.id"
        return [_entry(r) for r in self._all(sql, [year, update_id, upto if upto is not None else 2**62])]

    def last_report_run(self, year: int, output: str | None = None) -> ReportRun | None:
        sql = "SELECT id, generated_at, year, as_of, format, output, last_update_id FROM report_runs WHERE year = ? AND (? IS NULL OR output = ?) ORDER BY id DESC LIMIT 1"
        rows = self._all(sql, [year, output, output])
        return ReportRun(*rows[0]) if rows else None

    def entries_for_check(self, year: int) -> Iterator[tuple[int, int | None, float | None, str, bool, bool]]:
        """Every figure of a year, per metric in date order: (id, metric, value, as_of, correction, voided)."""
        sql = """SELECT u.id, u.metric_id, u.value, u.as_of, u.correction, NOT NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id)
                  FROM updates u JOIN tasks t ON t.id = u.task_id WHERE t.year = ?
                  ORDER BY u.metric_id, u.as_of, u.id"""
        try:
            for r in self.conn.execute(sql, [year]):
                yield r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5])
        except sqlite3.Error as e:
            raise dbfile.map_error(e, self.path) from e
