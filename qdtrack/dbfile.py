"""The ledger as a file: where it is, the bundled seed, and what SQLite's error codes mean.

No SQL here (that is the ``ledger`` package); this module knows paths and error codes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .errors import BadInput, Busy, EnvironmentFault, QdtrackError
from .files import fsync_folder
from .i18n import N_, _, os_reason

if TYPE_CHECKING:  # paths on the read path are strings: importing pathlib costs 4 ms of start-up
    import pathlib


def busy_timeout_ms() -> int:
    try:
        return max(0, int(os.environ.get("QDTRACK_BUSY_TIMEOUT_MS", "5000")))
    except ValueError:
        return 5000


def default_location() -> str:
    """``$XDG_DATA_HOME/qdtrack/ledger.db`` (``~/.local/share/qdtrack/ledger.db``); the rule lives in config."""
    from .config import default_db_path

    return default_db_path()


def explicit_path(option: str | None) -> str | None:
    """The path the user named: ``--db``, else ``$QDTRACK_DB``, else the config file's ``db``."""
    if option:
        return os.path.expanduser(option)
    env = os.environ.get("QDTRACK_DB")
    if env:
        return os.path.expanduser(env)
    from .config import config_value

    configured = config_value("db")
    return os.path.expanduser(str(configured)) if configured else None


def default_path() -> str:
    """The ledger a command uses when no ``--db`` is given."""
    return explicit_path(None) or default_location()


def seed_sql() -> str:
    """The bundled seed (``data/seed.sql``, installed as package data)."""
    from importlib.resources import files

    try:
        return files("qdtrack.data").joinpath("seed.sql").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pass  # running from a source checkout: qdtrack.data is data/ only once installed
    import pathlib

    try:
        return (pathlib.Path(__file__).resolve().parent.parent / "data" / "seed.sql").read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise EnvironmentFault(
            _("the bundled seed data/seed.sql is missing from this installation; reinstall qdtrack")
        ) from e


def split_sql(script: str) -> Iterator[str]:
    """Yield the complete statements of a SQL script (triggers included)."""
    buf: list[str] = []
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


def map_error(e: sqlite3.Error, path: object) -> QdtrackError:
    """One line for a SQLite failure, chosen by its error code (never by its message text)."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return Busy(_("the ledger {path} is busy (another qdtrack is writing); try again in a moment").format(path=path))
    if primary == sqlite3.SQLITE_READONLY:
        return EnvironmentFault(_("the ledger {path} is read-only; check the file's and folder's permissions").format(path=path))
    if primary == sqlite3.SQLITE_FULL:
        return EnvironmentFault(_("the disk holding {path} is full; free some space and try again").format(path=path))
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return EnvironmentFault(_("{path} is damaged or not a ledger; restore it from a backup (see README, Data safety)").format(path=path))
    if primary == sqlite3.SQLITE_CANTOPEN:
        return EnvironmentFault(_("cannot open the ledger {path}; check that its folder exists and is writable").format(path=path))
    if primary == sqlite3.SQLITE_IOERR:
        name = getattr(e, "sqlite_errorname", None) or "SQLITE_IOERR"
        return EnvironmentFault(
            _("the disk holding {path} failed to read or write ({code}); check that it is not full or failing").format(path=path, code=name)
        )
    if primary in (sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_MISMATCH):
        return BadInput(_("the ledger refused the change (a value is out of range or malformed); nothing was written to {path}").format(path=path))
    return EnvironmentFault(_("the ledger {path} could not be used: {reason}").format(path=path, reason=e))


def remove_new_file(path: pathlib.Path) -> None:
    """Remove a file qdtrack just created, with its SQLite side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.remove(str(path) + suffix)


def backup(conn: sqlite3.Connection, source: pathlib.Path, target: pathlib.Path, finish: Callable[[sqlite3.Connection], None], *, overwrite: bool = False) -> None:
    """A consistent copy of the ledger at ``target`` through SQLite's online backup API.

    The copy is made in a temporary file beside ``target`` (one read transaction, so
    writers may go on meanwhile), flushed, then moved into place: never half written.
    """
    import pathlib

    from .files import check_writable_target

    check_writable_target(target, N_("the backup"))
    if not overwrite and target.exists():
        raise BadInput(_("{path} already exists; add --force to replace it").format(path=target))
    folder = target.parent
    if not folder.is_dir():
        raise EnvironmentFault(_("cannot write the backup: the folder {folder} does not exist").format(folder=folder))
    with contextlib.suppress(OSError):
        mine = source.resolve()
        if target.resolve() in (mine, *(pathlib.Path(f"{mine}{side}") for side in ("-wal", "-shm", "-journal"))):
            raise BadInput(_("the backup path is the ledger itself or one of its side files; give another path"))
    tmp = folder / f".{target.name}.{os.getpid()}.tmp"
    remove_new_file(tmp)
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.backup(dest)
            finish(dest)
        finally:
            dest.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except sqlite3.Error as e:
        remove_new_file(tmp)
        raise map_error(e, tmp) from e
    except OSError as e:
        remove_new_file(tmp)
        raise EnvironmentFault(_("cannot write the backup {path}: {reason}").format(path=target, reason=os_reason(e))) from e
    except BaseException:
        remove_new_file(tmp)
        raise
    fsync_folder(folder)




def quote_ident(name: str) -> str:
    return name.replace('"', '""')


def make_folder(path: pathlib.Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as e:
        raise EnvironmentFault(
            _("cannot create the ledger {path}: {parent} is a file, not a folder").format(path=path, parent=e.filename or path.parent)
        ) from e
    except OSError as e:
        raise EnvironmentFault(_("cannot create the folder {folder}: {reason}").format(folder=path.parent, reason=os_reason(e))) from e
