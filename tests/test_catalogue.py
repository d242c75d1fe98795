"""The hostile-input catalogue (issue 13): named bad inputs, grouped by class, each run on a
fresh copy of a seeded ledger. A refusal is its documented exit code, one "Error: " line on
stderr, nothing on stdout, the ledger's content unchanged and every file the case made left as
it was. ``python -m tests.test_catalogue`` prints the count per class (README, Data safety);
tests/test_bad_input.py's cases count as the class "bad input (test_bad_input.py)"."""

from __future__ import annotations

import collections
import os
import pathlib
import re
from collections.abc import Sequence

import pytest

from tests import catalogue_args, catalogue_cycle, catalogue_disk, catalogue_files, catalogue_inputs, catalogue_terminal
from tests.catalogue_kit import (
    Case,
    alarm,
    assert_clean,
    assert_refusal,
    content,
    fill,
    invoke,
    invoke_process,
    make_template,
    snapshot,
    workdir,
)

CASES: list[Case] = [*catalogue_files.CASES, *catalogue_inputs.CASES, *catalogue_args.CASES, *catalogue_terminal.BY_REFUSED, *catalogue_disk.CASES, *catalogue_cycle.CASES]
MINIMUM = 300


def _others() -> dict[str, int]:
    """Cases counted from the other catalogue tables (their own tests run them)."""
    from tests import test_bad_input

    return {"bad input (test_bad_input.py)": len(test_bad_input.CASES)}


def counts() -> dict[str, int]:
    out = collections.Counter(c.group for c in [*CASES, *catalogue_terminal.CASES])
    return dict(sorted(out.items())) | _others()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return make_template(tmp_path_factory.mktemp("catalogue-template"))


def _params(cases: Sequence[Case | catalogue_terminal.Display]) -> list[object]:
    out = []
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


def _skip_unless_root(c: Case) -> None:
    if c.root and os.geteuid() != 0:
        pytest.skip("device files need root (mknod)")


@pytest.mark.parametrize("c", _params(CASES))
def test_refused(c: Case, template: pathlib.Path, tmp_path: pathlib.Path) -> None:
    _skip_unless_root(c)
    with alarm(60), workdir(tmp_path, template) as (work, db):
        undo = c.setup(work, db) if c.setup else None
        try:
            _check_refusal(c, work, db)
        finally:
            if callable(undo):
                undo()


def _check_refusal(c: Case, work: pathlib.Path, db: pathlib.Path) -> None:
    places = {"work": work, "db": db}
    args = fill(c.args, places)
    env = dict(zip([k for k, _ in c.env], fill([v for _, v in c.env], places), strict=True))
    files, before = snapshot(work), content(db)
    result = (invoke_process if c.proc else invoke)(args, work, db, env)
    assert_clean(result, args)
    assert result.exit_code == c.code, (args, result.exit_code, result.stderr)
    assert_refusal(result, args)
    assert result.stdout == ""
    assert content(db) == before
    assert snapshot(work) == files


@pytest.mark.parametrize("d", _params(catalogue_terminal.CASES))
def test_displayed_clean_exported_exact(d: catalogue_terminal.Display, template: pathlib.Path, tmp_path: pathlib.Path) -> None:
    with workdir(tmp_path, template) as (work, db):
        recorded = invoke(d.record_args(), work, db, d.record_env())
        assert recorded.exit_code == 0, recorded.stderr
        args = fill(d.args, {"work": work, "db": db})
        result = invoke(args, work, db)
        assert_clean(result, args)
        assert result.exit_code == 0, (args, result.stderr)
        shown = (work / d.output).read_bytes().decode("utf-8") if d.output else result.stdout  # no newline translation
        if d.exact:
            assert d.payload in catalogue_terminal.exported_notes(d.exact, shown)
        else:
            assert catalogue_terminal.unsafe(shown + result.stderr) == [], args


def test_the_catalogue_counts_at_least_300_cases() -> None:
    total = sum(counts().values())
    assert total >= MINIMUM, counts()
    assert len({c.id for c in CASES}) == len(CASES), "case names are unique"


def test_the_readme_never_claims_more_cases_than_there_are() -> None:
    """README's Data safety table (``python -m tests.test_catalogue``): no class over its count."""
    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Hostile input", 1)[-1].split("\n## ", 1)[0]
    claimed = dict(re.findall(r"^\| ([^|*]+?) \| (\d+) \|$", section, re.MULTILINE))
    have = counts()
    assert claimed and all(int(n) <= have.get(k, 0) for k, n in claimed.items()), (claimed, have)


def table() -> str:
    rows = ["| class | cases |", "| --- | ---: |"] + [f"| {k} | {v} |" for k, v in counts().items()]
    return "\n".join([*rows, f"| **total** | **{sum(counts().values())}** |"])


if __name__ == "__main__":
    print(table())
