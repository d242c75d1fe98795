"""The outgoing 台账 read back: ``export --template`` → filled in by a unit → ``ingest``.

The template has one row per metric (item 3's two metrics are two rows with 序号 3); read
back, those rows are one item with one 进展情况, and a filled 本季度累计 is that metric's
year-to-date figure at the quarter's end, in the metric's unit.
"""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from .conftest import dump

NOTE_21 = "二季度新开通海运航线3条，累计开通7条。"
NOTE_3 = "重点项目建设有序推进。"


@pytest.fixture(autouse=True)
def late_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def template(run, seeded, tmp_path):
    out = tmp_path / "台账-2025Q2.xlsx"
    r = run("export", "--template", "--quarter", "2025Q2", "--output", out)
    assert r.exit_code == 0, r.stderr
    return out


def fill(path, cells):
    """Write ``cells`` {(序号, 指标 or None, column letter): value} into the template; returns the path."""
    wb = load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=3):
        no, metric = row[0].value, row[4].value
        for (want_no, want_metric, column), value in cells.items():
            if no == want_no and want_metric in (None, metric):
                ws[f"{column}{row[0].row}"] = value
    wb.save(path)
    return path


def shown(run, ref):
    r = run("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["items"][0]


def q2_entries(item):
    return [e for e in item["entries"] if e["quarter"] == "2025Q2"]


def test_the_title_row_is_chinese_whatever_the_language(run, template):
    rows = list(load_workbook(template).active.iter_rows(values_only=True))
    assert rows[0][0] == "2025年二季度进展情况台账"
    assert [r[0] for r in rows[2:] if r[0] == "3"] == ["3", "3"]  # one row per metric
    run("--lang", "en", "export", "--template", "--quarter", "2025Q2", "--output", template)
    assert load_workbook(template).active["A1"].value == "2025年二季度进展情况台账"


def test_a_filled_template_records_its_notes_and_figures_once(run, seeded, template):
    fill(template, {("21", None, "H"): NOTE_21, ("21", None, "I"): 7,
                    ("3", "省市重点项目开工在建", "H"): NOTE_3, ("3", "完成投资", "I"): "1200"})  # fmt: skip
    r = run("ingest", template, "--quarter", "2025Q2", "--yes", "--by", "办公厅")
    assert r.exit_code == 0, r.stderr
    assert "recorded 2 notes and 2 figures for 2025Q2" in r.stdout
    item21 = shown(run, "21")
    assert item21["note"] == {"text": NOTE_21, "quarter": "2025Q2", "as_of": "2025-06-30"}
    assert item21["metrics"][0]["actual"] == 7 and item21["metrics"][0]["figure_as_of"] == "2025-06-30"
    assert len(q2_entries(item21)) == 2
    item3 = shown(run, "3")
    assert item3["note"]["text"] == NOTE_3
    invest = {m["name"]: m for m in item3["metrics"]}
    assert invest["完成投资"]["actual"] == 1200 and invest["完成投资"]["unit"] == "亿元"  # a bare number: 亿元
    assert invest["省市重点项目开工在建"]["figure_as_of"] == "2025-03-31"  # its cell was left blank
    assert sorted((e["metric"] or "", e["value"] or 0) for e in q2_entries(item3)) == [("", 0), ("完成投资", 1200)]
    assert {e["recorded_by"] for e in q2_entries(item3) + q2_entries(item21)} == {"办公厅"}
    before = dump(seeded)
    again = run("ingest", template, "--quarter", "2025Q2", "--yes")
    assert again.exit_code == 0, again.stderr
    assert "nothing new to record for 2025Q2" in again.stdout
    assert dump(seeded) == before


def test_two_different_notes_for_one_item_are_refused(run, seeded, template):
    fill(template, {("3", "省市重点项目开工在建", "H"): NOTE_3, ("3", "完成投资", "H"): "完成投资1200亿元。",
                    ("21", None, "I"): 7})  # fmt: skip
    before = dump(seeded)
    r = run("ingest", template, "--quarter", "2025Q2", "--yes")
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "序号 3" in lines[0] and "进展情况" in lines[0]
    assert dump(seeded) == before


def test_the_same_note_in_both_rows_is_one_note(run, seeded, template):
    fill(template, {("3", None, "H"): NOTE_3})
    r = run("ingest", template, "--quarter", "2025Q2", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "recorded 1 notes and 0 figures" in r.stdout


def test_a_blank_template_records_nothing(run, seeded, template):
    before = dump(seeded)
    dry = run("ingest", template, "--quarter", "2025Q2", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "0 notes and 0 figures to record" in dry.stdout
    r = run("ingest", template, "--quarter", "2025Q2", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "nothing new to record for 2025Q2" in r.stdout
    assert dump(seeded) == before


def test_a_figure_below_the_one_in_force_is_refused(run, seeded, template):
    fill(template, {("21", None, "I"): 3, ("3", None, "H"): NOTE_3})  # item 21 had 4条 at 2025Q1
    before = dump(seeded)
    r = run("ingest", template, "--quarter", "2025Q2", "--yes")
    assert r.exit_code == 2
    assert "序号 21" in r.stderr and "本季度累计" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert dump(seeded) == before


@pytest.mark.parametrize(
    ("metric", "figure", "words"),
    [("省市重点项目", "410个", "no metric"), ("完成投资", "1200人", "money"), ("完成投资", "许多", "not a number")],
)
def test_a_bad_template_cell_is_one_line_naming_the_row(run, seeded, template, metric, figure, words):
    wb = load_workbook(template)
    ws = wb.active
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "3" and r[4].value == "完成投资")
    row[4].value, row[8].value = metric, figure
    wb.save(template)
    before = dump(seeded)
    r = run("ingest", template, "--quarter", "2025Q2", "--dry-run")
    assert r.exit_code == 2
    assert "序号 3" in r.stderr and words in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert dump(seeded) == before


def test_a_units_template_comes_back_with_its_tasks_that_are_no_listed_items(run, seeded, tmp_path):
    unit = "市发展改革委"
    assert run("plan", "set", "1.1.1", "--owner", unit).exit_code == 0
    assert run("plan", "set", "3", "--owner", unit).exit_code == 0
    out = tmp_path / "台账-发改委.xlsx"
    assert run("export", "--template", "--quarter", "2025Q2", "--owner", unit, "--output", out).exit_code == 0
    assert load_workbook(out).active["A1"].value == f"2025年二季度进展情况台账 · {unit}"
    fill(out, {("1.1.1", None, "H"): "国际消费中心城市建设稳步推进。", ("3", "完成投资", "I"): "1200亿元"})
    r = run("ingest", out, "--quarter", "2025Q2", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "recorded 1 notes and 1 figures for 2025Q2" in r.stdout
    assert shown(run, "1.1.1")["note"]["text"] == "国际消费中心城市建设稳步推进。"
    assert {m["name"]: m["actual"] for m in shown(run, "3")["metrics"]}["完成投资"] == 1200
    fill(out, {("1.1.1", None, "I"): "5"})  # a task without a numeric target has no figure
    before = dump(seeded)
    bad = run("ingest", out, "--quarter", "2025Q2", "--yes")
    assert bad.exit_code == 2 and "序号 1.1.1" in bad.stderr and "no numeric target" in bad.stderr
    assert dump(seeded) == before
