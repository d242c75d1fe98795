"""Import as offices fill it (issue 11) and the outgoing 台账 (export --template), with 时间节点
milestones (issue 15): delimiters, title rows, increments, reporters, every bad row, the round trip."""

from __future__ import annotations

import json
import sqlite3

import pytest

from .conftest import dump


def figure(run, ref, as_of="2025Q2", pos=0):
    r = run("status", "--item", ref, "--format", "json", "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["items"][0]["metrics"][pos]["actual"]


def entries(run, ref):
    return json.loads(run("show", ref, "--format", "json").stdout)["items"][0]["entries"]


OFFICE = (
    "2025年二季度重点任务进展台账\n"
    "序号;季度;本季度新增;进展情况;填报单位;时间节点\n"
    "21;2025Q2;3;新开通航线3条;市交通运输局;\n"
    "5.1.1;2025Q2;;方案编制中;市水务局;6月底前完成方案编制；年底前主体完工；适时启动二期\n"
)


def test_semicolons_title_row_increment_reporter_and_milestones(seeded, run, tmp_path):
    f = tmp_path / "台账.csv"
    f.write_text(OFFICE, encoding="utf-8")
    r = run("import", f, "--by", "办公室")
    assert r.exit_code == 0, r.stderr
    assert "recorded 2 entries" in r.stderr
    assert figure(run, "21") == 7  # 4 in Q1, 3 more this quarter
    assert {e["recorded_by"] for e in entries(run, "21") if e["quarter"] == "2025Q2"} == {"市交通运输局"}
    shown = json.loads(run("status", "--item", "5.1.1", "--format", "json").stdout)["items"][0]["milestones"]
    assert [(m["due"], m["text"]) for m in shown] == [("2025-06-30", "完成方案编制"), ("2025-12-31", "主体完工")]
    assert "left for review: 适时启动二期" in r.stderr  # not guessed
    fields = [c["field"] for c in json.loads(run("log", "--format", "json").stdout)["plan_changes"]]
    assert fields.count("milestone 1") == 1 and fields.count("milestone 2") == 1


def test_milestones_are_not_added_twice(seeded, run, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("id,quarter,时间节点\n5.1.1,2025Q2,6月底前完成方案编制\n", encoding="utf-8")
    assert run("import", f).exit_code == 0
    assert run("import", f).exit_code == 0
    shown = json.loads(run("status", "--item", "5.1.1", "--format", "json").stdout)["items"][0]["milestones"]
    assert len(shown) == 1


def test_tab_separated_file(seeded, run, tmp_path):
    f = tmp_path / "q2.csv"
    f.write_text("id\tquarter\tvalue\tnote\n21\t2025Q2\t7\t七条\n", encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 0, r.stderr
    assert figure(run, "21") == 7


def test_every_bad_row_is_reported_and_nothing_recorded(seeded, run, tmp_path):
    before = dump(seeded)
    f = tmp_path / "bad.csv"
    f.write_text("id,quarter,value\n21,2025Q2,7\n99,2025Q2,1\n21,2025Q2,lots\n36,2025Q5,1\n", encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert [line.split(",")[0].strip() for line in lines[:3]] == [f"{f} row 3", f"{f} row 4", f"{f} row 5"]
    assert "column id" in lines[0] and "column value" in lines[1] and "column quarter" in lines[2]
    assert lines[-1] == f"Error: 3 rows of {f} are wrong (listed above); nothing was recorded"
    assert dump(seeded) == before


def test_at_most_twenty_bad_rows_are_listed(seeded, run, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("id,quarter,value\n" + "99,2025Q2,1\n" * 30, encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 21 and "20+ rows" in lines[-1]


def test_increment_and_value_together_is_refused(seeded, run, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("id,quarter,value,本季度新增\n21,2025Q2,7,3\n", encoding="utf-8")
    r = run("import", f)
    assert r.exit_code == 2 and "column increment" in r.stderr


def test_import_is_recorded(seeded, run, tmp_path):
    f = tmp_path / "q2.csv"
    f.write_text("id,quarter,value\n21,2025Q2,7\n", encoding="utf-8")
    assert run("import", f, "--dry-run").exit_code == 0
    assert run("import", f, "--by", "张三").exit_code == 0
    rows = sqlite3.connect(seeded).execute("SELECT file, added, skipped, recorded_by FROM imports").fetchall()
    assert rows == [(str(f), 1, 0, "张三")]  # the dry run left no trace


# -- the outgoing 台账 ------------------------------------------------------------------------


def read_template(path):
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return ws, rows


def test_template_round_trip(seeded, run, tmp_path):
    run("plan", "set", "21", "--owner", "市交通运输局")
    out = tmp_path / "台账.xlsx"
    r = run("export", "--template", "--quarter", "2025Q2", "--output", out)
    assert r.exit_code == 0, r.stderr
    ws, rows = read_template(out)
    assert str(rows[0][0]) == "2025年二季度进展情况台账"  # Chinese whatever --lang
    header = rows[1]
    assert header == ["序号", "季度", "事项内容", "责任单位", "指标", "目标", "上次填报数", "进展情况", "本季度累计"]
    body = {r[0]: r for r in rows[2:]}
    assert len(body) == 44  # the listed items
    assert body["21"][3] == "市交通运输局" and body["21"][5] == "10条以上" and body["21"][6].startswith("4条")
    assert body["21"][7] is None and body["21"][8] is None
    line = next(i for i, r in enumerate(rows, start=1) if r[0] == "21")
    ws.cell(row=line, column=8, value="二季度新开通3条")
    ws.cell(row=line, column=9, value=7)
    ws.parent.save(out)
    r = run("import", out, "--by", "市交通运输局")
    assert r.exit_code == 0, r.stderr
    assert "recorded 1 entry" in r.stderr and "rows left blank" in r.stderr
    assert figure(run, "21") == 7
    assert "二季度新开通3条" in {e["note"] for e in entries(run, "21")}


def test_template_for_one_unit(seeded, run, tmp_path):
    run("plan", "set", "21", "--owner", "市交通运输局")
    run("plan", "set", "3", "--owner", "市发展改革委、市交通运输局")
    out = tmp_path / "t.xlsx"
    assert run("export", "--template", "--quarter", "2025Q2", "--owner", "市交通运输局", "--output", out).exit_code == 0
    _, rows = read_template(out)
    assert [(r[0], r[4]) for r in rows[2:]] == [("3", "省市重点项目开工在建"), ("3", "完成投资"), ("21", None)]
    assert "市交通运输局" in str(rows[0][0])


@pytest.mark.parametrize(
    "args, words",
    [
        (["--template", "--output", "t.xlsx"], "--template needs --quarter"),
        (["--quarter", "2025Q2"], "--quarter goes with --template"),
        (["--template", "--quarter", "2025Q2"], "give --output"),
        (["--template", "--quarter", "2025Q2", "--owner", "某局", "--output", "t.xlsx"], "no task of 2025 names the unit"),
    ],
)
def test_template_bad_options(seeded, run, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    r = run("export", *args)
    assert r.exit_code == 2 and words in r.stderr, r.stderr


def test_export_owner_keeps_that_units_history(seeded, run):
    run("plan", "set", "21", "--owner", "市交通运输局")
    r = run("export", "--format", "json", "--owner", "市交通运输局")
    obj = json.loads(r.stdout)
    assert [t["id"] for t in obj["tasks"]] == ["21"]
    assert {u["id"] for u in obj["updates"]} == {"21"}
    assert [c["field"] for c in obj["plan_changes"]] == ["owners"]
