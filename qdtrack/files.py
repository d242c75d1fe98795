"""File safety: only regular files are ever written, replaced or read as input.

* ``check_writable_target`` / ``check_readable_input`` / ``check_ledger_path`` refuse (``BadInput``, one line) a device, FIFO,
  socket or folder, or a symlink to one, *before* anything is opened.
* ``expand_output`` turns ``{date}`` in an ``--output`` path into the date.
* ``output_lock`` makes runs writing the same file take turns (``filelock``
  on ``PATH.lock``: ``flock`` on Unix, ``msvcrt`` on Windows, no ``fcntl`` here).
* ``write_atomic`` writes a temp file beside the target, fsyncs it and renames
  it over the target, so the file is always whole.

Nothing here is POSIX-only on the paths every platform runs (``os.fchmod`` is
used only where it exists).
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import BadInput, EnvironmentFault
from .i18n import N_, _, os_reason

if TYPE_CHECKING:  # imported where a path object is made: pathlib costs 4 ms of start-up
    import pathlib

StrPath = str | os.PathLike[str]

#: What each kind of non-regular file is called in messages.
KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
    (stat.S_ISSOCK, N_("a socket")),
)

#: The files SQLite keeps beside a ledger.
SIDECARS = ("-wal", "-shm", "-journal")


def fsync_folder(folder: StrPath) -> None:
    """Flush a folder's entries to disk, so a rename into it survives a crash (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- what a path is -----------------------------------------------------------------------


def kind_of(mode: int) -> str | None:
    """None for a regular file, else what it is ("a folder", "a character device", ...)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in KINDS:
        if test(mode):
            return name
    return N_("not a regular file")


def not_regular(path: StrPath) -> str | None:
    """What ``path`` is if it exists and is not a regular file ("a symlink to a FIFO ..."), else None.

    A missing path, a dangling symlink or a path that cannot be looked at
    (its folder is missing or unreadable) counts as no objection: writing or
    reading it then fails with its own error.
    """
    try:
        lst = os.lstat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISLNK(lst.st_mode):
        return kind_of(lst.st_mode)
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    kind = kind_of(st.st_mode)
    return _("a symlink to {kind}").format(kind=kind) if kind else None


# -- the checks ---------------------------------------------------------------------------


def check_name_length(path: StrPath, what: str) -> None:
    """Refuse a path the file system cannot even look up because a name in it is too long."""
    try:
        os.lstat(path)
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            message = _("{what} {path}: a file name in it is too long for this system; use a shorter name")
            raise BadInput(message.format(what=what, path=path)) from err
    except ValueError:
        pass


def check_writable_target(path: StrPath, what: str) -> None:
    """Refuse to write, replace or remove ``path`` unless it is a regular file (or missing).

    ``what`` names the path in the message, e.g. ``"--output"`` or ``"the backup PATH"``.
    """
    import pathlib

    check_name_length(path, what)
    kind = not_regular(path)
    if kind is None:
        return
    if os.path.isdir(path):  # a folder, or a symlink to one
        example = pathlib.Path(path) / ("report.html" if what == "--output" else "ledger.db")
        raise BadInput(_("{what} {path} is {kind}; give a file path such as {example}").format(what=what, path=path, kind=kind, example=example))
    message = _("{what} {path} is {kind}, not a regular file; qdtrack writes only regular files: give a file path")
    raise BadInput(message.format(what=what, path=path, kind=kind))


def check_readable_input(path: StrPath, what: str = N_("import")) -> None:
    """Refuse to read ``path`` as an input file unless it is a regular file (a FIFO or device may never end)."""
    check_name_length(path, what)
    kind = not_regular(path)
    if kind is not None:
        message = _("cannot {what} {path}: it is {kind}, not a regular file; give a .csv, .xlsx or .json file")
        raise BadInput(message.format(what=what, path=path, kind=kind))


def check_ledger_path(path: StrPath) -> None:
    """Refuse a ledger path that is not a plain file path: ``:memory:``, ``file:`` URIs, devices, FIFOs ...

    SQLite's own files beside it (``-wal``, ``-shm``, ``-journal``) must be
    regular files too: SQLite writes and removes them.
    """
    text = os.fspath(path)
    if not text.strip():
        raise BadInput(_("the ledger path is empty; give a file path such as ~/qdtrack/ledger.db"))
    if text == ":memory:" or text.lower().startswith("file:"):
        raise BadInput(_("the ledger path {path!r} is not a file path; give a file path such as ~/qdtrack/ledger.db").format(path=text))
    check_name_length(text, _("the ledger path"))
    for name in (text, *(text + suffix for suffix in SIDECARS)):
        kind = not_regular(name)
        if kind is not None:
            raise BadInput(_("the ledger file {path} is {kind}, not a regular file; give the path of a ledger file").format(path=name, kind=kind))


SQLITE_MAGIC = b"SQLite format 3\x00"


def check_not_a_database(path: StrPath, what: str) -> None:
    """Refuse to write a report or an export over a SQLite database (a ledger, a backup) or
    over a side file (-wal, -shm, -journal) of one: replacing either destroys the ledger."""
    name = os.fspath(path)
    base = next((name[: -len(s)] for s in SIDECARS if name.endswith(s)), None)
    head = b""
    with contextlib.suppress(OSError, ValueError):
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a regular file here; never blocks
        try:
            head = os.read(fd, len(SQLITE_MAGIC))
        finally:
            os.close(fd)
    if head == SQLITE_MAGIC or (base and os.path.isfile(base)):
        message = _("{what} {path} is a SQLite database (a ledger or a backup) or one of its side files; give another path")
        raise BadInput(message.format(what=what, path=path))


# -- where output goes -----------------------------------------------------------------------


def expand_output(template: str, as_of: datetime.date) -> pathlib.Path:
    """``{date}`` in the path becomes the as-of date (YYYY-MM-DD); ``~`` is expanded."""
    import pathlib

    if not template or not template.strip():
        raise BadInput(_("--output is empty; give a file path such as reports/{{date}}.html"))
    return pathlib.Path(os.path.expanduser(template.replace("{date}", as_of.isoformat())))


def _fault(what: str, path: StrPath, err: OSError) -> EnvironmentFault:
    return EnvironmentFault(_("cannot {what} {path}: {reason}").format(what=what, path=path, reason=os_reason(err)))


def lock_path(path: pathlib.Path) -> pathlib.Path:
    return path.with_name(path.name + ".lock")


def _check_lock_file(lp: pathlib.Path) -> None:
    try:
        mode = os.lstat(lp).st_mode
    except (OSError, ValueError):
        return
    kind = N_("a symlink") if stat.S_ISLNK(mode) else kind_of(mode)
    if kind is not None:
        raise BadInput(_("the lock file {path} is {kind}, not a regular file; remove it (qdtrack keeps its lock there)").format(path=lp, kind=kind))


@contextlib.contextmanager
def output_lock(path: pathlib.Path, what: str = "--output") -> Iterator[None]:
    """Hold an exclusive lock on ``PATH.lock`` while ``path`` is written.

    Blocking: a second run waits for the first to finish, then writes its own
    file (the last to finish wins, and the file is always whole). The lock
    file stays in place afterwards (on Unix): removing a lock file others may
    be waiting on would let two runs hold locks on different files at once.
    """
    check_writable_target(path, what)
    check_not_a_database(path, what)
    lp = lock_path(path)
    _check_lock_file(lp)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _fault(N_("create the folder"), path.parent, err) from err
    from filelock import FileLock

    lock = FileLock(str(lp))
    try:
        lock.acquire()
    except OSError as err:
        raise _fault(N_("lock"), lp, err) from err
    try:
        yield
    finally:
        lock.release()


# -- whole files only -------------------------------------------------------------------------


def _new_file_mode(path: pathlib.Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _set_mode(fd: int, name: str, mode: int) -> None:
    if hasattr(os, "fchmod"):  # POSIX only
        os.fchmod(fd, mode)
    else:
        os.chmod(name, mode)


def write_atomic(path: pathlib.Path, data: bytes | Iterable[bytes], what: str = "--output") -> None:
    """Write to a temp file in the same folder, fsync, rename over ``path``, fsync the folder.

    ``path`` must be a regular file or missing (checked before anything is
    opened). On any failure the temp file is removed and ``path`` keeps its
    old content.
    """
    import tempfile

    check_writable_target(path, what)
    folder = path.parent
    mode = _new_file_mode(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _fault(N_("write to the folder"), folder, err) from err
    try:
        with os.fdopen(fd, "wb") as f:
            _set_mode(f.fileno(), tmp, mode)
            for chunk in [data] if isinstance(data, bytes) else data:  # chunks: a file streamed (export)
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        check_writable_target(path, what)  # still a regular file (or missing) just before the rename
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _fault(N_("write"), path, err) from err
        raise
    fsync_folder(folder)


# -- restoring a backup ------------------------------------------------------------------------


def check_backup_source(backup: str, ledger: pathlib.Path) -> pathlib.Path:
    """The backup file ``restore`` reads: it exists, is a regular file, and is not the ledger or a side file of it."""
    import pathlib

    if not backup.strip():
        raise BadInput(_("the BACKUP path is empty; give the path of a backup made with: qdtrack backup PATH"))
    path = pathlib.Path(backup).expanduser()
    what = _("the backup")
    check_name_length(path, what)
    kind = not_regular(path)
    if kind is not None:
        message = _("cannot restore from {path}: it is {kind}, not a regular file; give the path of a backup file")
        raise BadInput(message.format(path=path, kind=kind))
    if not path.is_file():
        raise BadInput(_("no backup at {path}; give the path of a backup made with: qdtrack backup PATH").format(path=path))
    for name in (ledger, *(pathlib.Path(f"{ledger}{suffix}") for suffix in SIDECARS)):
        with contextlib.suppress(OSError):
            if os.path.samefile(path, name):
                raise BadInput(_("{path} is the ledger itself or one of its side files, not a backup of it").format(path=path))
    return path


def dated_path(path: pathlib.Path, now: datetime.datetime) -> pathlib.Path:
    """``ledger.db.YYYYMMDD-HHMMSS.bak`` beside ``path`` (``-2``, ``-3`` … if taken)."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    keep = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while any(os.path.lexists(f"{keep}{suffix}") for suffix in ("", *SIDECARS)):
        n += 1
        keep = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    return keep


def private_copy(source: pathlib.Path, folder: pathlib.Path) -> pathlib.Path:
    """Copy ``source`` byte for byte to a new hidden file in ``folder`` (only the file: no ``-wal`` of it)."""
    import pathlib
    import shutil
    import tempfile

    if not folder.is_dir():
        raise EnvironmentFault(_("cannot restore: the ledger's folder {folder} does not exist").format(folder=folder))
    try:
        fd, name = tempfile.mkstemp(prefix=".restore.", suffix=".db", dir=folder)
    except OSError as err:
        raise _fault(_("write to the folder"), folder, err) from err
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise _fault(_("copy the backup"), source, err) from err
    return pathlib.Path(name)


def give_mode_of(new: pathlib.Path, old: pathlib.Path) -> None:
    """Give ``new`` (a private temp file) the permissions ``old`` has, or a new file's usual ones."""
    with contextlib.suppress(OSError):
        os.chmod(new, _new_file_mode(old))


def has_sqlite_header(path: pathlib.Path) -> bool:
    """True when the file starts as an SQLite database does (read before any connection is open)."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\0"
    except OSError:
        return False


def move_aside(path: pathlib.Path, keep: pathlib.Path) -> bool:
    """Rename a damaged ledger and its ``-wal``/``-journal`` to ``keep`` (the ``-shm`` index is dropped).

    True when something was there to keep. The pair keeps its names' pairing, so SQLite opening
    ``keep`` sees the same state the damaged ledger had.
    """
    kept = False
    try:
        for suffix in ("", "-wal", "-journal"):
            if os.path.lexists(f"{path}{suffix}"):
                os.replace(f"{path}{suffix}", f"{keep}{suffix}")
                kept = True
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}-shm")
    except OSError as err:
        raise _fault(_("move aside"), path, err) from err
    return kept


def zip_directory(data: bytes) -> tuple[int, int, bool] | None:
    """A zip's table of contents as its end record declares it: (entries, directory size in
    bytes, whether it uses ZIP64), read before ``zipfile`` would build an object per entry;
    None when the data is not a zip. Readers of .xlsx and .docx bound both numbers."""
    i = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if i < 0 or len(data) < i + 22:
        return None
    entries = int.from_bytes(data[i + 10 : i + 12], "little")
    size = int.from_bytes(data[i + 12 : i + 16], "little")
    zip64 = entries == 0xFFFF or size == 0xFFFFFFFF or data[max(0, i - 20) : i - 16] == b"PK\x06\x07"
    return entries, size, zip64
