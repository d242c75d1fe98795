"""Real processes writing one real ledger file at once."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import dump
from tests.helpers_proc import REPO, count_updates, integrity, one_line_error, proc_env, qdtrack, start_qdtrack

PROCESSES = 8
EACH = 25
ITEMS = ["21", "25", "26", "33", "35", "36", "9.2.4", "44"]

# Runs the CLI in-process EACH times (one interpreter per writer keeps start-up cheap);
# each call opens the ledger, takes the write lock, appends one note and closes.
WORKER = """
import sys
from qdtrack.cli import cli

p, item, each = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
failed = 0
for n in range(each):
    args = ["update", item, "--note", f"p{p} n{n}", "--quarter", "2025Q2", "--by", f"writer{p}"]
    try:
        cli.main(args, prog_name="qdtrack", standalone_mode=False)
    except SystemExit as e:
        if e.code:
            failed += 1
            print(f"FAILED p{p} n{n} exit {e.code}", file=sys.stderr)
sys.exit(1 if failed else 0)
"""


def _start_worker(db, p):
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(p), ITEMS[p], str(EACH)],
        env=proc_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )


def test_eight_writers_lose_nothing(seeded):
    import sqlite3

    before = count_updates(seeded)
    procs = [_start_worker(seeded, p) for p in range(PROCESSES)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert count_updates(seeded) == before + PROCESSES * EACH
    conn = sqlite3.connect(str(seeded))
    notes = [r[0] for r in conn.execute("SELECT note FROM updates WHERE recorded_by LIKE 'writer%'")]
    conn.close()
    assert sorted(notes) == sorted(f"p{p} n{n}" for p in range(PROCESSES) for n in range(EACH))
    assert integrity(seeded) == "ok"
    check = qdtrack(seeded, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n"), check.stderr


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until the test says so (or gives up: EOF)
conn.execute("ROLLBACK")
"""


@contextlib.contextmanager
def write_lock_held(path):
    """Another process holds the ledger's write lock (BEGIN IMMEDIATE) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def test_held_write_lock_means_busy_exit_3(seeded):
    before = dump(seeded)
    with write_lock_held(seeded):
        started = time.monotonic()
        result = qdtrack(
            seeded,
            "update",
            "21",
            "--note",
            "while locked",
            "--quarter",
            "2025Q2",
            env=proc_env(seeded, QDTRACK_BUSY_TIMEOUT_MS=200),
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert one_line_error(result.stderr), result.stderr
    assert "busy" in result.stderr and "try again" in result.stderr
    assert result.stdout == ""
    assert elapsed < 3.5  # gave up after the short timeout, not when the holder let go
    assert dump(seeded) == before


def test_reader_is_not_blocked_by_a_writer(seeded):
    """WAL: a held write lock does not stop status from reading."""
    with write_lock_held(seeded):
        result = qdtrack(seeded, "status", "--item", "21", env=proc_env(seeded, QDTRACK_BUSY_TIMEOUT_MS=200))
    assert result.returncode == 0, result.stderr
    assert "21" in result.stdout


WRITER_LOOP = """
import sys, time
from qdtrack.cli import cli

deadline = time.monotonic() + float(sys.argv[1])
n = 0
while time.monotonic() < deadline:
    try:
        cli.main(["update", "25", "--note", f"bg {n}", "--quarter", "2025Q3"], standalone_mode=False)
    except SystemExit as e:
        if e.code:
            sys.exit(e.code)
    n += 1
print(n)
"""


def test_backup_while_another_process_writes(seeded, tmp_path):
    import sqlite3

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER_LOOP, "3"],
        env=proc_env(seeded),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )
    copies = []
    try:
        time.sleep(0.5)
        for i in range(3):
            target = tmp_path / f"copy{i}.db"
            result = qdtrack(seeded, "backup", target)
            assert result.returncode == 0, result.stderr
            copies.append(target)
            time.sleep(0.3)
    finally:
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert int(out.splitlines()[-1]) > 0
    for copy in copies:
        assert integrity(copy) == "ok"
        check = qdtrack(copy, "check")
        assert (check.returncode, check.stdout) == (0, "ok\n"), check.stderr + check.stdout
        status = qdtrack(copy, "status", "--item", "25")
        assert status.returncode == 0, status.stderr
        assert not list(tmp_path.glob(".copy*"))  # no temp file left behind
    conn = sqlite3.connect(str(copies[-1]))
    backed_up = conn.execute("SELECT count(*) FROM updates").fetchone()[0]
    conn.close()
    assert backed_up <= count_updates(seeded)


def test_processes_creating_the_same_new_ledger_agree(tmp_path):
    """Several first runs at once at the default location: one creates and seeds, the others
    use what it made."""
    data_home = tmp_path / "new"
    db = data_home / "qdtrack" / "ledger.db"
    env = proc_env(None, XDG_DATA_HOME=data_home)
    procs = start_qdtrack(None, "status", "--item", "21", n=4, env=env)
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "21" in out
    assert db.is_file()
    assert integrity(db) == "ok"
    check = qdtrack(db, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n"), check.stdout
    assert count_updates(db) == count_updates(_fresh_seed(tmp_path))  # seeded once, not twice


def _fresh_seed(tmp_path):
    path = tmp_path / "fresh.db"
    result = qdtrack(path, "init", "--db", path)
    assert result.returncode == 0, result.stderr
    return path


def test_processes_naming_a_missing_ledger_create_nothing(tmp_path):
    """A path named by QDTRACK_DB must exist: concurrent runs all refuse and leave no file."""
    db = tmp_path / "missing" / "ledger.db"
    procs = start_qdtrack(None, "update", "21", "--note", "x", "--quarter", "2025Q2", n=3, env=proc_env(db))
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, err
        assert one_line_error(err) and "qdtrack init --db" in err, err
        assert out == ""
    assert not db.exists() and not db.parent.exists()


EXCLUSIVE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0)
try:
    conn.execute("PRAGMA journal_mode = DELETE")  # needs every other connection closed
    print("exclusive")
except sqlite3.OperationalError as e:
    print("refused:", e)
"""


def test_opening_again_keeps_the_locks_of_open_connections(seeded):
    """Regression: Ledger.open read the header with open()/close(), and closing any descriptor
    on a file drops all of this process's POSIX locks on it, so another process could take the
    ledger from under a connection still open here (seen as SQLITE_IOERR_SHORT_READ)."""
    import gc

    from qdtrack.ledger import Ledger

    gc.collect()
    first = Ledger.open(seeded)
    try:
        first.plan(2025)
        second = Ledger.open(seeded)
        assert not second.created
        second.close()
        probe = subprocess.run(
            [sys.executable, "-c", EXCLUSIVE, str(seeded)], capture_output=True, text=True, timeout=30
        )
    finally:
        first.close()
    assert probe.stdout.startswith("refused"), probe.stdout + probe.stderr


WRITERS = 16


def _values(db, ref):
    conn = sqlite3.connect(str(db))
    try:
        sql = ("SELECT u.value FROM updates u JOIN tasks t ON t.id = u.task_id WHERE t.listed_no = ? AND u.value IS NOT NULL "
               "AND u.quarter = '2025Q2' ORDER BY u.id")  # fmt: skip
        return [r[0] for r in conn.execute(sql, [int(ref)])]
    finally:
        conn.close()


def test_sixteen_update_processes_at_once_all_succeed_and_add_up(seeded):
    """16 real ``qdtrack update 21 --add 1`` processes started together: none busy (exit 3), and
    each adds to the figure in force when it holds the lock (the rule runs inside the write
    transaction), so the figures run 5, 6 ... 20 from Q1's 4 with none lost or repeated."""
    procs = start_qdtrack(seeded, "update", "21", "--add", "1", "--quarter", "2025Q2", "--by", "racer", n=WRITERS)
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert err == "" and out.startswith("recorded #")
    assert _values(seeded, "21") == [float(v) for v in range(5, 5 + WRITERS)]
    assert integrity(seeded) == "ok"
    check = qdtrack(seeded, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n"), check.stdout + check.stderr  # the chain held too


def test_sixteen_writers_with_readers_and_a_backup(seeded, tmp_path):
    """Writers of notes, status readers and a backup, all at once: every writer succeeds."""
    writers = start_qdtrack(seeded, "update", "25", "--note", "together", "--quarter", "2025Q2", n=WRITERS)
    readers = start_qdtrack(seeded, "status", "--item", "25", n=4)
    backup = start_qdtrack(seeded, "backup", tmp_path / "during.db")
    for proc in writers + readers + backup:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(str(seeded))
    assert conn.execute("SELECT count(*) FROM updates WHERE note = 'together'").fetchone()[0] == WRITERS
    conn.close()
    assert qdtrack(tmp_path / "during.db", "check").stdout == "ok\n"


def test_begin_retries_a_busy_refused_before_the_timeout(seeded, monkeypatch):
    """A BUSY that SQLite returns at once (without waiting the busy timeout) is retried, bounded."""
    from qdtrack.errors import Busy
    from qdtrack.ledger import BEGIN_RETRIES, Ledger

    class Flaky:
        """A connection whose first BEGIN IMMEDIATEs are refused as busy."""

        def __init__(self, conn, refusals):
            self.conn, self.refusals, self.begins = conn, refusals, 0

        def execute(self, sql, *args):
            if sql == "BEGIN IMMEDIATE":
                self.begins += 1
                if self.begins <= self.refusals:
                    error = sqlite3.OperationalError("database is locked")
                    error.sqlite_errorcode = sqlite3.SQLITE_BUSY
                    raise error
            return self.conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    with Ledger.open(seeded, create=False) as ledger:
        real = ledger.conn
        ledger.conn = Flaky(real, 3)
        with ledger.write():
            pass
        assert ledger.conn.begins == 4
        ledger.conn = Flaky(real, BEGIN_RETRIES + 5)
        with pytest.raises(Busy):
            with ledger.write():
                pass
        assert ledger.conn.begins == BEGIN_RETRIES + 1  # bounded
        ledger.conn = real


def _racing(monkeypatch, seeded, *args):
    """Run ``args`` (a qdtrack write) in another process just before this process's next BEGIN IMMEDIATE:
    the other writer wins the race for the lock, and this one must judge what it left."""
    from qdtrack.ledger import Ledger

    original = Ledger._begin_immediate
    raced = []

    def begin(self):
        if not raced:
            raced.append(qdtrack(seeded, *args))
        original(self)

    monkeypatch.setattr(Ledger, "_begin_immediate", begin)
    return raced


@pytest.mark.parametrize(
    ("racer", "second", "words"),
    [
        # removing a milestone while another process reports it done: the removal sees the report
        (("update", "21", "--milestone", "1", "--done", "--quarter", "2025Q2"), ("plan", "milestone", "21", "--remove", "1"), "already reported done"),
        # reporting a milestone done twice at once: the second sees the first
        (("update", "21", "--milestone", "1", "--done", "--quarter", "2025Q2"), ("update", "21", "--milestone", "1", "--done", "--quarter", "2025Q2"), "already reported done on"),
        # a figure while another process raises it: lower than the one now in force needs --correct
        (("update", "21", "--value", "9", "--quarter", "2025Q2"), ("update", "21", "--value", "6", "--quarter", "2025Q2"), "--correct"),
    ],
)
def test_the_rules_judge_what_the_winner_of_the_lock_wrote(run, seeded, monkeypatch, racer, second, words):
    assert run("plan", "milestone", "21", "2025-06-30", "开通航线").exit_code == 0
    raced = _racing(monkeypatch, seeded, *racer)
    result = run(*second)
    assert raced and raced[0].returncode == 0, raced[0].stderr if raced else "no race"
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert words in result.stderr
    check = run("check")
    assert (check.exit_code, check.stdout) == (0, "ok\n")
