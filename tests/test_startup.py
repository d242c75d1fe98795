"""Start-up: a command imports only what it uses (measured in bench/startup.py, checked here)."""

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
    "sys.stderr.write(json.dumps(sorted(m for m in sys.modules)))\n"
)


def modules_after(args, env_path, lang="C.UTF-8"):
    env = {
        "QDTRACK_DB": str(env_path),
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "LANG": lang,
        "XDG_CONFIG_HOME": str(env_path.parent / "no-config"),  # no developer config
    }
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env)
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.db"
    subprocess.run([sys.executable, "-m", "qdtrack", "init", "--db", str(path)], check=True, capture_output=True)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--area", "9"],
        ["status", "--item", "21", "--format", "json"],
        ["lagging"],
        ["show", "36"],
        ["areas"],
        ["status", "--area", "9", "--lang", "zh"],
    ],
)
@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8"])
def test_read_commands_import_no_writer_or_spreadsheet(ledger, args, lang):
    mods = modules_after(args, ledger, lang)
    assert "qdtrack.progress" in mods  # the probe really ran the command
    # babel is the catalogue tool (tools/i18n.py); the running program reads the .mo with gettext
    for heavy in ("sqlite_utils", "dateutil", "openpyxl", "babel", "qdtrack.migrations", "qdtrack.report"):
        assert heavy not in mods, heavy


def test_json_output_needs_no_table_library(ledger):
    mods = modules_after(["status", "--item", "21", "--format", "json"], ledger)
    assert "tabulate" not in mods


def test_known_migrations_match_the_migration_set():
    from qdtrack.ledger import KNOWN_MIGRATIONS
    from qdtrack.migrations import migrations

    assert tuple(m.name for m in migrations._migrations) == KNOWN_MIGRATIONS
