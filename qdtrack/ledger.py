"""The ledger: open, migrate and seed the SQLite file; every query and every write.

All of qdtrack's SQL lives in this module, and every value goes in as a
parameter. Reads use the standard library's sqlite3 directly (fast start-up);
the schema is applied with sqlite-utils' ``Migrations`` and writes go through
sqlite-utils tables inside one ``BEGIN IMMEDIATE`` transaction per command.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import pathlib
import sqlite3

from .errors import BadInput, Busy, EnvironmentFault, NotFound
from .files import fsync_folder

#: The migration steps this version of qdtrack knows, in order. A test checks
#: it against ``qdtrack.migrations`` so start-up need not import sqlite-utils.
KNOWN_MIGRATIONS = ("m001_ledger",)
MIGRATION_SET = "qdtrack"
SQLITE_HEADER = b"SQLite format 3\x00"


def busy_timeout_ms() -> int:
    try:
        return max(0, int(os.environ.get("QDTRACK_BUSY_TIMEOUT_MS", "5000")))
    except ValueError:
        return 5000


def default_path() -> pathlib.Path:
    """``$QDTRACK_DB``, else ``$XDG_DATA_HOME/qdtrack/ledger.db``."""
    env = os.environ.get("QDTRACK_DB")
    if env:
        return pathlib.Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return pathlib.Path(base) / "qdtrack" / "ledger.db"


def seed_sql() -> str:
    """The bundled seed (``data/seed.sql``, installed as package data)."""
    from importlib.resources import files

    try:
        return files("qdtrack.data").joinpath("seed.sql").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pass  # running from a source checkout: qdtrack.data is data/ only once installed
    try:
        return (pathlib.Path(__file__).resolve().parent.parent / "data" / "seed.sql").read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise EnvironmentFault(
            "the bundled seed data/seed.sql is missing from this installation; reinstall qdtrack"
        ) from e


def split_sql(script: str):
    """Yield the complete statements of a SQL script (triggers included)."""
    buf = []
    for line in script.splitlines(keepends=True):
        buf.append(line)
        stmt = "".join(buf)
        if sqlite3.complete_statement(stmt):
            if stmt.strip():
                yield stmt
            buf = []
    rest = "".join(buf).strip()
    if rest and not all(ln.strip().startswith("--") or not ln.strip() for ln in rest.splitlines()):
        raise ValueError("incomplete SQL statement at the end of the script")


def _map_operational(e: sqlite3.Error, path) -> Exception:
    msg = str(e).lower()
    if "locked" in msg or "busy" in msg:
        return Busy(f"the ledger {path} is busy (another qdtrack is writing); try again in a moment")
    if "readonly" in msg or "read-only" in msg:
        return EnvironmentFault(f"the ledger {path} is read-only; check the file's and folder's permissions")
    if "disk is full" in msg or "full" in msg:
        return EnvironmentFault(f"the disk holding {path} is full; free some space and try again")
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        return EnvironmentFault(f"{path} is damaged ({e}); restore it from a backup (see README, Data safety)")
    if "unable to open" in msg:
        return EnvironmentFault(f"cannot open the ledger {path}; check that its folder exists and is writable")
    if "disk i/o" in msg:
        code = getattr(e, "sqlite_errorname", None) or "SQLITE_IOERR"
        return EnvironmentFault(
            f"the disk holding {path} failed to read or write ({e}, {code}); check that it is not full or failing"
        )
    return EnvironmentFault(f"the ledger {path} could not be used: {e}")


class Ledger:
    """One open ledger file."""

    def __init__(self, conn: sqlite3.Connection, path):
        self.conn = conn
        self.path = path
        self._db = None

    # -- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path, *, create: bool = True) -> tuple[Ledger, bool]:
        """Open (and if needed create and seed) the ledger at ``path``.

        Returns ``(ledger, created)``.
        """
        path = pathlib.Path(path)
        created = False
        if path.is_dir():
            raise EnvironmentFault(f"{path} is a folder, not a ledger file; give a file path with --db")
        exists = path.exists() and path.stat().st_size > 0
        if exists:
            # No open()/close() of the file here: closing any descriptor on it drops every POSIX
            # lock this process holds on it, including those of SQLite connections still open
            # (SQLite's "how to corrupt" §2.2). SQLite reads the header itself (SQLITE_NOTADB).
            if not os.access(path, os.R_OK):
                raise EnvironmentFault(f"cannot read the ledger {path}: permission denied")
        elif not create:
            raise EnvironmentFault(f"no ledger at {path}; create one with: qdtrack init")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as e:
                raise EnvironmentFault(
                    f"cannot create the ledger {path}: {e.filename or path.parent} is a file, not a folder"
                ) from e
            except OSError as e:
                raise EnvironmentFault(f"cannot create the folder {path.parent}: {e.strerror}") from e
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms() / 1000)
        except sqlite3.Error as e:
            raise _map_operational(e, path) from e
        ledger = cls(conn, path)
        try:
            ledger._configure()
            if not exists or not ledger._tables():
                # new, or an empty SQLite file (perhaps another qdtrack is creating it right now)
                created = ledger._create_unless_there()
            else:
                ledger._check_schema()
        except sqlite3.Error as e:
            ledger._abandon(remove=not exists)
            if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB":
                raise EnvironmentFault(
                    f"{path} is not a qdtrack ledger (not an SQLite file); give another path with --db"
                ) from e
            raise _map_operational(e, path) from e
        except BaseException:
            ledger._abandon(remove=not exists)
            raise
        return ledger, created

    def _create_unless_there(self) -> bool:
        """Create and seed a new file, unless another qdtrack did so first (both saw no file)."""
        script = seed_sql()
        with self.write():
            if self._tables():
                created = False
            else:
                self._migrate()
                for stmt in split_sql(script):
                    self.conn.execute(stmt)
                created = True
        if not created:
            self._check_schema()
        return created

    def _abandon(self, remove: bool):
        """Close after a failed open; remove the file only if it is ours and still empty."""
        empty = False
        if remove:
            try:
                empty = not self._tables()
            except sqlite3.Error:
                with contextlib.suppress(OSError):
                    empty = pathlib.Path(self.path).stat().st_size == 0
        self.conn.close()
        if empty:
            _remove_new_file(pathlib.Path(self.path))

    def _configure(self):
        c = self.conn
        c.execute("PRAGMA foreign_keys = ON")
        c.execute(f"PRAGMA busy_timeout = {busy_timeout_ms():d}")
        c.execute("PRAGMA trusted_schema = OFF")
        try:
            c.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            if "readonly" not in str(e).lower() and "read-only" not in str(e).lower():
                raise
        c.execute("PRAGMA synchronous = NORMAL")

    def close(self):
        self.conn.close()

    def _tables(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def applied_migrations(self) -> list[str]:
        if "_sqlite_migrations" not in self._tables():
            return []
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET],
            )
        ]

    def _check_schema(self):
        applied = self.applied_migrations()
        if not applied:
            raise EnvironmentFault(
                f"{self.path} is an SQLite file but not a qdtrack ledger; give another path with --db"
            )
        unknown = [m for m in applied if m not in KNOWN_MIGRATIONS]
        if unknown:
            raise EnvironmentFault(
                f"the ledger {self.path} was written by a newer qdtrack (schema {unknown[-1]}); "
                "upgrade qdtrack to use it"
            )
        if len(applied) < len(KNOWN_MIGRATIONS):
            with self.write():
                self._migrate()

    @property
    def db(self):
        """A sqlite-utils Database over the same connection (imported on first use)."""
        if self._db is None:
            import sqlite_utils

            # no plugins: nothing installed elsewhere gets to run code on the ledger's connection
            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def _migrate(self):
        from .migrations import migrations

        migrations.apply(self.db)

    def create(self):
        """Apply the schema and load the bundled seed, all in one transaction."""
        script = seed_sql()
        with self.write():
            self._migrate()
            for stmt in split_sql(script):
                self.conn.execute(stmt)

    def reseed(self):
        """``init --force``: drop everything and create the ledger again, atomically."""
        script = seed_sql()
        with self.write():
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            names = [
                (r[0], r[1])
                for r in self.conn.execute(
                    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            for kind, name in names:
                if kind in ("view", "trigger"):
                    self.conn.execute(f'DROP {kind.upper()} IF EXISTS "{_ident(name)}"')
            for kind, name in names:
                if kind == "table":
                    self.conn.execute(f'DROP TABLE IF EXISTS "{_ident(name)}"')
            self._migrate()
            for stmt in split_sql(script):
                self.conn.execute(stmt)

    # -- transactions --------------------------------------------------------
    @contextlib.contextmanager
    def write(self):
        """One write transaction, begun IMMEDIATE so it waits for the lock up front."""
        if self.conn.in_transaction:
            yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise _map_operational(e, self.path) from e
        try:
            yield self
        except sqlite3.IntegrityError as e:
            self._rollback()
            raise BadInput(f"the ledger refused the change ({e}); nothing was written") from e
        except sqlite3.Error as e:
            self._rollback()
            raise _map_operational(e, self.path) from e
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._rollback()
            raise _map_operational(e, self.path) from e

    def _rollback(self):
        """Undo the open transaction, if SQLite has not already (it does on a full disk)."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- reads ---------------------------------------------------------------
    def _rows(self, sql, params=()):
        try:
            cur = self.conn.execute(sql, params)
        except sqlite3.Error as e:
            raise _map_operational(e, self.path) from e
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur]

    def years(self) -> list[int]:
        return [r["year"] for r in self._rows("SELECT year FROM years ORDER BY year")]

    def resolve_year(self, year: int | None) -> int:
        years = self.years()
        if not years:
            raise EnvironmentFault(f"the ledger {self.path} holds no plan year; recreate it with qdtrack init --force")
        if year is None:
            return years[-1]
        if year not in years:
            raise NotFound(f"no plan year {year} in the ledger; it holds {', '.join(map(str, years))}")
        return year

    def areas(self, year: int) -> list[dict]:
        return self._rows("SELECT no, title FROM areas WHERE year = ? ORDER BY no", [year])

    def documents(self, year: int) -> list[dict]:
        return self._rows("SELECT * FROM documents WHERE year = ? ORDER BY id", [year])

    def plan(self, year: int) -> list[dict]:
        """Every task of the year in report order, each with its metrics and updates."""
        tasks = self._rows(
            """
            SELECT t.id, t.year, t.area_no, coalesce(CAST(t.listed_no AS TEXT), t.bullet) AS ref, a.title AS area_title, s.no AS section_no,
                   s.title AS section_title, t.seq, t.bullet, t.listed_no, t.text, t.listed_text,
                   t.parent_id, t.covered_by_parts
            FROM tasks t
            JOIN areas a ON a.year = t.year AND a.no = t.area_no
            LEFT JOIN sections s ON s.id = t.section_id
            WHERE t.year = ?
            ORDER BY t.seq
            """,
            [year],
        )
        by_id = {t["id"]: t for t in tasks}
        for t in tasks:
            t["title"] = t["listed_text"] if t["listed_text"] is not None else t["text"]
            t["listed"] = t["listed_no"] is not None
            t["metrics"], t["updates"], t["parts"] = [], [], []
        for t in tasks:
            if t["parent_id"] is not None:
                by_id[t["parent_id"]]["parts"].append(t["ref"])
        for m in self._rows(
            """
            SELECT m.* FROM metrics m JOIN tasks t ON t.id = m.task_id
            WHERE t.year = ? ORDER BY m.task_id, m.pos
            """,
            [year],
        ):
            by_id[m["task_id"]]["metrics"].append(m)
        for u in self._rows(
            """
            SELECT u.* FROM updates u JOIN tasks t ON t.id = u.task_id
            WHERE t.year = ? ORDER BY u.quarter, u.id
            """,
            [year],
        ):
            by_id[u["task_id"]]["updates"].append(u)
        return tasks

    def latest_quarter(self, year: int) -> str | None:
        rows = self._rows(
            "SELECT max(u.quarter) AS q FROM updates u JOIN tasks t ON t.id = u.task_id WHERE t.year = ?",
            [year],
        )
        return rows[0]["q"]

    def last_update_id(self) -> int:
        return self._rows("SELECT coalesce(max(id), 0) AS n FROM updates")[0]["n"]

    def log(self, year: int, task_id: int | None = None, since: str | None = None) -> list[dict]:
        return self._rows(
            """
            SELECT u.*, t.listed_no, t.bullet, coalesce(CAST(t.listed_no AS TEXT), t.bullet) AS ref, m.name AS metric_name, m.unit
            FROM updates u JOIN tasks t ON t.id = u.task_id
            LEFT JOIN metrics m ON m.id = u.metric_id
            WHERE t.year = :year
              AND (:task IS NULL OR u.task_id = :task)
              AND (:since IS NULL OR u.recorded_at >= :since)
            ORDER BY u.id DESC
            """,
            {"year": year, "task": task_id, "since": since},
        )

    def updates_since(self, year: int, update_id: int) -> list[dict]:
        return self._rows(
            """
            SELECT u.*, t.listed_no, t.bullet, coalesce(CAST(t.listed_no AS TEXT), t.bullet) AS ref, m.name AS metric_name, m.unit
            FROM updates u JOIN tasks t ON t.id = u.task_id
            LEFT JOIN metrics m ON m.id = u.metric_id
            WHERE t.year = ? AND u.id > ? ORDER BY u.id
            """,
            [year, update_id],
        )

    def last_report_run(self, year: int) -> dict | None:
        rows = self._rows("SELECT * FROM report_runs WHERE year = ? ORDER BY id DESC LIMIT 1", [year])
        return rows[0] if rows else None

    def dump(self) -> str:
        """The ledger's content as SQL text (``sqlite3 .dump``): compare dumps, not file bytes."""
        return "\n".join(self.conn.iterdump())

    # -- writes --------------------------------------------------------------
    def insert_updates(self, rows: list[dict]) -> list[int]:
        """Append update rows (already validated) in one transaction; returns their ids."""
        ids = []
        with self.write():
            table = self.db.table("updates")
            for row in rows:
                table.insert(row)
                ids.append(table.last_rowid)
        return ids

    def record_report_run(self, row: dict) -> None:
        with self.write():
            self.db.table("report_runs").insert(row)

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

    def backup_to(self, target, *, overwrite: bool = False) -> None:
        """A consistent copy of the ledger at ``target`` through SQLite's online backup API.

        The copy is made in a temporary file beside ``target`` (one read
        transaction, so writers may go on meanwhile), flushed to disk, then
        moved into place with ``os.replace``: ``target`` is never half written.
        """
        target = pathlib.Path(target)
        if target.is_dir():
            raise BadInput(f"{target} is a folder; give a file path for the backup")
        if not overwrite and target.exists():
            raise BadInput(f"{target} already exists; add --force to replace it")
        folder = target.parent
        if not folder.is_dir():
            raise EnvironmentFault(f"cannot write the backup: the folder {folder} does not exist")
        try:
            if target.resolve() == pathlib.Path(self.path).resolve():
                raise BadInput("the backup path is the ledger itself; give another path")
        except OSError:
            pass
        tmp = folder / f".{target.name}.{os.getpid()}.tmp"
        _remove_new_file(tmp)
        try:
            dest = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except sqlite3.Error as e:
            _remove_new_file(tmp)
            raise _map_operational(e, tmp) from e
        except OSError as e:
            _remove_new_file(tmp)
            raise EnvironmentFault(f"cannot write the backup {target}: {e.strerror or e}") from e
        except BaseException:
            _remove_new_file(tmp)
            raise
        fsync_folder(folder)


def _ident(name: str) -> str:
    return name.replace('"', '""')


def _remove_new_file(path: pathlib.Path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.remove(str(path) + suffix)


#: Times are stored in the office's zone (China Standard Time, UTC+8), like the seed's, so
#: that recorded_at sorts and compares as text and reads as the local time.
OFFICE_TZ = datetime.timezone(datetime.timedelta(hours=8), "CST")


def now_iso() -> str:
    return datetime.datetime.now(OFFICE_TZ).isoformat(timespec="seconds")


def find_task(tasks: list[dict], ref: str) -> dict:
    """The task whose listed number or bullet ID is ``ref`` ("21", "9.2.4")."""
    ref = (ref or "").strip()
    for t in tasks:
        if ref == t["ref"] or (t["bullet"] is not None and ref == t["bullet"]):
            return t
    if not ref:
        raise BadInput("an empty ID; give a listed item number (1-44) or a bullet ID such as 9.2.4")
    raise NotFound(
        f"no task '{ref}' in the ledger; give a listed item number (1-44) or a bullet ID such as 9.2.4 "
        "(qdtrack status lists them)"
    )
