"""Restoring a backup: verify a copy is a sound qdtrack ledger, and install its content into the live
ledger through SQLite (under the writers' lock), so a leftover ``-wal`` is never replayed onto it.

``verify_copy`` works on a private copy of the backup (never the user's file); ``RestoreMixin``
replaces the whole content of the open ledger with that of the attached copy in one ``BEGIN
IMMEDIATE`` transaction: the same lock every writer takes, so concurrent writers wait and then
see the restored ledger.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .common import LedgerBase

if TYPE_CHECKING:
    import pathlib

#: The schema name the copy is attached as while it is installed.
SOURCE = "restore_src"

#: Tables every qdtrack ledger has had since its first migration.
CORE_TABLES = frozenset({"_sqlite_migrations", "years", "tasks", "metrics", "updates", "report_runs"})


def verify_copy(path: pathlib.Path, known: Sequence[str], migration_set: str) -> str | None:
    """What is wrong with the SQLite file at ``path`` as a qdtrack ledger, else None.

    The file is made self-contained first (``journal_mode = DELETE``): it must be a private copy.
    """
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error:
        return "it cannot be opened as an SQLite file"
    try:
        return _problem(conn, known, migration_set)
    except sqlite3.DatabaseError:
        return "it is not an SQLite database, or it is damaged"
    finally:
        conn.close()


def _problem(conn: sqlite3.Connection, known: Sequence[str], migration_set: str) -> str | None:
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA journal_mode = DELETE")
    bad = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    if bad:
        return f"SQLite's integrity_check fails ({bad[0]})"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "_sqlite_migrations" not in tables:
        return "it is an SQLite file but not a qdtrack ledger"
    sql = "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid"  # noqa: S608 - a constant schema name
    applied = [r[0] for r in conn.execute(sql, [migration_set])]
    if not applied:
        return "it is an SQLite file but not a qdtrack ledger"
    unknown = [m for m in applied if m not in known]
    if unknown:
        return f"it was written by a newer qdtrack (schema {unknown[-1]})"
    missing = sorted(CORE_TABLES - tables)
    if missing:
        return f"it lacks the ledger's table {missing[0]}"
    return None


def is_damaged(path: pathlib.Path) -> bool:
    """True when the file at ``path`` cannot be read as a sound SQLite database."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=1)
    except sqlite3.Error:
        return True
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check")] != ["ok"]
    except sqlite3.DatabaseError as e:
        primary = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF
        return primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    finally:
        conn.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class RestoreMixin(LedgerBase):
    """Replace the ledger's content with that of a verified copy (``attach_copy`` first)."""

    def attach_copy(self, copy: pathlib.Path) -> None:
        """Attach the verified copy (outside any transaction: SQLite cannot ATTACH inside one)."""
        self.conn.execute(f"ATTACH DATABASE ? AS {SOURCE}", [str(copy)])

    def detach_copy(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute(f"DETACH DATABASE {SOURCE}")

    def replace_with_copy(self) -> None:
        """Drop everything in the ledger and recreate it from the attached copy (inside ``write()``).

        Tables first, then their rows (ids kept), then indexes, views and triggers in the copy's
        order, so the append-only and consistency triggers do not fire on the copied history.
        """
        c = self.conn
        c.execute("PRAGMA defer_foreign_keys = ON")
        mine = "SELECT type, name FROM main.sqlite_master WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite_%'"
        names = [(r[0], r[1]) for r in c.execute(mine)]
        for kind in ("view", "trigger", "table"):
            for k, name in names:
                if k == kind:
                    c.execute(f"DROP {kind.upper()} IF EXISTS main.{_q(name)}")
        theirs = f"SELECT type, name, sql FROM {SOURCE}.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"  # noqa: S608 - a constant schema name
        objects = [(r[0], r[1], r[2]) for r in c.execute(theirs)]
        for kind, name, sql in objects:
            if kind == "table":
                c.execute(sql)
                self._copy_rows(name)
        for kind, _name, sql in objects:  # in the copy's order, as a dump lists them
            if kind != "table":
                c.execute(sql)
        self._copy_sequence()
        version = int(c.execute(f"PRAGMA {SOURCE}.user_version").fetchone()[0])
        c.execute(f"PRAGMA main.user_version = {version:d}")

    def _copy_rows(self, table: str) -> None:
        # table_xinfo's 7th column: 0 a stored column, 1 hidden, 2/3 generated (computed, not copied)
        cols = [r[1] for r in self.conn.execute(f"PRAGMA {SOURCE}.table_xinfo({_q(table)})") if r[6] == 0]
        listed = ", ".join(_q(col) for col in cols)
        self.conn.execute(f"INSERT INTO main.{_q(table)} ({listed}) SELECT {listed} FROM {SOURCE}.{_q(table)}")  # noqa: S608 - quoted names

    def _copy_sequence(self) -> None:
        has = "SELECT count(*) FROM {}.sqlite_master WHERE name = 'sqlite_sequence'"
        if self.conn.execute(has.format(SOURCE)).fetchone()[0] and self.conn.execute(has.format("main")).fetchone()[0]:
            self.conn.execute("DELETE FROM main.sqlite_sequence")
            self.conn.execute(f"INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM {SOURCE}.sqlite_sequence")  # noqa: S608

    def checkpoint(self) -> None:
        """Move the WAL's pages into the file and empty it (best effort: a reader may hold it)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
