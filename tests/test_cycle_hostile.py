"""Hostile and misused documents for ``plan load`` and ``ingest`` beyond the catalogue
(tests/catalogue_cycle.py): what must still work (GB18030, a repeated area heading), .docx cases
that need python-docx, and python-docx missing. Every refusal: one line, its exit code, the
ledger unchanged."""

from __future__ import annotations

import datetime
import io
import pathlib
import sys
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .conftest import dump

DOCS = pathlib.Path(__file__).parent / "docs"
REPORT = (DOCS / "report_2026.txt").read_text(encoding="utf-8")
LISTED = (DOCS / "listed_2026.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def late_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def refused(r, code: int = 2) -> str:
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(("Error: ", "错误：")), r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    return lines[0]


def load(run, report: pathlib.Path, listed: pathlib.Path | None = None, year: int = 2026, *more: str):
    return run("plan", "load", report, *(["--listed", listed] if listed else []), "--year", year, *more)


def test_gb18030_documents_load_like_utf8(run, seeded, tmp_path):
    (tmp_path / "r.txt").write_bytes(REPORT.encode("gb18030"))
    (tmp_path / "l.txt").write_bytes(LISTED.encode("gb18030"))
    gb = load(run, tmp_path / "r.txt", tmp_path / "l.txt", 2026, "--dry-run")
    utf = load(run, DOCS / "report_2026.txt", DOCS / "listed_2026.txt", 2026, "--dry-run")
    assert gb.exit_code == utf.exit_code == 0, gb.stderr
    assert gb.stdout == utf.stdout


def test_utf8_with_bom_and_crlf_loads(run, seeded, tmp_path):
    (tmp_path / "r.txt").write_bytes(b"\xef\xbb\xbf" + REPORT.replace("\n", "\r\n").encode())
    r = load(run, tmp_path / "r.txt", None, 2026, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == load(run, DOCS / "report_2026.txt", None, 2026, "--dry-run").stdout


def test_an_area_heading_repeated_on_a_later_page_is_set_aside(run, seeded, tmp_path):
    lines = REPORT.splitlines()
    heading = next(ln for ln in lines if ln.startswith("1 "))
    at = lines.index(next(ln for ln in lines if ln.startswith("2 ")))
    (tmp_path / "r.txt").write_text("\n".join(lines[:at] + ["- 3 -", heading] + lines[at:]) + "\n", encoding="utf-8")
    r = load(run, tmp_path / "r.txt", None, 2026, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == load(run, DOCS / "report_2026.txt", None, 2026, "--dry-run").stdout


def test_a_date_with_spaces_in_the_front_matter_is_no_area(run, seeded, tmp_path):
    (tmp_path / "r.txt").write_text("2 月 9 日 星期日\n" + REPORT, encoding="utf-8")
    assert load(run, tmp_path / "r.txt", None, 2026, "--dry-run").exit_code == 0


def test_an_impossible_published_date_is_not_stored(run, seeded, tmp_path):
    (tmp_path / "r.txt").write_text("2026年13月45日\n" + REPORT, encoding="utf-8")
    r = load(run, tmp_path / "r.txt", DOCS / "listed_2026.txt", 2026)
    assert r.exit_code == 0, r.stderr
    assert run("check").stdout.strip() == "ok"


def test_replace_refused_after_ingest_keeps_no_backup(run, seeded, tmp_path):
    assert load(run, DOCS / "report_2026.txt", DOCS / "listed_2026.txt").exit_code == 0
    assert run("ingest", DOCS / "listed_2026.txt", "--quarter", "2026Q1", "--yes").exit_code == 0
    before = dump(seeded)
    line = refused(load(run, DOCS / "report_2026.txt", DOCS / "listed_2026.txt", 2026, "--replace"))
    assert "history is append-only" in line
    assert dump(seeded) == before
    assert not list(seeded.parent.glob("*.bak"))


def test_a_long_progress_text_full_of_figures_takes_linear_time():
    """Once quadratic (a 384,000-character text took 300 s); now a few seconds."""
    import time

    from qdtrack.ingest_figures import MetricSpec, extract_figures

    text = "一季度新增就业100人，其中市南区新开工5个项目《关于2025年的通知》，" * 8_000
    metrics = [MetricSpec("1", "新增就业", "人", 10000, "cumulative", "新增就业1万人", "新增就业1万人"),
               MetricSpec("2", "新开工项目", "个", 10, "cumulative", "新开工项目10个", "新开工项目10个")]  # fmt: skip
    start = time.perf_counter()
    found = extract_figures(text, metrics)
    assert time.perf_counter() - start < 20
    # the first 100人 is the only one not after 其中 in its sentence; every 5个 is one district's
    assert [(f.metric.key, f.value) for f in found if f.confidence == "sure"] == [("1", 100.0)]
    assert len(found) == 16_000


def test_a_crafted_pair_of_documents_links_in_bounded_time(run, seeded, tmp_path):
    import time

    (tmp_path / "r.txt").write_text(REPORT + "".join(f"- 抓好重点项目建设抓好重点项目建设{i}\n" for i in range(800)))
    (tmp_path / "l.txt").write_text("序号\n事项内容\n" + "".join(f"{i}\n抓好重点项目建设抓好重点工程建设\n" for i in range(1, 40)))
    start = time.perf_counter()
    r = run("plan", "load", tmp_path / "r.txt", "--listed", tmp_path / "l.txt", "--year", 2027, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert time.perf_counter() - start < 30  # 800 × 39 pairs of near-equal texts: about 4 s


OSC52 = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b"  # a clipboard write, a screen clear, a C1 CSI


def controls(text: str) -> list[str]:
    import unicodedata

    return [c for c in text if c != "\n" and unicodedata.category(c) == "Cc"]


def test_control_characters_in_the_documents_never_reach_the_terminal(run, seeded, tmp_path):
    (tmp_path / "r.txt").write_text(REPORT.replace("- 抓好320个", f"- {OSC52}抓好320个", 1), encoding="utf-8")
    (tmp_path / "l.txt").write_text(LISTED.replace("一季度，全市实现", f"{OSC52}一季度，全市实现", 1)
                                    .replace("全市生产总值增长6%左右。", f"全市生产总值{OSC52}增长6%左右。", 1))  # fmt: skip
    r = run("plan", "load", tmp_path / "r.txt", "--listed", tmp_path / "l.txt", "--year", 2026, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "抓好320个" in r.stdout and controls(r.stdout) == []
    assert run("plan", "load", tmp_path / "r.txt", "--listed", tmp_path / "l.txt", "--year", 2026).exit_code == 0
    r = run("ingest", tmp_path / "l.txt", "--quarter", "2026Q1", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "6.2%" in r.stdout and controls(r.stdout + r.stderr) == []


# --- .docx -----------------------------------------------------------------------------------


@pytest.fixture
def loaded(run, seeded):
    assert load(run, DOCS / "report_2026.txt", DOCS / "listed_2026.txt").exit_code == 0
    return seeded


def _docx_bytes(tables: list[list[list[str]]], heading: str = "2026年一季度台账") -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(heading)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewrite(data: bytes, part: str, change) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            z.writestr(info.filename, change(body) if info.filename == part else body)
    return out.getvalue()


HEADER = ["序号", "事项内容", "进展情况"]
ROW1 = ["1", "全市生产总值增长6%左右。", "一季度，全市实现地区生产总值1023.5亿元，同比增长6.2%。"]


def _ingest_refused(run, ledger, path: pathlib.Path, code: int = 2) -> str:
    before = dump(ledger)
    line = refused(run("ingest", path, "--quarter", "2026Q1", "--yes"), code)
    assert dump(ledger) == before
    return line


def test_docx_without_a_table(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([]))
    assert "has no table with 序号, 事项内容 and 进展情况" in _ingest_refused(run, loaded, path)


def test_docx_whose_table_has_other_headers(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([[["名称", "内容"], ["a", "b"]]]))
    assert "has no table with" in _ingest_refused(run, loaded, path)


def test_docx_header_only(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([[HEADER]]))
    assert "no rows under its header" in _ingest_refused(run, loaded, path)


def test_docx_with_a_row_not_in_the_plan(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([[HEADER, ROW1, ["99", "抓好项目", "已开工"]]]))
    assert "no listed item 99" in _ingest_refused(run, loaded, path)


def test_a_real_docx_with_a_dtd_added_is_refused(run, loaded, tmp_path):
    data = _docx_bytes([[HEADER, ROW1]])
    dtd = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = tmp_path / "t.docx"
    path.write_bytes(_rewrite(data, "word/document.xml", lambda body: body.replace(b"?>", b"?>" + dtd, 1)))
    assert "declares a DTD" in _ingest_refused(run, loaded, path)


def test_a_dtd_in_a_part_not_named_xml_is_refused(run, loaded, tmp_path):
    data = _docx_bytes([[HEADER, ROW1]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        z.writestr("word/custom.bin", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    path = tmp_path / "t.docx"
    path.write_bytes(out.getvalue())
    assert "declares a DTD" in _ingest_refused(run, loaded, path)


def test_a_docx_with_damaged_xml(run, loaded, tmp_path):
    data = _docx_bytes([[HEADER, ROW1]])
    path = tmp_path / "t.docx"
    path.write_bytes(_rewrite(data, "word/document.xml", lambda body: body[: len(body) // 2]))
    assert "is not a readable .docx document" in _ingest_refused(run, loaded, path)


def test_a_docx_without_its_document_part(run, loaded, tmp_path):
    data = _docx_bytes([[HEADER, ROW1]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info))
    path = tmp_path / "t.docx"
    path.write_bytes(out.getvalue())
    assert "is not a readable .docx document" in _ingest_refused(run, loaded, path)


def test_a_good_docx_still_records(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([[HEADER, ROW1]]))
    r = run("ingest", path, "--quarter", "2026Q1", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "recorded 1 notes" in r.stdout


def test_without_python_docx_a_good_docx_is_one_line_exit_1(run, loaded, tmp_path, monkeypatch):
    data = _docx_bytes([[HEADER, ROW1]])
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    assert "needs python-docx" in _ingest_refused(run, loaded, path, code=1)


def test_without_python_docx_a_hostile_docx_is_still_bad_input(run, loaded, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "docx", None)
    path = tmp_path / "t.docx"
    path.write_bytes(b"not a zip at all")
    assert "is not a readable .docx document" in _ingest_refused(run, loaded, path)


# --- what a person reads, in Chinese ------------------------------------------------------------

ZH = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LANGUAGE": None}


def english(text: str) -> list[str]:
    """English words left in ``text`` once paths, PM2.5 and quarters are set aside."""
    import re

    text = re.sub(r"\S*/\S*|PM2\.5|\d{4}Q\d|qdtrack|--[a-z-]+", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def test_plan_load_dry_run_and_review_read_as_chinese(run, seeded):
    r = run("plan", "load", DOCS / "report_2026.txt", "--listed", DOCS / "listed_2026.txt", "--year", 2026,
            "--dry-run", env=ZH)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "待核实" in r.stdout and english(r.stdout) == []


def test_ingest_review_reads_as_chinese(run, loaded):
    r = run("ingest", DOCS / "listed_2026.txt", "--quarter", "2026Q1", "--dry-run", env=ZH)
    assert r.exit_code == 0, r.stderr
    assert english(r.stdout) == [], r.stdout


@pytest.mark.parametrize(
    ("text", "year"),
    [
        (REPORT.replace("\n3 ", "\n4 ", 1), 2027),  # an area missing
        (LISTED, 2027),  # no numbered areas: the listed items given as the report
    ],
)
def test_refusals_read_as_chinese(run, seeded, tmp_path, text, year):
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    r = run("plan", "load", tmp_path / "r.txt", "--year", year, env=ZH)
    line = refused(r)
    assert line.startswith("错误：") and english(line) == [], line


def test_a_docx_titled_for_another_quarter_is_refused(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([[HEADER, ROW1]], heading="2026年二季度进展情况台账"))
    assert "title names quarter 2" in _ingest_refused(run, loaded, path)


def test_a_title_naming_no_quarter_or_another_year_is_no_refusal(run, loaded, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_bytes([[HEADER, ROW1]], heading="2025年挂牌事项进展情况"))
    r = run("ingest", path, "--quarter", "2026Q1", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "note: the 台账's title names 2025 (2025年挂牌事项进展情况); its figures are recorded for 2026Q1" in r.stdout


@pytest.mark.parametrize(
    ("title", "quarter"),
    [("2026年市政府工作报告公开挂牌事项1季度进展情况台账", 1), ("一季度", 1), ("第二季度", 2), ("上半年", 2), ("1—6月", 2),
     ("前三季度", 3), ("1-12月", 4), ("２季度", 2), ("2026年台账", None), ("一季度和二季度", None), ("12季度", None)],
)  # fmt: skip
def test_title_quarter(title, quarter):
    from qdtrack.ingest_title import title_quarter

    assert title_quarter(title) == quarter


# --- a later quarter's 台账 that states one quarter's own figure ----------------------------------

ROUTES = [("1", "新开通海运航线", "条", 10.0, "cumulative", "10条以上", "新开通海运航线10条以上")]


@pytest.mark.parametrize(
    ("quarter", "text", "sure"),
    [
        (2, "二季度新开通海运航线5条。", None),  # the quarter alone
        (2, "本季度新开通海运航线5条。", None),
        (2, "一季度新开通海运航线4条。", None),  # last quarter's figure again
        (3, "上半年新开通海运航线9条。", None),  # an earlier span
        (2, "1-3月新开通海运航线4条。", None),
        (2, "上半年累计新开通海运航线9条，其中二季度新开通5条。", 9.0),
        (2, "截至二季度末，新开通海运航线9条。", 9.0),
        (2, "1-6月新开通海运航线9条。", 9.0),
        (3, "前三季度新开通海运航线12条。", 12.0),
        (2, "新开通海运航线9条，计划三季度开通2条。", 9.0),  # a later quarter named is a plan
        (1, "一季度新开通海运航线4条，二季度计划开通3条。", 4.0),
    ],
)
def test_a_figure_for_another_period_is_unsure(quarter, text, sure):
    from qdtrack.ingest_figures import MetricSpec, extract_figures

    found = extract_figures(text, [MetricSpec(*ROUTES[0])], quarter)
    assert [f.value for f in found if f.confidence == "sure"] == ([sure] if sure else [])


def test_a_second_quarter_ledger_stating_the_quarter_alone_records_no_figure(run, loaded, tmp_path):
    text = LISTED.replace("1季度进展情况台账", "2季度进展情况台账").replace(
        "一季度新培育专精特新中小企业38家，其中莱山区12家。", "二季度新培育专精特新中小企业45家。")  # fmt: skip
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    r = run("ingest", tmp_path / "t.txt", "--quarter", "2026Q2", "--dry-run")
    assert r.exit_code == 0, r.stderr
    row5 = [ln for ln in r.stdout.splitlines() if ln.startswith("5 ")]
    assert len(row5) == 1 and "unsure" in row5[0] and "another period (二季度)" in row5[0]


def test_zero_width_characters_and_a_joined_files_bom_do_not_make_a_mismatch(run, loaded, tmp_path):
    text = LISTED.replace("全市生产总值增长6%左右。", "全市生产\u200b总值增长6%左右。", 1).replace("\n\t2\n", "\n\ufeff2\n", 1)
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    r = run("ingest", tmp_path / "t.txt", "--quarter", "2026Q1", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "20 notes and 17 figures to record" in r.stdout
