"""File-system helpers shared by the report writer and the backup."""

import contextlib
import os


def fsync_folder(folder) -> None:
    """Flush a folder's entries to disk, so a rename into it survives a crash (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
