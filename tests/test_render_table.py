"""render.tabulate_rows lays tables out as tabulate's "simple" format did, without importing it.

tabulate 0.10 costs ~70 ms at import (importlib.metadata, wcwidth); qdtrack's own layout uses
the standard library's unicodedata for widths. These tests hold the two to the same output.
"""

from __future__ import annotations

import random

import click
import pytest

from qdtrack.render import char_width, tabulate_rows, text_width, truncate

tabulate = pytest.importorskip("tabulate").tabulate
wcwidth = pytest.importorskip("wcwidth")

ALPHABET = list("abcXYZ019 .%+-#|[]") + list("新开通海运航线条以上完成投资亿元") + list("↳…·—→（），。２％äé")


def _cell(rnd: random.Random) -> object:
    r = rnd.random()
    if r < 0.1:
        return None
    if r < 0.2:
        return rnd.randint(0, 500)
    if r < 0.25:
        return ""
    s = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 12)))
    if r < 0.35:
        s = click.style(s, fg="red", bold=rnd.random() < 0.5)
    if r < 0.38:
        s += "\n" + "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 5)))
    return s


@pytest.mark.parametrize("seed", range(20))
def test_same_layout_as_tabulate_simple(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(50):
        ncol, nrow = rnd.randint(1, 8), rnd.randint(0, 6)
        headers = ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 8))) for _ in range(ncol)]
        rows = [[_cell(rnd) for _ in range(ncol)] for _ in range(nrow)]
        assert tabulate_rows(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def test_widths_agree_with_wcwidth_for_every_character_of_the_seed_and_catalogues() -> None:
    import glob
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    chars: set[str] = set()
    for f in [root / "data" / "seed.sql", *map(pathlib.Path, glob.glob(str(root / "qdtrack/locale/*/LC_MESSAGES/*.po")))]:
        chars |= set(f.read_text(encoding="utf-8"))
    differ = [c for c in sorted(chars) if c.isprintable() and char_width(c) != wcwidth.wcwidth(c)]
    assert len(chars) > 500 and not differ


def test_truncate_counts_chinese_as_two_columns() -> None:
    assert text_width("新开通a") == 7
    assert text_width(click.style("滞后", fg="red")) == 4
    assert truncate("新开通海运航线10条以上", 8) == "新开通…"
