"""History moves intact (issue 11): entry uids, export → import keeps recorders and times and the
plan's history, a second import adds nothing, and every import is recorded."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3

import pytest

from .conftest import REPO, dump


def uids(path) -> list[tuple[int, str]]:
    return sqlite3.connect(path).execute("SELECT id, uid FROM updates ORDER BY id").fetchall()


def test_seed_entries_have_the_same_uid_in_every_ledger(run, seeded, tmp_path):
    other = tmp_path / "other.db"
    assert run("init", "--db", other).exit_code == 0
    mine = uids(seeded)
    assert len(mine) == 67 and all(u and len(u) == 64 for _, u in mine)
    assert mine == uids(other)
    row = sqlite3.connect(seeded).execute(
        "SELECT coalesce(CAST(t.listed_no AS TEXT), t.bullet), m.name, u.as_of, u.value, u.note, u.status, u.correction,"
        " u.recorded_by, u.recorded_at, u.uid FROM updates u JOIN tasks t ON t.id = u.task_id"
        " LEFT JOIN metrics m ON m.id = u.metric_id WHERE u.id = 33").fetchone()  # fmt: skip
    key = json.dumps([row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8]],
                     ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    assert row[9] == hashlib.sha256(key.encode()).hexdigest()


def test_new_entries_get_a_uid_and_it_never_changes(run, seeded):
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2").exit_code == 0
    (_, uid), = [r for r in uids(seeded) if r[0] == 68]
    assert uid and len(uid) == 64
    conn = sqlite3.connect(seeded)
    with pytest.raises(sqlite3.IntegrityError, match="set once"):
        conn.execute("UPDATE updates SET uid = ? WHERE id = 68", ["0" * 64])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE updates SET note = 'x' WHERE id = 68")


def test_migration_gives_old_entries_their_uids(tmp_path, run):
    old = tmp_path / "v2.db"
    shutil.copy(REPO / "tests" / "ledgers" / "v2.db", old)
    assert run("log", "--db", old).exit_code == 0
    rows = uids(old)
    assert rows and all(u and len(u) == 64 for _, u in rows)
    assert len({u for _, u in rows}) == len(rows)
    fresh = tmp_path / "fresh.db"
    run("init", "--db", fresh)
    assert dict(uids(fresh))[1] == dict(rows)[1]  # the seed's first row, in both


@pytest.fixture
def busy(seeded, run):
    """A ledger with entries, a withdrawal, owners, a baseline, milestones and one reported done."""
    for args in (
        ("update", "21", "--value", "7", "--quarter", "2025Q2", "--note", "二季度", "--by", "甲"),
        ("update", "36", "--value", "300万", "--quarter", "2025Q2", "--by", "乙"),
        ("void", "69", "--reason", "entered twice", "--by", "审核员"),
        ("update", "36", "--value", "290万", "--quarter", "2025Q2", "--by", "乙"),
        ("plan", "set", "21", "--owner", "市交通运输局", "--owner", "青岛港集团"),
        ("plan", "set", "8", "--baseline", "1.3万"),
        ("plan", "milestone", "5.1.1", "6月底前", "完成方案编制"),
        ("plan", "milestone", "5.1.1", "年底前", "主体完工"),
        ("update", "5.1.1", "--milestone", "1", "--done", "--quarter", "2025Q2"),
    ):
        r = run(*args)
        assert r.exit_code == 0, (args, r.stderr)
    return seeded


@pytest.mark.parametrize("ext", ["json", "xlsx"])
def test_export_then_import_reproduces_the_log_and_twice_adds_nothing(busy, run, tmp_path, ext):
    out = tmp_path / f"history.{ext}"
    assert run("export", "--output", out).exit_code == 0
    fresh = tmp_path / "fresh.db"
    assert run("init", "--db", fresh).exit_code == 0
    r = run("import", out, "--db", fresh, "--by", "搬运工")
    assert r.exit_code == 0, r.stderr
    assert "recorded 3 entries" in r.stderr and "skipped 67 rows" in r.stderr
    for args in (("log", "--all"), ("log", "--all", "--format", "json"), ("status", "--format", "json", "--as-of", "2025Q2"),
                 ("show", "5.1.1", "--format", "json"), ("status", "--owner", "青岛港集团")):  # fmt: skip
        assert run(*args, "--db", fresh).stdout == run(*args).stdout, args
    r = run("import", out, "--db", fresh, "--by", "搬运工")
    assert r.exit_code == 0, r.stderr
    assert "recorded 0 entries" in r.stderr and "skipped 70 rows" in r.stderr
    after = sqlite3.connect(fresh)
    assert after.execute("SELECT count(*) FROM updates").fetchone()[0] == 70
    assert after.execute("SELECT count(*) FROM plan_changes").fetchone()[0] == 4
    imports = after.execute("SELECT file, added, skipped, plan_added, recorded_by FROM imports ORDER BY id").fetchall()
    assert imports == [(str(out), 3, 67, 7, "搬运工"), (str(out), 0, 70, 0, "搬运工")]


def test_csv_export_keeps_recorders_and_times(busy, run, tmp_path):
    out = tmp_path / "history.csv"
    assert run("export", "--output", out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert {"uid", "recorded_at", "recorded_by", "withdrawn_reason"} <= set(rows[0])
    fresh = tmp_path / "fresh.db"
    run("init", "--db", fresh)
    assert run("import", out, "--db", fresh).exit_code == 0
    want = json.loads(run("log", "--all", "--format", "json").stdout)["entries"]
    got = json.loads(run("log", "--all", "--format", "json", "--db", fresh).stdout)["entries"]
    assert got == want


def test_an_office_file_gets_the_importer_and_now(seeded, run, tmp_path):
    f = tmp_path / "q2.csv"
    f.write_text("id,quarter,value\n21,2025Q2,7\n", encoding="utf-8")
    assert run("import", f, "--by", "市交通运输局").exit_code == 0
    e = json.loads(run("log", "--format", "json", "--limit", "1").stdout)["entries"][0]
    assert e["recorded_by"] == "市交通运输局" and e["recorded_at"].startswith("20") and e["recorded_at"] != "2025-03-31T00:00:00+08:00"
    r = run("import", f, "--by", "市交通运输局")
    assert "recorded 1 entry" in r.stderr  # an office's file has no uids: a second return is a new entry


def test_an_export_goes_to_its_own_plan_year(run, seeded, tmp_path):
    from .conftest import SEEDS

    report, listed = sorted(SEEDS.glob("000_*.txt"))[0], sorted(SEEDS.glob("002_*.txt"))[0]
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2").exit_code == 0
    out = tmp_path / "h.json"
    assert run("export", "--year", "2025", "--format", "json", "--output", out).exit_code == 0
    fresh = tmp_path / "fresh.db"
    run("init", "--db", fresh)
    r = run("plan", "load", report, "--listed", listed, "--year", "2026", "--db", fresh)
    assert r.exit_code == 0, r.stderr
    r = run("import", out, "--db", fresh)  # no --year: the file's rows say 2025, though 2026 is the default
    assert r.exit_code == 0, r.stderr
    assert run("log", "--year", "2025", "--all", "--db", fresh).stdout == run("log", "--year", "2025", "--all").stdout


def test_an_export_imported_into_its_own_ledger_adds_nothing(busy, run, tmp_path):
    out = tmp_path / "h.json"
    run("export", "--format", "json", "--output", out)
    before = json.loads(run("log", "--all", "--format", "json").stdout)
    r = run("import", out)
    assert r.exit_code == 0, r.stderr
    assert "recorded 0 entries" in r.stderr and "skipped 70 rows" in r.stderr and "replayed" not in r.stderr
    assert json.loads(run("log", "--all", "--format", "json").stdout) == before


def test_a_uid_that_is_not_one_is_refused(seeded, run, tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("id,quarter,value,uid,recorded_at,recorded_by\n21,2025Q2,7,abc,2025-07-01T09:00:00+08:00,甲\n", encoding="utf-8")
    before = dump(seeded)
    r = run("import", f)
    assert r.exit_code == 2 and "row 2, column uid" in r.stderr
    assert dump(seeded) == before


def test_original_recorder_and_time_are_kept(seeded, run, tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("id,quarter,value,recorded_at,recorded_by,source\n21,2025Q2,7,2025-07-01T09:00:00+08:00,甲,qdtrack update 21\n",
                 encoding="utf-8")  # fmt: skip
    assert run("import", f, "--by", "乙").exit_code == 0
    e = json.loads(run("log", "--format", "json", "--limit", "1").stdout)["entries"][0]
    assert (e["recorded_at"], e["recorded_by"], e["source"]) == ("2025-07-01T09:00:00+08:00", "甲", "qdtrack update 21")
    assert sqlite3.connect(seeded).execute("SELECT recorded_by FROM imports").fetchall() == [("乙",)]
