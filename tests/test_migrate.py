"""Frozen ledgers of every past schema upgrade to the current one with their history intact.

In the style of simonw/llm's tests/test_migrate.py. ``tests/ledgers/v{N}.db`` is a ledger
written by the qdtrack of schema version N (``make_v{N}.py`` beside it says how) and
committed as it was. Each test works on a copy in ``tmp_path``; the committed file is
never opened for writing. Every later migration adds its own frozen ledger and an entry
in ``EXPECTED``; ``test_every_frozen_ledger_has_expectations`` keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pathlib
import shutil
import sqlite3
from collections.abc import Iterator

import pytest
import sqlite_utils
from click.testing import CliRunner, Result

from qdtrack.cli import cli
from qdtrack.ledger import Ledger
from qdtrack.migrations import migrations
from tests.helpers_proc import proc_env, start_qdtrack

LEDGERS = pathlib.Path(__file__).resolve().parent / "ledgers"
FROZEN = sorted(LEDGERS.glob("v*.db"), key=lambda p: int(p.stem[1:]))


@dataclasses.dataclass(frozen=True)
class Frozen:
    """What is known of one frozen ledger, read off it when it was made."""

    applied: tuple[str, ...]  # the migrations it had, in order
    updates: int  # rows in its update history
    figures: dict[str, float]  # item -> its latest figure (first metric), as `show` reports it
    statuses: dict[str, str]  # item -> a status set by hand
    recorders: frozenset[str]  # everyone who recorded something


EXPECTED: dict[str, Frozen] = {
    "v1": Frozen(
        applied=("m001_ledger",),
        updates=70,
        figures={"21": 7.0, "36": 5200000.0},
        statuses={"9.1.3": "on_track"},
        recorders=frozenset({"seed", "wang.fang", "li.ming"}),
    ),
    "v2": Frozen(
        applied=("m001_ledger", "m002_dated_figures"),
        updates=72,
        figures={"21": 7.0, "36": 5100000.0, "44": 9000.0},
        statuses={},
        recorders=frozenset({"seed", "wang.fang", "li.ming", "zhao.lei"}),
    ),
    "v3": Frozen(
        applied=("m001_ledger", "m002_dated_figures", "m003_views"),
        updates=72,
        figures={"21": 7.0, "36": 5100000.0, "44": 9000.0},
        statuses={},
        recorders=frozenset({"seed", "wang.fang", "li.ming", "zhao.lei"}),
    ),
    "v4": Frozen(
        applied=("m001_ledger", "m002_dated_figures", "m003_views", "m004_cycle"),
        updates=72,
        figures={"21": 7.0, "36": 5100000.0, "44": 9000.0},
        statuses={},
        recorders=frozenset({"seed", "wang.fang", "li.ming", "zhao.lei"}),
    ),
}


def known_migrations() -> list[str]:
    """Every migration the current qdtrack has, in order (all pending on an empty database)."""
    return [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]


def read_only(path: pathlib.Path) -> sqlite3.Connection:
    """Read without writing; a committed frozen ledger (no WAL) is also read without locking."""
    frozen = path.parent == LEDGERS
    conn = sqlite3.connect(f"file:{path}?mode=ro{'&immutable=1' if frozen else ''}", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def rows(path: pathlib.Path, sql: str) -> list[dict]:
    conn = read_only(path)
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def open_current(path: pathlib.Path) -> None:
    """Open (and so upgrade) the ledger with the library, then close it."""
    with Ledger.open(path, create=False) as ledger:
        assert not ledger.created


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def schema(path: pathlib.Path) -> dict[str, object]:
    """Tables with their columns, indexes with their columns, triggers and views: by name."""
    conn = read_only(path)
    try:
        out: dict[str, object] = {}
        for kind, name in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ):
            if kind == "table":
                out[f"table {name}"] = [tuple(r) for r in conn.execute(f"PRAGMA table_xinfo('{name}')")]
            elif kind == "index":
                out[f"index {name}"] = [tuple(r) for r in conn.execute(f"PRAGMA index_xinfo('{name}')")]
            else:
                out[f"{kind} {name}"] = True
        return out
    finally:
        conn.close()


@pytest.fixture(params=FROZEN, ids=lambda p: p.stem)
def frozen(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[tuple[str, pathlib.Path, pathlib.Path]]:
    """(version, the committed file, a copy of it in tmp_path); the committed file stays as it was."""
    original: pathlib.Path = request.param
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    copy = tmp_path / original.name
    shutil.copyfile(original, copy)
    yield original.stem, original, copy
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before, f"{original} was changed"


def test_there_is_a_frozen_ledger() -> None:
    assert FROZEN, f"no frozen ledgers in {LEDGERS}"


def test_every_frozen_ledger_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(p.stem for p in FROZEN)


def test_every_migration_but_the_latest_has_a_frozen_ledger() -> None:
    """A new migration m00N must come with a ledger frozen at the schema before it."""
    versions = {len(e.applied) for e in EXPECTED.values()}
    assert versions >= set(range(1, len(known_migrations()))) | {1}


def test_frozen_ledger_is_what_expected_says(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    version, original, _ = frozen
    want = EXPECTED[version]
    assert version == f"v{len(want.applied)}", "v{N}.db is the ledger with N migrations applied"
    applied = [r["name"] for r in rows(original, "SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert tuple(applied) == want.applied
    assert list(want.applied) == known_migrations()[: len(want.applied)]
    updates = rows(original, "SELECT * FROM updates")
    assert len(updates) == want.updates
    assert {u["recorded_by"] for u in updates} == want.recorders
    assert not (original.parent / (original.name + "-wal")).exists(), "checkpoint the frozen ledger"


def test_opening_applies_every_migration(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    _, _, copy = frozen
    open_current(copy)
    applied = [r["name"] for r in rows(copy, "SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == known_migrations()


def test_m002_dates_every_old_figure_at_its_quarter_end(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    """m002: updates gain on_date and a generated as_of; voids, plan_changes and milestones appear."""
    _, original, copy = frozen
    if "m002_dated_figures" in EXPECTED[original.stem].applied:
        pytest.skip("frozen after m002")
    open_current(copy)
    tables = {r["name"] for r in rows(copy, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"voids", "plan_changes", "milestones"} <= tables
    conn = read_only(copy)
    try:
        columns = {r["name"]: r["hidden"] for r in conn.execute("PRAGMA table_xinfo('updates')")}
    finally:
        conn.close()
    assert columns["on_date"] == 0
    assert columns["as_of"] in (2, 3), "as_of is a generated column"
    ends = {"Q1": "03-31", "Q2": "06-30", "Q3": "09-30", "Q4": "12-31"}
    upgraded = rows(copy, "SELECT quarter, on_date, as_of FROM updates")
    assert upgraded
    for u in upgraded:
        assert u["on_date"] is None
        assert u["as_of"] == f"{u['quarter'][:4]}-{ends[u['quarter'][4:]]}", u
    assert rows(copy, "SELECT count(*) AS n FROM voids")[0]["n"] == 0


def test_the_upgrade_is_one_transaction(
    frozen: tuple[str, pathlib.Path, pathlib.Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """All migrations commit together or not at all: one BEGIN IMMEDIATE ... COMMIT, none inside."""
    version, _, copy = frozen
    if EXPECTED[version].applied == tuple(known_migrations()):
        pytest.skip("frozen at the latest schema: nothing to upgrade")
    statements: list[str] = []
    configure = Ledger._configure

    def traced(self: Ledger) -> None:
        self.conn.set_trace_callback(statements.append)
        configure(self)

    monkeypatch.setattr(Ledger, "_configure", traced)
    open_current(copy)
    control = [s.split()[0].upper() for s in statements if s.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert control == ["BEGIN", "COMMIT"], control
    assert statements[[s.split()[0].upper() for s in statements].index("BEGIN")].startswith("BEGIN IMMEDIATE")
    if "m002_dated_figures" not in EXPECTED[version].applied:
        assert any("CREATE TABLE voids" in s for s in statements)


def test_processes_upgrading_at_once_upgrade_once(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    """Several qdtracks opening an old ledger at once: each migration is applied exactly once."""
    _, original, copy = frozen
    before = rows(original, "SELECT * FROM updates ORDER BY id")
    procs = start_qdtrack(None, "status", "--item", "21", n=4, env=proc_env(copy))
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "新开通海运航线" in out, out
    applied = [r["name"] for r in rows(copy, "SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == known_migrations()
    columns = ", ".join(before[0])
    assert rows(copy, f"SELECT {columns} FROM updates ORDER BY id") == before
    check = invoke("check", "--db", str(copy))
    assert (check.exit_code, check.stdout) == (0, "ok\n"), check.stdout


def test_upgraded_schema_is_a_new_ledgers_schema(
    frozen: tuple[str, pathlib.Path, pathlib.Path], tmp_path: pathlib.Path
) -> None:
    _, _, copy = frozen
    open_current(copy)
    fresh = tmp_path / "fresh.db"
    r = invoke("init", "--db", str(fresh))
    assert r.exit_code == 0, r.stderr
    assert schema(copy) == schema(fresh)


def test_history_survives_the_upgrade(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    """Every update row of the frozen file is still there: same values, recorders and times."""
    _, original, copy = frozen
    before = rows(original, "SELECT * FROM updates ORDER BY id")
    open_current(copy)
    columns = ", ".join(before[0])  # the frozen file's columns; a later migration may add more
    after = rows(copy, f"SELECT {columns} FROM updates WHERE id <= {before[-1]['id']:d} ORDER BY id")
    assert after == before


def test_cli_log_shows_the_frozen_history(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    _, original, copy = frozen
    before = rows(original, "SELECT * FROM updates ORDER BY id")
    r = invoke("log", "--all", "--format", "json", "--db", str(copy))
    assert r.exit_code == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["schema"] == 2
    changes = rows(original, "SELECT * FROM plan_changes") if original.stem != "v1" else []
    assert len(shown["plan_changes"]) == len(changes)
    voided = {v["update_id"] for v in rows(original, "SELECT * FROM voids")} if original.stem != "v1" else set()
    logged = {e["entry"]: e for e in shown["entries"]}
    assert len(logged) == len(shown["entries"])
    assert set(logged) == {u["id"] for u in before}
    for u in before:
        e = logged[u["id"]]
        got = (e["recorded_at"], e["recorded_by"], e["source"], e["quarter"], e["value"], e["note"], e["status"])
        want = (u["recorded_at"], u["recorded_by"], u["source"], u["quarter"], u["value"], u["note"], u["status"])
        assert got == want, u["id"]
        assert e["correction"] is bool(u["correction"])
        assert (e["withdrawn"] is not None) is (u["id"] in voided), u["id"]
    # without --all the log shows the newest 50
    r = invoke("log", "--format", "json", "--db", str(copy))
    assert r.exit_code == 0, r.stderr
    newest = [e["entry"] for e in json.loads(r.stdout)["entries"]]
    assert newest == sorted((u["id"] for u in before), reverse=True)[:50]


def test_cli_reads_the_upgraded_ledger(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    version, _, copy = frozen
    want = EXPECTED[version]
    r = invoke("status", "--db", str(copy))
    assert r.exit_code == 0, r.stderr
    for item, figure in want.figures.items():
        r = invoke("show", item, "--format", "json", "--db", str(copy))
        assert r.exit_code == 0, r.stderr
        (shown,) = json.loads(r.stdout)["items"]
        assert shown["metrics"][0]["actual"] == figure, item
    for item, status in want.statuses.items():
        r = invoke("show", item, "--format", "json", "--db", str(copy))
        assert r.exit_code == 0, r.stderr
        (shown,) = json.loads(r.stdout)["items"]
        assert shown["status"] == status, item


def test_check_passes_on_the_upgraded_ledger(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    _, _, copy = frozen
    r = invoke("check", "--db", str(copy))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "ok"


def test_owners_and_uids_survive_the_upgrade(frozen: tuple[str, pathlib.Path, pathlib.Path]) -> None:
    """From schema 4 on, a task's responsible units and every entry's uid are kept as they were."""
    version, original, copy = frozen
    if "m004_cycle" not in EXPECTED[version].applied:
        pytest.skip("frozen before m004_cycle: no owners or uids yet")
    owners = rows(original, "SELECT task_id, pos, unit FROM owners ORDER BY task_id, pos")
    uids = rows(original, "SELECT id, uid FROM updates ORDER BY id")
    assert owners and all(u["uid"] for u in uids)
    open_current(copy)
    assert rows(copy, "SELECT task_id, pos, unit FROM owners ORDER BY task_id, pos") == owners
    assert rows(copy, f"SELECT id, uid FROM updates WHERE id <= {uids[-1]['id']:d} ORDER BY id") == uids
    r = invoke("status", "--owner", owners[0]["unit"], "--format", "json", "--db", str(copy))
    assert r.exit_code == 0, r.stderr
    assert [i["id"] for i in json.loads(r.stdout)["items"]] == ["21"]
