"""Fuzz the document readers of ``plan load`` and ``ingest``: whatever the text, they return a
result or raise BadInput (one line), never another exception. The alphabet is made of the
layouts' own pieces (序号 lines, headers, numbers with units, 万/亿, 以上/左右, separators,
area headings, bullets, control characters), so the examples reach deep into the parsers."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qdtrack.errors import BadInput
from qdtrack.ingest import read_ledger_text, rows_from_table
from qdtrack.ingest_figures import MetricSpec, extract_figures
from qdtrack.planload import link, parse_listed, parse_report
from qdtrack.planload_files import decode_document
from qdtrack.planload_metrics import extract_targets

PIECES = [
    "\n", "\n", "\n", " ", "\t", "\r", "\x1b", "\x00", "\u2028", "序号", "事项内容", "进展情况", "责任单位", "时间节点",
    "1", "2", "3", "10", "0", "1,200", "3.5", "6%", "万", "亿", "亿元", "万人", "个", "条", "场次", "吨", "以上", "左右",
    "以内", "控制在", "不低于", "达到", "增长", "下降", "其中", "市南区", "已开工", "完成", "新增", "余", "《", "》", "第",
    "年", "月", "日", "，", ",", "。", "；", "、", "- ", "1 在扩大内需上聚力攻坚", "2 推动产业转型升级", "一、", "- 1 -",
    "抓好", "项目", "建设", "投资", "2026年", "季度", "%", "·", "￥", "９", "２０", "\ufeff",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOCS = pathlib.Path(__file__).parent / "docs"


def either(call, *args):
    try:
        return call(*args)
    except BadInput as e:
        assert str(e) and "\n" not in str(e).strip(), str(e)
        return None


@FUZZ
@given(TEXT)
def test_report_text(text: str) -> None:
    plan = either(parse_report, text, 2027)
    if plan is not None:
        either(link, plan, [])


@FUZZ
@given(TEXT)
def test_listed_text(text: str) -> None:
    listed = either(parse_listed, "序号\n事项内容\n" + text)
    if listed:
        plan = parse_report((DOCS / "report_2026.txt").read_text(encoding="utf-8"), 2026)
        either(link, plan, listed)


@FUZZ
@given(TEXT)
def test_ledger_text(text: str) -> None:
    either(read_ledger_text, "序号\n事项内容\n进展情况\n" + text)
    either(read_ledger_text, text)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["序号", "事项内容", "进展情况", "x", " 序 号 "]), TEXT, max_size=4),
                max_size=5))  # fmt: skip
def test_table_rows(rows: list[dict[str, object]]) -> None:
    either(rows_from_table, rows)


@FUZZ
@given(TEXT, TEXT)
def test_targets_and_figures(target: str, progress: str) -> None:
    t = extract_targets(target, "x")
    specs = [MetricSpec(str(m.pos), m.name, m.unit, m.value, m.kind, m.target_text, target) for m in t.metrics]
    specs.append(MetricSpec("z", "新增就业", "人", 10000.0, "cumulative", "1万人", "新增就业1万人"))
    for f in extract_figures(progress, specs):
        assert f.confidence in ("sure", "unsure")


@FUZZ
@given(st.binary(max_size=400))
def test_bytes_decode_or_refuse(data: bytes) -> None:
    text = either(decode_document, data, "x.txt")
    assert text is None or isinstance(text, str)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-8-sig"])
def test_a_document_in_each_encoding_decodes_to_itself(encoding: str) -> None:
    text = (DOCS / "listed_2026.txt").read_text(encoding="utf-8")
    assert decode_document(text.encode(encoding), "x.txt") == text


# --- the commands, on random files: no traceback, a documented exit code, nothing written ---------

CLI = settings(max_examples=60, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
DOC_BYTES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(lambda t: ("序号\n事项内容\n进展情况\n" + t).encode()),
    TEXT.map(lambda t: t.encode("gb18030", "replace")),
    TEXT.map(lambda t: ("1 在扩大内需上聚力攻坚\n扩大投资\n- " + t).encode()),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    from tests.catalogue_kit import make_template

    return make_template(tmp_path_factory.mktemp("cycle-fuzz"))


def _run_on(template: pathlib.Path, root: pathlib.Path, name: str, data: bytes, args: list[str]) -> None:
    from tests.catalogue_kit import assert_clean, content, invoke, workdir

    with workdir(root, template) as (work, db):
        (work / name).write_bytes(data)
        before = content(db)
        result = invoke([a.replace("{file}", str(work / name)) for a in args], work, db)
        assert_clean(result, args)
        if result.exit_code != 0 or "--dry-run" in args:
            assert content(db) == before


@CLI
@given(DOC_BYTES, st.sampled_from(["--dry-run", "--replace"]))
def test_plan_load_on_random_documents(template, tmp_path, data: bytes, flag: str) -> None:
    _run_on(template, tmp_path, "r.txt", data, ["plan", "load", "{file}", "--year", "2027", flag])


@CLI
@given(DOC_BYTES, st.sampled_from(["t.txt", "t.csv", "t.xlsx", "t.docx"]))
def test_ingest_on_random_files(template, tmp_path, data: bytes, name: str) -> None:
    _run_on(template, tmp_path, name, data, ["ingest", "{file}", "--quarter", "2025Q1", "--dry-run"])
