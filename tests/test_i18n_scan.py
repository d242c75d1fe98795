"""Under a Chinese locale nothing a person reads is English (issue 10, "Done when").

The scanner (``english_words``) removes what may stay English — option names, paths,
environment variables and metavars, format names — and reports every other run of
Latin letters. It scans, in Chinese: the help of every command and subcommand, every case
of the bad-input catalogue (tests/test_bad_input.py), the status/lagging/areas/show
tables, the update confirmation, log, check, config and every report format.
"""

from __future__ import annotations

import html.parser
import json
import re
from collections.abc import Iterable, Iterator

import click
import pytest

from qdtrack.cli import cli
from qdtrack.planset import COMPARATORS, KINDS
from tests.conftest import REPO, SEEDS, write_config
from tests.test_bad_input import CASES, FILES, _case_id, _fill

# --- the scanner ----------------------------------------------------------------------

#: Patterns removed before counting: what a user types or a machine reads.
ALLOWED_PATTERNS = [
    r"\b[A-Z][A-Z0-9_]*=[\w.@-]+",  # a locale setting shown as the source of the language (LANG=zh_CN.UTF-8)
    r"(?<![\w-])--?[A-Za-z][\w-]*",  # option names (--value, -h): typed as shown, in every language
    r"(?:~|\$\w+|\.{1,2}|\w[\w.{}-]*)?(?:/[\w.{}*-]+)+/?",  # paths (~/x, /tmp/x/ledger.db, reports/{date}.html)
    r"[\w{}-]*\.(?:csv|xlsx|json|html|md|db|toml|lock|bak|txt|docx|pdf)\b",  # file names and extensions: format names
    r"\$?\b[A-Z][A-Z0-9_]+\b",  # env vars (QDTRACK_DB, LANG, CRON_TZ) and metavars (ID, PATH, TEXT, UTF-8)
    r"\{\w+\}",  # placeholders the user types in --output ({date})
    r"\b(?=[0-9a-f]*[0-9])[0-9a-f]{8,64}\b",  # hex IDs: the history chain's head, entry uids
]
ALLOWED_WORDS = {
    "qdtrack",  # the program's name: what the user types
    "markdown", "html", "json", "csv", "xlsx", "table",  # --format values (format names)
    "en", "zh",  # --lang values
    "lang", "db", "tolerance", "by",  # the config file's keys, written as-is in config.toml
    "SQLite",  # the database engine's name (a product name, like Excel)
    "seed",  # the recorder name ``init`` stores on the bundled seed's entries: ledger data, not interface
}  # fmt: skip


def _command_names(group: click.Group) -> set[str]:
    """Every command and subcommand name: typed as shown, like option names."""
    ctx = click.Context(group)
    names: set[str] = set()
    for name in group.list_commands(ctx):
        names.add(name)
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            names |= _command_names(command)
    return names


ALLOWED_WORDS |= _command_names(cli)
_PATTERN = re.compile("|".join(ALLOWED_PATTERNS))
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str, also_allowed: Iterable[str] = ()) -> list[str]:
    """The English words left in ``text`` once the allowed ones are removed.

    ``also_allowed``: literal strings removed first (a bad-input case's own arguments,
    which its error echoes back)."""
    for literal in sorted((a for a in also_allowed if a), key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(literal)}(?![A-Za-z])", " ", text)  # whole, never inside a word
    text = _PATTERN.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED_WORDS]


class _Text(html.parser.HTMLParser):
    """What a reader sees of an HTML page: text nodes and title/alt/aria-label attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "alt", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "\n".join(parser.parts)


#: JSON keys whose values are machine words (status values, kinds, dates): English by design.
JSON_MACHINE_KEYS = {"status", "kind", "comparator", "quarter", "as_of", "figure_as_of", "judged_at", "source",
                     "format", "generated_at", "due", "done_on", "recorded_at", "direction", "schema"}  # fmt: skip


def json_values(data: object, key: str = "") -> Iterator[str]:
    """The string values of a JSON document a person might read (keys and machine words left out)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k not in JSON_MACHINE_KEYS:
                yield from json_values(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from json_values(v, key)
    elif isinstance(data, str):
        yield data


# --- the scanner can fail ------------------------------------------------------------------


def test_the_scanner_finds_english_and_spares_what_may_stay():
    sample = "错误：no task '999' in the ledger (see 'qdtrack --help')"
    assert english_words(sample) == ["no", "task", "in", "the", "ledger", "see"]
    allowed = "用法：qdtrack update [OPTIONS] ID --value TEXT，$QDTRACK_DB 或 ~/.config/qdtrack/config.toml，reports/{date}.html，--format json"
    assert english_words(allowed) == []
    assert english_words("没有 'nope' 这个命令。", also_allowed=["nope"]) == []
    assert english_words(html_text('<p title="no data 11">未填报</p><script>var x = "skip";</script>')) == ["no", "data"]
    assert list(json_values({"status": "lagging", "title": "Lagging tasks"})) == ["Lagging tasks"]


# --- the outputs, in Chinese -------------------------------------------------------------------


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


@pytest.fixture
def run(runner):
    """The CLI as installed: named qdtrack (CliRunner would call it "cli" in usage lines)."""

    def _run(*args):
        return runner.invoke(cli, [str(a) for a in args], prog_name="qdtrack", catch_exceptions=False)

    return _run


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            paths.append(prefix + [name])
            if isinstance(command, click.Group):
                walk(command, prefix + [name])

    walk(cli, [])
    return paths


COMMANDS = _command_paths()


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "qdtrack" for p in COMMANDS])
def test_help_of_every_command_is_chinese(run, zh, path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert english_words(result.stdout, also_allowed=CHOICES.get(" ".join(path), ())) == [], result.stdout


#: Option values that only exist in English, listed by the help of the command that takes them
#: (typed as shown, like option names).
CHOICES = {"plan set": (*COMPARATORS, *KINDS)}


@pytest.mark.parametrize("args,code", CASES, ids=[_case_id(c) for c in CASES])
def test_every_bad_input_error_is_chinese(run, seeded, zh, tmp_path, args, code):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    afile = tmp_path / "a-file.txt"
    afile.write_text("not a ledger\n")
    places: dict[str, object] = {"dir": folder, "file": afile, "db": seeded, "missing": tmp_path / "missing"}
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, text in FILES.items():
        places[name] = inputs / f"{name}.csv"
        places[name].write_text(text, encoding="utf-8")  # type: ignore[attr-defined]
    places["xlsx_garbage"] = inputs / "garbage.xlsx"
    places["xlsx_garbage"].write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)  # type: ignore[attr-defined]
    places["json_broken"] = inputs / "broken.json"
    places["json_broken"].write_text("{not json", encoding="utf-8")  # type: ignore[attr-defined]
    filled = [_fill(a, places) for a in args]
    result = run(*filled)
    assert result.exit_code == code, result.stderr
    # the case's own arguments, and the cells of its input file, may come back in the message (the user's input)
    assert english_words(result.stderr, also_allowed=filled + DATA_CELLS) == [], result.stderr


#: The data cells (not the header) of the bad import files: an error quotes the cell it refuses.
DATA_CELLS = [cell.strip('"') for text in FILES.values() for line in text.splitlines()[1:] for cell in line.split(",")]


def _outputs(run, tmp_path) -> Iterator[tuple[str, str]]:
    """(name, text a person reads) of every view, confirmation and report, in Chinese."""
    write_config('by = "市发改委"\n')
    init = run("init")
    yield "init", init.stdout + init.stderr
    for args in (["update", "21", "--value", "7", "--quarter", "2025Q2", "--note", "二季度新开通3条"],
                 ["plan", "milestone", "9.2.4", "2025-05-31", "完成选址"], ["plan", "milestone", "9.2.4", "年底前", "开工"],
                 ["update", "9.2.4", "--milestone", "1", "--done", "--on", "2025-05-20"], ["plan", "set", "8", "--baseline", "1.3万"],
                 ["plan", "milestone", "9.2.4", "--remove", "2"], ["void", "68", "--reason", "误记"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        yield " ".join(args[:2]), result.stdout + result.stderr
    for args in (["status"], ["status", "--listed"], ["lagging", "--due-within", "366"], ["areas"], ["show", "21"],
                 ["show", "3"], ["show", "9.2.4"], ["show", "8"], ["log"], ["check"], ["config"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        yield " ".join(args), result.stdout + result.stderr
    docs = REPO / "tests" / "docs"
    for args in (["plan", "load", docs / "report_2026.txt", "--listed", docs / "listed_2026.txt", "--year", "2026", "--dry-run"],
                 ["ingest", SEEDS / "002_46f98387e7e7970e.txt", "--quarter", "2025Q1", "--dry-run"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        yield " ".join(map(str, args[:2])), result.stdout + result.stderr
    for fmt in ("markdown", "csv"):
        yield f"report {fmt}", run("report", "--format", fmt).stdout
    yield "report html", html_text(run("report", "--format", "html").stdout)
    yield "report json", "\n".join(json_values(json.loads(run("report", "--format", "json").stdout)))
    xlsx = tmp_path / "report.xlsx"
    assert run("report", "--output", str(xlsx)).exit_code == 0
    yield "report xlsx", _xlsx_text(xlsx)


def _xlsx_text(path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    parts = list(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts += [v for v in row if isinstance(v, str)]
    return "\n".join(parts)


def test_views_confirmations_and_reports_are_chinese(run, zh, tmp_path):
    found = {name: english_words(text) for name, text in _outputs(run, tmp_path)}
    assert {name: words for name, words in found.items() if words} == {}


def test_the_same_outputs_in_english_are_caught(run, tmp_path):
    """The scan sees the outputs: in English it finds words in every one but those that are
    Chinese whatever the language (json values are the ledger's data; xlsx keeps the ledger's layout)."""
    found = {name: english_words(text) for name, text in _outputs(run, tmp_path)}
    quiet = {name for name, words in found.items() if not words}
    assert quiet == {"report json", "report xlsx"}, quiet


def test_the_hint_after_an_update_is_chinese(run, seeded, zh):
    """In a quarter's first month a figure dated today may be last quarter's return: the hint says so."""
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime.datetime(2025, 7, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        result = run("update", "36", "--value", "500万")
    assert result.exit_code == 0, result.stderr
    assert "提示：如果这是2025年二季度的数据" in result.stderr
    assert english_words(result.stdout + result.stderr) == [], result.stdout + result.stderr
