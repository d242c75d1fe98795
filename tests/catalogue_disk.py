"""Catalogue: a full disk. Standard output on a full device (mknod 1,7 in the run's folder, the
kernel's /dev/full), and ``--output``, backups and the ledger itself on a tiny tmpfs mounted in
the run's folder and filled up. Root only (mknod, mount); skipped otherwise. Every case: exit 1,
one line, the ledger unchanged, no temp file left behind, a previous report kept."""

from __future__ import annotations

import os
import pathlib
import shutil
import stat
import subprocess
from collections.abc import Callable

from tests.catalogue_kit import Case, case

G = "full disk"


def _full_device(work: pathlib.Path, db: pathlib.Path) -> None:
    os.mknod(work / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))


def _mount_full(free: int, ledger: bool = False, previous: str | None = None) -> Callable[[pathlib.Path, pathlib.Path], object]:
    """A 1 MB tmpfs at {work}/fs with ``free`` bytes left; with ``ledger`` the ledger lives there
    ({db} becomes a symlink to it); ``previous``: a report already in place, which must stay."""

    def setup(work: pathlib.Path, db: pathlib.Path) -> Callable[[], None]:
        fs = work / "fs"
        fs.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(fs)], check=True, capture_output=True)
        if ledger:
            shutil.copyfile(db, fs / "ledger.db")
            db.unlink()
            db.symlink_to(fs / "ledger.db")
        if previous:
            (fs / previous).write_text("the previous report\n", encoding="utf-8")
        st = os.statvfs(fs)
        with open(fs / "filler", "wb") as f:
            f.truncate(0)
            f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - free))
        return lambda: subprocess.run(["umount", "-l", str(fs)], check=False, capture_output=True) and None

    return setup


STDOUT = {"@stdout": "{work}/full"}
ON_FULL_STDOUT = [
    ("status", "status"), ("status-json", "status", "--format", "json"), ("status-csv", "status", "--format", "csv"),
    ("show", "show", "21"), ("log", "log"), ("log-json", "log", "--format", "json"), ("lagging", "lagging"),
    ("areas", "areas"), ("report-markdown", "report", "--format", "markdown"), ("report-json", "report", "--format", "json"),
    ("export-csv", "export", "--format", "csv"), ("export-json", "export", "--format", "json"), ("check", "check"),
    ("config", "config"), ("help", "--help"),
]  # fmt: skip
CASES: list[Case] = [
    case(G, f"stdout-{name}", *args, code=1, setup=_full_device, env=STDOUT, root=True, proc=True)
    for name, *args in ON_FULL_STDOUT
]
OUTPUTS = [
    ("report-html", ("report", "--format", "html", "--output", "{work}/fs/r.html"), None),
    ("report-html-keeps-previous", ("report", "--format", "html", "--output", "{work}/fs/r.html"), "r.html"),
    ("report-markdown", ("report", "--format", "markdown", "--output", "{work}/fs/r.md"), None),
    ("report-xlsx", ("report", "--format", "xlsx", "--output", "{work}/fs/r.xlsx"), None),
    ("report-csv-keeps-previous", ("report", "--format", "csv", "--output", "{work}/fs/r.csv"), "r.csv"),
    ("export-csv", ("export", "--format", "csv", "--output", "{work}/fs/e.csv"), None),
    ("export-json", ("export", "--format", "json", "--output", "{work}/fs/e.json"), None),
    ("export-xlsx", ("export", "--format", "xlsx", "--output", "{work}/fs/e.xlsx"), None),
    ("backup", ("backup", "{work}/fs/b.db"), None),
    ("backup-force-keeps-previous", ("backup", "{work}/fs/b.db", "--force"), "b.db"),
]
CASES += [case(G, f"output-{name}", *args, code=1, setup=_mount_full(2048, previous=prev), root=True) for name, args, prev in OUTPUTS]
WRITES = [
    ("update", ("update", "21", "--value", "7", "--quarter", "2025Q2")),
    ("update-note", ("update", "36", "--note", "二季度" * 2000, "--quarter", "2025Q2")),
    ("void", ("void", "1", "--reason", "录错")),
    ("plan-milestone", ("plan", "milestone", "1.2.8", "2025-06-30", "完成方案编制")),
    ("init-force", ("init", "--force")),
]
CASES += [
    case(G, f"ledger-{name}-{free}", *args, code=1, setup=_mount_full(free, ledger=True), root=True)
    for name, args in WRITES
    for free in (0, 4096)
]
