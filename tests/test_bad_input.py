"""Bad input, everywhere: one line on stderr, the documented exit code, nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import dump

SQL_INJECTION = "'; DROP TABLE tasks; --"

# (args, exit code). {dir} is an existing folder, {file} an existing regular file,
# {db} the ledger itself; see the test for how they are filled in.
CASES = [
    # update: values
    (["update", "21", "--value", "abc", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "NaN", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "inf", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "-inf", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "1e309", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "99999999999999999999", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "-3", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "5亿元", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "4个", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "", "--quarter", "2025Q2"], 2),
    (["update", "21", "--add", "abc", "--quarter", "2025Q2"], 2),
    (["update", "21", "--add", "-inf", "--quarter", "2025Q2"], 2),
    (["update", "1", "--add", "1", "--quarter", "2025Q2"], 2),  # --add on a rate
    (["update", "21", "--value", "3", "--quarter", "2025Q2"], 2),  # falls below Q1 without --correct
    # update: a bare number where the target is written with 万/亿 (issue 8)
    (["update", "36", "--value", "300", "--quarter", "2025Q2"], 2),
    (["update", "44", "--value", "9000", "--quarter", "2025Q2"], 2),
    (["update", "3", "--metric", "完成投资", "--value", "1200", "--quarter", "2025Q2"], 2),
    # update: dates outside the plan year, both --quarter and --on, milestones
    (["update", "21", "--value", "5", "--on", "2099-01-01"], 2),
    (["update", "21", "--value", "5", "--on", "2024-12-31"], 2),
    (["update", "21", "--value", "5", "--on", "2025-02-30"], 2),
    (["update", "21", "--value", "5", "--quarter", "2025Q2", "--on", "2025-05-01"], 2),
    (["update", "21", "--milestone", "9", "--done", "--quarter", "2025Q2"], 2),
    # update: IDs
    (["update", "999", "--note", "x", "--quarter", "2025Q2"], 2),
    (["update", "0", "--note", "x", "--quarter", "2025Q2"], 2),
    (["update", "9.9.9", "--note", "x", "--quarter", "2025Q2"], 2),
    (["update", SQL_INJECTION, "--note", "x", "--quarter", "2025Q2"], 2),
    (["update", "", "--note", "x", "--quarter", "2025Q2"], 2),
    (["update", "--note", "x", "--quarter", "2025Q2"], 2),  # no ID at all
    # update: quarters
    (["update", "21", "--note", "x", "--quarter", "2025Q5"], 2),
    (["update", "21", "--note", "x", "--quarter", "Q0"], 2),
    (["update", "21", "--note", "x", "--quarter", "2024Q1"], 2),
    (["update", "21", "--note", "x", "--quarter", "hello"], 2),
    (["update", "21", "--note", "x", "--quarter", ""], 2),
    # update: metrics, statuses, combinations
    (["update", "3", "--metric", "9", "--value", "5", "--quarter", "2025Q2"], 2),
    (["update", "3", "--value", "5", "--quarter", "2025Q2"], 2),
    (["update", "3", "--metric", "1", "--note", "x", "--quarter", "2025Q2"], 2),
    (["update", "25", "--status", "maybe", "--quarter", "2025Q2"], 2),
    (["update", "21", "--status", "done", "--quarter", "2025Q2"], 2),
    (["update", "21", "--quarter", "2025Q2"], 2),
    (["update", "21", "--value", "5", "--add", "1", "--quarter", "2025Q2"], 2),
    (["update", "21", "--note", "", "--quarter", "2025Q2"], 2),
    (["update", "21", "--note", "   ", "--quarter", "2025Q2"], 2),
    (["update", "21", "--note", "x", "--by", "", "--quarter", "2025Q2"], 2),
    (["update", "21", "--note", "x", "--quarter", "2025Q2", "--year", "1999"], 2),
    (["update", "21", "--note", "x", "--quarter", "2025Q2", "--year", "x"], 2),
    (["update", "21", "--note", "x", "--quarter", "2025Q2", "--lang", "fr"], 2),
    (["update", "21", "--note", "x", "--frobnicate"], 2),
    # status
    (["status", "--as-of", "2025-02-30"], 2),
    (["status", "--as-of", "2025-13-01"], 2),
    (["status", "--as-of", "2026-01-01"], 2),
    (["status", "--as-of", "yesterday-ish"], 2),
    (["status", "--as-of", ""], 2),
    (["status", "--area", "11"], 2),
    (["status", "--area", "-1"], 2),
    (["status", "--area", "x"], 2),
    (["status", "--format", "pdf"], 2),
    (["status", "--tolerance", "nan"], 2),
    (["status", "--tolerance", "-1"], 2),
    (["status", "--tolerance", "inf"], 2),
    (["status", "--year", "1999"], 2),
    (["status", "--item", "999"], 2),
    (["status", "--item", SQL_INJECTION], 2),
    (["status", "--db", "{dir}"], 2),
    (["status", "--db", "{file}/ledger.db"], 1),
    (["status", "--db", "{missing}"], 1),  # a named ledger must exist
    # void and plan milestone
    (["void", "99999", "--reason", "x"], 2),
    (["void", "33"], 2),  # no --reason
    (["void", "33", "--reason", ""], 2),
    (["void", SQL_INJECTION, "--reason", "x"], 2),
    (["plan", "milestone", "21", "2025-13-01", "方案编制"], 2),
    (["plan", "milestone", "21", "2025-06-30", ""], 2),
    (["plan", "milestone", "999", "2025-06-30", "x"], 2),
    # lagging, areas, show
    (["lagging", "--area", "11"], 2),
    (["lagging", "--as-of", "2025-13-01"], 2),
    (["lagging", "--tolerance", "-1"], 2),
    (["lagging", "--format", "pdf"], 2),
    (["areas", "--as-of", "hello"], 2),
    (["areas", "--format", "pdf"], 2),
    (["areas", "--year", "1999"], 2),
    (["show", "999"], 2),
    (["show", ""], 2),
    (["show", "21", "--format", "csv"], 2),
    (["show", "21", "--year", "1999"], 2),
    # init
    (["init"], 2),
    (["init", "--db", "{dir}"], 2),
    (["init", "--db", "{file}/ledger.db"], 1),
    # log
    (["log", "--item", "999"], 2),
    (["log", "--item", ""], 2),
    (["log", "--since", "yesterday-ish"], 2),
    (["log", "--since", "2025-02-30"], 2),
    (["log", "--format", "pdf"], 2),
    (["log", "--year", "1999"], 2),
    (["log", "--limit", "0"], 2),
    (["log", "--limit", "x"], 2),
    # check
    (["check", "--db", "{dir}"], 2),
    (["check", "--db", "{file}"], 1),
    (["check", "--db", "{missing}"], 1),
    # backup
    (["backup", "{file}"], 2),
    (["backup", ""], 2),
    (["backup", "{db}", "--force"], 2),
    (["backup", "{dir}"], 2),
    (["backup"], 2),
    (["backup", "{missing}/sub/copy.db"], 1),
    (["nosuchcommand"], 2),
]

# report, import and export (qdtrack/cli/reports.py), when present
REPORT_CASES = [
    (["report", "--format", "pdf"], 2),
    (["report", "--format", "xlsx"], 2),  # binary needs --output
    (["report", "--as-of", "2025-13-01"], 2),
    (["report", "--as-of", "2026-01-01"], 2),
    (["report", "--tolerance", "nan"], 2),
    (["report", "--year", "1999"], 2),
    (["report", "--output", "{dir}"], 2),
    (["report", "--output", "{file}/r.html"], 1),
    (["import", "{missing}.csv"], 2),
    (["import", "{csv_bad_value}"], 2),
    (["import", "{csv_second_row_bad}"], 2),
    (["import", "{csv_no_id}"], 2),
    (["import", "{csv_bad_quarter}"], 2),
    (["import", "{csv_injection}"], 2),
    (["import", "{xlsx_garbage}"], 2),
    (["import", "{json_broken}"], 2),
    (["import", "{csv_empty}"], 2),
    (["import", "{csv_bad_value}", "--dry-run"], 2),
    (["import", "{csv_bad_value}", "--by", ""], 2),
    (["import", "{dir}"], 2),
    (["export", "--format", "pdf"], 2),
    (["export", "--format", "xlsx"], 2),
    (["export", "--year", "1999"], 2),
]
CASES += REPORT_CASES  # always: a command that disappears fails its cases, it is not skipped

FILES = {
    "csv_bad_value": "id,quarter,value\n21,2025Q2,abc\n",
    "csv_second_row_bad": "id,quarter,value\n21,2025Q2,5\n21,2025Q3,NaN\n",
    "csv_no_id": "quarter,value\n2025Q2,5\n",
    "csv_bad_quarter": "id,quarter,note\n25,2025Q5,ok\n",
    "csv_injection": 'id,quarter,note\n"\'; DROP TABLE tasks; --",2025Q2,x\n',
    "csv_empty": "",
}


def _fill(arg: str, places: dict) -> str:
    for key, value in places.items():
        arg = arg.replace("{" + key + "}", str(value))
    return arg


def _case_id(case) -> str:
    args, code = case
    return f"{code}:" + " ".join(a if a else "''" for a in args)[:60]


def test_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("args,code", CASES, ids=[_case_id(c) for c in CASES])
def test_bad_input(run, seeded, tmp_path, args, code):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    afile = tmp_path / "a-file.txt"
    afile.write_text("not a ledger\n")
    places = {"dir": folder, "file": afile, "db": seeded, "missing": tmp_path / "missing"}
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, text in FILES.items():
        places[name] = inputs / f"{name}.csv"
        places[name].write_text(text, encoding="utf-8")
    places["xlsx_garbage"] = inputs / "garbage.xlsx"
    places["xlsx_garbage"].write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    places["json_broken"] = inputs / "broken.json"
    places["json_broken"].write_text("{not json", encoding="utf-8")
    args = [_fill(a, places) for a in args]
    before = dump(seeded)
    result = run(*args)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert dump(seeded) == before
    assert afile.read_text() == "not a ledger\n"
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "missing").exists()
