"""The HTML report laid out by a real browser (headless Chromium; skipped where it is not installed):
no sideways scroll on a 390 px phone, the lagging section on the first screen, A4 when printed."""

from __future__ import annotations

import importlib.util
import pathlib
import re
import shutil
import types

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")),
    reason="no Chromium (apt-get install -y chromium fonts-noto-cjk)",
)


@pytest.fixture(scope="module")
def shots() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", REPO / "tools" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def page(seeded, run, tmp_path) -> pathlib.Path:
    for args in (("update", "21", "--value", "7", "--quarter", "2025Q2", "--note", "二季度新开通航线3条" * 20),
                 ("plan", "milestone", "9.2.4", "2025-05-31", "完成选址和方案编制"),
                 ("update", "36", "--value", "500万", "--quarter", "2025Q2")):  # fmt: skip
        r = run(*args)
        assert r.exit_code == 0, r.stderr
    path = tmp_path / "r.html"
    r = run("report", "--lang", "zh", "--output", path)
    assert r.exit_code in (0, 4), r.stderr
    return path


@pytest.mark.parametrize("width", [390, 1366])
def test_no_sideways_scroll(shots, page, width):
    scroll, inner = shots.measure_width(page, width)
    assert inner == width
    assert scroll <= width


def test_a_wide_page_would_be_caught(shots, tmp_path):
    """The measurement can fail: a page with a 600 px wide block scrolls sideways at 390 px."""
    wide = tmp_path / "wide.html"
    wide.write_text('<!DOCTYPE html><meta name="viewport" content="width=device-width"><div style="width:600px">x</div>')
    scroll, _ = shots.measure_width(wide, 390)
    assert scroll > 390


def test_lagging_section_on_the_first_phone_screen(shots, page):
    with shots.Browser() as b:
        b.open(page.as_uri(), 390, 844, mobile=True)
        top = b.evaluate("document.getElementById('lagging').getBoundingClientRect().top")
    assert 0 < top < 844


def test_printed_on_a4(shots, page, tmp_path):
    pdf = tmp_path / "r.pdf"
    shots.print_pdf(page, pdf)
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)  # A4 portrait
