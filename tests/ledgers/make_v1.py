"""How tests/ledgers/v1.db was made (kept for the record; the .db is frozen, do not rebuild it).

v1.db is a ledger at schema version 1 (the single migration ``m001_ledger``), written by
qdtrack as of commit 7da8376 (2025 seed) with the commands below, then checkpointed into
one file (no -wal/-shm beside it). ``tests/test_migrate.py`` opens a copy with the current
qdtrack and checks that it upgrades with its history intact.

When a migration ``m00N_…`` is added, freeze a ledger at the schema *before* it the same
way, as ``tests/ledgers/v{N}.db`` with its own ``make_v{N}.py``, and add the version's
expectations to ``EXPECTED`` in ``tests/test_migrate.py``.

Usage (from the repository root, with the qdtrack of that time installed):
    python tests/ledgers/make_v1.py tests/ledgers/v1.db
"""

import pathlib
import sqlite3
import subprocess
import sys

COMMANDS = [
    ["init"],
    ["update", "21", "--value", "7", "--quarter", "2025Q2", "--by", "wang.fang"],
    [
        "update",
        "36",
        "--value",
        "520万",
        "--quarter",
        "2025Q2",
        "--note",
        "上半年新增绿色建筑520万平方米",
        "--by",
        "li.ming",
    ],
    [
        "update",
        "9.1.3",
        "--status",
        "on_track",
        "--quarter",
        "2025Q2",
        "--note",
        "试点任务按计划推进",
        "--by",
        "li.ming",
    ],
]


def main(out: pathlib.Path) -> None:
    if out.exists():
        sys.exit(f"{out} exists; a frozen ledger is never rebuilt in place")
    for args in COMMANDS:
        subprocess.run([sys.executable, "-m", "qdtrack", *args, "--db", str(out)], check=True)
    conn = sqlite3.connect(str(out))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
