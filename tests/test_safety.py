"""The ledger can be trusted: connections, transactions, crashes, faults, audit, check, backup."""

from __future__ import annotations

import datetime
import gc
import getpass
import json
import os
import pathlib
import resource
import signal
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdtrack.errors import BadInput
from qdtrack.ledger import Ledger
from qdtrack.model import COMPARATORS, KINDS, STATUSES, Figure, Metric, find_task
from qdtrack.periods import now_iso
from qdtrack.periods import today as qdtrack_today
from qdtrack.progress import judge_metric
from tests.conftest import dump
from tests.helpers_proc import REPO, count_updates, integrity, one_line_error, proc_env, qdtrack


def _note_row(task_id, i, **over):
    row = {
        "task_id": task_id,
        "metric_id": None,
        "quarter": "2025Q2",
        "value": None,
        "note": f"row {i}",
        "status": None,
        "correction": 0,
        "recorded_at": now_iso(),
        "recorded_by": "test",
        "source": f"test row {i}",
    }
    row.update(over)
    return row


def _task_id(ledger, ref):
    return find_task(ledger.plan(2025), ref).id


def _insert(ledger, rows):
    """Append rows as one write transaction, as every command does."""
    with ledger.write():
        return [ledger.insert_entry(row) for row in rows]


# -- 1. connections and transactions ---------------------------------------------
def test_each_connection_sets_its_pragmas(seeded, monkeypatch):
    monkeypatch.setenv("QDTRACK_BUSY_TIMEOUT_MS", "1234")
    ledger = Ledger.open(seeded)
    try:
        assert not ledger.created
        c = ledger.conn
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 1234
        assert c.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        ledger.close()


def test_writes_begin_immediate(seeded):
    ledger = Ledger.open(seeded)
    row = _note_row(_task_id(ledger, "25"), 1)
    statements = []
    ledger.conn.set_trace_callback(statements.append)
    try:
        _insert(ledger, [row])
    finally:
        ledger.close()
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"


def test_a_failing_row_rolls_back_the_rows_before_it(seeded):
    before = dump(seeded)
    ledger = Ledger.open(seeded)
    tid = _task_id(ledger, "25")
    rows = [_note_row(tid, 1), _note_row(tid, 2, quarter="2025Q9"), _note_row(tid, 3)]
    with pytest.raises(BadInput, match="nothing was written"):
        _insert(ledger, rows)
    assert not ledger.conn.in_transaction
    ledger.close()
    assert dump(seeded) == before


def test_the_append_only_trigger_rolls_back_too(seeded):
    before = dump(seeded)
    ledger = Ledger.open(seeded)
    with pytest.raises(BadInput), ledger.write():
        _insert(ledger, [_note_row(_task_id(ledger, "25"), 1)])
        ledger.conn.execute("DELETE FROM updates WHERE id = 1")
    ledger.close()
    assert dump(seeded) == before


# -- 3. crashes ------------------------------------------------------------------
BIG_WRITE = """
import os, sys, time
from qdtrack.ledger import Ledger
from qdtrack.model import find_task
from qdtrack.periods import now_iso

ledger = Ledger.open(os.environ["QDTRACK_DB"], create=False)
tid = find_task(ledger.plan(2025), "25").id
rows = [
    dict(task_id=tid, metric_id=None, quarter="2025Q2", value=None, note=f"crash {i}", status=None,
         correction=0, recorded_at=now_iso(), recorded_by="crash", source=f"crash test row {i}")
    for i in range(5000)
]
inserted = 0

def slow(statement):
    global inserted
    if statement.lstrip().upper().startswith("INSERT"):
        inserted += 1
        if inserted == 2000:
            print("halfway", flush=True)
        if inserted > 2000:
            time.sleep(0.01)

ledger.conn.set_trace_callback(slow)
with ledger.write():
    for row in rows:
        ledger.insert_entry(row)
print("finished", flush=True)
"""


def test_sigkill_mid_write_leaves_all_or_nothing(seeded):
    before = count_updates(seeded)
    before_dump = dump(seeded)
    proc = subprocess.Popen(
        [sys.executable, "-c", BIG_WRITE], env=proc_env(seeded), stdout=subprocess.PIPE, text=True, cwd=str(REPO)
    )
    try:
        assert proc.stdout.readline().strip() == "halfway"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert integrity(seeded) == "ok"
    after = count_updates(seeded)
    assert after in (before, before + 5000)
    assert after == before  # killed before the COMMIT: none of it
    assert dump(seeded) == before_dump
    check = qdtrack(seeded, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n")
    # and the ledger takes writes again
    assert qdtrack(seeded, "update", "25", "--note", "after the crash", "--quarter", "2025Q2").returncode == 0
    assert count_updates(seeded) == before + 1


def test_an_unslowed_big_write_lands_whole(seeded):
    ledger = Ledger.open(seeded)
    before = count_updates(seeded)
    tid = _task_id(ledger, "25")
    ids = _insert(ledger, [_note_row(tid, i) for i in range(5000)])
    ledger.close()
    assert len(ids) == 5000 and ids == sorted(ids)
    assert count_updates(seeded) == before + 5000


# -- 4. environment faults -------------------------------------------------------
def _assert_env_fault(result, before=None, path=None):
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert one_line_error(result.stderr), result.stderr
    assert result.stdout == ""
    if before is not None:
        assert path.read_bytes() == before


@pytest.mark.parametrize("command", [["status"], ["update", "21", "--note", "x", "--quarter", "Q2"], ["check"]])
def test_not_sqlite_at_all(run, tmp_path, command):
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    result = run(*command, "--db", path)
    _assert_env_fault(result, before, path)
    assert "not a ledger" in result.stderr


def _checkpointed(path):
    """Fold the WAL into the main file so its bytes are the whole ledger."""
    gc.collect()  # close connections the in-process CLI left for the garbage collector
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize(
    "command",
    [["status"], ["show", "21"], ["update", "21", "--note", "x", "--quarter", "Q2"], ["check"], ["log"]],
)
def test_damaged_sqlite_file(run, seeded, command):
    _checkpointed(seeded)
    with open(seeded, "r+b") as f:
        f.seek(4096 * 3)
        f.write(os.urandom(4096 * 20))
    before = seeded.read_bytes()
    result = run(*command)
    _assert_env_fault(result)
    assert "damaged" in result.stderr
    assert seeded.read_bytes() == before


def test_ledger_from_a_newer_qdtrack(run, seeded):
    conn = sqlite3.connect(str(seeded))
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('qdtrack', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    before = dump(seeded)
    for command in (["status"], ["update", "21", "--note", "x", "--quarter", "Q2"], ["check"], ["init", "--force"]):
        result = run(*command)
        _assert_env_fault(result)
        assert "newer qdtrack" in result.stderr
    assert dump(seeded) == before
    assert not list(seeded.parent.glob("*.bak"))  # init --force refused before keeping a backup


def test_sqlite_file_that_is_not_a_ledger(run, tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    result = run("status", "--db", path)
    _assert_env_fault(result)
    assert "not a qdtrack ledger" in result.stderr


def test_ledger_under_a_regular_file(run, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    result = run("update", "21", "--note", "x", "--quarter", "Q2", "--db", afile / "ledger.db")
    _assert_env_fault(result)
    assert afile.read_text() == "x"


def _limit_file_size(limit):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return pre


def test_disk_full_mid_write(seeded):
    """Files may not grow past 48 KiB: a small write fits (with its chain link), a large note does not."""
    _checkpointed(seeded)
    pre = _limit_file_size(49152)
    small = qdtrack(seeded, "update", "25", "--note", "short", "--quarter", "2025Q2", preexec_fn=pre)
    assert small.returncode == 0, small.stderr
    before = dump(seeded)
    big = qdtrack(seeded, "update", "25", "--note", "进" * 9000, "--quarter", "2025Q2", preexec_fn=pre)
    assert big.returncode == 1, big.stderr
    assert one_line_error(big.stderr), big.stderr
    assert "full" in big.stderr
    assert big.stdout == ""
    assert dump(seeded) == before
    assert integrity(seeded) == "ok"


def test_read_only_ledger_file(run, seeded):
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    _checkpointed(seeded)
    before = dump(seeded)
    seeded.chmod(0o444)
    try:
        result = run("update", "21", "--note", "x", "--quarter", "Q2")
    finally:
        seeded.chmod(0o644)
    _assert_env_fault(result)
    assert dump(seeded) == before


# -- 6. audit trail and log ------------------------------------------------------
def _rows(path, sql, params=()):
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def test_every_update_row_keeps_when_who_and_how(seeded):
    result = qdtrack(seeded, "update", "21", "--value", "5", "--quarter", "2025Q2", "--by", "Li Wei")
    assert result.returncode == 0, result.stderr
    result = qdtrack(seeded, "update", "25", "--note", "进展 ok", "--quarter", "2025Q2")
    assert result.returncode == 0, result.stderr
    by_name, by_login = _rows(seeded, "SELECT * FROM updates ORDER BY id DESC LIMIT 2")[::-1]
    assert by_name["recorded_by"] == "Li Wei"
    assert by_name["source"] == "qdtrack update 21 --value 5 --quarter 2025Q2 --by 'Li Wei'"
    assert by_login["recorded_by"] == getpass.getuser()
    assert by_login["source"] == "qdtrack update 25 --note '进展 ok' --quarter 2025Q2"
    for row in (by_name, by_login):
        when = datetime.datetime.fromisoformat(row["recorded_at"])
        assert abs((datetime.datetime.now(datetime.UTC) - when).total_seconds()) < 120


def test_log_lists_changes_newest_first(run, seeded):
    assert run("update", "21", "--value", "5", "--quarter", "2025Q2", "--by", "A").exit_code == 0
    assert run("update", "25", "--note", "second", "--quarter", "2025Q2", "--by", "B").exit_code == 0
    result = run("log", "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["schema"] == 2 and shown["plan_changes"] == []
    rows = shown["entries"]
    assert len(rows) == 50  # the newest 50 unless --limit / --all
    assert [r["entry"] for r in rows] == sorted((r["entry"] for r in rows), reverse=True)
    assert rows[0]["item"] == "25" and rows[0]["note"] == "second" and rows[0]["recorded_by"] == "B"
    assert rows[1]["item"] == "21" and rows[1]["value"] == 5 and rows[1]["unit"] == "条"
    table = run("log")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert "Recorded" in lines[0] and "Source" in lines[0]
    assert "second" in lines[2] and "B" in lines[2]


def test_log_filters_by_item_and_date(run, seeded):
    assert run("update", "21", "--value", "5", "--quarter", "2025Q2").exit_code == 0
    items = json.loads(run("log", "--item", "21", "--format", "json").stdout)["entries"]
    assert items and {r["item"] for r in items} == {"21"}
    assert items[0]["value"] == 5
    today = qdtrack_today().isoformat()  # recorded_at is in Qingdao time (UTC+8)
    recent = json.loads(run("log", "--since", today, "--format", "json").stdout)["entries"]
    assert [r["value"] for r in recent] == [5]
    everything = json.loads(run("log", "--since", "2025-01-01", "--all", "--format", "json").stdout)["entries"]
    assert len(everything) == count_updates(seeded)
    assert [r["entry"] for r in everything][:2] == [count_updates(seeded), count_updates(seeded) - 1]
    newest = json.loads(run("log", "--since", "2025-01-01", "--limit", "3", "--format", "json").stdout)["entries"]
    assert newest == everything[:3]
    none = run("log", "--since", "2099-01-01")
    assert none.exit_code == 0 and none.stdout == "No changes recorded.\n"
    nothing = json.loads(run("log", "--since", "2099-01-01", "--format", "json").stdout)
    assert nothing == {"schema": 2, "entries": [], "plan_changes": []}


# -- 7. check --------------------------------------------------------------------
def test_check_clean_seed_is_ok(run, seeded):
    result = run("check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "ok\n", "")


def _raw_insert(path, ref, quarter, value=None, note=None, correction=0, metric_pos=1):
    conn = sqlite3.connect(str(path))
    task_id = conn.execute("SELECT id FROM tasks WHERE listed_no = ? OR bullet = ?", [ref, ref]).fetchone()[0]
    metric_id = None
    if value is not None:
        metric_id = conn.execute(
            "SELECT id FROM metrics WHERE task_id = ? AND pos = ?", [task_id, metric_pos]
        ).fetchone()[0]
    conn.execute(
        "INSERT INTO updates (task_id, metric_id, quarter, value, note, correction, recorded_at, recorded_by, source)"
        " VALUES (?, ?, ?, ?, ?, ?, '2025-07-01T00:00:00+00:00', 'raw', 'raw sqlite3')",
        [task_id, metric_id, quarter, value, note, correction],
    )
    conn.commit()
    conn.close()
    from qdtrack.ledger import Ledger

    with Ledger.open(path, create=False) as ledger, ledger.write():
        pass  # links the row into the history chain, as a qdtrack write would (only the rules are tested here)


def test_check_finds_a_falling_cumulative_figure(run, seeded):
    _raw_insert(seeded, "21", "2025Q2", value=2)  # Q1 was 4 routes
    result = run("check")
    assert result.exit_code == 5, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert "item 21" in lines[0] and "falls" in lines[0]
    assert "from 4条 (2025-03-31" in lines[0] and "to 2条 (2025-06-30" in lines[0]
    assert result.stderr == ""


def test_check_accepts_a_marked_correction(run, seeded):
    _raw_insert(seeded, "21", "2025Q2", value=2, correction=1)
    assert run("check").stdout == "ok\n"


def test_check_finds_negative_counts_and_bad_units(run, seeded):
    _raw_insert(seeded, "36", "2025Q2", value=-5)
    conn = sqlite3.connect(str(seeded))
    conn.execute("UPDATE metrics SET unit = 'furlongs' WHERE name = '涉海关键技术攻关'")
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 5
    out = result.stdout
    assert "item 36" in out and "negative" in out
    assert "item 18" in out and "furlongs" in out


def test_check_finds_a_gap_in_the_listed_items(run, seeded):
    conn = sqlite3.connect(str(seeded))
    conn.execute("UPDATE tasks SET listed_no = 99, listed_text = listed_text WHERE listed_no = 17")
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 5
    assert "listed items 17" in result.stdout


def test_check_reports_foreign_key_breakage(run, seeded):
    conn = sqlite3.connect(str(seeded))  # foreign keys off in a raw connection
    conn.execute("UPDATE metrics SET task_id = 99999 WHERE id = (SELECT min(id) FROM metrics)")
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 5
    assert "foreign_key_check: metrics" in result.stdout


# -- 8. backup -------------------------------------------------------------------
def test_backup_makes_a_copy_that_qdtrack_opens(run, seeded, tmp_path):
    assert run("update", "21", "--value", "5", "--quarter", "2025Q2").exit_code == 0
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    result = run("backup", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert integrity(target) == "ok"
    assert dump(target) == dump(seeded)
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]
    assert run("check", "--db", target).stdout == "ok\n"


def test_backup_refuses_to_overwrite_without_force(run, seeded, tmp_path):
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    result = run("backup", target)
    assert result.exit_code == 2
    assert one_line_error(result.stderr) and "--force" in result.stderr
    assert target.read_bytes() == b"precious"
    result = run("backup", target, "--force")
    assert result.exit_code == 0, result.stderr
    assert integrity(target) == "ok"


def test_backup_of_a_missing_ledger_creates_nothing(run, tmp_path):
    result = run("backup", tmp_path / "copy.db", "--db", tmp_path / "nothing.db")
    _assert_env_fault(result)
    assert sorted(os.listdir(tmp_path)) == []


# -- 9. status arithmetic (progress.py) ------------------------------------------
RANK = {status: rank for rank, status in enumerate(STATUSES)}  # worst first: lagging ... done
MARCH_31 = datetime.date(2025, 3, 31)


@st.composite
def metrics(draw, kinds=KINDS, comparators=COMPARATORS):
    kind = draw(st.sampled_from(kinds))
    target = draw(st.floats(min_value=0.5, max_value=1e7, allow_nan=False, allow_infinity=False))
    baseline = draw(st.one_of(st.none(), st.floats(min_value=0, max_value=target * 0.9)))
    comparator = draw(st.sampled_from(comparators))
    return Metric(
        id=1, task_id=1, pos=1, name="m", target=target, unit="个", comparator=comparator, kind=kind,
        target_text="m", baseline=baseline,
    )  # fmt: skip


def _figure(value, on=MARCH_31, uid=1):
    """The figure in force: ``value`` true as of ``on``."""
    return Figure(metric_id=1, value=value, as_of=on, quarter=f"{on.year}Q{(on.month - 1) // 3 + 1}", entry_id=uid)


figures = st.floats(min_value=0, max_value=2e7, allow_nan=False, allow_infinity=False)
as_of_dates = st.dates(min_value=MARCH_31, max_value=datetime.date(2025, 12, 31))
q1_dates = st.dates(min_value=datetime.date(2025, 1, 1), max_value=MARCH_31)


def _score(v):
    """How far along a verdict says the metric is: % of target, or points against it for a rate."""
    return v.points_vs_target if v.metric.is_rate else v.percent


@settings(max_examples=300, deadline=None)
@given(metrics(), figures, figures, as_of_dates, st.floats(min_value=0, max_value=20))
def test_percent_rises_with_the_figure(metric, a, b, as_of, tolerance):
    low, high = sorted((a, b))
    v_low = judge_metric(metric, _figure(low), as_of, 2025, tolerance)
    v_high = judge_metric(metric, _figure(high), as_of, 2025, tolerance)
    assert _score(v_low) is not None and _score(v_high) is not None
    assert _score(v_low) <= _score(v_high)
    if metric.comparator != "at_most":  # a ceiling: more is worse
        assert RANK[v_low.status] <= RANK[v_high.status], (v_low.status, v_high.status)


@settings(max_examples=300, deadline=None)
@given(
    metrics(kinds=("cumulative", "level", "total")),
    st.one_of(st.none(), figures),
    q1_dates,
    as_of_dates,
    as_of_dates,
    st.floats(min_value=0, max_value=20),
)
def test_status_never_improves_as_time_passes(metric, value, on, d1, d2, tolerance):
    """One figure (or none) dated in Q1; a later as-of date can only look the same or worse."""
    early, late = sorted((d1, d2))
    figure = None if value is None else _figure(value, on)
    s_early = judge_metric(metric, figure, early, 2025, tolerance).status
    s_late = judge_metric(metric, figure, late, 2025, tolerance).status
    assert RANK[s_late] <= RANK[s_early], (s_early, s_late)


@settings(max_examples=200, deadline=None)
@given(metrics(kinds=("rate",)), figures, as_of_dates, as_of_dates)
def test_rate_status_never_improves_as_time_passes(metric, value, d1, d2):
    early, late = sorted((d1, d2))
    s_early = judge_metric(metric, _figure(value), early, 2025).status
    s_late = judge_metric(metric, _figure(value), late, 2025).status
    assert RANK[s_late] <= RANK[s_early]


@pytest.mark.parametrize("kind,comparator", [("rate", "at_least"), ("level", "at_most")])
def test_year_end_does_not_improve_rates_or_ceilings(kind, comparator):
    metric = Metric(
        id=1, task_id=1, pos=1, name="m", target=5.0, unit="%" if kind == "rate" else "个", comparator=comparator,
        kind=kind, target_text="m",
    )  # fmt: skip
    value = 5.5 if comparator != "at_most" else 4.0
    before = judge_metric(metric, _figure(value), datetime.date(2025, 12, 30), 2025).status
    after = judge_metric(metric, _figure(value), datetime.date(2025, 12, 31), 2025).status
    assert RANK[after] <= RANK[before], (before, after)
    assert before != "no_data"


IMPORT_KILLED = """
import sys, time
from qdtrack import ledger as ledger_module
from qdtrack.cli import cli

original = ledger_module.Ledger.write
inserted = 0

def slow(statement):
    global inserted
    if statement.lstrip().upper().startswith("INSERT"):
        inserted += 1
        if inserted == 1000:
            print("halfway", flush=True)
        if inserted > 1000:
            time.sleep(0.01)

def write_slowly(self):
    self.conn.set_trace_callback(slow)  # every INSERT of the import's transaction, however it is made
    return original(self)

ledger_module.Ledger.write = write_slowly
cli.main(["import", sys.argv[1]], prog_name="qdtrack")
"""


def test_sigkill_during_import_leaves_all_or_nothing(seeded, tmp_path):
    from qdtrack.cli import cli

    assert "import" in cli.commands
    sheet = tmp_path / "many.csv"
    sheet.write_text(
        "id,quarter,note\n" + "".join(f"25,2025Q2,import note {i}\n" for i in range(3000)), encoding="utf-8"
    )
    before = dump(seeded)
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORT_KILLED, str(sheet)],
        env=proc_env(seeded),
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )
    try:
        assert proc.stdout.readline().strip() == "halfway"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert integrity(seeded) == "ok"
    assert dump(seeded) == before


# -- portable locking: no fcntl (Windows) ------------------------------------------------------
NO_POSIX = """
import sys
for name in ("fcntl", "termios", "resource", "grp"):
    sys.modules[name] = None  # as on Windows: importing any of them raises ImportError
from qdtrack.cli import cli
code = 0
try:
    cli.main(sys.argv[1:], prog_name="qdtrack", standalone_mode=False)
except SystemExit as e:
    code = e.code or 0
import filelock
print("lock:", filelock.FileLock.__name__, file=sys.stderr)
sys.exit(code)
"""


def _without_posix(db, *args):
    return subprocess.run(
        [sys.executable, "-c", NO_POSIX, *map(str, args)],
        env=proc_env(db), capture_output=True, text=True, timeout=120, cwd=str(REPO),
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("update", "21", "--note", "no fcntl", "--quarter", "2025Q2"),
        ("report", "--format", "html", "--output", "{tmp}/reports/{{date}}.html"),
        ("report", "--format", "markdown", "--output", "{tmp}/r.md"),
        ("export", "--output", "{tmp}/export.csv"),
        ("export", "--format", "xlsx", "--output", "{tmp}/export.xlsx"),
        ("backup", "{tmp}/backup.db"),
        ("check",),
    ],
)
def test_commands_that_lock_or_write_files_need_no_fcntl(seeded, tmp_path, args):
    """report --output and export --output take their lock with filelock, which falls back to a
    lock file where fcntl is missing; backup, update and check need no POSIX-only module either."""
    filled = [a.format(tmp=tmp_path) for a in args]
    result = _without_posix(seeded, *filled)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "lock: SoftFileLock" in result.stderr  # filelock really ran without fcntl
    written = [a for a in filled if a.startswith(str(tmp_path))]
    for target in written:
        produced = list(pathlib.Path(target).parent.glob("*" + pathlib.Path(target).suffix))
        assert produced and all(p.stat().st_size > 0 for p in produced), target
        assert not list(pathlib.Path(target).parent.glob("*.lock"))  # the soft lock is released


def test_restore_needs_no_fcntl(seeded, tmp_path):
    copy = tmp_path / "copy.db"
    assert _without_posix(seeded, "backup", copy).returncode == 0
    result = _without_posix(seeded, "restore", copy)
    assert result.returncode == 0, result.stderr
    assert dump(seeded) == dump(copy)
