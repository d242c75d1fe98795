"""plan set (owners, targets, comparator, kind) and --owner on status, lagging and report (issue 11)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from .conftest import dump


def test_status_owner_shows_the_units_tasks(run, seeded):
    r = run("plan", "set", "21", "--owner", "市交通运输局")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "21 responsible units: 市交通运输局"
    r = run("status", "--owner", "市交通运输局")
    assert r.exit_code == 0, r.stderr
    assert "新开通海运航线" in r.stdout and "完成投资" not in r.stdout
    items = json.loads(run("status", "--owner", "市交通运输局", "--format", "json").stdout)["items"]
    assert [(i["id"], i["owners"]) for i in items] == [("21", ["市交通运输局"])]
    everyone = json.loads(run("status", "--format", "json").stdout)["items"]
    assert len(everyone) > 100 and next(i for i in everyone if i["id"] == "3")["owners"] == []


def test_several_units_lead_first_and_partner_selects_too(run, seeded):
    r = run("plan", "set", "21", "--owner", "市交通运输局、青岛港集团", "--owner", "市商务局")
    assert r.exit_code == 0, r.stderr
    run("plan", "set", "3", "--owner", "市商务局")
    items = json.loads(run("status", "--owner", "市商务局", "--format", "json").stdout)["items"]
    assert {i["id"] for i in items} == {"3", "21"}
    assert next(i for i in items if i["id"] == "21")["owners"] == ["市交通运输局", "青岛港集团", "市商务局"]
    lag = run("lagging", "--owner", "青岛港集团", "--as-of", "2025Q1", "--format", "json")
    assert lag.exit_code == 0, lag.stderr
    report = run("report", "--owner", "青岛港集团")
    assert report.exit_code == 0, report.stderr
    assert "1 tasks in all" in report.stdout or "新开通海运航线" in report.stdout


def test_owner_change_is_logged_with_who_and_replaces_the_list(run, seeded):
    run("plan", "set", "21", "--owner", "市交通运输局", "--by", "张三")
    run("plan", "set", "21", "--owner", "青岛港集团", "--by", "李四")
    log = json.loads(run("log", "--format", "json").stdout)["plan_changes"]
    owners = [c for c in log if c["field"] == "owners"]
    assert [(c["old"], c["new"], c["recorded_by"]) for c in owners] == [
        ("市交通运输局", "青岛港集团", "李四"), (None, "市交通运输局", "张三")]  # fmt: skip
    assert run("status", "--owner", "市交通运输局").exit_code == 2


def test_unknown_unit_is_one_line(run, seeded):
    r = run("status", "--owner", "市某局")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "no task of 2025 names the unit 市某局" in r.stderr


def test_target_comparator_kind_are_set_and_logged(run, seeded):
    r = run("plan", "set", "21", "--target", "12条", "--comparator", "about", "--by", "王五")
    assert r.exit_code == 0, r.stderr
    m = json.loads(run("status", "--item", "21", "--format", "json").stdout)["items"][0]["metrics"][0]
    assert (m["target"], m["comparator"]) == (12, "about")
    fields = {c["field"]: c for c in json.loads(run("log", "--format", "json").stdout)["plan_changes"]}
    assert fields["target"]["old"] == "10.0" and fields["target"]["new"] == "12.0"
    assert fields["comparator"]["new"] == "about" and fields["comparator"]["recorded_by"] == "王五"
    r = run("plan", "set", "8", "--kind", "level", "--baseline", "1万")
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["21"],
        ["21", "--metric", "1"],
        ["21", "--comparator", "more"],
        ["21", "--kind", "weird"],
        ["21", "--target", "abc"],
        ["21", "--owner", "、"],
        ["999", "--owner", "市交通运输局"],
        ["21", "--baseline", "3"],
    ],
)
def test_bad_plan_set_changes_nothing(run, seeded, args):
    before = dump(seeded)
    r = run("plan", "set", *args)
    assert r.exit_code == 2, (args, r.stdout, r.stderr)
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1
    assert dump(seeded) == before


def test_owners_survive_reopening_and_have_positions(run, seeded):
    run("plan", "set", "21", "--owner", "甲局", "--owner", "乙局")
    rows = sqlite3.connect(seeded).execute("SELECT pos, unit FROM owners ORDER BY pos").fetchall()
    assert rows == [(1, "甲局"), (2, "乙局")]
