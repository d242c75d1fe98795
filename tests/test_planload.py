"""The plan loader: report summary + listed items -> areas, sections, bullets, tasks, metrics.

The seed documents must give the bundled seed's tasks and targets (compared with
data/seed.sql loaded into an in-memory sqlite3); the 2026 documents in tests/docs,
written before the parser was tuned, must load too.
"""

import pathlib
import sqlite3

import pytest

from qdtrack.errors import BadInput
from qdtrack.migrations import SCHEMA_V1
from qdtrack.planload import link, parse_listed, parse_report
from qdtrack.planload_metrics import extract_targets

from .conftest import REPO, SEEDS

DOCS = pathlib.Path(__file__).parent / "docs"
REPORT = SEEDS / "000_977c2cac0d19ad45.txt"
LISTED = SEEDS / "002_46f98387e7e7970e.txt"
needs_seeds = pytest.mark.skipif(not REPORT.exists(), reason="../shared/seeds not present")


def metric_rows(metrics):
    return [(m.value, m.unit, m.comparator, m.kind) for m in metrics]


@pytest.fixture(scope="module")
def seed_db():
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA_V1)
    db.executescript((REPO / "data" / "seed.sql").read_text(encoding="utf-8"))
    yield db
    db.close()


@pytest.fixture(scope="module")
def seed_plan():
    plan = parse_report(REPORT.read_text(encoding="utf-8"), 2025)
    listed = parse_listed(LISTED.read_text(encoding="utf-8"))
    return plan, listed, link(plan, listed)


def task_key(bullet, listed_no):
    return bullet or f"listed {listed_no}"


@needs_seeds
def test_seed_report_structure(seed_plan, seed_db):
    plan, listed, _ = seed_plan
    assert len(plan.areas) == 10
    assert [len(a.sections) for a in plan.areas] == [2, 4, 4, 3, 3, 8, 3, 3, 3, 7]
    assert len(plan.bullets()) == 162
    assert len(listed) == 44 and [x.no for x in listed] == list(range(1, 45))
    assert plan.furniture == ("2025",)  # the page artifact inside area 5
    assert plan.published == "2025-02-09"
    seed_bullets = dict(seed_db.execute("SELECT bullet, text FROM tasks WHERE bullet IS NOT NULL"))
    assert {b.ref: b.text for b in plan.bullets()} == seed_bullets
    seed_sections = [r for r in seed_db.execute("SELECT area_no, no, title FROM sections ORDER BY id")]
    assert [(a.no, s.no, s.title) for a in plan.areas for s in a.sections] == seed_sections


@needs_seeds
def test_seed_links_are_the_seeds(seed_plan, seed_db):
    _, listed, linkage = seed_plan
    seed = {}
    for no, bullet, parent in seed_db.execute(
        "SELECT t.listed_no, t.bullet, p.bullet FROM tasks t LEFT JOIN tasks p ON p.id = t.parent_id "
        "WHERE t.listed_no IS NOT NULL"
    ):
        seed[no] = ("same", bullet) if bullet else ("part", parent) if parent else ("none", None)
    got = {lk.listed_no: (lk.relation, lk.bullet) for lk in linkage.links}
    assert got == seed
    seed_texts = dict(seed_db.execute("SELECT listed_no, listed_text FROM tasks WHERE listed_no IS NOT NULL"))
    assert {x.no: x.text for x in listed} == seed_texts


@needs_seeds
def test_seed_tasks_and_targets_match_metric_by_metric(seed_plan, seed_db):
    _, _, linkage = seed_plan
    seed = {}
    for tid, bullet, listed_no, covered in seed_db.execute("SELECT id, bullet, listed_no, covered_by_parts FROM tasks"):
        rows = seed_db.execute(
            "SELECT target, unit, comparator, kind FROM metrics WHERE task_id = ? ORDER BY pos", (tid,)
        ).fetchall()
        seed[task_key(bullet, listed_no)] = (rows, bool(covered))
    mine = {task_key(t.bullet, t.listed_no): (metric_rows(t.metrics), t.covered_by_parts) for t in linkage.tasks}
    assert set(mine) == set(seed)
    assert len(mine) == 171  # 162 bullets + 5 parts + 4 listed items without a bullet
    assert sum(len(m) for m, _ in mine.values()) == sum(len(m) for m, _ in seed.values()) == 80
    differ = {k for k in seed if sorted(seed[k][0]) != sorted(mine[k][0])}
    assert differ == set()
    # The only differences: the order of two bullets' metrics. The seed lists the
    # project count before the 总投资 named first in the text; the parser keeps text order.
    assert {k for k in seed if seed[k][0] != mine[k][0]} == {"5.2.1", "6.8.1"}
    # covered_by_parts: 8.3.3 and 10.3.4; 1.2.7 keeps its tunnels and roads
    assert {k for k, (_, c) in mine.items() if c} == {k for k, (_, c) in seed.items() if c} == {"8.3.3", "10.3.4"}


@needs_seeds
def test_seed_doubts_are_the_reworded_and_unlinked_items(seed_plan):
    plan, listed, linkage = seed_plan
    assert plan.doubts == ()
    assert all(not x.doubts for x in listed)
    where = sorted(d.where for d in linkage.doubts)
    assert where == sorted(f"listed {n}" for n in (5, 14, 27, 41, 1, 2, 20, 25))
    d20 = next(d for d in linkage.doubts if d.where == "listed 20")
    assert "between 5.2.1 and 5.3.2" in d20.reason


@needs_seeds
def test_seed_ignored_numbers(seed_plan):
    plan, _, _ = seed_plan
    ignored = {b.ref: b.ignored for b in plan.bullets() if b.ignored}
    assert set(ignored) == {"3.1.1", "3.2.1", "3.3.1"}
    assert "names the 2 things" in ignored["3.1.1"][0]


@needs_seeds
def test_seed_loaded_as_another_year_is_a_doubt():
    plan = parse_report(REPORT.read_text(encoding="utf-8"), 2026)
    assert len(plan.bullets()) == 162
    assert [d.where for d in plan.doubts] == ["front matter"]
    assert "names 2025, loaded as 2026" in plan.doubts[0].reason


# --- the 2026 documents --------------------------------------------------------------

EXPECTED_2026 = {
    "1.1.1": [(320, "个", "plain", "level"), (1200, "亿元", "at_least", "cumulative")],
    "1.1.2": [(860, "亿元", "plain", "total"), (45, "个", "plain", "level")],
    "1.1.3": [(150, "个", "plain", "cumulative")],
    "1.1.4": [],
    "1.1.5": [],
    "1.2.1": [(6, "%", "about", "rate")],
    "1.2.2": [(300, "场", "at_least", "cumulative")],
    "1.2.3": [],
    "2.1.1": [(7, "%", "plain", "rate")],
    "2.1.2": [(200, "家", "plain", "cumulative"), (300, "家", "at_least", "cumulative")],
    "2.1.3": [(13, "%", "reach", "level")],
    "2.1.4": [(400, "个", "plain", "level")],
    "2.2.1": [],
    "2.2.2": [(25, "家", "about", "cumulative")],
    "3.1.1": [],
    "3.1.2": [(-2.5, "%", "at_most", "rate")],
    "3.1.3": [],
    "3.2.1": [(5000000, "千瓦", "at_least", "level")],
    "3.2.2": [(12000, "亩", "at_most", "cumulative")],
    "4.1.1": [(120000, "人", "at_least", "cumulative"), (5.5, "%", "at_most", "level")],
    "4.1.2": [(3, "%", "at_most", "rate")],
    "4.2.1": [(15, "所", "plain", "cumulative"), (24000, "个", "plain", "cumulative")],
    "4.2.2": [(86, "个", "plain", "cumulative")],
    "4.2.3": [(2500, "套", "plain", "cumulative")],
    "4.2.4": [],
}


@pytest.fixture(scope="module")
def plan_2026():
    plan = parse_report((DOCS / "report_2026.txt").read_text(encoding="utf-8"), 2026)
    listed = parse_listed((DOCS / "listed_2026.txt").read_text(encoding="utf-8"))
    return plan, listed, link(plan, listed)


def test_2026_report_structure(plan_2026):
    plan, listed, _ = plan_2026
    assert [(a.no, a.title) for a in plan.areas] == [
        (1, "稳住经济增长基本盘"),
        (2, "推动产业转型升级"),
        (3, "守牢绿色生态底线"),
        (4, "增进民生福祉"),
    ]
    assert [s.title for s in plan.areas[0].sections] == ["扩大有效投资", "提振消费"]
    assert plan.furniture == ("3", "- 4 -", "潍海日报")  # a stray page number, a page footer, a repeated masthead
    assert plan.published == "2026-02-06"
    assert plan.title == "政府工作报告图解"
    assert len(listed) == 20


def test_2026_targets(plan_2026):
    plan, _, _ = plan_2026
    assert {b.ref: metric_rows(b.metrics) for b in plan.bullets()} == EXPECTED_2026


def test_2026_doubts_and_ignored(plan_2026):
    plan, _, _ = plan_2026
    doubts = {d.where: d.reason for d in plan.doubts}
    assert set(doubts) == {"3.1.1", "3.1.3", "4.2.4"}
    assert "微克/立方米" in doubts["3.1.1"] and "米" in doubts["3.1.3"] and "千家" in doubts["4.2.4"]
    ignored = {b.ref: b.ignored for b in plan.bullets() if b.ignored}
    assert set(ignored) == {"1.1.4"}  # 港口、机场、铁路3个枢纽


def test_2026_links_and_tasks(plan_2026):
    _, _, linkage = plan_2026
    got = {lk.listed_no: (lk.relation, lk.bullet) for lk in linkage.links}
    assert got == {
        1: ("none", None),
        2: ("same", "1.1.1"),
        3: ("same", "1.2.2"),  # reworded: the listed item drops 各类
        4: ("same", "1.2.1"),
        5: ("part", "2.1.2"),
        6: ("part", "2.1.2"),
        7: ("same", "2.1.3"),
        8: ("same", "2.1.4"),
        9: ("same", "1.1.3"),
        10: ("same", "3.1.2"),
        11: ("none", None),
        12: ("same", "3.2.1"),
        13: ("same", "3.2.2"),
        14: ("part", "4.1.1"),
        15: ("part", "4.1.1"),
        16: ("same", "4.1.2"),
        17: ("part", "4.2.1"),
        18: ("part", "4.2.1"),
        19: ("same", "4.2.2"),
        20: ("same", "4.2.3"),  # 2,500 in the report, 2500 in the list
    }
    tasks = {task_key(t.bullet, t.listed_no): t for t in linkage.tasks}
    assert tasks["2.1.2"].covered_by_parts and tasks["2.1.2"].metrics == ()
    assert metric_rows(tasks["listed 6"].metrics) == [(300, "家", "at_least", "cumulative")]
    assert tasks["listed 6"].parent == "2.1.2"
    assert metric_rows(tasks["listed 11"].metrics) == [(12, "个", "plain", "level")]
    assert tasks["listed 11"].area_no is None
    assert sorted(d.where for d in linkage.doubts) == ["listed 1", "listed 11", "listed 3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城镇调查失业率控制在5.5%以内", [(5.5, "%", "at_most", "level")]),
        ("居民消费价格涨幅不超过3%", [(3, "%", "at_most", "rate")]),
        ("能耗下降2.5%左右", [(-2.5, "%", "about", "rate")]),
        ("能耗下降2.5%以上", [(-2.5, "%", "at_most", "rate")]),
        ("能耗强度下降到0.5%", [(0.5, "%", "reach", "level")]),
        ("粮食播种面积稳定在120万亩", [(1200000, "亩", "reach", "level")]),
        ("森林覆盖率达到40%以上", [(40, "%", "at_least", "level")]),
        ("新增城镇就业１２万人以上", [(120000, "人", "at_least", "cumulative")]),  # full-width digits
        ("完成投资5000万元", [(0.5, "亿元", "plain", "cumulative")]),
        ("建成1,200个充电桩和3,400个车位", [(1200, "个", "plain", "cumulative"), (3400, "个", "plain", "cumulative")]),
        ("举办第10届海洋节", []),
        ("实施“十四五”规划2025年任务", []),
    ],
)
def test_targets(text, expected):
    assert metric_rows(extract_targets(text).metrics) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("新培育企业10余家", "approximate"),
        ("用水量不超过3亿立方米", "立方米"),
        ("排放不超过100个以上", "contradict"),
        ("低效建设用地减少1000亩", "reduction"),
    ],
)
def test_targets_in_doubt_are_not_guessed(text, why):
    t = extract_targets(text, "9.9.9")
    assert t.metrics == ()
    assert len(t.doubts) == 1 and why in t.doubts[0].reason and t.doubts[0].where == "9.9.9"


def test_two_metrics_with_the_same_words_get_distinct_names():
    t = extract_targets("新建学校10所,新建学校5所")
    assert [m.name for m in t.metrics] == ["新建学校", "新建学校(2)"]


def test_report_without_areas_is_bad_input():
    with pytest.raises(BadInput, match="no numbered areas"):
        parse_report("政府工作报告\n- 新建学校10所\n", 2026)


def test_bullet_before_any_section_gets_one_and_a_doubt():
    plan = parse_report("标题\n1 第一领域\n- 新建学校10所\n", 2026)
    assert len(plan.bullets()) == 1
    assert plan.doubts[0].where == "line 3"


def test_listed_without_header_is_bad_input():
    with pytest.raises(BadInput, match="序号"):
        parse_listed("台账\n1\n新建学校10所\n")


def test_listed_with_owner_column_and_no_progress():
    text = (
        "台账\n序号\n事项内容\n责任单位\n1\n新建学校10所。\n市教育局、市财政局\n2\n新增学位2万个。\n市教育局\n- 3 -\n"
    )
    listed = parse_listed(text)
    assert [(x.no, x.text, x.owners) for x in listed] == [
        (1, "新建学校10所。", ("市教育局", "市财政局")),
        (2, "新增学位2万个。", ("市教育局",)),
    ]
    assert metric_rows(listed[1].metrics) == [(20000, "个", "plain", "cumulative")]


def test_listed_row_missing_a_column_is_bad_input():
    with pytest.raises(BadInput, match="row 2"):
        parse_listed("台账\n序号\n事项内容\n进展情况\n1\n新建学校10所。\n已建成2所。\n2\n")
