"""qdtrack import and export: all-or-nothing imports, row/column errors, round trips."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from .conftest import dump
from .helpers_proc import qdtrack

HEADER = ["id", "quarter", "value", "metric", "note"]


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows, header=HEADER):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD = [
    ["21", "2025Q2", "7", "", "二季度新开通航线"],
    ["3", "2025Q2", "1200亿元", "完成投资", ""],
    ["36", "2025Q2", "500万平方米", "", ""],
    ["21", "2025Q3", "9", "", ""],
]


def item(run, ref, as_of="2025Q3"):
    r = run("status", "--item", ref, "--format", "json", "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["items"][0]


def test_good_csv_records_every_row(seeded, run, tmp_path):
    f = write_csv(tmp_path / "q2.csv", GOOD)
    r = run("import", f)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr.strip() == f"recorded 4 entries from {f}"
    assert item(run, "21")["metrics"][0]["actual"] == 9
    assert item(run, "21", "2025Q2")["metrics"][0]["actual"] == 7
    assert item(run, "3")["metrics"][1]["actual"] == 1200
    assert item(run, "36")["metrics"][0]["actual"] == 5_000_000
    r = run("show", "21", "--format", "json")
    updates = json.loads(r.stdout)["items"][0]["entries"]
    assert f"import {f} row 2" in {u["source"] for u in updates}
    assert "二季度新开通航线" in {u["note"] for u in updates}


def test_good_xlsx_records_every_row(seeded, run, tmp_path):
    rows = [
        [int(a) if a.isdigit() else a, b, int(c) if c.isdigit() else c, d or None, e or None] for a, b, c, d, e in GOOD
    ]
    f = write_xlsx(tmp_path / "q2.xlsx", rows)
    r = run("import", f, "--by", "市发改委")
    assert r.exit_code == 0, r.stderr
    assert "recorded 4 entries" in r.stderr
    assert item(run, "21")["metrics"][0]["actual"] == 9
    r = run("show", "21", "--format", "json")
    assert "市发改委" in {u["recorded_by"] for u in json.loads(r.stdout)["items"][0]["entries"]}


def test_chinese_headers_with_bom_and_extra_columns(seeded, run, tmp_path):
    header = ["序号", "事项内容", "季度", "数值", "指标", "进展情况", "备注"]
    rows = [["21", "新开通海运航线10条以上", "2025Q2", "6条", "", "新开通6条", "ignored"]]
    f = write_csv(tmp_path / "进展.csv", rows, header, encoding="utf-8-sig")
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    r = run("import", f)
    assert r.exit_code == 0, r.stderr
    assert item(run, "21", "2025Q2")["metrics"][0]["actual"] == 6


def test_gb18030_csv_as_excel_saves_it(seeded, run, tmp_path):
    header = ["序号", "季度", "数值", "指标", "进展情况"]
    f = write_csv(tmp_path / "excel.csv", [["21", "2025Q2", "5", "", "五条"]], header, encoding="gb18030")
    r = run("import", f)
    assert r.exit_code == 0, r.stderr


def test_one_bad_row_records_nothing(seeded, run, tmp_path):
    before = dump(seeded)
    f = write_csv(tmp_path / "bad.csv", [GOOD[0], ["21", "2025Q2", "lots", "", ""], GOOD[2]])
    r = run("import", f)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {f} row 3, column value:")
    assert "nothing was recorded" in lines[0]
    assert dump(seeded) == before


@pytest.mark.parametrize(
    "row, column",
    [
        (["99", "2025Q2", "1", "", ""], "id"),
        (["", "2025Q2", "1", "", ""], "id"),
        (["21", "2024Q2", "1", "", ""], "quarter"),
        (["21", "", "1", "", ""], "quarter"),
        (["21", "2025Q5", "1", "", ""], "quarter"),
        (["3", "2025Q2", "1200亿元", "投资额", ""], "metric"),
        (["3", "2025Q2", "7", "", ""], "metric"),
        (["21", "2025Q2", "3万平方米", "", ""], "value"),
        (["21", "2025Q2", "-3", "", ""], "value"),
        (["21", "2025Q2", "", "", ""], "value"),
        (["6", "2025Q2", "", "", ""], "value"),
    ],
)
def test_error_names_row_and_column(seeded, run, tmp_path, row, column):
    before = dump(seeded)
    f = write_csv(tmp_path / "bad.csv", [GOOD[0], row])
    r = run("import", f)
    assert r.exit_code == 2, r.stderr
    assert f"row 3, column {column}:" in r.stderr, r.stderr
    assert "--" not in r.stderr.split("column", 1)[1]  # speaks of columns, not command-line options
    assert dump(seeded) == before


def test_rows_are_checked_against_each_other(seeded, run, tmp_path):
    before = dump(seeded)
    # the Q3 figure comes first; the Q2 figure above it cannot be accepted
    f = write_csv(tmp_path / "order.csv", [["21", "2025Q3", "5", "", ""], ["21", "2025Q2", "6", "", ""]])
    r = run("import", f)
    assert r.exit_code == 2
    assert "row 3, column value:" in r.stderr
    assert "6条 is above the year-to-date 5条 recorded as of 2025-09-30, a later date" in r.stderr  # the row above, named by its date
    assert dump(seeded) == before
    f = write_csv(tmp_path / "fall.csv", [["21", "2025Q2", "6", "", ""], ["21", "2025Q3", "5", "", ""]])
    r = run("import", f)
    assert r.exit_code == 2
    assert "row 3, column value:" in r.stderr and "correction column" in r.stderr
    assert dump(seeded) == before


def test_correction_column(seeded, run, tmp_path):
    header = [*HEADER, "correction"]
    f = write_csv(tmp_path / "fix.csv", [["21", "2025Q2", "6", "", "", ""], ["21", "2025Q3", "5", "", "", "1"]], header)
    r = run("import", f)
    assert r.exit_code == 0, r.stderr
    assert item(run, "21")["metrics"][0]["actual"] == 5


def test_dry_run_writes_nothing(seeded, run, tmp_path):
    before = dump(seeded)
    f = write_csv(tmp_path / "q2.csv", GOOD)
    r = run("import", f, "--dry-run")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0] == "row 2: 21 2025Q2; 新开通海运航线 = 7条; note: 二季度新开通航线"
    assert "完成投资 = 1200亿元" in lines[1]
    assert "would record 4 entries" in r.stderr
    assert dump(seeded) == before


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("x.txt", b"id,quarter\n21,2025Q2\n", ["unknown file type", ".csv or .xlsx"]),
        ("x.csv", b"task,quarter,value\n21,2025Q2,3\n", ["no id column", "id, quarter"]),
        ("x.csv", b"id,value\n21,3\n", ["no quarter column"]),
        ("x.csv", b"", ["empty"]),
        ("x.csv", b"id,quarter,value\n", ["no update rows"]),
        ("x.xlsx", b"not a zip", ["not a readable .xlsx"]),
        ("x.json", b"{", ["not valid JSON"]),
    ],
)
def test_unusable_files(seeded, run, tmp_path, name, content, words):
    f = tmp_path / name
    f.write_bytes(content)
    r = run("import", f)
    assert r.exit_code == 2, r.stderr
    for w in words:
        assert w in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_missing_file(seeded, run, tmp_path):
    r = run("import", tmp_path / "nope.csv")
    assert r.exit_code == 2
    assert "no such file" in r.stderr


def test_as_of_and_unit_columns(seeded, run, tmp_path):
    header = ["id", "quarter", "as_of", "value", "unit", "metric"]
    rows = [["21", "", "2025-05-12", "6", "条", ""], ["36", "2025Q2", "", "300万", "平方米", ""]]
    r = run("import", write_csv(tmp_path / "dated.csv", rows, header))
    assert r.exit_code == 0, r.stderr
    t21 = item(run, "21", "2025-05-12")["metrics"][0]
    assert (t21["actual"], t21["figure_as_of"]) == (6, "2025-05-12")  # the as_of column is --on
    assert item(run, "21", "2025-05-11")["metrics"][0]["actual"] == 4  # the day before: still Q1's figure
    assert item(run, "36", "2025Q2")["metrics"][0]["actual"] == 3_000_000  # 300万 + 平方米, multiplied once


def test_unit_column_contradicting_the_value(seeded, run, tmp_path):
    before = dump(seeded)
    header = ["id", "quarter", "value", "unit"]
    r = run(
        "import",
        write_csv(tmp_path / "u.csv", [["21", "2025Q2", "7条", "条"], ["36", "2025Q2", "5%", "平方米"]], header),
    )
    assert r.exit_code == 2
    assert "row 3, column unit:" in r.stderr and "5%" in r.stderr
    assert dump(seeded) == before


def test_bare_number_for_a_target_written_with_wan_is_refused(seeded, run, tmp_path):
    before = dump(seeded)
    r = run("import", write_csv(tmp_path / "bare.csv", [["44", "2025Q2", "9000", "", ""]]))
    assert r.exit_code == 2
    assert "row 2, column value:" in r.stderr and "9000场" in r.stderr
    assert dump(seeded) == before
    r = run("import", write_csv(tmp_path / "unit.csv", [["44", "2025Q2", "9000场", "", ""]]))
    assert r.exit_code == 0, r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("link", [False, True], ids=["fifo", "symlink-to-fifo"])
def test_import_of_a_fifo_is_refused_without_blocking(seeded, tmp_path, link):
    """A real process: opening a FIFO to read would block forever; the run must end at once, exit 2, one line."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    target = fifo
    if link:
        target = tmp_path / "link.csv"
        os.symlink(fifo, target)
    before = dump(seeded)
    p = qdtrack(seeded, "import", target, timeout=30)
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "FIFO" in lines[0] and "not a regular file" in lines[0], p.stderr
    assert dump(seeded) == before


# -- export --------------------------------------------------------------------------


@pytest.fixture
def history(seeded, run):
    for args in (
        ("21", "--value", "7", "--quarter", "2025Q2", "--note", '=HYPERLINK("http://x","y")'),
        ("36", "--value", "278.17万", "--quarter", "2025Q2"),
        ("2", "--value", "-1.5%", "--quarter", "2025Q2", "--note", "-下降"),
        ("21", "--value", "6", "--quarter", "2025Q2", "--correct"),
        ("3", "--metric", "完成投资", "--value", "1200亿元", "--quarter", "2025Q2"),
    ):
        r = run("update", *args)
        assert r.exit_code == 0, r.stderr
    return seeded


def test_export_csv_shape(history, run):
    r = run("export")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert list(rows[0])[:6] == ["id", "quarter", "as_of", "value", "metric", "note"]
    mine = [row for row in rows if not row["source"].startswith("seed")]
    assert [(x["id"], x["as_of"], x["value"]) for x in mine if x["value"]][:2] == [
        ("21", "2025-06-30", "7条"),
        ("36", "2025-06-30", "278.17万平方米"),
    ]
    assert any(x["note"] == '\'=HYPERLINK("http://x","y")' for x in mine)
    assert any(x["value"] == "'-1.5%" for x in mine)


def test_export_carries_withdrawn_entries_with_their_withdrawal(history, run):
    rows = list(csv.DictReader(io.StringIO(run("export").stdout.lstrip("\ufeff"))))
    wrong = next(x for x in rows if x["id"] == "36" and x["value"] == "278.17万平方米")
    r = run("void", wrong["update_id"], "--reason", "entered twice", "--by", "审核员")
    assert r.exit_code == 0, r.stderr
    after = list(csv.DictReader(io.StringIO(run("export").stdout.lstrip("\ufeff"))))
    assert [x["update_id"] for x in after] == [x["update_id"] for x in rows]
    again = next(x for x in after if x["update_id"] == wrong["update_id"])
    assert (again["withdrawn_reason"], again["withdrawn_by"]) == ("entered twice", "审核员")
    assert again["uid"] == wrong["uid"] and len(again["uid"]) == 64
    assert all(not x["withdrawn_reason"] for x in after if x is not again)


def test_export_json_shape(history, run):
    r = run("export", "--format", "json")
    obj = json.loads(r.stdout)
    assert obj["year"] == 2025
    t3 = next(t for t in obj["tasks"] if t["id"] == "3")
    assert [m["name"] for m in t3["metrics"]] == ["省市重点项目开工在建", "完成投资"]
    assert obj["updates"][-1]["value"] == "1200亿元"
    assert obj["updates"][-2]["correction"] is True


def test_export_xlsx_needs_output(history, run):
    r = run("export", "--format", "xlsx")
    assert r.exit_code == 2
    assert "give --output" in r.stderr


@pytest.mark.parametrize("ext", ["csv", "xlsx", "json"])
def test_export_then_import_into_a_fresh_ledger(history, run, tmp_path, ext):
    out = tmp_path / "exp" / f"history.{ext}"
    r = run("export", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    if ext == "xlsx":
        from openpyxl import load_workbook

        assert load_workbook(out).sheetnames == ["计划", "更新", "计划变更", "时间节点"]
    fresh = tmp_path / "fresh.db"
    assert run("init", "--db", fresh).exit_code == 0
    r = run("import", out, "--db", fresh)
    assert r.exit_code == 0, r.stderr
    want = run("status", "--format", "json", "--as-of", "2025Q2").stdout
    got = run("status", "--format", "json", "--as-of", "2025Q2", "--db", fresh).stdout
    assert got == want
    shown = json.loads(run("show", "21", "--format", "json", "--db", fresh).stdout)["items"][0]["entries"]
    assert '=HYPERLINK("http://x","y")' in {u["note"] for u in shown}
    assert any(u["correction"] for u in shown)
    notes = json.loads(run("show", "2", "--format", "json", "--db", fresh).stdout)["items"][0]["entries"]
    assert "-下降" in {u["note"] for u in notes}
    assert -1.5 in {u["value"] for u in notes}
