"""The seed must hold both source documents, verbatim, and read their targets right.

These tests query the seeded ledger with plain sqlite3, independently of
qdtrack's own queries, and (where ../shared/seeds is present, as in CI)
compare it line by line with the two documents.
"""

import re
import sqlite3

import pytest

from qdtrack.ledger import Ledger
from qdtrack.quantity import parse_quantity

from .conftest import SEEDS


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "ledger.db"
    with Ledger.open(path) as ledger:
        assert ledger.created
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def rows(db, sql, *params):
    return [dict(r) for r in db.execute(sql, params)]


def one(db, sql, *params):
    return db.execute(sql, params).fetchone()[0]


def test_counts(db):
    assert one(db, "SELECT count(*) FROM areas WHERE no BETWEEN 1 AND 10") == 10
    assert one(db, "SELECT count(*) FROM areas WHERE no = 0") == 1
    assert one(db, "SELECT count(*) FROM sections") == 40
    assert one(db, "SELECT count(*) FROM tasks WHERE bullet IS NOT NULL") == 162
    assert one(db, "SELECT count(*) FROM tasks WHERE listed_no IS NOT NULL") == 44
    assert [
        r["listed_no"] for r in rows(db, "SELECT listed_no FROM tasks WHERE listed_no IS NOT NULL ORDER BY 1")
    ] == list(range(1, 45))


def test_sections_per_area(db):
    got = {r["area_no"]: r["n"] for r in rows(db, "SELECT area_no, count(*) AS n FROM sections GROUP BY area_no")}
    assert got == {1: 2, 2: 4, 3: 4, 4: 3, 5: 3, 6: 8, 7: 3, 8: 3, 9: 3, 10: 7}


def test_area_9_has_ten_tasks_with_33_to_38(db):
    tasks = rows(db, "SELECT bullet, listed_no FROM tasks WHERE area_no = 9 ORDER BY seq")
    assert len(tasks) == 10
    assert sorted(t["listed_no"] for t in tasks if t["listed_no"]) == [33, 34, 35, 36, 37, 38]


def test_area_0_holds_the_headline_targets(db):
    assert [r["listed_no"] for r in rows(db, "SELECT listed_no FROM tasks WHERE area_no = 0 ORDER BY seq")] == [1, 2]


def test_listed_item_that_is_a_bullet_is_one_task(db):
    t = rows(db, "SELECT * FROM tasks WHERE listed_no = 36")[0]
    assert t["bullet"] == "9.2.3"
    assert t["text"] == "新增绿色建筑1000万平方米"
    assert t["listed_text"] == "新增绿色建筑1000万平方米。"
    assert rows(db, "SELECT listed_no FROM tasks WHERE bullet = '9.2.3'")[0]["listed_no"] == 36
    assert (
        rows(db, "SELECT listed_text FROM tasks WHERE listed_no = 21")[0]["listed_text"] == "新开通海运航线10条以上。"
    )


def test_items_40_and_41_split_one_bullet(db):
    parent = rows(db, "SELECT id, bullet, covered_by_parts FROM tasks WHERE bullet = '10.3.4'")[0]
    parts = rows(db, "SELECT listed_no FROM tasks WHERE parent_id = ? ORDER BY seq", parent["id"])
    assert [p["listed_no"] for p in parts] == [40, 41]
    assert parent["covered_by_parts"] == 1


def test_bullet_ids(db):
    t = rows(db, "SELECT text, listed_no FROM tasks WHERE bullet = '9.2.4'")[0]
    assert t == {"text": "新建充电桩2.6万个", "listed_no": None}


def metrics_of(db, listed_no):
    return rows(
        db,
        "SELECT m.name, m.target, m.unit, m.comparator, m.kind FROM metrics m JOIN tasks t ON t.id = m.task_id "
        "WHERE t.listed_no = ? ORDER BY m.pos",
        listed_no,
    )


@pytest.mark.parametrize(
    "listed_no, expected",
    [
        (3, [(460, "个", "plain", "level"), (2450, "亿元", "at_least", "cumulative")]),
        (4, [(500, "个", "plain", "level"), (8, "%", "at_least", "rate")]),
        (9, [(100, "项", "plain", "cumulative"), (10, "项", "plain", "cumulative")]),
        (19, [(170, "个", "plain", "level"), (2400, "亿元", "plain", "total")]),
        (23, [(52, "个", "plain", "level"), (3274, "亿元", "plain", "total")]),
        (30, [(10, "个", "plain", "cumulative"), (4, "个", "plain", "cumulative")]),
        (39, [(12, "个", "plain", "cumulative"), (75, "个", "plain", "cumulative")]),
    ],
)
def test_multi_target_items(db, listed_no, expected):
    got = [(m["target"], m["unit"], m["comparator"], m["kind"]) for m in metrics_of(db, listed_no)]
    assert got == expected


@pytest.mark.parametrize(
    "where, target, unit, comparator, kind",
    [
        ("listed_no = 1", 5.5, "%", "about", "rate"),
        ("listed_no = 8", 15000, "家", "reach", "level"),
        ("listed_no = 21", 10, "条", "at_least", "cumulative"),
        ("listed_no = 34", 7000000, "千瓦", "reach", "level"),
        ("listed_no = 36", 10000000, "平方米", "plain", "cumulative"),
        ("listed_no = 38", 60000, "亩", "plain", "cumulative"),
        ("listed_no = 42", 120000, "人", "at_least", "cumulative"),
        ("listed_no = 44", 20000, "场", "at_least", "cumulative"),
        ("bullet = '10.1.1'", 350000, "人", "at_least", "cumulative"),
        ("bullet = '1.2.9'", 3000, "个", "plain", "cumulative"),
        ("bullet = '9.2.4'", 26000, "个", "plain", "cumulative"),
        ("bullet = '4.1.3'", 10, "%", "at_least", "rate"),
    ],
)
def test_sample_targets(db, where, target, unit, comparator, kind):
    got = rows(
        db,
        "SELECT m.target, m.unit, m.comparator, m.kind FROM metrics m JOIN tasks t ON t.id = m.task_id WHERE t."
        + where,
    )
    assert got == [{"target": target, "unit": unit, "comparator": comparator, "kind": kind}]


def test_every_metric_agrees_with_its_source_text(db):
    """target_text is copied from the task; parsing it must give the stored target, unit and comparator."""
    for m in rows(
        db,
        "SELECT m.*, t.text, t.listed_text FROM metrics m JOIN tasks t ON t.id = m.task_id",
    ):
        assert m["target_text"] in (m["text"] or "") or m["target_text"] in (m["listed_text"] or ""), m
        q = parse_quantity(m["target_text"])
        assert q.value == m["target"], m
        assert q.unit == m["unit"], m
        assert q.comparator == m["comparator"], m
        assert (m["kind"] == "rate") == q.growth, m


def q1(db, listed_no):
    return {
        r["name"]: r["value"]
        for r in rows(
            db,
            "SELECT m.name, u.value FROM updates u JOIN metrics m ON m.id = u.metric_id JOIN tasks t ON t.id = u.task_id "
            "WHERE t.listed_no = ? AND u.quarter = '2025Q1'",
            listed_no,
        )
    }


def test_q1_figures(db):
    assert q1(db, 21) == {"新开通海运航线": 4}
    assert q1(db, 36) == {"新增绿色建筑": 2781700}
    assert q1(db, 42) == {"新增企业职工养老保险参保": 32000}
    assert q1(db, 3) == {"省市重点项目开工在建": 405, "完成投资": 479.9}
    assert q1(db, 44) == {"全民健身活动": 738 + 3067}
    assert q1(db, 1) == {"地区生产总值增速": 5.9}
    assert q1(db, 4) == {"技改项目": 418, "技改投资增速": 7.7}


def test_no_figure_where_the_text_gives_none(db):
    for n in (6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 34, 35, 37, 38):
        assert q1(db, n) == {}, n


def test_every_listed_item_has_its_q1_note(db):
    notes = rows(
        db,
        "SELECT t.listed_no FROM updates u JOIN tasks t ON t.id = u.task_id "
        "WHERE u.note IS NOT NULL AND u.quarter = '2025Q1' ORDER BY 1",
    )
    assert [r["listed_no"] for r in notes] == list(range(1, 45))


def test_every_q1_figure_is_stated_in_its_note(db):
    """A figure's digits (in the unit the text uses) appear in that item's progress text."""
    figures = rows(
        db,
        "SELECT t.listed_no, u.value, m.unit, (SELECT note FROM updates n WHERE n.task_id = u.task_id "
        "AND n.note IS NOT NULL) AS note FROM updates u JOIN tasks t ON t.id = u.task_id "
        "JOIN metrics m ON m.id = u.metric_id",
    )
    assert len(figures) > 20
    for f in figures:
        if f["listed_no"] == 44:  # 738 + 3067, two figures in the text
            assert "738" in f["note"] and "3067" in f["note"]
            continue
        v = f["value"]
        shown = {f"{v:g}", f"{v / 10000:g}万"}
        assert any(s in f["note"] for s in shown), f


# -- against the source documents ---------------------------------------------------

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")


@needs_seeds
def test_report_document_verbatim(db):
    lines = [ln for ln in (SEEDS / "000_977c2cac0d19ad45.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    areas = [f"{r['no']} {r['title']}" for r in rows(db, "SELECT no, title FROM areas WHERE no > 0 ORDER BY no")]
    sections = [r["title"] for r in rows(db, "SELECT title FROM sections ORDER BY id")]
    bullets = ["- " + r["text"] for r in rows(db, "SELECT text FROM tasks WHERE bullet IS NOT NULL ORDER BY seq")]
    front = one(db, "SELECT front_matter FROM documents WHERE id = '000_977c2cac0d19ad45'").split("\n")
    # rebuild the document's content lines in order from the ledger
    rebuilt = list(front)
    by_area = {}
    for r in rows(db, "SELECT area_no, id, title FROM sections ORDER BY id"):
        by_area.setdefault(r["area_no"], []).append(r)
    for a in range(1, 11):
        rebuilt.append(areas[a - 1])
        for s in by_area[a]:
            rebuilt.append(s["title"])
            rebuilt += [
                "- " + r["text"]
                for r in rows(
                    db, "SELECT text FROM tasks WHERE section_id = ? AND bullet IS NOT NULL ORDER BY seq", s["id"]
                )
            ]
    content = [ln for ln in lines if ln != "2025"]  # the page artifact inside area 5
    assert rebuilt == content
    assert len(bullets) == 162 and len(sections) == 40


@needs_seeds
def test_ledger_document_verbatim(db):
    text = (SEEDS / "002_46f98387e7e7970e.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not re.fullmatch(r"- \d+ -", ln.strip())]
    front = one(db, "SELECT front_matter FROM documents WHERE id = '002_46f98387e7e7970e'").split("\n")
    rebuilt = list(front)
    for r in rows(
        db,
        "SELECT t.listed_no, t.listed_text, u.note FROM tasks t JOIN updates u ON u.task_id = t.id "
        "WHERE t.listed_no IS NOT NULL AND u.note IS NOT NULL AND u.quarter = '2025Q1' ORDER BY t.listed_no",
    ):
        rebuilt += [str(r["listed_no"]), r["listed_text"], *r["note"].split("\n")]
    assert rebuilt == lines
