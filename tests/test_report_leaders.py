"""The report leaders read (issue 12) and its milestone block (issue 15): what is behind comes
first, supervision-style counts, changes per output, empty tasks collapsed, notes with their
quarter, --output extensions, and the SQL views for sqlite3 users."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess

import pytest

from qdtrack.report import gather


@pytest.fixture
def milestones(seeded, run):
    """The seed (as of 2025-03-31) with two milestones on bullet 9.2.4: one overdue, one due soon."""
    for due, text in (("2025-03-15", "完成方案编制"), ("2025-04-20", "启动建设"), ("2025-09-30", "主体完工")):
        r = run("plan", "milestone", "9.2.4", due, text)
        assert r.exit_code == 0, r.stderr
    return seeded


def report(run, *args: object) -> str:
    r = run("report", *args)
    assert r.exit_code in (0, 4), r.stderr
    return r.stdout


def section(page: str, ident: str) -> str:
    """The HTML of ``<section id=ident>`` up to the next top-level section."""
    start = page.index(f'<section id="{ident}">')
    end = page.find('\n<section id="', start + 1)
    return page[start : end if end > 0 else len(page)]


# -- issue 15: the milestones block and the supervision counts -----------------------------------


def test_json_lists_overdue_and_due_soon_milestones(milestones, run):
    obj = json.loads(report(run, "--format", "json"))
    assert obj["as_of"] == "2025-03-31"  # milestones never move the default as-of date
    overdue = obj["milestones_overdue"]
    assert [(m["id"], m["n"], m["due"], m["days_overdue"]) for m in overdue] == [("9.2.4", 1, "2025-03-15", 16)]
    soon = obj["milestones_due_soon"]
    assert soon["within_days"] == 30
    assert [(m["id"], m["n"], m["due"]) for m in soon["milestones"]] == [("9.2.4", 2, "2025-04-20")]  # not 9-30


def test_markdown_milestone_block_sits_in_the_lagging_section(milestones, run):
    text = report(run)
    lagging = text.split("## Behind the pace of the year")[1].split("## Changes since")[0]
    overdue = lagging.split("### Milestones overdue")[1].split("###")[0]
    assert "| 9.2.4 | 新建充电桩2.6万个 | 1. 完成方案编制 | 2025-03-15 | 16 |" in overdue
    soon = lagging.split("### Milestones due within 30 days")[1].split("###")[0]
    assert "| 9.2.4 | 新建充电桩2.6万个 | 2. 启动建设 | 2025-04-20 |" in soon
    assert "主体完工" not in lagging  # due in September: neither overdue nor due soon


def test_html_milestone_block_sits_in_the_lagging_section(milestones, run):
    page = report(run, "--format", "html")
    lagging = section(page, "lagging")
    assert "完成方案编制" in lagging and "启动建设" in lagging and "主体完工" not in lagging
    assert "<td class=\"k-overdue num\">16</td>" in lagging  # days overdue


def test_no_milestones_says_so(seeded, run):
    text = report(run)
    assert "No milestone is overdue." in text and "No milestone falls due within 30 days." in text


def test_supervision_counts_in_every_format(milestones, run):
    obj = json.loads(report(run, "--format", "json"))
    total = len(obj["items"])
    sup = {s["status"]: s for s in obj["supervision"]}
    assert sum(s["tasks"] for s in sup.values()) == total
    lagging = sup["lagging"]
    assert lagging["tasks"] == obj["counts"]["lagging"]
    assert lagging["percent_of_tasks"] == round(lagging["tasks"] / total * 100 + 1e-9, 1)
    line = f"lagging {lagging['tasks']} items, {lagging['percent_of_tasks']}% of all tasks"
    assert f"- {line}" in report(run)
    html = report(run, "--format", "html")
    head = html[: html.index('<section id="lagging">')]
    assert f"<li>{line}</li>" in head and f"{total} tasks in all" in head


def test_supervision_percent_rounds_half_up():
    from qdtrack.report.text import supervision

    class V:  # the one attribute counts() reads
        def __init__(self, status: str) -> None:
            self.status = status

    verdicts = [V("lagging")] * 17 + [V("on_track")] * 205  # the county's report: 17 of 222 → 7.7%
    rows = dict((s, (n, p)) for s, n, p in supervision(verdicts))  # type: ignore[arg-type]
    assert rows["lagging"][0] == 17 and f"{rows['lagging'][1]:.1f}" == "7.7"


# -- the order of the page ----------------------------------------------------------------------


def test_html_order_counts_lagging_changes_listed_areas(milestones, run):
    page = report(run, "--format", "html")
    marks = ['class="chips"', '<section id="lagging">', '<section id="changes">', '<section id="listed">', '<section id="areas">']
    where = [page.index(m) for m in marks]
    assert where == sorted(where)
    lagging = section(page, "lagging")
    assert "完成投资" in lagging  # item 3 is behind pace
    # worst first: the furthest behind (item 31, 24 points) before item 3 (5.4 points)
    assert lagging.index("规模化供水村庄") < lagging.index("2450亿元以上")
    assert ">24个<" in lagging and ">33个<" in lagging  # shortfall and what each remaining quarter needs


def test_tasks_with_no_target_and_no_entry_are_collapsed(seeded, run):
    page = report(run, "--format", "html")
    areas = section(page, "areas")
    details = re.findall(r"<details><summary>(\d+) tasks with no numeric target and no entry yet</summary>", areas)
    assert details and sum(map(int, details)) > 50
    tables = re.sub(r"<details>.*?</details>", "", areas, flags=re.S)
    obj = json.loads(report(run, "--format", "json"))
    empty = [i for i in obj["items"] if not i["metrics"] and not i["milestones"] and i["note"] is None and i["status"] == "no_data"]
    assert sum(map(int, details)) == len(empty)
    for item in empty[:5]:
        assert f'<td class="id">{item["id"]}</td>' not in tables


def test_stale_listed_items_in_the_lagging_section(seeded, run):
    r = run("update", "21", "--value", "7", "--quarter", "2025Q2")
    assert r.exit_code == 0, r.stderr
    lagging = section(report(run, "--format", "html"), "lagging")
    assert "Listed items with no update for 2025Q2" in lagging
    assert "新开通海运航线" not in lagging.split("Listed items with no update")[1]  # 21 was reported


# -- changes since the last report, per --output --------------------------------------------------


def test_two_formats_list_the_same_changes_and_a_second_run_none(seeded, run, tmp_path):
    for ext in ("html", "json"):
        assert run("report", "--output", tmp_path / f"{{date}}.{ext}").exit_code == 0
    r = run("update", "44", "--value", "9000场", "--quarter", "2025Q2", "--note", "二季度举办赛事")
    assert r.exit_code == 0, r.stderr
    assert "二季度举办赛事" in report(run)  # to stdout: does not consume the changes
    for ext in ("html", "json"):
        assert run("report", "--output", tmp_path / f"{{date}}.{ext}").exit_code == 0
    page = (tmp_path / "2025-06-30.html").read_text(encoding="utf-8")
    assert "二季度举办赛事" in section(page, "changes")
    obj = json.loads((tmp_path / "2025-06-30.json").read_text(encoding="utf-8"))
    assert [u["note"] for u in obj["changes_since_last_report"]["updates"]] == ["二季度举办赛事"]
    assert run("report", "--output", tmp_path / "{date}.html").exit_code == 0
    page = (tmp_path / "2025-06-30.html").read_text(encoding="utf-8")
    assert "二季度举办赛事" not in section(page, "changes") and "No updates recorded since" in page


def test_changes_show_the_newest_and_count_the_rest(seeded, run, tmp_path, monkeypatch):
    monkeypatch.setattr(gather, "CHANGES_SHOWN", 2)
    out = tmp_path / "r.md"
    assert run("report", "--output", out).exit_code == 0
    for value in (5, 6, 7, 8):
        assert run("update", "21", "--value", value, "--quarter", "2025Q2", "--correct").exit_code == 0
    assert run("report", "--output", out).exit_code == 0
    changes = out.read_text(encoding="utf-8").split("## Changes since the last report")[1].split("\n## ")[0]
    assert "| 8条 |" in changes and "| 7条 |" in changes and "| 6条 |" not in changes
    assert changes.index("8条") < changes.index("7条")  # newest first
    assert "… and 2 earlier changes, not listed here" in changes


def test_json_lists_every_change_of_the_year_and_html_the_newest(seeded, run, tmp_path, monkeypatch):
    """The documents read only the newest changes; JSON still lists them all, oldest first, and an
    entry of another plan year recorded in between is neither listed nor counted."""
    from tests.conftest import SEEDS

    monkeypatch.setattr(gather, "CHANGES_SHOWN", 2)
    assert run("plan", "load", SEEDS / "000_977c2cac0d19ad45.txt", "--listed", SEEDS / "002_46f98387e7e7970e.txt",
               "--year", 2026, "--by", "office").exit_code == 0  # fmt: skip
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    for target in (out, page):
        assert run("report", "--year", 2025, "--output", target).exit_code in (0, 4)
    for value in (5, 6):
        assert run("update", "21", "--value", value, "--quarter", "2025Q2", "--correct").exit_code == 0
    assert run("update", "21", "--value", 1, "--quarter", "2026Q1").exit_code == 0
    for value in (7, 8):
        assert run("update", "21", "--value", value, "--quarter", "2025Q2", "--correct").exit_code == 0
    for target in (out, page):
        assert run("report", "--year", 2025, "--output", target).exit_code in (0, 4)
    changes = json.loads(out.read_text(encoding="utf-8"))["changes_since_last_report"]
    assert changes["count"] == 4
    assert [u["value"] for u in changes["updates"]] == [5, 6, 7, 8]
    shown = section(page.read_text(encoding="utf-8"), "changes")
    assert "8条" in shown and "7条" in shown and "6条" not in shown and "1条" not in shown
    assert "… and 2 earlier changes, not listed here" in shown


# -- notes carry their quarter; an older note is marked --------------------------------------------


def test_a_note_older_than_its_figure_is_marked(seeded, run, tmp_path):
    r = run("update", "21", "--value", "7", "--quarter", "2025Q2")  # a figure, no note: Q1's note stays
    assert r.exit_code == 0, r.stderr
    obj = json.loads(report(run, "--format", "json"))
    assert obj["notes"]["21"]["quarter"] == "2025Q1" and obj["notes"]["21"]["older_than_figure"] is True
    text = report(run)
    row = next(line for line in text.splitlines() if line.startswith("| 21 |"))
    assert "[2025Q1] (older than the figure)" in row
    page = report(run, "--format", "html")
    assert '<span class="muted">[2025Q1]</span> <span class="older">older than the figure</span>' in page
    csv_text = report(run, "--format", "csv")
    assert "[2025Q1] (older than the figure)" in csv_text
    assert obj["notes"]["1"]["older_than_figure"] is False  # item 1's note and figure are both Q1's


# -- --output extensions ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["r.pdf", "r.txt", "r.docx"])
def test_unknown_output_extension_is_refused(seeded, run, tmp_path, name):
    r = run("report", "--output", tmp_path / name)
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "--format" in r.stderr and ".html" in r.stderr
    assert not (tmp_path / name).exists()


def test_format_option_still_writes_any_name(seeded, run, tmp_path):
    r = run("report", "--format", "html", "--output", tmp_path / "r.pdf.part")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "r.pdf.part").read_bytes().startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize(("ext", "start"), [("md", b"# "), ("html", b"<!DOCTYPE"), ("json", b"{"), ("xlsx", b"PK")])
def test_extension_chooses_the_format(seeded, run, tmp_path, ext, start):
    assert run("report", "--output", tmp_path / f"r.{ext}").exit_code == 0
    assert (tmp_path / f"r.{ext}").read_bytes().startswith(start)


# -- SQL views --------------------------------------------------------------------------------------


def test_progress_view_shows_item_21_by_quarter(seeded, run):
    assert run("update", "21", "--value", "7", "--quarter", "2025Q2").exit_code == 0
    assert run("update", "21", "--value", "9", "--quarter", "2025Q3").exit_code == 0
    out = subprocess.run(
        ["sqlite3", "-json", str(seeded), "select * from progress where task='21' order by quarter"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode != 0 and "not found" in out.stderr:
        pytest.skip("no sqlite3 command")
    rows = json.loads(out.stdout)
    assert [(r["quarter"], r["actual"], r["as_of"], r["percent"]) for r in rows] == [
        ("2025Q1", 4.0, "2025-03-31", 40.0),
        ("2025Q2", 7.0, "2025-06-30", 70.0),
        ("2025Q3", 9.0, "2025-09-30", 90.0),
        ("2025Q4", 9.0, "2025-09-30", 90.0),  # the figure in force at the year's end
    ]
    first = rows[0]
    assert first["task"] == "21" and first["area"] == 5 and first["unit"] == "条" and first["target"] == 10
    assert (first["metric"], first["comparator"], first["kind"]) == ("新开通海运航线", "at_least", "cumulative")
    assert "status" not in first


def test_progress_view_leaves_withdrawn_figures_out_and_rates_without_percent(seeded, run):
    r = run("update", "21", "--value", "7", "--quarter", "2025Q2")
    entry = int(re.search(r"#(\d+)", r.stdout).group(1))  # type: ignore[union-attr]
    assert run("void", entry, "--reason", "typo").exit_code == 0
    conn = sqlite3.connect(str(seeded))
    q2 = conn.execute("select actual from progress where task='21' and quarter='2025Q2'").fetchone()
    assert q2 == (4.0,)  # Q1's figure is still in force
    rate = conn.execute("select actual, percent from progress where task='1' and quarter='2025Q1'").fetchone()
    assert rate == (5.9, None)
    hist = conn.execute("select task, metric, value, unit, withdrawn from history where entry = ?", (entry,)).fetchone()
    assert hist == ("21", "新开通海运航线", 7.0, "条", "typo")
    bullet = conn.execute("select count(*) from history where task = '9.2.4'").fetchone()
    assert bullet == (0,)
    conn.close()


def test_report_quarters_are_the_progress_views_rows(seeded, run):
    """The report reads its quarter figures by the view's rule, not through it: the same rows, with a
    withdrawn figure, a correction and a later figure on the same day among them."""
    for args in (("21", "--value", "7", "--quarter", "2025Q2"), ("21", "--value", "9", "--quarter", "2025Q3"),
                 ("44", "--value", "9000场", "--quarter", "2025Q2"), ("44", "--value", "8000场", "--quarter", "2025Q2", "--correct")):  # fmt: skip
        assert run("update", *args).exit_code == 0
    r = run("update", "21", "--value", "10", "--quarter", "2025Q4")
    assert run("void", re.search(r"#(\d+)", r.stdout).group(1), "--reason", "typo").exit_code == 0  # type: ignore[union-attr]
    obj = json.loads(report(run, "--format", "json", "--as-of", "2025-12-31"))
    mine = {(q["id"], q["metric"], k, v, q["as_of"][k]) for q in obj["quarters"] for k, v in q["figures"].items()}
    conn = sqlite3.connect(str(seeded))
    view = conn.execute("select task, metric, quarter, actual, as_of from progress where year = 2025 and actual is not null")
    assert mine == {(t, m, q[-2:], a, d) for t, m, q, a, d in view}
    conn.close()
    assert ("21", "新开通海运航线", "Q4", 9, "2025-09-30") in mine and ("44", "全民健身活动", "Q2", 8000, "2025-06-30") in mine


# -- trend and the year's closing account ------------------------------------------------------------


def test_quarter_table_and_trend_chart(seeded, run):
    for value, q in ((7, "2025Q2"), (9, "2025Q3")):
        assert run("update", "21", "--value", value, "--quarter", q).exit_code == 0
    text = report(run, "--as-of", "2025Q3")
    table = text.split("## Quarter by quarter")[1].split("\n## ")[0]
    assert "| 21 | 新开通海运航线 | 10条以上 | 4条 (40.0%) | 7条 (70.0%) | 9条 (90.0%) |  |" in table
    page = report(run, "--format", "html", "--as-of", "2025Q3")
    listed = section(page, "listed")
    row = listed[listed.index('<tr><td class="id">21</td><td>新开通海运航线</td>') :].split("</tr>")[0]
    assert 'class="spark"' in row and "<polyline" in row and "stroke-dasharray" in row  # figures and the pace line
    points = re.search(r'<polyline points="([^"]+)" fill="none" stroke="#1f2328"', row).group(1)  # type: ignore[union-attr]
    assert len(points.split()) == 3  # Q1-Q3 ended by the as-of date


def test_year_end_is_the_closing_account(seeded, run):
    for args in (("21", "--value", "10", "--quarter", "2025Q3"),  # reached in Q3: done early
                 ("44", "--value", "2万场", "--quarter", "2025Q4"),  # reached in Q4: met
                 ("36", "--value", "800万", "--quarter", "2025Q4")):  # short of 1000万: missed  # fmt: skip
        r = run("update", *args)
        assert r.exit_code == 0, r.stderr
    obj = json.loads(report(run, "--format", "json", "--as-of", "2025-12-31"))
    outcomes = {(t["id"], t["metric"]): t["outcome"] for t in obj["year_end"]["targets"]}
    assert outcomes[("21", "新开通海运航线")] == "early"
    assert outcomes[("44", "全民健身活动")] == "met"
    assert outcomes[("36", "新增绿色建筑")] == "missed"
    assert outcomes[("6", "新获批省重点实验室")] == "never"
    assert sum(obj["year_end"]["outcomes"].values()) == len(outcomes)
    text = report(run, "--as-of", "2025-12-31")
    assert text.index("## The year in full") < text.index("## Behind the pace")
    assert "| 21 | 新开通海运航线10条以上。 | 新开通海运航线 | 10条以上 | 10条 | done early |" in text
    page = report(run, "--format", "html", "--as-of", "2025-12-31")
    assert page.index('<section id="closing">') < page.index('<section id="lagging">')
    assert "year_end" not in json.loads(report(run, "--format", "json", "--as-of", "2025-12-30"))
