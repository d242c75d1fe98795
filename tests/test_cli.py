"""The everyday commands through click's CliRunner: init, show, status, update, lagging, areas."""

import csv
import io
import json

import pytest

from .conftest import dump


def jrun(run, *args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def metric(doc, item_id, pos=0):
    item = next(i for i in doc["items"] if i["id"] == item_id)
    return item["metrics"][pos]


# -- init and the ledger's location ---------------------------------------------------


def test_first_command_creates_the_ledger_and_says_so(run, ledger_path):
    r = run("show", "36")
    assert r.exit_code == 0
    assert r.stderr.count("\n") == 1 and "Created a new ledger" in r.stderr
    assert ledger_path.exists()
    assert "新增绿色建筑1000万平方米" in r.stdout
    assert "1000万平方米" in r.stdout and "278.17万平方米" in r.stdout and "2025Q1" in r.stdout
    again = run("show", "36")
    assert again.stderr == ""


def test_init_refuses_an_existing_ledger_without_force(run, seeded):
    before = dump(seeded)
    r = run("init")
    assert r.exit_code == 2
    assert "--force" in r.stderr and r.stdout == ""
    assert dump(seeded) == before


def test_init_force_replaces_the_ledger(run, seeded):
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2").exit_code == 0
    r = run("init", "--force")
    assert r.exit_code == 0, r.stderr
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 4


def test_db_option_wins_over_environment(run, tmp_path, ledger_path, monkeypatch):
    env = tmp_path / "env.db"
    assert run("init", "--db", str(env)).exit_code == 0
    monkeypatch.setenv("QDTRACK_DB", str(env))
    other = tmp_path / "sub" / "other.db"
    r = run("init", "--db", str(other))
    assert r.exit_code == 0, r.stderr
    assert other.exists() and not ledger_path.exists()
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2", "--db", str(other)).exit_code == 0
    assert metric(jrun(run, "status", "--item", "21", "--db", str(other)), "21")["actual"] == 7
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 4  # QDTRACK_DB's ledger untouched


def test_xdg_data_home_is_the_default(run, tmp_path, monkeypatch):
    monkeypatch.delenv("QDTRACK_DB", raising=False)
    assert run("init").exit_code == 0
    assert (tmp_path / "xdg" / "qdtrack" / "ledger.db").exists()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_named_ledger_must_exist(run, tmp_path, monkeypatch, ledger_path, how):
    missing = tmp_path / "nowhere" / "ledger.db"
    args = ["status", "--db", str(missing)] if how == "option" else ["status"]
    if how == "environment":
        monkeypatch.setenv("QDTRACK_DB", str(missing))
    r = run(*args)
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr == f"Error: no ledger at {missing}; create one with: qdtrack init --db {missing}\n"
    assert not missing.exists() and not missing.parent.exists() and not ledger_path.exists()


def test_a_file_that_is_not_a_ledger(run, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello, not a database\n" * 10)
    r = run("status", "--db", str(bogus))
    assert r.exit_code == 1
    assert "not a ledger" in r.stderr and r.stderr.count("\n") == 1
    assert bogus.read_text() == "hello, not a database\n" * 10


# -- show ---------------------------------------------------------------------------------


def test_show_json(run, seeded):
    doc = jrun(run, "show", "36")
    item = doc["items"][0]
    assert item["id"] == "36" and item["bullet"] == "9.2.3" and item["area"] == 9
    assert item["metrics"][0]["target"] == 10000000 and item["metrics"][0]["unit"] == "平方米"
    assert doc["schema"] == 2 and item["entries_total"] == 2
    assert [u["quarter"] for u in item["entries"]] == ["2025Q1", "2025Q1"]
    assert [u["as_of"] for u in item["entries"]] == ["2025-03-31", "2025-03-31"]
    assert 2781700 in [u["value"] for u in item["entries"]]


def test_show_by_bullet_id_reaches_the_same_task(run, seeded):
    assert jrun(run, "show", "9.2.3")["items"][0]["id"] == "36"


def test_show_unknown_id(run, seeded):
    r = run("show", "99")
    assert r.exit_code == 2 and "no task '99'" in r.stderr and r.stdout == ""


# -- status -------------------------------------------------------------------------------


def test_status_area_9_lists_its_ten_tasks_aligned(run, seeded):
    r = run("status", "--area", "9")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    for ref in ("9.1.1", "33", "9.1.3", "34", "35", "36", "9.2.4", "9.3.1", "37", "38"):
        assert any(line.startswith(ref + " ") for line in lines), ref
    from wcwidth import wcswidth

    table = [ln for ln in lines if ln[:1].isdigit() and "  " in ln]
    header = next(ln for ln in lines if ln.startswith("ID "))
    status_col = wcswidth(header[: header.index("Status")])
    for line in table[1:]:
        cut = 0
        for i in range(len(line)):
            if wcswidth(line[:i]) == status_col:
                cut = i
                break
        assert cut, line
    assert "done 0 · ahead 2 · on track 0 · lagging 0 · not judged 0 · no data 8" in r.stdout


def test_status_item_21_json(run, seeded):
    m = metric(jrun(run, "status", "--item", "21"), "21")
    assert m["percent"] == 40 and m["expected_percent"] == 25
    assert m["status"] == "ahead" and m["actual"] == 4 and m["target"] == 10


def test_json_contract_keys(run, seeded):
    doc = jrun(run, "status")
    assert set(doc) == {"schema", "year", "as_of", "items"}
    assert doc["schema"] == 2 and doc["year"] == 2025 and doc["as_of"] == "2025-03-31"
    statuses = {"done", "ahead", "on_track", "lagging", "not_judged", "no_data"}
    for item in doc["items"]:
        assert set(item) == {"id", "area", "title", "listed", "owners", "status", "metrics", "milestones", "note"}
        assert isinstance(item["id"], str) and item["status"] in statuses
        assert item["note"] is None or set(item["note"]) == {"text", "quarter", "as_of"}
        for m in item["metrics"]:
            assert set(m) == {
                "name",
                "unit",
                "target",
                "comparator",
                "kind",
                "baseline",
                "actual",
                "percent",
                "expected_percent",
                "points_vs_target",
                "status",
                "figure_as_of",
                "judged_at",
            }
            assert m["status"] in statuses
    ids = [i["id"] for i in doc["items"]]
    assert ids[:2] == ["1", "2"] and "8.3.3" not in ids and "31" in ids


def test_status_listed_only(run, seeded):
    doc = jrun(run, "status", "--listed")
    assert sorted(int(i["id"]) for i in doc["items"]) == list(range(1, 45))


def test_qualitative_task_is_no_data_until_a_status_is_set(run, seeded):
    assert jrun(run, "status", "--item", "9.3.1")["items"][0]["status"] == "no_data"
    r = run("update", "9.3.1", "--status", "on_track", "--quarter", "2025Q1", "--note", "已开工")
    assert r.exit_code == 0, r.stderr
    assert jrun(run, "status", "--item", "9.3.1")["items"][0]["status"] == "on_track"


def test_rate_metrics(run, seeded):
    doc = jrun(run, "status", "--area", "0")
    gdp = metric(doc, "1")  # 5.9 against 5.5左右: inside the ±0.5 band
    assert gdp["status"] == "on_track" and gdp["kind"] == "rate"
    assert gdp["percent"] is None and gdp["expected_percent"] is None  # a rate has no % and no pace
    assert gdp["points_vs_target"] == pytest.approx(0.4)
    revenue = metric(doc, "2")  # 0.8 against 3
    assert revenue["status"] == "lagging" and revenue["points_vs_target"] == pytest.approx(-2.2)
    tech = metric(jrun(run, "status", "--item", "4"), "4", 1)  # 7.7 against 8以上
    assert tech["status"] == "lagging" and tech["points_vs_target"] == pytest.approx(-0.3)
    # the table shows the points in the % column, signed, with no progress bar
    rows = {ln.split()[0]: ln for ln in run("status", "--area", "0").stdout.splitlines() if ln[:1].isdigit()}
    assert " +0.4 " in rows["1"] and " -2.2 " in rows["2"]
    assert "[" not in rows["1"] and "[" not in rows["2"]


def test_tolerance_does_not_apply_to_rates(run, seeded):
    # 0.8% against 3%: 2.2 points short stays lagging however wide the tolerance
    for tol in ("3", "99"):  # 3 would cover the 2.2 points; 99 any % gap
        assert metric(jrun(run, "status", "--item", "2", "--tolerance", tol), "2")["status"] == "lagging", tol


def test_tolerance_turns_a_small_gap_into_on_track(run, seeded):
    # item 3's investment: 19.6% against 25%
    assert metric(jrun(run, "status", "--item", "3"), "3", 1)["status"] == "lagging"
    assert metric(jrun(run, "status", "--item", "3", "--tolerance", "6"), "3", 1)["status"] == "on_track"


def test_as_of_forms(run, seeded):
    for form in ("2025Q2", "Q2", "2025-06-30", "2025年6月30日"):
        doc = jrun(run, "status", "--item", "21", "--as-of", form)
        assert doc["as_of"] == "2025-06-30", form
        assert metric(doc, "21")["expected_percent"] == 50


def test_status_csv_and_markdown(run, seeded):
    r = run("status", "--area", "9", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows[0][0] == "ID" and len(rows) == 11
    md = run("status", "--area", "9", "--format", "markdown")
    assert md.stdout.startswith("## 9 ") and "| 36 |" in md.stdout


def test_chinese_headers_and_status_words(run, seeded, monkeypatch):
    r = run("status", "--item", "21", "--lang", "zh")
    assert "事项内容" in r.stdout and "完成率%/百分点" in r.stdout and "时序进度%" in r.stdout
    assert "超进度" in r.stdout and "超前" not in r.stdout
    assert "已完成 0 · 超进度 1 · 达进度 0 · 欠进度 0 · 未评估 0 · 未填报 0" in r.stdout
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    r = run("status", "--item", "21")
    assert "超进度" in r.stdout
    assert '"status": "ahead"' in run("status", "--item", "21", "--format", "json").stdout


def test_colour_only_when_use_colour_says_so(run, seeded, monkeypatch):
    assert "\x1b[" not in run("status", "--area", "9", color=True).stdout  # CliRunner's stdout is not a TTY
    import qdtrack.cli.view

    monkeypatch.setattr(qdtrack.cli.view, "use_colour", lambda: True)
    assert "\x1b[" in run("status", "--area", "9", color=True).stdout


def test_use_colour_respects_no_color(monkeypatch):
    import qdtrack.cli.options as c

    class TTY:
        def isatty(self):
            return True

    monkeypatch.setattr(c.sys, "stdout", TTY())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert c.use_colour() is True
    monkeypatch.setenv("NO_COLOR", "")
    assert c.use_colour() is False


# -- update -------------------------------------------------------------------------------


def test_update_then_status_as_of_q2(run, seeded):
    r = run("update", "21", "--value", "7", "--quarter", "2025Q2")
    assert r.exit_code == 0, r.stderr
    first, second = r.stdout.splitlines()
    assert first.startswith("recorded #") and first.endswith(" for 2025Q2, as of 2025-06-30")
    assert (
        second == "21 新开通海运航线10条以上: 新开通海运航线 7条 of 10条以上 (70.0% / 50.0%) — ahead (as of 2025-06-30)"
    )
    m = metric(jrun(run, "status", "--as-of", "2025Q2", "--item", "21"), "21")
    assert (m["percent"], m["expected_percent"]) == (70, 50)
    # for an ended year the default as-of moves to the latest date any entry is true at
    assert jrun(run, "status", "--item", "21")["as_of"] == "2025-06-30"


def test_update_converts_chinese_units(run, seeded):
    assert run("update", "36", "--value", "５００万", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "36"), "36")["actual"] == 5000000
    assert run("update", "42", "--value", "6.4万人", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "42"), "42")["percent"] == pytest.approx(53.33, abs=0.01)


def test_update_add_is_this_quarters_increment(run, seeded):
    assert run("update", "21", "--add", "3", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 7


def test_second_figure_for_a_quarter_supersedes_and_both_stay(run, seeded):
    run("update", "21", "--value", "6", "--quarter", "2025Q2")
    run("update", "21", "--value", "7", "--quarter", "2025Q2")
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 7
    values = [u["value"] for u in jrun(run, "show", "21")["items"][0]["entries"] if u["value"] is not None]
    assert values == [4, 6, 7]


def test_add_twice_in_one_quarter_adds_both(run, seeded):
    assert run("update", "21", "--add", "1", "--quarter", "2025Q2").exit_code == 0
    assert run("update", "21", "--add", "2", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 7  # 4 + 1 + 2


def test_add_sums_as_written_in_decimals(run, seeded):
    # in binary floating point 4.2 + 0.4 is 4.6000000000000005 and 4.6 + 0.1 4.699999999999999
    assert run("update", "21", "--value", "4.2", "--quarter", "2025Q2").exit_code == 0
    assert run("update", "21", "--add", "0.4", "--quarter", "2025Q2").exit_code == 0
    assert run("update", "21", "--add", "0.1", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 4.7
    values = [u["value"] for u in jrun(run, "show", "21")["items"][0]["entries"] if u["value"] is not None]
    assert values == [4, 4.2, 4.6, 4.7]


def test_a_lower_value_in_the_same_quarter_needs_correct(run, seeded):
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2").exit_code == 0
    before = dump(seeded)
    r = run("update", "21", "--value", "6", "--quarter", "2025Q2")
    assert r.exit_code == 2 and "--correct" in r.stderr
    assert dump(seeded) == before
    assert run("update", "21", "--value", "6", "--quarter", "2025Q2", "--correct").exit_code == 0
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 6


def recorded_entry(result) -> int:
    first = result.stdout.splitlines()[0]
    assert first.startswith("recorded #"), result.stdout
    return int(first.split()[1].lstrip("#"))


def test_void_withdraws_an_entry(run, seeded):
    entry = recorded_entry(run("update", "21", "--value", "7", "--quarter", "2025Q2"))
    r = run("void", entry, "--reason", "录入错误")
    assert r.exit_code == 0, r.stderr
    assert metric(jrun(run, "status", "--item", "21", "--as-of", "2025Q2"), "21")["actual"] == 4
    (voided,) = [e for e in jrun(run, "show", "21")["items"][0]["entries"] if e["entry"] == entry]
    assert voided["withdrawn"] is not None and voided["value"] == 7  # kept, marked withdrawn
    assert "录入错误" in run("show", "21").stdout


@pytest.mark.parametrize(
    ("item", "bare", "ok", "actual"),
    [
        ("36", "300", "300万", 3000000),  # target 1000万平方米
        ("44", "9000", "9000场", 9000),  # target 2万场以上
    ],
)
def test_a_bare_number_is_refused_when_the_target_is_written_with_wan(run, seeded, item, bare, ok, actual):
    before = dump(seeded)
    r = run("update", item, "--value", bare, "--quarter", "2025Q2")
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.count("\n") == 1
    assert f"{bare}万" in r.stderr
    assert dump(seeded) == before
    assert run("update", item, "--value", ok, "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", item), item)["actual"] == actual


def test_yi_for_a_money_metric_is_never_multiplied_twice(run, seeded):
    r = run("update", "3", "--metric", "完成投资", "--value", "1200", "--quarter", "2025Q2")
    assert r.exit_code == 2 and "1200亿" in r.stderr
    assert run("update", "3", "--metric", "完成投资", "--value", "500亿", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "3"), "3", 1)["actual"] == 500


def test_dates_while_the_plan_year_runs(run, seeded):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime.datetime(2025, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        before = dump(seeded)
        r = run("update", "21", "--value", "5", "--quarter", "2025Q2")
        assert r.exit_code == 2 and "has not ended yet" in r.stderr
        r = run("update", "21", "--value", "5", "--on", "2025-05-13")
        assert r.exit_code == 2 and r.stderr.count("\n") == 1
        assert run("status", "--as-of", "2025-05-13").exit_code == 2
        assert dump(seeded) == before
        assert jrun(run, "status", "--item", "21")["as_of"] == "2025-05-12"  # today, not the seed's date
        r = run("update", "21", "--value", "5")  # no date: true today
        assert r.exit_code == 0, r.stderr
        assert r.stdout.splitlines()[0].endswith("for 2025Q2, as of 2025-05-12")
        m = metric(jrun(run, "status", "--item", "21"), "21")
        assert m["actual"] == 5 and m["figure_as_of"] == "2025-05-12"
        # an as-of before the figure's day does not see it
        assert metric(jrun(run, "status", "--item", "21", "--as-of", "2025-05-11"), "21")["actual"] == 4


def test_falling_year_to_date_needs_correct(run, seeded):
    before = dump(seeded)
    r = run("update", "21", "--value", "3", "--quarter", "2025Q2")
    assert r.exit_code == 2 and "--correct" in r.stderr
    assert dump(seeded) == before
    r = run("update", "21", "--value", "3", "--quarter", "2025Q2", "--correct")
    assert r.exit_code == 0, r.stderr
    assert metric(jrun(run, "status", "--item", "21"), "21")["actual"] == 3


def test_several_metrics_need_metric_unless_the_unit_picks_one(run, seeded):
    before = dump(seeded)
    r = run("update", "3", "--value", "420", "--quarter", "2025Q2")
    assert r.exit_code == 2 and "--metric" in r.stderr and "完成投资" in r.stderr
    assert dump(seeded) == before
    assert run("update", "3", "--value", "1300亿元", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "3"), "3", 1)["actual"] == 1300
    assert run("update", "3", "--metric", "1", "--value", "430", "--quarter", "2025Q2").exit_code == 0
    assert metric(jrun(run, "status", "--item", "3"), "3", 0)["actual"] == 430
    assert (
        run("update", "3", "--metric", "省市重点项目开工在建", "--value", "440", "--quarter", "2025Q2").exit_code == 0
    )


def test_wrong_unit_is_refused(run, seeded):
    before = dump(seeded)
    r = run("update", "21", "--value", "5亿元", "--quarter", "2025Q2")
    assert r.exit_code == 2 and "条" in r.stderr
    assert dump(seeded) == before


def test_quarter_is_required_outside_the_plan_year(run, seeded):
    # the plan year is 2025 and this test suite runs later
    r = run("update", "21", "--value", "5")
    assert r.exit_code == 2 and "--quarter 2025Q" in r.stderr


def test_note_alone_and_nothing_at_all(run, seeded):
    assert run("update", "21", "--note", "二季度新开通航线筹备中", "--quarter", "2025Q2").exit_code == 0
    r = run("update", "21", "--quarter", "2025Q2")
    assert r.exit_code == 2 and "nothing to record" in r.stderr


def test_update_records_who_and_how(run, seeded):
    run("update", "21", "--value", "5", "--quarter", "2025Q2", "--by", "王芳")
    last = jrun(run, "show", "21")["items"][0]["entries"][-1]
    assert last["recorded_by"] == "王芳" and last["value"] == 5
    assert last["quarter"] == "2025Q2" and last["as_of"] == "2025-06-30" and last["withdrawn"] is None
    assert last["source"] == "qdtrack update 21 --value 5 --quarter 2025Q2 --by '王芳'"


# -- lagging and areas --------------------------------------------------------------------


def test_lagging_includes_item_3_and_not_21(run, seeded):
    doc = jrun(run, "lagging")
    ids = [i["id"] for i in doc["items"]]
    assert "3" in ids and "21" not in ids
    inv = next(i for i in doc["items"] if i["id"] == "3")["metrics"][0]
    assert inv["name"] == "完成投资" and inv["percent"] == pytest.approx(19.59, abs=0.01)
    assert inv["expected_percent"] == 25
    assert inv["shortfall"] == pytest.approx(2450 * 0.25 - 479.9)
    assert inv["needed_per_quarter"] == pytest.approx((2450 - 479.9) / 3)
    gaps = [i["metrics"][0]["gap_points"] for i in doc["items"]]
    # furthest behind pace first; rates (2, 4: no pace, so no gap) after those
    assert gaps == sorted(gaps, key=lambda g: (g is None, -(g or 0)))
    assert any(g is not None for g in gaps)
    assert {"2", "4"} <= set(ids)
    assert doc["stale"] == []


def test_lagging_table_says_how_far_behind(run, seeded):
    r = run("lagging", "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    # item 3: 2450亿元 × 25% − 479.9亿元 = 132.6亿元 short of the pace; (2450 − 479.9) / 3 per quarter
    (row,) = [line.split() for line in r.stdout.splitlines() if line.split()[:1] == ["3"]]
    assert "132.6亿元" in row and "656.7亿元" in row and not any(c.startswith("还差") for c in row)
    assert "距时序进度还差" in r.stdout  # the header says it once; the cells are amounts


def test_lagging_lists_stale_listed_items(run, seeded):
    run("update", "21", "--value", "7", "--quarter", "2025Q2")
    doc = jrun(run, "lagging", "--as-of", "2025Q2")
    stale = [i["id"] for i in doc["stale"]]
    # 44 listed items: 21 reported in Q2; 5 and 41 are done (left out); the other 41 are stale
    assert "21" not in stale and "36" in stale and len(stale) == 41
    assert "5" not in stale and "41" not in stale


def test_areas(run, seeded):
    doc = jrun(run, "areas")
    assert [a["area"] for a in doc["areas"]] == list(range(0, 11))
    nine = doc["areas"][9]
    assert nine["tasks"] == 10 and nine["ahead"] == 2 and nine["no_data"] == 8
    assert sum(a["tasks"] for a in doc["areas"]) == 171 - 2  # two bullets shown through their parts


def test_help_for_every_command(run):
    from qdtrack.cli import cli

    for name, cmd in cli.commands.items():
        r = run(name, "--help")
        assert r.exit_code == 0, name
        assert cmd.help and "Examples" in cmd.help, name


def test_format_names_are_not_case_sensitive(run, seeded):
    r = run("status", "--item", "36", "--format", "JSON", "--lang", "ZH")
    assert r.exit_code == 0, r.stderr
    assert '"id": "36"' in r.stdout


def test_a_falling_figure_names_the_date_of_the_one_in_force(run, seeded):
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2").exit_code == 0
    r = run("update", "21", "--value", "3", "--quarter", "2025Q2")
    assert r.exit_code == 2
    assert "3条 is below the year-to-date 7条 already recorded as of 2025-06-30" in r.stderr
    r = run("update", "21", "--value", "9", "--quarter", "2025Q1")
    assert r.exit_code == 2
    assert "9条 is above the year-to-date 7条 recorded as of 2025-06-30, a later date" in r.stderr
    r = run("update", "21", "--value", "3", "--quarter", "2025Q2", "--lang", "zh")
    assert "低于已记录的截至2025年6月30日的累计完成数 7条" in r.stderr
