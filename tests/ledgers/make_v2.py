"""How tests/ledgers/v2.db was made (kept for the record; the .db is frozen, do not rebuild it).

v2.db is a ledger at schema version 2 (``m001_ledger``, ``m002_dated_figures``), written by
qdtrack as of commit 05e01b5 with the commands below, then checkpointed into one file. It
holds what schema 2 added: figures dated inside a quarter (``--on``), a withdrawn entry,
milestones (one done, one removed) and a correction, so that later migrations
are tested on every kind of history row.

Usage (from the repository root, with the qdtrack of that time installed):
    python tests/ledgers/make_v2.py tests/ledgers/v2.db
"""

import pathlib
import sqlite3
import subprocess
import sys

COMMANDS = [
    ["init"],
    ["update", "21", "--value", "5", "--on", "2025-05-12", "--by", "wang.fang"],
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
    ["update", "36", "--value", "510万", "--quarter", "2025Q2", "--correct", "--by", "li.ming"],
    ["update", "44", "--value", "9000场", "--quarter", "2025Q2", "--by", "zhao.lei"],
    ["void", "70", "--reason", "录错事项", "--by", "zhao.lei"],
    ["plan", "milestone", "9.1.3", "2025-06-30", "完成方案编制", "--by", "li.ming"],
    ["plan", "milestone", "9.1.3", "2025-12-31", "主体完工", "--by", "li.ming"],
    ["plan", "milestone", "9.1.3", "2025-09-30", "中期评估", "--by", "li.ming"],
    ["plan", "milestone", "9.1.3", "--remove", "3", "--by", "li.ming"],
    ["update", "9.1.3", "--milestone", "1", "--done", "--on", "2025-06-20", "--by", "li.ming"],
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
