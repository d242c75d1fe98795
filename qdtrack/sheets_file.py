"""Reading an input file safely: a regular file within MAX_FILE_BYTES, never a FIFO or a device,
its name shown printable. Leaf module of ``sheets`` (which re-exports ``read_bytes`` and ``shown``)."""

from __future__ import annotations

import os

from .errors import BadInput
from .files import kind_of
from .i18n import _, os_reason

MAX_FILE_BYTES = 50 * 1024 * 1024  # any input file


def shown(file: str) -> str:
    """A file name safe to print: undecodable bytes and control characters escaped."""
    text = os.fsencode(file).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _kind_refused(path: str | int) -> str | None:
    """Why ``path`` (or an open descriptor) is not a file to read, following symlinks; None when it is."""
    kind = kind_of(os.stat(path).st_mode)
    return _("it is {kind}, not a regular file").format(kind=kind) if kind else None


def _os_refusal(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return _("no such file; check the path")
    if isinstance(e, NotADirectoryError):
        return _("a folder on its path is a file; check the path")
    if isinstance(e, PermissionError):
        return _("permission denied; check its permissions")
    return _("{reason}; check the path").format(reason=os_reason(e))


def read_bytes(file: str) -> bytes:
    """The file's bytes, if it is a regular file within MAX_FILE_BYTES; never opens a FIFO or device."""
    name = shown(file)
    try:
        st = os.stat(file)  # follows symlinks: a link to a FIFO is a FIFO; stat never opens it
        why = _kind_refused(file)
    except (OSError, ValueError) as e:
        reason = _os_refusal(e) if isinstance(e, OSError) else _("the name holds a NUL character")
        raise BadInput(_("cannot import {name}: {reason}").format(name=name, reason=reason)) from None
    if why:
        raise BadInput(_("cannot import {name}: {why}; give a .csv, .xlsx or .json file").format(name=name, why=why))
    if st.st_size > MAX_FILE_BYTES:
        raise BadInput(_("cannot import {name}: it is {size:,} bytes, over the {limit:,} limit; split it").format(name=name, size=st.st_size, limit=MAX_FILE_BYTES))
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in never blocks
    except OSError as e:
        raise BadInput(_("cannot import {name}: {reason}").format(name=name, reason=_os_refusal(e))) from None
    with os.fdopen(fd, "rb") as f:
        swapped = _kind_refused(fd)  # replaced by something else since the stat?
        if swapped:
            raise BadInput(_("cannot import {name}: {swapped}; give a .csv, .xlsx or .json file").format(name=name, swapped=swapped))
        try:
            data = f.read(MAX_FILE_BYTES + 1)
        except OSError as e:
            raise BadInput(_("cannot read {name}: {reason}").format(name=name, reason=_os_refusal(e))) from None
    if len(data) > MAX_FILE_BYTES:
        raise BadInput(_("cannot import {name}: it is over the {limit:,} byte limit; split it").format(name=name, limit=MAX_FILE_BYTES))
    return data
