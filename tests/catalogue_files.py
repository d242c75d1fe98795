"""Catalogue: files that are not regular files, and ledger paths SQLite would not keep in a file.

Every special file is made with mknod (or mkdir/symlink) inside the run's temp folder, never in
the real /dev; devices need root (those cases skip otherwise)."""

from __future__ import annotations

import pathlib
import sqlite3
from collections.abc import Callable

from tests.catalogue_kit import Case, case, make_node, needs_root

KINDS = ["chr-null", "chr-full", "blk-none", "fifo", "socket", "dir", "link-chr-null", "link-fifo", "link-dir", "link-socket"]

# role -> (where the special file goes, the command line); {node} is that path
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "db-option": ("{work}/node.db", ("status", "--db", "{node}")),
    "wal-beside-ledger": ("{db}-wal", ("status",)),
    "shm-beside-ledger": ("{db}-shm", ("update", "21", "--note", "x", "--quarter", "2025Q2")),
    "journal-beside-ledger": ("{db}-journal", ("check",)),
    "report-output": ("{work}/node.md", ("report", "--format", "markdown", "--output", "{node}")),
    "export-output": ("{work}/node.csv", ("export", "--format", "csv", "--output", "{node}")),
    "backup-target": ("{work}/node.db", ("backup", "{node}")),
    "backup-target-force": ("{work}/node.db", ("backup", "{node}", "--force")),
    "import-input": ("{work}/node.csv", ("import", "{node}")),
    "init-db-force": ("{work}/node.db", ("init", "--db", "{node}", "--force")),
    "check-db": ("{work}/node.db", ("check", "--db", "{node}")),
    "report-lock-file": ("{work}/r.md.lock", ("report", "--format", "markdown", "--output", "{work}/r.md")),
}


def _node_at(where: str, kind: str) -> Callable[[pathlib.Path, pathlib.Path], object]:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        make_node(pathlib.Path(where.replace("{work}", str(work)).replace("{db}", str(db))), kind)

    return setup


def _special_cases() -> list[Case]:
    out = []
    for role, (where, args) in ROLES.items():
        for kind in KINDS:
            filled = tuple(a.replace("{node}", where) for a in args)
            out.append(case("non-regular files", f"{role}-{kind}", *filled, setup=_node_at(where, kind), root=needs_root(kind)))
    return out


def _text_file(name: str, text: str) -> Callable[[pathlib.Path, pathlib.Path], object]:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        (work / name).write_text(text, encoding="utf-8")

    return setup


def _sqlite_without_tables(work: pathlib.Path, db: pathlib.Path) -> None:
    conn = sqlite3.connect(work / "other.db")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _empty_file(work: pathlib.Path, db: pathlib.Path) -> None:
    (work / "empty.db").write_bytes(b"")


G = "ledger paths"
URIS = [":memory:", "file:x.db", "file::memory:?cache=shared", "FILE:X.DB", "file:{db}", "file:{db}?mode=rwc", "File:///{db}"]
LEDGER_PATHS = [
    *[case(G, f"db-option-{i}-{u[:12]}", "status", "--db", u) for i, u in enumerate(URIS)],
    *[case(G, f"env-{i}-{u[:12]}", "status", env={"QDTRACK_DB": u}) for i, u in enumerate(URIS)],
    *[case(G, f"init-{i}-{u[:12]}", "init", "--db", u, "--force") for i, u in enumerate(URIS[:4])],
    case(G, "db-option-blank", "status", "--db", " "),
    case(G, "env-blank", "status", env={"QDTRACK_DB": "   "}),
    case(G, "db-root-folder", "status", "--db", "/"),
    case(G, "db-dot", "status", "--db", "."),
    case(G, "db-dotdot", "check", "--db", ".."),
    case(G, "backup-onto-wal", "backup", "{db}-wal"),
    case(G, "backup-onto-shm", "backup", "{db}-shm"),
    case(G, "backup-onto-journal", "backup", "{db}-journal"),
    case(G, "backup-onto-wal-force", "backup", "{db}-wal", "--force"),
    case(G, "backup-onto-shm-force", "backup", "{db}-shm", "--force"),
    case(G, "backup-onto-ledger", "backup", "{db}"),
    case(G, "backup-onto-ledger-force", "backup", "{db}", "--force"),
    case(G, "backup-onto-ledger-by-other-name", "backup", "{work}/./ledger.db", "--force"),
    case(G, "init-onto-existing-ledger", "init", "--db", "{db}"),
    case(G, "missing-ledger-named", "status", "--db", "{work}/missing.db", code=1),
    case(G, "missing-ledger-env", "status", env={"QDTRACK_DB": "{work}/missing.db"}, code=1),
    case(G, "missing-folder-named", "update", "21", "--note", "x", "--quarter", "2025Q2", "--db", "{work}/no/such/l.db", code=1),
    case(G, "ledger-under-a-file", "status", "--db", "{db}/inner.db", code=1),
    case(G, "text-file-as-ledger", "status", "--db", "{work}/notes.txt", code=1, setup=_text_file("notes.txt", "hello\n")),
    case(G, "text-file-as-ledger-check", "check", "--db", "{work}/notes.txt", code=1, setup=_text_file("notes.txt", "hi")),
    case(G, "sqlite-not-a-ledger", "status", "--db", "{work}/other.db", code=1, setup=_sqlite_without_tables),
    case(G, "sqlite-not-a-ledger-update", "update", "21", "--note", "x", "--quarter", "2025Q2", "--db", "{work}/other.db",
         code=1, setup=_sqlite_without_tables),
    case(G, "empty-file-named", "status", "--db", "{work}/empty.db", code=1, setup=_empty_file),
    case(G, "report-output-onto-ledger", "report", "--format", "markdown", "--output", "{db}"),
    case(G, "export-output-onto-ledger", "export", "--format", "csv", "--output", "{db}"),
    case(G, "report-output-onto-wal", "report", "--format", "markdown", "--output", "{db}-wal"),
    case(G, "export-output-onto-shm", "export", "--format", "json", "--output", "{db}-shm"),
    case(G, "import-the-ledger-itself", "import", "{db}"),
]  # fmt: skip

CASES = _special_cases() + LEDGER_PATHS
