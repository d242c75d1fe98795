"""The 台账 ingester: rows from text or tables, and year-to-date figures from 进展情况.

Acceptance: on the seed's 002 ledger with the seed's metrics, at least 20 of the
23 first-quarter figures in data/seed.sql come out "sure" with the right value,
and no figure is sure and wrong (a sure figure where the seed has none is wrong).
"""

import pathlib
import sqlite3

import pytest

from qdtrack.errors import BadInput
from qdtrack.ingest import LedgerRow, MetricSpec, extract_figures, read_ledger_text, rows_from_table
from qdtrack.migrations import SCHEMA_V1
from qdtrack.planload import link, parse_listed, parse_report

from .conftest import REPO, SEEDS

DOCS = pathlib.Path(__file__).parent / "docs"
LISTED = SEEDS / "002_46f98387e7e7970e.txt"
needs_seeds = pytest.mark.skipif(not LISTED.exists(), reason="../shared/seeds not present")

# The seed's Q1 figures the ingester leaves for a person, and why.
LEFT_FOR_REVIEW = {
    25: "the text names the 7 plans and says one was issued; it states no count",
    31: "the only figure is one district's (其中西海岸新区已有1个村庄)",
}


def sure(cands):
    return {c.metric.key: c.value for c in cands if c.confidence == "sure"}


@pytest.fixture(scope="module")
def seed_db():
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA_V1)
    db.executescript((REPO / "data" / "seed.sql").read_text(encoding="utf-8"))
    yield db
    db.close()


@needs_seeds
def test_read_ledger_text_of_the_seed(seed_db):
    rows = read_ledger_text(LISTED.read_text(encoding="utf-8"))
    assert [r.no for r in rows] == list(range(1, 45))
    notes = dict(
        seed_db.execute(
            "SELECT t.listed_no, u.note FROM updates u JOIN tasks t ON t.id = u.task_id WHERE u.note IS NOT NULL"
        )
    )
    texts = dict(seed_db.execute("SELECT listed_no, listed_text FROM tasks WHERE listed_no IS NOT NULL"))
    assert {r.no: r.progress for r in rows} == notes  # multi-line progress (items 20, 30) joined as in the seed
    assert {r.no: r.content for r in rows} == texts


@needs_seeds
def test_seed_q1_figures(seed_db):
    rows = read_ledger_text(LISTED.read_text(encoding="utf-8"))
    right, wrong, missed = 0, [], {}
    for r in rows:
        tid, text = seed_db.execute(
            "SELECT id, coalesce(listed_text, text) FROM tasks WHERE listed_no = ?", (r.no,)
        ).fetchone()
        specs = [
            MetricSpec(str(mid), name, unit, target, kind, tt, text)
            for mid, name, unit, target, kind, tt in seed_db.execute(
                "SELECT id, name, unit, target, kind, target_text FROM metrics WHERE task_id = ? ORDER BY pos", (tid,)
            )
        ]
        truth = {
            str(m): v
            for m, v in seed_db.execute(
                "SELECT metric_id, value FROM updates WHERE task_id = ? AND metric_id IS NOT NULL", (tid,)
            )
        }
        cands = extract_figures(r.progress, specs)
        for key in {c.metric.key for c in cands}:
            assert sum(1 for c in cands if c.metric.key == key and c.confidence == "sure") <= 1
        got = sure(cands)
        for key, value in got.items():
            if truth.get(key) == pytest.approx(value):
                right += 1
            else:
                wrong.append((r.no, key, value, truth.get(key)))
        for key in truth.keys() - got.keys():
            missed[r.no] = key
    assert len([1 for _ in seed_db.execute("SELECT 1 FROM updates WHERE metric_id IS NOT NULL")]) == 23
    assert wrong == []
    assert right == 21
    assert set(missed) == set(LEFT_FOR_REVIEW)


def seed_figures(no, progress, specs):
    return extract_figures(progress, specs)


def spec(key, name, unit, target, kind="cumulative", target_text="", task_text=""):
    return MetricSpec(key, name, unit, target, kind, target_text, task_text)


def test_one_count_in_one_phrase():
    m = spec("a", "新开通海运航线", "条", 10, target_text="10条以上", task_text="新开通海运航线10条以上。")
    (c,) = extract_figures("一季度，我市新开通海运航线4条。", [m])
    assert (c.value, c.confidence, c.phrase) == (4, "sure", "我市新开通海运航线4条")


def test_two_metrics_in_one_text_and_a_restated_target():
    task = "抓好460个省市重点项目建设，完成投资2450亿元以上。"
    ms = [
        spec("n", "省市重点项目建设", "个", 460, "level", "460个", task),
        spec("i", "完成投资", "亿元", 2450, "cumulative", "2450亿元以上", task),
    ]
    cands = extract_figures("一季度460个省市重点项目已开工在建405个，开工在建率88.0%，完成投资479.9亿元。", ms)
    assert sure(cands) == {"n": 405, "i": 479.9}
    assert all(c.confidence == "sure" for c in cands)  # 460个 restates the target: no candidate at all


def test_a_count_split_in_two_is_added():
    m = spec("e", "全民健身活动", "场", 20000, target_text="2万场以上", task_text="举办全民健身活动2万场以上。")
    text = "举办了市级及市级以上的全民健身赛事活动738场次。同时，还举办了区（市）级及区（市）级以下的全民健身赛事活动3067场次。"
    (c,) = extract_figures(text, [m])
    assert (c.value, c.confidence) == (3805, "sure")
    assert "738场次" in c.phrase and "3067场次" in c.phrase


def test_unit_conversion_and_growth_for_a_rate():
    area = spec("g", "新增绿色建筑", "平方米", 1e7, target_text="1000万平方米", task_text="新增绿色建筑1000万平方米。")
    assert sure(extract_figures("一季度全市新增绿色建筑278.17万平方米。", [area])) == {"g": 2781700}
    money = spec("m", "完成投资", "亿元", 100, task_text="完成投资100亿元。")
    assert sure(extract_figures("已完成投资5600万元。", [money])) == {"m": pytest.approx(0.56)}
    rate = spec("r", "地区生产总值增速", "%", 5.5, "rate", "增长5.5%左右", "全市生产总值增长5.5%左右。")
    assert sure(extract_figures("全市实现地区生产总值4071.34亿元，同比增长5.9%。", [rate])) == {"r": 5.9}
    assert sure(extract_figures("全市地区生产总值同比下降0.4%。", [rate])) == {"r": -0.4}
    assert extract_figures("地区生产总值开工率为77.8%。", [rate]) == []  # a rate metric takes only growth


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("老旧小区改造已开工52个，完工9个。", None),  # the finished count is the one
        ("老旧小区改造已开工52个。", "counts started (开工) where the target counts finished"),
        ("市南区老旧小区改造已完工9个。", "one district's figure (市南区)"),
        ("全市老旧小区改造完工20个，其中市南区完工9个。", None),
        ("已征集拟改造老旧小区30个。", "not yet progress"),
        ("已走访老旧小区60余个。", "approximate"),
    ],
)
def test_what_is_unsure(text, reason):
    m = spec("x", "完成老旧小区改造", "个", 86, target_text="86个", task_text="完成老旧小区改造86个。")
    cands = extract_figures(text, [m])
    if reason is None:
        assert len(sure(cands)) == 1
        assert sure(cands)["x"] in (9, 20)
        unsure = [c for c in cands if c.confidence == "unsure"]
        assert all(c.reason for c in unsure)
    else:
        assert sure(cands) == {}
        assert any(reason in c.reason for c in cands)


def test_a_growth_rate_beside_an_amount_is_not_a_share():
    m = spec("s", "数字经济核心产业增加值占比", "%", 13, "level", "达到13%", "数字经济核心产业增加值占比达到13%。")
    (c,) = extract_figures("全市数字经济核心产业增加值215亿元，同比增长9.1%。", [m])
    assert (c.value, c.confidence) == (9.1, "unsure")
    assert "growth rate" in c.reason
    assert sure(extract_figures("数字经济核心产业增加值占比为12.1%。", [m])) == {"s": 12.1}


def test_one_figure_two_metrics_of_the_same_unit_is_unsure():
    task = "实施100项产业关键技术攻关和10项重大应用基础研究。"
    ms = [
        spec("a", "产业关键技术攻关", "项", 100, task_text=task),
        spec("b", "重大应用基础研究", "项", 10, task_text=task),
    ]
    cands = extract_figures("组织实施140项项目。", ms)
    assert sure(cands) == {} and len(cands) == 2
    cands = extract_figures("已立项产业关键技术攻关42项，重大应用基础研究6项。", ms)
    assert sure(cands) == {"a": 42, "b": 6}


def test_unknown_unit_metric_gets_nothing():
    assert extract_figures("完成造林300吨。", [spec("t", "造林", "吨", 1000)]) == []


def test_2026_ledger_with_the_parsed_plan():
    plan = parse_report((DOCS / "report_2026.txt").read_text(encoding="utf-8"), 2026)
    text = (DOCS / "listed_2026.txt").read_text(encoding="utf-8")
    linkage = link(plan, parse_listed(text))
    rows = {r.no: r for r in read_ledger_text(text)}
    got_sure, got_unsure = {}, {}
    for t in linkage.tasks:
        if t.listed_no is None:
            continue
        specs = [
            spec(f"{t.listed_no}.{m.pos}", m.name, m.unit, m.value, m.kind, m.target_text, t.listed_text or "")
            for m in t.metrics
        ]
        for c in extract_figures(rows[t.listed_no].progress, specs):
            (got_sure if c.confidence == "sure" else got_unsure).setdefault(c.metric.key, []).append(c.value)
    assert {k: v[0] for k, v in got_sure.items()} == {
        "1.1": 6.2,
        "2.1": 238,
        "2.2": 286.4,
        "3.1": 139,  # 42 + 97 场次
        "4.1": 5.4,
        "5.1": 38,
        "8.1": 376,
        "10.1": -3.1,
        "11.1": 9,
        "12.1": 5126000,
        "13.1": 1860,
        "14.1": 28600,
        "15.1": 5.1,
        "16.1": 1.2,
        "18.1": 6800,
        "19.1": 9,
        "20.1": 1150,
    }
    assert got_unsure == {
        "5.1": [12],  # 其中莱山区
        "6.1": [312],  # 申报
        "7.1": [9.1],  # a growth rate for a share
        "8.1": [86],  # 其中新开工
        "9.1": [21],  # one district's figure
        "11.1": [3],  # 前期工作
        "12.1": [1860000],  # 其中海阳区
        "17.1": [4],  # 其中 (15所 restates the target)
        "19.1": [52],  # started where the target counts finished
        "20.1": [620],  # 其中黄渤区
    }


def test_rows_from_table():
    rows = rows_from_table(
        [
            {"序 号": 1.0, "事项内容": " 新建学校10所。", "进展情况": "已建成2所。", "责任单位": "市教育局"},
            {"序 号": None, "事项内容": None, "进展情况": None},
            {"序 号": "２", "事项内容": "新增学位2万个。", "进展情况": None},
        ]
    )
    assert rows == [LedgerRow(1, "新建学校10所。", "已建成2所。"), LedgerRow(2, "新增学位2万个。", "")]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"序号": "1", "事项内容": "x"}], "进展情况"),
        ([{"序号": "一", "事项内容": "x", "进展情况": ""}], "序号"),
        ([{"序号": "1", "事项内容": "", "进展情况": "y"}], "事项内容"),
    ],
)
def test_rows_from_table_bad_input(rows, message):
    with pytest.raises(BadInput, match=message):
        rows_from_table(rows)


def test_read_ledger_text_needs_progress_column():
    with pytest.raises(BadInput, match="进展情况"):
        read_ledger_text("台账\n序号\n事项内容\n1\n新建学校10所。\n")
