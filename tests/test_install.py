"""The wheel carries every package and every package-data file: a non-editable install works
from any directory.

What the wheel must hold is read from the source tree when the test runs (every package
folder, every file matching ``PACKAGE_DATA``), so the check grows with the project.
"""

import configparser
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent

#: Package data, as globs in the source tree (relative to the repository). A file matching
#: one of them must be in the wheel; add the glob here and in setup.cfg together.
PACKAGE_DATA = [
    "data/seed.sql",
    "qdtrack/report/templates/*",
    "qdtrack/locale/**/*.mo",
]


def setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg", encoding="utf-8")
    return cfg


def package_dirs() -> dict[str, str]:
    """Package -> its folder in the source tree, as setup.cfg's package_dir maps them."""
    mapping: dict[str, str] = {}
    for line in setup_cfg()["options"].get("package_dir", "").splitlines():
        if "=" in line:
            name, folder = (part.strip() for part in line.split("=", 1))
            mapping[name] = folder
    return mapping


def source_packages() -> dict[str, pathlib.Path]:
    """Every package in the source tree: qdtrack's folders with an __init__.py, and the mapped ones."""
    found: dict[str, pathlib.Path] = {}
    for init in sorted((REPO / "qdtrack").rglob("__init__.py")):
        if "__pycache__" not in init.parts:
            found[".".join(init.parent.relative_to(REPO).parts)] = init.parent
    for name, folder in package_dirs().items():
        found[name] = REPO / folder
    return found


def installed_path(source: pathlib.Path) -> str:
    """Where a source file lands in the wheel (data/seed.sql -> qdtrack/data/seed.sql)."""
    rel = source.relative_to(REPO)
    best, target = "", ""
    for name, folder in package_dirs().items():
        if rel.is_relative_to(folder) and len(folder) > len(best):
            best, target = folder, name
    if not best:
        return rel.as_posix()
    return "/".join([*target.split("."), *rel.relative_to(best).parts])


def expected_in_wheel() -> set[str]:
    files: set[str] = set()
    for folder in source_packages().values():
        files.update(installed_path(p) for p in folder.glob("*.py"))
    for pattern in PACKAGE_DATA:
        files.update(installed_path(p) for p in REPO.glob(pattern) if p.is_file())
    return files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    # setuptools and wheel come with the test extras: without them this fails, it does not skip
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
    (built,) = (work / "dist").glob("qdtrack-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def run_installed(
    target: pathlib.Path, cwd: pathlib.Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); import qdtrack, pathlib; "
        "assert pathlib.Path(qdtrack.__file__).is_relative_to(sys.path[0]), qdtrack.__file__; "
        "from qdtrack.cli import cli; cli(prog_name='qdtrack')"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(target), *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_wheel_holds_the_seed(installed: pathlib.Path) -> None:
    assert (installed / "qdtrack" / "data" / "seed.sql").is_file()


def test_setup_cfg_lists_every_package() -> None:
    listed = {p.strip() for p in setup_cfg()["options"]["packages"].replace(",", " ").split()}
    assert listed == set(source_packages())


def test_expectations_read_the_tree() -> None:
    """The check below is not vacuous: it expects the known packages and data files."""
    want = expected_in_wheel()
    assert {"qdtrack/__init__.py", "qdtrack/cli/__init__.py", "qdtrack/data/seed.sql"} <= want
    assert any(f.startswith("qdtrack/report/templates/") for f in want)


def test_wheel_holds_every_package_and_data_file(wheel: pathlib.Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    missing = sorted(expected_in_wheel() - names)
    assert not missing, f"missing from {wheel.name}: {missing}"
    packages = {".".join(n.split("/")[:-1]) for n in names if n.endswith("/__init__.py")}
    assert packages >= set(source_packages())


def test_show_36_from_another_directory(installed: pathlib.Path, tmp_path: pathlib.Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QDTRACK_DB"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # the default location: created on first use
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_installed(installed, elsewhere, "show", "36", env=env)
    assert r.returncode == 0, r.stderr
    assert "新增绿色建筑1000万平方米" in r.stdout and "278.17万平方米" in r.stdout
    assert "Created a new ledger" in r.stderr
