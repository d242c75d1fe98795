"""qdtrack report: every format, --output safety, lagging exit code, changes since the last run."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import threading
import time

import pytest

from qdtrack import report as rpt

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def ledger(seeded, run):
    """The seed plus two second-quarter updates (as-of defaults to 2025-06-30)."""
    r = run("update", "21", "--value", "7", "--quarter", "2025Q2", "--note", SCRIPT)
    assert r.exit_code == 0, r.stderr
    r = run("update", "36", "--value", "500万", "--quarter", "2025Q2", "--note", FORMULA)
    assert r.exit_code == 0, r.stderr
    return seeded


def html_texts(page: str) -> list[str]:
    """The text nodes of a page, entities decoded (what a browser shows)."""
    from html.parser import HTMLParser

    texts: list[str] = []

    class Texts(HTMLParser):
        def handle_data(self, data: str) -> None:
            texts.append(data.strip())

    Texts(convert_charrefs=True).feed(page)
    return texts


def report_file(run, tmp_path, ext, *extra):
    out = tmp_path / "out" / "nested" / f"{{date}}.{ext}"
    r = run("report", "--output", out, *extra)
    return r, tmp_path / "out" / "nested" / f"2025-06-30.{ext}"


def test_markdown_is_the_default_and_goes_to_stdout(ledger, run):
    r = run("report")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    out = r.stdout
    assert out.startswith("# 2025")
    assert "as of 2025-06-30" in out
    for heading in ("## Summary", "## Progress by area", "## Behind the pace", "## Listed items with no update"):
        assert heading in out
    assert "### 9 " in out and "### 10 " in out
    assert "&lt;script>" in out  # md_escape
    assert "| 21 |" in out


def test_report_in_chinese(ledger, run):
    r = run("report", "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    assert "截至2025年6月30日" in r.stdout  # dates in Chinese sentences (issue 10)
    assert "| 欠进度 |" in r.stdout and "达进度 1" in r.stdout  # the new status words
    assert "完成率%/百分点" in r.stdout


@pytest.mark.parametrize("ext", ["md", "html", "json", "csv", "xlsx"])
def test_every_format_to_a_file(ledger, run, tmp_path, ext):
    r, path = report_file(run, tmp_path, ext)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr == ""
    assert path.is_file() and path.stat().st_size > 0
    # no temp file left behind; the lock file stays (removing it could let two runs lock different files)
    assert sorted(os.listdir(path.parent)) == [path.name, path.name + ".lock"]


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "csv", "xlsx"])
def test_format_option_wins_over_extension(ledger, run, tmp_path, fmt):
    path = tmp_path / "r.out"
    r = run("report", "--format", fmt, "--output", path)
    assert r.exit_code == 0, r.stderr
    data = path.read_bytes()
    if fmt == "xlsx":
        assert data[:2] == b"PK"
    elif fmt == "html":
        assert data.startswith(b"<!DOCTYPE html>")
    elif fmt == "json":
        assert json.loads(data)["as_of"] == "2025-06-30"
    elif fmt == "markdown":
        assert data.startswith(b"# ") and b"| 21 |" in data
    else:  # csv, with the BOM spreadsheets want
        assert data.startswith(b"\xef\xbb\xbfID,Area,Task,")


def test_date_is_the_as_of_date(ledger, run, tmp_path):
    r = run("report", "--as-of", "2025Q1", "--output", tmp_path / "r-{date}.md")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "r-2025-03-31.md").is_file()


def test_html_is_self_contained_and_escaped(ledger, run, tmp_path):
    r, path = report_file(run, tmp_path, "html")
    assert r.exit_code == 0, r.stderr
    page = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    # the formula note's quotes are escaped (&quot; and &#34; are the same character reference) ...
    quoted = re.findall(r"(?:&quot;|&#34;)http://x(?:&quot;|&#34;)", page)
    assert quoted
    assert page.count("http://") == len(quoted)  # ... and it is the only link text on the page
    assert "https://" not in page
    for ref in ("src=", "href=", "@import", "<link", "<img", "<iframe"):
        assert ref not in page.lower()
    assert not re.search(r"url\((?!#p-)", page)  # only the page's own status patterns (url(#p-lagging))
    assert "<svg" in page and "@media print" in page
    assert "新开通海运航线" in page
    # both notes come back as the exact text, never as markup
    texts = html_texts(page)
    assert SCRIPT in texts and FORMULA in texts


def test_html_has_a_bar_per_metric_with_the_pace_mark(ledger, run, tmp_path):
    r, path = report_file(run, tmp_path, "html")
    page = path.read_text(encoding="utf-8")
    # item 21: 7 of 10 -> 70% filled of a 120px bar, pace 50% -> mark at 60px
    assert 'width="84.0"' in page
    assert "<title>70.0% / pace 50.0%</title>" in page


def test_json_report_has_the_status_contract_and_sections(ledger, run, tmp_path):
    r, path = report_file(run, tmp_path, "json")
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert obj["year"] == 2025 and obj["as_of"] == "2025-06-30"
    for key in ("items", "counts", "lagging", "stale", "changes_since_last_report", "generated_at", "areas"):
        assert key in obj
    item = next(i for i in obj["items"] if i["id"] == "21")
    assert set(item) >= {"id", "area", "title", "listed", "status", "metrics", "milestones", "note"}
    assert item["metrics"][0]["actual"] == 7
    assert item["milestones"] == []
    assert item["note"] == {"text": SCRIPT, "quarter": "2025Q2", "as_of": "2025-06-30"}
    assert sum(obj["counts"].values()) == len(obj["items"])
    assert any(i["id"] == "3" for i in obj["lagging"])
    assert obj["notes"]["21"]["note"] == SCRIPT
    # bullets tracked through their listed parts are not listed themselves
    bullets = {i["id"] for i in obj["items"]}
    assert len(bullets) == len(obj["items"])


def test_json_to_stdout_matches_the_file(ledger, run, tmp_path):
    out = run("report", "--format", "json")
    assert out.exit_code == 0, out.stderr
    path = tmp_path / "r.json"
    r = run("report", "--format", "json", "--output", path)
    assert r.exit_code == 0, r.stderr
    to_stdout, to_file = json.loads(out.stdout), json.loads(path.read_text(encoding="utf-8"))
    assert to_stdout.pop("generated_at") and to_file.pop("generated_at")  # the clock moves on
    assert any(i["id"] == "21" and i["metrics"][0]["actual"] == 7 for i in to_stdout["items"])
    assert to_stdout == to_file


def formula_title(ledger) -> None:
    """Item 21's title becomes a formula: a cell that really starts with "=" (notes now start
    with their quarter, "[2025Q2] ...")."""
    conn = sqlite3.connect(str(ledger))
    with conn:
        conn.execute("UPDATE tasks SET listed_text = ? WHERE year = 2025 AND listed_no = 21", (FORMULA,))
    conn.close()


def test_csv_neutralises_formulas(ledger, run, tmp_path):
    formula_title(ledger)
    r, path = report_file(run, tmp_path, "csv")
    assert r.exit_code == 0, r.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + FORMULA in cells  # the title
    assert "[2025Q2] " + FORMULA in cells  # the note, with its quarter, as plain text
    assert {"0.4", "-2.2"} <= set(cells)  # a rate's points are numbers, negative ones too
    text = [c for c in cells if c and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
    assert not any(c[:1] in ("=", "+", "-", "@") for c in text)  # the guard applies to text cells
    head = rows[0]
    assert head[-1] == "As of" and {row[-1] for row in rows[1:]} == {"2025-06-30"}
    item21 = next(row for row in rows if row[0] == "21")
    assert item21[head.index("YTD")] == "7" and item21[head.index("Unit")] == "条"


def test_xlsx_layout(ledger, run, tmp_path):
    from openpyxl import load_workbook

    formula_title(ledger)
    r, path = report_file(run, tmp_path, "xlsx")
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(path)
    summary = wb.worksheets[0]
    assert summary.freeze_panes == "A2"
    assert len(wb.worksheets) == 13  # summary + 11 areas + 分季度
    assert wb.worksheets[-1].title == "分季度"
    rows = list(summary.iter_rows(values_only=True))
    head = next(i for i, row in enumerate(rows) if row[0] == "序号")
    assert list(rows[0]) == ["领域", "名称", "事项数", "已完成", "超进度", "达进度", "欠进度", "未评估", "未填报", None]
    assert list(rows[head]) == [
        "序号",
        "事项内容",
        "目标",
        "目标值",
        "累计完成",
        "单位",
        "完成率%/百分点",
        "时序进度%",
        "状态",
        "进展情况",
    ]
    one = next(row for row in rows[head + 1 :] if row[0] == "1")  # IDs are text
    assert one[3:9] == (5.5, 5.9, "%", 0.4, None, "达进度")  # a rate: points against its target, no pace
    assert one[9].startswith("[2025Q1] ")
    numbers = {row[0] for row in rows[head + 1 :] if row[0]}
    assert numbers == {str(n) for n in range(1, 45)}
    for ws in wb.worksheets[1:-1]:
        assert ws.freeze_panes == "A2"
        assert ws.cell(1, 1).value == "序号"
        assert ws.column_dimensions["B"].width >= 30
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert len(cells) == 3 and all(c.data_type == "s" for c in cells)  # item 21's title: summary, its area, 分季度
    notes = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "[2025Q2] " + FORMULA]
    assert len(notes) == 2 and all(c.data_type == "s" for c in notes)  # item 36's note: summary + its area
    # status cells are coloured
    lag = next(c for row in summary.iter_rows() for c in row if c.value == "欠进度" and c.row > head + 1)
    assert lag.fill.fgColor.rgb.endswith("FFC7CE")
    points = summary.cell(lag.row, 7)
    assert points.value == -2.2 and points.number_format.startswith("+")  # item 2 shows -2.2


def test_xlsx_needs_output(ledger, run):
    r = run("report", "--format", "xlsx")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.strip() == "Error: xlsx is binary; give --output PATH.xlsx"


def test_fail_on_lagging_exits_4_and_still_writes(ledger, run, tmp_path):
    r, path = report_file(run, tmp_path, "html", "--fail-on-lagging")
    assert r.exit_code == 4
    assert r.stdout == ""
    assert path.is_file()
    r = run("report", "--output", tmp_path / "b.md")
    assert r.exit_code == 0


def test_fail_on_lagging_on_stdout(seeded, run):
    r = run("report", "--fail-on-lagging")
    assert r.exit_code == 4
    assert r.stdout.startswith("# 2025")


def test_changes_since_the_last_report(ledger, run, tmp_path):
    """Runs are remembered per --output (a nightly report's changes are not reset by a one-off one)."""
    path = tmp_path / "nightly.json"

    def report(*extra):
        r = run("report", "--output", path, *extra)
        assert r.exit_code == 0, r.stderr
        return path.read_text(encoding="utf-8")

    first = json.loads(report())
    assert first["changes_since_last_report"]["previous_report_at"] is None
    assert first["changes_since_last_report"]["updates"] == []

    r = run("update", "44", "--value", "9000场", "--quarter", "2025Q2", "--note", "二季度举办赛事")
    assert r.exit_code == 0, r.stderr
    r = run("report")  # to stdout: not a recorded run; compares with the latest run of any output
    assert "二季度举办赛事" in r.stdout.split("## Changes since the last report")[1]
    other = run("report", "--output", tmp_path / "one-off.json")
    assert other.exit_code == 0, other.stderr
    one_off = json.loads((tmp_path / "one-off.json").read_text(encoding="utf-8"))
    assert one_off["changes_since_last_report"]["previous_report_at"] is None  # its own first run

    second = json.loads(report())
    changes = second["changes_since_last_report"]
    assert changes["previous_report_at"] == first["generated_at"]
    assert [(u["id"], u["value"], u["note"]) for u in changes["updates"]] == [("44", 9000, "二季度举办赛事")]

    text = report("--format", "markdown")
    assert "No updates recorded since the report" in text


def test_failed_write_leaves_the_old_report_and_no_temp_file(ledger, run, tmp_path, monkeypatch):
    path = tmp_path / "reports" / "latest.html"
    r = run("report", "--output", path)
    assert r.exit_code == 0
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    r = run("update", "21", "--value", "8", "--quarter", "2025Q2")
    r = run("report", "--output", path)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert ("No space left on device" in r.stderr or "disk is full" in r.stderr) and len(r.stderr.strip().splitlines()) == 1
    assert sorted(os.listdir(path.parent)) == ["latest.html", "latest.html.lock"]
    assert path.read_bytes() == before


def test_crash_mid_write_leaves_no_temp_file(tmp_path, monkeypatch):
    def boom(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(KeyboardInterrupt):
        rpt.write_atomic(tmp_path / "r.md", b"x")
    assert os.listdir(tmp_path) == []


def test_a_failed_report_is_not_recorded_as_a_run(ledger, run, tmp_path, monkeypatch):
    with monkeypatch.context() as m:  # undo only this patch, not the fixture's QDTRACK_DB
        m.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(13, "Permission denied")))
        r = run("report", "--output", tmp_path / "x.json")
        assert r.exit_code == 1
    r = run("report", "--format", "json")
    assert json.loads(r.stdout)["changes_since_last_report"]["previous_report_at"] is None


def test_output_is_a_folder(ledger, run, tmp_path):
    r = run("report", "--output", tmp_path)
    assert r.exit_code == 2
    assert "is a folder" in r.stderr


def test_output_folder_cannot_be_made(ledger, run, tmp_path):
    (tmp_path / "file").write_text("x")
    r = run("report", "--output", tmp_path / "file" / "r.md")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot create the folder")


def test_bad_as_of(ledger, run):
    r = run("report", "--as-of", "2024Q4")
    assert r.exit_code == 2
    assert r.stdout == ""


def test_second_writer_waits_for_the_lock(tmp_path):
    path = tmp_path / "r.md"
    done = []

    def second():
        with rpt.output_lock(path):
            rpt.write_atomic(path, b"second")
            done.append(time.monotonic())

    with rpt.output_lock(path):
        assert (tmp_path / "r.md.lock").exists()
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        assert not done  # still waiting
        rpt.write_atomic(path, b"first")
    t.join(10)
    assert done
    assert path.read_bytes() == b"second"
    assert sorted(os.listdir(tmp_path)) == ["r.md", "r.md.lock"]


def test_expand_output():
    import datetime

    p = rpt.expand_output("a/{date}/b-{date}.html", datetime.date(2025, 6, 30))
    assert str(p) == "a/2025-06-30/b-2025-06-30.html"
    assert rpt.guess_format("x.HTML") == "html"


def test_bar_labels_round_half_up():
    from qdtrack.report.html import progress_bar

    assert progress_bar(56.25, 12.25, "ahead").title == "56.3% / pace 12.3%"  # not 56.2 (round half to even)


def test_zh_markdown_lists_empty_tasks_as_chinese_does(ledger, run):
    md = run("report", "--lang", "zh").stdout
    lines = [line for line in md.splitlines() if "没有数量目标且尚未填报的任务" in line]
    assert lines and all("： " not in line and ", " not in line for line in lines), lines[:2]
    assert "项没有数量目标且尚未填报的任务：1.1.1、1.1.2" in md
    en = run("report").stdout
    assert "tasks with no numeric target and no entry yet: 1.1.1, 1.1.2" in en
