"""Run qdtrack in real subprocesses, against a real ledger file."""

from __future__ import annotations

import os
import pathlib
import sqlite3
import subprocess
import sys
from typing import Any

REPO = pathlib.Path(__file__).resolve().parent.parent


def proc_env(db: pathlib.Path | str | None, **extra: object) -> dict[str, str]:
    """The environment of a qdtrack subprocess: QDTRACK_DB=db (a ledger that must exist; with
    db None, QDTRACK_DB unset, so the default location under XDG_DATA_HOME is used)."""
    env = dict(os.environ)
    if db is None:
        env.pop("QDTRACK_DB", None)
    else:
        env["QDTRACK_DB"] = str(db)
    env["LANG"] = "C.UTF-8"
    env.pop("QDTRACK_DEBUG", None)
    env.pop("LC_ALL", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def qdtrack(
    db: pathlib.Path | str | None, *args: object, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m qdtrack ARGS`` with QDTRACK_DB=db (see proc_env); text output captured."""
    return subprocess.run(
        [sys.executable, "-m", "qdtrack", *map(str, args)],
        env=env or proc_env(db),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(REPO),
        **kw,
    )


def python(
    code: str, db: pathlib.Path | str | None, *, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.Popen[str]:
    """Start ``python -c code`` with QDTRACK_DB=db (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env or proc_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
        **kw,
    )


def start_qdtrack(
    db: pathlib.Path | str | None, *args: object, n: int = 1, env: dict[str, str] | None = None
) -> list[subprocess.Popen[str]]:
    """Start ``n`` runs of ``python -m qdtrack ARGS`` at once (stdout and stderr piped)."""
    return [
        subprocess.Popen(
            [sys.executable, "-m", "qdtrack", *map(str, args)],
            env=env or proc_env(db),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(REPO),
        )
        for _ in range(n)
    ]


def count_updates(db: pathlib.Path | str) -> int:
    conn = sqlite3.connect(str(db))
    try:
        return int(conn.execute("SELECT count(*) FROM updates").fetchone()[0])
    finally:
        conn.close()


def integrity(db: pathlib.Path | str) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def one_line_error(stderr: str) -> bool:
    lines = stderr.splitlines()
    return len(lines) == 1 and lines[0].strip() != "" and "Traceback" not in stderr
