"""The ledger: open, migrate and seed the SQLite file; every query and every write.

All of qdtrack's SQL lives in this package (and ``migrations.py``), and every value goes in as a parameter.
Reads use the standard library's sqlite3 (fast start-up) and return the domain types of
``model.py``; the schema is applied with sqlite-utils' ``Migrations`` (imported only
when a ledger is created or upgraded). Each command's writes run in one
``BEGIN IMMEDIATE`` transaction, and the rules that read the ledger to decide a write
run inside it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .. import dbfile
from ..errors import EnvironmentFault
from ..i18n import _
from .owners import OwnersMixin

if TYPE_CHECKING:
    from .chain import ChainMixin
    from .history import HistoryMixin
    from .planload import PlanLoadMixin
    from .reads import ReadsMixin
    from .report import ReportMixin
    from .restore import RestoreMixin
    from .writes import WritesMixin

    class _Methods(OwnersMixin, HistoryMixin, ReadsMixin, WritesMixin, ReportMixin, PlanLoadMixin, RestoreMixin, ChainMixin):
        """What mypy sees: every method of the ledger, as on the class its first write switches it to."""

else:
    _Methods = OwnersMixin  # the reads (OwnersMixin extends ReadsMixin); the rest on first use

#: The migration steps this version of qdtrack knows, in order. A test checks
#: it against ``qdtrack.migrations`` so start-up need not import sqlite-utils.
KNOWN_MIGRATIONS = ("m001_ledger", "m002_dated_figures", "m003_views", "m004_cycle", "m005_chain")
MIGRATION_SET = "qdtrack"
#: How many times ``write()`` retries a ``BEGIN IMMEDIATE`` refused as busy before the busy timeout ran out.
BEGIN_RETRIES = 8


class Ledger(_Methods):
    """One open ledger file; a context manager that closes it.

    A read command loads only the reads (``reads``, ``owners``). The first use of any other
    method (a write, the history chain, the report's reads, plan load, restore) imports those
    modules and switches this ledger to the class with all of them (``_full_class``): their
    code is two thirds of the package, and loading it cost a read command 2.7% of the import
    floor (bench/startup.py). ``tests/test_startup.py`` checks which commands load it.
    """

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # only for names the reading class lacks; never for dunders (copy, pickle probe them)
            if name.startswith("__") or type(self) is not Ledger:
                raise AttributeError(f"'Ledger' object has no attribute {name!r}")
            self.__class__ = _full_class()
            return getattr(self, name)

    def __init__(self, conn: sqlite3.Connection, path: str | os.PathLike[str], created: bool = False) -> None:
        self.conn = conn
        self.where = os.fspath(path)
        self.created = created
        self._db: Any = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Ledger:
        """Open the ledger at ``path``; with ``create``, make and seed it when it is missing."""
        path = os.fspath(path)
        from ..files import check_ledger_path

        check_ledger_path(path)
        exists = os.path.exists(path) and os.stat(path).st_size > 0
        if exists:
            # No open()/close() of the file here: closing any descriptor on it drops every POSIX
            # lock this process holds on it (SQLite's "how to corrupt" §2.2).
            if not os.access(path, os.R_OK):
                raise EnvironmentFault(_("cannot read the ledger {path}: permission denied").format(path=path))
        elif not create:
            raise EnvironmentFault(_("no ledger at {path}; create one with: qdtrack init --db {path}").format(path=path))
        else:
            import pathlib

            dbfile.make_folder(pathlib.Path(path))
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=dbfile.busy_timeout_ms() / 1000)
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
        self._use_wal()
        with self.write():
            if self._tables():
                created = False
            else:
                self._migrate()
                for stmt in dbfile.split_sql(script):
                    self.conn.execute(stmt)
                self.fill_uids()  # the seed's entries get the same uids in every ledger
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
        c.execute("PRAGMA synchronous = NORMAL")

    def _use_wal(self) -> None:
        """WAL mode, switched on only once the file is known to be a ledger (or a new one): switching
        it rewrites the file's header, and a file that is not a ledger is never written."""
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_READONLY:
                raise

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
            raise EnvironmentFault(
                _("{path} is an SQLite file but not a qdtrack ledger; give another path with --db").format(path=self.path)
            )
        unknown = [m for m in applied if m not in KNOWN_MIGRATIONS]
        if unknown:
            raise EnvironmentFault(
                _("the ledger {path} was written by a newer qdtrack (schema {schema}); upgrade qdtrack to use it").format(
                    path=self.path, schema=unknown[-1]
                )
            )
        self._use_wal()
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
        from ..migrations import migrations

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
            self.fill_uids()

    # -- transactions --------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Ledger]:
        """One write transaction, begun IMMEDIATE so it waits for the lock up front."""
        if self.conn.in_transaction:
            yield self
            return
        self._begin_immediate()
        try:
            yield self
            self.chain_pending()  # link what this transaction wrote into the history chain
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

    def _begin_immediate(self) -> None:
        """``BEGIN IMMEDIATE``; SQLite's busy handler waits up to the busy timeout, and a BUSY it
        returns sooner (a WAL being recovered or reset by another process) is retried, a few times,
        within the same timeout."""
        import time

        deadline = time.monotonic() + dbfile.busy_timeout_ms() / 1000
        for attempt in range(BEGIN_RETRIES + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                busy = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
                left = deadline - time.monotonic()
                if not busy or left <= 0 or attempt == BEGIN_RETRIES:
                    raise dbfile.map_error(e, self.path) from e
                time.sleep(min(left, 0.02 * 2**attempt))

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (it does on a full disk)."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- checks --------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """SQLite's own checks: ``integrity_check`` and ``foreign_key_check``."""
        problems = []
        try:
            for (msg,) in self.conn.execute("PRAGMA integrity_check"):
                if msg != "ok":
                    problems.append(f"integrity_check: {msg}")
            for row in self.conn.execute("PRAGMA foreign_key_check"):
                problems.append(_("foreign_key_check: {table} row {row} points at a missing {parent}").format(table=row[0], row=row[1], parent=row[2]))
        except sqlite3.DatabaseError as e:
            problems.append(f"integrity_check: {e}")
        return problems

    def backup_to(self, target: str | os.PathLike[str], *, overwrite: bool = False) -> None:
        """A consistent copy of the ledger at ``target`` (``dbfile.backup``)."""

        def finish(copy: sqlite3.Connection) -> None:
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file

        import pathlib

        dbfile.backup(self.conn, self.path, pathlib.Path(target), finish, overwrite=overwrite)


@functools.cache
def _full_class() -> type[Ledger]:
    """The ledger with every method: the reads, then the history, writes, report, plan load,
    restore and chain mixins (the order the methods resolve in, as before they loaded lazily)."""
    from .chain import ChainMixin
    from .history import HistoryMixin
    from .planload import PlanLoadMixin
    from .report import ReportMixin
    from .restore import RestoreMixin
    from .writes import WritesMixin

    class FullLedger(Ledger, HistoryMixin, WritesMixin, ReportMixin, PlanLoadMixin, RestoreMixin, ChainMixin):
        """A ledger whose write side has loaded."""

    FullLedger.__name__ = FullLedger.__qualname__ = "Ledger"
    return FullLedger
