"""How tests/ledgers/v3.db was made (kept for the record; the .db is frozen, do not rebuild it).

v3.db is a ledger at schema version 3 (``m001_ledger``, ``m002_dated_figures``,
``m003_views``): the frozen v2.db upgraded by qdtrack's own migrations up to ``m003_views``
and no further (``Migrations.apply(..., stop_before="m004_cycle")``), as of the commit that
froze it, then checkpointed into one file. Its history is v2's.

Usage (from the repository root, with the qdtrack of that time installed):
    python tests/ledgers/make_v3.py tests/ledgers/v3.db
"""

import pathlib
import shutil
import sqlite3
import sys

import sqlite_utils

from qdtrack.migrations import migrations

HERE = pathlib.Path(__file__).resolve().parent


def main(out: pathlib.Path) -> None:
    if out.exists():
        sys.exit(f"{out} exists; a frozen ledger is never rebuilt in place")
    shutil.copyfile(HERE / "v2.db", out)
    db = sqlite_utils.Database(str(out))
    migrations.apply(db, stop_before="m004_cycle")
    db.close()
    conn = sqlite3.connect(str(out))
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
