"""File safety: where output goes (``{date}``), one writer at a time (the output lock), whole files only (atomic write)."""

from __future__ import annotations

import contextlib
import datetime
import os
import pathlib

from .errors import BadInput, EnvironmentFault


def fsync_folder(folder) -> None:
    """Flush a folder's entries to disk, so a rename into it survives a crash (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def expand_output(template: str, as_of: datetime.date) -> pathlib.Path:
    """``{date}`` in the path becomes the as-of date (YYYY-MM-DD); ``~`` is expanded."""
    if not template or not template.strip():
        raise BadInput("--output is empty; give a file path such as reports/{date}.html")
    return pathlib.Path(os.path.expanduser(template.replace("{date}", as_of.isoformat())))


def _fault(what: str, path, err: OSError) -> EnvironmentFault:
    reason = err.strerror or str(err)
    return EnvironmentFault(f"cannot {what} {path}: {reason}")


def lock_path(path: pathlib.Path) -> pathlib.Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def output_lock(path: pathlib.Path):
    """Hold an exclusive ``flock`` on ``PATH.lock`` while the report is written.

    Blocking: a second run waits for the first to finish, then writes its own
    report (the last to finish wins, and the file is always whole). The lock
    file is removed on release; a waiter that then finds it was handed a
    removed file retries on the new one, so no two runs ever write at once.
    """
    import fcntl

    lp = lock_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _fault("create the folder", path.parent, err) from err
    if path.is_dir():
        raise BadInput(f"--output {path} is a folder; give a file path such as {path}/report.html")
    while True:
        try:
            fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise _fault("create the lock file", lp, err) from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(lp).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)  # the holder removed it while we waited: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lp)
        os.close(fd)  # releases the flock


def write_atomic(path: pathlib.Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, rename over ``path``, fsync the folder.

    On any failure the temp file is removed and ``path`` keeps its old content.
    """
    import tempfile

    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _fault("write to the folder", folder, err) from err
    try:
        try:
            mode = os.stat(path).st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _fault("write the report", path, err) from err
        raise
    fsync_folder(folder)
