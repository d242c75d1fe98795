"""Screenshots of the HTML report at 1366 px and 390 px (and an A4 PDF), made with headless Chromium.

    python tools/screenshots.py            # docs/report-1366.png, docs/report-390.png
    python tools/screenshots.py --pdf      # also docs/report-a4.pdf (not committed; to check printing)

The report is made from the bundled 2025 ledger in a throw-away data folder, with a few second
quarter figures and two milestones on bullet 9.2.4, as of 2025-06-30. Chromium runs with a fresh
profile and no network chatter, driven over its DevTools pipe (a phone is emulated: a headless
window is never narrower than 500 px). ``measure_width`` (used by the tests) lays a page out
390 px wide and returns ``document.documentElement.scrollWidth``.

Needs: ``apt-get install -y chromium fonts-noto-cjk`` (Debian).
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
from typing import Any

REPO = pathlib.Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
#: What the demo ledger records before the screenshots are taken.
DEMO = [
    ["update", "21", "--value", "7", "--quarter", "2025Q2", "--note", "二季度新开通航线3条"],
    ["update", "36", "--value", "500万", "--quarter", "2025Q2"],
    ["update", "44", "--value", "9000场", "--quarter", "2025Q2", "--note", "二季度举办赛事"],
    ["plan", "milestone", "9.2.4", "2025-05-31", "完成选址和方案编制"],
    ["plan", "milestone", "9.2.4", "2025-07-15", "开工建设"],
]


def find_chromium() -> str | None:
    """The Chromium (or Chrome) binary on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Chromium with a fresh profile (removed afterwards) and the quiet flags."""
    binary = find_chromium()
    if binary is None:
        raise SystemExit("no chromium on PATH; install it with: apt-get install -y chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory(prefix="qdtrack-chromium-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe).

    Chromium reads commands from fd 3 and writes replies to fd 4, each a JSON text ended by NUL.
    A headless window cannot be narrower than 500 px, so a phone is emulated
    (Emulation.setDeviceMetricsOverride) rather than asked for with --window-size.
    """

    def __init__(self) -> None:
        binary = find_chromium()
        if binary is None:
            raise SystemExit("no chromium on PATH; install it with: apt-get install -y chromium fonts-noto-cjk")
        self._profile = tempfile.TemporaryDirectory(prefix="qdtrack-chromium-")
        to_r, self._to = os.pipe()
        self._from, from_w = os.pipe()

        def fds() -> None:  # in the child: the two pipe ends become fds 3 and 4
            high_r, high_w = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        cmd = [binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}", "about:blank"]
        self.proc = subprocess.Popen(  # noqa: S603
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=fds, close_fds=False
        )
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buf:
            chunk = os.read(self._from, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return dict(json.loads(msg))

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    events: list[dict[str, Any]] = []

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, self.session, **params)

    def open(self, url: str, width: int, height: int, mobile: bool) -> None:
        """Lay ``url`` out in a ``width`` x ``height`` viewport and wait for its load event."""
        self.events = []
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        self.page("Page.enable")
        self.page("Page.navigate", url=url)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read())

    def evaluate(self, expression: str) -> Any:
        return self.page("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def screenshot(self, png: pathlib.Path) -> None:
        png.write_bytes(base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to)
        os.close(self._from)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def measure_width(html: pathlib.Path, width: int = 390) -> tuple[int, int]:
    """(document.documentElement.scrollWidth, window.innerWidth) of ``html`` on a ``width`` px phone."""
    with Browser() as b:
        b.open(html.as_uri(), width, 844, mobile=True)
        return int(b.evaluate("document.documentElement.scrollWidth")), int(b.evaluate("window.innerWidth"))


def screenshot(html: pathlib.Path, png: pathlib.Path, width: int, height: int) -> None:
    with Browser() as b:
        b.open(html.as_uri(), width, height, mobile=width < 600)
        b.screenshot(png)


def print_pdf(html: pathlib.Path, pdf: pathlib.Path) -> None:
    done = run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()])
    if not pdf.is_file():
        raise RuntimeError(f"no PDF written: {done.stderr[-500:]}")


def demo_report(folder: pathlib.Path, lang: str = "zh") -> pathlib.Path:
    """The HTML report of the demo ledger (a fresh one under ``folder``)."""
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    env.pop("QDTRACK_DB", None)
    qdtrack = [sys.executable, "-m", "qdtrack"]
    subprocess.run([*qdtrack, "init"], env=env, check=True, capture_output=True)
    for args in DEMO:
        subprocess.run([*qdtrack, *args], env=env, check=True, capture_output=True)
    out = folder / "report.html"
    subprocess.run([*qdtrack, "report", "--lang", lang, "--as-of", "2025-06-30", "--output", str(out)], env=env, check=False)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also print docs/report-a4.pdf")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args(argv)
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qdtrack-shots-") as tmp:
        html = demo_report(pathlib.Path(tmp), args.lang)
        for width, height in ((1366, 900), (390, 844)):
            png = DOCS / f"report-{width}.png"
            screenshot(html, png, width, height)
            print(f"wrote {png.relative_to(REPO)}")
        scroll, inner = measure_width(html, 390)
        print(f"at 390 px: scrollWidth {scroll}, innerWidth {inner}")
        if args.pdf:
            pdf = DOCS / "report-a4.pdf"
            print_pdf(html, pdf)
            print(f"wrote {pdf.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
