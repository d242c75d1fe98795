"""Issue 15, milestones (时间节点): status from milestones at fixed dates, views and bad input.

1.2.8 建成官路水库主体工程,开建配套工程 is a qualitative bullet of the seed with no metric.
"""

import datetime
import json
import zoneinfo

import pytest
import time_machine

from tests.conftest import dump

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TASK = "1.2.8"


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime.datetime(y, m, d, 10, 0, tzinfo=SHANGHAI), tick=False)


def ok(result):
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def task(run, ref: str = TASK, *extra) -> dict:
    data = json.loads(ok(run("status", "--item", ref, "--format", "json", *extra)).stdout)
    assert data["schema"] == 2
    (obj,) = data["items"]
    return obj


def lagging(run, *extra) -> dict:
    return json.loads(ok(run("lagging", "--format", "json", *extra)).stdout)


def add_two(run) -> None:
    r = ok(run("plan", "milestone", TASK, "6月底前", "完成方案编制"))
    assert "2025-06-30" in r.stdout and "1" in r.stdout
    r = ok(run("plan", "milestone", TASK, "年底前", "主体完工"))
    assert "2025-12-31" in r.stdout


def test_status_moves_through_the_year(run, seeded):
    with at(2025, 5, 12):
        t = task(run)
        assert t["metrics"] == [] and t["milestones"] == []
        assert t["status"] == "no_data"
        add_two(run)
        t = task(run)
        assert t["status"] == "on_track"
        assert [(m["n"], m["due"], m["text"], m["done_on"], m["late"]) for m in t["milestones"]] == [
            (1, "2025-06-30", "完成方案编制", None, False),
            (2, "2025-12-31", "主体完工", None, False),
        ]
    with at(2025, 6, 15):  # the year-end milestone reported done early
        r = ok(run("update", TASK, "--milestone", "2", "--done", "--on", "2025-06-14"))
        assert "2025-06-14" in r.stdout
        t = task(run)
        assert t["status"] == "ahead"
        m2 = t["milestones"][1]
        assert m2["done_on"] == "2025-06-14" and m2["late"] is False
    with at(2025, 6, 30):  # 6月底前 is met on 30 June
        assert task(run)["status"] == "ahead"
        assert lagging(run)["overdue"] == []
    with at(2025, 7, 1):  # the June milestone passes undone
        t = task(run)
        assert t["status"] == "lagging"
        overdue = lagging(run)["overdue"]
        assert [(o["id"], o["n"], o["due"], o["days_overdue"]) for o in overdue] == [(TASK, 1, "2025-06-30", 1)]
        text = ok(run("lagging")).stdout
        assert "完成方案编制" in text
    with at(2025, 7, 15):  # ... and is reported done late
        ok(run("update", TASK, "--milestone", "1", "--done", "--on", "2025-07-10"))
        t = task(run)
        assert t["status"] == "done"
        m1 = t["milestones"][0]
        assert m1["done_on"] == "2025-07-10" and m1["late"] is True
        assert lagging(run)["overdue"] == []
        # before it was reported done, it still held the task back
        assert task(run, TASK, "--as-of", "2025-07-05")["status"] == "lagging"
        assert task(run, TASK, "--as-of", "2025-06-20")["status"] == "ahead"
        assert task(run, TASK, "--as-of", "2025-06-10")["status"] == "on_track"
    with at(2026, 1, 10):  # stays marked late at year end
        t = task(run, TASK, "--as-of", "2025-12-31")
        assert t["status"] == "done"
        assert t["milestones"][0]["late"] is True and t["milestones"][1]["late"] is False


def test_due_within_lists_upcoming_milestones(run, seeded):
    with at(2025, 5, 12):
        add_two(run)
        assert lagging(run, "--due-within", "30")["due_soon"] == []  # 30 June is 49 days away
    with at(2025, 6, 10):
        soon = lagging(run, "--due-within", "30")["due_soon"]
        assert [(s["id"], s["n"], s["due"]) for s in soon] == [(TASK, 1, "2025-06-30")]
        assert lagging(run)["due_soon"] == []  # only when asked
        assert "完成方案编制" in ok(run("lagging", "--due-within", "30")).stdout
        ok(run("update", TASK, "--milestone", "1", "--done", "--on", "2025-06-09"))
        assert lagging(run, "--due-within", "30")["due_soon"] == []  # done: not due


def test_done_by_quarter_is_the_quarter_end_and_on_time(run, seeded):
    with at(2025, 7, 3):
        add_two(run)
        ok(run("update", TASK, "--milestone", "1", "--done", "--quarter", "2025Q2"))
        m1 = task(run)["milestones"][0]
        assert m1["done_on"] == "2025-06-30" and m1["late"] is False
        assert task(run)["status"] == "on_track"


def test_numbers_kept_and_listed_in_due_order(run, seeded):
    with at(2025, 5, 12):
        ok(run("plan", "milestone", TASK, "年底前", "主体完工"))
        ok(run("plan", "milestone", TASK, "2025-06-30", "完成方案编制"))
        ms = task(run)["milestones"]
        assert [(m["n"], m["due"]) for m in ms] == [(2, "2025-06-30"), (1, "2025-12-31")]
        show = ok(run("show", TASK)).stdout
        assert "完成方案编制" in show and "主体完工" in show
        assert json.loads(ok(run("show", TASK, "--format", "json")).stdout)["schema"] == 2
        ok(run("plan", "milestone", TASK, "--remove", "2"))
        assert [m["n"] for m in task(run)["milestones"]] == [1]
        log = json.loads(ok(run("log", "--format", "json")).stdout)["plan_changes"]
        assert len([c for c in log if c["item"] == TASK]) >= 3  # two added, one removed


def test_worst_of_metrics_and_milestones(run, seeded):
    with at(2025, 7, 2):
        ok(run("update", "21", "--value", "6", "--quarter", "2025Q2"))
        assert task(run, "21")["status"] == "ahead"  # 60% against 50%
        ok(run("plan", "milestone", "21", "6月15日前", "开通欧洲航线"))
        assert task(run, "21")["status"] == "lagging"


def test_milestones_do_not_move_default_as_of_of_an_ended_year(run, seeded):
    with at(2026, 1, 10):
        ok(run("plan", "milestone", TASK, "年底前", "主体完工", "--year", "2025"))
        ok(run("update", TASK, "--milestone", "1", "--done", "--on", "2025-12-20", "--year", "2025"))
        data = json.loads(ok(run("status", "--item", TASK, "--format", "json")).stdout)
        assert data["as_of"] == "2025-03-31"  # the seed's last figure, not the milestone
        assert data["items"][0]["status"] == "on_track"  # done on 20 December is not seen at 31 March
        assert task(run, TASK, "--as-of", "2025-12-31")["status"] == "done"


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "milestone", TASK, "2026-03-01", "完成方案编制"),  # outside the plan year
        ("plan", "milestone", TASK, "2024-12-31", "完成方案编制"),
        ("plan", "milestone", TASK, "13月底前", "完成方案编制"),
        ("plan", "milestone", TASK, "6月底前", "  "),  # no text
        ("update", TASK, "--milestone", "3", "--done"),  # no milestone 3
        ("update", TASK, "--milestone", "1", "--done"),  # done twice
        ("plan", "milestone", TASK, "--remove", "1"),  # done: stays
        ("plan", "milestone", TASK, "--remove", "7"),  # no milestone 7
        ("update", TASK, "--milestone", "2", "--done", "--on", "2025-05-13"),  # tomorrow
        ("update", TASK, "--milestone", "2"),  # without --done
        ("update", TASK, "--milestone", "2", "--done", "--value", "3"),
    ],
)
def test_bad_input_changes_nothing(run, seeded, args):
    with at(2025, 5, 12):
        add_two(run)
        ok(run("update", TASK, "--milestone", "1", "--done", "--on", "2025-05-10"))
        before = dump(seeded)
        r = run(*args)
        assert r.exit_code == 2, (r.stdout, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, r.stderr
        assert "Traceback" not in r.stderr
        assert dump(seeded) == before
