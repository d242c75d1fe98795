"""Catalogue: arguments — invalid values beyond tests/test_bad_input.py, file names too long,
invalid UTF-8 in argv (real processes: Python hands such bytes over as lone surrogates), and
numbers too large for the ledger (SQLite integers stop at 2**63 - 1)."""

from __future__ import annotations

import pathlib

from tests.catalogue_kit import Case, case

A = "arguments"
Q2 = ("--quarter", "2025Q2")
LONG = "x" * 300  # one name over NAME_MAX (255)
DEEP = "/".join(["y" * 200] * 30)  # a path over PATH_MAX (4096)


def _csv(name: str, text: str):  # type: ignore[no-untyped-def]
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        (work / name).write_text(text, encoding="utf-8")

    return setup


ARGUMENTS = [
    case(A, "value-two-decimal-points", "update", "21", "--value", "7.0.0", *Q2),
    case(A, "value-hex", "update", "21", "--value", "0x10", *Q2),
    case(A, "value-underscore", "update", "21", "--value", "1_0", *Q2),
    case(A, "value-arabic-digits", "update", "21", "--value", "١٢", *Q2),
    case(A, "value-two-numbers", "update", "21", "--value", "7 8", *Q2),
    case(A, "value-double-sign", "update", "21", "--value", "+-7", *Q2),
    case(A, "value-percent-for-count", "update", "21", "--value", "70%", *Q2),
    case(A, "value-unit-only", "update", "21", "--value", "条", *Q2),
    case(A, "value-wan-only", "update", "36", "--value", "万", *Q2),
    case(A, "value-chinese-numeral", "update", "21", "--value", "七条", *Q2),
    case(A, "value-negative-zero-falls", "update", "21", "--value", "-0", *Q2),
    case(A, "value-newline", "update", "21", "--value", "7\n8", *Q2),
    case(A, "add-percent-rate", "update", "1", "--add", "0.5%", *Q2),
    case(A, "add-zero-width-space", "update", "21", "--add", "\u200b1", *Q2),
    case(A, "on-slash-invalid-day", "update", "21", "--note", "x", "--on", "2025/06/31"),
    case(A, "on-month-13-zh", "update", "21", "--note", "x", "--on", "2025年13月1日"),
    case(A, "on-february-30-zh", "update", "21", "--note", "x", "--on", "2025年2月30日"),
    case(A, "on-year-1", "update", "21", "--note", "x", "--on", "0001-01-01"),
    case(A, "on-year-9999", "update", "21", "--note", "x", "--on", "9999-12-31"),
    case(A, "on-with-time", "update", "21", "--note", "x", "--on", "2025-06-30T25:00"),
    case(A, "on-month-only", "update", "21", "--note", "x", "--on", "2025-06"),
    case(A, "quarter-fraction", "update", "21", "--note", "x", "--quarter", "2025Q2.5"),
    case(A, "quarter-dash", "update", "21", "--note", "x", "--quarter", "2025-Q5"),
    case(A, "quarter-next-year", "update", "21", "--note", "x", "--quarter", "2026Q4"),
    case(A, "quarter-and-year-mismatch", "update", "21", "--note", "x", "--quarter", "2024Q4", "--year", "2025"),
    case(A, "status-word-unknown-zh", "update", "25", "--status", "差不多", *Q2),
    case(A, "milestone-without-done", "update", "21", "--milestone", "1", *Q2),
    case(A, "milestone-zero", "update", "21", "--milestone", "0", "--done", *Q2),
    case(A, "milestone-due-nonsense", "plan", "milestone", "21", "明年某天", "编制方案"),
    case(A, "milestone-due-feb-30", "plan", "milestone", "21", "2025-02-30", "编制方案"),
    case(A, "milestone-due-other-year", "plan", "milestone", "21", "2027-06-30", "编制方案"),
    case(A, "milestone-remove-missing", "plan", "milestone", "21", "--remove", "7"),
    case(A, "milestone-blank-text", "plan", "milestone", "21", "2025-06-30", "   "),
    case(A, "plan-set-unknown-task", "plan", "set", "999", "--baseline", "1万"),
    case(A, "plan-set-baseline-text", "plan", "set", "8", "--baseline", "很多"),
    case(A, "plan-set-baseline-wrong-unit", "plan", "set", "8", "--baseline", "1万平方米"),
    case(A, "plan-set-nothing", "plan", "set", "8"),
    case(A, "plan-unknown-subcommand", "plan", "delete", "8"),
    case(A, "void-text-id", "void", "abc", "--reason", "x"),
    case(A, "void-blank-reason", "void", "1", "--reason", " \t "),
    case(A, "log-since-word", "log", "--since", "昨天"),
    case(A, "log-limit-text", "log", "--limit", "十"),
    case(A, "lagging-due-within-negative", "lagging", "--due-within", "-1"),
    case(A, "lagging-due-within-over-a-year", "lagging", "--due-within", "367"),
    case(A, "status-listed-with-value", "status", "--listed=yes"),
    case(A, "status-tolerance-over-100", "status", "--tolerance", "101"),
    case(A, "status-as-of-quarter-zero", "status", "--as-of", "2025Q0"),
    case(A, "report-as-of-before-year", "report", "--as-of", "2024-12-31"),
    case(A, "report-unknown-output-extension", "report", "--output", "{work}/r.pdf"),
    case(A, "report-output-blank", "report", "--output", "  "),
    case(A, "export-format-html", "export", "--format", "html"),
    case(A, "config-format-csv", "config", "--format", "csv"),
    case(A, "lang-japanese", "status", "--lang", "ja"),
    case(A, "option-abbreviated", "status", "--form", "json"),
    case(A, "import-by-blank", "import", "{work}/ok.csv", "--by", " ", setup=_csv("ok.csv", "id,quarter,value\n21,2025Q2,7\n")),
    case(A, "import-year-missing", "import", "{work}/ok.csv", "--year", "2030", setup=_csv("ok.csv", "id,quarter,value\n21,2025Q2,7\n")),
]  # fmt: skip

TOO_LONG = [
    case(A, "long-name-db", "status", "--db", "{work}/" + LONG),
    case(A, "long-name-init", "init", "--db", "{work}/" + LONG),
    case(A, "long-name-report-output", "report", "--format", "markdown", "--output", "{work}/" + LONG + ".md"),
    case(A, "long-name-export-output", "export", "--format", "csv", "--output", "{work}/" + LONG + ".csv"),
    case(A, "long-name-backup", "backup", "{work}/" + LONG),
    case(A, "long-name-import", "import", "{work}/" + LONG + ".csv"),
    case(A, "long-folder-report-output", "report", "--format", "markdown", "--output", "{work}/" + LONG + "/r.md"),
    case(A, "long-path-report-output", "report", "--format", "markdown", "--output", "{work}/" + DEEP + "/r.md"),
    case(A, "long-path-db", "check", "--db", "{work}/" + DEEP),
    case(A, "long-name-db-env", "status", env={"QDTRACK_DB": "{work}/" + LONG}),
]

# Invalid UTF-8 in argv, in real processes. A text that is not UTF-8 cannot be stored or shown:
# refused as bad input (exit 2), never "this terminal cannot show Chinese" (exit 1).
BAD = "\udcff\udcfe"  # b"\xff\xfe" as Python passes it
U = "arguments (invalid UTF-8, real processes)"
INVALID_UTF8 = [
    case(U, "note", "update", "21", "--note", BAD, *Q2, proc=True),
    case(U, "by", "update", "21", "--note", "ok", "--by", BAD, *Q2, proc=True),
    case(U, "milestone-text", "plan", "milestone", "21", "2025-06-30", BAD, proc=True),
    case(U, "void-reason", "void", "1", "--reason", BAD, proc=True),
    case(U, "item-id", "update", "2" + BAD, "--note", "x", *Q2, proc=True),
    case(U, "value", "update", "21", "--value", "7" + BAD, *Q2, proc=True),
    case(U, "quarter", "update", "21", "--note", "x", "--quarter", "2025Q" + BAD, proc=True),
    case(U, "as-of", "status", "--as-of", BAD, proc=True),
    case(U, "show-id", "show", BAD, proc=True),
    case(U, "command", BAD, proc=True),
    case(U, "option-name", "status", "--" + BAD, proc=True),
    case(U, "import-file-name", "import", "{work}/" + BAD + ".csv", proc=True),
    case(U, "db-path", "status", "--db", "{work}/" + BAD + ".db", code=1, proc=True),
    case(U, "backup-folder", "backup", "{work}/" + BAD + "/b.db", code=1, proc=True),
    case(U, "metric", "update", "3", "--metric", BAD, "--value", "1", *Q2, proc=True),
    case(U, "format", "status", "--format", BAD, proc=True),
]

N = "numbers too large for the ledger"
BIG = "9" * 20  # over 2**63 - 1
NUMBERS = [
    case(N, "void-entry-2-63", "void", str(2**63), "--reason", "x"),
    case(N, "void-entry-20-digits", "void", BIG, "--reason", "x"),
    case(N, "void-entry-max-int", "void", str(2**63 - 1), "--reason", "x"),
    case(N, "log-limit-20-digits", "log", "--limit", BIG),
    case(N, "log-limit-2-63", "log", "--limit", str(2**63)),
    case(N, "milestone-20-digits", "update", "21", "--milestone", BIG, "--done", *Q2),
    case(N, "milestone-remove-20-digits", "plan", "milestone", "21", "--remove", BIG),
    case(N, "area-20-digits", "status", "--area", BIG),
    case(N, "lagging-area-20-digits", "lagging", "--area", BIG),
    case(N, "year-20-digits", "status", "--year", BIG),
    case(N, "year-negative-20-digits", "areas", "--year", "-" + BIG),
    case(N, "due-within-20-digits", "lagging", "--due-within", BIG),
    case(N, "tolerance-1e308", "status", "--tolerance", "1e308"),
    case(N, "tolerance-1e400", "report", "--tolerance", "1e400"),
    case(N, "value-18-digits", "update", "21", "--value", "1" * 18, *Q2),
    case(N, "value-300-digits-yi", "update", "3", "--metric", "完成投资", "--value", "9" * 300 + "亿元", *Q2),
    case(N, "value-exponent", "update", "21", "--value", "1e308", *Q2),
    case(N, "value-tiny-exponent", "update", "21", "--value", "1e-400", *Q2),
    case(N, "add-huge", "update", "21", "--add", "9" * 40, *Q2),
    case(N, "baseline-huge", "plan", "set", "8", "--baseline", "9" * 30 + "万"),
    case(N, "baseline-exponent", "plan", "set", "8", "--baseline", "1e308"),
    case(N, "import-value-400-digits", "import", "{work}/n.csv", setup=_csv("n.csv", "id,quarter,value\n21,2025Q2," + "9" * 400 + "\n")),
    case(N, "import-value-exponent", "import", "{work}/n.csv", setup=_csv("n.csv", "id,quarter,value\n21,2025Q2,1e308\n")),
    case(N, "import-json-float-max", "import", "{work}/n.json",
         setup=_csv("n.json", '{"updates": [{"id": "21", "quarter": "2025Q2", "value": 1.7976931348623157e308}]}')),
    case(N, "import-json-int-2-64", "import", "{work}/n.json",
         setup=_csv("n.json", '{"updates": [{"id": "21", "quarter": "2025Q2", "value": 18446744073709551616}]}')),
    case(N, "import-id-20-digits", "import", "{work}/n.csv", setup=_csv("n.csv", f"id,quarter,note\n{BIG},2025Q2,x\n")),
    case(N, "import-correction-2-64", "import", "{work}/n.csv", setup=_csv("n.csv", f"id,quarter,value,correction\n21,2025Q2,7,{2**64}\n")),
]  # fmt: skip

# A terminal that cannot encode Chinese (LC_ALL=C, ASCII streams, no UTF-8 mode): one line naming
# the fix, exit 1, nothing written (the arguments themselves arrive as undecodable bytes).
C = "terminal without Chinese (real processes)"
ASCII = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
NO_CHINESE = [
    case(C, "status-lang-zh", "status", "--lang", "zh", code=1, env=ASCII, proc=True),
    case(C, "show-lang-zh", "show", "21", "--lang", "zh", code=1, env=ASCII, proc=True),
    case(C, "report-lang-zh", "report", "--format", "markdown", "--lang", "zh", code=1, env=ASCII, proc=True),
    case(C, "update-lang-zh", "update", "21", "--value", "7", *Q2, "--lang", "zh", code=1, env=ASCII, proc=True),
    case(C, "update-chinese-note", "update", "21", "--note", "二季度新开通3条", *Q2, code=1, env=ASCII, proc=True),
    case(C, "update-chinese-by", "update", "21", "--note", "x", "--by", "张三", *Q2, code=1, env=ASCII, proc=True),
    case(C, "void-chinese-reason", "void", "1", "--reason", "录错", code=1, env=ASCII, proc=True),
    case(C, "import-chinese-missing-file", "import", "{work}/二季度.csv", env=ASCII, proc=True),
]

CASES: list[Case] = ARGUMENTS + TOO_LONG + INVALID_UTF8 + NUMBERS + NO_CHINESE
