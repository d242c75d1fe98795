"""Hypothesis fuzz of the CLI (issue 13): random argument lists built from qdtrack's own
commands and options with random values (any Unicode incl. CJK and control characters, huge
numbers, odd dates, paths), and random bytes, CSV, xlsx and JSON files given to ``import``.

Every run, on a fresh copy of a seeded ledger: no traceback, no "internal error", an exit code
from the README's table, one "Error: " line on a refusal, and the ledger's content (schema and
every table's rows; report_runs left out after a report) unchanged whenever the exit code is
not 0. Paths in the arguments all lie inside the run's own folder (its cwd and $HOME).

Budget: 2,000 examples in CI (about a minute); ``QDTRACK_FUZZ_EXAMPLES=10000`` sets the total
for a longer local run, shared between the tests in the same proportions.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalogue_kit import assert_clean, assert_refusal, content, fill, invoke, make_template, workdir

TOTAL = int(os.environ.get("QDTRACK_FUZZ_EXAMPLES", "2000"))
SHARES = {"args": 0.5, "bytes": 0.1, "csv": 0.2, "xlsx": 0.1, "json": 0.1}


def budget(name: str) -> settings:
    return settings(
        max_examples=max(1, round(TOTAL * SHARES[name])),
        deadline=datetime.timedelta(seconds=10),  # one run: a hang or a pathological input fails
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return make_template(tmp_path_factory.mktemp("fuzz-template"))


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("fuzz-runs")


# -- values ---------------------------------------------------------------------------------

SPECIAL = [
    "21", "3", "36", "44", "1", "1.2.8", "9.2.4", "0", "-1", "999", "2025Q2", "2025Q1", "2025Q5", "Q2", "2024Q4",
    "2025-06-30", "2025-02-30", "2099-01-01", "0000-00-00", "2025年6月30日", "6月底前", "年底前", "7", "300万", "1.2万",
    "500亿", "1e309", "-inf", "NaN", "9" * 400, "-0", "0x10", "１２", "五", "7条", "上升1%", "下降2.5%", "5.9%",
    "\x1b]52;c;aGk=\x07", "\x1b[2J", "a\rb", "\u202eevil", "'; DROP TABLE tasks; --", "%s%n", "{date}", "",
    " ", "\t", "zh", "en", "json", "csv", "html", "xlsx", "markdown", "table", "done", "已完成", "滞后", "maybe",
    "\udcff\udcfe", "\udc80",  # invalid UTF-8 bytes as Python passes them (surrogateescape)
]  # fmt: skip
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TEXT = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(CHARS, max_size=40),
    st.text(st.sampled_from("0123456789.-eE+万亿%Q年月日"), min_size=1, max_size=12),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(str),
)
PATH = st.one_of(
    st.sampled_from(["{db}", "{db}-wal", "{db}-shm", "{work}", "{work}/out.html", "{work}/sub/r.csv", "{work}/{date}.md",
                     "{work}/missing/x.db", "{work}/copy.db", "r.xlsx", ":memory:", "file:x.db", "{work}/" + "x" * 300]),
    st.text(CHARS, min_size=1, max_size=30).map(lambda t: "{work}/" + t.replace("{", "(")),
)  # fmt: skip

COMMANDS: dict[str, tuple[list[str], list[str]]] = {  # command -> (positionals, options)
    "status": ([], ["--area", "--item", "--listed", "--year", "--as-of", "--tolerance", "--format", "--lang", "--db"]),
    "lagging": ([], ["--area", "--due-within", "--year", "--as-of", "--tolerance", "--format", "--lang", "--db"]),
    "areas": ([], ["--year", "--as-of", "--format", "--lang", "--db"]),
    "show": (["id"], ["--all", "--year", "--format", "--lang", "--db"]),
    "log": ([], ["--item", "--since", "--limit", "--all", "--format", "--year", "--lang", "--db"]),
    "update": (["id"], ["--value", "--add", "--metric", "--quarter", "--on", "--note", "--status", "--milestone",
                        "--done", "--correct", "--by", "--year", "--lang", "--db"]),
    "void": (["text"], ["--reason", "--by", "--lang", "--db"]),
    "plan milestone": (["id", "text", "text"], ["--remove", "--by", "--year", "--lang", "--db"]),
    "plan set": (["id"], ["--metric", "--baseline", "--by", "--year", "--lang", "--db"]),
    "report": ([], ["--as-of", "--format", "--output", "--fail-on-lagging", "--tolerance", "--year", "--lang", "--db"]),
    "export": ([], ["--format", "--output", "--year", "--db"]),
    "import": (["path"], ["--dry-run", "--by", "--year", "--db"]),
    "backup": (["path"], ["--force", "--db"]),
    "check": ([], ["--db"]),
    "init": ([], ["--force", "--db"]),
    "config": ([], ["--format", "--lang", "--db"]),
}  # fmt: skip
FLAGS = {"--listed", "--all", "--done", "--correct", "--dry-run", "--force", "--fail-on-lagging", "--help"}
PATH_OPTIONS = {"--db", "--output"}
ALL_OPTIONS = sorted({o for _, opts in COMMANDS.values() for o in opts} | {"--help", "--frobnicate"})


@st.composite
def option(draw: st.DrawFn, names: list[str]) -> list[str]:
    name = draw(st.sampled_from(names) if draw(st.integers(0, 9)) else st.sampled_from(ALL_OPTIONS))
    if name in FLAGS:
        return [name]
    return [name, draw(PATH if name in PATH_OPTIONS else TEXT)]


@st.composite
def arguments(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    positionals, names = COMMANDS[command]
    args = command.split()
    pos = [draw(PATH if kind == "path" else TEXT) for kind in positionals[: draw(st.integers(0, len(positionals)))]]
    opts = draw(st.lists(option(names), max_size=5))
    return args + pos + [a for pair in opts for a in pair]


def judge(args: list[str], work: pathlib.Path, db: pathlib.Path, env: dict[str, str | None] | None = None) -> None:
    args = fill(args, {"work": work, "db": db})
    skip = ["report_runs"] if "report" in args else []
    before = content(db, skip)
    result = invoke(args, work, db, env)
    assert_clean(result, args)
    if result.exit_code not in (0, 4):
        lines = result.stderr.splitlines()
        if args[0] == "import" and len(lines) > 1:  # up to 20 bad rows, each on its own line, then the error
            assert all(line.startswith("  ") for line in lines[:-1]), result.stderr
            lines = lines[-1:]
        assert_refusal(lines, args)
        assert content(db, skip) == before, args


@budget("args")
@given(args=arguments(), zh=st.booleans())
def test_random_arguments(template: pathlib.Path, scratch: pathlib.Path, args: list[str], zh: bool) -> None:
    with workdir(scratch, template) as (work, db):
        judge(args, work, db, {"LANG": "zh_CN.UTF-8" if zh else "C.UTF-8"})


# -- import files ---------------------------------------------------------------------------

HEADERS = ["id", "quarter", "value", "metric", "note", "status", "correction", "as_of", "unit", "序号", "季度",
           "数值", "指标", "进展情况", "截至", "单位", "更正"]  # fmt: skip
HEADER = st.lists(st.one_of(st.sampled_from(HEADERS), TEXT), min_size=1, max_size=7)
CELL = st.one_of(TEXT, st.none())
IMPORT_OPTIONS = st.lists(st.sampled_from([["--dry-run"], ["--by", "审计"], ["--year", "2025"], ["--year", "2026"]]), max_size=2)


def run_import(scratch: pathlib.Path, template: pathlib.Path, name: str, data: bytes, extra: list[list[str]]) -> None:
    with workdir(scratch, template) as (work, db):
        (work / name).write_bytes(data)
        judge(["import", str(work / name)] + [a for pair in extra for a in pair], work, db)


@budget("bytes")
@given(data=st.binary(max_size=2000), ext=st.sampled_from([".csv", ".xlsx", ".json", ".txt", ""]), extra=IMPORT_OPTIONS)
def test_random_bytes_as_import(template: pathlib.Path, scratch: pathlib.Path, data: bytes, ext: str, extra: list[list[str]]) -> None:
    run_import(scratch, template, "in" + ext, data, extra)


@budget("csv")
@given(
    header=HEADER,
    rows=st.lists(st.lists(CELL, max_size=8), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
    extra=IMPORT_OPTIONS,
)
def test_random_csv_as_import(
    template: pathlib.Path, scratch: pathlib.Path, header: list[str], rows: list[list[str | None]], delimiter: str, encoding: str, extra: list[list[str]]
) -> None:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    for row in [header, *rows]:
        writer.writerow(["" if c is None else c for c in row])
    data = buf.getvalue().encode(encoding, errors="surrogateescape" if encoding.startswith("utf-8") else "replace")
    run_import(scratch, template, "in.csv", data, extra)


XCELL = st.one_of(
    CELL,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(datetime.date(1900, 3, 1), datetime.date(9999, 12, 31)),
    st.sampled_from(["=1+1", "=A1", "=1/0", "=NOW()", "#DIV/0!", "=HYPERLINK(\"http://x\")"]),
)


def _xml_text(text: str) -> str:
    """What an xlsx cell can hold at all: no C0 controls, no lone surrogates."""
    return text.translate({i: None for i in range(32)}).encode("utf-8", "replace").decode("utf-8")


def _xlsx(sheets: list[tuple[str, list[list[object]]]], percent: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            cells = [_xml_text(c) if isinstance(c, str) else c for c in row]
            try:
                sheet.append(cells)
            except (IllegalCharacterError, ValueError):
                sheet.append([str(c)[:10] for c in cells])
        if percent and rows:
            sheet.cell(row=2, column=3).number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@budget("xlsx")
@given(
    titles=st.lists(st.one_of(st.sampled_from(["更新", "updates", "Sheet"]), st.text(st.characters(categories=("L", "N")), min_size=1, max_size=10)), min_size=1, max_size=2, unique=True),
    header=HEADER,
    rows=st.lists(st.lists(XCELL, max_size=8), max_size=5),
    percent=st.booleans(),
    extra=IMPORT_OPTIONS,
)
def test_random_xlsx_as_import(
    template: pathlib.Path, scratch: pathlib.Path, titles: list[str], header: list[str], rows: list[list[object]], percent: bool, extra: list[list[str]]
) -> None:
    data = _xlsx([(t, [header, *rows]) for t in titles], percent)
    run_import(scratch, template, "in.xlsx", data, extra)


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
JSON_ANY = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=20)
UPDATE = st.dictionaries(st.sampled_from(HEADERS), st.one_of(JSON_LEAF, JSON_ANY), max_size=6)


@budget("json")
@given(
    doc=st.one_of(JSON_ANY, st.lists(UPDATE, max_size=5), st.fixed_dictionaries({"updates": st.lists(UPDATE, max_size=5)})),
    raw=st.sampled_from([*[""] * 12, "9" * 5000, "[" * 100000, "1e99999", '{"updates": [{"id": 21, "value": 1e400}]}', "NaN"]),
    extra=IMPORT_OPTIONS,
)
def test_random_json_as_import(template: pathlib.Path, scratch: pathlib.Path, doc: object, raw: str, extra: list[list[str]]) -> None:
    data = (raw or json.dumps(doc, ensure_ascii=False)).encode("utf-8", "surrogateescape")
    run_import(scratch, template, "in.json", data, extra)
