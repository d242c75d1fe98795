"""Catalogue: the plan's documents and a quarter's 台账 as an office would misuse them and as a
hostile file would be (issue 11's "new inputs join the hostile-input catalogue").

``plan load REPORT [--listed LISTED]`` and ``ingest FILE``: empty, binary, oversized, special
files, mixed encodings, numbering gaps and repeats, rows that are not the plan's, a year
already loaded or with entries, a quarter that has not ended or is of another year, .docx and
.xlsx that are no zip, zip bombs, DTD entities, formulas without a saved value, no terminal.
Each is one "Error: " line with its documented exit code and nothing changed. Cases that need
python-docx installed live in tests/test_cycle_hostile.py.
"""

from __future__ import annotations

import pathlib
import zipfile
from collections.abc import Callable, Sequence

from qdtrack.ledger import Ledger
from tests.catalogue_kit import Case, case, invoke, make_node, needs_root

G = "plan and 台账 documents"
DOCS = pathlib.Path(__file__).parent / "docs"
REPORT = (DOCS / "report_2026.txt").read_text(encoding="utf-8")
LISTED = (DOCS / "listed_2026.txt").read_text(encoding="utf-8")
Setup = Callable[[pathlib.Path, pathlib.Path], object]


def _write(name: str, data: bytes | Callable[[pathlib.Path, pathlib.Path], bytes]) -> Setup:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        (work / name).write_bytes(data(work, db) if callable(data) else data)

    return setup


def _sparse(name: str, size: int) -> Setup:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        with open(work / name, "wb") as f:
            f.truncate(size)

    return setup


def _node(name: str, kind: str) -> Setup:
    return lambda work, db: make_node(work / name, kind)


def _both(*setups: Setup) -> Setup:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        for s in setups:
            s(work, db)

    return setup


def _mixed(text: str) -> bytes:
    lines = text.splitlines()
    half = len(lines) // 2
    return "\n".join(lines[:half]).encode() + b"\n" + "\n".join(lines[half:]).encode("gb18030")


def _renumber(text: str, old: str, new: str) -> str:
    """The 002 layout with row ``old``'s 序号 line written as ``new``."""
    assert f"\n\t{old}\n" in text
    return text.replace(f"\n\t{old}\n", f"\n\t{new}\n", 1)


def _area(text: str, old: str, new: str) -> str:
    assert f"\n{old} " in text
    return text.replace(f"\n{old} ", f"\n{new} ", 1)


def _numbered(n: int) -> str:
    """A list of ``n`` listed items (序号, 事项内容)."""
    return "\n".join(["序号", "事项内容", *[f"{i}\n抓好第{i}批项目建设" for i in range(1, n + 1)]]) + "\n"


# -- the 2025 seed plan's listed items, as a 台账 --------------------------------------------


def _listed(db: pathlib.Path) -> dict[int, str]:
    with Ledger.open(db, create=False) as ledger:
        return {t.listed_no: t.listed_text or "" for t in ledger.plan(2025) if t.listed_no is not None}


Row = tuple[str, str | None, str]  # (序号, 事项内容 or None for the plan's own, 进展情况)


TITLE = "2025年公开挂牌事项1季度进展情况台账"


def ledger_text(rows: Sequence[Row], items: dict[int, str], header: Sequence[str] = ("序号", "事项内容", "进展情况"),
                title: str = TITLE) -> str:  # fmt: skip
    out = [title, *header]
    for no, content, progress in rows:
        text = items.get(int(no), "") if content is None and no.isdigit() else content
        out += [no, text or "", progress][: len(header)]
    return "\n".join(out) + "\n"


def _ledger(name: str, rows: Sequence[Row], encoding: str = "utf-8", header: Sequence[str] | None = None,
            title: str = TITLE) -> Setup:  # fmt: skip
    def data(work: pathlib.Path, db: pathlib.Path) -> bytes:
        return ledger_text(rows, _listed(db), header or ("序号", "事项内容", "进展情况"), title).encode(encoding)

    return _write(name, data)


def _csv(name: str, rows: Sequence[Row], title: str = "") -> Setup:
    def data(work: pathlib.Path, db: pathlib.Path) -> bytes:
        items = _listed(db)
        lines = [title] * bool(title) + ["序号,事项内容,进展情况"] + [
            f'{no},"{items.get(int(no), "") if c is None and no.isdigit() else c}",{p}' for no, c, p in rows
        ]
        return ("\n".join(lines) + "\n").encode()

    return _write(name, data)


GOOD = ("1", None, "一季度进展顺利。")
TWO = ("2", None, "按计划推进。")


def _zip(name: str, parts: dict[str, bytes]) -> Setup:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        with zipfile.ZipFile(work / name, "w", zipfile.ZIP_DEFLATED) as z:
            for part, data in parts.items():
                z.writestr(part, data)

    return setup


def _many_parts(work: pathlib.Path, db: pathlib.Path) -> None:
    with zipfile.ZipFile(work / "many.docx", "w") as z:
        for i in range(2_001):
            z.writestr(f"word/p{i}.xml", b"<x/>")


def _lying_directory(work: pathlib.Path, db: pathlib.Path) -> None:
    """A zip whose end record claims 3 parts while its directory holds 30,000."""
    _many(work / "lying.docx", 30_000)
    data = bytearray((work / "lying.docx").read_bytes())
    i = data.rfind(b"PK\x05\x06")
    data[i + 8 : i + 12] = (3).to_bytes(2, "little") * 2
    (work / "lying.docx").write_bytes(bytes(data))


def _many(path: pathlib.Path, n: int) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for i in range(n):
            z.writestr(f"p{i}", b"")


def _xlsx(name: str, rows: Sequence[Sequence[object]]) -> Setup:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        for row in rows:
            ws.append(list(row))
        wb.save(work / name)  # openpyxl saves formulas without a cached value

    return setup


def _load_2100(work: pathlib.Path, db: pathlib.Path) -> None:
    """The 2026 documents loaded as plan year 2100: none of its quarters has ended."""
    r = invoke(["plan", "load", str(DOCS / "report_2026.txt"), "--listed", str(DOCS / "listed_2026.txt"),
                "--year", "2100"], work, db)  # fmt: skip
    assert r.exit_code == 0, r.stderr


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document>&lol3;</w:document>'
)
CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'

# -- plan load ----------------------------------------------------------------------------

P = ("plan", "load")
R = str(DOCS / "report_2026.txt")
Y = ("--year", "2027")
SPECIAL = ["fifo", "socket", "dir", "link-fifo", "link-dir", "chr-null", "blk-none", "link-chr-null"]

PLAN_LOAD = [
    case(G, "report-empty", *P, "{work}/r.txt", *Y, setup=_write("r.txt", b"")),
    case(G, "report-blank-lines", *P, "{work}/r.txt", *Y, setup=_write("r.txt", b" \n\t\n\r\n")),
    case(G, "report-binary-junk", *P, "{work}/r.txt", *Y, setup=_write("r.txt", bytes(range(256)) * 40)),
    case(G, "report-binary-no-nul", *P, "{work}/r.txt", *Y, setup=_write("r.txt", b"\xff\xfe\xfd\x80\x81" * 500)),
    case(G, "report-png", *P, "{work}/r.txt", *Y, setup=_write("r.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")),
    case(G, "report-utf16", *P, "{work}/r.txt", *Y, setup=_write("r.txt", REPORT.encode("utf-16"))),
    case(G, "report-utf16-no-bom", *P, "{work}/r.txt", *Y, setup=_write("r.txt", REPORT.encode("utf-16-le"))),
    case(G, "report-mixed-utf8-gb18030", *P, "{work}/r.txt", *Y, setup=_write("r.txt", _mixed(REPORT))),
    case(G, "report-bom-then-gb18030", *P, "{work}/r.txt", *Y,
         setup=_write("r.txt", b"\xef\xbb\xbf" + REPORT.encode("gb18030"))),
    case(G, "report-huge", *P, "{work}/r.txt", *Y, setup=_sparse("r.txt", 6_000_000)),
    case(G, "report-huge-line", *P, "{work}/r.txt", *Y,
         setup=_write("r.txt", (REPORT + "- " + "抓好项目建设" * 600 + "\n").encode())),
    case(G, "report-too-many-bullets", *P, "{work}/r.txt", *Y,
         setup=_write("r.txt", (REPORT + "- 抓好项目建设\n" * 3_001).encode())),
    case(G, "report-no-areas", *P, "{work}/r.txt", *Y,
         setup=_write("r.txt", "2027年政府工作报告\n\n- 抓好100个项目建设\n- 新增就业1万人\n".encode())),
    case(G, "report-no-bullets", *P, "{work}/r.txt", *Y,
         setup=_write("r.txt", "2027年政府工作报告\n1 在全方位扩大内需上聚力攻坚\n扩大有效投资\n抓好项目\n".encode())),
    case(G, "report-only-front-matter", *P, "{work}/r.txt", *Y,
         setup=_write("r.txt", "聚焦2027青岛两会\n政府工作报告图解\n2027年2月9日\n".encode())),
    case(G, "report-area-gap", *P, "{work}/r.txt", *Y, setup=_write("r.txt", _area(REPORT, "3", "4").encode())),
    case(G, "report-area-repeated", *P, "{work}/r.txt", *Y, setup=_write("r.txt", _area(REPORT, "3", "2").encode())),
    case(G, "report-first-area-not-1", *P, "{work}/r.txt", *Y, setup=_write("r.txt", _area(REPORT, "1", "2").encode())),
    case(G, "report-missing", *P, "{work}/missing.txt", *Y),
    case(G, "report-under-a-file", *P, "{work}/r.txt/inner.txt", *Y, setup=_write("r.txt", REPORT.encode())),
    *[case(G, f"report-{k}", *P, "{work}/node.txt", *Y, setup=_node("node.txt", k), root=needs_root(k)) for k in SPECIAL],
    *[case(G, f"listed-{k}", *P, R, "--listed", "{work}/node.txt", *Y, setup=_node("node.txt", k), root=needs_root(k))
      for k in SPECIAL],
    case(G, "listed-empty", *P, R, "--listed", "{work}/l.txt", *Y, setup=_write("l.txt", b"")),
    case(G, "listed-binary", *P, R, "--listed", "{work}/l.txt", *Y, setup=_write("l.txt", bytes(range(256)) * 8)),
    case(G, "listed-huge", *P, R, "--listed", "{work}/l.txt", *Y, setup=_sparse("l.txt", 5_000_001)),
    case(G, "listed-mixed-encodings", *P, R, "--listed", "{work}/l.txt", *Y, setup=_write("l.txt", _mixed(LISTED))),
    case(G, "listed-no-header", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", "挂牌事项\n1\n抓好320个市级重点项目建设\n".encode())),
    case(G, "listed-header-only", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", "挂牌事项\n序号\n事项内容\n".encode())),
    case(G, "listed-duplicate-no", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", _renumber(LISTED, "3", "2").encode())),
    case(G, "listed-out-of-order", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", _renumber(_renumber(_renumber(LISTED, "3", "X"), "4", "3"), "X", "4").encode())),
    case(G, "listed-gap", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", _renumber(LISTED, "3", "33").encode())),
    case(G, "listed-first-row-not-1", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", _renumber(LISTED, "1", "0").encode())),
    case(G, "listed-text-before-row-1", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", "序号\n事项内容\n进展情况\n抓好项目\n1\n抓好项目\n已开工\n".encode())),
    case(G, "listed-row-short-of-columns", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", "序号\n事项内容\n进展情况\n1\n抓好320个市级重点项目建设\n".encode())),
    case(G, "listed-missing", *P, R, "--listed", "{work}/missing.txt", *Y),
    case(G, "listed-too-many-items", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", _numbered(1_001).encode())),
    case(G, "listed-item-too-long", *P, R, "--listed", "{work}/l.txt", *Y,
         setup=_write("l.txt", ("序号\n事项内容\n1\n" + "抓好项目建设" * 400 + "\n").encode())),
    case(G, "too-many-bullet-item-pairs", *P, "{work}/r.txt", "--listed", "{work}/l.txt", *Y,
         setup=_both(_write("r.txt", (REPORT + "- 抓好重点项目建设\n" * 2_500).encode()),
                     _write("l.txt", _numbered(40).encode()))),
    case(G, "year-already-loaded", *P, R, "--year", "2025"),
    case(G, "year-already-loaded-with-listed", *P, R, "--listed", str(DOCS / "listed_2026.txt"), "--year", "2025"),
    case(G, "replace-after-entries", *P, R, "--year", "2025", "--replace"),
    case(G, "year-already-loaded-dry-run", *P, R, "--year", "2025", "--dry-run"),
    case(G, "replace-after-entries-dry-run", *P, R, "--year", "2025", "--replace", "--dry-run"),
    case(G, "replace-after-entries-with-listed", *P, R, "--listed", str(DOCS / "listed_2026.txt"), "--year", "2025",
         "--replace"),
    *[case(G, f"by-{i}", *P, R, "--year", "2027", *dry, "--by", by) for i, (by, dry) in
      enumerate([("", ()), ("a\nb", ()), ("x" * 101, ()), ("\x1b[2J", ("--dry-run",))])],
    case(G, "year-1999", *P, R, "--year", "1999"),
    case(G, "year-2101", *P, R, "--year", "2101"),
    case(G, "year-negative", *P, R, "--year", "-2026"),
    case(G, "year-not-a-number", *P, R, "--year", "二〇二六"),
    case(G, "year-decimal", *P, R, "--year", "2026.5"),
    case(G, "year-missing", *P, R),
    case(G, "year-huge", *P, R, "--year", "9" * 5000),
]  # fmt: skip

# -- ingest -------------------------------------------------------------------------------

I_ = "ingest"
Q = ("--quarter", "2025Q1", "--yes")
BAD_NO = ["一", "²", "1234567", "0", "-1", "1.5", "1e3", "", "NaN"]

INGEST = [
    case(G, "ingest-no-terminal-no-yes", I_, "{work}/t.txt", "--quarter", "2025Q1", setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-empty-text", I_, "{work}/t.txt", *Q, setup=_write("t.txt", b"")),
    case(G, "ingest-empty-csv", I_, "{work}/t.csv", *Q, setup=_write("t.csv", b"")),
    case(G, "ingest-empty-xlsx", I_, "{work}/t.xlsx", *Q, setup=_write("t.xlsx", b"")),
    case(G, "ingest-empty-docx", I_, "{work}/t.docx", *Q, setup=_write("t.docx", b"")),
    case(G, "ingest-binary-text", I_, "{work}/t.txt", *Q, setup=_write("t.txt", bytes(range(256)) * 8)),
    case(G, "ingest-binary-csv", I_, "{work}/t.csv", *Q, setup=_write("t.csv", bytes(range(256)) * 8)),
    case(G, "ingest-huge-text", I_, "{work}/t.txt", *Q, setup=_sparse("t.txt", 5_000_001)),
    case(G, "ingest-huge-xlsx", I_, "{work}/t.xlsx", *Q, setup=_sparse("t.xlsx", 60_000_000)),
    case(G, "ingest-huge-docx", I_, "{work}/t.docx", *Q, setup=_sparse("t.docx", 60_000_000)),
    *[case(G, f"ingest-{k}-{ext}", I_, f"{{work}}/node.{ext}", *Q, setup=_node(f"node.{ext}", k), root=needs_root(k))
      for k in SPECIAL for ext in ("txt", "xlsx", "docx")],
    case(G, "ingest-mixed-encodings", I_, "{work}/t.txt", *Q,
         setup=_write("t.txt", _mixed(LISTED))),
    case(G, "ingest-text-gb18030-after-bom", I_, "{work}/t.txt", *Q,
         setup=_write("t.txt", b"\xef\xbb\xbf" + LISTED.encode("gb18030"))),
    case(G, "ingest-other-year-documents", I_, str(DOCS / "listed_2026.txt"), *Q),
    case(G, "ingest-rows-out-of-order", I_, "{work}/t.txt", *Q, setup=_ledger("t.txt", [TWO, GOOD])),
    case(G, "ingest-duplicate-no-text", I_, "{work}/t.txt", *Q, setup=_ledger("t.txt", [GOOD, TWO, TWO])),
    case(G, "ingest-duplicate-no-csv", I_, "{work}/t.csv", *Q, setup=_csv("t.csv", [GOOD, TWO, GOOD])),
    case(G, "ingest-no-not-in-plan-text", I_, "{work}/t.txt", *Q,
         setup=_ledger("t.txt", [*[(str(n), None, "已完成") for n in range(1, 45)], ("45", "抓好项目", "已完成")])),
    case(G, "ingest-no-not-in-plan-csv", I_, "{work}/t.csv", *Q, setup=_csv("t.csv", [GOOD, ("999", "抓好项目", "已开工")])),
    case(G, "ingest-text-mismatch", I_, "{work}/t.txt", *Q, setup=_ledger("t.txt", [GOOD, ("2", "抓好100个项目建设", "已开工")])),
    case(G, "ingest-text-mismatch-csv", I_, "{work}/t.csv", *Q, setup=_csv("t.csv", [("1", "全市生产总值增长9%", "增长"), TWO])),
    case(G, "ingest-empty-content-csv", I_, "{work}/t.csv", *Q, setup=_csv("t.csv", [GOOD, ("2", "", "已开工")])),
    *[case(G, f"ingest-bad-no-{i}", I_, "{work}/t.csv", *Q, setup=_csv("t.csv", [GOOD, (no, "抓好项目", "已开工")]))
      for i, no in enumerate(BAD_NO)],
    case(G, "ingest-progress-over-a-cell", I_, "{work}/t.txt", *Q, setup=_ledger("t.txt", [("1", None, "进展" * 17_000)])),
    case(G, "ingest-progress-over-a-cell-csv", I_, "{work}/t.csv", *Q, setup=_csv("t.csv", [("1", None, "进展" * 17_000)])),
    *[case(G, f"ingest-title-names-another-quarter-{i}", I_, "{work}/t.txt", *Q, setup=_ledger("t.txt", [GOOD], title=t))
      for i, t in enumerate(["2025年公开挂牌事项2季度进展情况台账", "2025年上半年进展情况", "2025年1-9月台账", "四季度台账"])],
    case(G, "ingest-title-names-another-quarter-csv", I_, "{work}/t.csv", *Q,
         setup=_csv("t.csv", [GOOD], title="2025年二季度进展情况台账")),
    case(G, "ingest-title-names-another-quarter-xlsx", I_, "{work}/t.xlsx", *Q,
         setup=_xlsx("t.xlsx", [["2025年第三季度台账"], ["序号", "事项内容", "进展情况"], [1, "全市生产总值增长5.5%左右。", "增长"]])),
    case(G, "ingest-no-progress-column-text", I_, "{work}/t.txt", *Q,
         setup=_ledger("t.txt", [("1", None, "")], header=("序号", "事项内容"))),
    case(G, "ingest-no-progress-column-csv", I_, "{work}/t.csv", *Q,
         setup=_write("t.csv", "序号,事项内容\n1,抓好项目\n".encode())),
    case(G, "ingest-no-header-csv", I_, "{work}/t.csv", *Q, setup=_write("t.csv", b"a,b,c\n1,2,3\n")),
    case(G, "ingest-header-only-text", I_, "{work}/t.txt", *Q, setup=_ledger("t.txt", [])),
    case(G, "ingest-header-only-csv", I_, "{work}/t.csv", *Q, setup=_write("t.csv", "序号,事项内容,进展情况\n".encode())),
    case(G, "ingest-quarter-not-ended", I_, str(DOCS / "listed_2026.txt"), "--quarter", "2100Q1", "--yes",
         setup=_load_2100),
    case(G, "ingest-quarter-not-ended-dry-run", I_, str(DOCS / "listed_2026.txt"), "--quarter", "2100Q4", "--dry-run",
         setup=_load_2100),
    case(G, "ingest-quarter-outside-plan-year", I_, "{work}/t.txt", "--quarter", "2026Q1", "--year", "2025", "--yes",
         setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-quarter-of-a-year-not-loaded", I_, "{work}/t.txt", "--quarter", "2024Q4", "--yes",
         setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-quarter-5", I_, "{work}/t.txt", "--quarter", "2025Q5", "--yes", setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-quarter-a-date", I_, "{work}/t.txt", "--quarter", "2025-03-31", "--yes",
         setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-quarter-missing", I_, "{work}/t.txt", "--yes", setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-year-not-loaded", I_, "{work}/t.txt", "--quarter", "Q1", "--year", "2030", "--yes",
         setup=_ledger("t.txt", [GOOD])),
    case(G, "ingest-missing-file", I_, "{work}/missing.txt", *Q),
    *[case(G, f"ingest-by-{i}", I_, "{work}/t.txt", *Q, *dry, "--by", by, setup=_ledger("t.txt", [GOOD]))
      for i, (by, dry) in enumerate([("", ()), ("   ", ()), ("a\rb", ()), ("\x07", ("--dry-run",))])],
    *[case(G, f"ingest-format-{ext}", I_, f"{{work}}/t.{ext}", *Q, setup=_write(f"t.{ext}", b"\xd0\xcf\x11\xe0junk"))
      for ext in ("doc", "xls", "pdf", "wps")],
    case(G, "ingest-docx-not-a-zip", I_, "{work}/t.docx", *Q, setup=_write("t.docx", "序号 事项内容 进展情况".encode())),
    case(G, "ingest-docx-truncated-zip", I_, "{work}/t.docx", *Q, setup=_write("t.docx", b"PK\x03\x04" + b"\x00" * 60)),
    case(G, "ingest-docx-dtd-entities", I_, "{work}/t.docx", *Q,
         setup=_zip("t.docx", {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": BILLION_LAUGHS})),
    case(G, "ingest-docx-external-entity", I_, "{work}/t.docx", *Q,
         setup=_zip("t.docx", {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml":
                               b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document>&x;</w:document>'})),
    case(G, "ingest-docx-zip-bomb", I_, "{work}/t.docx", *Q,
         setup=_zip("t.docx", {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<a>" + b" " * 60_000_000})),
    case(G, "ingest-docx-many-parts", I_, "{work}/many.docx", *Q, setup=_many_parts),
    case(G, "ingest-docx-directory-lies-about-its-parts", I_, "{work}/lying.docx", *Q, setup=_lying_directory),
    case(G, "ingest-xlsx-not-a-zip", I_, "{work}/t.xlsx", *Q, setup=_write("t.xlsx", "序号,事项内容,进展情况\n".encode())),
    case(G, "ingest-xlsx-formula-without-value", I_, "{work}/t.xlsx", *Q,
         setup=_xlsx("t.xlsx", [["序号", "事项内容", "进展情况"], [1, "抓好项目", "=CONCATENATE(\"已\",\"开工\")"]])),
    case(G, "ingest-xlsx-formula-in-no", I_, "{work}/t.xlsx", *Q,
         setup=_xlsx("t.xlsx", [["序号", "事项内容", "进展情况"], ["=1+0", "抓好项目", "已开工"]])),
    case(G, "ingest-xlsx-no-header", I_, "{work}/t.xlsx", *Q, setup=_xlsx("t.xlsx", [["a", "b"], [1, 2]])),
    case(G, "ingest-xlsx-header-only", I_, "{work}/t.xlsx", *Q, setup=_xlsx("t.xlsx", [["序号", "事项内容", "进展情况"]])),
    case(G, "ingest-dry-run-still-checks-rows", I_, "{work}/t.txt", "--quarter", "2025Q1", "--dry-run",
         setup=_both(_ledger("t.txt", [GOOD, ("2", "抓好100个项目建设", "已开工")]))),
]  # fmt: skip

CASES: list[Case] = PLAN_LOAD + INGEST
