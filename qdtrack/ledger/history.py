"""The ledger's side of moving history: entry identities (uid), the import record, and the
plan's own history (changes, milestones, withdrawals) as ``export`` writes and ``import`` replays it."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ..uids import entry_key, uid_of
from .common import LedgerBase

_ENTRY_KEY_SQL = """
SELECT u.id, coalesce(CAST(t.listed_no AS TEXT), t.bullet), m.name, u.as_of, u.value, u.note, u.status, u.correction,
       u.recorded_by, u.recorded_at
FROM updates u JOIN tasks t ON t.id = u.task_id LEFT JOIN metrics m ON m.id = u.metric_id
"""
ENTRY_COLUMNS = ("task_id", "metric_id", "quarter", "on_date", "value", "note", "status", "correction",
                 "recorded_at", "recorded_by", "source", "uid")  # fmt: skip
_INSERT_ENTRIES = """INSERT INTO updates (task_id, metric_id, quarter, on_date, value, note, status, correction,
                     recorded_at, recorded_by, source, uid) VALUES """
_ONE_ENTRY = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_ENTRY = _INSERT_ENTRIES + _ONE_ENTRY
ENTRIES_PER_INSERT = 2000  # rows in one INSERT statement (fewer when SQLite allows fewer parameters)


class _UidsInLedger:
    """The uids taken, asked one at a time on the unique index ``updates_uid``: one entry's uid
    costs a seek or two, not a set of every uid in the ledger (``update`` at 1M entries)."""

    def __init__(self, ledger: LedgerBase) -> None:
        self.ledger, self.added = ledger, set[str]()

    def __contains__(self, uid: object) -> bool:
        return uid in self.added or bool(self.ledger._all("SELECT 1 FROM updates WHERE uid = ?", [uid]))

    def add(self, uid: str) -> None:
        self.added.add(uid)


class HistoryMixin(LedgerBase):
    """uids, imports and the plan's history; the caller holds ``Ledger.write()`` for the writes."""

    # -- identities ----------------------------------------------------------------------
    def _uids_taken(self) -> set[str]:
        return {r[0] for r in self._all("SELECT uid FROM updates WHERE uid IS NOT NULL")}

    def fill_uids(self, entry_id: int | None = None) -> int:
        """Give entries without a uid theirs (one entry, or all), in the order recorded."""
        where = " WHERE u.uid IS NULL" + (" AND u.id = ?" if entry_id is not None else "") + " ORDER BY u.id"
        rows = self._all(_ENTRY_KEY_SQL + where, [] if entry_id is None else [entry_id])
        if not rows:
            return 0
        taken: set[str] | _UidsInLedger = self._uids_taken() if entry_id is None else _UidsInLedger(self)
        pairs = []
        for r in rows:
            uid = uid_of(entry_key(*r[1:]), taken)
            taken.add(uid)
            pairs.append((uid, r[0]))
        self.conn.executemany("UPDATE updates SET uid = ? WHERE id = ?", pairs)
        return len(pairs)

    def insert_entry(self, row: dict[str, Any]) -> int:
        """Append one history row with its uid (``update``, ``ingest``; inside the caller's write)."""
        cur = self.conn.execute(_INSERT_ENTRY, [row.get(c) for c in ENTRY_COLUMNS])
        new_id = int(cur.lastrowid or 0)
        if row.get("uid") is None:
            self.fill_uids(new_id)
        return new_id

    def insert_entries(self, rows: Sequence[dict[str, Any]]) -> None:
        """Append many history rows at once, in order, each with its uid given (``import``).

        Several rows go in one ``INSERT … VALUES (…), (…)``: the triggers on ``updates`` make
        SQLite keep a statement journal for each statement, and one per row doubled the cost."""
        limit = self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(ENTRY_COLUMNS)
        per = max(1, min(ENTRIES_PER_INSERT, limit))
        values = [[r.get(c) for c in ENTRY_COLUMNS] for r in rows]
        for i in range(0, len(values), per):
            chunk = values[i : i + per]
            self.conn.execute(_INSERT_ENTRIES + ", ".join([_ONE_ENTRY] * len(chunk)), [v for row in chunk for v in row])

    def for_bulk_insert(self, cache_mib: int = 32) -> None:
        """Tune this connection for a large import: a page cache of ``cache_mib`` MiB (SQLite's default
        is 2 MiB; the entries go into six indexes, whose pages stay in memory until the commit) and
        statement journals in memory (one per multi-row INSERT, as the triggers on ``updates`` need)."""
        self.conn.execute(f"PRAGMA cache_size = -{int(cache_mib) * 1024:d}")
        if not self.conn.in_transaction:  # SQLite may refuse to change it inside one
            self.conn.execute("PRAGMA temp_store = MEMORY")

    def entry_uids(self, year: int | None = None) -> dict[str, int]:
        """{uid: entry id} of a year's entries (every year's when None); entries without one get theirs computed."""
        sql = _ENTRY_KEY_SQL.replace("u.recorded_at\n", "u.recorded_at, u.uid\n") + " WHERE (? IS NULL OR t.year = ?) ORDER BY u.id"
        taken = self._uids_taken()
        out: dict[str, int] = {}
        for r in self._all(sql, [year, year]):
            uid = r[10] or uid_of(entry_key(*r[1:10]), taken)
            taken.add(uid)
            out[uid] = r[0]
        return out

    def figures_of(self, metric_id: int) -> list[tuple[str, int, float, str]]:
        """A metric's figures in force (not withdrawn): (as_of, id, value, quarter), by date then id."""
        sql = """SELECT as_of, id, value, quarter FROM updates u WHERE metric_id = ?
                 AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.update_id = u.id) ORDER BY as_of, id"""
        return [(r[0], r[1], r[2], r[3]) for r in self._all(sql, [metric_id])]

    # -- the import record ------------------------------------------------------------------
    def record_import(self, year: int, file: str, counts: tuple[int, int, int], at: str, by: str, source: str) -> None:
        """One row of the import record: (added, skipped, plan changes added)."""
        sql = "INSERT INTO imports (year, file, added, skipped, plan_added, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        self.conn.execute(sql, [year, file, *counts, at, by, source])

    def imports(self, year: int) -> list[tuple[Any, ...]]:
        """(id, file, added, skipped, plan_added, recorded_at, recorded_by, source), oldest first."""
        sql = "SELECT id, file, added, skipped, plan_added, recorded_at, recorded_by, source FROM imports WHERE year = ? ORDER BY id"
        return [tuple(r) for r in self._all(sql, [year])]

    # -- the plan's history -------------------------------------------------------------------
    def voids_of(self, year: int) -> dict[int, tuple[str, str, str, str]]:
        """{entry id: (reason, recorded_at, recorded_by, source)} of a year's withdrawals."""
        sql = """SELECT v.update_id, v.reason, v.recorded_at, v.recorded_by, v.source FROM voids v
                 JOIN updates u ON u.id = v.update_id JOIN tasks t ON t.id = u.task_id WHERE t.year = ?"""
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in self._all(sql, [year])}

    def milestone_rows(self, year: int) -> list[tuple[Any, ...]]:
        """Every milestone of a year, removed ones too: (task ref, n, due, text, removed, done_on, note,
        done recorded_at, done recorded_by, done source), by task and number."""
        sql = """SELECT coalesce(CAST(t.listed_no AS TEXT), t.bullet), ms.n, ms.due, ms.text, ms.removed,
                        d.done_on, d.note, d.recorded_at, d.recorded_by, d.source
                 FROM milestones ms JOIN tasks t ON t.id = ms.task_id LEFT JOIN milestone_done d ON d.milestone_id = ms.id
                 WHERE t.year = ? ORDER BY t.seq, ms.n"""
        return [tuple(r) for r in self._all(sql, [year])]

    def milestone_ids(self, year: int) -> dict[tuple[int, int], tuple[int, bool, bool]]:
        """{(task id, n): (milestone id, removed, done)} of a year."""
        sql = """SELECT ms.task_id, ms.n, ms.id, ms.removed, d.id IS NOT NULL FROM milestones ms JOIN tasks t ON t.id = ms.task_id
                 LEFT JOIN milestone_done d ON d.milestone_id = ms.id WHERE t.year = ?"""
        return {(r[0], r[1]): (r[2], bool(r[3]), bool(r[4])) for r in self._all(sql, [year])}

    def put_milestone(self, task_id: int, n: int, due: datetime.date, text: str, removed: bool) -> int:
        """Insert a milestone with its own number (``import``); the change is logged separately."""
        cur = self.conn.execute(
            "INSERT INTO milestones (task_id, n, due, text, removed) VALUES (?, ?, ?, ?, ?)",
            [task_id, n, due.isoformat(), text, 1 if removed else 0],
        )
        return int(cur.lastrowid or 0)

    def mark_milestone_removed(self, milestone_id: int) -> None:
        self.conn.execute("UPDATE milestones SET removed = 1 WHERE id = ?", [milestone_id])

    def put_milestone_done(self, milestone_id: int, done_on: str, note: str | None, at: str, by: str, source: str) -> None:
        sql = "INSERT INTO milestone_done (milestone_id, done_on, note, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?)"
        self.conn.execute(sql, [milestone_id, done_on, note, at, by, source])

    def put_plan_changes(self, rows: Iterable[Sequence[Any]]) -> None:
        """Insert logged plan changes as recorded elsewhere: (year, task_id, metric_id, field, old, new, at, by, source)."""
        sql = "INSERT INTO plan_changes (year, task_id, metric_id, field, old, new, recorded_at, recorded_by, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        self.conn.executemany(sql, rows)

    def put_voids(self, rows: Iterable[Sequence[Any]]) -> None:
        """Withdrawals by uid: (uid, reason, recorded_at, recorded_by, source)."""
        sql = """INSERT INTO voids (update_id, reason, recorded_at, recorded_by, source)
                 SELECT id, ?, ?, ?, ? FROM updates WHERE uid = ?"""
        self.conn.executemany(sql, ([r[1], r[2], r[3], r[4], r[0]] for r in rows))
