"""The ledger: open, migrate and seed the SQLite file; every query and every write.

All of qdtrack's SQL lives in this module, and every value goes in as a parameter.
Reads use the standard library's sqlite3 (fast start-up) and return the domain types of
``model.py``; the schema is applied with sqlite-utils' ``Migrations`` (imported only
when a ledger is created or upgraded). Each command's writes run in one
``BEGIN IMMEDIATE`` transaction, and the rules that read the ledger to decide a write
run inside it.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import pathlib
import sqlite3
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any

from . import dbfile
from .errors import EnvironmentFault, NotFound
from .model import Area, Entry, Facts, Figure, Metric, Milestone, Note, PlanChange, ReportRun, Task

#: The migration steps this version of qdtrack knows, in order. A test checks
#: it against ``qdtrack.migrations`` so start-up need not import sqlite-utils.
KNOWN_MIGRATIONS = ("m001_ledger", "m002_dated_figures")
MIGRATION_SET = "qdtrack"

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


#: Per task, its latest note (COLUMN = note) or status mark (COLUMN = status) as of :d; partial
#: indexes serve both. COLUMN is replaced by one of those two constant names, never by input.
_LATEST_PER_TASK = """
SELECT u.task_id, u.COLUMN, u.quarter, u.as_of FROM (
  SELECT (SELECT u2.id FROM updates u2 WHERE u2.task_id = t.id AND u2.COLUMN IS NOT NULL AND u2.as_of <= :d
          AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u2.id)
          ORDER BY u2.as_of DESC, u2.id DESC LIMIT 1) AS uid
  FROM tasks t WHERE t.year = :year
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


class Ledger:
    """One open ledger file; a context manager that closes it."""
    def __init__(self, conn: sqlite3.Connection, path: pathlib.Path, created: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.created = created
        self._db: Any = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path: pathlib.Path | str, *, create: bool = True) -> Ledger:
        """Open the ledger at ``path``; with ``create``, make and seed it when it is missing."""
        path = pathlib.Path(path)
        from .files import check_ledger_path

        check_ledger_path(path)
        exists = path.exists() and path.stat().st_size > 0
        if exists:
            # No open()/close() of the file here: closing any descriptor on it drops every POSIX
            # lock this process holds on it (SQLite's "how to corrupt" §2.2).
            if not os.access(path, os.R_OK):
                raise EnvironmentFault(f"cannot read the ledger {path}: permission denied")
        elif not create:
            raise EnvironmentFault(f"no ledger at {path}; create one with: qdtrack init --db {path}")
        else:
            dbfile.make_folder(path)
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=dbfile.busy_timeout_ms() / 1000)
        except sqlite3.Error as e:
            raise dbfile.map_error(e, path) from e
        ledger = cls(conn, path)
        try:
            ledger._configure()
            if not exists or not ledger._tables():
                ledger.created = ledger._create_unless_there()
            else:
                ledger._check_schema()
        except sqlite3.Error as e:
            ledger._abandon(remove=not exists)
            raise dbfile.map_error(e, path) from e
        except BaseException:
            ledger._abandon(remove=not exists)
            raise
        return ledger

    def _create_unless_there(self) -> bool:
        """Create and seed a new file, unless another qdtrack did so first (both saw no file)."""
        script = dbfile.seed_sql()
        with self.write():
            if self._tables():
                created = False
            else:
                self._migrate()
                for stmt in dbfile.split_sql(script):
                    self.conn.execute(stmt)
                created = True
        if not created:
            self._check_schema()
        return created

    def _abandon(self, remove: bool) -> None:
        """Close after a failed open; remove the file only if it is ours and still empty."""
        empty = False
        if remove:
            try:
                empty = not self._tables()
            except sqlite3.Error:
                with contextlib.suppress(OSError):
                    empty = self.path.stat().st_size == 0
        self.conn.close()
        if empty:
            dbfile.remove_new_file(self.path)

    def _configure(self) -> None:
        c = self.conn
        c.execute("PRAGMA foreign_keys = ON")
        c.execute(f"PRAGMA busy_timeout = {dbfile.busy_timeout_ms():d}")
        c.execute("PRAGMA trusted_schema = OFF")
        try:
            c.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_READONLY:
                raise
        c.execute("PRAGMA synchronous = NORMAL")

    def close(self) -> None:
        self.conn.close()

    def _tables(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def applied_migrations(self) -> list[str]:
        if "_sqlite_migrations" not in self._tables():
            return []
        sql = "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid"
        return [r[0] for r in self.conn.execute(sql, [MIGRATION_SET])]

    def _check_schema(self) -> None:
        applied = self.applied_migrations()
        if not applied:
            raise EnvironmentFault(f"{self.path} is an SQLite file but not a qdtrack ledger; give another path with --db")
        unknown = [m for m in applied if m not in KNOWN_MIGRATIONS]
        if unknown:
            raise EnvironmentFault(
                f"the ledger {self.path} was written by a newer qdtrack (schema {unknown[-1]}); upgrade qdtrack to use it"
            )
        if len(applied) < len(KNOWN_MIGRATIONS):
            with self.write():
                self._migrate()

    @property
    def db(self) -> Any:
        """A sqlite-utils Database over the same connection (imported on first use)."""
        if self._db is None:
            import sqlite_utils

            # no plugins: nothing installed elsewhere gets to run code on the ledger's connection
            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def _migrate(self) -> None:
        from .migrations import migrations

        migrations.apply(self.db)

    def reseed(self) -> None:
        """``init --force``: drop everything and create the ledger again, atomically."""
        script = dbfile.seed_sql()
        with self.write():
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            sql = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite_%'"
            names = [(r[0], r[1]) for r in self.conn.execute(sql)]
            for kind in ("view", "trigger", "table"):
                for k, name in names:
                    if k == kind:
                        self.conn.execute(f'DROP {kind.upper()} IF EXISTS "{dbfile.quote_ident(name)}"')
            self._migrate()
            for stmt in dbfile.split_sql(script):
                self.conn.execute(stmt)

    # -- transactions --------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Ledger]:
        """One write transaction, begun IMMEDIATE so it waits for the lock up front."""
        if self.conn.in_transaction:
            yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise dbfile.map_error(e, self.path) from e
        try:
            yield self
        except sqlite3.Error as e:
            self._rollback()
            raise dbfile.map_error(e, self.path) from e
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._rollback()
            raise dbfile.map_error(e, self.path) from e

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (it does on a full disk)."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- reads: the plan -----------------------------------------------------
    def _all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise dbfile.map_error(e, self.path) from e

    def years(self) -> list[int]:
        return [r[0] for r in self._all("SELECT year FROM years ORDER BY year")]

    def resolve_year(self, year: int | None, today: datetime.date | None = None) -> int:
        """The plan year asked for; by default the one containing today, else the latest."""
        years = self.years()
        if not years:
            raise EnvironmentFault(f"the ledger {self.path} holds no plan year; recreate it with qdtrack init --force")
        if year is None:
            return today.year if today is not None and today.year in years else years[-1]
        if year not in years:
            raise NotFound(f"no plan year {year} in the ledger; it holds {', '.join(map(str, years))}")
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
                id=r[0], year=year, area_no=r[1], ref=r[2], area_title=r[3], section_title=r[4], seq=r[5],
                bullet=r[6], listed_no=r[7], text=r[8], listed_text=r[9], parent_ref=r[10],
                covered_by_parts=bool(r[11]), metrics=tuple(metrics.get(r[0], ())),
                parts=tuple(parts.get(r[2], ())), milestones=tuple(milestones.get(r[0], ())),
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
    def facts(self, year: int, as_of: datetime.date, reported_since: datetime.date | None = None) -> Facts:
        """Per metric the figure in force at ``as_of``; per task its latest note and mark.

        One indexed seek per metric and task (``LIMIT 1`` on ``(metric_id, as_of, id)``),
        so the cost does not grow with the ledger's history. ``reported_since``: which
        tasks have an entry dated from that day to ``as_of`` (the stale rule).
        """
        d = as_of.isoformat()
        figures = {}
        sql = """
            SELECT u.metric_id, u.value, u.as_of, u.quarter, u.id FROM (
              SELECT (SELECT u2.id FROM updates u2 WHERE u2.metric_id = m.id AND u2.as_of <= :d
                      AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u2.id) ORDER BY u2.as_of DESC, u2.id DESC LIMIT 1) AS uid
              FROM metrics m JOIN tasks t ON t.id = m.task_id WHERE t.year = :year
            ) x JOIN updates u ON u.id = x.uid
        """
        for r in self._all(sql, {"d": d, "year": year}):
            figures[r[0]] = Figure(r[0], r[1], _date(r[2]), r[3], r[4])
        notes, marks = {}, {}
        for task_id, text, quarter, day in self._all(LATEST_NOTE, {"d": d, "year": year}):
            notes[task_id] = Note(task_id, text, quarter, _date(day))
        for task_id, mark, _quarter, _day in self._all(LATEST_MARK, {"d": d, "year": year}):
            marks[task_id] = mark
        reported: frozenset[int] = frozenset()
        if reported_since is not None:
            sql = """
                SELECT t.id FROM tasks t WHERE t.year = :year AND EXISTS (
                  SELECT 1 FROM updates u2 WHERE u2.task_id = t.id AND u2.as_of >= :since AND u2.as_of <= :d
                  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u2.id))
            """
            reported = frozenset(r[0] for r in self._all(sql, {"year": year, "since": reported_since.isoformat(), "d": d}))
        return Facts(as_of, figures, notes, marks, reported)

    def last_figure_date(self, year: int) -> datetime.date | None:
        """The latest date any entry of the year is true at (its last reporting point)."""
        sql = "SELECT max(u.as_of) FROM updates u JOIN tasks t ON t.id = u.task_id WHERE t.year = ? AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id)"
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

    def count_history(self, task_id: int) -> int:
        return int(self._all("SELECT count(*) FROM updates WHERE task_id = ?", [task_id])[0][0])

    def entry(self, entry_id: int) -> Entry:
        rows = self._all(ENTRY_SQL + " WHERE u.id = ?", [entry_id])
        if not rows:
            raise NotFound(f"no entry #{entry_id} in the ledger; entry numbers are shown by qdtrack log and qdtrack show")
        return _entry(rows[0])

    def log(self, year: int, task_id: int | None = None, since: str | None = None, limit: int | None = None) -> list[Entry]:
        sql = ENTRY_SQL + """
            WHERE t.year = :year AND (:task IS NULL OR u.task_id = :task) AND (:since IS NULL OR u.recorded_at >= :since)
            ORDER BY u.id DESC LIMIT :limit
        """
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

    # -- writes --------------------------------------------------------------
    def insert_entry(self, row: dict[str, Any]) -> int:
        """Append one history row (inside the caller's write transaction)."""
        sql = """INSERT INTO updates (task_id, metric_id, quarter, on_date, value, note, status, correction,
                 recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
        cols = ("task_id", "metric_id", "quarter", "on_date", "value", "note", "status", "correction",
                "recorded_at", "recorded_by", "source")  # fmt: skip
        cur = self.conn.execute(sql, [row.get(c) for c in cols])
        return int(cur.lastrowid or 0)

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
        self.conn.execute("INSERT INTO milestones (task_id, n, due, text) VALUES (?, ?, ?, ?)", [task.id, n, due.isoformat(), text])
        self._plan_change(task.year, task.id, None, f"milestone {n}", None, f"{due.isoformat()} {text}", at, by, source)
        return n

    def remove_milestone(self, task: Task, milestone: Milestone, at: str, by: str, source: str) -> None:
        self.conn.execute("UPDATE milestones SET removed = 1 WHERE id = ?", [milestone.id])
        old = f"{milestone.due.isoformat()} {milestone.text}"
        self._plan_change(task.year, task.id, None, f"milestone {milestone.n}", old, None, at, by, source)

    def milestone_done(self, milestone: Milestone, done_on: datetime.date, note: str | None, at: str, by: str, source: str) -> None:
        sql = "INSERT INTO milestone_done (milestone_id, done_on, note, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?)"
        self.conn.execute(sql, [milestone.id, done_on.isoformat(), note, at, by, source])

    def record_report_run(self, row: dict[str, Any]) -> None:
        cols = ("generated_at", "year", "as_of", "format", "output", "last_update_id")
        with self.write():
            sql = "INSERT INTO report_runs (generated_at, year, as_of, format, output, last_update_id) VALUES (?, ?, ?, ?, ?, ?)"
            self.conn.execute(sql, [row.get(c) for c in cols])

    # -- checks --------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """SQLite's own checks: ``integrity_check`` and ``foreign_key_check``."""
        problems = []
        try:
            for (msg,) in self.conn.execute("PRAGMA integrity_check"):
                if msg != "ok":
                    problems.append(f"integrity_check: {msg}")
            for row in self.conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"foreign_key_check: {row[0]} row {row[1]} points at a missing {row[2]}")
        except sqlite3.DatabaseError as e:
            problems.append(f"integrity_check: {e}")
        return problems

    def backup_to(self, target: pathlib.Path | str, *, overwrite: bool = False) -> None:
        """A consistent copy of the ledger at ``target`` (``dbfile.backup``)."""
        def finish(copy: sqlite3.Connection) -> None:
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file

        dbfile.backup(self.conn, self.path, pathlib.Path(target), finish, overwrite=overwrite)

