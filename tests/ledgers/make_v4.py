"""How tests/ledgers/v4.db was made (kept for the record; the .db is frozen, do not rebuild it).

v4.db is a ledger at schema version 4 (``m001_ledger`` … ``m004_cycle``): the frozen v3.db
upgraded by qdtrack's own migrations up to ``m004_cycle`` and no further
(``Migrations.apply(..., stop_before="m005_chain")``; every entry gets its uid there), then
the responsible units of item 21 set as ``qdtrack plan set 21 --owner 市交通运输局,市港口发展集团``
of that schema wrote them (the owners rows and their plan change, in one transaction), then
checkpointed into one file.

Usage (from the repository root, with the qdtrack of that time installed):
    python tests/ledgers/make_v4.py tests/ledgers/v4.db
"""

import pathlib
import shutil
import sqlite3
import sys

import sqlite_utils

from qdtrack.migrations import migrations

HERE = pathlib.Path(__file__).resolve().parent
UNITS = ("市交通运输局", "市港口发展集团")
AT = "2025-07-02T09:30:00+08:00"


def main(out: pathlib.Path) -> None:
    if out.exists():
        sys.exit(f"{out} exists; a frozen ledger is never rebuilt in place")
    shutil.copyfile(HERE / "v3.db", out)
    db = sqlite_utils.Database(str(out))
    migrations.apply(db, stop_before="m005_chain")
    db.close()
    conn = sqlite3.connect(str(out))
    try:
        with conn:
            (task_id,) = conn.execute("SELECT id FROM tasks WHERE year = 2025 AND listed_no = 21").fetchone()
            conn.executemany(
                "INSERT INTO owners (task_id, pos, unit) VALUES (?, ?, ?)",
                [(task_id, i, u) for i, u in enumerate(UNITS, 1)],
            )
            conn.execute(
                "INSERT INTO plan_changes (year, task_id, metric_id, field, old, new, recorded_at, recorded_by, source)"
                " VALUES (2025, ?, NULL, 'owners', NULL, ?, ?, 'li.ming', ?)",
                [task_id, "、".join(UNITS), AT, "qdtrack plan set 21 --owner " + ",".join(UNITS)],
            )
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
