"""Shared by the fuzz test and the catalogue: run the CLI on a copy of a seeded ledger and
judge the result (no traceback, no "internal error", a documented exit code, nothing changed
on a refusal). Each run gets its own folder as the working directory and $HOME, so any path
an argument names lands inside it."""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from click.testing import CliRunner, Result

from qdtrack.cli import cli

EXIT_CODES = frozenset({0, 1, 2, 3, 4, 5})  # README "Exit codes"
RUNNER = CliRunner()


def make_template(folder: pathlib.Path) -> pathlib.Path:
    """A seeded ledger (``qdtrack init --db``), checkpointed: one file, no -wal beside it."""
    path = folder / "template.db"
    env = {"XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder / "data"), "QDTRACK_DB": None}
    result = RUNNER.invoke(cli, ["init", "--db", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert not pathlib.Path(str(path) + "-wal").exists()
    return path


def content(db: pathlib.Path, skip: Sequence[str] = ()) -> dict[str, list[tuple[object, ...]]]:
    """The ledger's logical content: the schema (tables, triggers, indexes) and every table's
    rows in rowid order; tables named in ``skip`` (report_runs after a report) left out."""
    db = db.resolve()  # a ledger reached through a symlink keeps its -wal beside the real file
    with tempfile.TemporaryDirectory() as folder:
        copy = pathlib.Path(folder) / "copy.db"
        shutil.copyfile(db, copy)  # a copy: SQLite would open a FIFO left beside the ledger
        wal = pathlib.Path(f"{db}-wal")
        if wal.is_file() and not wal.is_symlink():
            shutil.copyfile(wal, f"{copy}-wal")
        return _content(copy, skip)


def _content(db: pathlib.Path, skip: Sequence[str]) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        out: dict[str, list[tuple[object, ...]]] = {"sqlite_master": schema}
        for kind, name, _sql in schema:
            if kind == "table" and name not in skip and not name.startswith("sqlite_stat"):
                rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
                out[name] = rows
        return out
    finally:
        conn.close()


@dataclass
class Run:
    result: Result
    work: pathlib.Path
    db: pathlib.Path

    @property
    def code(self) -> int:
        return self.result.exit_code

    @property
    def text(self) -> str:
        return self.result.stdout + self.result.stderr


@contextlib.contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Fail instead of hanging when something opens a FIFO (no-op where there is no SIGALRM)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def boom(signum: int, frame: object) -> None:
        raise TimeoutError("blocked: something opened a special file")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def workdir(root: pathlib.Path, template: pathlib.Path) -> Iterator[tuple[pathlib.Path, pathlib.Path]]:
    """A fresh folder with a copy of the template ledger in it; removed afterwards."""
    work = pathlib.Path(tempfile.mkdtemp(dir=root))
    db = work / "ledger.db"
    shutil.copyfile(template, db)
    try:
        yield work, db
    finally:
        shutil.rmtree(work, ignore_errors=True)


def invoke(args: Sequence[str], work: pathlib.Path, db: pathlib.Path, env: Mapping[str, str | None] | None = None) -> Result:
    """The CLI in-process, run from ``work`` with $HOME there and $QDTRACK_DB the copy."""
    full = {"QDTRACK_DB": str(db), "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"), "QDTRACK_DEBUG": None}
    full.update(env or {})
    old = os.getcwd()
    os.chdir(work)
    try:
        return RUNNER.invoke(cli, list(args), env=full, catch_exceptions=True)
    finally:
        os.chdir(old)


def invoke_process(args: Sequence[str], work: pathlib.Path, db: pathlib.Path, env: Mapping[str, str] | None = None) -> Result:
    """``python -m qdtrack ARGS`` in a real process (str args with surrogates become the raw
    bytes, as the OS passes them); the outcome as a click ``Result`` so the same checks apply."""
    full = {k: v for k, v in os.environ.items() if k not in ("QDTRACK_DEBUG", "LC_ALL")}
    full.update({"QDTRACK_DB": str(db), "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"), "LANG": "C.UTF-8"})
    full.update(env or {})
    stdout_to = full.pop("@stdout", None)  # a file (a full device) as standard output
    with open(stdout_to, "wb") if stdout_to else contextlib.nullcontext() as out:
        done = subprocess.run([sys.executable, "-m", "qdtrack", *args], cwd=work, env=full, stdout=out or subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60)  # fmt: skip
    stdout = done.stdout or b""
    return Result(RUNNER, stdout, done.stderr, stdout + done.stderr, None, done.returncode, None)


def fill(args: Sequence[str], places: Mapping[str, object]) -> list[str]:
    out = []
    for arg in args:
        for key, value in places.items():
            arg = arg.replace("{" + key + "}", str(value))
        out.append(arg)
    return out


def assert_clean(result: Result, args: Sequence[str]) -> None:
    """No traceback, no 'internal error', a documented exit code, no exception escaped."""
    text = result.stdout + result.stderr
    where = f"args={list(args)!r} exit={result.exit_code} stderr={result.stderr[-600:]!r}"
    assert result.exit_code in EXIT_CODES, where
    assert result.exception is None or isinstance(result.exception, SystemExit), (where, result.exc_info)
    assert "Traceback" not in text, where
    assert "internal error" not in text.lower(), where


def assert_refusal(result: Result | list[str], args: Sequence[str]) -> None:
    """A refusal: one non-empty line on stderr starting "Error: " (or zh "错误："); ``result``
    may be the lines already picked out."""
    lines = result if isinstance(result, list) else result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(("Error: ", "错误：")), (list(args), lines[-5:])


# -- the catalogue's cases --------------------------------------------------------------------

Setup = Callable[[pathlib.Path, pathlib.Path], object]  # (work, db) -> anything


@dataclass(frozen=True)
class Case:
    """One named bad input: ``args`` (``{work}``, ``{db}`` filled in) must exit ``code`` with one
    line on stderr, nothing on stdout, the ledger unchanged and every file ``setup`` made left
    as it was. ``root``: needs mknod of devices. ``env``: extra environment."""

    group: str
    name: str
    args: tuple[str, ...]
    code: int = 2
    setup: Setup | None = None
    env: tuple[tuple[str, str], ...] = ()
    root: bool = False
    xfail: str | None = None
    proc: bool = False  # run in a real subprocess (invalid UTF-8 in argv, full disks on stdout)

    @property
    def id(self) -> str:
        return f"{self.group}:{self.name}"


def case(
    group: str, name: str, *args: str, code: int = 2, setup: Setup | None = None, root: bool = False,
    env: Mapping[str, str] | None = None, xfail: str | None = None, proc: bool = False,
) -> Case:
    return Case(group, name, tuple(args), code, setup, tuple(sorted((env or {}).items())), root, xfail, proc)


NODE_KINDS = {  # name -> (mode, device, needs root)
    "chr-null": (stat.S_IFCHR | 0o666, (1, 3), True),
    "chr-full": (stat.S_IFCHR | 0o666, (1, 7), True),
    "blk-none": (stat.S_IFBLK | 0o600, (0, 0), True),  # no such device: opening it fails, harmless
    "fifo": (stat.S_IFIFO | 0o600, None, False),
    "socket": (stat.S_IFSOCK | 0o600, None, False),
}


def make_node(path: pathlib.Path, kind: str) -> None:
    """A special file at ``path`` in a temp dir (never the real /dev): a device, FIFO, socket,
    folder, or ``link-<kind>``, a symlink to one made beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind.startswith("link-"):
        target = path.with_name(path.name + ".target")
        make_node(target, kind[5:])
        os.symlink(target, path)
    elif kind == "dir":
        path.mkdir()
    else:
        mode, dev, _root = NODE_KINDS[kind]
        os.mknod(path, mode, os.makedev(*dev) if dev else 0)


def needs_root(kind: str) -> bool:
    base = kind.removeprefix("link-")
    return base in NODE_KINDS and NODE_KINDS[base][2]


LEDGER_FILES = {"ledger.db", "ledger.db-wal", "ledger.db-shm", "ledger.db-journal"}


def snapshot(work: pathlib.Path) -> dict[str, tuple[int, int]]:
    """Every path under ``work`` but the ledger's own files: its lstat kind and, for regular files, size."""
    out = {}
    for p in sorted(work.rglob("*")):
        st = os.lstat(p)
        if stat.S_ISREG(st.st_mode) and (p.name in LEDGER_FILES or (p.suffix == ".lock" and not st.st_size)):
            continue  # the ledger's own files; an output's empty lock file stays by design (README)
        out[str(p.relative_to(work))] = (stat.S_IFMT(st.st_mode), st.st_size if stat.S_ISREG(st.st_mode) else 0)
    return out
