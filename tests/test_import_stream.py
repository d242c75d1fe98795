"""Import at scale (issue 14): rows checked and written in batches inside the one transaction, the
file read in two passes, the shortcuts that make a row cheap (a plain figure, an entry's key), and
the progress bar. What is recorded must not depend on any of it: batches of 3 give the same ledger
as one batch, a bad row after several written batches still records nothing."""

from __future__ import annotations

import datetime
import io
import json
import random
import sqlite3

import pytest

from qdtrack import exchange, exchange_check, progressbar, uids
from qdtrack.ledger import history
from qdtrack.quantity import QuantityError, parse_quantity

from .conftest import dump

AT = "2025-12-31T12:00:00+08:00"


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 rows, and 2 rows per INSERT statement: every path through the batching."""
    monkeypatch.setattr(exchange, "BATCH", 3)
    monkeypatch.setattr(history, "ENTRIES_PER_INSERT", 2)


def rows_csv(n: int, bad: int | None = None) -> str:
    """``n`` rows a day apart from 1 April: item 21's figure rising, a note on 5.1.1 every third
    row; the row numbered ``bad`` (0-based) falls below Q1's figure."""
    lines = ["id,quarter,as_of,value,note"]
    for i in range(n):
        day = datetime.date(2025, 4, 1) + datetime.timedelta(days=i)
        quarter = f"2025Q{(day.month + 2) // 3}"
        if i % 3 == 2:
            lines.append(f"5.1.1,{quarter},{day},,进展{i}")
        else:
            lines.append(f"21,{quarter},{day},{1 if i == bad else 5 + i // 10},")
    return "\n".join(lines) + "\n"


def table(db, name: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()  # noqa: S608 - a table name of this test
    finally:
        conn.close()


def test_batches_record_what_one_batch_records(run, tmp_path, monkeypatch):
    monkeypatch.setattr(exchange, "now_iso", lambda: AT)
    f = tmp_path / "rows.csv"
    f.write_text(rows_csv(40), encoding="utf-8")
    dbs = []
    for batch, per in ((3, 2), (2000, 2000)):
        monkeypatch.setattr(exchange, "BATCH", batch)
        monkeypatch.setattr(history, "ENTRIES_PER_INSERT", per)
        db = tmp_path / f"b{batch}.db"
        assert run("init", "--db", db).exit_code == 0
        r = run("import", f, "--by", "办公室", "--db", db)
        assert r.exit_code == 0, r.stderr
        assert "recorded 40 entries" in r.stderr
        dbs.append(db)
    for name in ("updates", "voids", "imports"):
        assert table(dbs[0], name) == table(dbs[1], name), name
    assert [row[1:] for row in table(dbs[0], "chain")][-45:] == [row[1:] for row in table(dbs[1], "chain")][-45:]
    assert run("check", "--db", dbs[0]).exit_code == 0


def test_a_bad_row_after_written_batches_records_nothing(seeded, run, tmp_path, small_batches):
    f = tmp_path / "rows.csv"
    f.write_text(rows_csv(30, bad=25), encoding="utf-8")
    before = dump(seeded)
    r = run("import", f)
    assert r.exit_code == 2
    assert "row 27, column value" in r.stderr and "nothing was recorded" in r.stderr  # row 25 of the data is row 27
    assert dump(seeded) == before


def test_an_unreadable_cell_below_a_bad_row_is_what_is_reported(seeded, run, tmp_path, small_batches):
    """The file is read whole before any row is checked: its unreadable cells come first, as ever."""
    f = tmp_path / "rows.csv"
    text = rows_csv(20, bad=2).splitlines()
    text[15] = text[15] + "x" * 40_000
    f.write_text("\n".join(text) + "\n", encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 2
    assert "row 16, column note" in r.stderr and "more than 32,767" in r.stderr
    assert "below the year-to-date" not in r.stderr


def test_a_dry_run_over_several_batches_lists_every_row_and_writes_nothing(seeded, run, tmp_path, small_batches):
    f = tmp_path / "rows.csv"
    f.write_text(rows_csv(10), encoding="utf-8")
    before = dump(seeded)
    r = run("import", f, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) == 10
    assert "would record 10 entries" in r.stderr
    assert dump(seeded) == before


def test_a_figure_withdrawn_in_an_earlier_batch_is_not_in_force(seeded, run, tmp_path, small_batches):
    f = tmp_path / "rows.csv"
    lines = ["id,quarter,as_of,value,note,withdrawn_reason", "21,2025Q2,2025-04-01,9,,wrong item"]
    lines += [f"5.1.1,2025Q2,2025-04-0{d},,进展{d},," for d in range(2, 9)]
    lines += ["21,2025Q2,2025-04-20,5,,"]  # below the withdrawn 9, above Q1's 4
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 0, r.stderr
    shown = json.loads(run("status", "--item", "21", "--format", "json", "--as-of", "2025-04-30").stdout)
    assert shown["items"][0]["metrics"][0]["actual"] == 5


def test_a_figure_falling_below_one_of_an_earlier_batch_is_refused(seeded, run, tmp_path, small_batches):
    f = tmp_path / "rows.csv"
    lines = ["id,quarter,as_of,value,note", "21,2025Q2,2025-04-01,9,"]
    lines += [f"5.1.1,2025Q2,2025-04-0{d},,进展{d}" for d in range(2, 9)]
    lines += ["21,2025Q2,2025-04-20,5,"]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 2
    assert "row 10, column value" in r.stderr and "below the year-to-date 9条" in r.stderr


# -- the shortcuts read as the long way does ----------------------------------------------------


def _read(read, text):
    try:
        q = read(text)
    except QuantityError as e:
        return ("error", str(e))
    return (q, repr(q.value))


def test_plain_figures_are_read_as_parse_quantity_reads_them():
    rng = random.Random(14)
    suffixes = ["", "%", "％", "条", "家", "亿元", "万元", "元", "万", "亿", "万亿", "人", "名", "㎡", "平方米", "万人", "以上",
                "左右", "万万元", "亿 元", " ", "% ", " %", "e5", ".5", "x", "人次", "场次", "KW", "kw", "\u0301"]  # fmt: skip
    memo = exchange_check.Memo()
    for _ in range(20_000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 19)))
        if rng.random() < 0.5:
            digits += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 12)))
        text = ("-" if rng.random() < 0.2 else "") + digits + rng.choice(suffixes)
        assert _read(memo.quantity, text) == _read(parse_quantity, text), text


def test_an_entry_key_is_its_canonical_json():
    rng = random.Random(14)
    pieces = ["a", "中", '"', "\\", "\n", "\x00", "\x1f", "\u2028", "é", "/", "\t", " ", "\x7f", "😀"]

    def text():
        return None if rng.random() < 0.2 else "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))

    for _ in range(5_000):
        value = rng.choice([None, 0.0, -0.0, 1e-7, 0.1 + 0.2, 278.17e4, 1e14, 7, float("inf"), float("nan")])
        fields = [text() or "21", text(), "2025-06-30", value, text(), text(), rng.choice([True, False, 0, 1]), text() or "b", text() or AT]
        if rng.random() < 0.05:
            fields[rng.choice([0, 1, 4, 5])] = rng.choice([5, 2.5])  # not text: the encoder's own answer
        value = fields[3]
        canonical = [*fields[:3], None if value is None else float(value), *fields[4:6], bool(fields[6]), *fields[7:]]
        assert uids.entry_key(*fields) == json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))


# -- the progress bar ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_for_work_under_a_second(monkeypatch):
    stream = Terminal()
    with progressbar.Progress(1000, "importing f.csv", stream) as bar:
        for _ in range(1000):
            bar.advance()
    assert stream.getvalue() == ""


def test_a_bar_on_a_terminal_once_a_second_has_passed(monkeypatch):
    monkeypatch.setattr(progressbar, "DELAY", 0.0)
    stream = Terminal()
    with progressbar.Progress(1000, "importing f.csv", stream) as bar:
        for _ in range(1000):
            bar.advance()
    assert "importing f.csv" in stream.getvalue() and "100%" in stream.getvalue()


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(progressbar, "DELAY", 0.0)
    stream = io.StringIO()
    with progressbar.Progress(1000, "importing f.csv", stream) as bar:
        for _ in range(1000):
            bar.advance()
    assert stream.getvalue() == ""


def test_import_draws_no_bar_on_a_pipe(seeded, run, tmp_path, monkeypatch):
    monkeypatch.setattr(progressbar, "DELAY", 0.0)
    f = tmp_path / "rows.csv"
    f.write_text(rows_csv(200), encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "recorded 200 entries from " + str(f) + "\n"
