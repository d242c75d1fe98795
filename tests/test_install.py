"""The wheel carries the seed: a non-editable install works from any directory."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    try:
        import setuptools  # noqa: F401
    except ImportError:  # pragma: no cover
        pytest.skip("setuptools is needed to build the wheel")
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", ".hypothesis", "*.egg-info", "build", "dist", "__pycache__", ".*cache"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("qdtrack-*.whl")
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def run_installed(target, cwd, *args, env=None):
    code = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); import qdtrack, pathlib; "
        "assert pathlib.Path(qdtrack.__file__).is_relative_to(sys.path[0]), qdtrack.__file__; "
        "from qdtrack.cli import cli; cli(prog_name='qdtrack')"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(target), *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_wheel_holds_the_seed(installed):
    assert (installed / "qdtrack" / "data" / "seed.sql").is_file()


def test_show_36_from_another_directory(installed, tmp_path):
    env = {**os.environ, "QDTRACK_DB": str(tmp_path / "l.db")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_installed(installed, elsewhere, "show", "36", env=env)
    assert r.returncode == 0, r.stderr
    assert "新增绿色建筑1000万平方米" in r.stdout and "278.17万平方米" in r.stdout
    assert "Created a new ledger" in r.stderr
