"""``qdtrack restore BACKUP``: a verified backup replaces the ledger, a -wal left by a crash is never
replayed onto it, the ledger it replaces is kept, and bad input changes nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat

import pytest

from tests.conftest import dump
from tests.helpers_proc import integrity, one_line_error, proc_env, python, qdtrack

# Writes two entries with the CLI while another connection keeps the ledger open (so closing the
# CLI's connections neither checkpoints nor removes the -wal), then dies without closing anything.
CRASH = """
import os, sqlite3, sys
from qdtrack.cli import cli

keep_open = sqlite3.connect(os.environ["QDTRACK_DB"])
keep_open.execute("SELECT count(*) FROM updates").fetchone()
for note in ("after the backup 1", "after the backup 2"):
    try:
        cli.main(["update", "25", "--note", note, "--quarter", "2025Q2"], standalone_mode=False)
    except SystemExit as e:
        if e.code:
            os._exit(9)
os._exit(0)
"""


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "office" / "ledger.db"
    path.parent.mkdir()
    result = qdtrack(path, "init", "--db", path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def backup(ledger, tmp_path):
    target = tmp_path / "backups" / "ledger-2025-06-30.db"
    target.parent.mkdir()
    result = qdtrack(ledger, "backup", target)
    assert result.returncode == 0, result.stderr
    return target


def _crash_leaving_wal(ledger):
    proc = python(CRASH, ledger, env=proc_env(ledger))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    wal = ledger.with_name(ledger.name + "-wal")
    assert wal.is_file() and wal.stat().st_size > 0  # the crash left committed frames in the WAL


def _kept(ledger):
    return sorted(ledger.parent.glob(ledger.name + ".*.bak"))


def _copy_folder(src_ledger, dest_folder):
    dest_folder.mkdir()
    for f in src_ledger.parent.iterdir():
        shutil.copy2(f, dest_folder / f.name)
    return dest_folder / src_ledger.name


def test_cp_over_a_crashed_ledger_replays_its_wal_restore_does_not(ledger, backup, tmp_path):
    wanted = dump(backup)
    _crash_leaving_wal(ledger)
    # the README's old procedure, on a copy of the crashed folder: the leftover -wal is replayed onto the copy
    copied = _copy_folder(ledger, tmp_path / "cp-case")
    shutil.copyfile(backup, copied)
    try:
        after_cp = dump(copied)
    except sqlite3.DatabaseError:
        after_cp = None  # or the copy is unreadable
    assert after_cp != wanted

    result = qdtrack(ledger, "restore", backup)
    assert result.returncode == 0, result.stderr
    assert dump(ledger) == wanted
    assert integrity(ledger) == "ok"
    (kept,) = _kept(ledger)
    assert f"kept at {kept}" in result.stderr
    assert "after the backup 2" in dump(kept)  # the replaced ledger, its WAL's entries included
    check = qdtrack(ledger, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n"), check.stdout + check.stderr


def test_restore_repairs_a_ledger_already_spoiled_by_cp(ledger, backup, tmp_path):
    wanted = dump(backup)
    _crash_leaving_wal(ledger)
    shutil.copyfile(backup, ledger)  # cp done, the -wal still beside it, nothing opened yet
    result = qdtrack(ledger, "restore", backup)
    assert result.returncode == 0, result.stderr
    assert dump(ledger) == wanted


def test_restore_over_a_damaged_ledger_moves_it_aside(ledger, backup):
    ledger.write_bytes(b"this is not SQLite any more " * 200)
    ledger.with_name(ledger.name + "-wal").write_bytes(b"\0" * 100)
    result = qdtrack(ledger, "restore", backup)
    assert result.returncode == 0, result.stderr
    assert dump(ledger) == dump(backup)
    (kept,) = _kept(ledger)
    assert kept.read_bytes().startswith(b"this is not SQLite")
    assert os.path.exists(f"{kept}-wal")  # the damaged pair stays a pair


def test_restore_onto_a_missing_ledger_creates_it(backup, tmp_path):
    target = tmp_path / "new-office" / "ledger.db"
    target.parent.mkdir()
    result = qdtrack(target, "restore", backup, "--db", target)
    assert result.returncode == 0, result.stderr
    assert dump(target) == dump(backup)
    assert "kept at" not in result.stderr
    assert not _kept(target)


def test_restore_keeps_the_replaced_ledgers_content(ledger, backup):
    added = qdtrack(ledger, "update", "21", "--value", "7", "--quarter", "2025Q2")
    assert added.returncode == 0, added.stderr
    before = dump(ledger)
    result = qdtrack(ledger, "restore", backup)
    assert result.returncode == 0, result.stderr
    (kept,) = _kept(ledger)
    assert dump(kept) == before
    assert dump(ledger) == dump(backup) != before


def _sqlite_not_ledger(path, backup):
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _newer_schema(path, backup):
    shutil.copyfile(backup, path)
    conn = sqlite3.connect(str(path))
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('qdtrack', 'm999_future', '')")
    conn.commit()
    conn.close()


def _damaged_copy(path, backup):
    data = bytearray(backup.read_bytes())
    for i in range(8192, 8192 + 4096):  # overwrite the second and third pages' start
        data[i] = 0xA5
    path.write_bytes(bytes(data))


BAD = {
    "missing": (lambda p, b: None, "no backup at"),
    "folder": (lambda p, b: p.mkdir(), "a folder"),
    "text file": (lambda p, b: p.write_text("hello"), "not a usable qdtrack backup"),
    "empty file": (lambda p, b: p.write_bytes(b""), "not a usable qdtrack backup"),
    "sqlite, not a ledger": (_sqlite_not_ledger, "not a qdtrack ledger"),
    "newer schema": (_newer_schema, "newer qdtrack"),
    "damaged": (_damaged_copy, "not a usable qdtrack backup"),
    "symlink to a folder": (lambda p, b: p.symlink_to(p.parent), "a symlink to a folder"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_backup_changes_nothing(case, ledger, backup, tmp_path):
    make, words = BAD[case]
    bad = tmp_path / "bad.db"
    make(bad, backup)
    qdtrack(ledger, "update", "21", "--value", "7", "--quarter", "2025Q2")
    before = dump(ledger)
    files_before = sorted(os.listdir(ledger.parent))
    result = qdtrack(ledger, "restore", bad)
    assert result.returncode == 2, result.stderr
    assert one_line_error(result.stderr), result.stderr
    assert words in result.stderr
    assert dump(ledger) == before
    assert sorted(os.listdir(ledger.parent)) == files_before  # no kept copy, no temp file


def test_the_ledger_itself_is_not_a_backup(ledger, tmp_path):
    link = tmp_path / "link.db"
    os.link(ledger, link)
    before = dump(ledger)
    for candidate in (ledger, link):
        result = qdtrack(ledger, "restore", candidate)
        assert result.returncode == 2, result.stderr
        assert one_line_error(result.stderr) and "the ledger itself" in result.stderr
    assert dump(ledger) == before
    assert not _kept(ledger)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")
def test_a_device_is_not_a_backup(ledger, tmp_path):
    device = tmp_path / "null-like"
    os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    before = dump(ledger)
    result = qdtrack(ledger, "restore", device)
    assert result.returncode == 2, result.stderr
    assert one_line_error(result.stderr) and "a character device" in result.stderr
    assert dump(ledger) == before
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_restore_waits_for_writers_and_gives_up_busy(ledger, backup):
    from tests.test_concurrency import write_lock_held

    qdtrack(ledger, "update", "21", "--value", "7", "--quarter", "2025Q2")
    before = dump(ledger)
    with write_lock_held(ledger):
        result = qdtrack(ledger, "restore", backup, env=proc_env(ledger, QDTRACK_BUSY_TIMEOUT_MS=200))
    assert result.returncode == 3, result.stderr
    assert one_line_error(result.stderr)
    assert dump(ledger) == before
    assert not _kept(ledger)
    assert not list(ledger.parent.glob(".restore.*"))


def test_restore_in_process_says_where_the_old_ledger_is(run, seeded, tmp_path):
    copy = tmp_path / "copy.db"
    assert run("backup", copy).exit_code == 0
    result = run("restore", copy)
    assert result.exit_code == 0, result.stderr
    (kept,) = _kept(seeded)
    assert result.stderr.strip().endswith(f"kept at {kept}.")
    assert result.stdout == ""


def test_restore_from_an_older_schema_upgrades_it_on_next_use(ledger, tmp_path):
    """A backup from an older qdtrack (the frozen schema-2 ledger) is restored as it is, then
    migrated like any old ledger: its history linked into the chain, check ok."""
    from tests.helpers_proc import REPO

    frozen = REPO / "tests" / "ledgers" / "v2.db"
    if not frozen.exists():
        pytest.skip("no frozen schema-2 ledger")
    old = tmp_path / "old-backup.db"
    shutil.copyfile(frozen, old)
    result = qdtrack(ledger, "restore", old)
    assert result.returncode == 0, result.stderr
    assert dump(ledger) == dump(old)  # installed as it was
    check = qdtrack(ledger, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n"), check.stdout + check.stderr
    conn = sqlite3.connect(str(ledger))
    assert conn.execute("SELECT count(*) FROM chain").fetchone()[0] > 0
    conn.close()


def test_restore_refuses_to_overwrite_an_sqlite_file_that_is_not_a_ledger(backup, tmp_path):
    other = tmp_path / "someone-elses.db"
    _sqlite_not_ledger(other, backup)
    before = other.read_bytes()
    result = qdtrack(other, "restore", backup, "--db", other)
    assert result.returncode == 1, result.stderr
    assert one_line_error(result.stderr) and "not a qdtrack ledger" in result.stderr
    assert other.read_bytes() == before
    assert not list(tmp_path.glob("someone-elses.db.*.bak"))


def test_a_ledger_restored_as_a_file_keeps_the_usual_permissions(backup, tmp_path):
    """Installed by rename (no ledger yet), the restored file is not left with a temp file's 0600."""
    target = tmp_path / "shared" / "ledger.db"
    target.parent.mkdir()
    old_umask = os.umask(0o022)
    try:
        result = qdtrack(target, "restore", backup, "--db", target)
    finally:
        os.umask(old_umask)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644


def test_restore_while_writers_run_loses_no_write_silently(ledger, backup):
    """Writers racing a restore: each one's note is either in the kept copy (written before the
    restore took the lock) or in the restored ledger (written after): never in neither."""
    from tests.helpers_proc import start_qdtrack

    writers = []
    for i in range(8):
        writers += start_qdtrack(ledger, "update", "25", "--note", f"racer {i}", "--quarter", "2025Q2")
    restore = qdtrack(ledger, "restore", backup)
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert restore.returncode == 0, restore.stderr
    (kept,) = _kept(ledger)

    def notes(path):
        conn = sqlite3.connect(str(path))
        try:
            return {r[0] for r in conn.execute("SELECT note FROM updates WHERE note LIKE 'racer %'")}
        finally:
            conn.close()

    assert notes(kept) | notes(ledger) == {f"racer {i}" for i in range(8)}
    assert not notes(kept) & notes(ledger)
    check = qdtrack(ledger, "check")
    assert (check.returncode, check.stdout) == (0, "ok\n"), check.stdout
