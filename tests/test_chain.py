"""Tamper evidence: the history chain (m005_chain), what ``check`` finds when the file is edited
outside qdtrack, and what it cannot find without the printed head."""

from __future__ import annotations

import sqlite3

import pytest

from qdtrack.ledger import Ledger
from qdtrack.ledger.chain import GENESIS, content, link_hash
from tests.conftest import dump

UPDATE_TRIGGERS = ("updates_no_update", "updates_no_delete")


def _conn(path):
    return sqlite3.connect(str(path), isolation_level=None)


def _check(run):
    result = run("check")
    return result.exit_code, result.stdout


def _trigger_sql(conn, name):
    return conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]).fetchone()[0]


@pytest.fixture
def history(run, seeded):
    """A seeded ledger with a figure, a withdrawal, a baseline and a milestone done, all through qdtrack."""
    for args in (
        ("update", "21", "--value", "7", "--quarter", "2025Q2"),
        ("update", "21", "--note", "checked", "--quarter", "2025Q2"),
        ("plan", "milestone", "21", "2025-06-30", "开通航线"),
        ("update", "21", "--milestone", "1", "--done", "--quarter", "2025Q2"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    conn = _conn(seeded)
    note_id = conn.execute("SELECT max(id) FROM updates WHERE note = 'checked'").fetchone()[0]
    conn.close()
    assert run("void", note_id, "--reason", "typo").exit_code == 0
    assert _check(run) == (0, "ok\n")
    return seeded


def test_every_history_row_is_linked_in_order(history):
    with Ledger.open(history, create=False) as ledger:
        links = ledger.chain_links()
        rows = ledger.history_rows()
        head = ledger.chain_head()
    linked = {(kind, row_id) for _, kind, row_id, _, _ in links if kind != "plan"}
    assert linked == set(rows)
    assert {"entry", "void", "plan_change", "milestone_done", "plan"} <= {link[1] for link in links}
    assert [link[0] for link in links] == list(range(1, len(links) + 1))
    previous = GENESIS
    for _, kind, row_id, digest, stored in links:
        text = content("plan", {"digest": digest}) if kind == "plan" else content(kind, rows[(kind, row_id)])
        assert link_hash(previous, text) == stored
        previous = stored
    assert head == links[-1][4] and len(head) == 64


def test_a_refused_write_adds_no_link(run, history):
    with Ledger.open(history, create=False) as ledger:
        head = ledger.chain_head()
    assert run("update", "21", "--value", "3", "--quarter", "2025Q2").exit_code == 2  # falls without --correct
    with Ledger.open(history, create=False) as ledger:
        assert ledger.chain_head() == head


def test_replace_into_is_found(run, history):
    conn = _conn(history)
    row = conn.execute("SELECT id, task_id, metric_id, quarter, value, recorded_at, recorded_by, source, uid FROM updates "
                       "WHERE value IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()  # fmt: skip
    conn.execute(
        "REPLACE INTO updates (id, task_id, metric_id, quarter, value, recorded_at, recorded_by, source, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row[0], row[1], row[2], row[3], 9.0, *row[5:]],
    )
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert f"(entry #{row[0]}): the row was changed outside qdtrack" in out
    assert "the history chain breaks at link" in out


def test_a_deleted_row_is_found_even_with_the_triggers_put_back(run, history):
    conn = _conn(history)
    sql = _trigger_sql(conn, "updates_no_delete")
    victim = conn.execute("SELECT min(id) FROM updates").fetchone()[0]
    conn.execute("DROP TRIGGER updates_no_delete")
    conn.execute("DELETE FROM updates WHERE id = ?", [victim])
    conn.execute(sql)  # put back exactly as it was
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert f"entry #{victim} is gone (deleted outside qdtrack)" in out
    assert "trigger" not in out  # the schema is as it should be: the chain is what tells


def test_an_inserted_row_is_found(run, history):
    conn = _conn(history)
    conn.execute(
        "INSERT INTO updates (task_id, metric_id, quarter, value, recorded_at, recorded_by, source) "
        "SELECT task_id, metric_id, '2025Q2', 9, '2025-06-30T10:00:00+08:00', 'mallory', 'sqlite3' FROM updates "
        "WHERE value IS NOT NULL LIMIT 1"
    )
    new_id = conn.execute("SELECT max(id) FROM updates").fetchone()[0]
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert f"entry #{new_id} is not in the history chain (added outside qdtrack)" in out


@pytest.mark.parametrize("change", ["dropped", "altered", "added"])
def test_changed_triggers_are_found(run, history, change):
    conn = _conn(history)
    if change == "dropped":
        conn.execute("DROP TRIGGER voids_no_delete")
    elif change == "altered":
        conn.execute("DROP TRIGGER plan_changes_no_update")
        conn.execute("CREATE TRIGGER plan_changes_no_update BEFORE UPDATE OF field ON plan_changes "
                     "BEGIN SELECT RAISE(ABORT, 'plan changes are append-only'); END")  # fmt: skip
    else:
        conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON updates BEGIN SELECT 1; END")
    conn.close()
    code, out = _check(run)
    assert code == 5
    expected = {
        "dropped": "the trigger voids_no_delete is missing",
        "altered": "the trigger plan_changes_no_update differs from this qdtrack's schema",
        "added": "the trigger sneaky is not part of this qdtrack's schema",
    }[change]
    assert expected in out


def test_a_plan_table_edited_directly_is_found(run, history):
    conn = _conn(history)
    conn.execute("UPDATE metrics SET target = target / 2 WHERE id = (SELECT min(id) FROM metrics)")
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert "the plan tables (targets, baselines, units, milestones ...) were changed outside qdtrack" in out


def test_a_baseline_that_disagrees_with_its_plan_change(run, history):
    assert run("plan", "set", "36", "--baseline", "100万").exit_code in (0, 2)  # the plan command's own rules
    conn = _conn(history)
    has = conn.execute("SELECT count(*) FROM plan_changes WHERE field = 'baseline'").fetchone()[0]
    if not has:
        conn.execute(
            "INSERT INTO plan_changes (year, task_id, metric_id, field, old, new, recorded_at, recorded_by, source) "
            "SELECT 2025, task_id, id, 'baseline', NULL, '5.0', '2025-06-30T10:00:00+08:00', 'x', 'x' FROM metrics LIMIT 1"
        )
    conn.execute("UPDATE metrics SET baseline = 42 WHERE id = (SELECT metric_id FROM plan_changes WHERE field = 'baseline' ORDER BY id DESC LIMIT 1)")
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert "baseline is 42.0, but the latest plan change set" in out


def test_a_cut_chain_is_found(run, history):
    conn = _conn(history)
    conn.execute("DROP TRIGGER chain_no_delete")
    conn.execute("DELETE FROM chain WHERE n = 3")
    conn.execute("CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain\nBEGIN\n    SELECT RAISE(ABORT, 'the history chain is append-only');\nEND")
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert "history chain links 3-3 are missing" in out
    assert "is not in the history chain" in out


def test_wrong_types_and_dates_are_found(run, history):
    conn = _conn(history)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(
        "INSERT INTO updates (task_id, metric_id, quarter, value, recorded_at, recorded_by, source) "
        "SELECT task_id, metric_id, '2025Q2', 'lots', 'last Tuesday', 'x', 'x' FROM updates WHERE value IS NOT NULL LIMIT 1"
    )
    new_id = conn.execute("SELECT max(id) FROM updates").fetchone()[0]
    conn.close()
    code, out = _check(run)
    assert code == 5
    assert f"entry #{new_id}: recorded_at 'last Tuesday' is not a date" in out
    assert f"entry #{new_id}: value 'lots' is not a number" in out


def test_a_recomputed_chain_passes_check_but_changes_the_head(run, history):
    """What the chain cannot do: someone with the file recomputes every link. The head printed on
    an earlier report is what shows it."""
    with Ledger.open(history, create=False) as ledger:
        printed = ledger.chain_head()
    conn = _conn(history)
    for name in ("chain_no_update", "chain_no_delete", *UPDATE_TRIGGERS):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE updates SET value = 9 WHERE id = (SELECT max(id) FROM updates WHERE value IS NOT NULL)")
    conn.execute("DELETE FROM chain")
    conn.close()
    from qdtrack.ledger.chain import link_pending

    with Ledger.open(history, create=False) as ledger, ledger.write():
        link_pending(ledger.conn, by_time=True)  # the forger runs qdtrack's own code
    with Ledger.open(history, create=False) as ledger:
        forged = ledger.chain_problems()
        head = ledger.chain_head()
    assert forged == []
    assert head != printed


def test_migration_links_an_existing_history(tmp_path):
    """A ledger from before m005_chain (the frozen schema-2 ledger) gets its whole history linked when opened."""
    import shutil

    from tests.helpers_proc import REPO

    frozen = REPO / "tests" / "ledgers" / "v2.db"
    if not frozen.exists():
        pytest.skip("no frozen schema-2 ledger")
    path = tmp_path / "old.db"
    shutil.copyfile(frozen, path)
    with Ledger.open(path, create=False) as ledger:
        assert "m005_chain" in ledger.applied_migrations()
        rows = ledger.history_rows()
        linked = {(k, r) for _, k, r, _, _ in ledger.chain_links() if k != "plan"}
        assert linked == set(rows) and rows
        assert ledger.chain_problems() == []
    before = dump(path)
    with Ledger.open(path, create=False):
        pass
    assert dump(path) == before  # opening again links nothing new


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_reports_print_the_chain_head(run, history, fmt):
    with Ledger.open(history, create=False) as ledger:
        head = ledger.chain_head()
    result = run("report", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert f"history {head[:12]}" in result.stdout
    assert run("update", "25", "--note", "one more", "--quarter", "2025Q2").exit_code == 0
    assert f"history {head[:12]}" not in run("report", "--format", fmt).stdout


def _printed_head(run):
    result = run("report", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split("history ", 1)[1].split()[0]


def test_check_head_accepts_a_printed_head_after_later_writes(run, history):
    printed = _printed_head(run)
    assert run("update", "25", "--note", "later", "--quarter", "2025Q2").exit_code == 0
    for given in (printed, f"history {printed}", printed.upper()):
        result = run("check", "--head", given)
        assert (result.exit_code, result.stdout) == (0, "ok\n"), (given, result.stdout, result.stderr)


def test_check_head_finds_a_recomputed_history(run, history):
    printed = _printed_head(run)
    conn = _conn(history)
    for name in ("chain_no_update", "chain_no_delete", *UPDATE_TRIGGERS):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE updates SET value = 9 WHERE id = (SELECT min(id) FROM updates WHERE value IS NOT NULL)")
    conn.execute("DELETE FROM chain")
    conn.close()
    from qdtrack.ledger.chain import link_pending

    with Ledger.open(history, create=False) as ledger, ledger.write():
        link_pending(ledger.conn, by_time=True)  # a forger with qdtrack's code
    result = run("check", "--head", printed)
    assert result.exit_code == 5
    assert f"no link of the history chain has the head {printed}" in result.stdout


@pytest.mark.parametrize("bad", ["", "xyz", "1a2b3c", "g" * 12, "1" * 65])
def test_check_head_refuses_what_is_not_a_head(run, history, bad):
    result = run("check", "--head", bad)
    assert result.exit_code == 2
    assert "is not a history head" in result.stderr


def test_json_and_xlsx_reports_carry_the_chain_head(run, history, tmp_path):
    import json

    import openpyxl

    with Ledger.open(history, create=False) as ledger:
        head = ledger.chain_head()
    result = run("report", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["chain_head"] == head
    out = tmp_path / "r.xlsx"
    assert run("report", "--format", "xlsx", "--output", out).exit_code == 0
    cells = [str(c.value) for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any(head[:12] in text for text in cells)
