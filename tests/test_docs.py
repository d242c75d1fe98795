"""Every command is documented: its help has examples, and README.md shows it."""

import pathlib

import pytest

from qdtrack.cli import cli

README = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_with_examples(name):
    cmd = cli.commands[name]
    assert cmd.help and "Examples:" in cmd.help
    assert cmd.help.splitlines()[0].strip().endswith(".")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_in_the_readme(name):
    assert f"### qdtrack {name} --help" in README


def test_readme_has_the_two_setup_commands():
    assert "pip install . && qdtrack status --area 9" in README
    assert "pip install '.[test]' && pytest" in README
