"""Issue 8, the year's rules, run through the CLI at fixed dates (time-machine).

Each test travels to a fixed moment in Qingdao (UTC+8); while the 2025 plan year runs,
the default as-of date is that day.
"""

import datetime
import json
import zoneinfo

import pytest
import time_machine

from tests.conftest import dump

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hour: int = 10):
    """Travel to a fixed moment in Qingdao; the clock does not tick."""
    return time_machine.travel(datetime.datetime(y, m, d, hour, 0, tzinfo=SHANGHAI), tick=False)


def ok(result):
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def refused(result, code: int = 2):
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def item(run, ref: str, *extra) -> dict:
    """The JSON object of one task from ``status --item``."""
    data = json.loads(ok(run("status", "--item", ref, "--format", "json", *extra)).stdout)
    assert data["schema"] == 2
    (obj,) = data["items"]
    return obj


def metric(run, ref: str, *extra, name: str | None = None) -> dict:
    ms = item(run, ref, *extra)["metrics"]
    if name is None:
        (m,) = ms
        return m
    return next(m for m in ms if m["name"] == name)


# -- time: a figure is true as of a date ----------------------------------------------------


def test_figure_typed_on_12_may_is_dated_that_day_and_paced_at_36_percent(run, seeded):
    with at(2025, 5, 12):
        out = ok(run("update", "36", "--value", "400万")).stdout
        assert "2025Q2" in out and "2025-05-12" in out
        m = metric(run, "36")
        assert m["figure_as_of"] == "2025-05-12"
        assert m["judged_at"] == "2025-05-12"
        assert m["expected_percent"] == pytest.approx((4 + 12 / 31) / 12 * 100)
        assert 36 < m["expected_percent"] < 37
        assert m["actual"] == 4_000_000
        # the default as-of is today, not the end of the quarter
        assert json.loads(ok(run("status", "--format", "json")).stdout)["as_of"] == "2025-05-12"
        # another metric still carrying only its Q1 figure is held to Q1's pace
        other = metric(run, "21")
        assert other["figure_as_of"] == "2025-03-31"
        assert other["judged_at"] == "2025-03-31"
        assert other["expected_percent"] == pytest.approx(25.0)
        assert other["status"] == "ahead"  # 4 of 10 against 25%
    with at(2025, 7, 10):
        other = metric(run, "21")
        assert other["judged_at"] == "2025-06-30"
        assert other["expected_percent"] == pytest.approx(50.0)
        assert other["status"] == "lagging"  # 40% against 50%


def test_late_quarter_return_is_invisible_before_the_quarter_end(run, seeded):
    with at(2025, 4, 5):
        out = ok(run("update", "12", "--value", "5", "--quarter", "2025Q1")).stdout
        assert "2025Q1" in out and "2025-03-31" in out
        assert metric(run, "12", "--as-of", "2025-03-30")["actual"] is None
        assert metric(run, "12", "--as-of", "2025-03-30")["status"] == "no_data"
        seen = metric(run, "12", "--as-of", "2025-03-31")
        assert seen["actual"] == 5 and seen["figure_as_of"] == "2025-03-31"


def test_quarter_not_ended_is_refused(run, seeded):
    with at(2025, 5, 12):
        before = dump(seeded)
        r = refused(run("update", "21", "--value", "6", "--quarter", "2025Q2"))
        assert "has not ended" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert dump(seeded) == before
        refused(run("update", "21", "--value", "6", "--on", "2025-05-13"))  # tomorrow
        refused(run("status", "--as-of", "2025-05-13"))
        assert dump(seeded) == before


def test_as_of_a_quarter_is_its_last_day(run, seeded):
    with at(2025, 8, 1):
        ok(run("update", "21", "--value", "6", "--on", "2025-05-31"))
        data = json.loads(ok(run("status", "--item", "21", "--as-of", "2025Q2", "--format", "json")).stdout)
        assert data["as_of"] == "2025-06-30"
        assert data["items"][0]["metrics"][0]["actual"] == 6
        assert data["items"][0]["metrics"][0]["judged_at"] == "2025-06-30"


def test_today_is_qingdaos_date(run, seeded):
    # 2025-05-11 17:30 UTC is already 12 May in Qingdao
    with time_machine.travel(datetime.datetime(2025, 5, 11, 17, 30, tzinfo=datetime.UTC), tick=False):
        out = ok(run("update", "21", "--value", "5")).stdout
        assert "2025-05-12" in out


# -- target kinds ----------------------------------------------------------------------------


def test_multi_year_total_never_lagging_even_at_year_end(run, seeded):
    with at(2026, 1, 10):
        m = metric(run, "19", "--as-of", "2025-12-31", name="完成投资")
        assert m["kind"] == "total"
        assert m["status"] == "on_track"
        assert m["expected_percent"] is None
        lag = json.loads(ok(run("lagging", "--as-of", "2025-12-31", "--format", "json")).stdout)
        assert not [i for i in lag["items"] if i["id"] == "19" and i["metrics"][0]["name"] == "完成投资"]
        # reached: done
        ok(run("update", "19", "--metric", "完成投资", "--value", "2400亿元", "--quarter", "2025Q4"))
        assert metric(run, "19", "--as-of", "2025-12-31", name="完成投资")["status"] == "done"


def test_rate_is_judged_in_points_and_tolerance_does_not_widen_it(run, seeded):
    with at(2025, 5, 12):
        m = metric(run, "1")
        assert m["kind"] == "rate"
        assert m["percent"] is None and m["expected_percent"] is None
        assert m["points_vs_target"] == pytest.approx(0.4)
        assert m["status"] == "on_track"  # 5.9 within ±0.5 of 5.5左右
        table = ok(run("status", "--item", "1")).stdout
        assert "+0.4" in table and "107.3" not in table
        out = ok(run("update", "1", "--value", "1%")).stdout
        assert "lagging" in out
        for tol in ("5", "50"):
            m = metric(run, "1", "--tolerance", tol)
            assert m["status"] == "lagging", tol
            assert m["points_vs_target"] == pytest.approx(-4.5)
        lag = json.loads(ok(run("lagging", "--tolerance", "5", "--format", "json")).stdout)
        assert any(i["id"] == "1" for i in lag["items"])


def test_rate_at_least_below_target_is_lagging_above_is_ahead(run, seeded):
    with at(2025, 5, 12):
        m = metric(run, "2")  # 一般公共预算收入增长3%, 0.8% in Q1
        assert m["status"] == "lagging"
        assert m["points_vs_target"] == pytest.approx(-2.2)
        ok(run("update", "2", "--value", "3.4%"))
        m = metric(run, "2")
        assert m["status"] == "ahead" and m["points_vs_target"] == pytest.approx(0.4)


def test_tolerance_widens_cumulative_pace_band(run, seeded):
    with at(2025, 5, 12):
        m = metric(run, "44", "--as-of", "2025-03-31")  # 3805 of 2万: 19.0% against 25%
        assert m["status"] == "lagging"
        assert metric(run, "44", "--as-of", "2025-03-31", "--tolerance", "10")["status"] == "on_track"


def test_level_without_baseline_is_not_judged_then_baseline_gives_pace(run, seeded):
    with at(2025, 10, 10):
        ok(run("update", "8", "--value", "1.2万", "--quarter", "2025Q3"))
        m = metric(run, "8")
        assert m["kind"] == "level"
        assert m["actual"] == 12000
        assert m["status"] == "not_judged"
        assert m["expected_percent"] is None
        assert item(run, "8")["status"] != "ahead"
        r = ok(run("plan", "set", "8", "--baseline", "1万", "--by", "科技局"))
        assert "1万家" in r.stdout
        m = metric(run, "8")
        assert m["baseline"] == 10000
        assert m["percent"] == pytest.approx(40.0)
        assert m["judged_at"] == "2025-09-30"
        assert m["expected_percent"] == pytest.approx(75.0)
        assert m["status"] == "lagging"
        log = ok(run("log", "--limit", "5")).stdout
        assert "baseline: — → 1万" in log and "科技局" in log
        assert "10000.0" not in log
        plan_changes = json.loads(ok(run("log", "--format", "json")).stdout)["plan_changes"]
        assert any(c.get("recorded_by") == "科技局" for c in plan_changes)
        assert "1万家" in ok(run("show", "8")).stdout
        assert json.loads(ok(run("show", "8", "--format", "json")).stdout)["schema"] == 2


def test_level_without_baseline_done_when_reached_lagging_at_year_end(run, seeded):
    with at(2026, 1, 10):
        ok(run("update", "8", "--value", "1.4万", "--on", "2025-12-20"))
        assert metric(run, "8", "--as-of", "2025-12-30")["status"] == "not_judged"
        assert metric(run, "8", "--as-of", "2025-12-31")["status"] == "lagging"
        ok(run("update", "8", "--value", "1.5万", "--on", "2025-12-31"))
        assert metric(run, "8", "--as-of", "2025-12-31")["status"] == "done"


def test_baseline_must_be_a_level_and_below_target(run, seeded):
    with at(2025, 5, 12):
        before = dump(seeded)
        refused(run("plan", "set", "8", "--baseline", "2万"))
        refused(run("plan", "set", "36", "--baseline", "1万"))  # cumulative
        assert dump(seeded) == before


def test_about_amount_is_met_at_ninety_percent(run, seeded):
    with at(2026, 1, 10):
        assert metric(run, "12", "--as-of", "2025-06-30")["expected_percent"] == pytest.approx(45.0)
        ok(run("update", "12", "--value", "28", "--quarter", "2025Q4"))
        assert metric(run, "12", "--as-of", "2025-12-31")["status"] == "done"
        ok(run("update", "12", "--value", "26", "--quarter", "2025Q4", "--correct"))
        assert metric(run, "12", "--as-of", "2025-12-31")["status"] == "lagging"  # 26 < 27


# -- same quarter --------------------------------------------------------------------------


def test_two_adds_in_one_quarter_add_both(run, seeded):
    with at(2025, 7, 10):
        ok(run("update", "21", "--add", "1", "--quarter", "2025Q2"))
        ok(run("update", "21", "--add", "2", "--quarter", "2025Q2"))
        assert metric(run, "21")["actual"] == 7  # 4 + 1 + 2


def test_lower_value_same_quarter_needs_correct(run, seeded):
    with at(2025, 7, 10):
        ok(run("update", "21", "--value", "7", "--quarter", "2025Q2"))
        before = dump(seeded)
        r = refused(run("update", "21", "--value", "6", "--quarter", "2025Q2"))
        assert "--correct" in r.stderr
        assert dump(seeded) == before
        ok(run("update", "21", "--value", "6", "--quarter", "2025Q2", "--correct"))
        assert metric(run, "21")["actual"] == 6
        # above a later figure is refused too
        refused(run("update", "21", "--value", "8", "--quarter", "2025Q1"))


# -- units -------------------------------------------------------------------------------------


def test_bare_number_against_wan_target_is_refused_with_both_readings(run, seeded):
    with at(2025, 5, 12):
        before = dump(seeded)
        r = refused(run("update", "36", "--value", "1000"))
        assert "1000万平方米" in r.stderr and "1000平方米" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert dump(seeded) == before
        ok(run("update", "36", "--value", "300万"))
        assert metric(run, "36")["actual"] == 3_000_000
        refused(run("update", "44", "--value", "9000"))
        ok(run("update", "44", "--value", "9000场"))
        assert metric(run, "44")["actual"] == 9000


def test_yi_is_never_multiplied_twice(run, seeded):
    with at(2025, 5, 12):
        refused(run("update", "3", "--metric", "完成投资", "--value", "1200"))
        ok(run("update", "3", "--metric", "完成投资", "--value", "500亿"))
        m = metric(run, "3", name="完成投资")
        assert m["actual"] == pytest.approx(500)
        assert m["unit"] == "亿元"


# -- stale and never reported ----------------------------------------------------------------


def test_stale_on_first_of_april_only_items_without_q1_entry(run, seeded):
    with at(2025, 4, 1):
        lag = json.loads(ok(run("lagging", "--format", "json")).stdout)
        assert lag["as_of"] == "2025-04-01"
        assert lag["stale_quarter"] == "2025Q1"
        assert lag["stale"] == []  # every listed item has a Q1 note in the seed
    with at(2025, 3, 20):
        assert json.loads(ok(run("lagging", "--format", "json")).stdout)["stale"] == []


def test_stale_after_second_quarter_names_items_without_q2_entry(run, seeded):
    with at(2025, 7, 2):
        ok(run("update", "21", "--value", "6", "--quarter", "2025Q2"))
        lag = json.loads(ok(run("lagging", "--format", "json")).stdout)
        assert lag["stale_quarter"] == "2025Q2"
        stale = {s["id"] for s in lag["stale"]}
        assert "21" not in stale
        assert "36" in stale and "12" in stale


def test_never_reported_listed_at_year_end(run, seeded):
    with at(2026, 1, 10):
        lag = json.loads(ok(run("lagging", "--as-of", "2025-12-31", "--format", "json")).stdout)
        never = {(n["id"], n["metric"]) for n in lag["never_reported"]}
        assert ("8", "科技型企业") in never
        assert ("12", "概念验证平台和中试基地") in never
        assert ("21", "新开通海运航线") not in never
        earlier = json.loads(ok(run("lagging", "--as-of", "2025-12-30", "--format", "json")).stdout)
        assert earlier["never_reported"] == []


# -- what update says --------------------------------------------------------------------------


def test_confirmation_names_quarter_and_date(run, seeded):
    with at(2025, 8, 20):
        r = ok(run("update", "21", "--value", "7", "--quarter", "2025Q2"))
        first, second = r.stdout.splitlines()[:2]
        assert first.startswith("recorded #") and "2025Q2" in first and "2025-06-30" in first
        assert "21" in second and "7条" in second
        r = ok(run("update", "21", "--value", "8", "--on", "2025-08-15"))
        assert "2025Q3" in r.stdout and "2025-08-15" in r.stdout


def test_hint_for_previous_quarter_in_its_first_month(run, seeded):
    with at(2025, 4, 10):
        r = ok(run("update", "12", "--value", "3"))
        assert "--quarter 2025Q1" in r.stderr
        assert "2025-04-10" in r.stdout
        r = ok(run("update", "21", "--value", "5"))  # has a Q1 figure
        assert "--quarter" not in r.stderr
    with at(2025, 5, 10):
        r = ok(run("update", "8", "--value", "1.1万"))  # not the first month
        assert "--quarter" not in r.stderr


# -- void --------------------------------------------------------------------------------------


def _entry_id(stdout: str) -> int:
    first = stdout.splitlines()[0]
    return int(first.split("#")[1].split()[0])


def test_void_makes_views_ignore_entry_and_is_logged(run, seeded):
    with at(2025, 5, 12):
        n = _entry_id(ok(run("update", "21", "--value", "9")).stdout)
        assert metric(run, "21")["actual"] == 9
        r = ok(run("void", str(n), "--reason", "recorded on 21 instead of 20", "--by", "港口局"))
        assert f"#{n}" in r.stdout
        assert metric(run, "21")["actual"] == 4
        show = ok(run("show", "21")).stdout
        assert f"#{n}" in show and "recorded on 21 instead of 20" in show
        log = json.loads(ok(run("log", "--format", "json")).stdout)
        (entry,) = [e for e in log["entries"] if e["entry"] == n]
        assert entry["withdrawn"]["reason"] == "recorded on 21 instead of 20"
        assert entry["withdrawn"]["by"] == "港口局"
        assert "withdrawn by 港口局" in ok(run("log")).stdout
        before = dump(seeded)
        r = refused(run("void", str(n), "--reason", "again"))
        assert "already withdrawn" in r.stderr
        assert dump(seeded) == before
        refused(run("void", "99999", "--reason", "no such entry"))


# -- paths -------------------------------------------------------------------------------------


def test_mistyped_db_path_is_an_error_and_creates_nothing(run, seeded, tmp_path):
    missing = tmp_path / "ledgr" / "ledger.db"
    with at(2025, 5, 12):
        for args in (("update", "21", "--value", "5"), ("report",), ("status",)):
            r = refused(run(*args, "--db", str(missing)), code=1)
            assert "qdtrack init --db" in r.stderr
            assert str(missing) in r.stderr
            assert not missing.exists() and not missing.parent.exists()


def test_db_from_environment_must_exist(run, seeded, tmp_path, monkeypatch):
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("QDTRACK_DB", str(missing))
    with at(2025, 5, 12):
        r = refused(run("report"), code=1)
        assert "qdtrack init --db" in r.stderr
        assert not missing.exists()


# -- JSON --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("status",), ("lagging",), ("areas",), ("show", "21"), ("log",), ("report",)],
)
def test_json_carries_schema_2(run, seeded, args):
    with at(2025, 5, 12):
        data = json.loads(ok(run(*args, "--format", "json")).stdout)
        assert data["schema"] == 2


# -- a whole year ------------------------------------------------------------------------------


def test_a_whole_year(run, seeded):
    """Q1 to year end for 21 (cumulative), 8 (level, baseline set mid-year) and 12 (左右 amount)."""

    def st(ref: str, as_of: str | None = None) -> str:
        return metric(run, ref, *(("--as-of", as_of) if as_of else ()))["status"]

    with at(2025, 4, 8):  # Q1 returns typed a week after the quarter closed
        ok(run("update", "12", "--value", "6", "--quarter", "2025Q1"))
        ok(run("update", "8", "--value", "1.05万", "--quarter", "2025Q1"))
        assert st("21") == "ahead"  # 4 of 10 against 25%
        assert st("12") == "lagging"  # 6/30 = 20% against 90% of 25% = 22.5%
    with at(2025, 5, 20):  # mid-quarter figures, 截至5月15日
        ok(run("update", "21", "--value", "5", "--on", "2025-05-15"))
        m = metric(run, "21")
        assert m["judged_at"] == "2025-05-15"
        assert m["expected_percent"] == pytest.approx((4 + 15 / 31) / 12 * 100)
        assert m["status"] == "ahead"  # 50% against 37.4%
        assert metric(run, "8")["judged_at"] == "2025-03-31"  # other metrics stay at Q1's pace
    with at(2025, 7, 6):  # Q2 returns
        ok(run("update", "21", "--add", "1", "--quarter", "2025Q2"))
        ok(run("update", "12", "--value", "14", "--quarter", "2025Q2"))
        assert metric(run, "21")["actual"] == 6
        assert st("21") == "ahead"  # 60% against 50%
        assert st("12") == "ahead"  # 14/30 = 46.7% against 45%
        assert st("8") == "not_judged"
        assert st("21", "2025-05-14") == "ahead"  # only the Q1 figure at 14 May: 40% vs 25%
    with at(2025, 8, 3):  # the Q2 return of 12 was wrong: corrected down
        refused(run("update", "12", "--value", "12", "--quarter", "2025Q2"))
        ok(run("update", "12", "--value", "12", "--quarter", "2025Q2", "--correct"))
        assert st("12") == "lagging"  # 40% against 45% (judged at 30 June)
        ok(run("plan", "set", "8", "--baseline", "1万"))
        assert st("8") == "lagging"  # (1.05-1)/0.5 = 10% against 50%
    with at(2025, 10, 9):
        ok(run("update", "8", "--value", "1.4万", "--quarter", "2025Q3"))
        ok(run("update", "21", "--value", "8", "--quarter", "2025Q3"))
        assert st("8") == "ahead"  # 80% against 75%
        assert st("21") == "ahead"  # 80% against 75%
        assert st("12") == "lagging"  # still 12 at Q3: 40% against 67.5%
        assert st("21", "2025-09-29") == "ahead"  # before the Q3 figure: 6 at 30 June pace 50%→ 60% vs 50%
    with at(2026, 1, 12):
        ok(run("update", "21", "--value", "11", "--quarter", "2025Q4"))
        ok(run("update", "8", "--value", "1.5万", "--quarter", "2025Q4"))
        ok(run("update", "12", "--value", "28", "--quarter", "2025Q4"))
        for ref in ("21", "8", "12"):
            assert st(ref, "2025-12-31") == "done", ref
        # the default as-of of an ended year is its last reporting point
        assert json.loads(ok(run("status", "--format", "json")).stdout)["as_of"] == "2025-12-31"
        assert st("21", "2025-09-30") == "ahead"
        assert st("12", "2025-09-30") == "lagging"


def test_entry_without_date_after_the_plan_year_is_refused(run, seeded):
    with at(2026, 1, 10):
        before = dump(seeded)
        r = refused(run("update", "21", "--value", "9", "--year", "2025"))
        assert "--quarter 2025Q4" in r.stderr
        assert dump(seeded) == before
        ok(run("update", "21", "--value", "9", "--quarter", "2025Q4", "--year", "2025"))
        assert metric(run, "21", "--as-of", "2025-12-31")["actual"] == 9


def test_displayed_percent_rounds_half_up_and_ids_take_full_width_digits(run, seeded):
    with at(2025, 5, 12):
        m = metric(run, "33", "--as-of", "2025-03-31")  # 9 of 16
        assert m["percent"] == pytest.approx(56.25)
        assert "56.3" in ok(run("status", "--item", "33", "--as-of", "2025-03-31")).stdout
        assert ok(run("show", "３６")).stdout.startswith("36")


def test_show_names_the_date_a_metric_is_judged_at_when_it_differs(run, seeded):
    with at(2025, 5, 12):
        ok(run("update", "36", "--value", "400万"))
        assert "pace taken at 2025-03-31" in ok(run("show", "21")).stdout
        assert "pace taken at" not in ok(run("show", "36")).stdout  # judged at 12 May, the view's date
        assert "时序进度按2025年3月31日计" in ok(run("show", "21", "--lang", "zh")).stdout
