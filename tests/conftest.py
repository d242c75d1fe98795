import os
import pathlib
import sqlite3

import pytest
from click.testing import CliRunner

from qdtrack.cli import cli

REPO = pathlib.Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def ledger_path(tmp_path, monkeypatch):
    """Every test gets its own ledger at the default location (created on first use, like the
    README's first command); nothing touches ~/.local/share. A path named with --db or
    QDTRACK_DB must exist: tests that name one run ``qdtrack init --db`` first."""
    path = tmp_path / "xdg" / "qdtrack" / "ledger.db"
    monkeypatch.delenv("QDTRACK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # no developer config
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    return path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def run(runner):
    """Invoke the CLI; returns the click Result (stdout, stderr and exit_code kept apart)."""

    def _run(*args, **kw):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)

    return _run


@pytest.fixture
def seeded(run, ledger_path):
    result = run("init")
    assert result.exit_code == 0, result.stderr
    return ledger_path


def dump(path) -> str:
    """The ledger's content (compare dumps, not bytes: a WAL checkpoint moves bytes)."""
    conn = sqlite3.connect(str(path))
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def english_after():
    """A test that switches the language (--lang zh, a zh locale) leaves English behind it."""
    yield
    from qdtrack import i18n

    i18n.activate("en")


def write_config(text: str) -> pathlib.Path:
    """Write the (isolated) config file $XDG_CONFIG_HOME/qdtrack/config.toml."""
    path = pathlib.Path(os.environ["XDG_CONFIG_HOME"]) / "qdtrack" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
