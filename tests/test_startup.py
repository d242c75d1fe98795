"""Start-up: a command imports only what it uses (measured in bench/startup.py, checked here).

The times are the benchmark's business (machines differ); this guard checks the cause of a
slow start, the modules a real process imports, for each everyday command, with and without a
config file.
"""

import json
import subprocess
import sys

import pytest

PROBE = (
    "import sys, json\n"
    "from qdtrack.cli import cli\n"
    "try:\n"
    "    cli.main(sys.argv[1:], prog_name='qdtrack')\n"
    "except SystemExit:\n"
    "    pass\n"
    "from qdtrack.i18n import current_language\n"
    "sys.stderr.write(json.dumps(sorted(m for m in sys.modules) + ['lang=' + current_language()]))\n"
)

#: The standard library modules a read command may import beyond the floor (``import click,
#: json, sqlite3``; bench/startup.py): unicodedata for display widths, decimal where a figure is
#: rounded for a table, struct to read the Chinese catalogue, pwd (built in) for ~ when HOME is
#: unset (cron). pathlib (with urllib.parse and ipaddress), calendar, locale, dataclasses, tomllib
#: and importlib.resources each cost start-up and are kept off the read path.
#: decimal is not among them: figures are shown rounded from their repr (quantity.round_half_up)
BEYOND_FLOOR = {"atexit", "unicodedata", "struct", "_struct", "pwd"}

#: What no command that only reads may import: the writer library (sqlite-utils, for
#: migrations), OpenSSL (hashlib: uids and the chain, made on writes), the spreadsheet,
#: template and table libraries, the catalogue tool (babel; the running program reads the
#: .mo with gettext), the plan loader's drafts, and the other commands' modules.
NOT_FOR_READERS = (
    "sqlite_utils", "dateutil", "openpyxl", "babel", "jinja2", "tabulate", "wcwidth", "importlib.metadata", "csv",
    "hashlib", "qdtrack.migrations", "qdtrack.report", "qdtrack.exchange", "qdtrack.sheets", "qdtrack.planload_drafts",
    "qdtrack.cli.reports", "qdtrack.cli.admin", "qdtrack.cli.plan", "qdtrack.cli.settings",
    # the ledger's write side loads on first use (qdtrack.ledger.Ledger.__getattr__)
    "qdtrack.ledger.writes", "qdtrack.ledger.history", "qdtrack.ledger.chain", "qdtrack.ledger.report",
    "qdtrack.ledger.planload", "qdtrack.ledger.restore",
)  # fmt: skip

READS = [
    ["status", "--area", "9"],
    ["status", "--format", "json"],
    ["status", "--item", "21", "--format", "json"],
    ["lagging"],
    ["show", "36"],
    ["show", "21", "--format", "json"],
    ["areas"],
    ["status", "--area", "9", "--lang", "zh"],
]


def modules_after(args, env_path, lang="C.UTF-8", config_home=None):
    env = {
        "QDTRACK_DB": str(env_path),
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "LANG": lang,
        "XDG_CONFIG_HOME": str(config_home or env_path.parent / "no-config"),  # no developer config
    }
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env)
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.db"
    subprocess.run([sys.executable, "-m", "qdtrack", "init", "--db", str(path)], check=True, capture_output=True)
    return path


@pytest.fixture
def config_home(tmp_path):
    """A config file as people write one (Chinese throughout, a name, a tolerance)."""
    home = tmp_path / "config"
    (home / "qdtrack").mkdir(parents=True)
    (home / "qdtrack" / "config.toml").write_text('lang = "zh"\nby = "王芳"\ntolerance = 2\n', encoding="utf-8")
    return home


@pytest.mark.parametrize("args", READS)
@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8"])
def test_read_commands_import_no_writer_or_spreadsheet(ledger, args, lang):
    mods = modules_after(args, ledger, lang)
    assert "qdtrack.progress" in mods  # the probe really ran the command
    for heavy in NOT_FOR_READERS:
        assert heavy not in mods, heavy


@pytest.mark.parametrize("args", READS)
def test_a_config_file_adds_no_heavy_import(ledger, config_home, args):
    mods = modules_after(args, ledger, config_home=config_home)
    assert "qdtrack.progress" in mods and "lang=zh" in mods  # the command ran and read the file
    for heavy in NOT_FOR_READERS:
        assert heavy not in mods, heavy


@pytest.fixture(scope="module")
def floor_modules():
    code = "import sys, click, json, sqlite3; print(' '.join(sorted(sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize("args", READS)
@pytest.mark.parametrize("with_config", [False, True])
def test_read_commands_import_little_beyond_the_floor(ledger, config_home, floor_modules, args, with_config):
    mods = modules_after(args, ledger, config_home=config_home if with_config else None)
    assert "qdtrack.progress" in mods
    extra = {m for m in mods - floor_modules if not m.startswith(("qdtrack", "lang="))}
    assert extra <= BEYOND_FLOOR, sorted(extra - BEYOND_FLOOR)


@pytest.mark.parametrize("args", [["status", "--item", "21", "--format", "json"], ["status", "--format", "json"]])
def test_json_output_needs_no_table_library(ledger, args):
    mods = modules_after(args, ledger)
    assert "qdtrack.render_json" in mods
    assert not {"tabulate", "wcwidth"} & mods


def test_update_writes_without_sqlite_utils_or_other_commands(ledger):
    mods = modules_after(["update", "21", "--value", "5", "--quarter", "2025Q2", "--by", "t"], ledger)
    assert "qdtrack.recording" in mods
    for heavy in ("sqlite_utils", "qdtrack.migrations", "openpyxl", "jinja2", "tabulate", "wcwidth", "qdtrack.cli.reports"):
        assert heavy not in mods, heavy


def test_check_and_export_do_not_import_the_report():
    code = "import sys, qdtrack.cli.admin; print(' '.join(sorted(sys.modules)))"
    mods = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not {"jinja2", "openpyxl", "qdtrack.report", "qdtrack.cli.reports"} & mods


def test_the_group_imports_no_command_module_until_a_command_is_used():
    code = (
        "import sys\nfrom qdtrack.cli import cli, COMMANDS\n"
        "before = sorted(m for m in sys.modules if m.startswith('qdtrack.cli.') and m != 'qdtrack.cli.options')\n"
        "names = {n: c.name for n, c in cli.commands.items()}\n"
        "print(before, names == {n: n for n in COMMANDS}, 'status' in cli.commands, 'nope' in cli.commands)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["[]", "True", "True", "False"]


def test_known_migrations_match_the_migration_set():
    from qdtrack.ledger import KNOWN_MIGRATIONS
    from qdtrack.migrations import migrations

    assert tuple(m.name for m in migrations._migrations) == KNOWN_MIGRATIONS


def test_the_write_side_loads_on_first_use_and_only_then(ledger):
    code = """
import sys
from qdtrack.ledger import Ledger
ledger = Ledger.open(sys.argv[1])
before = type(ledger), "qdtrack.ledger.chain" in sys.modules
head = ledger.chain_head()  # a method of the chain mixin
after = type(ledger), "qdtrack.ledger.chain" in sys.modules
try:
    ledger.no_such_method
except AttributeError as e:
    missing = str(e)
print(before[0] is Ledger, before[1], after[0] is not Ledger, after[1], isinstance(ledger, Ledger),
      type(ledger).__name__, bool(head), missing, sep="|")
"""
    out = subprocess.run([sys.executable, "-c", code, str(ledger)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().split("|") == [
        "True", "False", "True", "True", "True", "Ledger", "True", "'Ledger' object has no attribute 'no_such_method'"
    ]


@pytest.mark.parametrize("args", [a for a in READS if "json" in a] + [["lagging", "--format", "json"], ["areas", "--format", "json"]])
def test_json_needs_none_of_the_tables(ledger, args):
    mods = modules_after(args, ledger)
    assert "qdtrack.render_json" in mods and "qdtrack.progress" in mods
    for tables in ("qdtrack.render_views", "qdtrack.render", "qdtrack.texts"):
        assert tables not in mods, tables
